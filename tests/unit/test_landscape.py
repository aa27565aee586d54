"""landscape(): the grid against direct evaluation, orientation, paths and argument checks."""

from __future__ import annotations

import re

import numpy as np
import pytest

from explorer.landscape import LandscapeGrid, landscape, project_path
from explorer.losses import loss_and_grad
from explorer.param_names import Param, param_label, parse_param


def problem(n=40, d=2, k=3, seed=0, scale=1.0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = rng.integers(0, k, n)
    W = scale * rng.normal(size=(d, k))
    b = scale * rng.normal(size=k)
    return W, b, X, y


def direct_loss(W, b, X, y, reg, params, values):
    """The loss with the two coordinates substituted, evaluated from scratch."""
    W, b = W.copy(), b.copy()
    for spec, value in zip(params, values, strict=True):
        if spec[0] == "W":
            W[spec[1], spec[2]] = value
        else:
            b[spec[1]] = value
    return loss_and_grad(W, b, X, y, reg)[0]


PAIRS = [
    (("W", 0, 0), ("W", 1, 0)),  # two weights feeding the same class
    (("W", 0, 1), ("W", 1, 2)),  # weights feeding different classes
    (("W", 1, 2), ("b", 0)),
    (("b", 2), ("W", 0, 2)),  # a weight and a bias of the same class
    (("b", 0), ("b", 1)),
    ("b[1]", "W[0,0]"),
]


@pytest.mark.parametrize("params", PAIRS)
@pytest.mark.parametrize("reg", [0.0, 0.3])
def test_grid_cells_equal_direct_evaluation(params, reg):
    W, b, X, y = problem(seed=1)
    center = (0.4, -0.7)
    grid = landscape(W, b, X, y, params=params, center=center, span=2.5, resolution=31, reg=reg)
    rng = np.random.default_rng(2)
    specs = [parse_param(p) if isinstance(p, str) else p for p in params]
    for i2, i1 in rng.integers(0, 31, size=(8, 2)):
        expected = direct_loss(W, b, X, y, reg, specs, (grid.axis1[i1], grid.axis2[i2]))
        assert grid.loss[i2, i1] == pytest.approx(expected, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("params", ["W[0,0] W[0,1]", "W[1,1] b[0]", "b[0] b[1]"])
def test_two_class_slices_with_no_fixed_class(params):
    W, b, X, y = problem(k=2, seed=3)
    specs = params.split()
    grid = landscape(W, b, X, y, params=specs, resolution=9, span=4.0, reg=0.1)
    parsed = [parse_param(s) for s in specs]
    for i2 in range(9):
        for i1 in range(0, 9, 2):
            expected = direct_loss(W, b, X, y, 0.1, parsed, (grid.axis1[i1], grid.axis2[i2]))
            assert grid.loss[i2, i1] == pytest.approx(expected, rel=1e-12)


def test_large_logits_stay_finite_and_exact():
    W, b, X, y = problem(seed=4, scale=300.0)
    grid = landscape(W, b, X, y, params=("W[0,1]", "b[2]"), span=50.0, resolution=11)
    assert np.all(np.isfinite(grid.loss))
    for i2, i1 in [(0, 0), (5, 7), (10, 10), (3, 9)]:
        expected = direct_loss(W, b, X, y, 0.0, grid.params, (grid.axis1[i1], grid.axis2[i2]))
        assert grid.loss[i2, i1] == pytest.approx(expected, rel=1e-12)


def test_center_defaults_to_the_current_parameters():
    W, b, X, y = problem(seed=5)
    grid = landscape(W, b, X, y, params=("W[1,2]", "b[0]"), span=1.5, resolution=21, reg=0.2)
    assert isinstance(grid, LandscapeGrid)
    assert grid.center == (W[1, 2], b[0])
    assert grid.center_loss == pytest.approx(loss_and_grad(W, b, X, y, 0.2)[0], rel=1e-14)
    assert grid.loss[10, 10] == pytest.approx(grid.center_loss, rel=1e-12)
    np.testing.assert_allclose(grid.axis1, np.linspace(W[1, 2] - 1.5, W[1, 2] + 1.5, 21))
    np.testing.assert_allclose(grid.axis2, np.linspace(b[0] - 1.5, b[0] + 1.5, 21))
    assert grid.params == (Param("W", 1, 2), Param("b", 0, None))
    assert grid.labels == ("W[1,2]", "b[0]")


def test_explicit_center_moves_the_grid_and_its_centre_value():
    W, b, X, y = problem(seed=6)
    grid = landscape(W, b, X, y, params=("W[0,0]", "W[0,1]"), center=(2.0, -1.0), resolution=5)
    np.testing.assert_allclose(grid.axis1, [-1.0, 0.5, 2.0, 3.5, 5.0])
    np.testing.assert_allclose(grid.axis2, [-4.0, -2.5, -1.0, 0.5, 2.0])
    expected = direct_loss(W, b, X, y, 0.0, grid.params, (2.0, -1.0))
    assert grid.center_loss == pytest.approx(expected, rel=1e-14)
    assert grid.loss[2, 2] == pytest.approx(expected, rel=1e-12)


def test_rows_follow_the_second_parameter():
    # Feature 1 is zero, so W[1, 0] has no effect: the loss must be constant down each
    # column (over i2, the second parameter) and vary along each row (over i1).
    W, b, X, y = problem(seed=7)
    X[:, 1] = 0.0
    grid = landscape(W, b, X, y, params=("W[0,0]", "W[1,0]"), resolution=15)
    assert grid.loss.shape == (15, 15)
    assert np.ptp(grid.loss, axis=0).max() < 1e-12
    assert np.ptp(grid.loss[0]) > 0.1
    swapped = landscape(W, b, X, y, params=("W[1,0]", "W[0,0]"), resolution=15)
    np.testing.assert_allclose(swapped.loss, grid.loss.T, rtol=1e-12)


def test_grid_is_read_only_and_shaped_by_resolution():
    W, b, X, y = problem(seed=8)
    grid = landscape(W, b, X, y, resolution=2)
    assert grid.axis1.shape == grid.axis2.shape == (2,)
    assert grid.loss.shape == (2, 2)
    assert not grid.loss.flags.writeable


def test_chunks_do_not_change_the_result(monkeypatch):
    import sys

    module = sys.modules["explorer.landscape"]
    W, b, X, y = problem(n=50, seed=9)
    whole = landscape(W, b, X, y, params=("W[0,2]", "b[1]"), resolution=17, reg=0.1)
    monkeypatch.setattr(module, "CHUNK_ELEMENTS", 120)  # 2 cells per chunk, a ragged last one
    chunked = landscape(W, b, X, y, params=("W[0,2]", "b[1]"), resolution=17, reg=0.1)
    np.testing.assert_allclose(chunked.loss, whole.loss, rtol=1e-14)


def test_project_path_picks_the_two_coordinates():
    rng = np.random.default_rng(10)
    Ws = rng.normal(size=(6, 2, 3))
    bs = rng.normal(size=(6, 3))
    path = project_path(Ws, bs, ("W[1,2]", ("b", 0)))
    assert path.shape == (6, 2)
    np.testing.assert_array_equal(path[:, 0], Ws[:, 1, 2])
    np.testing.assert_array_equal(path[:, 1], bs[:, 0])
    path = project_path(Ws, bs, (("b", 2, None), Param("W", 0, 1)))
    np.testing.assert_array_equal(path, np.stack([bs[:, 2], Ws[:, 0, 1]], axis=1))


def test_parse_param_and_param_label_round_trip():
    for d in range(3):
        for k in range(4):
            label = f"W[{d},{k}]"
            assert parse_param(label) == Param("W", d, k) == ("W", d, k)
            assert param_label(parse_param(label)) == label
    assert parse_param("b[7]") == Param("b", 7, None)
    assert param_label(("b", 7)) == "b[7]"
    assert parse_param(" w[ 1 , 12 ] ") == Param("W", 1, 12)
    assert parse_param("W[1][2]") == Param("W", 1, 2)
    assert parse_param("B[0]") == Param("b", 0)
    assert param_label("W[ 3,4]") == "W[3,4]"


@pytest.mark.parametrize("text", ["", "W[1]", "b[1,2]", "x[0]", "W[-1,0]", "W[0,1", "W[a,b]"])
def test_parse_param_rejects_malformed_names(text):
    with pytest.raises(ValueError, match=r"^text\b"):
        parse_param(text)


def test_parse_param_rejects_non_strings():
    with pytest.raises(ValueError, match=r"^text\b"):
        parse_param(("W", 0, 0))


@pytest.mark.parametrize(
    ("changes", "name"),
    [
        ({"resolution": 1}, "resolution"),
        ({"resolution": 401}, "resolution"),
        ({"resolution": 2.5}, "resolution"),
        ({"resolution": True}, "resolution"),
        ({"span": 0.0}, "span"),
        ({"span": -1.0}, "span"),
        ({"span": float("nan")}, "span"),
        ({"span": 1e308}, "span"),
        ({"span": 1e300, "reg": 1.0}, "span"),
        ({"params": ("W[0,0]", "W[0,0]")}, "params"),
        ({"params": ("W[0,0]", ("W", 0, 0))}, "params"),
        ({"params": ("W[2,0]", "W[0,0]")}, "params[0]"),
        ({"params": ("W[0,0]", "W[0,3]")}, "params[1]"),
        ({"params": ("W[0,0]", "b[3]")}, "params[1]"),
        ({"params": ("W[0,0]",)}, "params"),
        ({"params": ("W[0,0]", "b[0]", "b[1]")}, "params"),
        ({"params": "W[0,0]"}, "params"),
        ({"params": ("Q[0]", "b[0]")}, "params[0]"),
        ({"params": (("W", 0), "b[0]")}, "params[0]"),
        ({"params": (("b", 0, 1), "W[0,0]")}, "params[0]"),
        ({"params": (("W", -1, 0), "b[0]")}, "params[0]"),
        ({"center": (1.0, 2.0, 3.0)}, "center"),
        ({"center": (np.nan, 0.0)}, "center"),
        ({"W": np.zeros((3, 3))}, "W"),
        ({"b": np.zeros(4)}, "b"),
        ({"X": np.full((40, 2), np.inf)}, "X"),
        ({"y": np.full(40, 5)}, "y"),
        ({"reg": -0.1}, "reg"),
    ],
)
def test_bad_arguments_raise_a_value_error_naming_them(changes, name):
    W, b, X, y = problem()
    arguments = {"W": W, "b": b, "X": X, "y": y}
    arguments.update(changes)
    W, b, X, y = (arguments.pop(key) for key in ("W", "b", "X", "y"))
    with pytest.raises(ValueError, match=rf"^{re.escape(name)}(?![\w\[])"):
        landscape(W, b, X, y, **arguments)


@pytest.mark.parametrize(
    ("trajectory_W", "trajectory_b", "params", "name"),
    [
        (np.zeros((4, 2)), np.zeros((4, 3)), ("b[0]", "b[1]"), "trajectory_W"),
        (np.zeros((4, 2, 3)), np.zeros((5, 3)), ("b[0]", "b[1]"), "trajectory_b"),
        (np.zeros((4, 2, 3)), np.zeros((4, 3)), ("b[0]", "b[3]"), "params[1]"),
        (np.zeros((4, 2, 3)), np.zeros((4, 3)), ("b[0]", "b[0]"), "params"),
    ],
)
def test_project_path_rejects_bad_arguments(trajectory_W, trajectory_b, params, name):
    with pytest.raises(ValueError, match=rf"^{re.escape(name)}(?![\w\[])"):
        project_path(trajectory_W, trajectory_b, params)
