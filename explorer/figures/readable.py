"""Readable chart text: sizes, colours and contrast that no chart theme overrides.

Every figure goes through :func:`readable_spec` (laptop sizes) or :func:`presented`
(a lecture hall): smaller text is raised to the sizes of :mod:`explorer.figures.style`
and colours too light on white are darkened (WCAG 2.1 AA contrast).
"""

from __future__ import annotations

import functools

from explorer.figures.style import MIN_TEXT_CONTRAST, PRESENT_TEXT_SIZES, TEXT_COLOR, TEXT_SIZES


def _rgb(colour: str) -> tuple[float, float, float, float] | None:
    """``#rgb``, ``#rrggbb``, ``rgb(...)`` or ``rgba(...)`` as (r, g, b, alpha); None otherwise."""
    text = colour.strip().lower()
    if text.startswith("#") and len(text) in (4, 7):
        digits = text[1:] if len(text) == 7 else "".join(ch * 2 for ch in text[1:])
        return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16), 1.0)
    if text.startswith(("rgb(", "rgba(")):
        parts = [float(part) for part in text[text.index("(") + 1:-1].split(",")]
        return (parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else 1.0)
    return None


def _luminance(red: float, green: float, blue: float) -> float:
    def linear(channel: float) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


@functools.lru_cache(maxsize=256)
def contrast_ratio(colour: str, background: str = "#ffffff") -> float:
    """WCAG 2.1 contrast ratio of ``colour`` (its alpha painted over ``background``) on
    ``background``; both as hex or ``rgb()``/``rgba()``."""
    fg, bg = _rgb(colour), _rgb(background)
    if fg is None or bg is None:
        raise ValueError(f"contrast_ratio needs hex or rgb() colours, got {colour!r}, "
                         f"{background!r}")
    alpha = fg[3]
    painted = [fg[i] * alpha + bg[i] * (1 - alpha) for i in range(3)]
    light, dark = sorted((_luminance(*painted), _luminance(*bg[:3])), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@functools.lru_cache(maxsize=256)
def legible_on_white(colour: str, minimum: float = MIN_TEXT_CONTRAST) -> str:
    """``colour`` itself when text in it reads on white (contrast >= ``minimum``), else the
    same hue darkened just enough (as ``#rrggbb``). Colours that are not hex or rgb() (named
    colours) are returned as they are."""
    parsed = _rgb(colour)
    if parsed is None or contrast_ratio(colour) >= minimum:
        return colour
    red, green, blue, alpha = parsed
    # Paint the alpha over white first, then darken towards black in small steps.
    base = [channel * alpha + 255 * (1 - alpha) for channel in (red, green, blue)]
    for step in range(1, 101):
        factor = 1 - step / 100
        candidate = "#" + "".join(f"{round(channel * factor):02x}" for channel in base)
        if contrast_ratio(candidate) >= minimum:
            return candidate
    return TEXT_COLOR


def _font(font: dict | None, size: int, *, colour: bool = True) -> dict:
    """``font`` with its size raised to at least ``size`` and its colour made legible."""
    out = dict(font or {})
    current = out.get("size")
    out["size"] = size if not isinstance(current, int | float) else max(current, size)
    if colour:
        out["color"] = legible_on_white(out["color"]) if isinstance(out.get("color"), str) \
            else TEXT_COLOR
    return out


def _titled(title, size: int) -> dict:
    """A title (a string or a dict) as a dict with a readable font."""
    out = {"text": title} if isinstance(title, str) else dict(title or {})
    out["font"] = _font(out.get("font"), size)
    return out


def _colorbar(colorbar: dict, sizes: dict) -> dict:
    out = dict(colorbar)
    out["tickfont"] = _font(out.get("tickfont"), sizes["tick"])
    if "title" in out:
        out["title"] = _titled(out["title"], sizes["axis_title"])
    return out


def _is_axis(name: str) -> bool:
    return (name.startswith(("xaxis", "yaxis")) and name[5:].isdigit()) or name in ("xaxis",
                                                                                   "yaxis")


def readable_spec(spec: dict, sizes: dict | None = None) -> dict:
    """``spec`` (Plotly JSON) with every text at least ``sizes`` (default :data:`TEXT_SIZES`)
    and dark enough to read on white.

    Every axis gets an explicit ``tickfont`` and title font: a theme's template (Streamlit's
    makes ticks 12 px grey) fills in only what the figure leaves unset. Sizes already larger
    stay; colours that fail :data:`MIN_TEXT_CONTRAST` are darkened (same hue). Heatmap cell
    text keeps Plotly's automatic black/white; bar values keep their colour rule. The input is
    not changed.

    Parameters
    ----------
    spec : dict
        ``{"data": [...], "layout": {...}, "frames": [...]?}``.
    sizes : dict, optional
        Least size per text kind: keys as in :data:`TEXT_SIZES`.

    Returns
    -------
    dict
        A new spec; traces, layout and frames are copied where they change.
    """
    sizes = sizes or TEXT_SIZES
    layout = dict(spec.get("layout") or {})
    layout["font"] = _font(layout.get("font"), sizes["tick"])
    for name in [name for name in layout if _is_axis(name)] or ["xaxis", "yaxis"]:
        axis = dict(layout.get(name) or {})
        axis["tickfont"] = _font(axis.get("tickfont"), sizes["tick"])
        axis["title"] = _titled(axis.get("title"), sizes["axis_title"])
        layout[name] = axis
    if layout.get("title"):
        layout["title"] = _titled(layout["title"], sizes["title"])
    legend = dict(layout.get("legend") or {})
    legend["font"] = _font(legend.get("font"), sizes["legend"])
    layout["legend"] = legend
    layout["hoverlabel"] = {**(layout.get("hoverlabel") or {}),
                            "font": _font((layout.get("hoverlabel") or {}).get("font"),
                                          sizes["hover"], colour=False)}
    if layout.get("annotations"):
        layout["annotations"] = [
            {**note, "font": _font(note.get("font"), sizes["annotation"])}
            for note in layout["annotations"]
        ]
    if layout.get("uniformtext"):
        layout["uniformtext"] = {**layout["uniformtext"],
                                 "minsize": max(layout["uniformtext"].get("minsize", 0),
                                                sizes["cell"])}
    for group in ("sliders", "updatemenus"):
        if layout.get(group):
            layout[group] = [_readable_control(item, sizes) for item in layout[group]]
    if isinstance(layout.get("coloraxis"), dict) and "colorbar" in layout["coloraxis"]:
        layout["coloraxis"] = {**layout["coloraxis"],
                               "colorbar": _colorbar(layout["coloraxis"]["colorbar"], sizes)}
    out = {**spec, "layout": layout, "data": [_readable_trace(t, sizes) for t in spec.get("data")
                                              or []]}
    if spec.get("frames"):
        out["frames"] = [
            {**frame, "data": [_readable_trace(t, sizes) for t in frame.get("data") or []]}
            for frame in spec["frames"]
        ]
    return out


def _readable_control(control: dict, sizes: dict) -> dict:
    out = {**control, "font": _font(control.get("font"), sizes["tick"])}
    if "currentvalue" in control:
        current = control["currentvalue"]
        out["currentvalue"] = {**current, "font": _font(current.get("font"), sizes["tick"])}
    return out


def _readable_trace(trace: dict, sizes: dict) -> dict:
    out = dict(trace)
    if "texttemplate" in out or "text" in out:
        # Colour stays as the trace sets it (heatmaps pick black or white per cell).
        out["textfont"] = _font(out.get("textfont"), sizes["cell"], colour=False)
        if isinstance(out["textfont"].get("color"), str):
            out["textfont"]["color"] = legible_on_white(out["textfont"]["color"])
    if isinstance(out.get("colorbar"), dict):
        out["colorbar"] = _colorbar(out["colorbar"], sizes)
    return out


def presented(spec: dict) -> dict:
    """``spec`` for a lecture hall: every text at least :data:`PRESENT_TEXT_SIZES`, dark."""
    return readable_spec(spec, PRESENT_TEXT_SIZES)
