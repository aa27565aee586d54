"""The /training page in AppTest: every control changes what is shown, the numbers shown
are the library's, and the learner's bad data is explained and never replaces good data.

Numbers are checked against the page's pure pipeline (explorer.page_logic.training_run) and the
library's ``train`` called directly, never against values copied from a run.
"""

from __future__ import annotations

import re

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
from explorer.page_logic.training_step import pulls
from explorer.pages import live, training_nearby
from explorer.player_payload import dequantize
from explorer.settings import specs
from tests.app.page_probe import open_page
from tests.support.charts import (
    app_chart,
    app_chart_keys,
    app_landscape,
    app_nearby,
    app_player,
    has_landscape,
)

PAGE = "explorer/pages/training_page.py"


def open_training(**query) -> object:
    at = open_page(PAGE, {key: [str(value)] for key, value in query.items()})
    assert not at.exception, [str(e.value) for e in at.exception]
    return at


def move_rates(at, **changes) -> None:
    """Move the player's own learning-rate controls as the browser does (the component's
    state, checked by the page), then rerun."""
    view = live.owner(next(iter(changes)), page="training")
    values = {**at.session_state[view.values_key], **changes}
    at.session_state[view.component_key] = {"state": view.to_browser(values)}
    at.run()


def rate(at, key: str = "lr") -> float:
    """The learning rate the page checked and uses (the player's control shows it)."""
    return at.session_state[live.owner(key, page="training").values_key][key]


def traces(at, key: str) -> dict:
    return {trace.get("name"): trace for trace in app_chart(at, key)["data"]}


def train_loss(at, label_prefix: str = "") -> np.ndarray:
    """The training loss the player draws for the run whose label starts with the prefix."""
    header, arrays = app_player(at)
    run = next(i for i, r in enumerate(header["runs"]) if r["label"].startswith(label_prefix))
    return arrays[f"loss{run}"]


def same_curve(shown: np.ndarray, expected) -> bool:
    """The player draws the loss in float32: equal to the library's, rounded to float32."""
    expected = np.asarray(expected)
    return shown.shape == expected.shape and np.array_equal(shown, expected.astype(np.float32))


def expected_run(data: DataSettings | None = None, **train_kwargs):
    """The page's pipeline run directly for these settings (defaults elsewhere)."""
    return compute_run(make_data(data or DataSettings()), TrainSettings(**train_kwargs))


def region_points(at) -> np.ndarray:
    """Every point the player draws on the decision regions: (x, y, hollow).

    The player receives positions as uint16 fractions of the plane (exact to 1/65535 of
    its width); they are turned back into coordinates here.
    """
    header, arrays = app_player(at)
    rows = []
    for name, hollow in (("train", 0), ("test", 1)):
        xy = dequantize(arrays[f"{name}_xy"].reshape(-1, 2), header["bounds"])
        rows.append(np.column_stack([xy, np.full(xy.shape[0], hollow)]))
    return np.concatenate(rows)


def rows_sorted(points: np.ndarray) -> np.ndarray:
    """The points as a multiset: rows in lexicographic order."""
    if points.shape[0] != 0:
        points = points[np.lexsort(points.T[::-1])]
    return points


def errors(at) -> list[str]:
    return [str(error.value) for error in at.error]


# ----------------------------------------------------------------------------------------
# The default view and the link from the issue


def test_defaults_show_regions_curves_landscape_and_the_final_loss():
    at = open_training()
    assert has_landscape(at)
    header, _ = app_player(at)  # the regions and the curves are drawn by the player
    assert header["runs"][0]["label"] == "gd, lr 0.5"
    assert not errors(at) and not at.warning
    run = expected_run()
    metrics = {metric.label: metric.value for metric in at.metric}
    assert metrics["final train loss"] == f"{run.final_loss:.6f}"
    assert metrics["steps taken"] == str(run.steps_taken)
    assert same_curve(train_loss(at), run.train_loss)


def test_the_loss_curve_is_what_train_returns_for_the_link():
    at = open_training(dataset="spiral", optimizer="adam", lr=0.05, steps=200, seed=1)
    data = make_data(DataSettings(dataset="spiral", seed=1))
    W0, b0 = initial_params(data.dim, data.classes, 0)
    trajectory = train(data.F_train, data.y_train, W0, b0, optimizer="adam", lr=0.05,
                       steps=200)
    assert same_curve(train_loss(at), trajectory.loss)


# ----------------------------------------------------------------------------------------
# Every control


def test_data_controls_redraw_the_points():
    at = open_training()
    before = region_points(at)
    assert before.shape[0] == 300 and before[:, 2].sum() == 75
    for key, value, check in [
        ("n", 120, lambda p: p.shape[0] == 120),
        ("test", 0.5, lambda p: p[:, 2].sum() == 60),
        ("noise", 0.6, lambda p: p.shape[0] == 120),
        ("seed", 3, lambda p: p.shape[0] == 120),
    ]:
        at.slider(key=key).set_value(value).run()
        assert not at.exception
        now = region_points(at)
        assert check(now), key
        assert not np.array_equal(rows_sorted(now), rows_sorted(before)), key
        before = now
    data = make_data(DataSettings(n=120, test=0.5, noise=0.6, seed=3))
    width = data.bounds[1] - data.bounds[0]
    assert np.allclose(np.sort(before[:, 0]), np.sort(data.X[:, 0]), atol=width / 65535)


def test_dataset_and_classes_controls():
    at = open_training()
    at.slider(key="classes").set_value(5).run()
    header, arrays = app_player(at)
    assert header["classes"] == 5 and set(arrays["train_y"]) == set(range(5))
    at.selectbox(key="dataset").set_value("circles").run()
    assert not at.exception
    run = expected_run(DataSettings(dataset="circles", classes=5))
    assert same_curve(train_loss(at), run.train_loss)


@pytest.mark.parametrize("dataset", ["xor", "moons"])
def test_two_class_datasets_allow_only_two_classes(dataset):
    at = open_training(dataset=dataset, classes=4)
    classes = at.select_slider(key="classes")
    assert classes.value == 2 and classes.options == ["2"] and classes.disabled
    notes = " ".join(str(w.value) for w in at.warning)
    assert "`classes`" in notes
    assert same_curve(train_loss(at),
                          expected_run(DataSettings(dataset=dataset, classes=2)).train_loss)


def test_quadratic_features_reach_the_model_and_the_landscape_choices():
    at = open_training(dataset="circles")
    at.selectbox(key="features").set_value("quadratic").run()
    run = expected_run(DataSettings(dataset="circles", features="quadratic"))
    assert same_curve(train_loss(at), run.train_loss)
    assert "W[4,2]" in at.selectbox(key="px").options  # five inputs now
    assert any("Quadratic features" in c.value for c in at.caption)


@pytest.mark.parametrize(
    ("widget", "key", "value", "expected"),
    [
        ("selectbox", "optimizer", "adam", {"optimizer": "adam"}),
        ("rate", "lr", 0.1, {"lr": 0.1}),
        ("slider", "steps", 37, {"steps": 37}),
        ("slider", "reg", 0.1, {"reg": 0.1}),
        ("slider", "init", 2, {"init": 2}),
    ],
)
def test_optimiser_controls_change_the_run(widget, key, value, expected):
    at = open_training()
    if widget == "rate":  # the player's own control
        move_rates(at, **{key: value})
    else:
        getattr(at, widget)(key=key).set_value(value).run()
    assert not at.exception
    run = expected_run(**expected)
    assert same_curve(train_loss(at), run.train_loss)
    assert not np.array_equal(run.train_loss, expected_run().train_loss)


def test_batch_applies_to_sgd_only():
    at = open_training()
    assert at.slider(key="batch").disabled
    at.selectbox(key="optimizer").set_value("sgd").run()
    assert not at.slider(key="batch").disabled
    at.slider(key="batch").set_value(8).run()
    run = expected_run(optimizer="sgd", batch=8)
    assert same_curve(train_loss(at), run.train_loss)
    assert not np.array_equal(run.train_loss, expected_run(optimizer="sgd").train_loss)


def test_a_second_run_is_overlaid_on_the_curves_and_the_landscape():
    at = open_training()
    at.toggle(key="compare").set_value(True).run()
    at.selectbox(key="optimizer2").set_value("adam").run()
    move_rates(at, lr2=0.05)
    assert not at.exception
    second = expected_run(optimizer="adam", lr=0.05)
    assert same_curve(train_loss(at, "adam"), second.train_loss)
    assert same_curve(train_loss(at, "gd"), expected_run().train_loss)
    view = app_landscape(at)
    assert view["runs"] == ["gd, lr 0.5", "adam, lr 0.05 (2nd)"]
    header, _ = app_player(at)  # the view draws the paths of the player's trajectory
    assert view["trajectory"] == header["trajectory"]


def test_the_inspected_step_slices_the_landscape_there():
    at = open_training()
    at.slider(key="at").set_value(10).run()
    run = expected_run()
    view = app_landscape(at)
    assert view["slice"] == 10
    assert np.allclose(view["at_point"],
                       [run.trajectory.W[10, 0, 0], run.trajectory.W[10, 1, 0]], atol=1e-12)


def test_the_inspected_step_stays_within_the_run_and_follows_its_end():
    at = open_training()
    assert at.slider(key="at").value == 100 and at.slider(key="at").max == 100
    at.slider(key="steps").set_value(150).run()
    assert at.slider(key="at").value == 150  # it was on the last step: it stays there
    at.slider(key="at").set_value(40).run()
    at.slider(key="steps").set_value(120).run()
    assert at.slider(key="at").value == 40  # a chosen step is kept while it exists
    at.slider(key="steps").set_value(30).run()
    assert at.slider(key="at").value == 30 and at.slider(key="at").max == 30
    assert not at.exception


def test_landscape_parameters_choose_the_axes():
    at = open_training()
    at.selectbox(key="px").set_value("b[1]").run()
    at.selectbox(key="py").set_value("W[1,2]").run()
    view = app_landscape(at)
    assert view["labels"] == ["b[1]", "W[1,2]"]
    assert view["params"] == [["b", 1, None], ["W", 1, 2]]
    run = expected_run()
    assert view["at_point"] == [run.trajectory.b[100, 1], run.trajectory.W[100, 1, 2]]
    at.selectbox(key="py").set_value("b[1]").run()
    assert any("two different parameters" in str(w.value) for w in at.warning)


def test_pulls_panel_follows_the_class_control():
    at = open_training(view="Pulls", at=5)
    assert "pulls" in app_chart_keys(at) and not has_landscape(at)
    at.slider(key="pull").set_value(2).run()
    data = make_data(DataSettings())
    expected = pulls(data, expected_run(), 5, 2).mean_pull
    mean = next(t for t in app_chart(at, "pulls")["data"]
                if t.get("name", "").startswith("mean pull"))
    assert np.allclose([mean["x"][1], mean["y"][1]], 0.5 * expected, atol=1e-6)


def test_examples_panel_shows_the_table_and_the_confusion_matrix():
    at = open_training(view="Examples")
    assert "confusion" in app_chart_keys(at)
    table = at.dataframe[0].value
    assert len(table) == 50
    assert np.allclose(table[["p0", "p1", "p2"]].sum(axis=1), 1.0)
    assert np.allclose(table["loss"], -np.log(table[["p0", "p1", "p2"]].to_numpy()[
        np.arange(50), table["y"].to_numpy()]))
    z = np.asarray(app_chart(at, "confusion")["data"][0]["z"])
    assert z.sum() == 75  # every test point once


def test_downloads_panel_offers_three_files():
    at = open_training(view="Downloads")
    labels = {button.label for button in at.get("download_button")}
    assert labels == {"Trajectory (CSV)", "Dataset (CSV)", "Python script"}


def test_an_unknown_panel_in_the_link_is_named():
    at = open_training(view="Everything")
    assert has_landscape(at)
    assert any("`view`" in str(w.value) for w in at.warning)


def test_reset_puts_every_control_back():
    at = open_training(view="Pulls", dataset="moons", lr=0.1, steps=40, compare="true")
    at.button(key="reset").click().run()
    assert not at.exception
    assert at.selectbox(key="dataset").value == "blobs"
    assert rate(at) == 0.5 and at.slider(key="steps").value == 100
    assert at.toggle(key="compare").value is False
    assert has_landscape(at)
    assert same_curve(train_loss(at), expected_run().train_loss)


# ----------------------------------------------------------------------------------------
# Divergence


def test_divergence_is_explained_with_its_step_and_a_smaller_rate():
    at = open_training(lr=10, reg=1.0)
    run = expected_run(lr=10.0, reg=1.0)
    assert run.diverged_at is not None
    message = " ".join(errors(at))
    assert f"diverged at step {run.diverged_at}" in message
    assert same_curve(train_loss(at), run.train_loss)
    assert np.isfinite(train_loss(at)).all()
    # The suggested rate is one the slider offers, and following it does not diverge.
    suggested = float(re.search(r"smaller learning rate, e\.g\. lr = ([0-9.e-]+)", message)[1])
    assert suggested in specs.LEARNING_RATES and suggested < 10
    assert expected_run(lr=suggested, reg=1.0).diverged_at is None


# ----------------------------------------------------------------------------------------
# The learner's own points

GOOD = (b"x1,x2,label\n-1,-1,0\n-1.2,-0.8,0\n1,1,1\n1.1,0.9,1\n0,1.5,2\n0.2,1.4,2\n"
        b"-0.1,1.6,2\n1,-1,0\n")

BAD = {
    "empty": (b"", "empty"),
    "header only": (b"x1,x2,label\n", "no data rows"),
    "text in a number column": (b"x1,x2,label\n0,abc,1\n1,1,0\n", "not a number"),
    "nan": (b"0,nan,1\n1,1,0\n", "finite"),
    "inf": (b"0,1,1\n-inf,1,0\n", "finite"),
    "one class": (b"0,0,1\n1,1,1\n2,2,1\n", "at least 2 different classes"),
    "more classes than the page trains": (b"0,0,0\n1,1,1\n2,2,7\n", "at most 6 classes"),
    "more classes than CSV labels allow": (b"0,0,0\n1,1,12\n", "at most 10 classes"),
    "too many rows": (
        "\n".join(f"{i % 50},{i // 50},{i % 2}" for i in range(5001)).encode(),
        "at most 5,000 points",
    ),
    "binary garbage": (bytes(range(256)) * 4, "binary"),
    "not UTF-8": ("x1,x2,label\n0,0,0\n1,1,1\n2,2,1 é\n".encode("latin-1"), "not UTF-8"),
    "wrong number of columns": (b"1,2\n3,4\n", "expected 3"),
}


def custom_page():
    at = open_training(dataset="custom")
    at.file_uploader(key="upload").set_value(("good.csv", GOOD, "text/csv")).run()
    assert not at.exception and not errors(at)
    return at


def test_a_good_upload_becomes_the_data():
    at = custom_page()
    points = region_points(at)
    assert points.shape[0] == 8
    assert at.select_slider(key="classes").value == 3
    assert at.slider(key="n").disabled


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_data_is_explained_and_the_previous_points_are_kept(case):
    content, reason = BAD[case]
    at = custom_page()
    before, curve = region_points(at), train_loss(at)
    at.file_uploader(key="upload").set_value(("bad.csv", content, "text/csv")).run()
    assert not at.exception
    message = " ".join(errors(at))
    assert "bad.csv" in message and "was not used" in message, case
    assert reason in message, (case, message)
    assert "previous points are kept" in message
    assert np.array_equal(region_points(at), before)
    assert np.array_equal(train_loss(at), curve)


def test_removing_a_bad_file_clears_its_message():
    at = custom_page()
    at.file_uploader(key="upload").set_value(("bad.csv", b"", "text/csv")).run()
    assert errors(at)
    at.file_uploader(key="upload").set_value(None).run()
    assert not errors(at)
    assert region_points(at).shape[0] == 8


#: GOOD with its classes named: class 0 is the first name to appear (owl), then cat, dog.
NAMED = (b"x1,x2,label\n-1,-1,owl\n-1.2,-0.8,owl\n1,1,cat\n1.1,0.9,cat\n0,1.5,dog\n"
         b"0.2,1.4,dog\n-0.1,1.6,dog\n1,-1,owl\n")


def test_class_names_from_the_learners_csv_name_the_classes():
    """Text labels name the classes in the player's legend, the example table and the
    pulls panel; the run is the same as with numbers; numbers again drop the names."""
    at = custom_page()
    numbered, numbered_loss = app_player(at)[0], train_loss(at)
    assert numbered["class_names"] is None
    at.file_uploader(key="upload").set_value(("named.csv", NAMED, "text/csv")).run()
    assert not at.exception and not errors(at)
    header, _ = app_player(at)
    assert header["class_names"] == ["owl", "cat", "dog"]
    assert np.array_equal(train_loss(at), numbered_loss)  # the same classes, the same run
    at.segmented_control(key="view").set_value("Examples").run()
    table = at.dataframe[-1].value  # after the table of points
    assert set(table["y"]) == {"owl", "cat", "dog"}
    assert {"p(owl)", "p(cat)", "p(dog)", "s(owl)"} <= set(table.columns)
    assert np.allclose(table[["p(owl)", "p(cat)", "p(dog)"]].sum(axis=1), 1.0)
    captions = " ".join(caption.value for caption in at.caption)
    assert "class 0 = owl, class 1 = cat, class 2 = dog" in captions
    at.segmented_control(key="view").set_value("Pulls").run()
    assert "Points of class 0 (owl) pull" in " ".join(c.value for c in at.caption)
    at.file_uploader(key="upload").set_value(("good.csv", GOOD, "text/csv")).run()
    assert app_player(at)[0]["class_names"] is None


# ----------------------------------------------------------------------------------------
# The player's own learning-rate controls


def test_the_learning_rate_is_the_players_control_with_its_label_and_stops():
    """The rates travel to the player as data (label and option texts as strings), and a
    rate the player sends back reaches the run and the address bar."""
    at = open_training(lr=0.2)
    header, _ = app_player(at)
    (item,) = header["controls"]["items"]
    assert item["key"] == "lr" and item["label"] == specs.LEARNING_RATE.label
    assert item["options"] == list(specs.LEARNING_RATES)
    assert item["texts"] == [specs.LEARNING_RATE.format_option(o) for o in specs.LEARNING_RATES]
    assert header["controls"]["state"]["lr"] == 0.2
    move_rates(at, lr=0.3)
    assert not at.exception
    assert same_curve(train_loss(at), expected_run(lr=0.3).train_loss)
    assert at.query_params["lr"] == "0.3"
    move_rates(at, lr=0.5)  # the default leaves the address bar
    assert "lr" not in at.query_params


@pytest.mark.parametrize("sent", [0.25, "fast", -1, None, [0.3], 1e9])
def test_a_rate_the_browser_sends_is_checked_like_a_url_value(sent):
    """A value that is not one of the stops gives the default, in a new epoch (the player
    then shows the corrected value), and never an exception."""
    at = open_training(lr=0.2)
    epoch = app_player(at)[0]["controls"]["epoch"]
    at.session_state["player"] = {"state": {"lr": sent}}
    at.run()
    assert not at.exception
    assert rate(at) == specs.LEARNING_RATE.default
    controls = app_player(at)[0]["controls"]
    assert controls["epoch"] > epoch and controls["state"]["lr"] == specs.LEARNING_RATE.default
    assert same_curve(train_loss(at), expected_run().train_loss)


class FixedLoad:
    """Stands in for how busy the process is (explorer/cpu_share.py)."""

    def __init__(self, share: float) -> None:
        self.value = share

    def share(self) -> float:
        return self.value


@pytest.fixture
def quiet_server(monkeypatch):
    """The server is idle (the test process itself is busy running tests)."""
    monkeypatch.setattr(training_nearby, "SERVER_LOAD", FixedLoad(0.0))


def _stops_beside(rate: float) -> list[float]:
    """The learning-rate stops one below and one above ``rate`` (where they exist)."""
    stops = list(specs.LEARNING_RATES)
    index = stops.index(rate)
    return stops[max(index - 1, 0): index] + stops[index + 1: index + 2]


def _check_nearby_runs(header, arrays, settings_of_run) -> None:
    """Every run sent ahead is the page's run for its rate (``settings_of_run(run, lr)``
    gives the TrainSettings keywords), rounded to float32 like the player's."""
    for index, desc in enumerate(header["runs"]):
        expected = expected_run(**settings_of_run(desc["run"], desc["lr"]))
        assert desc["steps"] == expected.steps_taken
        assert np.array_equal(arrays[f"W{index}"], expected.trajectory.W.astype(np.float32).ravel())
        assert same_curve(arrays[f"loss{index}"], expected.train_loss)


@pytest.mark.usefixtures("quiet_server")
def test_the_runs_one_rate_step_either_side_are_sent_ahead_once():
    """The neighbours of the shown rate are trained and sent after the player's data, in
    its context; a step to one sends only the one new neighbour beyond it."""
    at = open_training(lr=0.2)
    header, arrays = app_nearby(at)
    assert header["context"] == app_player(at)[0]["context"]
    assert sorted(desc["lr"] for desc in header["runs"]) == _stops_beside(0.2)
    assert {desc["run"] for desc in header["runs"]} == {0}
    _check_nearby_runs(header, arrays, lambda run, lr: {"lr": lr})
    move_rates(at, lr=0.3)
    header, arrays = app_nearby(at)
    assert [desc["lr"] for desc in header["runs"]] == _stops_beside(0.3)[1:]
    _check_nearby_runs(header, arrays, lambda run, lr: {"lr": lr})
    move_rates(at, lr=0.2)  # back: every neighbour was sent already
    assert app_nearby(at)[0]["runs"] == []


@pytest.mark.usefixtures("quiet_server")
def test_another_setting_is_a_new_context_and_sends_the_neighbours_again():
    at = open_training(lr=0.2)
    context = app_nearby(at)[0]["context"]
    at.slider(key=specs.STEPS.key).set_value(50).run()
    header, arrays = app_nearby(at)
    assert header["context"] != context and header["context"] == app_player(at)[0]["context"]
    assert sorted(desc["lr"] for desc in header["runs"]) == _stops_beside(0.2)
    _check_nearby_runs(header, arrays, lambda run, lr: {"lr": lr, "steps": 50})


@pytest.mark.usefixtures("quiet_server")
def test_compare_mode_sends_the_neighbours_of_both_rates():
    at = open_training(compare="true", lr2=0.05)
    header, arrays = app_nearby(at)
    sent = sorted((desc["run"], desc["lr"]) for desc in header["runs"])
    assert sent == sorted([(0, lr) for lr in _stops_beside(specs.LEARNING_RATE.default)]
                          + [(1, lr) for lr in _stops_beside(0.05)])
    second = specs.OPTIMIZER_B.default
    _check_nearby_runs(header, arrays, lambda run, lr: (
        {"lr": lr} if run == 0 else {"lr": lr, "optimizer": second}))
    assert all(desc["label"].endswith("(2nd)") for desc in header["runs"] if desc["run"] == 1)


@pytest.mark.usefixtures("quiet_server")
def test_nothing_is_trained_ahead_while_the_server_is_busy_and_it_follows_later(monkeypatch):
    at = open_training(lr=0.2)
    busy = FixedLoad(training_nearby.BUSY_SHARE + 0.1)
    monkeypatch.setattr(training_nearby, "SERVER_LOAD", busy)
    move_rates(at, lr=0.3)
    assert rate(at) == 0.3 and app_nearby(at)[0]["runs"] == []
    monkeypatch.setattr(training_nearby, "SERVER_LOAD", FixedLoad(0.0))
    at.run()
    assert [desc["lr"] for desc in app_nearby(at)[0]["runs"]] == _stops_beside(0.3)[1:]


@pytest.mark.usefixtures("quiet_server")
def test_runs_that_need_a_progress_bar_are_not_trained_ahead():
    at = open_training(n=2000, steps=200)  # 1500 training points x 200 steps
    assert app_nearby(at)[0]["runs"] == []


def test_compare_mode_gives_the_player_both_rates():
    at = open_training(compare="true", lr2=0.05)
    keys = [item["key"] for item in app_player(at)[0]["controls"]["items"]]
    assert keys == ["lr", "lr2"]
    assert rate(at, "lr2") == 0.05


def test_a_lesson_sets_the_training_rate_even_when_weights_owns_an_lr_too():
    """/weights also has a live setting ``lr``: a /training lesson step must set the
    player's rate, not the /weights view's (live views are looked up per page)."""
    weights = open_page("explorer/pages/weights_page.py")  # defines the /weights view
    assert live.owner("lr", page="weights") is not live.owner("lr", page="training")
    at = open_training(lesson="descent", step="1")
    assert rate(at) == 0.01
    assert same_curve(train_loss(at), expected_run(lr=0.01).train_loss)
    assert not weights.exception
