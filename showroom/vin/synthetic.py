"""Synthetic VIN photos with known answers, for the OCR tests and `make bench-vin`.

Random but plausible VINs (`sample_vins.py`: real WMIs, coherent year codes, each built
the way its maker would; European ones often without a check digit) drawn with
Debian's DejaVu and Liberation fonts on the layouts customers photograph: a typed page,
a door-jamb sticker with barcode, a stamped metal plate (light or dark), and a Mexican
registration card ("tarjeta de circulación") with its other fields around the NIV. Then
degraded like a phone photo: rotation, perspective, blur, motion blur, noise, glare,
uneven light, low contrast, JPEG. Everything follows one `random.Random`, so a seed
gives the same images every time.

Beyond the graded levels, `CATEGORIES` names the hard cases real customers send: dot-peen
(dot-matrix) stamping, photos taken sideways or upside down (no EXIF to fix them), VINs
printed in groups with wide gaps ("3N1 CN7AD7 KL123456"), and phone JPEGs whose pixels are
stored rotated with an EXIF Orientation tag (what a loader that ignores EXIF gets wrong).
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from showroom.vin.sample_vins import random_vin, random_vin_and_year

__all__ = ["CATEGORIES", "DIFFICULTIES", "Sample", "make_category_sample", "make_sample",
           "make_samples", "random_vin", "random_vin_and_year"]  # fmt: skip

DIFFICULTIES = ("easy", "medium", "hard", "extreme")
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/truetype/liberation"),
)
_EASY_FONTS = ("DejaVuSansMono.ttf", "LiberationMono-Regular.ttf", "DejaVuSansMono-Bold.ttf",
               "LiberationSans-Regular.ttf", "DejaVuSans.ttf")  # fmt: skip
_MEDIUM_FONTS = ("LiberationMono-Bold.ttf", "LiberationSans-Bold.ttf",
                 "DejaVuSansCondensed.ttf", "DejaVuSans-Bold.ttf")  # fmt: skip
_HARD_FONTS = ("LiberationSerif-Regular.ttf", "DejaVuSerif.ttf",
               "DejaVuSansCondensed-Bold.ttf", "LiberationSans-Italic.ttf")  # fmt: skip
FONTS = {
    "easy": _EASY_FONTS,
    "medium": _EASY_FONTS + _MEDIUM_FONTS,
    "hard": _EASY_FONTS + _MEDIUM_FONTS + _HARD_FONTS,
    "extreme": _EASY_FONTS + _MEDIUM_FONTS + _HARD_FONTS,
}
LAYOUTS = {
    "easy": ("paper", "sticker", "card"),
    "medium": ("paper", "sticker", "card", "plate"),
    "hard": ("sticker", "card", "plate", "plate_dark"),
    "extreme": ("sticker", "card", "plate", "plate_dark"),
}
# (low, high) per difficulty for each degradation.
PARAMS: dict[str, dict[str, tuple[float, float]]] = {
    "easy": {"size": (34, 48), "rotate": (0, 2), "persp": (0, 0.02), "blur": (0, 0.5),
             "noise": (0, 3), "glare": (0, 0), "contrast": (0.9, 1.0), "jpeg": (85, 95),
             "motion": (0, 0)},
    "medium": {"size": (28, 40), "rotate": (0, 5), "persp": (0.01, 0.04), "blur": (0.3, 0.9),
               "noise": (2, 7), "glare": (0, 0.3), "contrast": (0.75, 1.0), "jpeg": (70, 90),
               "motion": (0, 0)},
    "hard": {"size": (22, 32), "rotate": (0, 10), "persp": (0.03, 0.07), "blur": (0.6, 1.2),
             "noise": (5, 11), "glare": (0.25, 0.5), "contrast": (0.6, 0.9), "jpeg": (55, 80),
             "motion": (2.5, 4)},
    "extreme": {"size": (16, 26), "rotate": (0, 20), "persp": (0.05, 0.1), "blur": (1.0, 1.8),
                "noise": (10, 18), "glare": (0.4, 0.7), "contrast": (0.45, 0.75),
                "jpeg": (40, 65), "motion": (4, 7)},
}  # fmt: skip
_NAMES = ("JUAN PEREZ LOPEZ", "MARIA GUADALUPE HERNANDEZ", "JOSE LUIS GARCIA RAMIREZ",
          "ANA SOFIA MARTINEZ CRUZ", "CARLOS ALBERTO TORRES DIAZ")  # fmt: skip
_STATES = ("NUEVO LEON", "JALISCO", "CIUDAD DE MEXICO", "PUEBLA", "ESTADO DE MEXICO")


@dataclass
class Sample:
    """One generated photo and its truth."""

    vin: str
    difficulty: str
    layout: str
    font: str
    image: Image.Image  # the photo, decoded
    jpeg: bytes  # the photo as a phone would send it
    params: dict[str, Any] = field(default_factory=dict)

    def save(self, path: Path) -> Path:
        path.write_bytes(self.jpeg)
        return path


@lru_cache(maxsize=64)
def find_font(name: str) -> Path | None:
    for directory in FONT_DIRS:
        if (directory / name).exists():
            return directory / name
    return None


def available_fonts(difficulty: str) -> list[str]:
    return [name for name in FONTS[difficulty] if find_font(name)]


def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    path = find_font(name) or find_font("DejaVuSans.ttf")
    if path is None:
        raise RuntimeError("no TrueType font found (install fonts-dejavu-core)")
    return ImageFont.truetype(str(path), size)


# Where a VIN printed in groups breaks: WMI | VDS + check digit | VIS ("3N1 CN7AD7 KL123456").
GROUP_BREAKS = (3, 9)


def _draw_spaced(
    draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str,
    font: ImageFont.FreeTypeFont, fill: Any, spacing: float, group_gap: float = 0.0,
) -> float:  # fmt: skip
    """Draw `text` with extra letter spacing (and `group_gap` pixels more at the VIN's group
    breaks); returns the x after the last character."""
    x, y = xy
    for index, char in enumerate(text):
        if group_gap and index in GROUP_BREAKS:
            x += group_gap
        draw.text((x, y), char, font=font, fill=fill)
        x += font.getlength(char) + spacing
    return x


def _text_width(
    text: str, font: ImageFont.FreeTypeFont, spacing: float, group_gap: float = 0.0
) -> float:
    gaps = group_gap * sum(1 for b in GROUP_BREAKS if b < len(text))
    return sum(font.getlength(c) + spacing for c in text) - spacing + gaps


def _layout(
    vin: str, layout: str, font_name: str, size: int, rng: random.Random, group_gap: float = 0.0
) -> Image.Image:
    """The flat document (before the photo is taken). `group_gap`: extra space at the VIN's
    group breaks, in character heights (0: printed as one word)."""
    vin_font = _font(font_name, size)
    small = _font(rng.choice(("DejaVuSans.ttf", "LiberationSans-Regular.ttf")), max(11, size // 2))
    spacing = rng.uniform(0, size * 0.25)
    gap = group_gap * size
    vin_w = _text_width(vin, vin_font, spacing, gap)
    margin = int(size * rng.uniform(1.0, 2.0))
    width = int(vin_w + 2 * margin + (size * 4 if layout == "card" else 0))
    ink: Any = (rng.randint(0, 40),) * 3
    if layout == "paper":
        height = int(size * 5)
        bg = (rng.randint(225, 255), rng.randint(225, 250), rng.randint(215, 245))
        label = rng.choice(("VIN: ", "NIV: ", "", "No. de serie: "))
        image = Image.new("RGB", (width + int(vin_font.getlength(label)), height), bg)
        draw = ImageDraw.Draw(image)
        draw.text((margin, size * 0.6), "Datos del vehículo", font=small, fill=ink)
        x = _draw_spaced(draw, (margin, size * 2), label, vin_font, ink, 0) if label else margin
        _draw_spaced(draw, (x, size * 2), vin, vin_font, ink, spacing, gap)
        return image
    if layout == "sticker":
        height = int(size * 6.5)
        bg = (rng.randint(215, 250),) * 3
        image = Image.new("RGB", (width, height), bg)
        draw = ImageDraw.Draw(image)
        draw.rectangle((3, 3, width - 4, height - 4), outline=ink, width=2)
        maker = rng.choice(("NISSAN MEXICANA", "VOLKSWAGEN DE MEXICO", "GENERAL MOTORS"))
        draw.text((margin, size * 0.4), f"MFD. BY {maker} 05/19", font=small, fill=ink)
        draw.text((margin, size * 1.1), "GVWR 1850 KG  GAWR FR 990 KG", font=small, fill=ink)
        _draw_spaced(draw, (margin, size * 2.2), vin, vin_font, ink, spacing, gap)
        x = margin
        while x < min(width - margin, margin + vin_w):  # barcode
            bar = rng.randint(1, max(2, size // 10))
            if rng.random() < 0.55:
                draw.rectangle((x, size * 3.7, x + bar - 1, size * 5.6), fill=ink)
            x += bar
        return image
    if layout in ("plate", "plate_dark"):
        height = int(size * 4.5)
        dark = layout == "plate_dark"
        base = rng.randint(35, 70) if dark else rng.randint(150, 200)
        gradient = np.linspace(-20, 20, width)[None, :, None]
        plate = np.clip(base + gradient + np.zeros((height, width, 3)), 0, 255).astype(np.uint8)
        image = Image.fromarray(plate)
        draw = ImageDraw.Draw(image)
        text_color: Any = (rng.randint(200, 240),) * 3 if dark else (rng.randint(10, 50),) * 3
        shade: Any = (base - 30,) * 3 if not dark else (base + 40,) * 3
        for cx in (size * 0.5, width - size * 0.5):
            draw.ellipse((cx - 6, size * 0.5 - 6, cx + 6, size * 0.5 + 6), fill=shade)
        draw.text(
            (margin, size * 0.4), "VEHICLE IDENTIFICATION NUMBER", font=small, fill=text_color
        )
        y = size * 1.6
        _draw_spaced(draw, (margin + 1.5, y + 1.5), vin, vin_font, shade, spacing, gap)  # stamped
        _draw_spaced(draw, (margin, y), vin, vin_font, text_color, spacing, gap)
        return image
    # card: tarjeta de circulación
    height = int(size * 10)
    bg = rng.choice(((226, 240, 230), (225, 233, 245), (245, 240, 225)))
    card = np.full((height, width, 3), bg, dtype=np.float32)
    xs = np.arange(width)[None, :]
    ys = np.arange(height)[:, None]
    card -= (8 * (np.sin(xs / 9.0 + 3 * np.sin(ys / 23.0)) > 0.9))[..., None]  # guilloche
    image = Image.fromarray(np.clip(card, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    lines = (
        f"TARJETA DE CIRCULACION  -  {rng.choice(_STATES)}",
        f"PROPIETARIO: {rng.choice(_NAMES)}",
        f"MARCA: {rng.choice(('NISSAN', 'CHEVROLET', 'VOLKSWAGEN'))}"
        f"   MODELO: {rng.randint(2005, 2024)}",
        f"PLACA: {rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}{rng.choice('ABCDEFGHJKLMNP')}"
        f"{rng.choice('ABCDE')}-{rng.randint(100, 999)}-{rng.choice('ABCDE')}",
    )
    for i, line in enumerate(lines):
        draw.text((margin, size * (0.5 + 1.0 * i)), line, font=small, fill=ink)
    label = rng.choice(("NIV: ", "NUMERO DE SERIE: ", "SERIE: "))
    draw.text((margin, size * 5.2), label, font=small, fill=ink)
    _draw_spaced(draw, (margin, size * 6.0), vin, vin_font, ink, spacing, gap)
    draw.text(
        (margin, size * 7.6), f"MOTOR: HR16{rng.randint(100000, 999999)}", font=small, fill=ink
    )
    return image


def _dot_matrix(image: Image.Image, pitch: int) -> Image.Image:
    """Dot-peen look: the ink resampled on a grid of round, separate dots (a stamping
    machine's 5x7-ish matrix), the strokes between them gone."""
    arr = np.asarray(image).astype(np.float32)
    gray = arr.mean(axis=2)
    background = float(np.median(gray))
    ink = np.abs(gray - background) > 60
    if not ink.any():
        return image
    ink_color = tuple(int(v) for v in np.median(arr[ink], axis=0))
    paper = np.median(arr[~ink], axis=0) if (~ink).any() else np.full(3, background)
    out = arr.copy()
    out[ink] = paper  # strokes removed; the plate's own texture stays around them
    h, w = gray.shape
    grid = (max(1, w // pitch), max(1, h // pitch))
    cells = cv2.resize(ink.astype(np.float32), grid, interpolation=cv2.INTER_AREA)
    radius = max(1, round(pitch * 0.34))
    for cy, cx in zip(*np.nonzero(cells > 0.35), strict=True):
        center = (int(cx * pitch + pitch / 2), int(cy * pitch + pitch / 2))
        cv2.circle(out, center, radius, ink_color, thickness=-1, lineType=cv2.LINE_AA)
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))


def _photo(
    image: Image.Image, difficulty: str, rng: random.Random, p: dict[str, Any]
) -> tuple[Image.Image, bytes]:
    """Take the document's picture: pose, optics, light, sensor, WhatsApp's JPEG."""
    ranges = PARAMS[difficulty]
    arr = np.asarray(image).astype(np.float32)
    h, w = arr.shape[:2]
    pad = int(max(h, w) * rng.uniform(0.08, 0.3))
    table = np.array([rng.randint(60, 200) for _ in range(3)], dtype=np.float32)
    canvas = np.empty((h + 2 * pad, w + 2 * pad, 3), dtype=np.float32)
    canvas[:] = table
    canvas[pad : pad + h, pad : pad + w] = arr
    ch, cw = canvas.shape[:2]
    # perspective + rotation in one warp
    jitter = p["persp"] * min(h, w) * 2
    src = np.array([[pad, pad], [pad + w, pad], [pad + w, pad + h], [pad, pad + h]], np.float32)
    shift = [[rng.uniform(-jitter, jitter) for _ in range(2)] for _ in range(4)]
    angle = math.radians(p["rotate"])
    center = np.array([cw / 2, ch / 2], np.float32)
    rot = np.array(
        [[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]], np.float32
    )
    dst = (src + np.array(shift, np.float32) - center) @ rot.T + center
    matrix = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    canvas = np.asarray(
        cv2.warpPerspective(canvas, matrix, (cw, ch), borderMode=cv2.BORDER_REPLICATE),
        np.float32,
    )
    # light: uneven illumination, glare spot, contrast
    yy, xx = np.mgrid[0:ch, 0:cw].astype(np.float32)
    if rng.random() < 0.5:
        direction = rng.uniform(0, 2 * math.pi)
        ramp = (xx * math.cos(direction) + yy * math.sin(direction)) / max(ch, cw)
        canvas *= (1 - 0.35 * (ramp - ramp.min()) * (ranges["contrast"][1] - p["contrast"] + 0.3))[
            ..., None
        ]
    mean = canvas.mean()
    canvas = mean + (canvas - mean) * p["contrast"]
    if p["glare"] > 0:
        gx, gy = rng.uniform(0.2, 0.8) * cw, rng.uniform(0.3, 0.7) * ch
        sigma = rng.uniform(0.08, 0.2) * max(cw, ch)
        spot = np.exp(-((xx - gx) ** 2 + (yy - gy) ** 2) / (2 * sigma**2))
        canvas += (255 * p["glare"] * spot)[..., None]
    # optics
    if p.get("motion", 0) > 1:
        k = int(p["motion"])
        kernel = np.zeros((k, k), np.float32)
        kernel[k // 2, :] = 1.0 / k
        rotation = cv2.getRotationMatrix2D((k / 2 - 0.5, k / 2 - 0.5), rng.uniform(0, 180), 1.0)
        kernel = np.asarray(cv2.warpAffine(kernel, rotation, (k, k)), np.float32)
        blurred = cv2.filter2D(canvas, -1, kernel / max(float(kernel.sum()), 1e-6))
        canvas = np.asarray(blurred, np.float32)
    if p["blur"] > 0.05:
        canvas = np.asarray(cv2.GaussianBlur(canvas, (0, 0), p["blur"]), np.float32)
    canvas += np.random.default_rng(rng.randint(0, 2**31)).normal(0, p["noise"], canvas.shape)
    photo = Image.fromarray(np.clip(canvas, 0, 255).astype(np.uint8))
    if p.get("orientation"):  # the phone held sideways or upside down, no EXIF to say so
        photo = photo.rotate(int(p["orientation"]), expand=True)
    extra: dict[str, Any] = {}
    tag = int(p.get("exif_orientation") or 0)
    if tag in _STORED_FOR_EXIF:  # pixels stored as the sensor saw them, the tag says how
        photo = photo.transpose(_STORED_FOR_EXIF[tag])  # to turn them for display
        exif = Image.Exif()
        exif[_EXIF_ORIENTATION] = tag
        extra["exif"] = exif.tobytes()
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=int(p["jpeg"]), **extra)
    data = buffer.getvalue()
    return Image.open(io.BytesIO(data)).convert("RGB"), data


_EXIF_ORIENTATION = 0x0112
# EXIF Orientation value -> how the stored pixels differ from the upright photo (a viewer,
# or Pillow's `exif_transpose`, undoes it).
_STORED_FOR_EXIF = {
    3: Image.Transpose.ROTATE_180,
    6: Image.Transpose.ROTATE_90,
    8: Image.Transpose.ROTATE_270,
}


def make_sample(
    vin: str,
    difficulty: str,
    rng: random.Random,
    *,
    layout: str | None = None,
    font: str | None = None,
    orientation: int = 0,
    exif_orientation: int = 0,
    group_gap: float = 0.0,
    **overrides: float,
) -> Sample:
    """Render `vin` at `difficulty` ("easy" ... "extreme"); `layout`, `font` and any
    degradation (`size`, `rotate`, `persp`, `blur`, `noise`, `glare`, `contrast`, `jpeg`,
    `motion`, `dot_matrix`) may be fixed instead of drawn at random.

    `orientation`: the finished photo turned by 90, 180 or 270 degrees (counter-clockwise)
    with no EXIF tag; `exif_orientation`: an EXIF Orientation value (3, 6, 8) with the
    pixels stored accordingly (upright once the tag is applied); `group_gap`: the VIN drawn
    in three groups with this many character heights between them."""
    if orientation not in (0, 90, 180, 270):
        raise ValueError("orientation must be 0, 90, 180 or 270")
    if exif_orientation not in (0, 1, *_STORED_FOR_EXIF):
        raise ValueError("exif_orientation must be 1, 3, 6 or 8 (or 0 for none)")
    ranges = PARAMS[difficulty]
    font = font or rng.choice(available_fonts(difficulty))
    layout = layout or rng.choice(LAYOUTS[difficulty])
    p: dict[str, Any] = {key: rng.uniform(*span) for key, span in ranges.items()}
    p["rotate"] *= rng.choice((-1, 1))
    if rng.random() > {"easy": 0.0, "medium": 0.4, "hard": 0.6, "extreme": 0.8}[difficulty]:
        p["glare"] = 0.0
    if rng.random() > {"easy": 0.0, "medium": 0.0, "hard": 0.3, "extreme": 0.35}[difficulty]:
        p["motion"] = 0.0
    dot_matrix = difficulty == "extreme" and rng.random() < 0.4
    p["dot_matrix"] = bool(overrides.pop("dot_matrix", dot_matrix))
    p.update(overrides)
    p["size"] = int(p["size"])
    p.update(orientation=orientation, exif_orientation=exif_orientation, group_gap=group_gap)
    document = _layout(vin, layout, font, p["size"], rng, group_gap)
    if p["dot_matrix"]:
        # stamped text only: a sticker's barcode is printed, not peened
        until = int(p["size"] * 3.5) if layout == "sticker" else document.height
        stamped = _dot_matrix(
            document.crop((0, 0, document.width, until)), max(3, round(p["size"] / 9))
        )
        document.paste(stamped, (0, 0))
    image, jpeg = _photo(document, difficulty, rng, p)
    return Sample(vin, difficulty, layout, font, image, jpeg, p)


# Hard cases on top of a level's degradations: (level, fixed options). `make bench-vin`
# reports each as its own row.
CATEGORIES: dict[str, tuple[str, dict[str, Any]]] = {
    "dot_matrix": ("medium", {"dot_matrix": True}),
    "rotated_90": ("medium", {"orientation": 90}),
    "rotated_180": ("medium", {"orientation": 180}),
    "rotated_270": ("medium", {"orientation": 270}),
    "wide_gaps": ("medium", {"group_gap": 2.2}),
    "exif_rotated": ("medium", {"exif_orientation": 6}),
}


def make_category_sample(vin: str, category: str, rng: random.Random) -> Sample:
    """A sample of one of `CATEGORIES` (the options vary a little within each)."""
    level, options = CATEGORIES[category]
    options = dict(options)
    if "group_gap" in options:
        options["group_gap"] = rng.uniform(1.0, 2.2)
    if "exif_orientation" in options:
        options["exif_orientation"] = rng.choice((3, 6, 8))
    return make_sample(vin, level, rng, **options)


def make_samples(
    count: int, seed: int, difficulties: tuple[str, ...] = DIFFICULTIES
) -> list[Sample]:
    """`count` samples split evenly (round-robin) over `difficulties`, reproducible."""
    rng = random.Random(seed)  # noqa: S311 - test images, not secrets
    samples = []
    for i in range(count):
        difficulty = difficulties[i % len(difficulties)]
        samples.append(make_sample(random_vin(rng), difficulty, rng))
    return samples
