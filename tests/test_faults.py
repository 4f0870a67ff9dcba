"""Faults under load: the server killed with ``kill -9`` three times while a room saves as it goes.

A smaller room than the benchmark's (``./workbook bench --kill-restarts 3``: 30), through the same client
(`benchmarks.faults`), the real Voilà server and the real store. Every answer a page showed as saved must
be in the store, every page must come back after its reload and show its answers, and nothing of a
killed server may keep running into the next one.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import psutil
import pytest

from benchmarks.faults import PAGE, SAVES_BETWEEN, acceptable_answers, fault_room, figures
from harness.page_client import PageClient
from harness.server import REPO, serve, wait_for_idle_kernels
from widgets.participant import PARTICIPANT_COOKIE, Participant, cookie_value
from widgets.store import Store

# Timings and capacity: measured with the machine to itself (README, "Tests").
pytestmark = [pytest.mark.browser, pytest.mark.serial]

ROOM = 6
KILLS = 3


async def _pages_after(server, room) -> dict[int, dict[str, object]]:
    """Each participant's page opened once more after the room: the check-in values it shows."""
    shown = {}
    for person in room.people:
        # As the person's browser: the participant cookie names them (a link's code only asks first).
        client = PageClient(server, {PARTICIPANT_COOKIE: cookie_value(person.code, False)})
        await client.open(PAGE)
        shown[person.number] = {
            state["question"]: state.get("value")
            for state in client.states.values()
            if state.get("question") in room.items
        }
        await client.close()
    return shown


def test_answers_shown_saved_survive_three_kill_9_restarts_during_a_room():
    with serve("workbook", REPO) as server:
        port = urlsplit(server.url).port
        first = server.process.pid
        wait_for_idle_kernels(server, steady=2.0)
        room = fault_room(server, ROOM, KILLS)
        # The server answering now is the third restart, on the port the first one had.
        assert server.process.pid != first
        listening = psutil.Process(server.process.pid).net_connections(kind="tcp")
        assert port in {c.laddr.port for c in listening if c.status == psutil.CONN_LISTEN}
        results = figures(room)
        assert results["errors"] == 0, results["error_samples"]
        assert not results["stopped"]
        assert results["kill_restarts"] == KILLS
        with ThreadPoolExecutor(max_workers=1) as worker:
            shown = worker.submit(asyncio.run, _pages_after(server, room)).result()
        store = Store(server.data / "workbook.sqlite")
        kept = {
            person.number: store.load_all(Participant(person.code).code_hash)[room.slug]["answers"]
            for person in room.people
        }
        store.close()

    # What the benchmark's own checks found, at each kill (before the restart) and after the room.
    assert results["answers_lost"] == 0, results["lost_samples"]
    assert [check["after"] for check in results["store_checks"]] == [f"kill {n}" for n in (1, 2, 3)] + [
        "the room"
    ]
    assert all(check["checked"] == check["in_store"] > 0 for check in results["store_checks"])
    assert results["answers_shown_saved"] >= ROOM * SAVES_BETWEEN * (KILLS + 1)
    assert results["pages_not_restored"] == 0, results["not_restored_samples"]
    for restart in results["restarts"]:
        # The killed server had started its warm parent and kernels: all ended by themselves, at once.
        assert restart["processes_left_by_the_killed_server"] >= ROOM + 1
        assert restart["still_running_after_30_s"] == 0
        assert restart["temporary_folders_left"] == 0, "the warm parent's socket folder went with it"
        assert restart["all_gone_after"] < 5
        assert restart["pages_back"] == ROOM
        assert restart["reconnect"]["max"] < 60

    # Read here from the participants' own records: after the room nothing is on its way, so the
    # store holds each participant's latest answer shown saved, for every question, or one given
    # after it whose "Saved" the kill cut off (its kernel committed it as the server went; the page
    # opened again then showed it, so the participant had no reason to give it again).
    for person in room.people:
        latest = {}
        for answer in person.answers:
            if answer.outcome == "saved":
                latest[answer.question] = answer.value
        assert len(latest) == len(room.items), "every question was answered and shown saved"
        acceptable = acceptable_answers(person.answers)
        for question, item in room.items.items():
            assert kept[person.number].get(item) in acceptable[question], (person.number, question)
            assert shown[person.number].get(question) == kept[person.number].get(item), "the page shows it"
