"""Palette PNGs with Pillow, so a raster travels to the browser compressed.

A landscape picture is a few flat colours in bands: as an 8-bit palette PNG it deflates
to a few kilobytes, far less than the same grid as numbers. Plotly's ``image`` trace draws
it from a ``data:`` URI. The output is deterministic (Pillow writes no timestamp), so an
unchanged picture gives unchanged bytes.
"""

from __future__ import annotations

import base64
import io

import numpy as np
from PIL import Image


def palette_png(indices, palette) -> bytes:
    """Encode an image of palette indices as PNG bytes.

    Parameters
    ----------
    indices : array_like, shape (H, W), integers in ``0..P-1``
        Row 0 is the top row of the picture.
    palette : array_like, shape (P, 3), integers 0..255
        RGB colour of each index, P <= 256.

    Returns
    -------
    bytes
        A complete 8-bit indexed-colour PNG file.
    """
    image = np.asarray(indices)
    colours = np.asarray(palette)
    if image.ndim != 2 or image.size == 0:
        raise ValueError(f"indices must be a non-empty 2-D array, got shape {image.shape}")
    if colours.ndim != 2 or colours.shape[1] != 3 or not 1 <= colours.shape[0] <= 256:
        raise ValueError(f"palette must have shape (P, 3) with P <= 256, got {colours.shape}")
    if image.min() < 0 or image.max() >= colours.shape[0]:
        raise ValueError(f"indices must lie in 0..{colours.shape[0] - 1}")
    if colours.min() < 0 or colours.max() > 255:
        raise ValueError("palette values must lie in 0..255")
    picture = Image.fromarray(np.ascontiguousarray(image, dtype=np.uint8), mode="P")
    picture.putpalette(colours.astype(np.uint8).tobytes())
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", compress_level=6)
    return buffer.getvalue()


def data_uri(png: bytes) -> str:
    """``data:image/png;base64,...`` for PNG bytes."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
