"""The browser's link to its participant: the cookie, what changes it, and the page that ends it at once.

A page's script tells the server which participant the page shows (``POST /workbook/participant``);
the server checks the code and sets the ``workbook_participant`` cookie: HttpOnly (no script reads
it), SameSite=Strict (no other site's page sends it), for the browser session only unless the
participant chose "Remember me on this device" (then for the retention period). Every later page
request carries it, and Voilà hands it to the page's kernel (`widgets.participant`).

No link changes whose workbook a browser opens. A page address with ``?code=`` is answered, before
any kernel is asked, with a page that asks whether that workbook is the person's own
(:func:`answer_code_link`); only their "yes", posted from that page (``POST /workbook/link``), sets
the cookie, and keeps the browser's own workbook in ``workbook_previous`` so every page offers the
way back (``POST /workbook/back``).

Every route that changes the cookie acts only on a request from the workbook's own pages: another
site's page cannot send the custom header the script sends, and browsers name the site a request
comes from (``Sec-Fetch-Site``, ``Origin``). ``/workbook/away`` is the neutral page "Leave quickly"
replaces a page with: it ends the link (the answers stay kept; the code brings them back) when the
workbook's page asks, and shows nothing of the workbook to anyone.
"""

from __future__ import annotations

import hmac
import json
import re
import secrets
from typing import Any
from urllib.parse import urlencode, urlsplit

from tornado.web import RequestHandler

from widgets.content_files import content_dir
from widgets.participant import (
    PARTICIPANT_COOKIE,
    PREVIOUS_COOKIE,
    code_ending,
    cookie_value,
    parse_code,
    previous_value,
    read_participant_cookie,
    read_previous_cookie,
)
from widgets.rendering import render
from widgets.rendering.parts import link_question_page
from widgets.server.language import request_locale
from widgets.store import StoreError, retention_days
from widgets.workbook_content import load_content

__all__ = [
    "AwayHandler",
    "BackHandler",
    "LinkHandler",
    "ParticipantLinkHandler",
    "answer_code_link",
    "handlers",
]

# Sent by the workbook's own script. Another site's page cannot add a header to a request to this
# server without the server agreeing first (CORS), and this server never agrees.
SCRIPT_HEADER = "X-Workbook-Page"
BODY_LIMIT = 1024  # bytes: a code and two flags, or a code, a page address and a form token
FORM_COOKIE = "workbook_ask"
FORM_SECONDS = 30 * 60  # the question page's "yes" works for half an hour
# Where a choice on the question page may lead: a page of the workbook, with at most a room's code.
_ROOM_CODE = re.compile(r"[A-Za-z0-9-]{1,40}")
_NEXT_PAGE = re.compile(r"voila/render/[0-9]{2}-[a-z0-9-]+\.ipynb(\?room=[A-Za-z0-9-]{1,40})?")

# The two pages this handler sends by itself (templates/server/): "open this again" and the blank page.
_ASK_AGAIN = render("server/ask_again.html")
AWAY_PAGE = render("server/away.html")


def _same_origin(handler: RequestHandler) -> bool:
    """Whether nothing the browser says names another site as where the request comes from.

    ``Sec-Fetch-Site`` (every current browser) must say ``same-origin`` where it is sent, and an
    ``Origin`` must be this server's. ``Origin: null`` says nothing: a page whose policy is
    ``no-referrer`` (every page here) sends it for its own forms. Each route adds a proof of its own
    that no other site can give: the script's header, or the question page's form token.
    """
    headers = handler.request.headers
    site = headers.get("Sec-Fetch-Site")
    if site is not None and site != "same-origin":
        return False
    origin = headers.get("Origin")
    return origin in (None, "null") or urlsplit(origin).netloc == handler.request.host


def _from_script(handler: RequestHandler) -> bool:
    # Another site's page cannot send this header without this server's CORS consent, never given.
    return handler.request.headers.get(SCRIPT_HEADER) == "1" and _same_origin(handler)


def _session_options(handler: RequestHandler) -> dict[str, Any]:
    """A workbook cookie's attributes for the browser session: HttpOnly, SameSite=Strict, Secure on HTTPS."""
    return {"httponly": True, "samesite": "Strict", "secure": _secure(handler)}


def _kept_options(handler: RequestHandler, remember: bool) -> dict[str, Any] | None:
    """The participant cookie's attributes; ``None`` if the retention setting cannot be read."""
    options = _session_options(handler)
    if remember:
        try:
            options["max_age"] = retention_days() * 24 * 60 * 60
        except StoreError:
            return None
    return options


def _secure(handler: RequestHandler) -> bool:
    # Behind HAProxy with TLS the cookie must say Secure; on plain HTTP it must not, or no browser
    # would keep it.
    request = handler.request
    return request.protocol == "https" or request.headers.get("X-Forwarded-Proto") == "https"


def _page_without_code(handler: RequestHandler) -> str:
    """The requested page's address without ``code`` (a room's code stays, if well formed)."""
    request = handler.request
    rooms = [room for room in handler.get_query_arguments("room") if _ROOM_CODE.fullmatch(room)]
    query = f"?{urlencode({'room': rooms[0]})}" if rooms else ""
    return f"{request.path}{query}"


def answer_code_link(handler: RequestHandler) -> bool:
    """Answer a page request whose address holds ``?code=`` with the question page; ``True`` if answered.

    Called by the page handler before any kernel is started or taken: the page itself is opened only
    after the person has chosen, without the code in its address.
    """
    typed = handler.get_query_arguments("code")
    if not typed:
        return False
    handler.set_header("Cache-Control", "no-store")
    handler.set_header("Content-Type", "text/html; charset=utf-8")
    if handler.request.headers.get("Sec-Fetch-Site") in ("cross-site", "same-site"):
        # Another site's link: a SameSite=Strict cookie does not come with it, so the question could not
        # say whether this browser has a workbook. The page opens itself again from here, with it.
        handler.finish(_ASK_AGAIN)
        return True
    code = parse_code(typed[0])
    own = read_participant_cookie(handler.request.headers.get("Cookie"))
    base = handler.settings.get("base_url", "/")
    # The form's proof that it is this page's: the same random value as a field and as a cookie no
    # other site's page can send (SameSite=Strict), so another site's form cannot open a workbook.
    token = secrets.token_urlsafe(16)
    handler.set_cookie(
        FORM_COOKIE,
        token,
        path=f"{base.rstrip('/')}/workbook/link",
        max_age=FORM_SECONDS,
        **_session_options(handler),
    )
    page = link_question_page(
        load_content(content_dir(request_locale(handler.request.headers))),
        base_url=base,
        code=code,
        own_ending=code_ending(own.code) if own is not None and own.code != code else None,
        next_url=_page_without_code(handler),
        form_token=token,
    )
    handler.finish(page)
    return True


class _NoCache(RequestHandler):
    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")

    def check_xsrf_cookie(self) -> None:
        """The same-origin checks of each route stand in for Tornado's form token."""

    def _end_link(self) -> None:
        self.clear_cookie(PARTICIPANT_COOKIE, path="/")
        self.clear_cookie(PREVIOUS_COOKIE, path="/")

    def _base(self) -> str:
        base: str = self.settings.get("base_url", "/")
        return base if base.endswith("/") else base + "/"

    def _next_page(self) -> str | None:
        """The form's ``next``, if it is a page of this workbook; ``None`` otherwise."""
        target = self.get_body_argument("next", "")
        base = self._base()
        if len(target) > 200 or not target.startswith(base) or not _NEXT_PAGE.fullmatch(target[len(base) :]):
            return None
        return target

    def _refuse(self, status: int, text: str) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(text)


class ParticipantLinkHandler(_NoCache):
    """``POST``: keep the participant a page shows in the browser's cookie, as that page asks."""

    def _from_this_site(self) -> bool:
        return _from_script(self)

    def _answer(self, status: int, **body: Any) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body))

    def post(self) -> None:
        """Body: ``{"code": ..., "remember": bool, "fresh": bool}``.

        ``fresh`` says the page made a new workbook because its request named none. If this browser
        already has a participant (the page came from another site's link, which a SameSite=Strict
        cookie does not follow), that participant stays and the page is told to reload.
        """
        if not self._from_this_site():
            self._answer(403, error="This can only be asked by the workbook's own pages.")
            return
        body = self._body()
        if body is None:
            self._answer(400, error="That was not a request the workbook understands.")
            return
        code, remember, fresh = body
        kept = read_participant_cookie(self.request.headers.get("Cookie"))
        if fresh and kept is not None and kept.code != code:
            self._answer(200, reload=True)
            return
        options = _kept_options(self, remember)
        if options is None:
            self._answer(500, error="The workbook's retention setting is wrong, so nothing was changed.")
            return
        self.set_cookie(PARTICIPANT_COOKIE, cookie_value(code, remember), path="/", **options)
        linked = read_previous_cookie(self.request.headers.get("Cookie"))
        if linked is not None and linked.opened != code:
            self.clear_cookie(PREVIOUS_COOKIE, path="/")  # the page moved on to another workbook itself
        self._answer(200, reload=False)

    def _body(self) -> tuple[str, bool, bool] | None:
        if len(self.request.body) > BODY_LIMIT:
            return None
        try:
            body = json.loads(self.request.body)
        except (ValueError, UnicodeDecodeError):
            return None
        if not isinstance(body, dict) or set(body) != {"code", "remember", "fresh"}:
            return None
        code, remember, fresh = body["code"], body["remember"], body["fresh"]
        if not isinstance(remember, bool) or not isinstance(fresh, bool) or not isinstance(code, str):
            return None
        parsed = parse_code(code)
        if parsed is None or parsed != code:
            return None
        return parsed, remember, fresh


class LinkHandler(_NoCache):
    """``POST`` from the question page: the person says the link's workbook is theirs; open it here."""

    def post(self) -> None:
        """Form: ``code``, ``next``. Set the cookie to the code (for this session), keep the way back."""
        kept_token = self.get_cookie(FORM_COOKIE, "")
        given_token = self.get_body_argument("ask", "") if len(self.request.body) <= BODY_LIMIT else ""
        if not (_same_origin(self) and kept_token and hmac.compare_digest(kept_token, given_token)):
            self._refuse(403, "This can only be asked by the workbook's own pages.")
            return
        self.clear_cookie(FORM_COOKIE, path=self.request.path)
        typed = self.get_body_argument("code", "")
        code = parse_code(typed)
        target = self._next_page()
        if code is None or code != typed or target is None:
            self._refuse(400, "That was not a request the workbook understands.")
            return
        header = self.request.headers.get("Cookie")
        own = read_participant_cookie(header)
        if own is None or own.code != code:
            # Someone's link on a remembered device is for this session only, unless they ask.
            before = own
            linked = read_previous_cookie(header)
            if own is not None and linked is not None and linked.opened == own.code:
                before = linked.before  # a second link: the way back still leads to the browser's own
            session_only = _session_options(self)
            self.set_cookie(PARTICIPANT_COOKIE, cookie_value(code, False), path="/", **session_only)
            self.set_cookie(PREVIOUS_COOKIE, previous_value(before, code), path="/", **session_only)
        self.redirect(target, status=303)


class BackHandler(_NoCache):
    """``POST`` from a page opened from a link (its bar's script): back to the browser's own workbook."""

    def post(self) -> None:
        """Sent by the bar's script. Only while the cookie still names the link's workbook; else nothing."""
        if not _from_script(self) or self.request.body:
            self._refuse(403, "This can only be asked by the workbook's own pages.")
            return
        header = self.request.headers.get("Cookie")
        own = read_participant_cookie(header)
        linked = read_previous_cookie(header)
        if own is not None and linked is not None and linked.opened == own.code:
            if linked.before is None:
                self.clear_cookie(PARTICIPANT_COOKIE, path="/")  # the browser had none: a new one opens
            else:
                options = _kept_options(self, linked.before.remembered)
                if options is None:
                    self._refuse(500, "The workbook's retention setting is wrong, so nothing was changed.")
                    return
                value = cookie_value(linked.before.code, linked.before.remembered)
                self.set_cookie(PARTICIPANT_COOKIE, value, path="/", **options)
            self.clear_cookie(PREVIOUS_COOKIE, path="/")
        self.set_status(204)  # the script opens the page again, with the cookie it now holds
        self.finish()


class AwayHandler(_NoCache):
    """A blank, neutral page; asked for by the workbook's own page, it also ends the browser's link."""

    def get(self) -> None:
        """The neutral page; the cookie is removed only when a page of this workbook led here."""
        # A link from another site shows the same blank page and changes nothing.
        if self.request.headers.get("Sec-Fetch-Site") == "same-origin":
            self._end_link()
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(AWAY_PAGE)

    def post(self) -> None:
        """Sent by "Leave quickly" as it leaves (for browsers that do not say where a navigation is from)."""
        if not _from_script(self):
            self._refuse(403, "This can only be asked by the workbook's own pages.")
            return
        self._end_link()
        self.set_status(204)
        self.finish()


def handlers(base_url: str) -> list[tuple[str, type[RequestHandler]]]:
    """The routes, under the server's base URL."""
    base = base_url.rstrip("/")
    return [
        (f"{base}/workbook/participant", ParticipantLinkHandler),
        (f"{base}/workbook/link", LinkHandler),
        (f"{base}/workbook/back", BackHandler),
        (f"{base}/workbook/away", AwayHandler),
    ]
