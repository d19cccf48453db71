"""The parts catalog: import, search and customer-facing cards.

Public API (see docs/parts.md):
    search_parts(session, text, *, brand=None, model=None, year=None, in_stock_only=False,
                 branch_code=None, limit=3, offset=0) -> PartSearchResult
    get_part(session, sku) -> Part | None
    part_card_es(part, branch=None) -> str, part_fits_es(part) -> str,
    fits_exactly(part, vehicle) -> bool, first_image(part) -> str | None
    import_parts(session, path, *, skip_bad_rows=False, branch_code=None,
                 delete_missing=False) -> ImportSummary
    load_demo_parts(session) -> ImportSummary
"""

from showroom.inventory.parts.cards import (
    first_image,
    fits_exactly,
    money_mxn,
    part_card_es,
    part_fits_es,
)
from showroom.inventory.parts.demo import load_demo_parts
from showroom.inventory.parts.importer import ImportFailed, ImportSummary, import_parts
from showroom.inventory.parts.query import VehicleFilter
from showroom.inventory.parts.reader import UnusableFile
from showroom.inventory.parts.search import PartSearchResult, get_part, search_parts

__all__ = [
    "ImportFailed",
    "ImportSummary",
    "PartSearchResult",
    "UnusableFile",
    "VehicleFilter",
    "first_image",
    "fits_exactly",
    "get_part",
    "import_parts",
    "load_demo_parts",
    "money_mxn",
    "part_card_es",
    "part_fits_es",
    "search_parts",
]
