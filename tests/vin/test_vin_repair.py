"""OCR post-processing: cleaning, alignment, votes, confusion repair with the check digit."""

from __future__ import annotations

import random

import pytest

from components.vin import check_digit_ok, with_check_digit
from showroom.vin.align import align
from showroom.vin.repair import CONFUSIONS, Votes, clean_read, strip_label
from showroom.vin.synthetic import random_vin

VIN = "1HGCM82633A004352"


def resolve(*reads: str) -> str:
    votes = Votes()
    for read in reads:
        votes.add(clean_read(read))
    return votes.resolve().vin


def test_clean_read_maps_letters_that_are_never_in_a_vin() -> None:
    assert clean_read("1hgcm8 2633a o04352") == "1HGCM82633A004352"
    assert clean_read("1HGCM8263|A0Q4$52") == "1HGCM82631A004S52"
    assert clean_read("VIN: ") == "V1N"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("VIN:1HGCM82633A004352", VIN), ("VN1HGCM82633A004352", VIN),
     ("NIV 1HGCM82633A004352", VIN), ("SER1E1HGCM82633A004352", VIN), ("VNK1234", "VNK1234")],
)  # fmt: skip
def test_strip_label(raw: str, expected: str) -> None:
    assert clean_read(strip_label(raw)) == expected


@pytest.mark.parametrize(
    "misread",
    [
        "1HGCM8Z633A004352",  # Z for 2
        "1HGCM82633A0O4352",  # O for 0
        "1HGCM82633A0D4352",  # D for 0
        "IHGCM82633A004352",  # I for 1
        "1H6CM82633A004352",  # 6 for G
        "1HGCM82633A0043S2",  # S for 5 in the serial
        "1HGCMB2633A004352",  # B for 8
    ],
)
def test_single_read_confusion_is_repaired_by_the_check_digit(misread: str) -> None:
    assert resolve(misread) == VIN


def test_mexican_vin_g_for_6_repaired() -> None:
    vin = with_check_digit("3N1CN7AP0KL816345")
    assert resolve(vin.replace("6", "G")) == vin


def test_majority_of_reads_wins_before_any_repair() -> None:
    wrong = "1HGCM82633A004357"
    assert resolve(VIN, VIN, wrong) == VIN


def test_european_vin_without_check_digit_is_left_alone() -> None:
    votes = Votes()
    votes.add("WVWZZZ1JZ3W386752")
    result = votes.resolve()
    assert result.vin == "WVWZZZ1JZ3W386752"
    assert not result.check_digit_ok
    assert result.repaired == 0


def test_reads_with_a_dropped_or_invented_character_are_aligned() -> None:
    vin = "NMT9JLLZ2GCD74234"  # non-North-American: no check digit to lean on
    reads = [
        "NMTO9JLLZ2G6CD74234",  # phantom O and a doubled G/6
        "NMTO9JLLZ2GCD74234",
        "NMT9JLLZ2G6CD74234",
        "NMT9JLLZ2GCD7423",  # last digit dropped
        "NMT9JLLZ2GCD74234",
    ]
    assert resolve(*reads) == vin


def test_align_drops_an_inserted_character_and_marks_a_deleted_one() -> None:
    vector, cost = align("1HGCM826033A004352", VIN, CONFUSIONS)
    assert "".join(c or "?" for c in vector) == VIN
    assert cost == 1.0
    vector, cost = align("1HGCM8263A004352", VIN, CONFUSIONS)
    assert vector.count(None) == 1
    assert "".join(c for c in vector if c) == "1HGCM8263A004352"


def test_align_with_a_label_in_front_costs_little() -> None:
    vector, cost = align("VN" + VIN, VIN, CONFUSIONS)
    assert "".join(c or "?" for c in vector) == VIN
    assert cost <= 1.2


def test_votes_refuse_garbage() -> None:
    votes = Votes()
    with pytest.raises(ValueError, match="12-34"):
        votes.add("1HG")
    with pytest.raises(ValueError, match="clean"):
        votes.add("1HGCM82633A00435I")


def test_confidence_grows_with_agreeing_reads() -> None:
    one, three = Votes(), Votes()
    one.add(VIN)
    for _ in range(3):
        three.add(VIN)
    assert three.resolve().confidence > one.resolve().confidence
    assert three.resolve().confidence == pytest.approx(1.0)


def test_single_confusion_recovery_rate_on_generated_vins() -> None:
    """One look-alike substitution in a random North-American VIN: the check digit and
    the position rules find the original almost always (ties between equally cheap
    repairs are the misses)."""
    rng = random.Random(11)
    swaps = {"5": "S", "S": "5", "8": "B", "B": "8", "2": "Z", "Z": "2", "6": "G", "G": "6",
             "0": "D", "D": "0", "1": "L", "7": "T"}  # fmt: skip
    recovered = total = 0
    while total < 300:
        vin = random_vin(rng, wmi=rng.choice(["3N1", "3VW", "3G1", "1HG", "5YJ", "2T1"]))
        positions = [i for i, c in enumerate(vin) if c in swaps and i != 8]
        if not positions:
            continue
        i = rng.choice(positions)
        misread = vin[:i] + swaps[vin[i]] + vin[i + 1 :]
        if check_digit_ok(misread):
            continue  # the swap kept the same weight: nothing to detect
        total += 1
        recovered += resolve(misread) == vin
    assert recovered / total >= 0.85


def _vin_with_check(body: str, check: str) -> str:
    """`body` with its serial's last digits changed until its check digit is `check`."""
    for n in range(10000):
        vin = with_check_digit(body[:13] + f"{n:04d}")
        if vin[8] == check:
            return vin
    raise AssertionError("no such serial")


@pytest.mark.parametrize("body", ["JM1BL1SF0A1230000", "LSJW74U90MZ010000", "KNADN5120A6120000"])
def test_asian_check_digit_misread_as_a_letter_is_repaired(body: str) -> None:
    """Outside Europe the VINs sold in Mexico carry a check digit (China requires it)."""
    vin = _vin_with_check(body, "5")
    misread = vin[:8] + "S" + vin[9:]
    assert resolve(misread, misread, misread) == vin


def test_european_reads_that_agree_are_not_bent_into_a_check_digit() -> None:
    """A European maker may put any character at position 9: three reads saying "S" there
    are kept (not "repaired" into a 5), and the check digit vouches for nothing."""
    vin = _vin_with_check("ZHW8VDSH0KUF30000", "5")  # Italy
    misread = vin[:8] + "S" + vin[9:]
    votes = Votes()
    for _ in range(3):
        votes.add(misread)
    resolution = votes.resolve()
    assert resolution.vin == misread
    assert not resolution.verified and not resolution.check_digit_ok


def test_a_north_american_repair_is_verified_by_the_check_digit() -> None:
    vin = _vin_with_check("3N1CN7AP0KL810000", "5")
    votes = Votes()
    votes.add(vin[:8] + "S" + vin[9:])
    resolution = votes.resolve()
    assert resolution.vin == vin and resolution.check_digit_ok and resolution.verified


def test_a_european_repair_is_not_verified_by_the_check_digit() -> None:
    """One read of a European VIN "repaired" so the digit fits: the digit proves nothing."""
    vin = _vin_with_check("WBAXR4ST0JFR50000", "8")
    votes = Votes()
    votes.add(vin[:8] + "B" + vin[9:])
    resolution = votes.resolve()
    assert not resolution.verified


def test_rest_of_world_filler_vin_is_not_bent_into_a_check_digit() -> None:
    for vin in ("WVWZZZ1JZ3W386752", "WAUZZZ8K9BA123456", "TMBZZZ1Z2A1234567"):
        assert resolve(vin, vin, vin) == vin


def test_outside_north_america_a_repair_that_fits_the_digit_verifies_nothing() -> None:
    """Eight reads agree on an Indonesian VIN whose maker computes no check digit; the
    repair can make it pass by turning D into 0, but no read said that."""
    vin = "MHKFGDT13KV840702"
    assert not check_digit_ok(vin)
    votes = Votes()
    for _ in range(8):
        votes.add(vin)
    resolution = votes.resolve()
    assert not resolution.verified  # whichever is returned, the digit cannot vouch for it


def test_reads_split_between_look_alikes_do_not_vouch_for_a_vin() -> None:
    """Five reads say "6", three "G" at the same place: without a check digit that is a
    coin toss, however many reads agree on the rest (a MINI once read G as 6 at 0.879)."""
    from showroom.vin.plausible import reads_agree

    truth, misread = "WMWZZZ3PZ3GC34676", "WMWZZZ3PZ36C34676"
    votes = Votes()
    for read in [misread] * 5 + [truth] * 3:
        votes.add(read)
    resolution = votes.resolve()
    assert resolution.vin == misread and not resolution.verified
    assert votes.look_alike_dissent(misread) >= 0.25
    assert not reads_agree(resolution, votes)
    clear = Votes()
    for _ in range(6):
        clear.add(truth)
    assert reads_agree(clear.resolve(), clear)  # a clear photo still reads as sure
