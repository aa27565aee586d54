"""Decision boundaries as polylines: every drawn point is a tie between the two best
classes, and every place where the predicted class changes is near a drawn line."""

from __future__ import annotations

import numpy as np
import pytest

from explorer.boundaries import boundary_lines, feature_map
from explorer.datasets import add_quadratic_features

BOUNDS = (-1.5, 1.5, -1.5, 1.5)


def scores_at(points, W, b, kind):
    """Scores computed independently of explorer.boundaries (numpy + the library's features)."""
    points = np.asarray(points, dtype=float)
    F = points if kind == "raw" else add_quadratic_features(points)
    return F @ W + b


def finite_points(lines):
    return lines[~np.isnan(lines[:, 0])]


def distance_to_polylines(points, lines):
    """Distance from each point to the nearest segment of the NaN-separated polylines."""
    starts, ends = lines[:-1], lines[1:]
    keep = ~(np.isnan(starts[:, 0]) | np.isnan(ends[:, 0]))
    starts, ends = starts[keep], ends[keep]
    if starts.shape[0] == 0:  # a single point per polyline cannot happen, but be safe
        return np.full(points.shape[0], np.inf)
    d = ends - starts
    length2 = np.maximum((d * d).sum(axis=1), 1e-30)
    rel = points[:, None, :] - starts[None, :, :]
    t = np.clip((rel * d[None]).sum(axis=2) / length2[None], 0.0, 1.0)
    nearest = starts[None] + t[..., None] * d[None]
    return np.sqrt(((points[:, None, :] - nearest) ** 2).sum(axis=2)).min(axis=1)


def random_model(kind, classes, seed):
    rng = np.random.default_rng(seed)
    dim = 2 if kind == "raw" else 5
    return rng.normal(scale=2.0, size=(dim, classes)), rng.normal(scale=0.5, size=classes)


@pytest.mark.parametrize("kind", ["raw", "quadratic"])
@pytest.mark.parametrize("classes", [2, 3, 6])
@pytest.mark.parametrize("seed", range(4))
def test_every_boundary_point_is_a_tie_of_the_two_best_classes(kind, classes, seed):
    W, b = random_model(kind, classes, seed)
    points = finite_points(boundary_lines(W, b, kind, BOUNDS))
    if points.shape[0] == 0:
        pytest.skip("one class wins the whole plane for this draw")
    s = np.sort(scores_at(points, W, b, kind), axis=1)
    scale = 1.0 + np.abs(s).max()
    # Exact for straight lines; marching squares interpolates linearly inside small cells.
    tolerance = 1e-9 if kind == "raw" else 0.02
    assert np.max(s[:, -1] - s[:, -2]) <= tolerance * scale
    x_min, x_max, y_min, y_max = BOUNDS
    assert np.all((points[:, 0] >= x_min - 1e-9) & (points[:, 0] <= x_max + 1e-9))
    assert np.all((points[:, 1] >= y_min - 1e-9) & (points[:, 1] <= y_max + 1e-9))


@pytest.mark.parametrize("kind", ["raw", "quadratic"])
@pytest.mark.parametrize("seed", range(4))
def test_every_change_of_predicted_class_is_near_a_drawn_boundary(kind, seed):
    W, b = random_model(kind, 4, seed)
    lines = boundary_lines(W, b, kind, BOUNDS)
    grid = np.linspace(-1.45, 1.45, 121)
    gx, gy = np.meshgrid(grid, grid)
    points = np.column_stack([gx.ravel(), gy.ravel()])
    winner = scores_at(points, W, b, kind).argmax(axis=1).reshape(gx.shape)
    changes = (winner[:, 1:] != winner[:, :-1])
    if not changes.any():
        pytest.skip("one class wins the whole plane for this draw")
    step = grid[1] - grid[0]
    rows, cols = np.nonzero(changes)
    midpoints = np.column_stack([grid[cols] + step / 2, grid[rows]])
    assert np.max(distance_to_polylines(midpoints, lines)) < 1.5 * step


def test_three_symmetric_classes_give_three_rays_meeting_at_the_origin():
    angles = np.pi / 2 + 2 * np.pi * np.arange(3) / 3
    W = np.vstack([np.cos(angles), np.sin(angles)])
    lines = boundary_lines(W, np.zeros(3), "raw", BOUNDS)
    segments = np.split(lines, np.flatnonzero(np.isnan(lines[:, 0])))
    segments = [finite_points(segment) for segment in segments]
    assert len(segments) == 3
    for segment in segments:
        assert segment.shape == (2, 2)
        assert np.min(np.linalg.norm(segment, axis=1)) < 1e-12  # one end at the junction


def test_a_quadratic_boundary_traces_the_circle_it_should():
    # Class 1 scores x1^2 + x2^2 - 0.64: the boundary is the circle of radius 0.8.
    W = np.zeros((5, 2))
    W[2, 1] = W[3, 1] = 1.0
    b = np.array([0.0, -0.64])
    points = finite_points(boundary_lines(W, b, "quadratic", BOUNDS))
    radius = np.hypot(points[:, 0], points[:, 1])
    assert np.max(np.abs(radius - 0.8)) < 0.01
    angles = np.sort(np.arctan2(points[:, 1], points[:, 0]))
    gaps = np.diff(np.concatenate([angles, angles[:1] + 2 * np.pi]))
    assert gaps.max() < 0.35, "the circle has a hole"


def test_no_boundary_when_one_class_wins_everywhere():
    W = np.zeros((2, 3))
    b = np.array([5.0, 0.0, 0.0])
    assert boundary_lines(W, b, "raw", BOUNDS).shape == (0, 2)
    assert boundary_lines(np.zeros((5, 3)), b, "quadratic", BOUNDS).shape == (0, 2)


def test_feature_map_matches_the_library_and_rejects_unknown_kinds():
    X = np.random.default_rng(0).normal(size=(7, 2))
    assert np.array_equal(feature_map(X, "raw"), X)
    assert np.array_equal(feature_map(X, "quadratic"), add_quadratic_features(X))
    assert feature_map(X[:, :], "quadratic").flags.c_contiguous
    with pytest.raises(ValueError, match="kind"):
        feature_map(X, "cubic")
