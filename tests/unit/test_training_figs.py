"""Figures of /training: the numbers they carry are the library's numbers, the animation
frames replace only what changes, and the payload stays small."""

from __future__ import annotations

import base64
import io
import json

import numpy as np
import plotly.io as pio
import pytest

from explorer.boundaries import boundary_lines
from explorer.figures import training_figs as figs
from explorer.figures.style import class_color
from explorer.landscape import landscape, project_path
from explorer.training_run import (
    CONFIDENCE_LEVELS,
    DataSettings,
    TrainSettings,
    compute_run,
    confusion_matrix,
    make_data,
    pulls,
    region_frames,
)
from tests.support.charts import decode


def as_json(figure) -> dict:
    """The figure as the browser receives it (typed arrays decoded to numpy)."""
    return decode(json.loads(pio.to_json(figure, validate=False)))


@pytest.fixture(scope="module")
def default_run():
    data = make_data(DataSettings())
    return data, compute_run(data, TrainSettings())


@pytest.fixture(scope="module")
def regions(default_run):
    data, run = default_run
    frames = region_frames(data, run)
    figure = figs.regions_figure(frames, data.X_train, data.y_train, data.X_test, data.y_test,
                                 data.classes)
    return frames, figure


def test_region_palette_deepens_with_confidence():
    palette = figs.region_palette(3).astype(float)
    assert palette.shape == (3 * CONFIDENCE_LEVELS, 3)
    for k in range(3):
        colour = figs._hex_rgb(class_color(k))
        distance = np.linalg.norm(palette[k * CONFIDENCE_LEVELS:(k + 1) * CONFIDENCE_LEVELS]
                                  - colour, axis=1)
        assert np.all(np.diff(distance) < 0), "a surer band must be closer to the class colour"


def test_regions_frames_replace_only_the_picture_and_the_lines(regions):
    frames, figure = regions
    spec = as_json(figure)
    assert [frame["name"] for frame in spec["frames"]] == [str(s) for s in frames.steps]
    for frame in spec["frames"]:
        assert frame["traces"] == [0, 1]
        picture, lines = frame["data"]
        assert set(picture) == {"type", "source"}
        assert set(lines) == {"type", "x", "y"}
    # The figure opens on the last frame, and the slider says so.
    assert spec["data"][0]["source"] == spec["frames"][-1]["data"][0]["source"]
    assert spec["layout"]["sliders"][0]["active"] == len(frames.steps) - 1
    labels = [step["label"] for step in spec["layout"]["sliders"][0]["steps"]]
    assert labels == [str(s) for s in frames.steps]


def test_regions_picture_shows_the_predicted_classes(regions, default_run):
    Image = pytest.importorskip("PIL.Image")
    frames, figure = regions
    data, _ = default_run
    uri = figure.spec["data"][0]["source"]
    image = np.asarray(Image.open(io.BytesIO(base64.b64decode(uri.split(",")[1])))
                       .convert("RGB")).astype(int)
    palette = figs.region_palette(data.classes).astype(int)
    codes = frames.predicted[-1].astype(int) * CONFIDENCE_LEVELS + frames.confidence[-1]
    assert np.array_equal(image, palette[codes])
    # Plotly draws an image's first row at y0, the bottom of the plane.
    trace = figure.spec["data"][0]
    assert trace["y0"] == pytest.approx(data.bounds[2] + trace["dy"] / 2)
    assert trace["dy"] > 0


def test_regions_lines_are_the_boundaries_of_each_frame(regions, default_run):
    frames, figure = regions
    data, run = default_run
    spec = as_json(figure)
    for index in (0, len(frames.steps) // 2, -1):
        step = frames.steps[index]
        expected = boundary_lines(run.trajectory.W[step], run.trajectory.b[step], "raw",
                                  data.bounds)
        drawn = spec["frames"][index]["data"][1]
        assert np.allclose(drawn["x"], expected[:, 0].astype(np.float32), equal_nan=True)
        assert np.allclose(drawn["y"], expected[:, 1].astype(np.float32), equal_nan=True)


def test_regions_points_are_every_point_once(regions, default_run):
    _, figure = regions
    data, _ = default_run
    spec = as_json(figure)
    points = [trace for trace in spec["data"][2:] if trace.get("mode") == "markers"]
    total = sum(len(trace["x"]) for trace in points)
    assert total == data.X.shape[0]
    hollow = sum(len(t["x"]) for t in points if "open" in t["marker"].get("symbol", ""))
    assert hollow == data.X_test.shape[0]
    assert all(np.asarray(t["x"]).dtype == np.float32 for t in points)


def test_figures_are_deterministic_and_small(regions, default_run):
    frames, figure = regions
    data, run = default_run
    again = figs.regions_figure(frames, data.X_train, data.y_train, data.X_test, data.y_test,
                                data.classes)
    first = pio.to_json(figure, validate=False)
    assert first == pio.to_json(again, validate=False)
    # The performance budget: a rerun at the defaults sends well under 150 KiB in all.
    assert len(first) < 100_000
    # plotly.py's default template (7 kB) stays out: Streamlit themes the chart itself.
    assert len(json.dumps(json.loads(first)["layout"].get("template", {}))) < 100
    assert len(pio.to_json(figs.loss_curve_figure([("run", run)]), validate=False)) < 12_000


def test_loss_curve_carries_the_exact_training_loss(default_run):
    data, run = default_run
    other = compute_run(data, TrainSettings(optimizer="adam", lr=0.05))
    spec = as_json(figs.loss_curve_figure([("a", run), ("b", other)]))
    by_name = {trace["name"]: trace for trace in spec["data"]}
    train_a = by_name["a: train loss"]
    assert np.asarray(train_a["y"]).dtype == np.float64
    assert np.array_equal(train_a["y"], run.train_loss)
    assert np.array_equal(train_a["x"], np.arange(run.steps_taken + 1))
    assert np.array_equal(by_name["b: train loss"]["y"], other.train_loss)
    assert np.allclose(by_name["a: test loss"]["y"], run.test_loss, rtol=1e-6)
    assert np.array_equal(by_name["a: test loss"]["x"], run.curve_steps)
    accuracy = by_name["a: train accuracy"]
    assert accuracy["yaxis"] == "y2"
    assert np.allclose(accuracy["y"], run.train_accuracy, rtol=1e-6)


def test_loss_curve_marks_divergence():
    data = make_data(DataSettings(n=60))
    run = compute_run(data, TrainSettings(lr=10.0, reg=1.0, steps=100))
    assert run.diverged_at is not None
    spec = as_json(figs.loss_curve_figure([("a", run)], diverged=[("a", run.diverged_at)]))
    texts = [note["text"] for note in spec["layout"]["annotations"]]
    assert any(f"diverged at step {run.diverged_at}" in text for text in texts)
    for trace in spec["data"]:
        assert np.isfinite(np.asarray(trace["y"], dtype=float)).all()


def test_landscape_figure_draws_the_grid_and_the_paths(default_run):
    Image = pytest.importorskip("PIL.Image")
    data, run = default_run
    params = ("W[0,0]", "b[1]")
    path = project_path(run.trajectory.W, run.trajectory.b, params)
    grid = landscape(run.trajectory.W[50], run.trajectory.b[50], data.F_train, data.y_train,
                     params=params, span=2.0, resolution=21)
    spec = as_json(figs.landscape_figure(grid, [("run", path)], at_point=path[50], at_step=50))
    picture, scale = spec["data"][0], spec["data"][1]
    assert picture["type"] == "image"
    pixels = np.asarray(Image.open(io.BytesIO(base64.b64decode(
        picture["source"].split(",")[1]))).convert("RGB")).astype(int)
    colours = np.array([[int(float(v)) for v in c[4:-1].split(",")]
                        for c in figs._band_colours(figs.LANDSCAPE_BANDS)])
    # At every grid point the picture shows the band of the library's loss there.
    low, high = grid.loss.min(), grid.loss.max()
    up = figs.LANDSCAPE_UPSAMPLE
    for i2 in range(0, 21, 4):
        for i1 in range(0, 21, 5):
            band = min(int((grid.loss[i2, i1] - low) / (high - low) * figs.LANDSCAPE_BANDS),
                       figs.LANDSCAPE_BANDS - 1)
            assert np.array_equal(pixels[up * i2, up * i1], colours[band]), (i2, i1)
    assert pixels.shape[:2] == (20 * up + 1, 20 * up + 1)
    assert picture["x0"] == pytest.approx(grid.axis1[0])
    assert picture["y0"] == pytest.approx(grid.axis2[0]) and picture["dy"] > 0  # row 0 = bottom
    assert scale["marker"]["cmin"] == pytest.approx(low)
    assert scale["marker"]["cmax"] == pytest.approx(high)
    drawn = [t for t in spec["data"] if t.get("name") == "run"]
    assert np.allclose(drawn[0]["x"], path[:, 0].astype(np.float32))
    assert np.allclose(drawn[0]["y"], path[:, 1].astype(np.float32))
    assert spec["layout"]["xaxis"]["title"]["text"] == "W[0,0]"
    assert spec["layout"]["yaxis"]["title"]["text"] == "b[1]"


def test_landscape_bands_interpolate_between_grid_points():
    loss = np.array([[0.0, 1.0], [2.0, 3.0]])
    bands, low, high = figs.landscape_bands(loss, upsample=2, bands=6)
    assert (low, high) == (0.0, 3.0)
    # Bilinear: the middle pixel is the mean 1.5, half-way up: band 3 of 6.
    assert bands.shape == (3, 3) and bands[1, 1] == 3
    assert bands[0, 0] == 0 and bands[2, 2] == 5
    assert bands[0, 1] == 1  # 0.5 -> band 1


def test_long_paths_are_thinned_keeping_both_ends():
    path = np.column_stack([np.arange(2001.0), np.arange(2001.0) ** 2])
    thin = figs._thin(path)
    assert thin.shape[0] <= figs.MAX_PATH_POINTS
    assert np.array_equal(thin[0], path[0]) and np.array_equal(thin[-1], path[-1])


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
