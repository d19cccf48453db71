"""Importing parts files: both formats, bad rows with line numbers, re-import by SKU."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from showroom.db.models.inventory import Branch
from showroom.db.models.parts import Part, PartFitment, PartTerm
from showroom.inventory.parts.importer import ImportFailed, import_parts
from showroom.inventory.parts.reader import UnusableFile
from showroom.inventory.parts.search import get_part, search_parts

Writer = Callable[..., Path]
Factory = Callable[..., dict[str, Any]]


def count(session: Session, model: Any) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.mark.parametrize("writer", ["write_jsonl", "write_array"])
def test_imports_both_formats(
    session: Session, request: pytest.FixtureRequest, writer: str, product: Factory
) -> None:
    write: Writer = request.getfixturevalue(writer)
    path = write(
        [
            product(
                "BR-1",
                precio="1,289.50",
                imagen_2="https://cdn.example.mx/BR-1/2.jpg",
                compatibilidad=["Nissan Tsuru 1992-2017", "VW Jetta A4 2000-2015"],
            ),
            product("AC-1", titulo="Aceite 5W-30 sintético 1 L", compatibilidad=[], precio=189),
        ]
    )
    summary = import_parts(session, path)
    assert (summary.created, summary.updated, summary.rows) == (2, 0, 2)

    part = get_part(session, "BR-1")
    assert part is not None
    assert part.price_mxn == Decimal("1289.50")
    assert part.image_urls == [
        "https://cdn.example.mx/BR-1/1.jpg",
        "https://cdn.example.mx/BR-1/2.jpg",
    ]
    assert part.compat_raw == ["Nissan Tsuru 1992-2017", "VW Jetta A4 2000-2015"]
    assert [(f.brand, f.model, f.year_from, f.year_to) for f in part.fitments] == [
        ("Nissan", "Tsuru", 1992, 2017),
        ("Volkswagen", "Jetta A4", 2000, 2015),
    ]
    assert not part.universal
    oil = get_part(session, "ac-1")  # SKU lookup tolerates case
    assert oil is not None and oil.universal and oil.fitments == []
    assert count(session, PartTerm) > 0


def test_bad_jsonl_rows_are_reported_by_line_and_nothing_is_imported(
    session: Session, tmp_path: Path, product: Factory
) -> None:
    import json

    lines = [
        json.dumps(product("OK-1")),
        json.dumps(product("BAD-1", precio=-5)),
        "",
        "{not json",
        json.dumps(product("BAD-2", stock=1.5)),
        json.dumps(product("OK-1")),
        json.dumps({"titulo": "sin sku", "precio": 10, "stock": 1}),
        json.dumps(product("BAD-3", imagen_1="ftp://x/y.jpg")),
        json.dumps(product("BAD-4", compatibilidad=[3])),
    ]
    path = tmp_path / "parts.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    with pytest.raises(ImportFailed) as failure:
        import_parts(session, path)
    problems = [str(p) for p in failure.value.problems]
    assert problems == [
        "line 2: precio must be greater than 0 (sku BAD-1)",
        "line 4: invalid JSON (Expecting property name enclosed in double quotes, column 2)",
        "line 5: stock must be a whole number (sku BAD-2)",
        "line 6: duplicate sku OK-1 (first at line 1)",
        "line 7: missing sku",
        "line 8: imagen_1 is not an http(s) URL (sku BAD-3)",
        "line 9: compatibilidad must be a list of text (sku BAD-4)",
    ]
    assert "nothing imported" in str(failure.value)
    assert count(session, Part) == 0


def test_skip_bad_rows_imports_the_rest(
    session: Session, write_jsonl: Writer, product: Factory
) -> None:
    path = write_jsonl([product("OK-1"), product("BAD-1", precio="gratis"), product("OK-2")])
    summary = import_parts(session, path, skip_bad_rows=True)
    assert (summary.created, summary.skipped) == (2, 1)
    assert [str(p) for p in summary.problems] == [
        "line 2: precio is not a number: 'gratis' (sku BAD-1)"
    ]
    assert "1 bad rows skipped" in summary.line()
    assert sorted(session.scalars(select(Part.sku))) == ["OK-1", "OK-2"]


def test_array_errors_name_the_item_and_its_line(
    session: Session, write_array: Writer, product: Factory
) -> None:
    path = write_array([product("OK-1"), product("OK-2"), product("BAD", stock=-1)])
    with pytest.raises(ImportFailed) as failure:
        import_parts(session, path)
    (problem,) = failure.value.problems
    # indent=2: "[" on line 1, each product spans 12 lines
    assert str(problem) == "item 3 (line 26): stock cannot be negative (sku BAD)"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "is empty"),
        (b"sku,titulo\nA,B\n", "not a JSON array or JSON Lines"),
        (b'[{"sku": "A"}, {"sku": ', "invalid JSON at line 1"),
        (b'[{"sku": "A"} {"sku": "B"}]', "expected ',' or ']'"),
        (b"[]", "has no valid products"),
        (b'[{"sku": "\xff"}]', "not UTF-8"),
    ],
)
def test_unusable_files_give_a_one_line_reason(
    session: Session, tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "parts.json"
    path.write_bytes(content)
    with pytest.raises(UnusableFile) as failure:
        import_parts(session, path)
    assert reason in str(failure.value)
    assert "\n" not in str(failure.value)


def test_reimport_updates_by_sku_without_duplicates(
    session: Session, write_jsonl: Writer, product: Factory
) -> None:
    first = write_jsonl([product("BR-1"), product("BR-2", titulo="Disco de freno Brembo")])
    import_parts(session, first)
    second = write_jsonl(
        [
            product(
                "BR-1",
                titulo="Amortiguador delantero Monroe",
                precio=999,
                stock=0,
                compatibilidad=["Chevrolet Chevy 1994-2012"],
            ),
            product("BR-2", titulo="Disco de freno Brembo"),
            product("BR-3"),
        ],
        "again.jsonl",
    )
    summary = import_parts(session, second)
    assert (summary.created, summary.updated, summary.unchanged) == (1, 1, 1)
    assert count(session, Part) == 3
    part = get_part(session, "BR-1")
    assert part is not None
    session.refresh(part)
    assert (part.title, part.price_mxn, part.stock) == ("Amortiguador delantero Monroe", 999, 0)
    assert [f.model for f in part.fitments] == ["Chevy"]
    assert count(session, PartFitment) == 3
    # the full-text index follows the new title, not the old one
    found = search_parts(session, "amortiguador", limit=10)
    assert [p.sku for p in found.parts] == ["BR-1"]
    assert "BR-1" not in {p.sku for p in search_parts(session, "balatas", limit=10).parts}


def test_delete_missing_and_branch(session: Session, write_jsonl: Writer, product: Factory) -> None:
    session.add(
        Branch(
            code="MTY",
            name="Sucursal Monterrey",
            city="Monterrey",
            address="Av. Constitución 100",
            timezone="America/Monterrey",
            opening_hours="lun-vie 09:00-19:00",
        )
    )
    session.flush()
    import_parts(session, write_jsonl([product("A-1"), product("A-2")]))
    summary = import_parts(
        session, write_jsonl([product("A-2")], "mty.jsonl"), branch_code="MTY", delete_missing=True
    )
    assert (summary.updated, summary.deleted) == (1, 1)
    part = get_part(session, "A-2")
    assert part is not None and part.branch is not None and part.branch.code == "MTY"
    assert sorted(session.scalars(select(Part.sku))) == ["A-2"]
    with pytest.raises(ImportFailed, match="unknown branch 'XYZ'"):
        import_parts(session, write_jsonl([product("A-3")], "x.jsonl"), branch_code="XYZ")


def test_compat_not_understood_is_kept_and_counted(
    session: Session, write_jsonl: Writer, product: Factory
) -> None:
    path = write_jsonl(
        [
            product("U-1", compatibilidad="Universal"),
            product("M-1", compatibilidad="Nissan Tsuru 1992-2017; Varios modelos"),
        ]
    )
    summary = import_parts(session, path)
    assert summary.not_understood == 1
    assert "1 compatibility entries not understood" in summary.line()
    universal, mixed = get_part(session, "U-1"), get_part(session, "M-1")
    assert universal is not None and universal.universal
    assert mixed is not None and not mixed.universal
    assert mixed.compat_raw == ["Nissan Tsuru 1992-2017", "Varios modelos"]
    assert [f.model for f in mixed.fitments] == ["Tsuru"]
