"""Importing parts files: both formats, bad rows with line numbers, re-import by SKU."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from showroom.db.models.parts import Part, PartFitment, PartTerm
from showroom.inventory.parts.importer import ImportFailed, import_parts
from showroom.inventory.parts.reader import UnusableFile
from showroom.inventory.parts.search import get_part, search_parts

Writer = Callable[..., Path]
Factory = Callable[..., dict[str, Any]]
AddBranches = Callable[..., Any]


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
            product(
                "AC-1",
                titulo="Aceite 5W-30 sintético 1 L",
                compatibilidad=["Universal"],
                precio=189,
            ),
            product("FI-1", titulo="Filtro de aire", compatibilidad=[]),
        ]
    )
    summary = import_parts(session, path)
    assert (summary.created, summary.updated, summary.rows) == (3, 0, 3)

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
    unknown = get_part(session, "FI-1")  # no compatibility is not "fits every car"
    assert unknown is not None and not unknown.universal and unknown.fitments == []
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
        json.dumps(product("BAD-3", precio="1.250")),
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
        "line 8: precio '1.250' is ambiguous (1250 or 1.25?): write it without a thousands "
        "separator (1250) or with two decimals (1.25) (sku BAD-3)",
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


def skus(session: Session) -> list[str]:
    return sorted(session.scalars(select(Part.sku)))


def test_delete_missing_only_touches_the_stock_imported(
    session: Session, write_jsonl: Writer, product: Factory, add_branches: AddBranches
) -> None:
    """A branch's nightly export deletes that branch's missing parts, never the shared
    catalog's or another branch's."""
    add_branches(MTY="Sucursal MTY", CDMX="Sucursal CDMX")
    import_parts(session, write_jsonl([product("A-1"), product("A-2")]))
    import_parts(
        session, write_jsonl([product("M-1"), product("M-2")], "m.jsonl"), branch_code="MTY"
    )
    import_parts(session, write_jsonl([product("C-1")], "c.jsonl"), branch_code="CDMX")

    summary = import_parts(
        session, write_jsonl([product("M-2")], "m2.jsonl"), branch_code="MTY", delete_missing=True
    )
    assert (summary.unchanged, summary.deleted) == (1, 1)
    assert skus(session) == ["A-1", "A-2", "C-1", "M-2"]

    summary = import_parts(session, write_jsonl([product("A-2")], "a.jsonl"), delete_missing=True)
    assert summary.deleted == 1
    assert skus(session) == ["A-2", "C-1", "M-2"]
    part = get_part(session, "M-2")
    assert part is not None and part.branch is not None and part.branch.code == "MTY"
    with pytest.raises(ImportFailed, match="unknown branch 'XYZ'"):
        import_parts(session, write_jsonl([product("A-3")], "x.jsonl"), branch_code="XYZ")


def test_a_sku_moving_between_branches_is_a_warning(
    session: Session, write_jsonl: Writer, product: Factory, add_branches: AddBranches
) -> None:
    add_branches(MTY="Sucursal MTY")
    import_parts(session, write_jsonl([product("A-1"), product("A-2")]))
    summary = import_parts(
        session, write_jsonl([product("X-9"), product("A-2")], "m.jsonl"), branch_code="MTY"
    )
    assert (summary.created, summary.updated, summary.moved) == (1, 1, 1)
    assert [str(w) for w in summary.warnings] == [
        "line 2: sku A-2 moves from the shared catalog to branch MTY"
    ]
    assert "1 moved between branches" in summary.line()
    part = get_part(session, "A-2")
    assert part is not None and part.branch is not None and part.branch.code == "MTY"


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


def test_entries_not_understood_are_warnings_with_their_line(
    session: Session, write_jsonl: Writer, product: Factory
) -> None:
    path = write_jsonl(
        [
            product("OK-1"),
            product("W-1", compatibilidad=["Nissan Tsuru 1992-2017 Sentra 2000", "Patito X1"]),
        ]
    )
    summary = import_parts(session, path)
    assert summary.not_understood == 2
    assert [str(w) for w in summary.warnings] == [
        "line 2: compatibilidad 'Nissan Tsuru 1992-2017 Sentra 2000' not understood: "
        "a year is left in the model (two vehicles in one entry?)",
        "line 2: compatibilidad 'Patito X1' not understood: unknown brand or model",
    ]


def test_other_catalogs_formats_become_fitments(
    session: Session, write_jsonl: Writer, product: Factory
) -> None:
    path = write_jsonl(
        [
            product("F-1", compatibilidad=["Nissan Versa 2012-2019 1.6L", "Kia Rio 2018 - Actual"]),
            product("F-2", compatibilidad="Chevrolet Aveo 2008, 2009, 2010; Ford Ranger 12-18"),
        ]
    )
    summary = import_parts(session, path)
    assert summary.not_understood == 0
    first, second = get_part(session, "F-1"), get_part(session, "F-2")
    assert first is not None and second is not None
    assert [f.label for f in first.fitments] == ["Nissan Versa 2012-2019", "Kia Rio 2018+"]
    assert [f.label for f in second.fitments] == [
        "Chevrolet Aveo 2008-2010",
        "Ford Ranger 2012-2018",
    ]
    found = search_parts(session, "balatas", model="Rio", year=2023, limit=5)
    assert [p.sku for p in found.parts] == ["F-1"]


def test_reimporting_after_a_parser_change_refreshes_fitments(
    session: Session, write_jsonl: Writer, product: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same file, read by an improved parser, must not be skipped as unchanged."""
    from showroom.inventory.parts import compat, rows

    path = write_jsonl([product("P-1", compatibilidad=["Nissan Versa 2012-2019 1.6L"])])

    def old_parser(raw: str) -> compat.CompatEntry:  # years only at the end: not understood
        return compat.CompatEntry(raw, problem=compat.UNKNOWN_VEHICLE)

    monkeypatch.setattr(rows, "read_compat", old_parser)
    first = import_parts(session, path)
    assert first.not_understood == 1 and count(session, PartFitment) == 0
    monkeypatch.undo()
    again = import_parts(session, path)
    assert (again.updated, again.unchanged) == (1, 0)
    part = get_part(session, "P-1")
    assert part is not None and [f.label for f in part.fitments] == ["Nissan Versa 2012-2019"]
    assert import_parts(session, path).unchanged == 1  # and then it is unchanged again


def test_a_bad_image_url_is_a_warning_with_its_line(
    session: Session, write_jsonl: Writer, product: Factory
) -> None:
    path = write_jsonl([product("OK-1"), product("IMG-1", imagen_2="ftp://x/y.jpg")])
    summary = import_parts(session, path)
    assert summary.created == 2 and not summary.problems
    assert [str(w) for w in summary.warnings] == [
        "line 2: imagen_2 dropped: not an http(s) URL ('ftp://x/y.jpg')"
    ]
    assert "1 image URLs dropped" in summary.line()
    part = get_part(session, "IMG-1")
    assert part is not None and part.image_urls == ["https://cdn.example.mx/IMG-1/1.jpg"]


def test_prices_with_a_decimal_comma_are_read_or_refused_never_misread(
    session: Session, write_array: Writer, product: Factory
) -> None:
    path = write_array(
        [
            product("A", precio="1250,00"),
            product("B", precio="1.250,00"),
            product("C", precio="1,25"),
        ]
    )
    import_parts(session, path)
    prices = {sku: get_part(session, sku).price_mxn for sku in "ABC"}  # type: ignore[union-attr]
    assert prices == {"A": Decimal("1250.00"), "B": Decimal("1250.00"), "C": Decimal("1.25")}
    ambiguous = write_array([product("D", precio="1.250")], "ambiguous.json")
    with pytest.raises(ImportFailed) as failure:
        import_parts(session, ambiguous)
    (problem,) = failure.value.problems
    assert str(problem).startswith("item 1 (line 2): precio '1.250' is ambiguous")
