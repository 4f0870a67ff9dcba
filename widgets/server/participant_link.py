"""The browser's link to its participant: the cookie, and the page that ends it at once.

A page's script tells the server which participant the page shows (``POST /workbook/participant``);
the server checks the code and sets the ``workbook_participant`` cookie: HttpOnly (no script reads
it), SameSite=Strict (no other site's page sends it), for the browser session only unless the
participant chose "Remember me on this device" (then for the retention period). Every later page
request carries it, and Voilà hands it to the page's kernel (`widgets.participant`).

``GET /workbook/away`` is the neutral page "Leave quickly" replaces a page with: it ends the link
(the answers stay kept; the code brings them back) and shows nothing of the workbook.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from tornado.web import RequestHandler

from widgets.participant import PARTICIPANT_COOKIE, cookie_value, parse_code, read_participant_cookie
from widgets.store import StoreError, retention_days

__all__ = ["AwayHandler", "ParticipantLinkHandler", "handlers"]

# Sent by the workbook's own script. Another site's page cannot add a header to a request to this
# server without the server agreeing first (CORS), and this server never agrees.
SCRIPT_HEADER = "X-Workbook-Page"
BODY_LIMIT = 1024  # bytes: a code and two flags

AWAY_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>New page</title>
<link rel="icon" href="data:;base64,=">
<style>body { margin: 0; background: #fff; }</style>
</head>
<body></body>
</html>
"""


class _NoCache(RequestHandler):
    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")

    def _secure(self) -> bool:
        # Behind HAProxy with TLS the cookie must say Secure; on plain HTTP it must not, or no
        # browser would keep it.
        return self.request.protocol == "https" or self.request.headers.get("X-Forwarded-Proto") == "https"

    def _end_link(self) -> None:
        self.clear_cookie(PARTICIPANT_COOKIE, path="/")


class ParticipantLinkHandler(_NoCache):
    """``POST``: keep the participant a page shows in the browser's cookie, as that page asks."""

    def check_xsrf_cookie(self) -> None:
        """The same-site checks in :meth:`post` stand in for Tornado's form token."""

    def _from_this_site(self) -> bool:
        if self.request.headers.get(SCRIPT_HEADER) != "1":
            return False
        if self.request.headers.get("Sec-Fetch-Site", "same-origin") != "same-origin":
            return False
        origin = self.request.headers.get("Origin")
        return origin is None or urlsplit(origin).netloc == self.request.host

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
        options: dict[str, Any] = {"httponly": True, "samesite": "Strict", "secure": self._secure()}
        if remember:
            try:
                options["max_age"] = retention_days() * 24 * 60 * 60
            except StoreError:
                self._answer(500, error="The workbook's retention setting is wrong, so nothing was changed.")
                return
        self.set_cookie(PARTICIPANT_COOKIE, cookie_value(code, remember), path="/", **options)
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


class AwayHandler(_NoCache):
    """``GET``: a blank, neutral page that also ends the browser's link to its participant."""

    def get(self) -> None:
        """The neutral page, with the participant cookie removed."""
        self._end_link()
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(AWAY_PAGE)


def handlers(base_url: str) -> list[tuple[str, type[RequestHandler]]]:
    """The routes, under the server's base URL."""
    base = base_url.rstrip("/")
    return [(f"{base}/workbook/participant", ParticipantLinkHandler), (f"{base}/workbook/away", AwayHandler)]
