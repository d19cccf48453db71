"""Routing the `To` number to its branch, with 40+ numbers, cached."""

from __future__ import annotations

from sqlalchemy.orm import Session

from showroom.channels.branches import BranchDirectory
from showroom.db.models.inventory import Branch


def _branch(n: int) -> Branch:
    return Branch(
        code=f"S{n:02d}",
        name=f"Sucursal {n}",
        city="Monterrey",
        address="Av. Uno 1",
        whatsapp_number=f"+52818000{n:04d}",
        timezone="America/Monterrey",
        opening_hours="lun-vie 09:00-19:00",
    )


def test_every_one_of_45_numbers_routes_to_its_branch(session: Session) -> None:
    session.add_all(_branch(n) for n in range(45))
    session.flush()
    directory = BranchDirectory()
    for n in range(45):
        info = directory.for_number(session, f"whatsapp:+52818000{n:04d}")
        assert info is not None and info.code == f"S{n:02d}"
    assert directory.for_number(session, "whatsapp:+528112345678") is None
    assert directory.for_number(session, "not a number") is None
    assert directory.by_code(session, "s07") is not None


def test_a_branch_imported_later_is_found_without_a_restart(session: Session) -> None:
    session.add(_branch(1))
    session.flush()
    directory = BranchDirectory(miss_refresh_s=0.0)
    assert directory.for_number(session, "+528180000002") is None
    session.add(_branch(2))
    session.flush()
    info = directory.for_number(session, "+528180000002")
    assert info is not None and info.code == "S02"


def test_lookups_are_served_from_the_cache(session: Session) -> None:
    session.add(_branch(3))
    session.flush()
    directory = BranchDirectory(ttl_s=60, miss_refresh_s=60)
    assert directory.for_number(session, "+528180000003") is not None
    session.query(Branch).delete()
    session.flush()
    # still cached (a known number needs no query); unknown numbers do not hammer the DB
    assert directory.for_number(session, "+528180000003") is not None
    assert directory.for_number(session, "+528180000009") is None
