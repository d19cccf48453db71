"""Who does something to a quote: the assistant, the customer, a salesperson, or the system."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ActorKind = Literal["bot", "customer", "salesperson", "system"]
KINDS: tuple[str, ...] = ("bot", "customer", "salesperson", "system")


@dataclass(frozen=True)
class Actor:
    """`Actor.bot()`, `Actor.customer()`, `Actor.salesperson(7)`, `Actor.system()`."""

    kind: ActorKind
    salesperson_id: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown actor kind {self.kind!r}")
        if (self.kind == "salesperson") != (self.salesperson_id is not None):
            raise ValueError("a salesperson actor needs salesperson_id (and only it has one)")

    @classmethod
    def bot(cls) -> Actor:
        return cls("bot")

    @classmethod
    def customer(cls) -> Actor:
        return cls("customer")

    @classmethod
    def system(cls) -> Actor:
        return cls("system")

    @classmethod
    def salesperson(cls, salesperson_id: int) -> Actor:
        return cls("salesperson", int(salesperson_id))

    @property
    def label(self) -> str:
        """`"bot"`, `"salesperson:7"`: stored with discounts (who applied them)."""
        return f"salesperson:{self.salesperson_id}" if self.kind == "salesperson" else self.kind


BOT = Actor.bot()
CUSTOMER = Actor.customer()
SYSTEM = Actor.system()
