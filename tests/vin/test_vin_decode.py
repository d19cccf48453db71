"""Offline decoding: WMI table, countries, model year, plant, the customer's sentence."""

from __future__ import annotations

from datetime import date

import pytest

from components.vin import check_digit_ok, with_check_digit
from showroom.inventory.vocabulary import BRAND_ALIASES, canonical_brand
from showroom.vin.decode import (
    decode,
    describe_es,
    follows_position_7_rule,
    model_year,
    model_years,
)
from showroom.vin.wmi import MANUFACTURERS, country_for, lookup

TODAY = date(2026, 6, 1)


@pytest.mark.parametrize(
    ("wmi", "make", "country"),
    [
        ("3N1", "Nissan", "MX"), ("3VW", "Volkswagen", "MX"), ("3G1", "Chevrolet", "MX"),
        ("3GN", "Chevrolet", "MX"), ("3KP", "Kia", "MX"), ("3MZ", "Mazda", "MX"),
        ("3HG", "Honda", "MX"), ("3FA", "Ford", "MX"), ("MR0", "Toyota", "TH"),
        ("LGX", "BYD", "CN"), ("LSJ", "MG", "CN"), ("LVV", "Chirey", "CN"), ("LJ1", "JAC", "CN"),
        ("MA3", "Suzuki", "IN"), ("9BW", "Volkswagen", "BR"), ("WVW", "Volkswagen", "DE"),
        ("VSS", "SEAT", "ES"), ("JTD", "Toyota", "JP"), ("KNA", "Kia", "KR"),
        ("1G1", "Chevrolet", "US"), ("2T1", "Toyota", "CA"), ("3C6", "RAM", "MX"),
    ],
)  # fmt: skip
def test_wmi_table_knows_the_makes_sold_in_mexico(wmi: str, make: str, country: str) -> None:
    entry = lookup(wmi)
    assert entry is not None
    assert entry.makes[0] == make
    assert entry.country_code == country


def test_every_make_is_spelled_like_the_inventory() -> None:
    for entry in MANUFACTURERS.values():
        for make in entry.makes:
            assert canonical_brand(make) == make, entry.wmi
    known = {make for entry in MANUFACTURERS.values() for make in entry.makes}
    for brand in ("Volkswagen", "Chevrolet", "Nissan", "Toyota", "Chirey", "GWM", "RAM"):
        assert brand in BRAND_ALIASES
        assert brand in known


@pytest.mark.parametrize(
    ("wmi", "country"),
    [("3AB", "MX"), ("1ZZ", "US"), ("2ZZ", "CA"), ("JZZ", "JP"), ("KLZ", "KR"), ("LZZ", "CN"),
     ("WZZ", "DE"), ("VF9", "FR"), ("VSZ", "ES"), ("ZAZ", "IT"), ("9BZ", "BR"), ("8AZ", "AR"),
     ("MLZ", "TH"), ("MAZ", "IN"), ("SAZ", "GB"), ("YSZ", "SE"), ("3Z0", None), ("IZZ", None)],
)  # fmt: skip
def test_country_from_the_iso_3780_regions(wmi: str, country: str | None) -> None:
    assert country_for(wmi) == country


def test_model_year_position_7_picks_the_cycle_in_the_us_and_canada() -> None:
    assert model_year("1HGCM82633A004352", today=TODAY) == 2003  # '3', position 7 digit
    assert model_year("1G1ZT53826F109149", today=TODAY) == 2006
    assert model_year("1M8GDM9AXKP042788", today=TODAY) == 1989  # 'K', position 7 digit
    assert model_year("2T1BU4EE0DC000001", today=TODAY) == 2013  # Canada, letter
    for vin in ("1M8GDM9AXKP042788", "2T1BU4EE0DC000001"):
        assert decode(vin, today=TODAY).model_year_alternatives == ()  # no need to ask


# Real Mexican-market VINs (valid check digits) whose position 7 breaks the US rule: a
# digit there read the US way makes a 2015 Tsuru a 1985 car.
MEXICAN_VINS = [
    ("3N1EB31S3FK311461", "Nissan", 2015, 1985),  # Tsuru 2015
    ("3N1EB31S5HK352032", "Nissan", 2017, 1987),  # Tsuru 2017
    ("3N6DD23T2CK010207", "Nissan", 2012, 1982),  # NP300 2012
]


@pytest.mark.parametrize(("vin", "make", "year", "other"), MEXICAN_VINS)
def test_mexican_vins_take_the_latest_year_and_keep_the_other_to_ask(
    vin: str, make: str, year: int, other: int
) -> None:
    assert check_digit_ok(vin)
    info = decode(vin, today=TODAY)
    assert (info.make, info.model_year, info.country) == (make, year, "México")
    assert info.model_year_alternatives == (other,) and not info.model_year_certain
    assert describe_es(info) == f"{make}, año modelo {year}, armado en México"


def test_mexican_plants_that_build_to_the_us_rule_use_position_7() -> None:
    kia = with_check_digit("3KPA24AD0LE000001")  # Pesquería: letter at 7, 'L' -> 2020
    assert follows_position_7_rule(kia) and not follows_position_7_rule("3N1EB31S3FK311461")
    info = decode(kia, today=TODAY)
    assert info.model_year == 2020 and info.model_year_certain


def test_model_year_elsewhere_is_the_most_recent_possible() -> None:
    assert model_year("JTDKN3DU0A0123456", today=TODAY) == 2010
    assert model_year("WVWZZZ1JZ3W386752", today=TODAY) == 2003
    assert model_years("WVWZZZ1JZ3W386752", today=TODAY) == (2003,)  # 2033: the future
    assert model_year("LGXC16AF7N0012345", today=TODAY) == 2022
    assert model_years("LGXC16AF7N0012345", today=TODAY) == (2022, 1992)
    assert model_year("LGXC16AF7T0012345", today=TODAY) == 2026
    assert model_year("LGXC16AF7V0012345", today=TODAY) == 2027  # next year's models
    assert model_year("LGXC16AF7T0012345", today=date(2024, 7, 1)) == 1996
    assert model_years("JTDKN3DU0A0123456", today=TODAY) == (2010,)  # 1980: no 17-char VIN


def test_model_year_never_in_the_future() -> None:
    assert model_year("3N1CN7APXVL812345", today=date(2025, 1, 1)) == 1997
    assert model_year("3N1CN7APXVL812345", today=date(2026, 9, 1)) == 2027
    assert model_years("1N4AL11D0VC000001", today=date(2025, 1, 1)) == (1997,)  # US: '1'


@pytest.mark.parametrize("code", ["U", "Z", "0"])
def test_model_year_unknown_codes(code: str) -> None:
    assert model_year(f"JTDKN3DU0{code}0123456", today=TODAY) is None


def test_decode_nissan_mexico_reads_for_the_customer() -> None:
    vin = with_check_digit("3N1CN7AP0KL812345")
    info = decode(vin, today=TODAY)
    assert info.valid and info.check_digit_ok
    assert (info.make, info.model_year, info.country) == ("Nissan", 2019, "México")
    assert (info.wmi, info.plant_code, info.serial) == ("3N1", "L", "812345")
    assert describe_es(info) == "Nissan, año modelo 2019, armado en México"


def test_decode_volkswagen_puebla_names_the_plant() -> None:
    info = decode(with_check_digit("3VWFE21C04M000001"), today=TODAY)
    assert info.plant == "Puebla"
    assert describe_es(info) == "Volkswagen, año modelo 2004, armado en Puebla, México"


def test_decode_ambiguous_wmi_lists_the_brands_and_sets_no_make() -> None:
    info = decode(with_check_digit("3C4NJDBB0JT123456"), today=TODAY)
    assert info.make is None
    assert info.possible_makes == ("Jeep", "Dodge", "Chrysler")
    assert describe_es(info).startswith("Jeep, Dodge o Chrysler, año modelo 2018")


def test_decode_unknown_wmi_still_gives_country_and_year() -> None:
    info = decode(with_check_digit("3WX5A1CD0KM123456"), today=TODAY)
    assert info.make is None and info.manufacturer is None
    assert describe_es(info) == "Marca no identificada, año modelo 2019, armado en México"


def test_decode_european_vin_without_check_digit_is_valid_with_warning() -> None:
    info = decode("WVWZZZ1JZ3W386752", today=TODAY)
    assert info.valid and not info.check_digit_ok
    assert info.warnings == ("check_digit_mismatch",)
    assert describe_es(info) == "Volkswagen, año modelo 2003, armado en Alemania"


def test_decode_bad_input_does_not_raise() -> None:
    assert decode("3N1").error == "length"
    assert decode("").error == "length"
    info = decode("3N1CN7AP0KL81234Ñ")
    assert info.error == "characters" and info.model_year is None
    assert decode("3n1cn7ap0kl812345").vin == "3N1CN7AP0KL812345"
