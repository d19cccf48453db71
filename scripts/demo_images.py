"""Draw the demo's placeholder photos into showroom/console/static/demo/ (committed PNGs).

The demo inventory has no real photos; a card with a broken image looks worse than an
honest "Imagen ilustrativa". One picture per body type and per parts category, served by
the web app under /static/demo/ (`showroom demo load` points the demo rows at them).

    .venv/bin/python scripts/demo_images.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from showroom.inventory.demo_media import PART_CATEGORIES, VEHICLE_BODY_TYPES, slug

OUT = Path(__file__).resolve().parents[1] / "showroom" / "console" / "static" / "demo"
SIZE = (640, 400)
BACKGROUND = (236, 240, 244)
INK = (58, 76, 96)
ACCENT = (120, 144, 170)
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

TITLES = {
    "sedan": "Sedán",
    "hatchback": "Hatchback",
    "suv": "SUV",
    "pickup": "Pickup",
    "van": "Van",
    "coupe": "Coupé",
}
# Side profiles on a 640x400 canvas: (x, y) points of the body, wheel centres.
BODIES: dict[str, tuple[list[tuple[int, int]], list[int]]] = {
    "sedan": (
        [
            (70, 250),
            (90, 205),
            (200, 195),
            (260, 140),
            (410, 140),
            (480, 195),
            (570, 210),
            (580, 250),
        ],
        [170, 480],
    ),
    "hatchback": (
        [
            (90, 250),
            (100, 200),
            (200, 190),
            (250, 135),
            (430, 135),
            (500, 185),
            (545, 200),
            (550, 250),
        ],
        [185, 460],
    ),
    "suv": (
        [
            (70, 255),
            (75, 180),
            (150, 170),
            (200, 110),
            (470, 110),
            (540, 170),
            (575, 185),
            (580, 255),
        ],
        [170, 480],
    ),
    "pickup": (
        [
            (50, 255),
            (55, 185),
            (150, 175),
            (190, 115),
            (330, 115),
            (345, 175),
            (590, 175),
            (595, 255),
        ],
        [160, 490],
    ),
    "van": ([(70, 260), (75, 120), (110, 80), (540, 80), (575, 150), (580, 260)], [175, 480]),
    "coupe": (
        [
            (60, 250),
            (80, 210),
            (220, 195),
            (300, 145),
            (420, 145),
            (500, 200),
            (585, 215),
            (590, 250),
        ],
        [170, 490],
    ),
}


def _caption(draw: ImageDraw.ImageDraw, title: str) -> None:
    big = ImageFont.truetype(FONT, 30)
    small = ImageFont.truetype(FONT, 18)
    draw.text((SIZE[0] // 2, 320), title, font=big, fill=INK, anchor="mm")
    draw.text((SIZE[0] // 2, 360), "Imagen ilustrativa", font=small, fill=ACCENT, anchor="mm")


def vehicle(body_type: str) -> Image.Image:
    image = Image.new("RGB", SIZE, BACKGROUND)
    draw = ImageDraw.Draw(image)
    outline, wheels = BODIES[body_type]
    draw.polygon(outline, fill=ACCENT, outline=INK)
    for x in wheels:
        draw.ellipse((x - 38, 217, x + 38, 293), fill=INK)
        draw.ellipse((x - 16, 239, x + 16, 271), fill=BACKGROUND)
    _caption(draw, TITLES[body_type])
    return image


def part(category: str) -> Image.Image:
    image = Image.new("RGB", SIZE, BACKGROUND)
    draw = ImageDraw.Draw(image)
    # A generic gear: the same for every category, the caption says which.
    centre, radius = (SIZE[0] // 2, 160), 95
    for angle in range(0, 360, 45):
        tooth = Image.new("RGBA", SIZE, (0, 0, 0, 0))
        ImageDraw.Draw(tooth).rectangle(
            (centre[0] - 22, centre[1] - radius - 28, centre[0] + 22, centre[1]), fill=INK
        )
        image.paste(tooth.rotate(angle, center=centre), (0, 0), tooth.rotate(angle, center=centre))
    draw.ellipse(
        (centre[0] - radius, centre[1] - radius, centre[0] + radius, centre[1] + radius),
        fill=ACCENT,
        outline=INK,
        width=6,
    )
    draw.ellipse((centre[0] - 35, centre[1] - 35, centre[0] + 35, centre[1] + 35), fill=BACKGROUND)
    _caption(draw, category)
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for body_type in VEHICLE_BODY_TYPES:
        vehicle(body_type).save(OUT / f"vehicle-{body_type}.png", optimize=True)
    for category in PART_CATEGORIES:
        part(category).save(OUT / f"part-{slug(category)}.png", optimize=True)
    part("Refacción").save(OUT / "part-refaccion.png", optimize=True)
    print(f"wrote {len(VEHICLE_BODY_TYPES) + len(PART_CATEGORIES) + 1} images in {OUT}")


if __name__ == "__main__":
    main()
