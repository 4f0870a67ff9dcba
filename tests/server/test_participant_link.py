"""The routes that change whose workbook a browser opens act only for the workbook's own pages.

Against the real server, as a browser or a crafted client speaks to it: every header a browser sends
to say where a request comes from, and requests that leave them out.
"""

from __future__ import annotations

import http.client
import re
from html import escape
from urllib.parse import urlencode, urlsplit

import pytest
from conftest import running_voila

from widgets import load_content
from widgets.content_files import content_dir
from widgets.participant import (
    PARTICIPANT_COOKIE,
    PREVIOUS_COOKIE,
    CookieParticipant,
    cookie_value,
    new_participant,
    previous_value,
)
from widgets.server.participant_link import FORM_COOKIE

SECTIONS = load_content().sections
SECTION_1 = SECTIONS.by_number(1).notebook
QUESTION = load_content().workbook.link_question


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("links")
    with running_voila(folder / "voila.log", data_dir=folder / "data") as (running, _process):
        yield running


def _send(server, method: str, path: str, body: str = "", **headers: str) -> http.client.HTTPResponse:
    """One request, redirects not followed; the response with its body read into ``.text``."""
    host = urlsplit(server.url).netloc
    connection = http.client.HTTPConnection(host, timeout=120)
    sent = {"Host": host, **{name.replace("_", "-"): value for name, value in headers.items()}}
    if body:
        sent["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body.encode() or None, headers=sent)
    response = connection.getresponse()
    response.text = response.read().decode("utf-8", "replace")
    connection.close()
    return response


def _set_cookies(response) -> dict[str, str]:
    """The workbook's cookies a response sets (an empty value: the cookie is removed).

    Jupyter's own cookie for an anonymous visitor (``username-...``) names no workbook: left out.
    """
    found = {}
    for line in response.headers.get_all("Set-Cookie") or []:
        name, _, value = line.split(";", 1)[0].partition("=")
        if name.strip() in (PARTICIPANT_COOKIE, PREVIOUS_COOKIE):
            found[name.strip()] = value.strip().strip('"')
    return found


def _origin(server) -> str:
    return server.url


def test_a_page_address_with_a_code_is_answered_by_the_question_not_by_a_page(server):
    mine, theirs = new_participant(), new_participant()
    cookie = f"{PARTICIPANT_COOKIE}={cookie_value(mine.code, True)}"
    response = _send(
        server, "GET", f"/voila/render/{SECTION_1}?code={theirs.shown_code}&room=K7MP3X", Cookie=cookie
    )
    assert response.status == 200
    assert QUESTION.title in response.text
    assert QUESTION.opens.format(ending=theirs.code[-4:]) in response.text
    assert QUESTION.own_kept.format(ending=mine.code[-4:]) in response.text
    assert "jupyter-config-data" not in response.text  # no page, so no kernel was asked for
    assert "<script" not in response.text
    assert _set_cookies(response) == {}
    assert response.headers["Cache-Control"] == "no-store"
    # "No" leads to the same page without the code; the room's code stays.
    assert f'href="/voila/render/{SECTION_1}?room=K7MP3X"' in response.text


def _question(server, code: str, cookie: str = "") -> str:
    """The question page's form token (its cookie is the same value), as a browser gets it."""
    response = _send(
        server, "GET", f"/voila/render/{SECTION_1}?code={code}", **({"Cookie": cookie} if cookie else {})
    )
    token = re.search(r'name="ask" value="([^"]+)"', response.text).group(1)
    assert f"{FORM_COOKIE}={token}" in " ".join(response.headers.get_all("Set-Cookie"))
    return token


def _open_link(
    server, code: str, cookie: str = "", token: str = "", field: str | None = None, **headers: str
):
    body = urlencode(
        {"code": code, "next": f"/voila/render/{SECTION_1}", "ask": token if field is None else field}
    )
    sent = "; ".join(part for part in (cookie, f"{FORM_COOKIE}={token}" if token else "") if part)
    if sent:
        headers["Cookie"] = sent
    return _send(server, "POST", "/workbook/link", body, **headers)


def test_only_the_question_pages_own_yes_opens_the_linked_workbook(server):
    mine, theirs = new_participant(), new_participant()
    cookie = f"{PARTICIPANT_COOKIE}={cookie_value(mine.code, True)}"
    token = _question(server, theirs.code, cookie)
    refused = [
        # Another site's form: no SameSite=Strict cookie comes with it, so no token.
        _open_link(server, theirs.code, cookie, field=token, Origin="http://evil.test"),
        _open_link(server, theirs.code, cookie, field=token, Origin="null", Sec_Fetch_Site="cross-site"),
        # A token, but not the one the question page gave.
        _open_link(server, theirs.code, cookie, token, field="guessed", Origin="null"),
        # The right token, but the browser says another site sent it.
        _open_link(server, theirs.code, cookie, token, Origin="http://evil.test"),
        _open_link(server, theirs.code, cookie, token, Origin="null", Sec_Fetch_Site="same-site"),
    ]
    assert [(r.status, _set_cookies(r)) for r in refused] == [(403, {})] * 5

    bad = [
        _open_link(server, "not-a-code", cookie, token),
        _send(
            server,
            "POST",
            "/workbook/link",
            urlencode({"code": theirs.code, "next": "https://evil.test/", "ask": token}),
            Cookie=f"{FORM_COOKIE}={token}",
        ),
    ]
    assert [(r.status, _set_cookies(r)) for r in bad] == [(400, {})] * 2

    # As Chromium sends the page's own form (its policy is no-referrer, so its origin is "null").
    opened = _open_link(server, theirs.code, cookie, token, Origin="null", Sec_Fetch_Site="same-origin")
    assert opened.status == 303
    assert opened.headers["Location"] == f"/voila/render/{SECTION_1}"
    assert _set_cookies(opened) == {
        PARTICIPANT_COOKIE: cookie_value(theirs.code, False),  # session only: not remembered here
        PREVIOUS_COOKIE: previous_value(CookieParticipant(mine.code, True), theirs.code),
    }
    workbook_lines = [line for line in opened.headers.get_all("Set-Cookie") if line.startswith("workbook_p")]
    assert all("HttpOnly" in line and "SameSite=Strict" in line for line in workbook_lines)


def test_the_way_back_restores_the_browsers_own_workbook_and_only_that(server):
    mine, theirs, third = new_participant(), new_participant(), new_participant()
    linked = (
        f"{PARTICIPANT_COOKIE}={cookie_value(theirs.code, False)}; "
        f"{PREVIOUS_COOKIE}={previous_value(CookieParticipant(mine.code, True), theirs.code)}"
    )
    # A form from anywhere (no script header), or the header with another site's origin: refused.
    assert _send(server, "POST", "/workbook/back", "next=x", Cookie=linked).status == 403
    foreign = _send(
        server, "POST", "/workbook/back", Cookie=linked, X_Workbook_Page="1", Origin="http://evil.test"
    )
    assert (foreign.status, _set_cookies(foreign)) == (403, {})

    back = _send(server, "POST", "/workbook/back", Cookie=linked, X_Workbook_Page="1", Origin="null")
    assert back.status == 204
    cookies = _set_cookies(back)
    assert cookies[PARTICIPANT_COOKIE] == cookie_value(mine.code, True)
    assert cookies[PREVIOUS_COOKIE] == ""
    restored = next(
        line for line in back.headers.get_all("Set-Cookie") if line.startswith(PARTICIPANT_COOKIE)
    )
    assert "Max-Age" in restored or "expires" in restored.lower()  # remembered, as it was

    # The page moved on to a third workbook since: the old way back leads nowhere and changes nothing.
    stale = (
        f"{PARTICIPANT_COOKIE}={cookie_value(third.code, False)}; "
        f"{PREVIOUS_COOKIE}={previous_value(CookieParticipant(mine.code, True), theirs.code)}"
    )
    unchanged = _send(server, "POST", "/workbook/back", Cookie=stale, X_Workbook_Page="1")
    assert (unchanged.status, _set_cookies(unchanged)) == (204, {})


def test_leaving_quickly_ends_the_link_only_when_the_workbooks_page_asks(server):
    cookie = f"{PARTICIPANT_COOKIE}={cookie_value(new_participant().code, False)}"
    for headers in ({}, {"Sec_Fetch_Site": "cross-site"}, {"Sec_Fetch_Site": "none"}):
        away = _send(server, "GET", "/workbook/away", Cookie=cookie, **headers)
        assert (away.status, _set_cookies(away)) == (200, {}), headers
        assert "<title>New page</title>" in away.text

    same = _send(server, "GET", "/workbook/away", Cookie=cookie, Sec_Fetch_Site="same-origin")
    assert _set_cookies(same) == {PARTICIPANT_COOKIE: "", PREVIOUS_COOKIE: ""}

    assert _send(server, "POST", "/workbook/away", Cookie=cookie).status == 403
    crafted = _send(
        server, "POST", "/workbook/away", Cookie=cookie, X_Workbook_Page="1", Origin="http://evil.test"
    )
    assert (crafted.status, _set_cookies(crafted)) == (403, {})
    asked = _send(
        server, "POST", "/workbook/away", Cookie=cookie, X_Workbook_Page="1", Origin=_origin(server)
    )
    assert asked.status == 204
    assert _set_cookies(asked) == {PARTICIPANT_COOKIE: "", PREVIOUS_COOKIE: ""}


@pytest.mark.parametrize(
    ("accept", "locale"),
    [("es-MX,es;q=0.9,en;q=0.8", "es"), ("ES", "es"), ("fr-FR,fr;q=0.9", "en"), ("en-US", "en"), ("", "en")],
)
def test_the_question_and_the_leaders_only_page_speak_the_browsers_language(server, accept, locale):
    content = load_content(content_dir(locale))
    other = load_content(content_dir("en" if locale == "es" else "es"))
    linked = f"/voila/render/{SECTION_1}?code={new_participant().shown_code}"
    question = _send(server, "GET", linked, Accept_Language=accept)
    refused = _send(server, "GET", f"/voila/render/{SECTIONS.facilitator_notebook}", Accept_Language=accept)
    assert refused.status == 403
    for page, words in (
        (question, content.workbook.link_question),
        (refused, content.workbook.facilitator_only),
    ):
        assert escape(words.title) in page.text
        assert escape(content.crisis.lines[0].short) in page.text
        assert escape(other.crisis.compact_lead) not in page.text
