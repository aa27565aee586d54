"""The palette PNG: every pixel read back as the colour its index names, top row first."""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest

from explorer.figures.png import data_uri, palette_png

Image = pytest.importorskip("PIL.Image")


@pytest.mark.parametrize("shape", [(1, 1), (3, 5), (80, 80), (17, 64)])
def test_pillow_reads_back_every_pixel(shape):
    rng = np.random.default_rng(sum(shape))
    palette = rng.integers(0, 256, size=(37, 3))
    indices = rng.integers(0, 37, size=shape)
    image = Image.open(io.BytesIO(palette_png(indices, palette))).convert("RGB")
    assert image.size == (shape[1], shape[0])  # width, height
    pixels = np.asarray(image)
    assert np.array_equal(pixels, palette[indices].astype(np.uint8))


def test_the_first_row_is_the_top_of_the_picture():
    indices = np.zeros((4, 2), dtype=int)
    indices[0] = 1
    image = Image.open(io.BytesIO(palette_png(indices, [[0, 0, 0], [255, 0, 0]]))).convert("RGB")
    assert image.getpixel((0, 0)) == (255, 0, 0)
    assert image.getpixel((0, 3)) == (0, 0, 0)


def test_output_is_deterministic_and_the_data_uri_decodes():
    indices = np.arange(12).reshape(3, 4) % 3
    palette = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    png = palette_png(indices, palette)
    assert png == palette_png(indices.copy(), palette)
    uri = data_uri(png)
    assert uri.startswith("data:image/png;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]) == png


@pytest.mark.parametrize(
    ("indices", "palette"),
    [
        (np.zeros((2, 2), dtype=int), np.zeros((0, 3))),  # empty palette
        (np.zeros((2, 2), dtype=int), np.zeros((257, 3))),  # too many colours
        (np.full((2, 2), 3), np.zeros((3, 3))),  # index outside the palette
        (np.zeros(4, dtype=int), np.zeros((2, 3))),  # not 2-D
        (np.zeros((2, 2), dtype=int), np.full((2, 3), 300)),  # not a byte
    ],
)
def test_bad_input_is_refused(indices, palette):
    with pytest.raises(ValueError):
        palette_png(indices, palette)
