"""/training in a real browser: the loss the player shows is what ``train`` returns for the
link's settings, bad uploads and bad table edits are explained (the player draws the
edited points), the downloaded script reproduces the final loss, and full-page
screenshots at both sizes. The player itself: tests/e2e/test_training_player_e2e.py."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from explorer.optim import train
from explorer.page_logic.training_run import DataSettings, initial_params, make_data
from tests.e2e.conftest import VIEWPORTS
from tests.e2e.test_training_player_e2e import STEP_SHOWN_JS
from tests.support.live import wait_idle

pytestmark = pytest.mark.e2e

LINK = "/training?dataset=spiral&optimizer=adam&lr=0.05&steps=200&seed=1"

#: Bottom of the page's content: Streamlit scrolls inside its own container, so a plain
#: full-page screenshot would stop at the viewport.
CONTENT_BOTTOM_JS = """
() => Math.ceil(document.querySelector("[data-testid='stMainBlockContainer']")
                .getBoundingClientRect().bottom + 32)
"""


def open_training(page, url: str) -> None:
    page.goto(url)
    wait_idle(page)
    page.wait_for_selector("[data-chart='loss_curve']")


def shown_loss(page) -> dict:
    return json.loads(page.locator("[data-chart='loss_curve']").get_attribute("data-values"))


def test_the_links_loss_curve_is_what_train_returns(page, app_url):
    open_training(page, app_url + LINK)
    # Recomputed here with the library: the page's data and initial weights, then train().
    data = make_data(DataSettings(dataset="spiral", seed=1))
    W0, b0 = initial_params(data.dim, data.classes, 0)
    expected = train(data.F_train, data.y_train, W0, b0, optimizer="adam", lr=0.05,
                     steps=200).loss
    assert shown_loss(page) == {"step": 200, "loss": [float(np.float32(expected[200]))]}
    page.locator(".st-key-player .player").focus()
    page.keyboard.press("Home")
    for step in (0, 1, 2):
        page.wait_for_function(STEP_SHOWN_JS, arg=["[data-chart='loss_curve']", step])
        assert shown_loss(page)["loss"] == [float(np.float32(expected[step]))]
        page.keyboard.press("ArrowRight")


def region_xs(page) -> list[float]:
    drawn = json.loads(page.locator("[data-chart='regions']").get_attribute("data-points"))
    return sorted(x for x, _, _ in drawn["train"] + drawn["test"])


def edit_cell(page, grid_box, row: int, column: int, text: str) -> None:
    """Type ``text`` into a cell of the data editor (a canvas grid: cells are clicked by
    position; the row marker column is ~32 px, columns ~135 px, rows 35 px)."""
    page.mouse.dblclick(grid_box["x"] + 100 + 135 * column, grid_box["y"] + 52 + 35 * row)
    editor = page.locator("#portal input, #portal textarea").first
    editor.fill(text)
    editor.press("Enter")
    page.wait_for_timeout(300)
    wait_idle(page)


def test_bad_uploads_and_bad_table_edits_are_explained(page, app_url):
    open_training(page, app_url + "/training?dataset=custom")
    page.locator(".st-key-upload input[type='file']").set_input_files(
        files=[{"name": "bad.csv", "mimeType": "text/csv",
                "buffer": b"x1,x2,label\n0.5,oops,1\n1,1,0\n"}])
    message = page.get_by_text("bad.csv was not used", exact=False)
    message.wait_for(timeout=20_000)
    assert "x2 is 'oops', not a number" in message.inner_text()
    assert "previous points are kept" in message.inner_text()

    grid = page.locator("[class*='st-key-points_'] [data-testid='stDataFrameResizable']")
    grid.scroll_into_view_if_needed()  # the table sits under the player's data controls
    box = grid.bounding_box()
    before = region_xs(page)
    edit_cell(page, box, row=0, column=0, text="1.25")  # a valid edit moves a point
    moved = before
    for _ in range(100):
        moved = region_xs(page)
        # Drawn positions are within 1/65535 of the plane's width of the data's.
        if any(abs(x - 1.25) < 1e-3 for x in moved):
            break
        page.wait_for_timeout(200)
    assert any(abs(x - 1.25) < 1e-3 for x in moved), "the edited point was not drawn"
    assert len(moved) == len(before) and moved != before
    explained = page.get_by_text("The table was not used", exact=False)
    for _ in range(3):  # a click on the canvas grid can be lost on a loaded machine
        edit_cell(page, box, row=1, column=1, text="")  # an empty cell is explained, not used
        try:
            explained.wait_for(timeout=10_000)
            break
        except PlaywrightTimeout:
            continue
    explained.wait_for(timeout=1_000)
    assert page.get_by_text("row 2: x2 is empty", exact=False).count() == 1
    assert region_xs(page) == moved


def test_the_downloaded_script_prints_the_final_loss_shown(page, app_url, tmp_path):
    open_training(page, app_url + "/training?view=Downloads&optimizer=momentum&lr=0.2")
    shown = page.locator("[data-testid='stMetric']", has_text="final train loss")
    value = float(shown.locator("[data-testid='stMetricValue']").inner_text())
    with page.expect_download(timeout=30_000) as download:
        page.locator(".st-key-get_script button").click()
    script = tmp_path / "softmax_run.py"
    download.value.save_as(script)
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                            timeout=120, check=True)
    printed = float(result.stdout.strip().splitlines()[-1].split(":", 1)[1])
    # The page shows six decimals; the script prints every digit.
    assert printed == pytest.approx(value, abs=5e-7)


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_full_page_screenshots(browser, app_url, screenshot_dir, viewport):
    size = VIEWPORTS[viewport]
    context = browser.new_context(viewport=size)
    page = context.new_page()
    page.set_default_timeout(30_000)
    open_training(page, app_url + "/training?compare=true")
    page.wait_for_selector("[data-chart='landscape'][data-values]")
    page.set_viewport_size({"width": size["width"], "height": 4000})
    page.wait_for_timeout(500)
    height = max(size["height"], page.evaluate(CONTENT_BOTTOM_JS))
    page.set_viewport_size({"width": size["width"], "height": height})
    wait_idle(page)
    page.wait_for_timeout(800)  # let Plotly finish redrawing at the new size
    path = screenshot_dir / f"training-{viewport}.png"
    page.screenshot(path=str(path), full_page=True)
    context.close()
    assert path.stat().st_size > 50_000


#: The text of the first regions view's legend and its canvas's text alternative.
LEGEND_JS = """
() => {
  for (const host of document.querySelectorAll('*')) {
    const root = host.shadowRoot;
    const legend = root && root.querySelector('.regions figcaption .legend');
    if (legend) {
      return {entries: [...legend.querySelectorAll('.entry')].map((e) => e.textContent),
              alt: root.querySelector("[data-chart='regions'] canvas").getAttribute('aria-label')};
    }
  }
  return null;
}
"""


def test_class_names_of_an_upload_are_the_players_legend(page, app_url):
    open_training(page, app_url + "/training?dataset=custom")
    assert page.evaluate(LEGEND_JS) is None  # the example's classes are numbers: no legend
    page.locator(".st-key-upload input[type='file']").set_input_files(files=[{
        "name": "pets.csv", "mimeType": "text/csv",
        "buffer": b"x1,x2,label\n-1,-1,cat\n-1.2,-0.8,cat\n1,1,dog\n1.1,0.9,dog\n"
                  b"0,1.5,bird\n0.2,1.4,bird\n"}])
    page.wait_for_function(f"() => ({LEGEND_JS})() !== null", timeout=20_000)
    shown = page.evaluate(LEGEND_JS)
    assert shown["entries"] == ["cat", "dog", "bird"]
    assert "cat: w = (" in shown["alt"] and "bird: w = (" in shown["alt"]
