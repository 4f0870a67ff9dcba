"""Both sides of a room in a kernel: joining, sharing, offering lines, pacing, the dashboard, moderation."""

from __future__ import annotations

import re
import time
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from conftest import all_widgets
from markupsafe import escape

from widgets import load_content
from widgets.content_files import counted
from widgets.page_session import PageSession
from widgets.participant import PageParticipant, demo_participant, new_participant
from widgets.registry import SECTIONS as REGISTRY
from widgets.room.access import facilitator_token
from widgets.room.console import LINES_ON_CONSOLE
from widgets.room.content import load_room_content
from widgets.room.facilitator_view import FacilitatorPage, results_html
from widgets.room.heartbeat import Heartbeat
from widgets.room.model import RoomError, Rooms
from widgets.room.participant_view import JOIN_SECONDS, JoinPanel, SharePanel
from widgets.room.slides import SLIDE_COUNT
from widgets.store import default_store

CONTENT = load_content()
WORDS = load_room_content()
SECTION_1 = CONTENT.sections.by_number(1)
SECTION_3 = CONTENT.sections.by_number(3)
SECTION_4 = CONTENT.sections.by_number(4)


def _facilitator_link() -> str:
    """The query string of the facilitator link ``./workbook serve`` prints (the run's token)."""
    return urlencode({"token": facilitator_token()})


def _session(room_code: str = "") -> PageSession:
    return PageSession(CONTENT, PageParticipant(new_participant(), room_code=room_code))


@pytest.fixture
def facilitator():
    page = FacilitatorPage(CONTENT, _facilitator_link(), REGISTRY)
    page.open_room()
    return page


def _keys(page: FacilitatorPage) -> tuple[str, str]:
    return page.heartbeat.address["room"], page.heartbeat.address["key"]


def test_joining_from_a_link_only_when_asked_and_leaving(facilitator):
    code, _ = _keys(facilitator)
    session = _session(room_code=code.lower())
    panel = JoinPanel(session)
    # The link only asks: nothing is joined until the person says yes.
    assert session.membership is None
    assert panel.invite.asking
    assert escape(WORDS.invite.ask.format(code=f"{code[:3]}-{code[3:]}")) in panel.invite.question.value
    assert panel.invite.accept()
    assert not panel.invite.asking
    assert panel.invite.layout.display == "none"
    assert session.membership is not None
    assert session.membership.join_code == code
    assert f"{code[:3]}-{code[3:]}" in session.bar.room_line
    assert session.heartbeat.active
    assert panel.join_row.layout.display == "none"
    panel.leave()
    assert session.membership is None
    assert session.bar.room_line == ""
    assert not session.heartbeat.active
    assert escape(WORDS.join.left) in panel.message.value


def test_a_room_link_can_be_declined_and_a_crafted_click_joins_nothing(facilitator):
    code, _ = _keys(facilitator)
    session = _session(room_code=code)
    panel = JoinPanel(session)
    panel.invite.decline()
    assert session.membership is None
    assert escape(WORDS.invite.dismissed) in panel.invite.message.value
    assert not panel.invite.accept()  # the button clicked anyway by a crafted page: nothing is joined
    assert session.membership is None
    # A link whose room code is not complete asks nothing at all.
    assert not JoinPanel(_session(room_code="K7M")).invite.asking
    assert JoinPanel(_session()).invite is None  # no room in the link: no question, no widgets for it
    # Someone in another room is asked whether to move.
    elsewhere = _session(room_code=code)
    other = FacilitatorPage(CONTENT, None, REGISTRY)
    other.open_room()
    moving = JoinPanel(elsewhere)
    moving.join(other.heartbeat.address["room"])
    again = JoinPanel(elsewhere)
    assert again.invite.asking
    assert "instead" in again.invite.question.value


def test_unknown_room_codes_get_one_calm_message_and_the_same_timing(facilitator):
    session = _session()
    panel = JoinPanel(session)
    timings = []
    for typed in ("AAAAAA", "<script>", "", "K7M-P3X"):
        started = time.monotonic()
        assert not panel.join(typed)
        timings.append(time.monotonic() - started)
        assert escape(WORDS.join.not_found) in panel.message.value
    assert min(timings) >= JOIN_SECONDS
    assert max(timings) - min(timings) < 0.15
    assert session.membership is None


def test_the_demo_page_cannot_join(facilitator):
    code, _ = _keys(facilitator)
    session = PageSession(CONTENT, PageParticipant(demo_participant()))
    panel = JoinPanel(session)
    assert not panel.join(code)
    assert escape(WORDS.refusals["demo"]) in panel.message.value


def test_sharing_is_off_until_turned_on_and_the_bar_says_so(facilitator):
    code, _ = _keys(facilitator)
    session = _session()
    JoinPanel(session).join(code)
    session.show_section(SECTION_1)
    panel = SharePanel(session, SECTION_1)
    assert panel.layout.display == "flex"
    assert panel.share.value == []
    assert WORDS.participant.sharing_off in session.bar.room_line
    panel.share.set_state({"value": ["share"]})  # as the browser sends a tick of the box
    assert session.membership.shared == frozenset({SECTION_1.slug})
    assert WORDS.participant.sharing_on in session.bar.room_line
    assert escape(WORDS.share.done_on) in panel.share_message.value
    panel.share.set_state({"value": []})
    assert session.membership.shared == frozenset()


def test_a_crafted_share_outside_a_room_or_on_section_3_changes_nothing(facilitator):
    session = _session()
    session.show_section(SECTION_1)
    panel = SharePanel(session, SECTION_1)
    assert panel.layout.display == "none"
    panel.share.set_state({"value": ["share"]})
    assert panel.share.value == []
    assert escape(WORDS.refusals["not-in-room"]) in panel.share_message.value
    code, _ = _keys(facilitator)
    JoinPanel(session).join(code)
    session.show_section(SECTION_3)
    hidden = SharePanel(session, SECTION_3)
    assert hidden.layout.display == "none"
    assert WORDS.participant.never_shared in session.bar.room_line
    hidden.share.set_state({"value": ["share"]})
    assert hidden.share.value == []
    assert session.membership.shared == frozenset()
    assert escape(WORDS.refusals["never-shared"]) in hidden.share_message.value


def test_offering_a_line_and_its_limits(facilitator):
    code, _ = _keys(facilitator)
    session = _session()
    JoinPanel(session).join(code)
    panel = SharePanel(session, SECTION_4)
    assert panel.line_box is not None
    assert SECTION_1.slug not in WORDS.line.prompts
    assert not panel.offer("   ")
    assert escape(WORDS.refusals["line-empty"]) in panel.line_message.value
    panel.line_box.value = "people who stay"
    assert panel.offer(panel.line_box.value)
    assert panel.line_box.value == ""
    assert escape(WORDS.line.sent) in panel.line_message.value
    facilitator.dashboard.refresh()
    assert "people who stay" in facilitator.dashboard.queue.children[0].children[0].value


def test_pacing_and_closing_reach_the_participant_on_the_next_tick(facilitator):
    code, _ = _keys(facilitator)
    session = _session()
    JoinPanel(session).join(code)
    session.show_section(SECTION_1)
    dashboard = facilitator.dashboard
    dashboard.pace.set_state({"value": "4"})  # as the browser sends "Section 4" chosen in the list
    assert dashboard.pace.value == "4"
    session.heartbeat.tick()
    assert session.bar.pace_text == WORDS.participant.pace.format(number=4, title=SECTION_4.title)
    assert session.bar.pace_href == SECTION_4.notebook  # no code: the cookie carries the participant
    dashboard.pace.set_state({"value": "1"})
    session.heartbeat.tick()
    assert session.bar.pace_text == WORDS.participant.pace_here
    assert session.bar.pace_href == ""
    dashboard._ask_to_close()
    assert dashboard.close_room()
    session.heartbeat.tick()
    assert session.membership is None
    assert session.bar.room_line == WORDS.participant.closed
    assert session.bar.pace_text == ""


def test_heartbeat_ignores_ticks_too_fast_or_malformed():
    beat = Heartbeat(interval_ms=2000, active=True)
    seen = []
    beat.on_tick(lambda: seen.append(1))
    beat._received(beat, {"tick": 1}, [])
    for content in ({"tick": 2}, {"tick": 3}, "tick", {"other": 1}, None):
        beat._received(beat, content, [])
    assert seen == [1]
    beat.active = False
    beat._last_tick = 0.0
    beat._received(beat, {"tick": 4}, [])
    assert seen == [1]


def test_a_wrong_facilitator_link_shows_nothing_of_the_room(facilitator):
    code, key = _keys(facilitator)
    for query in (f"room={code}&key=wrong", f"room={code}", f"key={key}", f"room=AAAAAA&key={key}"):
        page = FacilitatorPage(CONTENT, query, REGISTRY)
        assert page.dashboard is None
        assert escape(WORDS.facilitator.wrong_link) in page.message.value
    again = FacilitatorPage(CONTENT, f"room={code}&key={key}", REGISTRY)
    assert again.dashboard is not None
    assert again.dashboard.room.join_code == code


def _open_rooms() -> int:
    return len(Rooms(default_store(), REGISTRY).demand())


@pytest.mark.parametrize(
    "query",
    [
        "",
        "token=",
        "token=not-the-facilitator-token-at-all",
        "token=TOKEN&token=TOKEN",  # two tokens: not a link the server printed
        "TOKEN",
        "code=TOKEN",
    ],
)
def test_without_the_facilitator_link_the_page_opens_no_room(query):
    query = query.replace("TOKEN", facilitator_token())
    rooms_before = _open_rooms()
    page = FacilitatorPage(CONTENT, query, REGISTRY)
    assert not page.may_open
    assert page.opening not in page.children
    assert escape(CONTENT.workbook.facilitator_only.message) in page.message.value
    page.open_button.click()  # a crafted click on the button the page does not show
    with pytest.raises(PermissionError):
        page.open_room()
    assert page.dashboard is None
    assert _open_rooms() == rooms_before


def test_the_facilitator_link_opens_a_room_and_the_address_keeps_only_the_rooms_link():
    page = FacilitatorPage(CONTENT, _facilitator_link(), REGISTRY)
    assert page.may_open
    assert page.opening in page.children
    assert page.message.value == ""
    page.open_button.click()
    assert page.dashboard is not None
    code, key = page.dashboard.room.join_code, page.heartbeat.address["key"]
    assert page.heartbeat.address == {"room": code, "key": key, "token": ""}
    # A room's own link opens its dashboard whatever the token; a token beside it leaves the address.
    for query in (
        f"room={code}&key={key}",
        f"room={code}&key={key}&token=wrong",
        f"{_facilitator_link()}&room={code}&key={key}",
    ):
        again = FacilitatorPage(CONTENT, query, REGISTRY)
        assert again.dashboard is not None
        assert again.heartbeat.address == {"room": code, "key": key, "token": ""}
    # A wrong room link with the token still offers a new room; without it, only the calm words.
    assert FacilitatorPage(CONTENT, f"{_facilitator_link()}&room={code}&key=wrong", REGISTRY).may_open
    wrong = FacilitatorPage(CONTENT, f"room={code}&key=wrong", REGISTRY)
    assert wrong.opening not in wrong.children
    assert escape(WORDS.facilitator.wrong_link) in wrong.message.value
    # Outside Voilà (JupyterLab, nbval: no request at all) the page opens rooms as before.
    assert FacilitatorPage(CONTENT, None, REGISTRY).may_open


def test_dashboard_controls_refuse_crafted_values(facilitator):
    dashboard = facilitator.dashboard
    for value in ("2", "0", "<b>", "41"):
        dashboard.threshold.set_state({"value": value})
        assert dashboard.threshold.value == "5"
        assert dashboard.threshold.message
    # The browser sends the chosen section's number: anything not in the list is refused.
    past_the_last = str(len(CONTENT.sections.sections) + 1)
    crafted_values = (
        {"value": past_the_last},
        {"value": "0"},
        {"value": "<b>"},
        {"value": 4},
        {"options": []},
    )
    for crafted in crafted_values:
        dashboard.pace.set_state(crafted)
        assert dashboard.pace.value == ""
        assert dashboard.pace.message
        assert dashboard.room.dashboard().pace_section is None
    dashboard.threshold.set_state({"value": "3"})
    assert dashboard.room.dashboard().threshold == 3
    # Closing needs the confirmation step: a crafted click on "yes" alone does nothing.
    assert not dashboard.close_room()
    assert dashboard.room.is_open()
    # Nor does one after a crafted layout change that shows the confirmation without asking for it.
    dashboard.close_confirm.layout.set_state({"display": "flex"})
    assert not dashboard.close_room()
    assert dashboard.room.is_open()


def test_presenting_mode_hides_the_queue_the_controls_and_the_secret(facilitator):
    code, key = _keys(facilitator)
    again = FacilitatorPage(CONTENT, f"room={code}&key={key}", REGISTRY)
    for page in (facilitator, again):
        page.dashboard.set_presenting(True)
        assert page.heartbeat.address == {"room": code, "key": ""}
        page.dashboard.set_presenting(False)
        assert page.heartbeat.address == {"room": code, "key": key}
    dashboard = facilitator.dashboard
    dashboard.set_presenting(True)
    assert "rw-presenting" in dashboard._dom_classes
    # Only the slides are drawn: the queue, the private link and the controls are not in the page.
    assert dashboard.children == (dashboard.presentation,)
    assert dashboard.presentation.screen.active
    drawn = all_widgets(dashboard)
    assert dashboard.moderation not in drawn
    assert not [w for w in drawn if "rw-facilitator-only" in getattr(w, "_dom_classes", ())]
    for slide in range(SLIDE_COUNT):
        dashboard.presentation.slide = slide
        dashboard.presentation.step(0)
        assert key not in dashboard.presentation.view.value
        assert code in dashboard.presentation.view.value.replace("-", "")
    dashboard.presentation.leave_button.click()
    assert "rw-presenting" not in dashboard._dom_classes
    # The console is drawn again, the queue (on its live tab) with it.
    assert dashboard.children == dashboard._dashboard_children
    assert dashboard.moderation in all_widgets(dashboard)
    assert not dashboard.presentation.screen.active


def test_the_dashboard_redraws_after_a_share_and_exports(facilitator):
    code, _ = _keys(facilitator)
    dashboard = facilitator.dashboard
    dashboard.threshold.set_state({"value": "3"})
    for _ in range(3):
        someone = new_participant()
        default_store().save(someone.code_hash, SECTION_1.slug, {"answers": {"left-out": "often"}})
        rooms = Rooms(default_store(), REGISTRY)
        rooms.join(someone.code_hash, someone.kind, code)
        rooms.set_sharing(someone.code_hash, SECTION_1.slug, True)
    assert "rw-slide-figure" not in dashboard.results.value
    facilitator.heartbeat.tick()
    assert "rw-slide-figure" in dashboard.results.value
    assert "3 joined" in dashboard.counts.value
    name, media_type, data = dashboard.export_button.download()
    assert name.startswith(f"group-results-{code}-")
    assert name.endswith(".csv")
    assert media_type == "text/csv"
    assert data.decode().splitlines()[0] == "activity,figure,label,value,unit,shared"
    assert "Section 1: Connection check-in" in data.decode()
    assert dashboard.export_button.sent == 1


# Markup, script, template and math a participant might offer: each must come back as the same text.
PAYLOADS = [
    "<script>window.__pwned=1</script>",
    "<img src=x onerror=window.__pwned=1>",
    '<svg onload="window.__pwned=1">',
    "<iframe src=javascript:window.__pwned=1>",
    '<a href="javascript:window.__pwned=1">tap</a>',
    "<b>bold</b> and <i>italic</i>",
    "<style>body{display:none}</style>",
    '"><script>window.__pwned=1</script>',
    "'><img src=x onerror=alert(1)>",
    "</li></ul><h1>big</h1>",
    "<details open ontoggle=window.__pwned=1>",
    "<body onload=window.__pwned=1>",
    "<input autofocus onfocus=window.__pwned=1>",
    "<video><source onerror=window.__pwned=1></video>",
    "<marquee>moving</marquee>",
    "<math><mi>x</mi></math>",
    "<object data=javascript:window.__pwned=1>",
    "<embed src=javascript:window.__pwned=1>",
    "<form action=javascript:window.__pwned=1><button>go</button></form>",
    "<meta http-equiv=refresh content=0;url=http://example.invalid>",
    "<link rel=stylesheet href=http://example.invalid/x.css>",
    "<base href=http://example.invalid/>",
    "<table><tr><td>cell</td></tr></table>",
    "<!-- a comment -->",
    "<![CDATA[ data ]]>",
    "&lt;b&gt;already escaped&lt;/b&gt;",
    "&amp; &quot; &#39; &#x3C;",
    "**bold** _italic_ `code`",
    "[a link](javascript:window.__pwned=1)",
    "![image](http://example.invalid/x.png)",
    "# A heading",
    "$x^2 + y^2$",
    "$$\\int_0^1 x\\,dx$$",
    "\\(a + b\\)",
    "{{7*7}} ${7*7} #{7*7}",
    "<%= 7*7 %>",
    "javascript:window.__pwned=1",
    "data:text/html,<script>window.__pwned=1</script>",
    "<scr<script>ipt>window.__pwned=1</scr</script>ipt>",
    "<SCRIPT SRC=http://example.invalid/x.js></SCRIPT>",
    '<img src="x" onerror="&#119;indow.__pwned=1">',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<svg><script>window.__pwned=1</script></svg>",
    '<noscript><p title="</noscript><img src=x onerror=window.__pwned=1>">',
    "<template><img src=x onerror=window.__pwned=1></template>",
    "<textarea></textarea><script>window.__pwned=1</script>",
    "<<script>>window.__pwned=1<</script>>",
    "< script >window.__pwned=1< / script >",
    "%3Cscript%3Ewindow.__pwned=1%3C/script%3E",
    "<a href=# onclick=window.__pwned=1>click</a>",
    "ça va 🙂 — 共同体 مجتمع",
    "<p dir=rtl>reversed</p>",
]


class _LiteralLines(HTMLParser):
    """Collect the text of every element marked literal, and every tag name met."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.tags: list[str] = []
        self._inside = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if "rw-literal" in (dict(attrs).get("class") or ""):
            self._inside = True
            self.lines.append("")

    def handle_endtag(self, tag):
        self._inside = False

    def handle_data(self, data):
        if self._inside:
            self.lines[-1] += data


def test_fifty_markup_payloads_are_shown_as_their_own_text(facilitator):
    assert len(PAYLOADS) >= 50
    assert all(len(p) <= 140 for p in PAYLOADS)
    code, _ = _keys(facilitator)
    slugs = list(WORDS.line.prompts)
    for index, payload in enumerate(PAYLOADS):
        session = _session()
        JoinPanel(session).join(code) if index == 0 else Rooms(default_store(), REGISTRY).join(
            session.participant.code_hash, session.participant.kind, code
        )
        # The room expected 30; the facilitator lets in the rest ("Let them in"), who may then offer lines.
        facilitator.dashboard.room.admit_waiting()
        session.refresh_room()
        assert SharePanel(session, CONTENT.sections.by_slug(slugs[index % len(slugs)])).offer(payload)
    dashboard = facilitator.dashboard
    dashboard.refresh()
    # The console shows the first waiting lines; showing them brings the next ones, until none wait.
    queued = []
    while dashboard.room.dashboard().waiting:
        rows = dashboard.queue.children
        assert 0 < len(rows) <= LINES_ON_CONSOLE
        more = len(PAYLOADS) - len(queued) - len(rows)
        if more:
            said = counted(WORDS.facilitator.lines_more, more, count=more)
            assert escape(said) in dashboard.lines_more.value
        else:
            assert re.sub(r"<[^>]*>", "", dashboard.lines_more.value).strip() == ""
        queued += [_parsed(row.children[0].value).lines[0] for row in rows]
        for line in dashboard.room.dashboard().waiting[: len(rows)]:
            dashboard.moderate(line.id, approve=True)
    assert queued == PAYLOADS
    html = results_html(CONTENT, dashboard.room.dashboard())
    parsed = _parsed(html)
    by_slug = {slug: [p for i, p in enumerate(PAYLOADS) if slugs[i % len(slugs)] == slug] for slug in slugs}
    assert parsed.lines == [line for slug in REGISTRY.shareable if slug in by_slug for line in by_slug[slug]]
    assert set(parsed.tags) <= {"section", "h2", "p", "ul", "li"}
    assert dashboard.results.value == html


def _parsed(html: str) -> _LiteralLines:
    parser = _LiteralLines()
    parser.feed(html)
    parser.close()
    return parser


def test_what_is_kept_names_the_room_and_what_is_shared(facilitator):
    from widgets.welcome_view import kept_html

    code, _ = _keys(facilitator)
    session = _session()
    JoinPanel(session).join(code)
    shown = f"{code[:3]}-{code[3:]}"
    assert escape(WORDS.join.kept.format(code=shown, shared=WORDS.join.kept_nothing)) in kept_html(
        CONTENT, session
    )
    SharePanel(session, SECTION_1).share.set_state({"value": ["share"]})
    assert escape(WORDS.join.kept.format(code=shown, shared="Section 1")) in kept_html(CONTENT, session)


def test_the_facilitator_says_how_many_will_come_and_the_room_keeps_it():
    page = FacilitatorPage(CONTENT, _facilitator_link(), REGISTRY)
    assert page.expected.label == WORDS.facilitator.expected_label
    assert (page.expected.value, page.expected.minimum, page.expected.maximum) == (30, 5, 60)
    for crafted in (4, 61, -1, 1e9):
        page.expected.set_state({"value": crafted})
        assert page.expected.value == 30
        assert page.expected.message
    page.expected.set_state({"value": 12})
    room = page.open_room()
    (demand,) = [d for d in Rooms(default_store(), REGISTRY).demand() if d.room_id == room.room_id]
    assert (demand.expected, demand.pace_section) == (12, None)
    room.set_pace(2)
    (demand,) = [d for d in Rooms(default_store(), REGISTRY).demand() if d.room_id == room.room_id]
    assert demand.pace_section == 2
    room.close()
    assert room.room_id not in {d.room_id for d in Rooms(default_store(), REGISTRY).demand()}


def test_a_room_for_too_few_or_too_many_is_refused():
    rooms = Rooms(default_store(), REGISTRY)
    for expected in (4, 61, "30", True, None):
        with pytest.raises(RoomError) as refused:
            rooms.open_room(expected=expected)
        assert refused.value.reason == "expected"
    assert WORDS.refusals["expected"]
