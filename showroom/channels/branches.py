"""Which branch a WhatsApp number belongs to, cached.

Every webhook needs the branch of its `To` number. The whole table (dozens of branches)
is read in one query and kept for `ttl_s`; a number not in the cache triggers a re-read
at most every `miss_refresh_s`, so a branch imported a minute ago is found without a
restart, and a flood of unknown numbers cannot hammer the database.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from showroom.conversations.customers import normalize_phone
from showroom.db.models.inventory import Branch


@dataclass(frozen=True)
class BranchInfo:
    id: int
    code: str
    name: str
    city: str
    whatsapp_number: str | None
    timezone: str


class BranchDirectory:
    def __init__(self, *, ttl_s: float = 60.0, miss_refresh_s: float = 5.0) -> None:
        self.ttl_s = ttl_s
        self.miss_refresh_s = miss_refresh_s
        self._by_number: dict[str, BranchInfo] = {}
        self._by_code: dict[str, BranchInfo] = {}
        self._loaded_at = float("-inf")
        self._lock = threading.Lock()

    def _refresh(self, session: Session) -> None:
        rows = session.scalars(select(Branch).order_by(Branch.name, Branch.code)).all()
        by_number: dict[str, BranchInfo] = {}
        by_code: dict[str, BranchInfo] = {}
        for branch in rows:
            info = BranchInfo(
                id=branch.id,
                code=branch.code,
                name=branch.name,
                city=branch.city,
                whatsapp_number=branch.whatsapp_number,
                timezone=branch.timezone,
            )
            by_code[branch.code] = info
            if branch.whatsapp_number:
                by_number[branch.whatsapp_number] = info
        self._by_number, self._by_code = by_number, by_code
        self._loaded_at = time.monotonic()

    def _ensure(self, session: Session, *, missed: bool = False) -> None:
        age = time.monotonic() - self._loaded_at
        if age > self.ttl_s or (missed and age > self.miss_refresh_s):
            with self._lock:
                age = time.monotonic() - self._loaded_at
                if age > self.ttl_s or (missed and age > self.miss_refresh_s):
                    self._refresh(session)

    def for_number(self, session: Session, number: str) -> BranchInfo | None:
        """The branch whose WhatsApp number this is (`whatsapp:` prefix ok)."""
        e164 = normalize_phone(number)
        if e164 is None:
            return None
        self._ensure(session)
        info = self._by_number.get(e164)
        if info is None:
            self._ensure(session, missed=True)
            info = self._by_number.get(e164)
        return info

    def by_code(self, session: Session, code: str) -> BranchInfo | None:
        self._ensure(session)
        info = self._by_code.get(code.strip().upper())
        if info is None:
            self._ensure(session, missed=True)
            info = self._by_code.get(code.strip().upper())
        return info

    def all(self, session: Session) -> list[BranchInfo]:
        self._ensure(session)
        return list(self._by_code.values())

    def invalidate(self) -> None:
        self._loaded_at = float("-inf")
