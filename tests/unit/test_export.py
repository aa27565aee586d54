"""Downloads of /training: CSVs that read back exactly, and a standalone script that,
run with python, prints the very final loss the page shows."""

from __future__ import annotations

import ast
import csv
import dataclasses
import inspect
import io
import subprocess
import sys

import numpy as np
import pytest

from explorer.datasets import parse_points
from explorer.export import (
    dataset_csv,
    points_csv,
    reproduce_script,
    trajectory_csv,
)
from explorer.guided.page_settings import PAGE_SETTINGS
from explorer.losses import loss_and_grad
from explorer.page_logic.training_run import (
    DataSettings,
    TrainSettings,
    compute_run,
    initial_params,
    make_data,
)
from explorer.param_names import parameter_names, parse_param
from explorer.reproduce import SCRIPT_FUNCTIONS, reproduce
from explorer.settings import specs


def run_script(data_settings: DataSettings, train_settings: TrainSettings):
    """(the page's run, the script's stdout) for these settings."""
    data = make_data(data_settings)
    run = compute_run(data, train_settings)
    W0, b0 = initial_params(data.dim, data.classes, train_settings.init)
    source = reproduce_script(data, data_settings, train_settings, W0, b0)
    result = subprocess.run([sys.executable, "-c", source], capture_output=True, text=True,
                            timeout=120, check=True)
    return run, result.stdout, source


def printed_final_loss(stdout: str) -> float:
    line = [line for line in stdout.splitlines() if line.startswith("final train loss:")][-1]
    return float(line.split(":", 1)[1])


def test_points_csv_reads_back_bit_for_bit():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(50, 2)) * np.array([1e-7, 1e5])
    y = rng.integers(0, 4, size=50)
    y[:2] = [0, 1]
    X_back, y_back = parse_points(points_csv(X, y))
    assert np.array_equal(X_back, X) and np.array_equal(y_back, y)


def test_dataset_csv_is_every_point_in_order():
    data = make_data(DataSettings(dataset="moons", n=80, classes=2))
    X, y = parse_points(dataset_csv(data))
    assert np.array_equal(X, data.X) and np.array_equal(y, data.y)


def test_trajectory_csv_has_every_step_and_parameter():
    data = make_data(DataSettings(n=90, classes=3))
    run = compute_run(data, TrainSettings(optimizer="adam", lr=0.05, steps=25, reg=0.01))
    rows = list(csv.reader(io.StringIO(trajectory_csv(data, run))))
    header, body = rows[0], rows[1:]
    names = parameter_names(2, 3)
    assert header == ["step", "train_loss", "test_loss", "train_accuracy", "test_accuracy",
                      *names]
    assert len(body) == run.steps_taken + 1
    table = np.array([[float(v) for v in row] for row in body])
    assert np.array_equal(table[:, 0], np.arange(26))
    assert np.array_equal(table[:, 1], run.train_loss)  # exact: every digit written
    for column, name in enumerate(names, start=5):
        param = parse_param(name)
        values = (run.trajectory.W[:, param.index, param.col] if param.array == "W"
                  else run.trajectory.b[:, param.index])
        assert np.array_equal(table[:, column], values), name
    for step in (0, 13, 25):
        W, b = run.trajectory.W[step], run.trajectory.b[step]
        test_loss, _, _ = loss_and_grad(W, b, data.F_test, data.y_test, 0.01)
        assert table[step, 2] == pytest.approx(test_loss, rel=1e-12)
        hits = np.mean((data.F_test @ W + b).argmax(axis=1) == data.y_test)
        assert table[step, 4] == hits


def test_trajectory_csv_leaves_test_columns_empty_without_a_test_split():
    data = make_data(DataSettings(n=40, test=0.0))
    run = compute_run(data, TrainSettings(steps=3))
    rows = list(csv.reader(io.StringIO(trajectory_csv(data, run))))
    assert all(row[2] == "" and row[4] == "" for row in rows[1:])


@pytest.mark.parametrize(
    ("data_settings", "train_settings"),
    [
        (DataSettings(), TrainSettings()),
        (DataSettings(dataset="spiral", seed=1), TrainSettings(optimizer="adam", lr=0.05,
                                                               steps=200)),
        (DataSettings(dataset="circles", features="quadratic", n=150),
         TrainSettings(optimizer="sgd", lr=0.3, steps=120, batch=16, reg=0.01, init=5)),
        (DataSettings(dataset="xor", classes=2, features="quadratic", test=0.0, n=100),
         TrainSettings(optimizer="nesterov", lr=0.2, steps=60)),
        (DataSettings(n=100), TrainSettings(optimizer="momentum", lr=0.3, steps=50)),
        (DataSettings(n=100, classes=5), TrainSettings(optimizer="rmsprop", lr=0.01, steps=50)),
    ],
    ids=["defaults", "spiral-adam", "circles-sgd", "xor-nesterov", "momentum", "rmsprop"],
)
def test_the_script_prints_the_pages_final_loss(data_settings, train_settings):
    run, stdout, _ = run_script(data_settings, train_settings)
    # The script repeats the library's operations in the same order; the tolerance only
    # forgives the library a reordered sum (a wrong update rule is off by far more).
    assert printed_final_loss(stdout) == pytest.approx(run.final_loss, rel=1e-10, abs=0)
    assert f"after {run.steps_taken} steps" in stdout
    # The script runs the library's own functions, so it agrees to the last bit.
    assert printed_final_loss(stdout) == run.final_loss


def test_the_script_reports_divergence_at_the_same_step():
    run, stdout, _ = run_script(DataSettings(n=80), TrainSettings(lr=10.0, reg=1.0, steps=300))
    assert run.diverged_at is not None
    assert f"diverged at step {run.diverged_at}" in stdout
    assert printed_final_loss(stdout) == pytest.approx(run.final_loss, rel=1e-10, abs=0)


def test_the_script_needs_only_numpy_and_states_its_settings():
    _, _, source = run_script(DataSettings(n=40), TrainSettings(steps=2))
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module.split(".")[0])
    assert imported == {"numpy"}
    assert "optimizer=gd" in source and "lr=0.5" in source and "steps=2" in source


def test_the_script_holds_the_library_functions_verbatim_and_no_other_definitions():
    _, _, source = run_script(DataSettings(n=40), TrainSettings(optimizer="rmsprop", steps=3))
    for function in (*SCRIPT_FUNCTIONS, reproduce):
        assert inspect.getsource(function) in source, function.__name__
    defined = {node.name for node in ast.parse(source).body if isinstance(node, ast.FunctionDef)}
    assert defined == {f.__name__ for f in (*SCRIPT_FUNCTIONS, reproduce)}


def test_reproduce_in_the_package_records_the_libraries_losses(capsys):
    data_settings = DataSettings(dataset="circles", features="quadratic", n=120)
    train_settings = TrainSettings(optimizer="sgd", lr=0.3, steps=40, batch=16, init=2)
    data = make_data(data_settings)
    run = compute_run(data, train_settings)
    W0, b0 = initial_params(data.dim, data.classes, train_settings.init)
    losses = reproduce(
        data.X_train, data.y_train, data.X_test, data.y_test, features="quadratic",
        optimizer="sgd", lr=0.3, steps=40, reg=0.0, batch_size=train_settings.batch_size,
        seed=train_settings.init, momentum=0.9, betas=(0.9, 0.999), eps=1e-8, W0=W0, b0=b0,
    )
    assert np.array_equal(losses, run.trajectory.loss)
    assert f"final train loss: {run.final_loss!r}" in capsys.readouterr().out


# ----------------------------------------------------------------------------------------
# One spec: every /training setting of the run is a dataclass field and reaches the script


def _another_value(setting, current=None):
    """A value of ``setting`` other than ``current`` (by default its default); a drawn
    dataset, not ``custom``."""
    current = setting.default if current is None else current
    if setting.kind == "select":
        return next(option for option in setting.options
                    if option != current and option != "custom")
    step = setting.step or 1
    value = current + step if current + step <= setting.max_value else current - step
    return type(setting.default)(value)


def test_the_settings_dataclasses_are_the_spec_of_the_training_page():
    for cls, spec in ((DataSettings, specs.TRAINING_DATA), (TrainSettings, specs.TRAINING_RUN)):
        fields = dataclasses.fields(cls)
        assert [field.name for field in fields] == [setting.key for setting in spec]
        assert [field.default for field in fields] == [setting.default for setting in spec]
        assert set(spec) <= set(PAGE_SETTINGS["training"])
    values = {setting.key: _another_value(setting)
              for setting in (*specs.TRAINING_DATA, *specs.TRAINING_RUN)}
    data_settings = DataSettings.from_values(values)
    train_settings = TrainSettings.from_values(values)
    for setting in specs.TRAINING_DATA:
        assert getattr(data_settings, setting.key) == values[setting.key]
    for setting in specs.TRAINING_RUN:
        assert getattr(train_settings, setting.key) == values[setting.key]


@pytest.mark.parametrize("setting", [*specs.TRAINING_DATA, *specs.TRAINING_RUN],
                         ids=lambda setting: setting.key)
def test_every_setting_of_the_run_reaches_the_exported_script(setting):
    base = {"n": 40, "steps": 3, "optimizer": "sgd"}  # sgd: the batch size matters
    changed = {**base, setting.key: _another_value(setting, base.get(setting.key))}

    def script(values):
        data_settings = DataSettings.from_values(values)
        train_settings = TrainSettings.from_values(values)
        data = make_data(data_settings)
        W0, b0 = initial_params(data.dim, data.classes, train_settings.init)
        source = reproduce_script(data, data_settings, train_settings, W0, b0)
        return source.split("import numpy as np", 1)

    header, code = script(changed)
    _, base_code = script(base)
    value = setting.format_option(changed[setting.key])
    assert f"{setting.key}={value}" in header.split("Settings: ", 1)[1].split("\n", 1)[0]
    assert code != base_code
