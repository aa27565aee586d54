"""Plotly JSON written directly: :class:`PrebuiltFigure` and the typed-array encoding.

plotly.py validates every attribute of a ``go.Figure`` (tens of milliseconds per chart);
a figure built as plain JSON skips that, with numpy arrays sent as Plotly's base64 typed
arrays.
"""

from __future__ import annotations

import base64

import numpy as np
import plotly.graph_objects as go

from explorer.figures.readable import readable_spec


def _viewed(name: str) -> property:
    """A read-only property ``name`` of a PrebuiltFigure's validated view (plotly.py's own
    while the base class is still being set up)."""
    base = getattr(go.Figure, name)

    def read(self):
        if "_spec" not in self.__dict__:
            return base.fget(self)
        return getattr(self._validated(), name)

    return property(read)


class PrebuiltFigure(go.Figure):
    """A figure given as finished Plotly JSON, handed to ``st.plotly_chart`` as is.

    ``to_dict`` returns the JSON (arrays already as base64 typed arrays) instead of
    re-validating every attribute: plotly.py's validation costs tens of milliseconds per
    chart, felt on every slider move. ``spec`` is the figure for tests to read; ``data``,
    ``layout`` and ``frames`` give a validated ``go.Figure`` view of the same JSON, built
    only when first asked for (never on the page's path: Streamlit reads ``to_dict``).
    """

    def __init__(self, spec: dict):
        super().__init__()
        # BaseFigure's __setattr__ only lets names starting with "_" through.
        self._spec = encode_arrays(readable_spec(spec))
        self._view = None

    @property
    def spec(self) -> dict:
        """The figure's JSON: ``data``, ``layout`` and (for animations) ``frames``."""
        return self._spec

    def to_dict(self) -> dict:
        return self._spec

    def to_plotly_json(self) -> dict:
        return self._spec

    def _validated(self) -> go.Figure:
        if self.__dict__.get("_view") is None:
            self._view = go.Figure(decode_arrays(self._spec))
        return self._view

    data = _viewed("data")
    layout = _viewed("layout")
    frames = _viewed("frames")

    def __reduce__(self):
        # st.cache_data pickles return values; keep the JSON exactly as it is.
        return (PrebuiltFigure, (self._spec,))


_TYPED = {np.dtype(np.float64): "f8", np.dtype(np.float32): "f4", np.dtype(np.int32): "i4",
          np.dtype(np.int16): "i2", np.dtype(np.int8): "i1", np.dtype(np.uint8): "u1"}
_UNTYPED = {code: dtype for dtype, code in _TYPED.items()}


def encode_arrays(value):
    """``value`` with every numpy array replaced by a Plotly typed array (base64)."""
    if isinstance(value, dict):
        return {name: encode_arrays(item) for name, item in value.items()}
    if isinstance(value, list | tuple):
        return [encode_arrays(item) for item in value]
    if isinstance(value, np.ndarray):
        if value.size == 0 or value.dtype not in _TYPED:
            return value.tolist()
        array = np.ascontiguousarray(value)
        spec = {"dtype": _TYPED[array.dtype],
                "bdata": base64.b64encode(array.tobytes()).decode("ascii")}
        if array.ndim > 1:
            spec["shape"] = ", ".join(str(size) for size in array.shape)
        return spec
    return value


def decode_arrays(value):
    """The inverse of :func:`encode_arrays`: typed arrays back to numpy arrays."""
    if isinstance(value, dict):
        if "bdata" in value and value.get("dtype") in _UNTYPED:
            array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=_UNTYPED[value["dtype"]])
            if value.get("shape"):
                array = array.reshape([int(part) for part in str(value["shape"]).split(",")])
            return array
        return {name: decode_arrays(item) for name, item in value.items()}
    if isinstance(value, list):
        return [decode_arrays(item) for item in value]
    return value

