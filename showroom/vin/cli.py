"""`showroom vin scan IMAGE...` and `showroom vin decode VIN...`.

`scan` prints one JSON line per image, in the order given, as soon as it is read, with
exactly the keys `image`, `vin`, `valid`, `check_digit_ok`, `make`, `model_year`,
`confidence`, `elapsed_ms`; a line without a VIN adds `error` (the reason). A bad image
(missing, not an image, truncated, too large, a decompression bomb) gets its line with
`"vin": null` and the command goes on. The exit code is 0 when every argument could be
read as an image (whether or not a VIN was found), and 1 when some could not (or OCR is
not installed): after all the lines, one line per such image and a summary go to stderr.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from showroom.vin.decode import decode, describe_es

DEFAULT_TIMEOUT_S = 8.0  # the same as showroom.vin.scan's (not imported: OpenCV is slow
# to load, and every `showroom` command imports this module)


def register(main: click.Group) -> None:
    group = main.commands["vin"]
    assert isinstance(group, click.Group)

    @group.command("scan")
    @click.argument("images", nargs=-1, required=True, type=click.Path(path_type=str))
    @click.option(
        "--timeout",
        "timeout_s",
        type=click.FloatRange(0.5, 120),
        default=DEFAULT_TIMEOUT_S,
        show_default=True,
        help="OCR time limit per image, in seconds.",
    )
    @click.option("--no-cache", is_flag=True, help="Read every image again (no result cache).")
    def scan(images: tuple[str, ...], timeout_s: float, no_cache: bool) -> None:
        """Read the VIN in each IMAGE: one JSON line per image, in order."""
        from showroom.vin.scan import OCR_UNAVAILABLE, scan_image

        problems: list[str] = []
        for image in images:
            result = scan_image(Path(image), timeout_s=timeout_s, cache=not no_cache)
            payload = result.as_json()
            payload["image"] = image  # exactly as given
            click.echo(json.dumps(payload, ensure_ascii=False))
            if result.bad_input or result.error_code == OCR_UNAVAILABLE:
                problems.append(f"{image}: {result.error}")
        for problem in problems:
            click.echo(problem, err=True)
        if problems:
            raise click.ClickException(f"{len(problems)} of {len(images)} images could not be read")

    @group.command("decode")
    @click.argument("vins", nargs=-1, required=True)
    def decode_command(vins: tuple[str, ...]) -> None:
        """Decode VINs offline: one JSON line per VIN (manufacturer, year, plant...)."""
        for text in vins:
            info = decode(text)
            click.echo(
                json.dumps(
                    {
                        "vin": info.vin,
                        "valid": info.valid,
                        "check_digit_ok": info.check_digit_ok,
                        "error": info.error,
                        "warnings": list(info.warnings),
                        "make": info.make,
                        "possible_makes": list(info.possible_makes),
                        "manufacturer": info.manufacturer,
                        "country": info.country,
                        "model_year": info.model_year,
                        "model_year_alternatives": list(info.model_year_alternatives),
                        "plant_code": info.plant_code,
                        "plant": info.plant,
                        "serial": info.serial,
                        "description": describe_es(info),
                    },
                    ensure_ascii=False,
                )
            )
