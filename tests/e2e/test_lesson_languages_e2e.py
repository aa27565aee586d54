"""A guided lesson walked through in German, Spanish and Chinese in a real browser, with the
real catalogs: a different lesson on a different page per language, every step with
PageDown (and back with PageUp), the prediction answered by a click, the reveal read, and
a revealed step photographed at the laptop size and, in presentation mode, at the
projector size. In Chinese the CJK glyphs must draw (a missing font draws empty boxes).

The expected texts are looked up in the committed ``.mo`` with the standard library's
gettext, not through the app's own code.
"""

from __future__ import annotations

import re

import pytest

from explorer.guided.lesson_file import load_lessons
from explorer.settings import specs
from tests.app.test_guided_lessons import real_catalog
from tests.e2e.conftest import tab
from tests.e2e.test_languages_e2e import CJK, GLYPHS_DIFFER_JS
from tests.support.live import wait_idle

pytestmark = pytest.mark.e2e

LESSONS = load_lessons().lessons
#: Language -> (lesson, the step photographed once revealed): one lesson per page.
WALKS = {"de": ("jacobian", 4), "es": ("weights", 3), "zh": ("descent", 6)}
#: (language, lesson) walked in the browser: every lesson once, every language twice (the
#: whole lessons x languages table is walked in AppTest: tests/app/test_guided_lessons.py).
BROWSER_WALKS = sorted({(lang, lesson) for lang, (lesson, _) in WALKS.items()}
                       | {("de", "temperature"), ("es", "stable"), ("zh", "gradcheck")})
#: A number as a reveal writes it (0.41, 1.2e-05, 87%, 100).
NUMBER = re.compile(r"\d")
#: JavaScript: the font sizes (px) of the panel's question and of its first answer.
FONT_SIZES_JS = """
() => {
  const size = (selector) => parseFloat(getComputedStyle(
    document.querySelector(`.st-key-lesson_panel ${selector}`)).fontSize);
  return {
    question: size('[data-testid=stWidgetLabel] p'),
    answer: size('[data-testid=stRadioOption] [data-testid=stMarkdownContainer] p'),
  };
}
"""
#: A template field the reveal failed to fill in.
LEFTOVER_FIELD = re.compile(r"\{[A-Za-z_][^{}\s]*\}")


def settle(page) -> None:
    wait_idle(page)
    page.wait_for_timeout(300)  # the URL update and a possible second run
    wait_idle(page)


def panel(page):
    return page.locator(".st-key-lesson_panel")


def step_in_url(page) -> str:
    match = re.search(r"[?&]step=(\d+)", page.url)
    return match[1] if match else "1"


def wait_for_step(page, lesson, number: int, tr) -> None:
    """Wait until the panel shows step ``number`` (its translated title, its answers) and
    the app has finished the runs the step starts (the URL update runs the page again)."""
    step = lesson.steps[number - 1]
    panel(page).get_by_text(tr(step.title), exact=False).first.wait_for()
    options = panel(page).locator("[data-testid=stRadioOption]")
    options.nth(len(step.choices) - 1).wait_for()
    page.wait_for_function(
        "(n) => (new URLSearchParams(location.search).get('step') ?? '1') === n", arg=str(number))
    settle(page)


def answer_and_reveal(page, lesson, number: int, tr) -> str:
    """Click the right answer of step ``number``, then Reveal; return the reveal's text."""
    step = lesson.steps[number - 1]
    options = panel(page).locator("[data-testid=stRadioOption]")
    assert options.count() == len(step.choices)
    right = options.nth(step.answer)
    assert right.inner_text().strip() == tr(step.choices[step.answer])
    right.click()
    reveal_button = page.locator(".st-key-lesson_reveal button")
    page.wait_for_function(
        "() => !document.querySelector('.st-key-lesson_reveal button')?.disabled")
    wait_idle(page)
    reveal_button.click()
    reveal = page.locator(".st-key-lesson_reveal_text")
    reveal.wait_for(state="visible")
    wait_idle(page)
    return reveal.inner_text()


def assert_reveal(text: str, lesson, number: int, tr) -> None:
    step = lesson.steps[number - 1]
    assert tr(step.choices[step.answer]) in text, (number, text)
    assert NUMBER.search(text) and not LEFTOVER_FIELD.search(text), (number, text)


def test_every_lesson_and_every_language_is_walked_in_the_browser():
    assert {lesson for _, lesson in BROWSER_WALKS} == set(LESSONS)
    assert {lang for lang, _ in BROWSER_WALKS} == set(WALKS)


@pytest.mark.parametrize(("lang", "lesson_id"), BROWSER_WALKS)
def test_walk_a_lesson_with_page_down_in_the_language(browser, app_url, screenshot_dir, lang,
                                                      lesson_id):
    photographed = WALKS[lang][1] if WALKS[lang][0] == lesson_id else None
    lesson = LESSONS[lesson_id]
    tr = real_catalog(lang).gettext
    with tab(browser, "laptop") as page:
        page.goto(f"{app_url}/{lesson.page}?{specs.LANGUAGE.key}={lang}&lesson={lesson.id}")
        wait_for_step(page, lesson, 1, tr)
        if lang == "zh":
            assert page.evaluate(GLYPHS_DIFFER_JS), "CJK characters draw as empty boxes"
        for number in range(1, len(lesson) + 1):
            step = lesson.steps[number - 1]
            wait_for_step(page, lesson, number, tr)
            text = panel(page).inner_text()
            assert step_in_url(page) == str(number)
            assert tr(lesson.title) in text and tr(step.title) in text, (number, text)
            assert tr(step.question) in text, (number, text)
            if lang == "zh":
                assert CJK.search(text), text
            reveal = answer_and_reveal(page, lesson, number, tr)
            assert_reveal(reveal, lesson, number, tr)
            if number == photographed:
                page.screenshot(path=str(screenshot_dir / f"lesson-{lang}-{lesson.id}-laptop.png"))
            if number < len(lesson):
                page.keyboard.press("PageDown")
        assert step_in_url(page) == str(len(lesson))
        page.keyboard.press("PageUp")
        wait_for_step(page, lesson, len(lesson) - 1, tr)


@pytest.mark.parametrize("lang", sorted(WALKS))
def test_a_revealed_step_on_the_projector_in_presentation_mode(browser, app_url,
                                                              screenshot_dir, lang):
    lesson_id, number = WALKS[lang]
    lesson = LESSONS[lesson_id]
    tr = real_catalog(lang).gettext
    with tab(browser, "projector") as page:
        page.goto(f"{app_url}/{lesson.page}?{specs.LANGUAGE.key}={lang}&{specs.PRESENT.key}=true"
                  f"&lesson={lesson.id}&step={number}")
        wait_for_step(page, lesson, number, tr)
        assert_reveal(answer_and_reveal(page, lesson, number, tr), lesson, number, tr)
        sizes = page.evaluate(FONT_SIZES_JS)  # the class reads the answers from the back row
        assert sizes["answer"] >= sizes["question"] >= 19, sizes
        page.screenshot(
            path=str(screenshot_dir / f"lesson-{lang}-{lesson.id}-projector-present.png"))
