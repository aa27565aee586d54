"""/training's data section: the data controls and, for the learner's own data, the
upload and the editable table of points.

Bad input (a file or table that does not parse) is explained and the previous points are
kept; the learner's points stay in this session only.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from explorer import state
from explorer.datasets import DATASETS
from explorer.export import points_csv
from explorer.i18n import _
from explorer.pages.controls import control
from explorer.state import plain_text
from explorer.training_run import DataSettings, make_data, parse_custom_points
from explorer.training_view import dataset_note

#: A small editable example for "your own data" (rounded so the table reads well).
_EXAMPLE_DATA = DataSettings(dataset="blobs", n=36, classes=3, noise=0.25, seed=7)


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
            _("Upload a CSV of x1, x2, label"), type=["csv", "txt"], key="upload",
            help=_("One point per line; labels are class numbers 0..5; at most 5000 rows."),
        )
        _take_upload(uploaded)
        error = st.session_state.get("upload_error")
        if error:
            name, reason = (plain_text(part, limit=80) for part in error)
            st.error(_("**{name}** was not used: {reason}. The previous points are kept.").format(
                name=name, reason=reason), icon=":material/error:")
        st.caption(_(
            "Your points stay in this browser session; a shared link cannot carry them. "
            "Download the dataset CSV (Downloads panel) to share them."
        ))
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
        # Translators: "line" as in the CSV errors ("line 3: ..."), and what a table has.
        message = str(error).replace(_("line "), _("row "), 1)
        st.error(_("The table was not used: {reason}. The previous points are kept.").format(
            reason=plain_text(message)), icon=":material/error:")
        return
    st.session_state["custom_csv"] = points_csv(X, y)


def data_section() -> tuple[DataSettings, str | None]:
    """The data controls, in the sidebar; returns the settings and the learner's CSV."""
    with st.sidebar:
        st.subheader(_("Data"), anchor=False)
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
        with st.expander(_("Your points"), expanded=True, icon=":material/edit_note:"):
            custom_csv = custom_points_section()
        custom_classes = int(parse_custom_points(custom_csv)[1].max()) + 1
    with st.sidebar:
        with classes_slot.container():
            setting = _classes_setting(dataset, custom_classes)
            classes = control(setting, disabled=setting.kind == "select")
        st.caption(dataset_note(dataset, features))
    return DataSettings(dataset=dataset, n=n, classes=classes, noise=noise, seed=seed,
                        test=test, features=features, scale=scale), custom_csv

