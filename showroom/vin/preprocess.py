"""Image clean-up before OCR: scale, deskew, contrast, thresholding, crops.

All functions take and return 2-D uint8 arrays (grayscale or binary 0/255) and never
modify their input. Binary images always have dark text on a light background, which is
what Tesseract reads best.
"""

from __future__ import annotations

import cv2
import numpy as np

DETECT_SIDE = 1600  # longest side for finding the text: enough for 20 px characters


def resize_longest(gray: np.ndarray, side: int) -> tuple[np.ndarray, float]:
    """Scale so the longest side is `side` (down or up); returns (image, factor)."""
    h, w = gray.shape
    factor = side / max(h, w)
    if abs(factor - 1) < 0.02:
        return gray, 1.0
    interpolation = cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC
    size = (max(1, round(w * factor)), max(1, round(h * factor)))
    return cv2.resize(gray, size, interpolation=interpolation), factor


def scale(gray: np.ndarray, factor: float) -> np.ndarray:
    if abs(factor - 1) < 0.02:
        return gray
    interpolation = cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC
    h, w = gray.shape
    size = (max(1, round(w * factor)), max(1, round(h * factor)))
    return cv2.resize(gray, size, interpolation=interpolation)


def enhance(gray: np.ndarray) -> np.ndarray:
    """Local contrast (CLAHE): lifts text out of glare and shadows without blowing up noise."""
    clahe = cv2.createCLAHE(clipLimit=2.5, tileGridSize=(8, 8))
    return clahe.apply(gray)


def denoise(gray: np.ndarray) -> np.ndarray:
    """Edge-preserving smoothing of sensor and JPEG noise."""
    return cv2.bilateralFilter(gray, 5, 40, 5)


def dark_text(binary: np.ndarray) -> np.ndarray:
    """Invert a binary image whose text is light (dark plates): ink is the minority."""
    return cv2.bitwise_not(binary) if np.count_nonzero(binary == 0) > binary.size / 2 else binary


def otsu(gray: np.ndarray) -> np.ndarray:
    blurred = cv2.GaussianBlur(gray, (3, 3), 0)
    _, binary = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return dark_text(binary)


def adaptive(gray: np.ndarray, block: int | None = None, offset: int = 10) -> np.ndarray:
    """Local threshold: survives glare and uneven light that defeat one global threshold."""
    if block is None:
        block = max(15, (min(gray.shape) // 12) | 1)
    block |= 1
    binary = cv2.adaptiveThreshold(
        gray, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, block, offset
    )
    inverted = cv2.adaptiveThreshold(
        gray, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY_INV, block, offset
    )
    # Pick the polarity whose ink is the minority (light text on dark plates).
    return binary if np.count_nonzero(binary == 0) <= np.count_nonzero(inverted == 0) else inverted


def rotate(gray: np.ndarray, angle: float) -> np.ndarray:
    """Rotate by `angle` degrees (counter-clockwise) on an enlarged canvas.

    The new corners are filled with the image's median gray: replicated edges would draw
    streaks that look like text to the OCR.
    """
    if abs(angle) < 0.05:
        return gray
    h, w = gray.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    new_w, new_h = int(h * sin + w * cos), int(h * cos + w * sin)
    matrix[0, 2] += new_w / 2 - w / 2
    matrix[1, 2] += new_h / 2 - h / 2
    fill = int(np.median(gray))
    return cv2.warpAffine(
        gray,
        matrix,
        (new_w, new_h),
        flags=cv2.INTER_CUBIC,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=fill,
    )


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Character-sized ink blobs as white on black (document edges, bars, dots removed)."""
    ink = cv2.bitwise_not(adaptive(gray, offset=12))
    _count, _labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    h, w = gray.shape
    heights, widths = stats[:, cv2.CC_STAT_HEIGHT], stats[:, cv2.CC_STAT_WIDTH]
    keep = (heights >= 4) & (heights <= h / 4) & (widths <= h / 3) & (widths <= w / 8)
    keep[0] = False  # background
    return np.where(keep[_labels], 255, 0).astype(np.uint8)


def char_height(gray: np.ndarray) -> float | None:
    """Height in pixels of the largest common characters (the VIN is usually the biggest
    text on a sticker or plate), from connected components of the ink."""
    ink = ink_mask(gray)
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if count < 6:
        return None
    heights = stats[1:, cv2.CC_STAT_HEIGHT].astype(np.float64)
    widths = stats[1:, cv2.CC_STAT_WIDTH].astype(np.float64)
    charlike = heights[(widths >= heights * 0.15) & (widths <= heights * 1.3) & (heights >= 6)]
    if len(charlike) < 5:
        return None
    return float(np.percentile(charlike, 90))


def estimate_skew(gray: np.ndarray, max_angle: float = 30.0) -> float:
    """Angle (degrees, for `rotate`) that makes the text lines horizontal.

    Projection profiles: characters are smeared into bars, and for each candidate angle
    the bars' pixels are projected on the vertical axis; the angle with the most "peaky"
    histogram (highest variance) aligns the bars with the rows. Projecting point
    coordinates instead of rotating images keeps it at a few milliseconds.
    """
    small, _ = resize_longest(gray, 500)
    ink = ink_mask(small)
    char_w = max(3, small.shape[1] // 60)
    bars = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_RECT, (char_w, 1)))
    ys, xs = np.nonzero(bars)
    if len(xs) < 50:
        return 0.0
    if len(xs) > 20000:
        pick = np.random.default_rng(0).choice(len(xs), 20000, replace=False)
        xs, ys = xs[pick], ys[pick]
    xs = xs.astype(np.float64) - small.shape[1] / 2
    ys = ys.astype(np.float64) - small.shape[0] / 2
    bins = int(np.hypot(*small.shape)) + 1

    def score(angle: float) -> float:
        theta = np.radians(angle)
        # Row of each point after rotating the image by `angle` (counter-clockwise).
        rows = ys * np.cos(theta) - xs * np.sin(theta)
        histogram, _ = np.histogram(rows, bins=bins, range=(-bins / 2, bins / 2))
        return float(np.var(histogram))

    coarse = np.arange(-max_angle, max_angle + 0.01, 1.0)
    best = max(coarse, key=score)
    fine = np.arange(best - 1.0, best + 1.01, 0.25)
    return float(max(fine, key=score))


def crop(
    gray: np.ndarray, box: tuple[int, int, int, int], pad_x: float, pad_y: float
) -> np.ndarray:
    """`box` = (left, top, width, height), padded by fractions of the box height."""
    left, top, width, height = box
    px, py = int(height * pad_x), int(height * pad_y)
    h, w = gray.shape
    x0, y0 = max(0, left - px), max(0, top - py)
    x1, y1 = min(w, left + width + px), min(h, top + height + py)
    return gray[y0:y1, x0:x1].copy()


def with_border(image: np.ndarray, size: int) -> np.ndarray:
    """A white frame: Tesseract reads single lines better with a quiet zone around them."""
    return cv2.copyMakeBorder(image, size, size, size, size, cv2.BORDER_CONSTANT, value=255)


def flatten(gray: np.ndarray, size: float) -> np.ndarray:
    """Uneven light removed: the image divided by its own blur at `size` pixels (a plate's
    gradient or a shadow), then stretched to the full range."""
    background = cv2.GaussianBlur(gray, (0, 0), size)
    flat = cv2.divide(gray, np.maximum(background, 1), scale=200).astype(np.float32)
    low, high = float(flat.min()), float(flat.max())
    if high - low < 1:
        return np.asarray(flat, dtype=np.uint8)
    return np.asarray((flat - low) * (255.0 / (high - low)), dtype=np.uint8)


def merge_dots(gray: np.ndarray, sigma: float, light_size: float = 44.0) -> np.ndarray:
    """Dot-peen (dot-matrix) characters as solid strokes: a Gaussian blur about half the
    dot pitch wide fills the gaps between dots, then the light is flattened (at about a
    character's size) and the contrast stretched back (a local contrast boost would turn
    the blur's soft edges into blobs)."""
    return flatten(cv2.GaussianBlur(gray, (0, 0), sigma), light_size)


def open_dots(gray: np.ndarray, size: int) -> np.ndarray:
    """Gray-level opening: removes the light gaps between dark dots narrower than `size`,
    which joins the dots of a stroke (dark text; invert light text first)."""
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    return cv2.morphologyEx(gray, cv2.MORPH_OPEN, kernel)
