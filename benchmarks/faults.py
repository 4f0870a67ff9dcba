"""Faults under load: the server killed with ``kill -9`` while a room saves, and restarted.

``./workbook bench --kill-restarts 3`` (``results/issue-18-faults.json``). A room of participants at
the protocol level (`harness.page_client.PageClient`: the page over HTTP, its kernel websocket, the
widgets' states as the browser's widget manager asks for them) opens section 1 and answers its
check-in as they go, one question after another, changing their answers round after round, each
waiting for the page's "Saved" before the next. Meanwhile the server process is killed with SIGKILL,
as a crash kills it, and started again on the same port and the same data folder, three times. Only
the server gets the signal: its warm parent and kernels are left to end on their own, as they must
(a crashed server's kernels must not keep writing, nor hold anything the restart needs).

Each participant keeps what a person could see: every answer given, and whether and when the page
showed it saved. When the websocket drops, the page is reloaded as a browser's page must be (its
kernel is gone with the server) every half second until the server is back; the reloaded page's widgets
must hold the answers shown saved. After each kill, once every process of the killed server is gone and
before the restart, and again after the room, the store itself is read: the latest answer shown saved
for each participant and question must be there (or the answer the participant gave after it, which the
killed server may have written without being able to say so). Answers lost must be 0.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime

from tornado.httpclient import AsyncHTTPClient

from harness.page_client import PageClient
from harness.server import Server, kill_server, restart
from harness.stats import summary
from widgets.participant import PARTICIPANT_COOKIE, cookie_value
from widgets.sections.checkin.model import load_checkin_content

PAGE = "01-hidden-weight.ipynb"
RELOAD_EVERY = 0.5  # seconds between reloads of a page whose server is gone
RECONNECT_LIMIT = 180.0  # seconds after a kill for every page to be back
SAVE_LIMIT = 60.0  # seconds for a page to say whether an answer was saved
IN_FLIGHT_WAIT = 5.0  # seconds to wait for a moment when an answer is on its way, to kill then
SAVES_BETWEEN = 3  # answers each participant has had shown saved, on the page it has, before a kill


@dataclass
class Answer:
    """One answer as the participant gave it, and what the page said about it."""

    question: str  # the question as the page shows it
    value: str
    sent: float
    saved: float | None = None  # seconds until the page showed it saved
    outcome: str = ""  # "saved", "unsaved" (the page said so), "dropped" (the page went first), "no answer"


@dataclass
class Person:
    """One participant: their code and every answer they gave."""

    number: int
    code: str = ""
    answers: list[Answer] = field(default_factory=list)
    kills_seen: int = 0  # kills before this page was opened: a drop after more is a kill's doing
    saved_on_page: int = 0
    reconnect: dict[int, float] = field(default_factory=dict)  # kill -> seconds until the page was ready
    fell_back: int = 0  # reloaded pages whose widgets came one state a message (no control comm answer)


@dataclass
class FaultRoom:
    """What the room did, and what the checks found."""

    people: list[Person]
    think: tuple[float, float]
    items: dict[str, str]  # each check-in question, as shown, to its item id in the store
    slug: str
    kills: list[float] = field(default_factory=list)  # when each kill was sent
    done: bool = False
    stopped: str = ""
    errors: list[str] = field(default_factory=list)
    not_restored: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    checks: list[dict] = field(default_factory=list)
    restarts: list[dict] = field(default_factory=list)
    seconds: float = 0.0


def acceptable_answers(answers: list[Answer]) -> dict[str, set[str | None]]:
    """For each question: the latest answer shown saved (or none), and any given after it, unconfirmed."""
    kept: dict[str, set[str | None]] = defaultdict(lambda: {None})
    for answer in answers:
        if answer.outcome == "saved":
            kept[answer.question] = {answer.value}
        else:
            kept[answer.question].add(answer.value)
    return kept


def _latest_saved(answers: list[Answer]) -> dict[str, Answer]:
    latest = {}
    for answer in answers:
        if answer.outcome == "saved":
            latest[answer.question] = answer
    return latest


def check_store(server: Server, room: FaultRoom, after: str) -> dict:
    """Read the store: each participant's latest answer shown saved, for each question, must be there."""
    from widgets.participant import Participant
    from widgets.store import Store

    store = Store(server.data / "workbook.sqlite")
    checked = found = 0
    try:
        for person in room.people:
            if not person.code:
                continue
            stored = store.load_all(Participant(person.code).code_hash).get(room.slug, {}).get("answers", {})
            acceptable = acceptable_answers(person.answers)
            for question, answer in _latest_saved(person.answers).items():
                checked += 1
                value = stored.get(room.items[question])
                if value in acceptable[question]:
                    found += 1
                else:
                    room.lost.append(
                        f"{after}: participant {person.number}, {question!r}: shown saved "
                        f"{answer.value!r}, the store has {value!r}"
                    )
    finally:
        store.close()
    check = {"after": after, "checked": checked, "in_store": found, "lost": checked - found}
    room.checks.append(check)
    return check


async def _open(server: Server, room: FaultRoom, person: Person) -> PageClient | None:
    """Open the page, or reload it after its server went, until it is ready; ``None`` if it never is."""
    kill = len(room.kills) - 1 if len(room.kills) > person.kills_seen else None
    dropped = time.monotonic()
    while True:
        # A reload carries the browser's participant cookie (a link's code would only ask first).
        cookies = {PARTICIPANT_COOKIE: cookie_value(person.code, False)} if person.code else None
        client = PageClient(server, cookies)
        person.kills_seen = len(room.kills)
        try:
            await client.open(PAGE)
            break
        except Exception as error:
            if client.ws is not None:
                client.ws.close()
            if room.done or time.monotonic() - dropped > RECONNECT_LIMIT:
                room.errors.append(f"participant {person.number}: the page never came back: {error}")
                return None
            await asyncio.sleep(RELOAD_EVERY)
    person.saved_on_page = 0
    if not person.code:
        person.code = client.code()
    if kill is not None:
        person.reconnect[kill] = time.monotonic() - room.kills[kill]
        person.fell_back += client.fell_back
    # What the reloaded page shows: the answers shown saved (or one given after, the page gone first).
    acceptable = acceptable_answers(person.answers)
    for comm_id, state in client.states.items():
        question = state.get("question")
        if question in room.items and state.get("value") not in acceptable[question]:
            room.not_restored.append(
                f"participant {person.number}, {question!r}: the page shows {state.get('value')!r}, "
                f"expected one of {sorted(map(str, acceptable[question]))} ({comm_id})"
            )
    return client


async def _participant(server: Server, room: FaultRoom, person: Person) -> None:
    """Answer the check-in as one goes, round after round; reload the page whenever it goes."""
    rng = random.Random(person.number)  # noqa: S311 - a pace, not a secret
    client: PageClient | None = None
    given = 0
    while not room.done:
        if client is None:
            client = await _open(server, room, person)
            if client is None:
                return
        questions = _check_in_questions(room, client)
        if not questions:
            room.errors.append(f"participant {person.number}: the page has no check-in questions")
            return
        kept = await _answer_next(room, person, client, questions, given, rng)
        given += 1
        if not kept:
            client = None
    if client is not None:
        try:
            await client.close()
        except Exception as error:
            room.errors.append(f"participant {person.number} leaving the page: {error}")


def _check_in_questions(room: FaultRoom, client: PageClient) -> list[str]:
    """The page's check-in questions (their comm ids), in the order of their questions."""
    return sorted(
        (comm_id for comm_id, state in client.states.items() if state.get("question") in room.items),
        key=lambda comm_id: client.states[comm_id]["question"],
    )


async def _answer_next(
    room: FaultRoom, person: Person, client: PageClient, questions: list[str], given: int, rng: random.Random
) -> bool:
    """Give the next answer, then think a while; False when the page went meanwhile (its socket closed)."""
    question = questions[given % len(questions)]
    options = [option for option, _label in client.states[question]["options"]]
    # Round after round each answer changes, so an answer kept from before a newer one is seen.
    value = options[(given // len(questions) + person.number + given) % len(options)]
    answer = Answer(client.states[question]["question"], value, time.monotonic())
    person.answers.append(answer)
    try:
        seconds = await client.answer(question, value, timeout=SAVE_LIMIT)
        answer.outcome, answer.saved = ("saved", seconds) if seconds is not None else ("unsaved", None)
        person.saved_on_page += seconds is not None
        if seconds is None:
            room.errors.append(f"participant {person.number}: the page said an answer was not saved")
        await client.idle(rng.uniform(*room.think))
    except Exception as error:
        if not answer.outcome:
            answer.outcome = "no answer" if isinstance(error, TimeoutError) else "dropped"
        if len(room.kills) == person.kills_seen:  # not a kill's doing
            room.errors.append(f"participant {person.number}: {type(error).__name__}: {error}")
        client.ws.close()
        return False
    return True


async def _until(room: FaultRoom, ready: object, limit: float, waiting_for: str) -> bool:
    deadline = time.monotonic() + limit
    while not ready():
        if time.monotonic() > deadline:
            room.stopped = f"stopped: not every page {waiting_for} within {limit:.0f} s"
            return False
        await asyncio.sleep(0.1)
    return True


def _in_flight(room: FaultRoom) -> bool:
    return any(person.answers and not person.answers[-1].outcome for person in room.people)


async def _while_saving(room: FaultRoom) -> None:
    """Wait for a moment when an answer is on its way (sent, not yet shown saved), and a little more."""
    await asyncio.sleep(random.uniform(0, room.think[1]))  # noqa: S311 - a moment, not a secret
    deadline = time.monotonic() + IN_FLIGHT_WAIT
    while not _in_flight(room) and time.monotonic() < deadline:
        await asyncio.sleep(0.001)
    # A save takes about 10 ms in the kernel: the kill lands anywhere from before it reaches the kernel
    # to after its commit.
    await asyncio.sleep(random.uniform(0, 0.02))  # noqa: S311


async def _kill_and_restart(server: Server, room: FaultRoom, kills: int) -> None:
    """Kill the server while the room saves, check the store, start it again; ``kills`` times."""

    def saving() -> bool:
        return all(p.saved_on_page >= SAVES_BETWEEN and p.kills_seen == len(room.kills) for p in room.people)

    try:
        if not await _until(room, saving, RECONNECT_LIMIT, "had saved answers"):
            return
        for number in range(1, kills + 1):
            await _while_saving(room)
            in_flight = sum(1 for p in room.people if p.answers and not p.answers[-1].outcome)
            room.kills.append(time.monotonic())
            gone = await asyncio.to_thread(kill_server, server)
            # Nothing of the killed server runs now, and nothing new does yet: the store is as it left it.
            check = check_store(server, room, f"kill {number}")
            back = await asyncio.to_thread(restart, server)
            answering = time.monotonic() - room.kills[-1]
            back_after_kill = number - 1
            reconnected = await _until(
                room,
                lambda kill=back_after_kill: all(kill in p.reconnect for p in room.people),
                RECONNECT_LIMIT,
                "came back",
            )
            times = [p.reconnect[number - 1] for p in room.people if number - 1 in p.reconnect]
            room.restarts.append(
                {
                    "kill": number,
                    "answers_in_flight": in_flight,
                    "processes_left_by_the_killed_server": gone["left_by_server"],
                    "all_gone_after": gone["gone_after"],
                    "still_running_after_30_s": gone["still_running"],
                    "temporary_folders_left": gone["folders_left"],
                    "store": check,
                    "restart_seconds": round(back, 2),
                    "server_answering_after": round(answering, 2),
                    "pages_back": len(times),
                    "reconnect": summary(times),
                }
            )
            if not reconnected or not await _until(room, saving, RECONNECT_LIMIT, "saved again"):
                return
    finally:
        room.done = True


async def _room(server: Server, room: FaultRoom, kills: int) -> None:
    AsyncHTTPClient.configure(None, max_clients=len(room.people) * 2)
    walkers = [_participant(server, room, person) for person in room.people]
    await asyncio.gather(_kill_and_restart(server, room, kills), *walkers)


THINK = (0.5, 1.5)  # seconds a participant takes between two answers (drawn evenly)


def fault_room(server: Server, size: int, kills: int = 3, think: tuple[float, float] = THINK) -> FaultRoom:
    """A room of ``size`` answering as they go while the server is killed and restarted ``kills`` times.

    Returns the room: each participant's answers as the page showed them, and what the checks found
    (the last one reads the store after the room has left).
    """
    from widgets import load_content

    content = load_content()
    items = {
        f"{number}. {item.text}": item.id for number, item in enumerate(load_checkin_content().items, start=1)
    }
    slug = content.sections.by_number(1).slug
    room = FaultRoom([Person(number) for number in range(size)], think, items, slug)
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=1) as worker:  # a thread with no event loop of its own
        worker.submit(asyncio.run, _room(server, room, kills)).result()
    room.seconds = time.monotonic() - started
    check_store(server, room, "the room")
    return room


def figures(room: FaultRoom) -> dict:
    """What the room measured, for the JSON and the table."""
    answers = [answer for person in room.people for answer in person.answers]
    reconnects = [seconds for person in room.people for seconds in person.reconnect.values()]
    final = room.checks[-1]
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "participants": len(room.people),
        "page": PAGE,
        "kill_restarts": len(room.restarts),
        "think_seconds": list(room.think),
        "seconds": round(room.seconds, 1),
        "answers_given": len(answers),
        "answers_shown_saved": sum(answer.outcome == "saved" for answer in answers),
        "answers_dropped_with_the_server": sum(answer.outcome == "dropped" for answer in answers),
        "store_checks": room.checks,
        "answers_checked": sum(check["checked"] for check in room.checks),
        "answers_in_store": sum(check["in_store"] for check in room.checks),
        "answers_lost": len(room.lost),
        "lost_samples": room.lost[:10],
        "answers_in_the_store_after_the_room": final["in_store"],
        "pages_not_restored": len(room.not_restored),
        "not_restored_samples": room.not_restored[:10],
        "restarts": room.restarts,
        "reconnect": summary(reconnects),
        "reloaded_pages_fell_back_to_one_state_a_message": sum(person.fell_back for person in room.people),
        "save": summary([answer.saved for answer in answers if answer.saved is not None]),
        "errors": len(room.errors),
        "error_samples": room.errors[:10],
        "stopped": room.stopped,
    }


def print_faults(results: dict) -> None:
    """Print the fault run as a few lines."""
    print(
        f"\nFaults under load, {results['date']}: a room of {results['participants']} on {results['page']}, "
        f"the server killed (SIGKILL) and restarted {results['kill_restarts']} times ({results['seconds']} s)"
    )
    print(
        f"  answers given {results['answers_given']}, shown saved {results['answers_shown_saved']}, "
        f"lost with the server before being shown saved {results['answers_dropped_with_the_server']}"
    )
    print(
        f"  latest saved answers checked in the store: {results['answers_checked']}, found "
        f"{results['answers_in_store']}, LOST {results['answers_lost']}; pages that did not show their "
        f"answers after a reload: {results['pages_not_restored']}"
    )
    for run in results["restarts"]:
        reconnect = run["reconnect"]
        print(
            f"  kill {run['kill']}: {run['answers_in_flight']} answers in flight; the killed server's "
            f"{run['processes_left_by_the_killed_server']} processes gone after {run['all_gone_after']} s "
            f"({run['still_running_after_30_s']} still running after 30 s); restart "
            f"{run['restart_seconds']} s; pages back {run['pages_back']}, p50 {reconnect['p50']} s, "
            f"p95 {reconnect['p95']} s after the kill"
        )
    save = results["save"]
    print(f"  answer saved p50 {save['p50']} s, p95 {save['p95']} s, max {save['max']} s (n={save['n']})")
    print(f"  errors: {results['errors']}" + (f" ({results['stopped']})" if results["stopped"] else ""))
