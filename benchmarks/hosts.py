"""The lost worker host: a room spread over two worker hosts, one host cut off mid-session, then back.

``./workbook bench --hosts`` (root: it makes network namespaces; ``results/issue-28-hosts.json``), and
``tests/server/test_worker_hosts.py`` with a smaller room. The deployment is `harness.hosts`'s: HAProxy
on a proxy host, one worker on each of worker hosts A and B, PostgreSQL on a database host, each host a
network namespace of its own. Everyone is a protocol-level client (`harness.page_client.PageClient`:
the page over HTTP through HAProxy, its kernel websocket, the widgets' states), keeping HAProxy's
cookie and the participant's cookie from page to page as a browser does.

1. **The room.** The facilitator opens the facilitator link (with the token) on host A, as HAProxy's
   cookie would send it there, and opens a room for the room's size; the page's dashboard then reads
   the room at every heartbeat tick (every 2 s, as the page's script sends them). Each participant
   opens the welcome page (HAProxy spreads them over A and B), types the join code, joins, opens
   section 1 and answers its check-in as they go, changing their answers round after round, each
   waiting for "Saved" before the next.
2. **The cut.** Once everyone has had answers shown saved, host A's cable is unplugged (nobody is
   told: packets to it vanish) and every process on it killed. From that moment: when HAProxy marked
   it down (its own message), and what a new page asked for meanwhile waited (a request every quarter
   second, no cookie, as a newcomer's).
3. **Back on B.** A participant whose page says nothing for ``patience`` seconds after an answer (no
   "Saved", no word at all: the page's kernel is on a host that is gone, and nothing closes its
   connection), or whose connection closes, reloads the page, every half second until it is ready;
   HAProxy sends it to B. Each reloaded page must show every answer shown saved before. After the cut
   each participant shares section 1 with the room once, from whichever host its page is on.
4. **The dashboard** keeps counting: its page asks its kernel for a reply every half second; the
   longest time without one is the dashboard's gap (its page was on A, so it is reloaded from the
   room's private link like any other page), and the time from the last share until the dashboard
   counted every share is its lag.
5. **Host A back.** Its cable plugged in and its worker started again: when HAProxy marked it up, and a
   newcomer's page served by A, whose answer is shown saved.

Last, the store itself is read (PostgreSQL, from the test process): each participant's latest answer
shown saved, for every question, must be there. Answers lost must be 0.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tornado.httpclient import AsyncHTTPClient
from tornado.simple_httpclient import HTTPStreamClosedError

from benchmarks.faults import Answer, acceptable_answers
from harness.hosts import Deployment, Worker, deployment
from harness.page_client import PageClient, kernel_message
from harness.server import Server, wait_for_idle_kernels
from harness.stats import summary

LOST = "host-a"  # the worker host that is cut off
KEPT = "host-b"
THINK = (0.5, 1.5)  # seconds a participant takes between two answers (drawn evenly)
CUT = "cut"  # a newcomer's request closed by HAProxy as it took the lost host out
PATIENCE = 10.0  # seconds a participant waits for "Saved" (or any word from the page) before reloading
RELOAD_EVERY = 0.5  # seconds between reloads of a page that does not come
SAVES_BEFORE = 3  # answers each participant has had shown saved before the cut
PROBE_EVERY = 0.25  # seconds between a newcomer's requests while the host is lost
REPLY_EVERY = 0.5  # seconds between the dashboard page's questions to its kernel
TICK_EVERY = 2.0  # the heartbeat's interval, as the page's script sends it
LIMIT = 180.0  # seconds for any one step of the scenario


@dataclass
class Member:
    """One participant: their cookies, where their page is, and every answer they gave."""

    number: int
    cookies: dict[str, str] = field(default_factory=dict)
    code: str = ""
    host: str = ""  # the worker that served their section 1 page before the cut
    answers: list[Answer] = field(default_factory=list)
    saved_on_page: int = 0
    gave_up_at: float | None = None  # when the page first went quiet (no word for ``patience``) or closed
    back_after: float | None = None  # seconds from the cut until a page was ready again (if it went)
    back_on: str = ""
    reloads: int = 0
    shared_at: float | None = None


@dataclass
class Dashboard:
    """The facilitator's page: its client, the room's keys, and what it showed when."""

    client: PageClient
    join_code: str = ""
    secret: str = ""
    host: str = ""
    replies: list[float] = field(default_factory=list)  # when its kernel answered
    readings: list[tuple[float, int, int]] = field(default_factory=list)  # (when, joined, shared)
    reloads: int = 0
    back_on: str = ""


@dataclass
class HostRoom:
    """What the room did, and what the checks found."""

    members: list[Member]
    items: dict[str, str]  # each check-in question, as shown, to its item id in the store
    slug: str
    patience: float
    dashboard: Dashboard | None = None
    cut_at: float | None = None
    done: bool = False
    stopped: str = ""
    errors: list[str] = field(default_factory=list)
    not_restored: list[str] = field(default_factory=list)
    probes: list[tuple[float, str, float]] = field(default_factory=list)  # (sent, served by, seconds)
    marks: dict[str, float] = field(default_factory=dict)  # what happened when, seconds from the cut
    newcomer: dict = field(default_factory=dict)
    lost: list[str] = field(default_factory=list)
    checked: int = 0


# --- reading a page's messages ----------------------------------------------------------------------


def _apply(client: PageClient, message: dict) -> None:
    """Keep a widget the kernel made (the dashboard after "Open") or changed, as the page's manager does."""
    kind = message["header"]["msg_type"]
    content = message.get("content", {})
    if kind == "comm_open" and content.get("target_name") == "jupyter.widget":
        client.states[content["comm_id"]] = dict(content.get("data", {}).get("state", {}))
    elif kind == "comm_msg" and content.get("data", {}).get("method") == "update":
        client.states.setdefault(content["comm_id"], {}).update(content["data"].get("state", {}))


async def _read(client: PageClient, seconds: float) -> list[dict]:
    """Every message the kernel sends within ``seconds``, each applied to the page's widgets.

    Raises when the page's connection closes. (`PageClient` reads one message at a time; a page that
    watches widgets the kernel makes later needs them all.)
    """
    messages = []
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        message = await client._next(left)  # the client's own reader: never a second one on its socket
        if message is None:
            break
        _apply(client, message)
        messages.append(message)
    return messages


async def _until_shown(client: PageClient, text: str, limit: float = 60.0) -> str:
    """Read the page's messages until a widget's value holds ``text``; that widget's id."""
    from markupsafe import escape

    text = str(escape(text))  # as the page's markup has it ("group's" is "group&#39;s" there)
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        for comm_id, state in client.states.items():
            if isinstance(state.get("value"), str) and text in state["value"]:
                return comm_id
        await _read(client, 0.2)
    raise TimeoutError(f"the page did not show {text!r} within {limit:.0f} s")


async def _until_found(client: PageClient, limit: float = 60.0, **wanted: object) -> str:
    """Read the page's messages until it has a widget with ``wanted`` (some are made after the page)."""
    deadline = time.monotonic() + limit
    while (found := client.find(**wanted)) is None:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the page has no widget with {wanted} after {limit:.0f} s")
        await _read(client, 0.2)
    return found


async def _send(client: PageClient, msg_type: str, content: dict) -> str:
    """Send one message on the page's kernel websocket, as the page's script does; its id."""
    message = kernel_message(client.session, msg_type, content)
    await client.ws.write_message(json.dumps(message))
    return str(message["header"]["msg_id"])


async def _click(client: PageClient, comm_id: str) -> None:
    click = {"method": "custom", "content": {"event": "click"}}
    await _send(client, "comm_msg", {"comm_id": comm_id, "data": click})


async def _set(client: PageClient, comm_id: str, value: object) -> None:
    update = {"method": "update", "state": {"value": value}, "buffer_paths": []}
    await _send(client, "comm_msg", {"comm_id": comm_id, "data": update})
    client.states[comm_id]["value"] = value


# --- the facilitator's dashboard --------------------------------------------------------------------

_JOINED = re.compile(r"<strong>(\d+)")
_SHARED = re.compile(r"<td>(\d+) / (\d+)</td>")  # the first activity's row: section 1's


def _with_class(client: PageClient, name: str) -> dict | None:
    return next((s for s in client.states.values() if name in (s.get("_dom_classes") or ())), None)


def dashboard_counts(client: PageClient) -> tuple[int, int] | None:
    """What the dashboard shows: how many joined, and how many shared section 1 (None: no dashboard)."""
    counts, sharing = _with_class(client, "rw-room-counts"), _with_class(client, "rw-console-sharing-panel")
    joined = _JOINED.search(str((counts or {}).get("value", "")))
    shared = _SHARED.search(str((sharing or {}).get("value", "")))
    if joined is None or shared is None:
        return None
    return int(joined.group(1)), int(shared.group(1))


async def open_room(server: Server, size: int, token: str, host: str) -> Dashboard:
    """The facilitator link opened on ``host`` (HAProxy's cookie), a room opened for ``size`` people."""
    from widgets import load_content
    from widgets.room.content import load_room_content
    from widgets.server.workers import COOKIE

    words = load_room_content().facilitator
    client = PageClient(server, {COOKIE: host})
    await client.open(load_content().sections.facilitator_notebook, f"token={token}")
    expected, button = client.find(label=words.expected_label), client.find(description=words.open_label)
    if expected is None or button is None:
        raise RuntimeError("the facilitator page offers no room to open: was the token refused?")
    await _set(client, expected, size)
    await _click(client, button)
    board = Dashboard(client, host=client.served_by)
    deadline = time.monotonic() + LIMIT
    while time.monotonic() < deadline:
        await _read(client, 0.2)
        heartbeat = client.find(interval_ms=True)
        address = client.states[heartbeat].get("address", {}) if heartbeat else {}
        if address.get("key") and dashboard_counts(client) is not None:
            # The page's address is now the room's private link: what a reload opens.
            board.join_code, board.secret = address["room"], address["key"]
            return board
    raise TimeoutError("the facilitator's page did not show the room's dashboard")


async def _reopen_dashboard(server: Server, room: HostRoom, board: Dashboard) -> None:
    """Reload the dashboard from the room's private link until it shows (its host may be gone)."""
    from widgets import load_content

    board.client.ws.close()
    board.reloads += 1
    notebook = load_content().sections.facilitator_notebook
    deadline = time.monotonic() + LIMIT
    while not room.done:
        client = PageClient(server, board.client.cookies)
        try:
            await client.open(notebook, f"room={board.join_code}&key={board.secret}")
        except Exception as error:
            if client.ws is not None:
                client.ws.close()
            if time.monotonic() > deadline:
                raise TimeoutError(f"the dashboard never came back: {error}") from error
            await asyncio.sleep(RELOAD_EVERY)
            continue
        board.client, board.back_on = client, client.served_by
        return


async def _dashboard_round(board: Dashboard, tick: int | None) -> bool:
    """One round of the page: a heartbeat tick when due, one question to its kernel; whether it answered."""
    client = board.client
    if tick is not None:
        heartbeat = client.find(interval_ms=True)
        if heartbeat is not None:
            tick_message = {"method": "custom", "content": {"tick": tick}}
            await _send(client, "comm_msg", {"comm_id": heartbeat, "data": tick_message})
    asked = await _send(client, "kernel_info_request", {})
    messages = await _read(client, REPLY_EVERY)
    now = time.monotonic()
    answered = any(m.get("parent_header", {}).get("msg_id") == asked for m in messages)
    if answered:
        board.replies.append(now)
    counts = dashboard_counts(client)
    if counts is not None and (not board.readings or board.readings[-1][1:] != counts):
        board.readings.append((now, *counts))
    return answered


async def watch_dashboard(server: Server, room: HostRoom) -> None:
    """The facilitator's page for the whole room: reloaded when it gives no word for ``patience`` s."""
    board = room.dashboard
    if board is None:
        raise RuntimeError("no room was opened")
    ticks, last_tick, last_word = 0, 0.0, time.monotonic()
    while not room.done:
        due = time.monotonic() - last_tick >= TICK_EVERY
        ticks, last_tick = (ticks + 1, time.monotonic()) if due else (ticks, last_tick)
        try:
            if await _dashboard_round(board, ticks if due else None):
                last_word = time.monotonic()
        except Exception:  # its connection closed: as silent as a host gone, and reloaded the same way
            await asyncio.sleep(REPLY_EVERY)
        if time.monotonic() - last_word > room.patience:
            await _reopen_dashboard(server, room, board)
            last_word = time.monotonic()
    board.client.ws.close()


# --- the participants ---------------------------------------------------------------------------------


async def join_room(server: Server, member: Member, join_code: str) -> None:
    """Open the room's join link (its QR code's) and join, as a participant does; keep the cookies."""
    from widgets import load_content
    from widgets.room.content import load_room_content
    from widgets.room.model import shown_join_code

    words = load_room_content()
    client = PageClient(server, member.cookies)
    await client.open(load_content().sections.welcome_notebook, f"room={join_code}")
    await _click(
        client, await _until_found(client, description=words.invite.join_label)
    )  # the link only asks; the participant says yes
    await _until_shown(client, words.join.in_room.format(code=shown_join_code(join_code)))
    member.code = client.code()
    await client.close()  # waits for the participant's cookie, as the next page needs it


def _not_restored(room: HostRoom, member: Member, client: PageClient) -> None:
    """Note every check-in answer the page shows that is not the latest shown saved (or one after it)."""
    acceptable = acceptable_answers(member.answers)
    for state in client.states.values():
        question = state.get("question")
        if question in room.items and state.get("value") not in acceptable[question]:
            room.not_restored.append(
                f"participant {member.number}, {question!r}: the page shows {state.get('value')!r}, "
                f"expected one of {sorted(map(str, acceptable[question]))}"
            )


async def _open_section(server: Server, room: HostRoom, member: Member) -> PageClient | None:
    """Open section 1, or reload it until it is ready; None if it never is."""
    from widgets import load_content

    notebook = load_content().sections.by_number(1).notebook
    dropped = time.monotonic()
    while True:
        client = PageClient(server, member.cookies)
        try:
            await client.open(notebook)
            break
        except Exception as error:
            if client.ws is not None:
                client.ws.close()
            if room.done or time.monotonic() - dropped > LIMIT:
                room.errors.append(f"participant {member.number}: the page never came back: {error}")
                return None
            await asyncio.sleep(RELOAD_EVERY)
    if room.cut_at is None:
        member.host = client.served_by
    elif member.back_after is None and member.reloads:
        member.back_after, member.back_on = time.monotonic() - room.cut_at, client.served_by
    member.saved_on_page = 0
    _not_restored(room, member, client)
    return client


async def _share(client: PageClient, room: HostRoom, member: Member) -> None:
    """Share section 1 with the room, and wait for the page to say it counts."""
    from widgets.room.content import load_room_content
    from widgets.room.participant_view import SHARE_OPTION

    words = load_room_content().share
    box = client.find(question=words.question)
    if box is None:
        raise RuntimeError("the page offers no sharing: not in the room?")
    await _set(client, box, [SHARE_OPTION])
    await _until_shown(client, words.done_on, room.patience)
    member.shared_at = time.monotonic()


def _check_in_questions(room: HostRoom, client: PageClient) -> list[str]:
    return sorted(
        (comm_id for comm_id, state in client.states.items() if state.get("question") in room.items),
        key=lambda comm_id: client.states[comm_id]["question"],
    )


async def _answer_next(
    room: HostRoom, member: Member, client: PageClient, given: int, rng: random.Random
) -> None:
    """Give the next answer and wait for "Saved" (at most ``patience``), then think a while."""
    questions = _check_in_questions(room, client)
    question = questions[given % len(questions)]
    options = [option for option, _label in client.states[question]["options"]]
    # Round after round each answer changes, so an answer kept from before a newer one is seen.
    value = options[(given // len(questions) + member.number + given) % len(options)]
    answer = Answer(client.states[question]["question"], value, time.monotonic())
    member.answers.append(answer)
    try:
        seconds = await client.answer(question, value, timeout=room.patience)
    except TimeoutError:
        answer.outcome = "no answer"
        raise
    except Exception:
        answer.outcome = "dropped"
        raise
    answer.outcome, answer.saved = ("saved", seconds) if seconds is not None else ("unsaved", None)
    if seconds is None:
        room.errors.append(f"participant {member.number}: the page said an answer was not saved")
    member.saved_on_page += seconds is not None
    await client.idle(rng.uniform(*THINK))


async def _participant(server: Server, room: HostRoom, member: Member) -> None:
    """Answer the check-in as one goes; share once after the cut; reload the page whenever it goes quiet."""
    rng = random.Random(member.number)  # noqa: S311 - a pace, not a secret
    client: PageClient | None = None
    given = 0
    while not room.done:
        if client is None and (client := await _open_section(server, room, member)) is None:
            return
        try:
            await _answer_next(room, member, client, given, rng)
            given += 1
            if room.cut_at is not None and member.shared_at is None:
                await _share(client, room, member)
        except Exception as error:
            # The page opened on the host that was cut off goes quiet; any other page going is a failure.
            if room.cut_at is None or member.host != LOST or member.reloads:
                room.errors.append(
                    f"participant {member.number}, page on {client.served_by}: {type(error).__name__} {error}"
                )
            member.gave_up_at = member.gave_up_at or time.monotonic()
            client.ws.close()
            client = None
            member.reloads += 1
    if client is not None:
        await client.close()


# --- the cut, and the host back -----------------------------------------------------------------------


async def _until(room: HostRoom, ready: object, what: str, limit: float = LIMIT) -> bool:
    deadline = time.monotonic() + limit
    while not ready():  # type: ignore[operator]
        if time.monotonic() > deadline:
            room.stopped = f"stopped: {what} not within {limit:.0f} s"
            return False
        await asyncio.sleep(0.1)
    return True


async def _probe(server: Server, room: HostRoom, sent: float) -> None:
    """One newcomer's request (no cookie): who served it, and how long it took."""
    from widgets.server.workers import WORKER_HEADER

    try:
        response = await AsyncHTTPClient().fetch(server.url + "/", raise_error=False, request_timeout=60)
        served_by = response.headers.get(WORKER_HEADER, "")
    except (OSError, HTTPStreamClosedError):
        # Still waiting to reach the lost host when HAProxy took it out and closed its connections
        # (on-marked-down shutdown-sessions): a browser shows its own "connection closed" page.
        served_by = CUT
    cut_at = room.cut_at or sent
    room.probes.append((sent - cut_at, served_by, time.monotonic() - sent))


async def _probe_until_down(server: Server, deployment: Deployment, room: HostRoom) -> None:
    """A newcomer's request every quarter second from the cut until HAProxy has marked the host down."""
    cut_at = room.cut_at or time.monotonic()
    probes = []
    while deployment.messages.marked(LOST, "DOWN", cut_at) is None and time.monotonic() - cut_at < LIMIT:
        probes.append(asyncio.ensure_future(_probe(server, room, time.monotonic())))
        await asyncio.sleep(PROBE_EVERY)
    await asyncio.gather(*probes)


def _everyone_back(room: HostRoom) -> bool:
    lost = [member for member in room.members if member.host == LOST]
    board = room.dashboard
    size = len(room.members)
    counted = board is not None and bool(board.readings) and board.readings[-1][1:] == (size, size)
    return all(m.back_after is not None for m in lost) and all(m.shared_at for m in room.members) and counted


def _still_missing(room: HostRoom) -> str:
    """Who is not back, who has not shared, and what the dashboard last showed: why a room stopped."""
    lost = [m.number for m in room.members if m.host == LOST and m.back_after is None]
    unshared = [m.number for m in room.members if not m.shared_at]
    shown = room.dashboard.readings[-1][1:] if room.dashboard and room.dashboard.readings else None
    return f"not back: {lost}; not shared: {unshared}; the dashboard shows (joined, shared) {shown}"


async def _cut_and_back(server: Server, deployment: Deployment, room: HostRoom) -> None:
    """Cut host A off once everyone has saved answers; wait for the room to go on; bring host A back."""
    lost = deployment.workers[LOST]
    try:
        if not await _until(
            room, lambda: all(m.saved_on_page >= SAVES_BEFORE for m in room.members), "saves"
        ):
            return
        cut = await asyncio.to_thread(deployment.cut, lost)
        room.cut_at = cut["unplugged_at"]
        room.marks["processes_killed"] = cut["processes_killed"]
        await _probe_until_down(server, deployment, room)
        room.marks["marked_down"] = (deployment.messages.marked(LOST, "DOWN", room.cut_at) or 0) - room.cut_at
        if not await _until(room, lambda: _everyone_back(room), "every page back and every share counted"):
            room.stopped += f" ({_still_missing(room)})"
            return
        room.marks["room_whole_again"] = time.monotonic() - room.cut_at
        await _host_back(server, deployment, lost, room)
    finally:
        room.done = True


async def _host_back(server: Server, deployment: Deployment, lost: Worker, room: HostRoom) -> None:
    """Plug host A in and start its worker; when HAProxy marked it up; a newcomer's page served by it."""
    plugged = await asyncio.to_thread(deployment.bring_back, lost)
    up = await asyncio.to_thread(deployment.messages.wait_for, LOST, "UP", plugged, LIMIT)
    room.marks["marked_up_after_start"] = up - plugged
    from widgets import load_content

    notebook = load_content().sections.by_number(1).notebook
    for _attempt in range(6):  # round robin: one newcomer in two lands on A
        client = PageClient(server)
        started = time.monotonic()
        await client.open(notebook)
        if client.served_by == LOST:
            ready = time.monotonic() - started
            saved = await client.answer_first_question()
            room.newcomer = {
                "served_by": client.served_by,
                "ready": round(ready, 2),
                "saved": saved is not None,
            }
            await client.close()
            return
        await client.close()
    room.newcomer = {"served_by": "", "ready": None, "saved": False}


# --- the run, the store, the figures ------------------------------------------------------------------


async def _room(deployment: Deployment, room: HostRoom, size: int) -> None:
    AsyncHTTPClient.configure(None, max_clients=size * 4)
    server = deployment.server()
    room.dashboard = await open_room(server, size, deployment.token, LOST)
    watching = asyncio.ensure_future(watch_dashboard(server, room))
    await asyncio.gather(*(join_room(server, member, room.dashboard.join_code) for member in room.members))
    walkers = [_participant(server, room, member) for member in room.members]
    await asyncio.gather(_cut_and_back(server, deployment, room), *walkers)
    await watching


def check_store(database_url: str, room: HostRoom) -> None:
    """Read the store: each participant's latest answer shown saved, for each question, must be there."""
    from widgets.participant import Participant
    from widgets.store import Store

    store = Store(database_url)
    try:
        for member in room.members:
            stored = store.load_all(Participant(member.code).code_hash).get(room.slug, {}).get("answers", {})
            acceptable = acceptable_answers(member.answers)
            latest = {a.question: a for a in member.answers if a.outcome == "saved"}
            for question, answer in latest.items():
                room.checked += 1
                if stored.get(room.items[question]) not in acceptable[question]:
                    room.lost.append(
                        f"participant {member.number}, {question!r}: shown saved {answer.value!r}, "
                        f"the store has {stored.get(room.items[question])!r}"
                    )
    finally:
        store.close()


def lost_host_room(deployment: Deployment, size: int, patience: float = PATIENCE) -> HostRoom:
    """A room of ``size`` on both worker hosts while host A is cut off and comes back; then the store read."""
    from widgets import load_content
    from widgets.sections.checkin.model import load_checkin_content

    items = {f"{n}. {item.text}": item.id for n, item in enumerate(load_checkin_content().items, start=1)}
    slug = load_content().sections.by_number(1).slug
    room = HostRoom([Member(number) for number in range(size)], items, slug, patience)
    with ThreadPoolExecutor(max_workers=1) as worker:  # a thread with no event loop of its own
        worker.submit(asyncio.run, _room(deployment, room, size)).result()
    check_store(deployment.database_url, room)
    return room


def _dashboard_figures(room: HostRoom) -> dict:
    """The dashboard's longest silence from the cut on, and how long after the last share it counted all."""
    board = room.dashboard
    if board is None or room.cut_at is None:
        return {}
    replies = [room.cut_at] + [when for when in board.replies if when > room.cut_at]
    last_share = max((m.shared_at for m in room.members if m.shared_at), default=None)
    complete = [when for when, joined, shared in board.readings if shared == len(room.members)]
    return {
        "on": board.host,
        "reloaded": board.reloads,
        "back_on": board.back_on,
        "longest_without_a_reply": round(max(b - a for a, b in itertools.pairwise(replies)), 2)
        if len(replies) > 1
        else None,
        "every_share_counted_after_the_last_share": round(complete[0] - last_share, 2)
        if complete and last_share
        else None,
        "counts_seen": [
            (round(when - room.cut_at, 1), joined, shared) for when, joined, shared in board.readings
        ],
    }


def figures(room: HostRoom) -> dict:
    """What the room measured, for the JSON and the table."""
    answers = [answer for member in room.members for answer in member.answers]
    lost = [member for member in room.members if member.host == LOST]
    before_down = [p for p in room.probes if p[0] <= room.marks.get("marked_down", 0)]
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "participants": len(room.members),
        "on_each_host": {host: sum(m.host == host for m in room.members) for host in (LOST, KEPT)},
        "patience_seconds": room.patience,
        "haproxy_marked_down_after": round(room.marks.get("marked_down", 0), 2),
        "processes_killed": room.marks.get("processes_killed"),
        "newcomers_while_down": {
            "requests": len(before_down),
            "served_by": sorted({served for _sent, served, _seconds in before_down}),
            "cut_when_marked_down": sum(served == CUT for _sent, served, _seconds in before_down),
            "wait": summary([seconds for _sent, _served, seconds in before_down]),
        },
        "back_on_the_other_host": summary([m.back_after for m in lost if m.back_after is not None]),
        "reload_after_giving_up": summary(
            [
                m.back_after - (m.gave_up_at - (room.cut_at or 0))
                for m in lost
                if m.back_after and m.gave_up_at
            ]
        ),
        "answers_without_a_word_at_the_cut": sum(a.outcome == "no answer" for m in lost for a in m.answers),
        "back_on": sorted({m.back_on for m in lost}),
        "pages_not_restored": len(room.not_restored),
        "not_restored_samples": room.not_restored[:10],
        "answers_given": len(answers),
        "answers_shown_saved": sum(answer.outcome == "saved" for answer in answers),
        "answers_checked_in_store": room.checked,
        "answers_lost": len(room.lost),
        "lost_samples": room.lost[:10],
        "dashboard": _dashboard_figures(room),
        "room_whole_again_after": round(room.marks.get("room_whole_again", 0), 2),
        "host_back_marked_up_after_start": round(room.marks.get("marked_up_after_start", 0), 2),
        "newcomer_on_the_host_back": room.newcomer,
        "save": summary([answer.saved for answer in answers if answer.saved is not None]),
        "errors": len(room.errors),
        "error_samples": room.errors[:10],
        "stopped": room.stopped,
    }


def print_hosts(results: dict) -> None:
    """Print the run as a few lines."""
    back, wait, board = (
        results["back_on_the_other_host"],
        results["newcomers_while_down"],
        results["dashboard"],
    )
    print(
        f"\nThe lost worker host, {results['date']}: a room of {results['participants']} "
        f"({results['on_each_host']}); host A cut off, then back"
    )
    print(
        f"  HAProxy marked it down after {results['haproxy_marked_down_after']} s; newcomers meanwhile: "
        f"{wait['wait']['n']} requests, served by {wait['served_by']}, waited p95 {wait['wait']['p95']} "
        f"s, max {wait['wait']['max']} s"
    )
    print(
        f"  its participants' pages ready again on {results['back_on']}: p50 {back['p50']} s, "
        f"p95 {back['p95']} s, max {back['max']} s after the cut (they reload after "
        f"{results['patience_seconds']} s without a word)"
    )
    print(
        f"  answers given {results['answers_given']}, shown saved {results['answers_shown_saved']}, checked "
        f"in the store {results['answers_checked_in_store']}, LOST {results['answers_lost']}; pages not "
        f"showing their answers {results['pages_not_restored']}"
    )
    print(
        f"  dashboard on {board.get('on')}: longest without a reply {board.get('longest_without_a_reply')} s "
        f"(reloaded {board.get('reloaded')}x, back on {board.get('back_on')}); every share counted "
        f"{board.get('every_share_counted_after_the_last_share')} s after the last one"
    )
    print(
        f"  host A back: marked up {results['host_back_marked_up_after_start']} s after its worker started; "
        f"a newcomer there: {results['newcomer_on_the_host_back']}"
    )
    print(f"  errors: {results['errors']}" + (f" ({results['stopped']})" if results["stopped"] else ""))


def main(size: int, out: Path, patience: float = PATIENCE) -> int:
    """Run the scenario once, write its JSON to ``out`` and print it; 1 if anything went wrong."""
    import os
    import platform

    with deployment() as hosts:
        for worker in hosts.workers.values():
            wait_for_idle_kernels(worker.server())  # a workshop's server is started before people come
        room = lost_host_room(hosts, size, patience)
    results = figures(room)
    results["machine"] = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1))
    print_hosts(results)
    return 0 if results["errors"] == 0 and results["answers_lost"] == 0 and not results["stopped"] else 1
