"""What /training shows, worked out without Streamlit (explorer/page_logic/training_view.py)."""

from __future__ import annotations

import numpy as np

from explorer.page_logic.training_run import (
    MAX_CUSTOM_CLASSES,
    MAX_CUSTOM_ROWS,
    DataSettings,
    TrainSettings,
)
from explorer.page_logic.training_view import (
    class_key,
    class_names,
    format_loss,
    named_table,
    path_span,
    run_context,
    run_labels,
    trajectory_id,
    upload_help,
)


def test_run_labels_mark_the_second_run():
    first, second = TrainSettings(lr=0.5), TrainSettings(optimizer="adam", lr=0.05)
    assert run_labels([first]) == ["gd, lr 0.5"]
    assert run_labels([first, second]) == ["gd, lr 0.5", "adam, lr 0.05 (2nd)"]


def test_the_run_context_ignores_the_learning_rates_and_nothing_else():
    data = DataSettings()
    first, second = TrainSettings(lr=0.5), TrainSettings(optimizer="adam", lr=0.05)
    context = run_context(data, "", (first, second))
    assert run_context(data, "", (TrainSettings(lr=0.2), TrainSettings(optimizer="adam", lr=3.0))
                       ) == context
    assert trajectory_id(data, "", (first, second)) != trajectory_id(
        data, "", (TrainSettings(lr=0.2), second))
    for other in [run_context(DataSettings(seed=1), "", (first, second)),
                  run_context(data, "csv", (first, second)),
                  run_context(data, "", (first,)),
                  run_context(data, "", (TrainSettings(lr=0.5, steps=99), second)),
                  run_context(data, "", (first, TrainSettings(optimizer="sgd", lr=0.05)))]:
        assert other != context


def test_class_names_use_the_learners_names_and_number_the_rest():
    assert class_names(3) == ["class 0", "class 1", "class 2"]
    assert class_names(3, ("cat", "dog")) == ["cat", "dog", "class 2"]
    assert class_key(["cat", "dog"]) == "class 0 = cat, class 1 = dog"


def test_named_table_names_classes_and_their_columns():
    table = {"point": np.array([4, 7]), "x1": np.array([0.1, 0.2]), "y": np.array([1, 0]),
             "s0": np.array([1.0, 2.0]), "s1": np.array([0.5, 0.1]),
             "p0": np.array([0.6, 0.9]), "p1": np.array([0.4, 0.1]),
             "loss": np.array([0.9, 0.1]), "predicted": np.array([0, 0])}
    named = named_table(table, ["cat", "dog"])
    assert list(named) == ["point", "x1", "y", "s(cat)", "s(dog)", "p(cat)", "p(dog)", "loss",
                           "predicted"]
    assert named["y"] == ["dog", "cat"] and named["predicted"] == ["cat", "cat"]
    assert named["p(dog)"] is table["p1"] and named["point"] is table["point"]


def test_the_upload_help_states_the_pages_limits():
    text = upload_help()
    assert f"0..{MAX_CUSTOM_CLASSES - 1}" in text and f"{MAX_CUSTOM_ROWS:,} rows" in text


def test_format_loss_and_path_span():
    assert format_loss(0.1234567) == "0.123457" and format_loss(123456.7) == "123457"
    centre, half = path_span([np.array([[0.0, 0.0], [2.0, 1.0]]), np.array([[4.0, 0.0]])])
    assert centre == (2.0, 0.5) and half == 2.0 * 1.3


def test_the_classes_control_follows_the_dataset():
    from explorer.datasets import DATASETS
    from explorer.page_logic.training_view import classes_setting
    from explorer.settings import specs

    assert classes_setting("custom", 4).options == (4,)
    for name, spec in DATASETS.items():
        setting = classes_setting(name, None)
        if spec.min_classes == spec.max_classes:
            assert setting.kind == "select" and setting.options == (spec.min_classes,)
        else:
            assert (setting.min_value, setting.max_value) == (spec.min_classes,
                                                              spec.max_classes)
            assert setting.key == specs.CLASSES.key
