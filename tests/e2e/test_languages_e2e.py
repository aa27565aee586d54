"""The explorer in Chinese in a real browser: CJK glyphs render, the live view's labels
arrive in the chosen language, and the language survives a page switch and a shared link.

The server reads a Chinese catalog made from the real template: a message the real zh
catalog translates keeps that translation, any other is its English behind a Chinese marker
(``中文·``), so the test runs whatever the translators' progress and every text it reads
holds Chinese characters either way. The catalog directory reaches the server through
``EXPLORER_LOCALES`` (explorer/i18n.py).
"""

from __future__ import annotations

import io
import os
import re

import pytest

from explorer import i18n
from explorer.settings import specs
from tests.conftest import require_browser
from tests.e2e.conftest import tab
from tests.support.live import drive_live, streamlit_server, wait_idle, wait_live

pytestmark = pytest.mark.e2e

MARK = "中文·"
CJK = re.compile(r"[\u4e00-\u9fff]")

#: JavaScript: the texts of the /softmax view (first slider label, the probs chart's title
#: and text alternative) from its shadow root.
VIEW_TEXTS_JS = """
() => {
  const host = [...document.querySelectorAll('[data-testid=stBidiComponentIsolated]')]
    .find((h) => h.shadowRoot && h.shadowRoot.querySelector('[data-chart=probs]'));
  const root = host.shadowRoot;
  const probs = root.querySelector('[data-chart=probs]');
  return {
    slider: root.querySelector('[data-key=k]').closest('label').textContent,
    controls: root.querySelector('.controls').getAttribute('aria-label'),
    title: probs.querySelector('.chart-title').textContent,
    alt: probs.getAttribute('aria-label'),
  };
}
"""

#: JavaScript: whether two different CJK characters draw differently in the page's font (a
#: missing font draws both as the same empty box, "tofu").
GLYPHS_DIFFER_JS = """
() => {
  const font = getComputedStyle(document.querySelector('h1')).fontFamily;
  const draw = (text) => {
    const canvas = document.createElement('canvas');
    canvas.width = 64; canvas.height = 64;
    const ctx = canvas.getContext('2d');
    ctx.font = `48px ${font}`;
    ctx.fillText(text, 4, 52);
    return Array.from(ctx.getImageData(0, 0, 64, 64).data).join(',');
  };
  const ink = draw('中');
  return ink !== draw('国') && ink !== draw('');
}
"""


def chinese_catalog(root) -> None:
    """Write a compiled zh catalog under ``root``: real translations, else marked English."""
    pofile = pytest.importorskip("babel.messages.pofile")
    mofile = pytest.importorskip("babel.messages.mofile")
    with (i18n.LOCALES / "messages.pot").open("rb") as handle:
        template = pofile.read_po(handle, locale="zh")
    with i18n.catalog_path("zh").with_suffix(".po").open("rb") as handle:
        real = pofile.read_po(handle, locale="zh")
    for message in template:
        if not message.id:
            continue
        found = real.get(message.id)
        translated = found is not None and not found.fuzzy and all(
            found.string if isinstance(found.string, tuple | list) else [found.string])
        if translated:
            message.string = found.string
        elif isinstance(message.id, tuple | list):
            message.string = (MARK + message.id[-1],)
        else:
            message.string = MARK + message.id
    path = root / "zh" / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
    path.parent.mkdir(parents=True)
    buffer = io.BytesIO()
    mofile.write_mo(buffer, template)
    path.write_bytes(buffer.getvalue())


@pytest.fixture(scope="module")
def zh_url(tmp_path_factory):
    """A real ``streamlit run app.py`` reading the Chinese catalog of :func:`chinese_catalog`."""
    require_browser()
    root = tmp_path_factory.mktemp("locales")
    chinese_catalog(root)
    before = os.environ.get("EXPLORER_LOCALES")
    os.environ["EXPLORER_LOCALES"] = str(root)
    try:
        with streamlit_server("app.py") as base:
            yield base
    finally:
        if before is None:
            del os.environ["EXPLORER_LOCALES"]
        else:
            os.environ["EXPLORER_LOCALES"] = before


def open_softmax(page, url: str) -> None:
    page.goto(url)
    wait_live(page, "probs")
    wait_idle(page)


def test_softmax_in_chinese_renders_cjk_and_the_live_labels(browser, zh_url, screenshot_dir):
    with tab(browser) as page:
        open_softmax(page, f"{zh_url}/softmax?{specs.LANGUAGE.key}=zh")
        title = page.locator("h1").first.text_content()
        view = page.evaluate(VIEW_TEXTS_JS)
        assert page.evaluate(GLYPHS_DIFFER_JS), "CJK characters draw as empty boxes"
        page.screenshot(path=str(screenshot_dir / "softmax-zh-laptop.png"))
        selector = page.locator(f".st-key-{specs.LANGUAGE.key} input").first.input_value()
    assert CJK.search(title), title
    for name, text in view.items():
        assert CJK.search(text), (name, text)
    assert selector == i18n.LANGUAGES["zh"]


def test_a_fragment_rerun_keeps_the_language(browser, zh_url):
    """Moving K reruns only the page's fragment, which skips the top of the page where the
    language is set: the server panel it redraws is still in Chinese."""
    with tab(browser) as page:
        open_softmax(page, f"{zh_url}/softmax?{specs.LANGUAGE.key}=zh")
        drive_live(page, "probs", [[("k", 6)]], ["probs"])
        page.wait_for_function(
            "() => (document.querySelector('.st-key-checks_box')?.innerText ?? '')"
            ".includes('= 5')")
        wait_idle(page)
        checks = page.locator(".st-key-checks_box").inner_text()
        story = page.locator(".st-key-story_box").inner_text()
    assert "= 5" in checks
    assert CJK.search(checks), checks
    assert CJK.search(story), story


def test_the_language_survives_a_page_switch_and_a_shared_link(browser, zh_url):
    with tab(browser) as page:
        open_softmax(page, f"{zh_url}/softmax?{specs.LANGUAGE.key}=zh")
        page.locator("[data-testid=stSidebarNav] a[href$='/weights']").first.click()
        page.wait_for_url("**/weights**")
        wait_live(page, "probs")
        wait_idle(page)
        assert f"{specs.LANGUAGE.key}=zh" in page.url, page.url
        assert CJK.search(page.locator("h1").first.text_content())
        shared = page.url
    with tab(browser) as page:
        page.goto(shared)
        wait_live(page, "probs")
        wait_idle(page)
        assert CJK.search(page.locator("h1").first.text_content())


def test_the_selector_changes_the_language_and_the_address(browser, zh_url):
    with tab(browser) as page:
        open_softmax(page, f"{zh_url}/softmax")
        assert not CJK.search(page.locator("h1").first.text_content())
        page.locator(f".st-key-{specs.LANGUAGE.key} input").first.click()
        page.get_by_role("option", name=i18n.LANGUAGES["zh"]).click()
        page.wait_for_url(f"**{specs.LANGUAGE.key}=zh**")
        page.wait_for_function(
            "() => /[\\u4e00-\\u9fff]/.test(document.querySelector('h1').textContent)")
        wait_idle(page)
        page.wait_for_function(
            """() => [...document.querySelectorAll('[data-testid=stBidiComponentIsolated]')]
                 .some((h) => h.shadowRoot && /[\\u4e00-\\u9fff]/.test(
                   h.shadowRoot.querySelector('[data-key=k]')?.closest('label')?.textContent
                   ?? ''))""")


def test_the_training_player_speaks_the_language(browser, zh_url, screenshot_dir):
    with tab(browser) as page:
        page.goto(f"{zh_url}/training?{specs.LANGUAGE.key}=zh")
        play = page.locator(".st-key-player button[data-action='play']")
        play.wait_for()
        wait_idle(page)
        page.locator("[data-chart='landscape'][data-values]").first.wait_for(state="attached")
        texts = {
            "play": play.text_content(),
            "restart": page.locator(".st-key-player button[data-action='restart']")
            .get_attribute("title"),
            "curves": page.locator(".st-key-player [data-chart='loss_curve'] svg")
            .get_attribute("aria-label"),
            "landscape": page.locator("[data-chart='landscape'] canvas")
            .get_attribute("aria-label"),
        }
        page.screenshot(path=str(screenshot_dir / "training-zh-laptop.png"))
        titles = page.locator(".st-key-player [data-chart='loss_curve'] text.vertical")
        upright = titles.evaluate_all(
            "(nodes) => nodes.map((n) => [n.textContent, getComputedStyle(n).textOrientation])")
    for name, text in texts.items():
        assert text and CJK.search(text), (name, text)
    # Chinese axis titles stand upright (rotated, they would lie on their side).
    assert len(upright) == 2 and all(CJK.search(text) and orientation == "upright"
                                     for text, orientation in upright), upright


@pytest.mark.parametrize("query", ["", f"&{specs.PRESENT.key}=true"], ids=["phone", "present"])
def test_the_selector_is_reachable_with_the_sidebar_folded(browser, zh_url, query):
    """On a phone, and in presentation mode, the sidebar starts folded; the selector sits
    beside the presentation toggle, one tap on the sidebar's arrow away."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        open_softmax(page, f"{zh_url}/softmax?{specs.LANGUAGE.key}=zh{query}")
        folded = page.evaluate(
            "() => document.querySelector('[data-testid=stSidebar]')"
            "?.getAttribute('data-collapsed')")
        assert folded == "true"
        page.locator("[data-testid=stExpandSidebarButton]").click()
        page.wait_for_function(
            "() => document.querySelector('[data-testid=stSidebar]')"
            "?.getAttribute('data-collapsed') === 'false'")
        page.locator(f".st-key-{specs.LANGUAGE.key} input").first.click()
        page.get_by_role("option", name=i18n.LANGUAGES["de"]).click()
        page.wait_for_function(f"() => location.search.includes('{specs.LANGUAGE.key}=de')")
    finally:
        context.close()
