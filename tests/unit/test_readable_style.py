"""Readable chart text (explorer/figures/readable.py): every figure the pages draw has explicit
axis fonts of at least the shared sizes, dark enough on white, whatever theme fills in the
rest; presentation mode raises them. Contrast is checked with the WCAG formula written out
here, not with the module's own."""

from __future__ import annotations

import numpy as np
import pytest

from explorer.figures import check_figs, readable, style, training_figs, weights_figs
from explorer.figures.prebuilt import PrebuiltFigure
from explorer.figures.style import PRESENT_TEXT_SIZES, TEXT_SIZES


def wcag_contrast(hex_colour: str) -> float:
    """Contrast of an opaque #rrggbb on white (WCAG 2.1)."""
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    lum = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (lum + 0.05)


def figures():
    return {
        "confusion": training_figs.confusion_figure(np.array([[3, 1], [0, 4]])),
        "dweights": weights_figs.weight_gradient_heatmap(np.ones((2, 3)), title="dL/dW"),
        "timings": check_figs.timing_figure(["a", "b"], [1.0, 2.0]),
    }


def spec_of(figure) -> dict:
    return figure.spec if isinstance(figure, PrebuiltFigure) else figure.to_plotly_json()


def axes(layout: dict) -> list[dict]:
    return [value for name, value in layout.items() if name.startswith(("xaxis", "yaxis"))]


@pytest.mark.parametrize("name", sorted(figures()))
@pytest.mark.parametrize("sizes", [TEXT_SIZES, PRESENT_TEXT_SIZES], ids=["normal", "present"])
def test_every_axis_has_explicit_readable_fonts(name, sizes):
    spec = readable.readable_spec(spec_of(figures()[name]), sizes)
    found = axes(spec["layout"])
    assert found
    for axis in found:
        assert axis["tickfont"]["size"] >= sizes["tick"]
        assert axis["title"]["font"]["size"] >= sizes["axis_title"]
        for font in (axis["tickfont"], axis["title"]["font"]):
            assert wcag_contrast(font["color"]) >= 4.5, font


def test_prebuilt_figures_are_readable_as_built():
    spec = figures()["dweights"].spec
    for axis in axes(spec["layout"]):
        assert axis["tickfont"]["size"] >= TEXT_SIZES["tick"]
    assert spec["data"][0]["textfont"]["size"] >= TEXT_SIZES["cell"]


def test_heatmap_cells_keep_14px_at_five_classes():
    spec = weights_figs.weight_gradient_heatmap(np.full((2, 5), -0.01), title="dL/dW").spec
    assert spec["data"][0]["textfont"]["size"] >= TEXT_SIZES["cell"]


def test_presented_raises_every_text_and_keeps_larger_sizes():
    spec = {"data": [{"type": "heatmap", "texttemplate": "%{z}", "textfont": {"size": 30}}],
            "layout": {"xaxis": {"tickfont": {"size": 12, "color": "#808495"}},
                       "annotations": [{"text": "a", "font": {"size": 10, "color": "#E69F00"}}],
                       "legend": {"font": {"size": 12}}}}
    shown = readable.presented(spec)
    assert shown["layout"]["xaxis"]["tickfont"]["size"] == PRESENT_TEXT_SIZES["tick"]
    assert shown["layout"]["annotations"][0]["font"]["size"] == PRESENT_TEXT_SIZES["annotation"]
    assert shown["layout"]["legend"]["font"]["size"] == PRESENT_TEXT_SIZES["legend"]
    assert shown["data"][0]["textfont"]["size"] == 30
    assert wcag_contrast(shown["layout"]["xaxis"]["tickfont"]["color"]) >= 4.5
    assert wcag_contrast(shown["layout"]["annotations"][0]["font"]["color"]) >= 4.5
    # the input is left as it was
    assert spec["layout"]["xaxis"]["tickfont"] == {"size": 12, "color": "#808495"}


@pytest.mark.parametrize("colour", [*style.CLASS_COLORS, "#808495", "#ffffff", "#9ca3af"])
def test_legible_on_white_darkens_only_what_fails(colour):
    legible = readable.legible_on_white(colour)
    assert wcag_contrast(legible) >= 4.5
    if wcag_contrast(colour) >= 4.5:
        assert legible == colour


def test_contrast_ratio_matches_known_values():
    assert readable.contrast_ratio("#000000") == pytest.approx(21.0)
    assert readable.contrast_ratio("#ffffff") == pytest.approx(1.0)
    assert readable.contrast_ratio("rgb(128, 132, 149)") == pytest.approx(3.72, abs=0.01)
    assert readable.contrast_ratio("#777777") == pytest.approx(4.48, abs=0.01)
