"""A phone's photo of a printed page, simulated: what a tracer of printouts is measured against."""

from __future__ import annotations

import io
import random

import numpy as np
from PIL import Image, ImageFilter

SCALE = (0.85, 1.15)  # the photo's pixels per page pixel
SLANT = 0.03  # each corner moves up to this share of the picture's side: the camera's perspective
BLUR = (0.6, 1.2)  # the Gaussian blur's radius in pixels: focus and shake
QUALITY = 60  # the JPEG the phone (or a chat app) saves
NOISE = 2.0  # the sensor's grain, grey levels
CAST = (1.0, 0.98, 0.94)  # warm indoor light: the paper comes out yellowish
SHADE = 0.08  # the light falls off this much across the picture


def simulate_photo(picture: Image.Image, rng: random.Random) -> Image.Image:
    """Return `picture` as a phone would photograph its print: scaled, in perspective, lit, blurred, JPEG."""
    width, height = picture.size
    scale = rng.uniform(*SCALE)
    shot = picture.convert("RGB").resize(
        (round(width * scale), round(height * scale)), Image.Resampling.BICUBIC
    )
    width, height = shot.size
    corners: list[float] = []
    for x, y in ((0, 0), (0, height), (width, height), (width, 0)):
        corners += [x + rng.uniform(-SLANT, SLANT) * width, y + rng.uniform(-SLANT, SLANT) * height]
    shot = shot.transform(
        (width, height), Image.Transform.QUAD, corners, Image.Resampling.BICUBIC, fillcolor=(255, 255, 255)
    )
    pixels = np.asarray(shot, dtype=np.float64) * np.array(CAST)
    angle = rng.uniform(0, 2 * np.pi)
    rows, columns = np.indices((height, width))
    across = (np.cos(angle) * columns / width + np.sin(angle) * rows / height + 1) / 2  # 0-1 along the light
    pixels *= (1 - SHADE * np.clip(across, 0, 1))[..., None]
    pixels += np.random.default_rng(rng.randrange(2**32)).normal(0, NOISE, pixels.shape)
    shot = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    shot = shot.filter(ImageFilter.GaussianBlur(rng.uniform(*BLUR)))
    buffer = io.BytesIO()
    shot.save(buffer, "JPEG", quality=QUALITY)
    return Image.open(io.BytesIO(buffer.getvalue()))
