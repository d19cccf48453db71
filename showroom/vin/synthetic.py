"""Synthetic VIN photos with known answers, for the OCR tests and `make bench-vin`.

Random but valid VINs (real WMIs, coherent year codes, correct check digit) drawn with
Debian's DejaVu and Liberation fonts on the layouts customers photograph: a typed page,
a door-jamb sticker with barcode, a stamped metal plate (light or dark), and a Mexican
registration card ("tarjeta de circulación") with its other fields around the NIV. Then
degraded like a phone photo: rotation, perspective, blur, motion blur, noise, glare,
uneven light, low contrast, JPEG. Everything follows one `random.Random`, so a seed
gives the same images every time.
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

from components.vin import ALPHABET, DIGITS, YEAR_CODES, with_check_digit
from showroom.vin.wmi import MANUFACTURERS

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


def random_vin(rng: random.Random, *, wmi: str | None = None, year: int | None = None) -> str:
    """A plausible VIN with a correct check digit (not a real vehicle)."""
    wmi = wmi or rng.choice(sorted(MANUFACTURERS))
    year = year or rng.randint(2001, 2025)
    letters = [c for c in ALPHABET if c.isalpha()]
    vds = [rng.choice(ALPHABET) for _ in range(5)]
    # North-American rule: position 7 is a letter from model year 2010 on, else a digit.
    vds[3] = rng.choice(letters) if year >= 2010 else rng.choice(DIGITS)
    year_code = YEAR_CODES[(year - 1980) % 30]
    plant = rng.choice(ALPHABET)
    serial = rng.choice(ALPHABET) + "".join(rng.choice(DIGITS) for _ in range(5))
    return with_check_digit(wmi + "".join(vds) + "0" + year_code + plant + serial)


def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    path = find_font(name) or find_font("DejaVuSans.ttf")
    if path is None:
        raise RuntimeError("no TrueType font found (install fonts-dejavu-core)")
    return ImageFont.truetype(str(path), size)


def _draw_spaced(
    draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str,
    font: ImageFont.FreeTypeFont, fill: Any, spacing: float,
) -> float:  # fmt: skip
    """Draw `text` with extra letter spacing; returns the x after the last character."""
    x, y = xy
    for char in text:
        draw.text((x, y), char, font=font, fill=fill)
        x += font.getlength(char) + spacing
    return x


def _text_width(text: str, font: ImageFont.FreeTypeFont, spacing: float) -> float:
    return sum(font.getlength(c) + spacing for c in text) - spacing


def _layout(vin: str, layout: str, font_name: str, size: int, rng: random.Random) -> Image.Image:
    """The flat document (before the photo is taken)."""
    vin_font = _font(font_name, size)
    small = _font(rng.choice(("DejaVuSans.ttf", "LiberationSans-Regular.ttf")), max(11, size // 2))
    spacing = rng.uniform(0, size * 0.25)
    vin_w = _text_width(vin, vin_font, spacing)
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
        _draw_spaced(draw, (x, size * 2), vin, vin_font, ink, spacing)
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
        _draw_spaced(draw, (margin, size * 2.2), vin, vin_font, ink, spacing)
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
        _draw_spaced(draw, (margin + 1.5, y + 1.5), vin, vin_font, shade, spacing)  # stamped
        _draw_spaced(draw, (margin, y), vin, vin_font, text_color, spacing)
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
    _draw_spaced(draw, (margin, size * 6.0), vin, vin_font, ink, spacing)
    draw.text(
        (margin, size * 7.6), f"MOTOR: HR16{rng.randint(100000, 999999)}", font=small, fill=ink
    )
    return image


def _dot_matrix(image: Image.Image, pitch: int) -> Image.Image:
    """Dot-peen look: keep the ink only on a grid of dots."""
    arr = np.asarray(image).astype(np.float32)
    gray = arr.mean(axis=2)
    background = np.median(gray)
    ys, xs = np.mgrid[0 : gray.shape[0], 0 : gray.shape[1]]
    dots = ((ys % pitch) < pitch * 0.6) & ((xs % pitch) < pitch * 0.6)
    ink = np.abs(gray - background) > 60
    arr[ink & ~dots] = background
    return Image.fromarray(arr.astype(np.uint8))


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
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=int(p["jpeg"]))
    data = buffer.getvalue()
    return Image.open(io.BytesIO(data)).convert("RGB"), data


def make_sample(
    vin: str,
    difficulty: str,
    rng: random.Random,
    *,
    layout: str | None = None,
    font: str | None = None,
    **overrides: float,
) -> Sample:
    """Render `vin` at `difficulty` ("easy" ... "extreme"); `layout`, `font` and any
    degradation (`size`, `rotate`, `persp`, `blur`, `noise`, `glare`, `contrast`, `jpeg`,
    `motion`, `dot_matrix`) may be fixed instead of drawn at random."""
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
    document = _layout(vin, layout, font, p["size"], rng)
    if p["dot_matrix"]:
        document = _dot_matrix(document, max(2, p["size"] // 8))
    image, jpeg = _photo(document, difficulty, rng, p)
    return Sample(vin, difficulty, layout, font, image, jpeg, p)


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
