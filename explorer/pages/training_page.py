"""/training: train a softmax classifier by gradient descent on 2D data and watch it learn.

Reads like its layout: the data (generated or the learner's own), the optimiser, the
run's health and metrics, the player (decision regions and learning curves drawn in the
browser from the trajectory, every step a frame: explorer/pages/training_player.py), then
one panel to inspect the model at a chosen step (the loss landscape, also drawn in the
browser with a marker that follows the player; who pulls the boundary; the per-example
table; the downloads). Nested fragments keep reruns small: a change of the optimiser
reruns the training section only, a change of the inspected step or panel that panel;
the step the player is paused at comes back as the inspected step ``at``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math

import numpy as np
import pandas as pd
import streamlit as st

from explorer import chart_text, state
from explorer import training_health as health
from explorer.boundaries import boundary_lines
from explorer.datasets import DATASETS
from explorer.export import dataset_csv, points_csv, reproduce_script, trajectory_csv
from explorer.figures import training_figs as figs
from explorer.figures.style import CLASS_COLORS
from explorer.guided.page_settings import PAGE_SETTINGS
from explorer.landscape import landscape, project_path
from explorer.optim import OPTIMIZER_DESCRIPTIONS
from explorer.pages.charts import show_chart
from explorer.pages.controls import control, lesson_header, show_url_notes
from explorer.pages.guided import guided_lesson
from explorer.pages.presentation import presenting, secondary_panel
from explorer.pages.training_player import checked_step, mount, mount_landscape, sent_step
from explorer.param_names import parse_param
from explorer.player_payload import player_payload, points_id, points_payload
from explorer.state import plain_text
from explorer.training_run import (
    TABLE_ROWS,
    Data,
    DataSettings,
    Run,
    TrainSettings,
    compute_run,
    confusion_matrix,
    example_table,
    initial_params,
    make_data,
    parse_custom_points,
    predictions,
    pulls,
)

SETTINGS = PAGE_SETTINGS["training"]

#: Grid points per side of the loss landscape.
LANDSCAPE_RESOLUTION = 45
#: Runs with more point-steps than this show a progress bar while they train.
PROGRESS_WORK = 300_000

EXPLANATION = """
**The model.** Each point x = (x1, x2) gets one score per class, s_k = x·w_k + b_k, and
softmax turns the scores into probabilities. Training minimises the mean cross-entropy
−log p_y over the training points (plus ½·reg·ΣW²) by following its gradient
X^T (P − Y) / N + reg·W, one step at a time, with the chosen optimizer.

**The player.** The decision regions are drawn in your browser from the weights of every
step: the colour of the plane is the class the model predicts there, pale where it is
unsure and deep where it is confident (or flat with *Discretize output*); the dark lines
are the decision boundaries. Filled points train, hollow ones are held out (test).
**▶ Play** (or Space) runs the steps, **❚❚ Pause** stops where you are and Play resumes
from there; ◀ and ▶| (or the arrow keys) move one step; ⏮ (Home) restarts. The marker on
the curves follows the player, and the paused step is the one inspected below.

**Raw or quadratic features.** On raw features (x1, x2) a linear model can only draw
straight boundaries, so rings (*circles*) and opposite quadrants (*xor*) are out of reach.
Adding x1², x2² and x1·x2 as inputs keeps the model linear in its weights but lets the
boundaries curve: x1² + x2² separates rings, x1·x2 separates quadrants.

**When training goes wrong.** Without L2 the gradient of the cross-entropy, X^T (P − Y) / N,
is bounded by the size of the inputs, so plain gradient descent on a softmax classifier
cannot blow up geometrically: a learning rate that is too large makes each step
*overshoot*, and the loss rises instead of falling (oscillation), or ends above where it
started. The curvature of the loss grows with the square of the inputs, so inputs ×10
(the *Input scale* control) divide the largest stable learning rate by 100: try scale ×10
on *spiral*, or ×100 with quadratic features. True blow-up to infinity needs L2 with
lr·reg > 2, because each step then multiplies W by 1 − lr·reg. The page flags both, says
why in one sentence, and suggests a smaller rate that it has trained and checked.

**Learning curves.** Solid lines are measured on the training points, dashed lines on the
test points. Training loss that keeps falling while the test loss rises is overfitting.

**Inspect a step.** Pick a step, then a panel: the **landscape** is the loss over two
weights with every other parameter frozen at that step, and the optimiser's path drawn on
it; **pulls** shows every point's share x·(p_k − y_k) of the gradient of one class's weights;
**examples** lists scores, probabilities and loss per point, and the test confusion matrix.
"""

#: A small editable example for "your own data" (rounded so the table reads well).
_EXAMPLE_DATA = DataSettings(dataset="blobs", n=36, classes=3, noise=0.25, seed=7)


def _csv_hash(text: str | None) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16] if text else ""


# ----------------------------------------------------------------------------------------
# Cached computations, keyed by small settings (the learner's CSV by its hash).


@st.cache_data(max_entries=16, show_spinner=False)
def cached_data(settings: DataSettings, custom_hash: str, _custom_csv: str | None) -> Data:
    custom = parse_custom_points(_custom_csv) if settings.dataset == "custom" else None
    return make_data(settings, custom)


@st.cache_data(max_entries=32, show_spinner=False)
def cached_run(
    data_settings: DataSettings, custom_hash: str, settings: TrainSettings,
    _custom_csv: str | None,
) -> Run:
    data = cached_data(data_settings, custom_hash, _custom_csv)
    if data.X_train.shape[0] * settings.steps < PROGRESS_WORK:
        return compute_run(data, settings)
    # A long run: the bar is created inside the cached function, so a cache hit replays
    # it (a few tiny messages) and it is emptied again at the end.
    bar = st.progress(0.0, text=f"Training {settings.optimizer} for {settings.steps} steps…")
    shown = [0.0]

    def report(fraction: float) -> None:
        if fraction - shown[0] >= 0.1 or fraction >= 1.0:
            shown[0] = fraction
            bar.progress(min(fraction, 1.0), text=f"Training… {fraction:.0%}")

    run = compute_run(data, settings, progress=report)
    bar.empty()
    return run


# ----------------------------------------------------------------------------------------
# The data


def _classes_setting(dataset: str, custom_classes: int | None) -> state.Setting:
    """The ``classes`` control restricted to what the dataset allows.

    A dataset with a fixed number of classes (xor, moons: 2; custom data: its own K)
    gets a one-choice control, so Streamlit itself rejects any other URL value.
    """
    if dataset == "custom":
        return _fixed_classes(custom_classes)
    spec = DATASETS[dataset]
    if spec.min_classes == spec.max_classes:
        return _fixed_classes(spec.min_classes)
    return state.CLASSES.with_range(spec.min_classes, spec.max_classes)


def _fixed_classes(k: int) -> state.Setting:
    """A one-choice ``classes`` control (a slider cannot have min == max)."""
    return dataclasses.replace(state.CLASSES, kind="select", options=(k,), default=k)


def custom_points_section() -> str:
    """The learner's points: upload a CSV or edit the table. Returns the last good CSV."""
    if "custom_csv" not in st.session_state:
        example = make_data(_EXAMPLE_DATA)
        st.session_state["custom_csv"] = points_csv(example.X.round(2), example.y)
        st.session_state["custom_version"] = 0
    left, right = st.columns([2, 3], gap="medium")
    with left:
        uploaded = st.file_uploader(
            "Upload a CSV of x1, x2, label", type=["csv", "txt"], key="upload",
            help="One point per line; labels are class numbers 0..5; at most 5000 rows.",
        )
        _take_upload(uploaded)
        error = st.session_state.get("upload_error")
        if error:
            name, reason = (plain_text(part, limit=80) for part in error)
            st.error(f"**{name}** was not used: {reason}. The previous points are kept.",
                     icon=":material/error:")
        st.caption(
            "Your points stay in this browser session; a shared link cannot carry them. "
            "Download the dataset CSV (Downloads panel) to share them."
        )
    with right:
        _edit_points()
    return st.session_state["custom_csv"]


def _take_upload(uploaded) -> None:
    """Validate a newly uploaded file once; keep the previous points if it is bad."""
    if uploaded is None:
        st.session_state.pop("upload_error", None)
        st.session_state.pop("upload_seen", None)
        return
    if st.session_state.get("upload_seen") == uploaded.file_id:
        return
    st.session_state["upload_seen"] = uploaded.file_id
    try:
        X, y = parse_custom_points(uploaded.getvalue())
    except ValueError as error:
        st.session_state["upload_error"] = (uploaded.name, str(error))
        return
    st.session_state.pop("upload_error", None)
    st.session_state["custom_csv"] = points_csv(X, y)
    # A new editor key: the table starts again from the uploaded points.
    st.session_state["custom_version"] = st.session_state.get("custom_version", 0) + 1
    st.session_state["custom_base"] = st.session_state["custom_csv"]


def _edit_points() -> None:
    """The editable table; valid edits replace the points, invalid ones are explained."""
    base_csv = st.session_state.setdefault("custom_base", st.session_state["custom_csv"])
    X, y = parse_custom_points(base_csv)
    frame = pd.DataFrame({"x1": X[:, 0], "x2": X[:, 1], "label": y})
    edited = st.data_editor(
        frame, key=f"points_{st.session_state.get('custom_version', 0)}", num_rows="dynamic",
        height=240, hide_index=True,
        column_config={
            "x1": st.column_config.NumberColumn("x1", format="%.3f"),
            "x2": st.column_config.NumberColumn("x2", format="%.3f"),
            "label": st.column_config.NumberColumn("label", min_value=0, max_value=5, step=1),
        },
    )
    # Without a header, the "line" of a parse error is the table's row number; rows left
    # completely empty (a row just added) are skipped rather than reported.
    text = edited.dropna(how="all").to_csv(index=False, header=False)
    try:
        X, y = parse_custom_points(text)
    except ValueError as error:
        message = str(error).replace("line ", "row ", 1)
        st.error(f"The table was not used: {plain_text(message)}. The previous points are "
                 "kept.", icon=":material/error:")
        return
    st.session_state["custom_csv"] = points_csv(X, y)


def data_section() -> tuple[DataSettings, str | None]:
    """The data controls, in the sidebar; returns the settings and the learner's CSV."""
    with st.sidebar:
        st.subheader("Data", anchor=False)
        dataset = control(state.DATASET)
        custom = dataset == "custom"
        # The classes control comes second but is made last: for the learner's own points
        # its single choice (their K) is known only after the upload and the table.
        classes_slot = st.empty()
        n = control(state.POINTS, disabled=custom)
        noise = control(state.NOISE, disabled=custom)
        test = control(state.TEST_FRACTION)
        seed = control(state.DATA_SEED)
        features = control(state.FEATURES)
        scale = control(state.FEATURE_SCALE)
    custom_csv = custom_classes = None
    if custom:
        with st.expander("Your points", expanded=True, icon=":material/edit_note:"):
            custom_csv = custom_points_section()
        custom_classes = int(parse_custom_points(custom_csv)[1].max()) + 1
    with st.sidebar:
        with classes_slot.container():
            setting = _classes_setting(dataset, custom_classes)
            classes = control(setting, disabled=setting.kind == "select")
        st.caption(_dataset_note(dataset, features))
    return DataSettings(dataset=dataset, n=n, classes=classes, noise=noise, seed=seed,
                        test=test, features=features, scale=scale), custom_csv


def _dataset_note(dataset: str, features: str) -> str:
    if dataset == "custom":
        text = "Your own points: upload a CSV or edit the table below."
    else:
        text = DATASETS[dataset].description
    if features == "quadratic":
        text += " Quadratic features (x1², x2², x1·x2) let the boundaries curve."
    elif dataset in ("circles", "xor"):
        text += " Try features = quadratic."
    return text


# ----------------------------------------------------------------------------------------
# Training


def _slots(spec: list[float], stacked: bool, **options) -> list:
    """Columns of a controls row, or (``stacked``) containers one under the other."""
    if stacked:
        return [st.container() for _ in spec]
    return st.columns(spec, **options)


def _train_controls(stacked: bool = False) -> tuple[TrainSettings, TrainSettings | None]:
    """Optimiser controls: one row, then the comparison run and the finer settings
    (``stacked``: one column, for presentation mode where they sit beside the player)."""
    with st.container(border=True):
        row = _slots([1.1, 1.6, 1.6, 1.2, 1.2], stacked, gap="medium")
        with row[0]:
            optimizer = control(state.OPTIMIZER)
        with row[1]:
            lr = control(state.LEARNING_RATE)
        with row[2]:
            steps = control(state.STEPS)
        with row[3]:
            reg = control(state.TRAIN_REG)
        with row[4]:
            init = control(state.INIT_SEED)
        row2 = _slots([1.4, 1.6, 1.6, 2.1], stacked, gap="medium", vertical_alignment="bottom")
        with row2[0]:
            compare = control(state.COMPARE)
        optimizer2 = lr2 = None
        if compare:
            with row2[1]:
                optimizer2 = control(state.OPTIMIZER_B)
            with row2[2]:
                lr2 = control(state.LEARNING_RATE_B)
        uses_batches = "sgd" in (optimizer, optimizer2)
        with row2[3]:
            batch = control(state.BATCH, disabled=not uses_batches)
        if not compare:
            with row2[1]:
                st.caption(OPTIMIZER_DESCRIPTIONS[optimizer])
    first = TrainSettings(optimizer=optimizer, lr=lr, steps=steps, reg=reg, batch=batch,
                          init=init)
    second = None
    if compare:
        second = TrainSettings(optimizer=optimizer2, lr=lr2, steps=steps, reg=reg,
                               batch=batch, init=init)
    return first, second


def _run_label(settings: TrainSettings) -> str:
    return f"{settings.optimizer}, lr {settings.lr:g}"


@st.cache_data(max_entries=32, show_spinner=False)
def cached_health(
    data_settings: DataSettings, custom_hash: str, settings: TrainSettings,
    _custom_csv: str | None,
) -> tuple[health.Health, float | None]:
    """The run's health and, when it is not ok, a smaller rate whose run is healthy."""
    run = cached_run(data_settings, custom_hash, settings, _custom_csv)
    verdict = health.assess(run.train_loss, run.diverged_at)
    if verdict.ok:
        return verdict, None

    def check(rate: float) -> health.Health:
        other = cached_run(data_settings, custom_hash, dataclasses.replace(settings, lr=rate),
                           _custom_csv)
        return health.assess(other.train_loss, other.diverged_at)

    return verdict, health.suggest_rate(settings.lr, check)


def _health_message(label: str, run: Run, verdict: health.Health, suggested: float | None,
                    scale: int) -> None:
    settings = run.settings
    text = health.explain(verdict, lr=settings.lr, reg=settings.reg,
                          optimizer=settings.optimizer, scale=scale,
                          diverged_at=run.diverged_at, suggested=suggested)
    if verdict.kind == "diverged":
        st.error(f"**{label}** {text}", icon=":material/error:")
    else:
        st.warning(f"**{label}** {text}", icon=":material/ssid_chart:")


def _format_loss(value: float) -> str:
    """Six decimals, or six significant digits when that would be too wide."""
    return f"{value:.6f}" if abs(value) < 1e4 else f"{value:.6g}"


def _metrics(data: Data, runs: list[tuple[str, Run]]) -> None:
    """The final numbers of every run, one row each in aligned columns, under the run's
    name when there are two."""
    for index, (label, run) in enumerate(runs):
        with st.container(key=f"metrics{index or ''}"):
            if len(runs) > 1:
                st.markdown(f"**{label}**")
            cells = iter(st.columns([1.1, 1, 1, 0.8, 1.1], gap="small"))
            next(cells).metric(
                "final train loss", _format_loss(run.final_loss),
                help=f"Exactly {run.final_loss!r}: the regularised training loss after "
                f"{run.steps_taken} steps.")
            next(cells).metric("train accuracy", f"{run.train_accuracy[-1]:.1%}")
            test_cell = next(cells)
            if run.test_accuracy.size:
                test_cell.metric("test accuracy", f"{run.test_accuracy[-1]:.1%}")
            next(cells).metric("steps taken", f"{run.steps_taken}")
            points = next(cells)
            if index == 0:
                points.metric("points (train / test)",
                              f"{data.X_train.shape[0]} / {data.X_test.shape[0]}")


@st.cache_data(max_entries=16, show_spinner=False)
def cached_points(data_settings: DataSettings, custom_hash: str, _custom_csv: str | None
                  ) -> bytes:
    return points_payload(cached_data(data_settings, custom_hash, _custom_csv))


@st.cache_data(max_entries=16, show_spinner=False)
def cached_payload(
    data_settings: DataSettings, custom_hash: str, settings: tuple[TrainSettings, ...],
    kinds: tuple[str, ...], show_test: bool, discrete: bool, at: int, trajectory: str,
    _custom_csv: str | None, present: bool = False,
) -> bytes:
    data = cached_data(data_settings, custom_hash, _custom_csv)
    runs = [cached_run(data_settings, custom_hash, each, _custom_csv) for each in settings]
    labels = [_run_label(each) + (" (2nd)" if index else "")
              for index, each in enumerate(settings)]
    points = cached_points(data_settings, custom_hash, _custom_csv)
    return player_payload(
        data, runs, labels=labels, health=list(kinds), show_test=show_test,
        discrete=discrete, at=at, class_colors=CLASS_COLORS[: data.classes],
        run_colors=figs.RUN_COLORS[: len(runs)], points=points_id(points),
        trajectory=trajectory, present=present,
    )


def _trajectory_id(data_settings: DataSettings, custom_hash: str,
                   settings: tuple[TrainSettings, ...]) -> str:
    """The id by which the landscape view finds the player's trajectory of these runs."""
    text = repr((data_settings, custom_hash, settings))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _take_player_step() -> None:
    """The paused step from the browser: user input, so it goes through the ``at`` checks."""
    step = checked_step(sent_step(), st.session_state.get("_player_steps", 1))
    if step is not None:
        st.session_state[state.STEP_AT.key] = step


def _opening_step(run_key: tuple, steps_taken: int) -> int:
    """The step the player opens at: the inspected step when this run first appears.

    Later changes of ``at`` (the player's own pauses) keep the payload unchanged, so the
    browser is not sent the trajectory again for them.
    """
    remembered = st.session_state.get("_player_open")
    if remembered is not None and remembered[0] == run_key:
        return remembered[1]
    at = st.session_state.get(state.STEP_AT.key)
    if at is None:
        values = st.query_params.get_all(state.STEP_AT.key)
        try:
            at = state.resolve_query(state.STEP_AT, values)
        except ValueError:
            at = steps_taken
    at = min(int(at), steps_taken)
    st.session_state["_player_open"] = (run_key, at)
    return at


def player_section(data_settings: DataSettings, custom_csv: str | None,
                   settings: list[TrainSettings], runs: list[tuple[str, Run]],
                   kinds: list[str]) -> None:
    """The player: regions of every run and the curves, with the display options."""
    key = _csv_hash(custom_csv)
    options = st.columns([1.3, 1.4, 2.6], gap="medium", vertical_alignment="center")
    with options[0]:
        show_test = control(state.SHOW_TEST)
    with options[1]:
        discrete = control(state.DISCRETE)
    with options[2]:
        st.caption("Solid curves: training points; dashed: test points. Space plays or "
                   "pauses, the arrow keys step, Home restarts.")
    steps_taken = max(run.steps_taken for _, run in runs)
    st.session_state["_player_steps"] = steps_taken
    run_key = (data_settings, key, tuple(settings), show_test, discrete)
    at = _opening_step(run_key, steps_taken)
    payload = cached_payload(data_settings, key, tuple(settings), tuple(kinds), show_test,
                             discrete, at, _trajectory_id(data_settings, key, tuple(settings)),
                             custom_csv, present=presenting())
    mount(cached_points(data_settings, key, custom_csv), payload, _take_player_step)


@st.fragment
def training_section(data_settings: DataSettings, custom_csv: str | None) -> None:
    """Optimiser controls, the run and its player, then the inspect panel.

    In presentation mode the controls stand in a column beside the player, so that the
    regions, Play and the controls that move them fit a projector's screen."""
    present = presenting()
    if present:
        left, right = st.columns([1, 3.2], gap="medium")
    else:
        left = right = st.container()
    with left:
        first, second = _train_controls(stacked=present)
    key = _csv_hash(custom_csv)
    data = cached_data(data_settings, key, custom_csv)
    settings = [first] + ([second] if second is not None else [])
    runs = [(_run_label(each) + (" (2nd)" if index else ""),
             cached_run(data_settings, key, each, custom_csv))
            for index, each in enumerate(settings)]
    verdicts = [cached_health(data_settings, key, each, custom_csv) for each in settings]
    # The messages and metrics sit above the player but are sent after it: the regions
    # answer "what did this change do?" and the browser draws them while the rest arrives.
    above = right.container()
    with right:
        player_section(data_settings, custom_csv, settings, runs,
                       [verdict.kind for verdict, _ in verdicts])
    with above:
        for (label, run), (verdict, suggested) in zip(runs, verdicts, strict=True):
            if not verdict.ok:
                _health_message(label, run, verdict, suggested, data_settings.scale)
        with secondary_panel("Loss, accuracy and steps"):
            _metrics(data, runs)
    inspect_section(data_settings, custom_csv, first, second)


# ----------------------------------------------------------------------------------------
# Inspecting one step


@st.fragment
def inspect_section(data_settings: DataSettings, custom_csv: str | None,
                    first: TrainSettings, second: TrainSettings | None) -> None:
    """The model at one chosen step, seen through one panel at a time."""
    key = _csv_hash(custom_csv)
    data = cached_data(data_settings, key, custom_csv)
    run = cached_run(data_settings, key, first, custom_csv)
    st.subheader("Inspect one step", anchor=False)
    top = st.columns([1, 1], gap="large", vertical_alignment="bottom")
    with top[0]:
        step = _step_control(run.steps_taken)
    with top[1]:
        view = control(state.VIEW)
    if view == "Landscape":
        other = (cached_run(data_settings, key, second, custom_csv) if second is not None
                 else None)
        settings = (first,) + ((second,) if second is not None else ())
        landscape_panel(data, run, step, other, _trajectory_id(data_settings, key, settings))
    elif view == "Pulls":
        pulls_panel(data, run, step)
    elif view == "Examples":
        examples_panel(data, run, step)
    else:
        downloads_panel(data_settings, custom_csv, first)


def _step_control(steps_taken: int) -> int:
    """The inspected step, 0..steps taken; it stays on the last step while it was there."""
    high = max(steps_taken, 1)  # a slider needs min < max
    key, previous_high = state.STEP_AT.key, st.session_state.get("_at_high")
    if key in st.session_state:
        current = st.session_state[key]
        if current > high or (current == previous_high and previous_high != high):
            st.session_state[key] = high
    st.session_state["_at_high"] = high
    return min(control(state.STEP_AT.with_range(max_value=high)), steps_taken)


def _landscape_params(data: Data) -> tuple[str, str]:
    dim, k = data.dim, data.classes
    names = [f"W[{r},{c}]" for r in range(dim) for c in range(k)] + [f"b[{c}]" for c in range(k)]
    return (control(state.LANDSCAPE_X.with_options(names)),
            control(state.LANDSCAPE_Y.with_options(names)))


def _span(paths) -> tuple[tuple[float, float], float]:
    """Centre and half-width of a square that holds every path with a margin."""
    points = np.concatenate(paths)
    low, high = points.min(axis=0), points.max(axis=0)
    centre = (low + high) / 2
    half = max(float(np.max(high - low)) / 2 * 1.3, 1.0)
    return (float(centre[0]), float(centre[1])), half


def landscape_panel(data: Data, run: Run, step: int, other: Run | None,
                    trajectory: str) -> None:
    """The loss over two parameters at ``step``, drawn in the browser with the paths of
    the runs (read from the player's ``trajectory``) and the player's marker."""
    chart, side = st.columns([5, 2], gap="large")
    with side:
        px, py = _landscape_params(data)
        note = st.empty()
    if px == py:
        note.warning("Pick two different parameters for the landscape.", icon=":material/info:")
        return
    params = (px, py)
    paths = [(_run_label(run.settings), project_path(run.trajectory.W, run.trajectory.b, params))]
    if other is not None:
        paths.append((_run_label(other.settings) + " (2nd)",
                      project_path(other.trajectory.W, other.trajectory.b, params)))
    centre, half = _span([path for _, path in paths])
    try:
        grid = landscape(run.trajectory.W[step], run.trajectory.b[step], data.F_train,
                         data.y_train, params=params, center=centre, span=half,
                         resolution=LANDSCAPE_RESOLUTION, reg=run.settings.reg)
    except ValueError as error:
        note.warning(f"The landscape cannot be drawn here: {error}.", icon=":material/info:")
        return
    with chart:
        mount_landscape({
            **figs.landscape_picture(grid),
            "params": [list(parse_param(name)) for name in params],
            "slice": step, "at_point": [float(v) for v in paths[0][1][step]],
            "runs": [label for label, _ in paths],
            "colors_runs": list(figs.RUN_COLORS[: len(paths)]),
            "trajectory": trajectory,
        })
    text = (f"The loss as {px} and {py} vary, with every other weight and bias frozen at "
            f"step {step}: exact for that step only. The line is the optimiser's path in "
            "these two coordinates, from the start to the end; the ring is the step of "
            "the slice and the yellow dot follows the player.")
    if other is not None:
        text += (" The second path is drawn on the same slice, although its other "
                 "parameters differ.")
    note.caption(text)


def pulls_panel(data: Data, run: Run, step: int) -> None:
    chart, side = st.columns([5, 2], gap="large")
    with side:
        k = control(state.PULL_CLASS.with_range(max_value=data.classes - 1))
        st.caption(
            f"Each arrow is −(p_{k} − y_{k})·x for one training point: the (x1, x2) part of "
            f"that point's term in −∂L/∂w_{k}, i.e. where one descent step moves w_{k} "
            f"because of it. Points of class {k} pull w_{k} towards themselves, the others "
            "push it away, each in proportion to how wrong the model still is about them: "
            "confident, correct points barely pull. The thick arrow from the origin is their "
            "mean, the data part of the step. Arrows are drawn at half scale, the same at "
            "every step, so they shrink as the model converges."
        )
    result = pulls(data, run, step, k)
    W, b = run.trajectory.W[step], run.trajectory.b[step]
    lines = boundary_lines(W, b, data.features, data.bounds)
    with chart:
        show_chart(figs.pulls_figure(result, k, lines, data.bounds), key="pulls",
                   alt=f"Arrows: how each training point pulls the weights of class {k} at "
                       f"step {step}, over the decision boundaries.")


def examples_panel(data: Data, run: Run, step: int) -> None:
    left, right = st.columns([5, 2], gap="large")
    total = data.X_train.shape[0]
    pages = max(1, math.ceil(total / TABLE_ROWS))
    with right:
        order = control(state.TABLE_ORDER)
        page = control(state.TABLE_PAGE.with_range(max_value=max(pages, 2)))
        page = min(page, pages)
    with left:
        first = (page - 1) * TABLE_ROWS
        shown = min(TABLE_ROWS, total - first)
        st.markdown(f"**Training points {first + 1}–{first + shown} of {total} ({order}) at "
                    f"step {step}**: scores s, probabilities p and loss −log p_y")
        table = example_table(data, run, step, order=order, page=page - 1)
        st.dataframe(pd.DataFrame(table), height=360, key="examples", hide_index=True,
                     column_config={name: st.column_config.NumberColumn(format="%.3f")
                                    for name in table
                                    if name not in ("point", "y", "predicted")})
    with right:
        split = "test" if data.y_test.size else "train"
        y_true, y_pred = predictions(data, run, step, split)
        st.markdown(f"**Confusion matrix on the {split} points at step {step}**")
        matrix = confusion_matrix(y_true, y_pred, data.classes)
        show_chart(figs.confusion_figure(matrix), key="confusion",
                   alt=chart_text.matrix_text("the confusion matrix", matrix, rows="true class",
                                              columns="predicted class", decimals=0))


def downloads_panel(data_settings: DataSettings, custom_csv: str | None,
                    first: TrainSettings) -> None:
    key = _csv_hash(custom_csv)

    def data():
        return cached_data(data_settings, key, custom_csv)

    def run():
        return cached_run(data_settings, key, first, custom_csv)

    def script() -> str:
        d = data()
        W0, b0 = initial_params(d.dim, d.classes, first.init)
        return reproduce_script(d, data_settings, first, W0, b0)

    columns = st.columns(3, gap="medium")
    with columns[0]:
        st.download_button("Trajectory (CSV)", data=lambda: trajectory_csv(data(), run()),
                           file_name="trajectory.csv", mime="text/csv", key="get_trajectory",
                           icon=":material/timeline:", on_click="ignore")
        st.caption("Step, train/test loss and accuracy, and every weight and bias.")
    with columns[1]:
        st.download_button("Dataset (CSV)", data=lambda: dataset_csv(data()),
                           file_name="dataset.csv", mime="text/csv", key="get_dataset",
                           icon=":material/table:", on_click="ignore")
        st.caption("x1, x2, label: upload it back as your own data.")
    with columns[2]:
        st.download_button("Python script", data=script, file_name="softmax_run.py",
                           mime="text/x-python", key="get_script", icon=":material/code:",
                           on_click="ignore")
        st.caption("numpy only: repeats this run exactly and prints the final loss.")


# ----------------------------------------------------------------------------------------

guided_lesson("training")
notes_slot = lesson_header(
    "Training by gradient descent",
    "Train a softmax classifier on 2D points and watch gradient descent move the decision "
    "boundaries, step by step.",
    EXPLANATION, SETTINGS,
)
data_settings, custom_csv = data_section()
training_section(data_settings, custom_csv)
show_url_notes(notes_slot)
