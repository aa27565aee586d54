"""A guided lesson in a real browser: PageDown and PageUp (what a presenter's clicker sends)
walk the steps, also when a control has the focus; the controls and the address bar
follow, and the panel is photographed at the laptop and projector sizes."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from explorer.guided.lesson_file import load_lessons
from tests.e2e.conftest import VIEWPORTS
from tests.support.live import wait_idle

pytestmark = pytest.mark.e2e

LESSON = load_lessons().lessons["temperature"]


def link(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def slider_value(page, key: str) -> float:
    """A live control's value (Playwright's locators reach into the component's shadow root)."""
    return float(page.locator(f"input[data-key={key}]").input_value())


def panel_heading(page) -> str:
    return page.locator(".st-key-lesson_panel").inner_text()


def settle(page) -> None:
    wait_idle(page)
    page.wait_for_timeout(400)  # the URL update and a possible second run
    wait_idle(page)


def press(page, key: str) -> None:
    page.keyboard.press(key)
    settle(page)


def test_page_down_and_page_up_walk_the_lesson(page, app_url):
    page.goto(f"{app_url}/softmax?lesson={LESSON.id}")
    settle(page)
    assert f"step 1 of {len(LESSON)}" in panel_heading(page)
    # A clicker sends its keys to the page, not to a focused control.
    page.locator(".st-key-lesson_panel [data-testid='stMarkdownContainer']").first.click()
    for number in (2, 3):
        press(page, "PageDown")
        assert f"step {number} of {len(LESSON)}" in panel_heading(page)
        assert link(page)["step"] == [str(number)]
        state = LESSON.states[number]
        for key in ("z0", "z1", "z2", "z3"):
            assert slider_value(page, key) == state[key], (number, key)
    assert link(page)["t"] == ["0.5"]  # step 3 lowers the temperature; the link says so
    press(page, "PageUp")
    assert f"step 2 of {len(LESSON)}" in panel_heading(page)
    assert link(page)["step"] == ["2"] and "t" not in link(page)
    assert slider_value(page, "z0") == LESSON.states[2]["z0"]


def test_page_down_on_a_focused_control_still_means_next(page, app_url):
    """After answering (a radio has the focus) or moving a slider, the clicker still works."""
    page.goto(f"{app_url}/softmax?lesson={LESSON.id}")
    settle(page)
    step = LESSON.steps[0]
    page.locator(".st-key-lesson_panel").get_by_text(step.choices[step.answer]).click()
    settle(page)
    press(page, "PageDown")
    assert f"step 2 of {len(LESSON)}" in panel_heading(page)
    page.locator("input[data-key=z0]").focus()
    press(page, "PageDown")
    assert f"step 3 of {len(LESSON)}" in panel_heading(page)
    # The key moved the lesson, not the focused slider: z0 has step 3's value.
    assert slider_value(page, "z0") == LESSON.states[3]["z0"]
    press(page, "PageUp")
    assert f"step 2 of {len(LESSON)}" in panel_heading(page)
    assert slider_value(page, "z0") == LESSON.states[2]["z0"]


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_screenshot_of_a_revealed_step(browser, app_url, screenshot_dir, viewport):
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        page.goto(f"{app_url}/softmax?lesson=jacobian&step=4")
        settle(page)
        step = load_lessons().lessons["jacobian"].steps[3]
        page.locator(".st-key-lesson_panel").get_by_text(step.choices[step.answer]).click()
        settle(page)
        page.get_by_role("button", name="Reveal").click()
        settle(page)
        assert "Right:" in panel_heading(page)
        page.screenshot(path=str(screenshot_dir / f"lesson_panel_{viewport}.png"))
    finally:
        context.close()

