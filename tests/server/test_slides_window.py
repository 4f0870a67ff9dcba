"""The slides window of "Present on another screen": its page and scripts, and the window in a browser.

Against the real server: the page is a whole document in the language asked for, under a policy that
runs the workbook's own scripts only, with nothing of any room on it; only its two scripts are served.
In Chromium: a slide another page of the same browser sends through the channel shows at once, fits
the screen with its words escaped, the window's arrow keys go back on the channel, "end" leaves the
ended words, and a window opened without its channel's name says how to open it.
"""

from __future__ import annotations

import http.client
import re
import time
from urllib.parse import urlsplit

import pytest
from conftest import accessibility_check
from markupsafe import escape
from playwright.sync_api import expect
from room_boards import dashboard_of

from widgets import load_content
from widgets.content_files import Unit, content_dir
from widgets.registry import SECTIONS as REGISTRY
from widgets.room.figures import GroupFigure, GroupRow
from widgets.room.join import JoinAddress
from widgets.room.model import Dashboard, Rooms
from widgets.room.slides import slide_html
from widgets.server.slides_window import CONTENT_SECURITY_POLICY, SCRIPTS, load_slides_window_content
from widgets.store import default_store

CONTENT = load_content()
WORDS = load_slides_window_content("en")
SPANISH = load_slides_window_content("es")
CHANNEL = "test-channel-1234"
PAYLOAD = "<img src=x onerror=window.__pwned=1>"
JOIN = JoinAddress(
    full="http://192.168.1.20:8866/voila/render/00-welcome.ipynb?room=K7MP3X", short="192.168.1.20:8866"
)


def _get(server, path: str) -> http.client.HTTPResponse:
    """One GET, as a browser on this computer sends it; the response with its body read into ``.text``."""
    host = urlsplit(server.url).netloc
    connection = http.client.HTTPConnection(host, timeout=60)
    connection.request("GET", path, headers={"Host": host})
    response = connection.getresponse()
    response.body = response.read()
    response.text = response.body.decode("utf-8", "replace")
    connection.close()
    return response


# --- the page and its scripts, over HTTP --------------------------------------------


def test_the_page_is_sent_under_its_policy_and_never_kept(voila_server):
    response = _get(voila_server, "/workbook/slides")
    assert response.status == 200
    assert response.getheader("Content-Type") == "text/html; charset=utf-8"
    assert response.getheader("Content-Security-Policy") == CONTENT_SECURITY_POLICY
    assert "script-src 'self';" in CONTENT_SECURITY_POLICY
    assert "img-src data:;" in CONTENT_SECURITY_POLICY  # the slides' QR codes
    assert response.getheader("Cache-Control") == "no-store"
    text = response.text
    assert text.startswith('<!DOCTYPE html><html lang="en">')
    assert f"<title>{escape(WORDS.title)}</title>" in text
    assert escape(WORDS.waiting) in text
    assert escape(CONTENT.workbook.framing) in text
    assert escape(CONTENT.crisis.compact_lead) in text
    assert '<meta name="referrer" content="no-referrer">' in text
    assert 'class="rw-slide-deck rw-slide-window"' in text


def test_lang_names_the_pages_language_and_an_unknown_one_gives_english(voila_server):
    spanish = _get(voila_server, "/workbook/slides?lang=es").text
    assert '<html lang="es">' in spanish
    assert f"<title>{escape(SPANISH.title)}</title>" in spanish
    assert escape(SPANISH.waiting) in spanish
    assert escape(SPANISH.full_screen_label) in spanish
    assert escape(load_content(content_dir("es")).workbook.framing) in spanish
    assert escape(WORDS.waiting) not in spanish
    for unknown in ("xx", "../es", "ES", "es-MX", ""):
        text = _get(voila_server, f"/workbook/slides?lang={unknown}").text
        assert '<html lang="en">' in text, unknown
        assert escape(WORDS.waiting) in text, unknown


def test_no_script_is_inline_and_only_the_workbooks_own_is_loaded(voila_server):
    text = _get(voila_server, "/workbook/slides").text
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", text, re.DOTALL)
    assert scripts == [(' type="module" src="/workbook/slides/slides_window.js"', "")]
    assert re.search(r"\son[a-z]+\s*=", text) is None  # no event handler attribute
    assert re.search(r"""(?:src|href)=["']?(?:https?:)?//""", text) is None  # nothing from another host


def test_the_two_scripts_are_served_and_no_other_name(voila_server):
    for name, path in SCRIPTS.items():
        response = _get(voila_server, f"/workbook/slides/{name}")
        assert response.status == 200, name
        assert response.getheader("Content-Type") == "application/javascript; charset=utf-8"
        assert response.body == path.read_bytes()
    window_script = _get(voila_server, "/workbook/slides/slides_window.js").text
    assert 'import { fit, stepOf } from "./slide_screen.js";' in window_script
    for name in (
        "second_screen.js",
        "room.css",
        "other.js",
        "..%2Fjoin.py",
        "..%2F..%2Fserver%2Fslides_window.py",
    ):
        assert _get(voila_server, f"/workbook/slides/{name}").status == 404, name


def test_the_page_holds_no_room_code_or_key(voila_server):
    keys = Rooms(default_store(), REGISTRY).open_room(threshold=3)
    response = _get(voila_server, f"/workbook/slides?lang=en&room={keys.join_code}&key={keys.secret}")
    assert response.status == 200
    for secret in (keys.join_code, keys.secret, "room=", "key="):
        assert secret not in response.text
    assert response.getheader("Set-Cookie") is None


# --- the window in a browser ------------------------------------------------------------------------

PEOPLE = Unit.of({"one": "person", "other": "people"})


def _board() -> Dashboard:
    """A room whose every activity has a released figure with a hostile label, and one hostile line."""
    figure = GroupFigure(
        id="often",
        title="How often people feel left out",
        unit=PEOPLE,
        measure="count",
        rows=(GroupRow(f"{PAYLOAD} sometimes", 3.0), GroupRow("Often", 2.0), GroupRow("Hardly ever", 0.0)),
    )
    return dashboard_of(figure, pace=1, lines=[f"{PAYLOAD} a line"])


def _layout_problems(page) -> list[str]:
    """What does not fit: the window scrolls, or a part of the slide is off the screen or cut."""
    return page.evaluate(
        """() => {
      const problems = [];
      const deck = document.querySelector('.rw-slide-window');
      if (deck.scrollWidth > deck.clientWidth + 1 || deck.scrollHeight > deck.clientHeight + 1)
        problems.push(`the window scrolls: ${deck.scrollWidth}x${deck.scrollHeight}`);
      for (const el of document.querySelectorAll('.rw-slide *')) {
        if (el.closest('.rw-visually-hidden')) continue;
        const box = el.getBoundingClientRect();
        if (box.width === 0 && box.height === 0) continue;
        if (box.right > innerWidth + 1 || box.bottom > innerHeight + 1 || box.left < -1 || box.top < -1)
          problems.push(`off the screen: ${el.className || el.tagName}`);
      }
      for (const label of document.querySelectorAll('.rw-slide-bar-label, .rw-slide-bar-value'))
        if (label.scrollWidth > label.clientWidth + 1 || label.scrollHeight > label.clientHeight + 1)
          problems.push(`label cut: ${label.textContent}`);
      return problems;
    }"""
    )


# The other page's side of the channel: what it hears, and a way to send.
_LISTEN = """(channel) => {
  window.__heard = [];
  window.__channel = new BroadcastChannel(channel);
  window.__channel.onmessage = ({ data }) => window.__heard.push(data);
}"""
_SEND = "(message) => window.__channel.postMessage(message)"


def _heard(page) -> list[dict]:
    return page.evaluate("() => window.__heard")


def _send_slide(console, window, slide: int) -> float:
    """Send slide ``slide`` from the other page; the seconds until the window shows it."""
    markup = str(slide_html(CONTENT, _board(), slide, JOIN))
    sent = time.monotonic()
    console.evaluate(_SEND, {"type": "slide", "markup": markup})
    expect(window.locator(".rw-slide")).to_have_attribute("data-slide", str(slide), timeout=2_000)
    return time.monotonic() - sent


def _wait_until(check, seconds: float = 5) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "not within the time"
        time.sleep(0.05)


def _check_the_keys(console, window) -> None:
    window.bring_to_front()
    for key, step in (("ArrowRight", 1), ("PageDown", 1), ("ArrowLeft", -1), ("PageUp", -1)):
        before = len(_heard(console))
        window.keyboard.press(key)
        _wait_until(
            lambda before=before, step=step: _heard(console)[before:] == [{"type": "step", "step": step}]
        )
    before = len(_heard(console))
    for held in ("Shift+ArrowRight", "Alt+ArrowLeft", "Control+PageDown", "x"):
        window.keyboard.press(held)
    window.wait_for_timeout(300)
    assert _heard(console)[before:] == []


@pytest.mark.browser
def test_the_window_shows_what_the_channel_sends_and_sends_its_keys_back(voila_server, new_watched_page):
    window, watch = new_watched_page(1280, 720)
    # Another page of the same browser, on the same origin: the slides page with no channel in its address.
    console = window.context.new_page()
    console.goto(f"{voila_server.url}/workbook/slides")
    expect(console.get_by_text(WORDS.wrong_link)).to_be_visible()
    console.evaluate(_LISTEN, f"rw-slides-{CHANNEL}")

    window.goto(f"{voila_server.url}/workbook/slides?lang=en#{CHANNEL}")
    expect(window.get_by_text(WORDS.waiting)).to_be_visible()
    expect(window.get_by_role("button", name=WORDS.full_screen_label)).to_be_visible()
    expect(window.get_by_text(WORDS.move_hint)).to_be_visible()
    _wait_until(lambda: {"type": "hello"} in _heard(console))

    seconds = [_send_slide(console, window, slide) for slide in (1, 0, 4)]
    assert max(seconds) <= 2, seconds
    for slide in (4, 0, 1):
        _send_slide(console, window, slide)
        window.wait_for_timeout(200)  # the type is sized in the next frame
        assert _layout_problems(window) == [], slide
    labels = window.locator(".rw-slide-bar-label")
    expect(labels.first).to_have_text(f"{PAYLOAD} sometimes")
    assert window.locator("img[src='x']").count() == 0
    assert window.evaluate("() => window.__pwned") is None
    expect(window.locator(".rw-crisis").first).to_be_visible()
    results = accessibility_check(window)
    assert results.violations_count == 0, results.generate_report()

    _check_the_keys(console, window)

    # A message that is not a slide of ours changes nothing.
    for strange in ({"type": "slide", "markup": 5}, {"type": "other", "markup": "<p>x</p>"}, "slide", None):
        console.evaluate(_SEND, strange)
    console.evaluate(_SEND, {"type": "slide", "markup": "x" * 2_000_001})
    window.wait_for_timeout(300)
    expect(window.locator(".rw-slide")).to_have_attribute("data-slide", "1")

    console.evaluate(_SEND, {"type": "end"})
    expect(window.get_by_text(WORDS.ended)).to_be_visible(timeout=2_000)
    assert window.locator(".rw-slide").count() == 0
    expect(window.locator(".rw-crisis").first).to_be_visible()
    results = accessibility_check(window)
    assert results.violations_count == 0, results.generate_report()

    window.close(run_before_unload=True)
    _wait_until(lambda: {"type": "closed"} in _heard(console))
    assert watch.external == []
    assert watch.troubles == {}


@pytest.mark.browser
def test_a_window_without_its_channels_name_says_how_to_open_it(voila_server, new_watched_page):
    window, watch = new_watched_page(1280, 720)
    # Each a page of its own (another query): a new fragment alone would not load the page again.
    for address in ("/workbook/slides?lang=es#short", "/workbook/slides?lang=es&again=1#not/a name!"):
        window.goto(f"{voila_server.url}{address}")
        expect(window.get_by_text(SPANISH.wrong_link)).to_be_visible()
        expect(window.get_by_text(SPANISH.waiting)).to_have_count(0)
        expect(window.get_by_role("button", name=SPANISH.full_screen_label)).to_be_hidden()
        expect(window.locator(".rw-crisis")).to_be_visible()
    results = accessibility_check(window)
    assert results.violations_count == 0, results.generate_report()
    assert watch.troubles == {}
