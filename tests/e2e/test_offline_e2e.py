"""The offline lesson file in Chromium, opened from file:// with every request blocked.

- nothing but the file itself is requested, and the strict CSP blocks nothing it needs
  (no console error);
- sliders moved by keyboard redraw, and every drawn number (data-values) equals numpy;
- the #hash follows each change, and reopening the file with that hash restores the view;
- a malformed hash falls back to the defaults with a visible note naming what was ignored;
- a lesson advances with PageDown (even from a focused slider), and each step's reveal
  reads the numbers Python's own reveal renders for the same settings;
- screenshots at both sizes.
"""

from __future__ import annotations

import json
import re
from urllib.parse import unquote

import numpy as np
import pytest

from explorer import softmax, softmax_jacobian
from explorer.guided.lesson_file import load_lessons
from explorer.guided.page_settings import defaults
from explorer.guided.quantities import quantities
from explorer.guided.template import render
from explorer.offline import offline_html
from explorer.page_logic.softmax import OVERFLOW_SHIFT
from explorer.page_logic.weights import forward
from explorer.view_states import softmax_state, weights_state
from tests.e2e.conftest import VIEWPORTS
from tests.support.live import live_values

pytestmark = pytest.mark.e2e

TOL = 1e-12
LESSONS = load_lessons().lessons
OFFLINE_LESSONS = [lesson for lesson in LESSONS.values() if lesson.page in ("softmax", "weights")]


@pytest.fixture
def open_file(browser, tmp_path):
    """open_file(html, hash="", viewport="laptop") -> page; records every request."""
    contexts = []

    def opener(html: str, hash_: str = "", viewport: str = "laptop"):
        path = tmp_path / f"offline-{len(contexts)}.html"
        path.write_text(html, encoding="utf-8")
        url = path.as_uri()
        context = browser.new_context(viewport=VIEWPORTS[viewport])
        contexts.append(context)
        requested, problems = [], []
        context.on("request", lambda request: requested.append(request.url))

        def only_the_file(route):
            if route.request.url.split("#")[0] == url:
                route.continue_()
            else:
                route.abort()

        context.route("**/*", only_the_file)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("console", lambda message: message.type in ("error", "warning")
                and problems.append(message.text))
        page.goto(url + hash_)
        page.locator("[data-chart]").first.wait_for(state="attached")
        page.requested, page.problems, page.file_url = requested, problems, url
        return page

    yield opener
    for page_context in contexts:
        page_context.close()


def assert_offline(page) -> None:
    """Nothing but the file was requested, and nothing was blocked or thrown."""
    assert {url.split("#")[0] for url in page.requested} <= {page.file_url}, page.requested
    assert not page.problems, page.problems


def hash_fields(page) -> dict[str, str]:
    text = page.evaluate("location.hash").lstrip("#")
    return dict(part.split("=", 1) for part in text.split("&") if part)


def softmax_expected(state: dict) -> dict:
    z = np.asarray(state["z"][: state["k"]], dtype=np.float64)
    z = z + (OVERFLOW_SHIFT if state["big"] else 0.0)
    p = softmax(z, state["t"])
    return {"logits": z, "probs": p, "jacobian": softmax_jacobian(z, state["t"]),
            "dlogits": p - np.eye(len(z))[state["y"]]}


def assert_charts(page, expected: dict) -> None:
    drawn = live_values(page)
    for name, values in expected.items():
        np.testing.assert_allclose(drawn[name], values, rtol=0, atol=TOL, err_msg=name)


def press(page, key: str, button: str, times: int = 1) -> None:
    page.locator(f"[data-key='{key}']").focus()
    for _ in range(times):
        page.keyboard.press(button)


def test_softmax_sliders_by_keyboard_draw_numpy_and_the_hash_restores_them(open_file):
    html = offline_html("softmax", defaults("softmax"))
    page = open_file(html)
    state = softmax_state(defaults("softmax"))
    assert_charts(page, softmax_expected(state))
    assert hash_fields(page)["z"].split(",")[1] == "1"

    press(page, "z1", "ArrowRight", 5)      # z1: 1.0 -> 1.5
    press(page, "t", "ArrowLeft", 2)        # T: 1.0 -> 0.8
    press(page, "k", "ArrowRight")          # K: 4 -> 5
    press(page, "y", "End")                 # y: the last class, 4
    state["z"][1], state["t"], state["k"], state["y"] = 1.5, 0.8, 5, 4
    assert_charts(page, softmax_expected(state))
    fields = hash_fields(page)
    assert (fields["k"], fields["t"], fields["y"]) == ("5", "0.8", "4")
    assert float(fields["z"].split(",")[1]) == 1.5
    saved = page.evaluate("location.hash")
    assert_offline(page)

    reopened = open_file(html, saved)
    assert_charts(reopened, softmax_expected(state))
    assert reopened.locator("[data-key='z1']").input_value() == "1.5"
    assert reopened.locator("#hash-note").is_hidden()
    assert_offline(reopened)


def test_a_malformed_hash_falls_back_to_defaults_with_a_note(open_file):
    page = open_file(offline_html("softmax", defaults("softmax")),
                     "#k=99&z=1,2,oops&t=0.8&big=maybe&nonsense=1&%E0%A4%A")
    note = page.locator("#hash-note")
    assert note.is_visible()
    text = note.inner_text()
    for name in ("“k”", "“z”", "“big”", "“nonsense”"):
        assert name in text
    state = {**softmax_state(defaults("softmax")), "t": 0.8}   # the valid value is kept
    assert_charts(page, softmax_expected(state))
    assert page.locator("[data-key='k']").input_value() == "4"
    assert_offline(page)


def test_weights_sliders_by_keyboard_draw_numpy(open_file):
    values = defaults("weights")
    page = open_file(offline_html("weights", values))
    press(page, "x1", "ArrowLeft", 7)           # x1: 1.0 -> 0.3
    press(page, "reg", "ArrowRight", 3)         # reg: 0 -> 0.15
    values = {**values, "x1": 0.3, "reg": 0.15}
    k = values["k"]
    W = np.array([[values[f"w{row}_{col}"] for col in range(k)] for row in (1, 2)])
    b = np.array([values[f"b{col}"] for col in range(k)])
    result = forward(W, b, np.array([values["x1"], values["x2"]]), values["y"], values["reg"])
    drawn = live_values(page)
    np.testing.assert_allclose(drawn["probs"], result.p, rtol=0, atol=TOL)
    np.testing.assert_allclose(drawn["dweights"], result.dW, rtol=0, atol=TOL)
    np.testing.assert_allclose(drawn["dbias"], result.db, rtol=0, atol=TOL)
    fields = hash_fields(page)
    assert (float(fields["x1"]), float(fields["reg"])) == (0.3, 0.15)
    assert_offline(page)


NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|nan|inf")


def assert_same_reveal(shown: str, expected: str) -> None:
    """The same words, and the same numbers up to rounding noise below 1e-12."""
    shown, expected = (" ".join(text.split()) for text in (shown, expected))
    assert NUMBER.split(shown) == NUMBER.split(expected), (shown, expected)
    for a, b in zip(NUMBER.findall(shown), NUMBER.findall(expected), strict=True):
        assert a == b or abs(float(a) - float(b)) < TOL, (shown, expected)


def reveal(page, choice: int = 0) -> str:
    page.locator("input[name=choice]").nth(choice).check()
    page.locator("[data-action=reveal]").click()
    return " ".join(page.locator("[data-reveal]").all_inner_texts())


@pytest.mark.parametrize("lesson", OFFLINE_LESSONS, ids=lambda lesson: lesson.id)
def test_a_lesson_walks_by_pagedown_and_reveals_numpy_numbers(open_file, lesson):
    page = open_file(offline_html(lesson.page, lesson.states[1], lesson))
    to_browser = softmax_state if lesson.page == "softmax" else weights_state
    slider = "z0" if lesson.page == "softmax" else "x1"
    for number, step in enumerate(lesson.steps, start=1):
        where = page.locator(".lesson-where").inner_text()
        assert f"step {number} of {len(lesson)}" in where and step.title in where
        assert hash_fields(page)["step"] == str(number)
        expected_state = to_browser(lesson.states[number])
        for field, value in expected_state.items():
            assert unquote(hash_fields(page)[field]) == _hash_text(value), field
        expected = render(step.reveal, quantities(lesson.page, lesson.states[number]),
                          quantities(lesson.page, lesson.states[number - 1]))
        assert_same_reveal(reveal(page, step.answer), expected)
        assert page.locator(".lesson-reveal .right").is_visible()
        # A presenter's PageDown, from a focused slider (which must not move).
        page.locator(f"[data-key='{slider}']").focus()
        page.keyboard.press("PageDown")
    assert page.locator("[data-action=next]").is_disabled()
    page.keyboard.press("PageUp")
    assert f"step {len(lesson) - 1} of" in page.locator(".lesson-where").inner_text()
    assert_offline(page)


def _hash_text(value) -> str:
    """How offline_hash.js writes a value (JavaScript's String(number))."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        joiner = ";" if value and isinstance(value[0], list) else ","
        return joiner.join(_hash_text(item) for item in value)
    return json.dumps(value).removesuffix(".0")


def test_a_reveal_reads_the_live_numbers_after_a_slider_moves(open_file):
    lesson = LESSONS["jacobian"]
    page = open_file(offline_html("softmax", lesson.states[1], lesson))
    press(page, "z1", "ArrowRight", 3)        # z1: 1.0 -> 1.3, after the step was set
    now = {**lesson.states[1], "z1": 1.3}
    expected = render(lesson.steps[0].reveal, quantities("softmax", now),
                      quantities("softmax", lesson.states[0]))
    assert_same_reveal(reveal(page, 0), expected)
    assert page.locator(".lesson-reveal .wrong").is_visible()   # choice 0 is not the answer
    assert_offline(page)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_screenshots(open_file, screenshot_dir, viewport):
    lesson = LESSONS["weights"]
    page = open_file(offline_html("weights", lesson.states[1], lesson), viewport=viewport)
    page.keyboard.press("PageDown")
    page.keyboard.press("PageDown")
    page.keyboard.press("PageDown")
    reveal(page, 1)
    page.screenshot(path=str(screenshot_dir / f"offline_weights_lesson_{viewport}.png"))
    softmax_page = open_file(offline_html("softmax", defaults("softmax")),
                             "#k=6&t=0.5&oops=1", viewport=viewport)
    softmax_page.screenshot(path=str(screenshot_dir / f"offline_softmax_{viewport}.png"),
                            full_page=True)


def test_the_download_button_of_a_lesson_gives_a_working_file(open_file, page, app_url,
                                                              tmp_path, screenshot_dir):
    from tests.support.live import wait_idle, wait_live

    page.goto(f"{app_url}/softmax?lesson=jacobian&step=2")
    wait_idle(page)
    wait_live(page, "jacobian")
    button = page.locator(".st-key-offline_download button").first
    assert "lesson" in button.inner_text().lower()
    button.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "offline_button_laptop.png"))
    with page.expect_download() as download:
        button.click()
    assert download.value.suggested_filename == "lesson-jacobian-offline.html"
    saved = tmp_path / "downloaded.html"
    download.value.save_as(saved)
    html = saved.read_text(encoding="utf-8")
    assert html == offline_html("softmax", LESSONS["jacobian"].states[2], LESSONS["jacobian"])
    offline = open_file(html)
    assert "step 1 of" in offline.locator(".lesson-where").inner_text()
    assert_offline(offline)


def test_an_address_edited_by_hand_is_read_again(open_file):
    page = open_file(offline_html("softmax", defaults("softmax")))
    page.evaluate("location.hash = '#k=3&t=2&y=9&big=2'")
    page.locator("#hash-note").wait_for(state="visible")
    text = page.locator("#hash-note").inner_text()
    assert "“big”" in text and "“y”" not in text   # y = 9 is in range; the view clamps it to K-1
    state = {**softmax_state(defaults("softmax")), "k": 3, "t": 2.0, "y": 2}
    assert_charts(page, softmax_expected(state))
    page.evaluate("location.hash = '#k=abc'")
    assert "“k”" in page.locator("#hash-note").inner_text()
    assert_charts(page, softmax_expected(softmax_state(defaults("softmax"))))
    assert_offline(page)


def test_the_offline_view_does_not_promise_a_derivation_below(open_file):
    page = open_file(offline_html("softmax", defaults("softmax")))
    note = page.locator("[data-chart=jacobian] ~ figcaption, figcaption.note").first.inner_text()
    assert "Selected J[0][1]" in note and "derivation" not in note


def test_a_lesson_hash_reopens_its_step_and_the_values_moved_since(open_file):
    lesson = LESSONS["weights"]
    page = open_file(offline_html("weights", lesson.states[1], lesson), "#step=3&x1=0.5")
    assert "step 3 of" in page.locator(".lesson-where").inner_text()
    state = {**weights_state(lesson.states[3]), "x1": 0.5}
    fields = hash_fields(page)
    assert fields["step"] == "3"
    for field, value in state.items():
        assert unquote(fields[field]) == _hash_text(value), field
    assert page.locator("#hash-note").is_hidden()
    page.keyboard.press("PageUp")
    assert hash_fields(page)["x1"] == _hash_text(weights_state(lesson.states[2])["x1"])
    assert_offline(page)
