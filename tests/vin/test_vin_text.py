"""VIN rules (components/vin.py): check digit, validation, VINs typed in chat messages."""

from __future__ import annotations

import random

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from components.vin import (
    ALPHABET,
    ERR_CHARACTERS,
    ERR_CHECK_DIGIT,
    ERR_LENGTH,
    WARN_CHECK_DIGIT,
    WARN_REPAIRED,
    check_digit_ok,
    compute_check_digit,
    find_vins,
    looks_like_word,
    normalize,
    validate,
    vin_length_hint,
    with_check_digit,
)
from showroom.vin.synthetic import random_vin

# Real VINs published as examples (owner's manuals, NHTSA/Wikipedia articles, recalls):
# each passes the check digit independently of this code.
REAL_VINS = [
    "1HGCM82633A004352",  # Honda Accord 2003
    "1M8GDM9AXKP042788",  # Motor Coach Industries 1989 (check digit X)
    "JH4KA7561PC008269",  # Acura Legend 1993
    "1GNEK13ZX3R298984",  # Chevrolet Tahoe 2003 (X)
    "1G1ZT53826F109149",  # Chevrolet Malibu 2006
    "JHMCM56557C404453",  # Honda Accord 2007
    "1FAFP40634F172825",  # Ford Mustang 2004
]
EUROPEAN_WITHOUT_CHECK = "WP0ZZZ99ZTS392124"  # Porsche 911 1996, position 9 is a filler


@pytest.mark.parametrize("vin", REAL_VINS)
def test_real_vins_pass_the_check_digit(vin: str) -> None:
    assert check_digit_ok(vin)
    assert compute_check_digit(vin) == vin[8]


def test_check_digit_x_stands_for_ten() -> None:
    assert compute_check_digit("1M8GDM9AXKP042788") == "X"


@pytest.mark.parametrize("vin", REAL_VINS)
def test_any_single_change_breaks_a_north_american_vin(vin: str) -> None:
    for position in (0, 4, 9, 16):
        changed = vin[:position] + ("7" if vin[position] != "7" else "8") + vin[position + 1 :]
        # position 1 changes can leave the region; skip the few equal-value swaps
        if position != 8 and compute_check_digit(changed) == vin[8]:
            continue
        assert not check_digit_ok(changed)


def test_compute_check_digit_refuses_bad_input() -> None:
    with pytest.raises(ValueError, match="17"):
        compute_check_digit("1HGCM82633A00435")
    with pytest.raises(ValueError, match="not allowed"):
        compute_check_digit("1HGCM82633A00435I")


def test_with_check_digit_makes_any_vin_pass() -> None:
    rng = random.Random(4)
    for _ in range(200):
        body = "".join(rng.choice(ALPHABET) for _ in range(17))
        assert check_digit_ok(with_check_digit(body))


def test_validate_north_american_bad_check_digit_is_rejected() -> None:
    result = validate("1HGCM82633A004353")
    assert not result.valid
    assert result.error == ERR_CHECK_DIGIT
    assert result.north_american


def test_validate_mexican_vin_needs_the_check_digit() -> None:
    good = with_check_digit("3N1CN7AP0KL812345")
    assert validate(good).valid
    bad = good[:8] + ("0" if good[8] != "0" else "1") + good[9:]
    assert validate(bad).error == ERR_CHECK_DIGIT


def test_validate_non_north_american_mismatch_is_only_a_warning() -> None:
    result = validate(EUROPEAN_WITHOUT_CHECK)
    assert result.valid
    assert not result.check_digit_ok
    assert WARN_CHECK_DIGIT in result.warnings
    assert result.error is None


def test_validate_repairs_i_o_q_and_says_so() -> None:
    result = validate("1hgcm82633a0o4352")
    assert result.vin == "1HGCM82633A004352"
    assert result.valid
    assert WARN_REPAIRED in result.warnings


@pytest.mark.parametrize(
    ("raw", "error"),
    [("1HGCM82633A00435", ERR_LENGTH), ("1HGCM82633A0043522", ERR_LENGTH),
     ("1HGCM82633A00435Ñ", ERR_CHARACTERS), ("", ERR_LENGTH)],
)  # fmt: skip
def test_validate_errors(raw: str, error: str) -> None:
    assert validate(raw).error == error
    assert not validate(raw).valid


def test_normalize() -> None:
    assert normalize(" 3n1-ab7 ap5.ky1 23456 ") == "3N1AB7AP5KY123456"
    assert normalize("\u200b1hg\u00a0cm8") == "1HGCM8"
    assert normalize("1hgcm8263ia0o4q52") == "1HGCM82631A00405" + "2"


VIN = "1HGCM82633A004352"


@pytest.mark.parametrize(
    "message",
    [
        f"mi vin es {VIN}",
        f"VIN: {VIN}",
        f"vin:{VIN.lower()}",
        "1HG CM826 33A 004352",
        "1hg-cm8-2633a-004352 gracias",
        f"*{VIN}*",
        f"_{VIN}_ ",
        f"niv {VIN}",
        f"NIV{VIN}",
        f"Número de serie: {VIN} 👍",
        f"Hola buenas tardes\n{VIN}\nes para unas balatas",
        "1HG\u200bCM82633A\u200b004352",
        "1HG\u00a0CM82633A\u00a0004352",
        "1HGCM82633A0O4352",  # a letter O typed for a zero
    ],
)
def test_find_vin_in_whatsapp_messages(message: str) -> None:
    found = find_vins(message)
    assert [m.vin for m in found] == [VIN]
    assert found[0].validation.valid


def test_find_vin_span_points_at_the_typed_text() -> None:
    message = "hola, mi vin es 1hg cm826-33a004352, gracias"
    (match,) = find_vins(message)
    assert message[match.start : match.end] == "1hg cm826-33a004352"


def test_two_vins_in_one_message_in_order() -> None:
    second = "JH4KA7561PC008269"
    found = find_vins(f"tengo dos carros: {second} y {VIN}")
    assert [m.vin for m in found] == [second, VIN]


def test_repeated_vin_is_reported_once() -> None:
    assert len(find_vins(f"{VIN} ... otra vez {VIN}")) == 1


def test_north_american_vin_with_wrong_check_digit_is_returned_as_invalid() -> None:
    (match,) = find_vins("mi vin 1HGCM82633A004353")
    assert not match.validation.valid
    assert match.validation.error == ERR_CHECK_DIGIT


@pytest.mark.parametrize(
    "message",
    [
        "tengo un tsuru 2015 y quiero balatas",
        "hola quiero cotizar amortiguadores para mi jetta 2018 por favor",
        "mi cel es 81 1234 5678 y el de mi esposa 55 8765 4321",
        "el precio es $389,900 MXN con enganche de $77,980",
        "holaquierocotizar",
        "balatas delanteras 2019 2020 2021 2022",
        "",
    ],
)
def test_no_vin_in_ordinary_messages(message: str) -> None:
    assert find_vins(message) == []


def test_length_hint_for_a_vin_missing_a_character() -> None:
    assert vin_length_hint("mi vin es 3N1AB7AP5KY12345 gracias") == 16
    assert vin_length_hint("vin: 1HG CM826 33A 0043521") == 18
    assert vin_length_hint(f"mi vin es {VIN}") is None
    assert vin_length_hint("quiero balatas para mi tsuru 2015") is None


SEPARATORS = st.sampled_from([" ", "-", ".", "", "\u200b", "\u00a0"])


@settings(max_examples=150, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**32 - 1), data=st.data())
def test_generated_vins_are_found_however_they_are_split(seed: int, data: st.DataObject) -> None:
    vin = random_vin(random.Random(seed))
    cuts = sorted(data.draw(st.sets(st.integers(1, 16), max_size=4)))
    pieces, last = [], 0
    for cut in cuts:
        pieces.append(vin[last:cut])
        last = cut
    pieces.append(vin[last:])
    typed = ""
    for piece in pieces:
        typed += piece + data.draw(SEPARATORS)
    if data.draw(st.booleans()):
        typed = typed.lower()
        # A lower-case all-letter piece that reads like a word is refused on purpose.
        assume(not any(looks_like_word(p.lower()) for p in pieces))
    message = data.draw(st.sampled_from(["{}", "mi vin es {} gracias", "VIN: {}", "*{}*"]))
    found = find_vins(message.format(typed.strip()))
    assert vin in [m.vin for m in found]
