"""Figures of /training: the numbers they carry are the library's numbers, the animation
frames replace only what changes, and the payload stays small."""

from __future__ import annotations

import base64
import io
import json

import numpy as np
import plotly.io as pio
import pytest

from explorer.figures import training_figs as figs
from explorer.landscape import landscape
from explorer.page_logic.training_run import DataSettings, TrainSettings, compute_run, make_data
from explorer.page_logic.training_step import confusion_matrix, pulls
from tests.support.charts import decode


def as_json(figure) -> dict:
    """The figure as the browser receives it (typed arrays decoded to numpy)."""
    return decode(json.loads(pio.to_json(figure, validate=False)))


@pytest.fixture(scope="module")
def default_run():
    data = make_data(DataSettings())
    return data, compute_run(data, TrainSettings())


def test_landscape_picture_shows_the_band_of_the_loss_at_every_grid_point(default_run):
    Image = pytest.importorskip("PIL.Image")
    data, run = default_run
    params = ("W[0,0]", "b[1]")
    grid = landscape(run.trajectory.W[50], run.trajectory.b[50], data.F_train, data.y_train,
                     params=params, span=2.0, resolution=21)
    picture = figs.landscape_picture(grid)
    pixels = np.asarray(Image.open(io.BytesIO(base64.b64decode(
        picture["png"].split(",")[1]))).convert("RGB")).astype(int)
    colours = np.array([[int(float(v)) for v in c[4:-1].split(",")]
                        for c in figs._band_colours(figs.LANDSCAPE_BANDS)])
    assert picture["colors"] == figs._band_colours(figs.LANDSCAPE_BANDS)
    # At every grid point the picture shows the band of the library's loss there; its
    # first row is the bottom of the plot (the smallest second parameter).
    low, high = grid.loss.min(), grid.loss.max()
    up = figs.LANDSCAPE_UPSAMPLE
    for i2 in range(0, 21, 4):
        for i1 in range(0, 21, 5):
            band = min(int((grid.loss[i2, i1] - low) / (high - low) * figs.LANDSCAPE_BANDS),
                       figs.LANDSCAPE_BANDS - 1)
            assert np.array_equal(pixels[up * i2, up * i1], colours[band]), (i2, i1)
    assert pixels.shape[:2] == (20 * up + 1, 20 * up + 1)
    assert picture["x"] == [pytest.approx(grid.axis1[0]), pytest.approx(grid.axis1[-1])]
    assert picture["y"] == [pytest.approx(grid.axis2[0]), pytest.approx(grid.axis2[-1])]
    assert picture["low"] == pytest.approx(low) and picture["high"] == pytest.approx(high)
    assert picture["labels"] == ["W[0,0]", "b[1]"]


def test_landscape_bands_interpolate_between_grid_points():
    loss = np.array([[0.0, 1.0], [2.0, 3.0]])
    bands, low, high = figs.landscape_bands(loss, upsample=2, bands=6)
    assert (low, high) == (0.0, 3.0)
    # Bilinear: the middle pixel is the mean 1.5, half-way up: band 3 of 6.
    assert bands.shape == (3, 3) and bands[1, 1] == 3
    assert bands[0, 0] == 0 and bands[2, 2] == 5
    assert bands[0, 1] == 1  # 0.5 -> band 1


def test_pulls_figure_arrows_are_the_pulls_at_a_fixed_scale(default_run):
    data, run = default_run
    result = pulls(data, run, 3, 1)
    spec = as_json(figs.pulls_figure(result, 1, np.empty((0, 2)), data.bounds))
    heads = [t for t in spec["data"] if t.get("marker", {}).get("symbol") == "arrow"]
    tips = np.concatenate([np.column_stack([t["x"], t["y"]]) for t in heads])
    expected = result.points + figs.ARROW_SCALE * result.pull
    shown = min(figs.MAX_ARROWS, result.points.shape[0])
    assert tips.shape[0] == shown
    # Each drawn tip is the tip of one point's arrow (order: class 1 first, then the others).
    own = result.labels[:shown] == 1
    order = np.concatenate([np.flatnonzero(own), np.flatnonzero(~own)])
    assert np.allclose(tips, expected[order].astype(np.float32), atol=1e-6)
    mean = next(t for t in spec["data"] if t.get("name", "").startswith("mean pull"))
    assert np.allclose([mean["x"][1], mean["y"][1]],
                       figs.ARROW_SCALE * result.mean_pull, atol=1e-6)


def test_confusion_figure_shows_the_counts():
    matrix = confusion_matrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 2, 0], 3)
    spec = as_json(figs.confusion_figure(matrix))
    heat = spec["data"][0]
    assert np.array_equal(np.asarray(heat["z"]), matrix)
    assert heat["text"] == [[str(v) for v in row] for row in matrix]
    assert spec["layout"]["yaxis"]["autorange"] == "reversed"
