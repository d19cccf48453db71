"""Read a parts file: a JSON array or JSON Lines, one object per product.

Yields `RawItem`s with where each item starts, so row errors can name a line. JSON Lines is
read line by line (a broken line is a bad row, the rest still reads). A JSON array is
decoded item by item from the text with `raw_decode`, which keeps the offset of each item;
a syntax error inside an array makes the whole file unusable (`UnusableFile`), since
nothing after it can be trusted.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_WHITESPACE = " \t\r\n"


class UnusableFile(Exception):  # noqa: N818 - reads as what happened
    """The file cannot be read as parts at all (one-line reason, English)."""


@dataclass(frozen=True)
class RawItem:
    line: int  # 1-based line where the item starts
    index: int | None  # 0-based position in a JSON array; None for JSON Lines
    value: Any  # the decoded JSON value (should be an object)
    error: str | None = None  # why it could not be decoded

    @property
    def where(self) -> str:
        if self.index is None:
            return f"line {self.line}"
        return f"item {self.index + 1} (line {self.line})"


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnusableFile(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnusableFile(f"{path.name} is not UTF-8 text (byte {exc.start})") from exc


def _first_char(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            head = handle.read(4096).decode("utf-8-sig", errors="ignore").lstrip(_WHITESPACE)
    except OSError as exc:
        raise UnusableFile(f"cannot read {path}: {exc.strerror or exc}") from exc
    return head[:1]


def read_items(path: Path, on_bytes: Callable[[int], None] | None = None) -> Iterator[RawItem]:
    """Every item of the file, in order. `on_bytes(n)` reports progress in bytes read."""
    first = _first_char(path)
    if first == "[":
        yield from _read_array(path, on_bytes)
    elif first == "{":
        yield from _read_lines(path, on_bytes)
    elif first == "":
        raise UnusableFile(f"{path.name} is empty")
    else:
        raise UnusableFile(
            f"{path.name} is not a JSON array or JSON Lines of objects (starts with {first!r})"
        )


def _read_lines(path: Path, on_bytes: Callable[[int], None] | None) -> Iterator[RawItem]:
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if on_bytes:
                on_bytes(len(raw))
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                yield RawItem(number, None, None, "not UTF-8 text")
                continue
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                yield RawItem(number, None, None, f"invalid JSON ({exc.msg}, column {exc.colno})")
                continue
            yield RawItem(number, None, value)


def _read_array(path: Path, on_bytes: Callable[[int], None] | None) -> Iterator[RawItem]:
    text = _read_text(path)
    newlines = [i for i, c in enumerate(text) if c == "\n"]
    decoder = json.JSONDecoder()
    reported = 0

    def line_of(offset: int) -> int:
        return bisect.bisect_right(newlines, offset - 1) + 1

    def skip(pos: int) -> int:
        while pos < len(text) and text[pos] in _WHITESPACE:
            pos += 1
        return pos

    def fail(pos: int, what: str) -> UnusableFile:
        column = pos - (text.rfind("\n", 0, pos) + 1) + 1
        return UnusableFile(f"invalid JSON at line {line_of(pos)}, column {column}: {what}")

    pos = skip(text.index("[") + 1)
    index = 0
    if pos < len(text) and text[pos] == "]":
        return
    while True:
        if pos >= len(text):
            raise fail(pos, "the array is not closed")
        try:
            value, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise fail(exc.pos, exc.msg) from exc
        yield RawItem(line_of(pos), index, value)
        index += 1
        if on_bytes:
            on_bytes(len(text[reported:end].encode()))
            reported = end
        pos = skip(end)
        if pos < len(text) and text[pos] == ",":
            pos = skip(pos + 1)
            continue
        if pos < len(text) and text[pos] == "]":
            if skip(pos + 1) < len(text):
                raise fail(skip(pos + 1), "unexpected data after the array")
            if on_bytes:
                on_bytes(len(text[reported:].encode()))
            return
        raise fail(pos, "expected ',' or ']' after an item")
