"""/training's data section: the data controls and, for the learner's own data, the
upload and the editable table of points.

The data controls sit right under the player they move (``data_slot``), on a phone too;
in presentation mode they fold away under it.

Bad input (a file or table that does not parse) is explained and the previous points are
kept; the learner's points stay in this session only.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from explorer.export import points_csv
from explorer.i18n import _
from explorer.markdown_text import plain_text
from explorer.page_logic.training_run import (
    MAX_CUSTOM_CLASSES,
    DataSettings,
    make_data,
    parse_custom_points,
)
from explorer.page_logic.training_view import (
    class_key,
    class_names,
    classes_setting,
    dataset_note,
    upload_help,
)
from explorer.pages.controls import ControlValues
from explorer.pages.presentation import secondary_panel
from explorer.points_csv import read_points
from explorer.settings import specs

#: Session key of the class names read from the learner's CSV (None: class numbers).
_NAMES = "custom_names"


def given_class_names(data_settings: DataSettings, classes: int) -> list[str] | None:
    """The names of the classes when the learner's CSV gave them (else None): one per
    class, ``class k`` for a class added in the table."""
    names = st.session_state.get(_NAMES) if data_settings.dataset == "custom" else None
    return class_names(classes, names) if names else None


#: A small editable example for "your own data" (rounded so the table reads well).
_EXAMPLE_DATA = DataSettings(dataset="blobs", n=36, classes=3, noise=0.25, seed=7)


def custom_points_section() -> str:
    """The learner's points: upload a CSV or edit the table. Returns the last good CSV."""
    if "custom_csv" not in st.session_state:
        example = make_data(_EXAMPLE_DATA)
        st.session_state["custom_csv"] = points_csv(example.X.round(2), example.y)
        st.session_state[_NAMES] = None
        st.session_state["custom_version"] = 0
    left, right = st.columns([2, 3], gap="medium")
    with left:
        uploaded = st.file_uploader(
            _("Upload a CSV of x1, x2, label"), type=["csv", "txt"], key="upload",
            help=upload_help(),
        )
        _take_upload(uploaded)
        error = st.session_state.get("upload_error")
        if error:
            name, reason = (plain_text(part, limit=80) for part in error)
            st.error(_("**{name}** was not used: {reason}. The previous points are kept.").format(
                name=name, reason=reason),
                     icon=":material/error:")
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
    # Text labels (cat, dog) name the classes in legends and tables.
    st.session_state[_NAMES] = read_points(uploaded.getvalue()).names
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
            "label": st.column_config.NumberColumn(
                "label", min_value=0, max_value=MAX_CUSTOM_CLASSES - 1, step=1),
        },
    )
    names = st.session_state.get(_NAMES)
    if names:
        st.caption(_("Labels are class numbers here: {classes}.").format(
            classes=class_key(names)))
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


def data_slot() -> Any:
    """Where the data controls go, right under the player they move (on a phone too,
    where a sidebar would hide them); in presentation mode folded away."""
    return secondary_panel(_("Data"), key="training_data")


def data_section(where: Any) -> tuple[DataSettings, str | None]:
    """The data controls in ``where``, a grid of four columns (one on a phone), then the
    learner's own points; returns the settings and the learner's CSV."""
    asked = ControlValues()
    with where:
        st.subheader(_("Data"), anchor=False)
        cells = st.columns(4, gap="medium")
        with cells[0]:
            dataset = asked.control(specs.DATASET)
        custom = dataset == "custom"
        # The classes control comes second but is made last: for the learner's own points
        # its single choice (their K) is known only after the upload and the table.
        classes_slot = cells[1].empty()
        with cells[2]:
            asked.control(specs.POINTS, disabled=custom)
        with cells[3]:
            asked.control(specs.NOISE, disabled=custom)
        cells = st.columns(4, gap="medium")
        with cells[0]:
            asked.control(specs.TEST_FRACTION)
        with cells[1]:
            asked.control(specs.DATA_SEED)
        with cells[2]:
            features = asked.control(specs.FEATURES)
        with cells[3]:
            asked.control(specs.FEATURE_SCALE)
        note = st.empty()
        custom_csv = custom_classes = None
        if custom:
            with st.expander(_("Your points"), expanded=True, icon=":material/edit_note:"):
                custom_csv = custom_points_section()
            custom_classes = int(parse_custom_points(custom_csv)[1].max()) + 1
        with classes_slot.container():
            setting = classes_setting(dataset, custom_classes)
            asked.control(setting, disabled=setting.kind == "select")
        note.caption(dataset_note(dataset, features))
    return DataSettings.from_values(asked), custom_csv
