"""/training's inspect section: the final numbers of the runs, then the model at one chosen
step, seen through one panel at a time: the loss landscape (drawn in the browser,
explorer/pages/training_player.py), who pulls the boundary, the per-example table with
the confusion matrix, the downloads.

The section is its own fragment: a change of the inspected step or panel reruns it alone.
It is not part of the training section's fragment, so a new run reaches the player first;
its link to the player (``follow_player``) runs it again when the player shows another
run, or pauses (the paused step becomes the inspected step ``at``).
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from explorer import chart_text
from explorer.boundaries import boundary_lines
from explorer.export import dataset_csv, reproduce_script, trajectory_csv
from explorer.figures import training_figs as figs
from explorer.i18n import _
from explorer.landscape import landscape, project_path
from explorer.page_logic.training_run import Data, DataSettings, Run, TrainSettings, initial_params
from explorer.page_logic.training_step import (
    TABLE_ROWS,
    confusion_matrix,
    example_table,
    predictions,
    pulls,
)
from explorer.page_logic.training_view import (
    class_key,
    csv_hash,
    format_loss,
    named_table,
    path_span,
    run_labels,
    trajectory_id,
)
from explorer.pages.charts import show_chart
from explorer.pages.controls import control
from explorer.pages.presentation import secondary_panel
from explorer.pages.training_cache import cached_data, cached_run
from explorer.pages.training_controls import shown_runs
from explorer.pages.training_data import given_class_names
from explorer.pages.training_player import checked_step, follow_player, mount_landscape
from explorer.param_names import parameter_names, parse_param
from explorer.settings import specs

#: Grid points per side of the loss landscape.
LANDSCAPE_RESOLUTION = 45


def metrics_panel(data: Data, runs: list[tuple[str, Run]]) -> None:
    """The final numbers of every run, one row each in aligned columns, under the run's
    name when there are two."""
    for index, (label, run) in enumerate(runs):
        with st.container(key=f"metrics{index or ''}"):
            if len(runs) > 1:
                st.markdown(f"**{label}**")
            cells = iter(st.columns([1.1, 1, 1, 0.8, 1.1], gap="small"))
            next(cells).metric(
                _("final train loss"), format_loss(run.final_loss),
                help=_("Exactly {loss}: the regularised training loss after "
                       "{steps} steps.").format(loss=repr(run.final_loss),
                                                steps=run.steps_taken))
            next(cells).metric(_("train accuracy"), f"{run.train_accuracy[-1]:.1%}")
            test_cell = next(cells)
            if run.test_accuracy.size:
                test_cell.metric(_("test accuracy"), f"{run.test_accuracy[-1]:.1%}")
            next(cells).metric(_("steps taken"), f"{run.steps_taken}")
            points = next(cells)
            if index == 0:
                points.metric(_("points (train / test)"),
                              f"{data.X_train.shape[0]} / {data.X_test.shape[0]}")


@st.fragment
def inspect_section() -> None:
    """The model at one chosen step of the runs the training section shows, seen through
    one panel at a time."""
    data_settings, custom_csv, first, second = shown_runs()
    key = csv_hash(custom_csv)
    settings = (first,) + ((second,) if second is not None else ())
    paused = follow_player()
    data = cached_data(data_settings, key, custom_csv)
    run = cached_run(data_settings, key, first, custom_csv)
    with secondary_panel(_("Loss, accuracy and steps")):
        metrics_panel(data, list(zip(
            run_labels(settings),
            [cached_run(data_settings, key, each, custom_csv) for each in settings],
            strict=True)))
    if paused is not None:
        # The paused step is browser input: it goes through the ``at`` checks.
        step = checked_step(paused, max(cached_run(data_settings, key, each, custom_csv)
                                        .steps_taken for each in settings))
        if step is not None:
            st.session_state[specs.STEP_AT.key] = step
    st.subheader(_("Inspect one step"), anchor=False)
    top = st.columns([1, 1], gap="large", vertical_alignment="bottom")
    with top[0]:
        step = _step_control(run.steps_taken)
    with top[1]:
        view = control(specs.VIEW)
    if view == "Landscape":
        other = (cached_run(data_settings, key, second, custom_csv) if second is not None
                 else None)
        landscape_panel(data, run, step, other, trajectory_id(data_settings, key, settings))
    elif view == "Pulls":
        pulls_panel(data, run, step, given_class_names(data_settings, data.classes))
    elif view == "Examples":
        examples_panel(data, run, step, given_class_names(data_settings, data.classes))
    else:
        downloads_panel(data_settings, custom_csv, first)


def _step_control(steps_taken: int) -> int:
    """The inspected step, 0..steps taken; it stays on the last step while it was there."""
    high = max(steps_taken, 1)  # a slider needs min < max
    key, previous_high = specs.STEP_AT.key, st.session_state.get("_at_high")
    if key in st.session_state:
        current = st.session_state[key]
        if current > high or (current == previous_high and previous_high != high):
            st.session_state[key] = high
    st.session_state["_at_high"] = high
    return min(control(specs.STEP_AT.with_range(max_value=high)), steps_taken)


def _landscape_params(data: Data) -> tuple[str, str]:
    names = parameter_names(data.dim, data.classes)
    return (control(specs.LANDSCAPE_X.with_options(names)),
            control(specs.LANDSCAPE_Y.with_options(names)))



def landscape_panel(data: Data, run: Run, step: int, other: Run | None,
                    trajectory: str) -> None:
    """The loss over two parameters at ``step``, drawn in the browser with the paths of
    the runs (read from the player's ``trajectory``) and the player's marker."""
    chart, side = st.columns([5, 2], gap="large")
    with side:
        px, py = _landscape_params(data)
        note = st.empty()
    if px == py:
        note.warning(_("Pick two different parameters for the landscape."),
                     icon=":material/info:")
        return
    params = (px, py)
    runs = [run] + ([other] if other is not None else [])
    paths = [(label, project_path(each.trajectory.W, each.trajectory.b, params))
             for label, each in zip(run_labels([each.settings for each in runs]), runs,
                                    strict=True)]
    centre, half = path_span([path for _, path in paths])
    try:
        grid = landscape(run.trajectory.W[step], run.trajectory.b[step], data.F_train,
                         data.y_train, params=params, center=centre, span=half,
                         resolution=LANDSCAPE_RESOLUTION, reg=run.settings.reg)
    except ValueError as error:
        note.warning(_("The landscape cannot be drawn here: {reason}.").format(reason=error),
                     icon=":material/info:")
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
    if other is None:
        text = _("The loss as {x} and {y} vary, with every other weight and bias frozen at "
                 "step {step}: exact for that step only. The line is the optimiser's path in "
                 "these two coordinates, from the start to the end; the ring is the step of "
                 "the slice and the yellow dot follows the player.")
    else:
        text = _("The loss as {x} and {y} vary, with every other weight and bias frozen at "
                 "step {step}: exact for that step only. The line is the optimiser's path in "
                 "these two coordinates, from the start to the end; the ring is the step of "
                 "the slice and the yellow dot follows the player. The second path is drawn "
                 "on the same slice, although its other parameters differ.")
    note.caption(text.format(x=px, y=py, step=step))


def pulls_panel(data: Data, run: Run, step: int, names: list[str] | None) -> None:
    """Who pulls the weights of one class; ``names``: the classes' names, if given."""
    chart, side = st.columns([5, 2], gap="large")
    with side:
        k = control(specs.PULL_CLASS.with_range(max_value=data.classes - 1))
        named = (_("class {k} ({name})").format(k=k, name=names[k]) if names
                 else _("class {k}").format(k=k))
        st.caption(_(
            "Each arrow is −(p_{k} − y_{k})·x for one training point: the (x1, x2) part of "
            "that point's term in −∂L/∂w_{k}, i.e. where one descent step moves w_{k} "
            "because of it. Points of {named} pull w_{k} towards themselves, the others "
            "push it away, each in proportion to how wrong the model still is about them: "
            "confident, correct points barely pull. The thick arrow from the origin is their "
            "mean, the data part of the step. Arrows are drawn at half scale, the same at "
            "every step, so they shrink as the model converges."
        ).format(k=k, named=named))
    result = pulls(data, run, step, k)
    W, b = run.trajectory.W[step], run.trajectory.b[step]
    lines = boundary_lines(W, b, data.features, data.bounds)
    with chart:
        show_chart(figs.pulls_figure(result, k, lines, data.bounds), key="pulls",
                   alt=_("Arrows: how each training point pulls the weights of {named} at "
                         "step {step}, over the decision boundaries.").format(named=named,
                                                                             step=step))
        if names:
            st.caption(class_key(names))


def examples_panel(data: Data, run: Run, step: int, names: list[str] | None) -> None:
    """The per-example table and the confusion matrix; ``names``: the classes' names, if
    given (they then name the table's classes and columns)."""
    left, right = st.columns([5, 2], gap="large")
    total = data.X_train.shape[0]
    pages = max(1, math.ceil(total / TABLE_ROWS))
    with right:
        order = control(specs.TABLE_ORDER)
        page = control(specs.TABLE_PAGE.with_range(max_value=max(pages, 2)))
        page = min(page, pages)
    with left:
        first = (page - 1) * TABLE_ROWS
        shown = min(TABLE_ROWS, total - first)
        st.markdown(_("**Training points {first}–{last} of {total} ({order}) at "
                      "step {step}**: scores s, probabilities p and loss −log p_y").format(
            first=first + 1, last=first + shown, total=total, order=order, step=step))
        table = example_table(data, run, step, order=order, page=page - 1)
        if names:
            table = named_table(table, names)
        headers = {"point": _("point"), "loss": _("loss"), "predicted": _("predicted")}
        st.dataframe(pd.DataFrame(table).rename(columns=headers), height=360, key="examples",
                     hide_index=True,
                     column_config={headers.get(name, name):
                                    st.column_config.NumberColumn(format="%.3f")
                                    for name in table
                                    if name not in ("point", "y", "predicted")})
    with right:
        split = "test" if data.y_test.size else "train"
        y_true, y_pred = predictions(data, run, step, split)
        heading = (_("**Confusion matrix on the test points at step {step}**") if data.y_test.size
                   else _("**Confusion matrix on the train points at step {step}**"))
        st.markdown(heading.format(step=step))
        matrix = confusion_matrix(y_true, y_pred, data.classes)
        show_chart(figs.confusion_figure(matrix), key="confusion",
                   alt=chart_text.matrix_text(_("the confusion matrix"), matrix,
                                              rows=_("true class"), columns=_("predicted class"),
                                              decimals=0))
        if names:
            st.caption(class_key(names))


def downloads_panel(data_settings: DataSettings, custom_csv: str | None,
                    first: TrainSettings) -> None:
    key = csv_hash(custom_csv)

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
        st.download_button(_("Trajectory (CSV)"), data=lambda: trajectory_csv(data(), run()),
                           file_name="trajectory.csv", mime="text/csv", key="get_trajectory",
                           icon=":material/timeline:", on_click="ignore")
        st.caption(_("Step, train/test loss and accuracy, and every weight and bias."))
    with columns[1]:
        st.download_button(_("Dataset (CSV)"), data=lambda: dataset_csv(data()),
                           file_name="dataset.csv", mime="text/csv", key="get_dataset",
                           icon=":material/table:", on_click="ignore")
        st.caption(_("x1, x2, label: upload it back as your own data."))
    with columns[2]:
        st.download_button(_("Python script"), data=script, file_name="softmax_run.py",
                           mime="text/x-python", key="get_script", icon=":material/code:",
                           on_click="ignore")
        st.caption(_("numpy only: repeats this run exactly and prints the final loss."))
