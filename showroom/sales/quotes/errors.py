"""What can go wrong with a quote. Messages are English (logs); `message_es` is for customers.

Actions catch `QuoteError` and answer with `exc.message_es`; the console shows `str(exc)`.
`message_es` says only what happened and what the customer can do; `needs_person` tells
the action that the customer cannot fix it themselves, so it records a handoff request and
says so (a message never promises a person that nobody asked for).
"""

from __future__ import annotations

from decimal import Decimal

from showroom.formatting import money


class QuoteError(ValueError):
    """Base class: bad input or a rule of the business refused the operation."""

    message_es = "No pude completar la cotización."
    needs_person = True  # nothing the customer can change; a salesperson has to look at it


class QuoteNotFound(QuoteError):  # noqa: N818 - reads as what happened
    needs_person = False
    message_es = "No encontré esa cotización."


class ItemNotFound(QuoteError):  # noqa: N818
    """A stock id or SKU that is not in the inventory/catalog."""

    needs_person = False

    def __init__(self, reference: str, what: str) -> None:
        super().__init__(f"{what} {reference!r} is not in the inventory")
        self.reference = reference
        self.message_es = f"No encontré {reference} en el inventario."


class OutOfStock(QuoteError):  # noqa: N818
    """Sin existencia: the vehicle is not available or the part has fewer units.

    `name` ("Toyota Corolla 2024", "Balatas delanteras Brembo") is what the customer reads;
    without it the stock id / SKU is named.
    """

    needs_person = False

    def __init__(
        self,
        reference: str,
        requested: int = 1,
        available: int = 0,
        *,
        name: str | None = None,
        vehicle: bool = False,
    ) -> None:
        super().__init__(
            f"sin existencia: {reference} ({available} available, {requested} requested)"
        )
        self.reference = reference
        self.requested = requested
        self.available = available
        said = name or reference
        if available > 0:
            self.message_es = (
                f"Solo tenemos {available} en existencia de {said}, así que no pude "
                f"cotizar {requested}. Elige la pieza otra vez con esa cantidad o pide "
                "hablar con un asesor."
            )
        elif vehicle and name:
            self.message_es = f"Lo siento, el {name} ya no está disponible (sin existencia)."
        elif name:
            self.message_es = f"Lo siento, ya no tenemos {name} en existencia."
        else:
            self.message_es = f"Lo siento, {reference} ya no está disponible (sin existencia)."


class InvalidDiscount(QuoteError):  # noqa: N818
    """A discount that makes no sense: negative, over 100 %, larger than what it applies to."""

    needs_person = False

    message_es = "Ese descuento no es válido."


class DiscountNotAllowed(QuoteError):  # noqa: N818
    """The assistant asked for more than the branch's maximum; a salesperson must approve
    (`needs_person`: the action records the request, as the message says)."""

    def __init__(self, max_rate: Decimal, max_amount: Decimal, requested_amount: Decimal) -> None:
        percent = format((max_rate * 100).normalize(), "f")
        super().__init__(
            f"bot discount limit exceeded: {requested_amount} requested, "
            f"{max_amount} allowed ({percent} % of the list price); a salesperson must apply it"
        )
        self.max_rate = max_rate
        self.max_amount = max_amount
        self.requested_amount = requested_amount
        if max_rate > 0:
            self.message_es = (
                f"Puedo ofrecerte hasta {percent}% de descuento ({money(max_amount)}). "
                "Un descuento mayor lo autoriza un asesor."
            )
        else:
            self.message_es = "Los descuentos los autoriza un asesor."


class IllegalTransition(QuoteError):  # noqa: N818
    """The quote's status does not allow this step (e.g. confirming a draft)."""

    needs_person = False

    def __init__(self, folio: str, status: str, action: str) -> None:
        super().__init__(f"quote {folio} is {status}: cannot {action}")
        self.folio = folio
        self.status = status
        self.action = action
        if action == "accept":
            self.message_es = _cannot_accept_es(folio, status)
            return
        self.message_es = {
            "confirmed": f"La cotización {folio} ya se convirtió en venta.",
            "cancelled": f"La cotización {folio} fue cancelada.",
            "expired": f"La cotización {folio} ya venció; te puedo hacer una nueva.",
        }.get(status, f"La cotización {folio} no se puede modificar en este momento.")


def _cannot_accept_es(folio: str, status: str) -> str:
    """Why a "sí" cannot accept the quote, and what the customer can do instead."""
    if status == "expired":
        return (
            f"Tu cotización {folio} ya venció, así que ya no puedo registrarla como aceptada. "
            "Si todavía te interesa, pídeme una cotización nueva y te la hago con el precio "
            "y la existencia de hoy."
        )
    if status == "cancelled":
        return (
            f"La cotización {folio} fue cancelada, así que ya no se puede aceptar. Si todavía "
            "te interesa, pídeme una cotización nueva o habla con un asesor."
        )
    if status == "confirmed":
        return (
            f"La cotización {folio} ya se convirtió en venta, así que no hace falta aceptarla "
            "otra vez. Si tienes dudas sobre tu compra, habla con un asesor."
        )
    if status == "draft":  # revised (by a salesperson, say) and not sent again yet
        return (
            f"La cotización {folio} tuvo cambios desde que te la mandé. Pídemela otra vez "
            '(por ejemplo "mándame la cotización") para ver cómo quedó y aceptarla.'
        )
    return f"La cotización {folio} no se puede aceptar en este momento."


class QuoteExpired(IllegalTransition):
    """The validity date has passed (the quote is marked expired when this is raised)."""

    def __init__(self, folio: str, action: str) -> None:
        super().__init__(folio, "expired", action)


class NotAllowed(QuoteError):  # noqa: N818
    """This actor may not do this (only a salesperson confirms, for instance)."""

    message_es = "Eso lo tiene que hacer un asesor."
