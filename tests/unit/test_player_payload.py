"""The player's binary payload: round trip, the trajectory equals ``train(...)`` rounded to
float32, the points within a sixty-five-thousandth of the plane, sizes within budget."""

from __future__ import annotations

import numpy as np
import pytest

from explorer.optim import train
from explorer.page_logic.training_run import (
    DataSettings,
    TrainSettings,
    compute_run,
    initial_params,
    make_data,
)
from explorer.player_payload import (
    decode,
    dequantize,
    encode,
    nearby_payload,
    player_payload,
    points_id,
    points_payload,
    quantize,
)


def payload_for(data, runs, **extra):
    points = points_payload(data)
    blob = player_payload(
        data, runs, labels=[f"run {i}" for i in range(len(runs))],
        health=["ok"] * len(runs), show_test=True, discrete=False, at=3,
        class_colors=["#000000"] * data.classes, run_colors=["#111111"] * len(runs),
        points=points_id(points), trajectory="t", **extra)
    return points, blob


def test_encode_decode_round_trip_keeps_every_value_and_dtype():
    arrays = {"a": np.array([1.5, -2.25, np.pi]), "b": np.arange(7, dtype=np.uint16),
              "c": np.array([0.1, 0.2], dtype=np.float32), "d": np.zeros(0, np.uint8)}
    header, back = decode(encode({"x": 1}, arrays))
    assert header["x"] == 1
    for name, array in arrays.items():
        assert back[name].dtype == array.dtype and np.array_equal(back[name], array)
        assert header["arrays"][name][0] % 8 == 0


def test_the_trajectory_is_trains_rounded_to_float32():
    data = make_data(DataSettings(dataset="moons", n=120, classes=2, features="quadratic"))
    run = compute_run(data, TrainSettings(optimizer="adam", lr=0.05, steps=40))
    _, blob = payload_for(data, [run])
    header, arrays = decode(blob)
    W0, b0 = initial_params(data.dim, data.classes, 0)
    expected = train(data.F_train, data.y_train, W0, b0, optimizer="adam", lr=0.05, steps=40)
    steps = header["runs"][0]["steps"]
    assert steps == 40 and header["dim"] == 5 and header["classes"] == 2
    W = arrays["W0"].reshape(steps + 1, header["dim"], header["classes"])
    assert np.array_equal(W, expected.W.astype(np.float32))
    assert np.array_equal(arrays["b0"].reshape(steps + 1, -1), expected.b.astype(np.float32))
    assert np.array_equal(arrays["loss0"], expected.loss.astype(np.float32))


def test_nearby_runs_travel_with_the_run_they_replace_and_trains_numbers():
    data = make_data(DataSettings(n=150))
    runs = [compute_run(data, TrainSettings(lr=rate, steps=30)) for rate in (0.3, 0.05)]
    header, arrays = decode(nearby_payload("ctx", [(0, runs[0], "gd, lr 0.3", "ok"),
                                                   (1, runs[1], "second", "oscillating")]))
    assert header["context"] == "ctx"
    assert [(d["run"], d["lr"], d["label"], d["health"]) for d in header["runs"]] == [
        (0, 0.3, "gd, lr 0.3", "ok"), (1, 0.05, "second", "oscillating")]
    W0, b0 = initial_params(data.dim, data.classes, 0)
    for index, rate in enumerate((0.3, 0.05)):
        expected = train(data.F_train, data.y_train, W0, b0, optimizer="gd", lr=rate, steps=30)
        assert header["runs"][index]["steps"] == 30
        assert np.array_equal(arrays[f"W{index}"], expected.W.astype(np.float32).ravel())
        assert np.array_equal(arrays[f"loss{index}"], expected.loss.astype(np.float32))


def test_an_empty_nearby_payload_still_names_its_context():
    header, arrays = decode(nearby_payload("ctx", []))
    assert header == {"context": "ctx", "runs": [], "arrays": {}} and arrays == {}


def test_the_player_payload_names_each_runs_rate_and_the_context():
    data = make_data(DataSettings(n=100))
    run = compute_run(data, TrainSettings(lr=0.2, steps=5))
    _, blob = payload_for(data, [run], context="abc")
    header, _ = decode(blob)
    assert header["context"] == "abc" and header["runs"][0]["lr"] == 0.2


def test_points_round_trip_within_a_quantum_and_are_named_by_the_player():
    data = make_data(DataSettings(n=200, test=0.3))
    run = compute_run(data, TrainSettings(steps=5))
    points, blob = payload_for(data, [run])
    header, _ = decode(blob)
    points_header, arrays = decode(points)
    assert header["points"] == points_header["id"]
    width = data.bounds[1] - data.bounds[0]
    xy = dequantize(arrays["train_xy"].reshape(-1, 2), data.bounds)
    assert np.abs(xy - data.X_train).max() <= width / 65535
    assert np.array_equal(arrays["train_y"], data.y_train)
    assert arrays["test_xy"].size == 2 * data.X_test.shape[0]


def test_other_points_get_another_id():
    first = points_payload(make_data(DataSettings(seed=1)))
    second = points_payload(make_data(DataSettings(seed=2)))
    assert points_id(first) != points_id(second)
    assert points_id(first) == points_id(points_payload(make_data(DataSettings(seed=1))))


def test_quantize_clips_to_the_plane():
    q = quantize(np.array([[-10.0, 0.0], [10.0, 0.0]]), (-1.0, 1.0, -1.0, 1.0))
    assert q[0, 0] == 0 and q[1, 0] == 65535 and q[0, 1] == 32768


@pytest.mark.parametrize("n, steps, budget_kib", [(300, 100, 12), (5000, 2000, 100)])
def test_payload_sizes(n, steps, budget_kib):
    data = make_data(DataSettings(n=n))
    run = compute_run(data, TrainSettings(steps=steps))
    _, blob = payload_for(data, [run])
    assert len(blob) / 1024 <= budget_kib
