"""Figures released in steps: no two successive views of a room differ by fewer than its threshold."""

from __future__ import annotations

import csv
import io
import itertools

import pytest

from widgets.participant import new_participant
from widgets.registry import SECTIONS as REGISTRY
from widgets.room.model import Rooms
from widgets.room.release import Release, is_due, newcomers, still_needed
from widgets.sections.checkin.model import load_checkin_content
from widgets.store import Store

CHECKIN = load_checkin_content()
TOP = max(CHECKIN.options, key=lambda option: option.score)
LOW = min(CHECKIN.options, key=lambda option: option.score)
SLUG = "hidden-weight"
K = 5


def _views(events: list[tuple[str, int]], threshold: int = K) -> list[frozenset[int]]:
    """Whose answers the shown figures cover after each event ("share" or "stop", a person)."""
    sharing: set[int] = set()
    released: Release | None = None
    views = []
    for event, person in events:
        (sharing.add if event == "share" else sharing.discard)(person)
        if is_due(released, sharing, threshold):
            released = Release(frozenset(sharing), ())
        views.append(released.members if released else frozenset())
    return views


def test_the_rule_with_known_numbers_of_sharers():
    empty: set[int] = set()
    assert (is_due(None, empty, K), still_needed(None, empty, K)) == (False, 5)
    assert (is_due(None, {1, 2, 3, 4}, K), still_needed(None, {1, 2, 3, 4}, K)) == (False, 1)
    assert (is_due(None, {1, 2, 3, 4, 5}, K), still_needed(None, {1, 2, 3, 4, 5}, K)) == (True, 0)
    five = Release(frozenset({1, 2, 3, 4, 5}), ())
    assert (is_due(five, set(range(1, 7)), K), still_needed(five, set(range(1, 7)), K)) == (False, 4)
    assert (is_due(five, set(range(1, 10)), K), still_needed(five, set(range(1, 10)), K)) == (False, 1)
    assert (is_due(five, set(range(1, 11)), K), still_needed(five, set(range(1, 11)), K)) == (True, 0)
    # One of the five stops sharing: not a newcomer, and not enough to change anything.
    assert (is_due(five, {1, 2, 3, 4}, K), still_needed(five, {1, 2, 3, 4}, K)) == (False, 5)
    # They come back: they were in the release, so they are not new either.
    assert newcomers(five, {1, 2, 3, 4, 5}) == 0


def test_no_two_successive_views_differ_by_fewer_than_the_threshold():
    events = [("share", person) for person in range(1, 11)]
    events += [("stop", 3)]
    events += [("share", person) for person in range(11, 16)]
    events += [("stop", 4), ("share", 4), ("stop", 11), ("share", 16)]
    events += [("share", person) for person in range(17, 25)]
    views = _views(events)
    assert views[3] == frozenset()  # 4 sharers: nothing shown
    assert views[4] == frozenset(range(1, 6))  # 5: the first release
    assert views[5] == views[8] == frozenset(range(1, 6))  # 6 to 9: unchanged
    assert views[9] == frozenset(range(1, 11))  # 10: the second release
    assert views[10] == views[9]  # person 3 stops: still counted until the next release
    assert views[15] == frozenset(range(1, 16)) - {3}  # five newcomers: 3 is taken out
    changes = [(before, after) for before, after in itertools.pairwise(views) if before != after]
    assert len(changes) >= 4
    for before, after in changes:
        assert len(before ^ after) >= K, (sorted(before), sorted(after))


# --- the same rule in a real room, on SQLite and PostgreSQL ----------------------------------------


@pytest.fixture
def rooms(store_location):
    store = Store(store_location)
    yield Rooms(store, REGISTRY)
    store.close()


def _share(rooms: Rooms, join_code: str, option_id: str):
    someone = new_participant()
    rooms.store.save(someone.code_hash, SLUG, {"answers": {item.id: option_id for item in CHECKIN.items}})
    rooms.join(someone.code_hash, someone.kind, join_code)
    rooms.set_sharing(someone.code_hash, SLUG, True)
    return someone


def _activity(room):
    return next(a for a in room.dashboard().activities if a.slug == SLUG)


def test_a_watching_room_cannot_subtract_one_person(rooms):
    keys = rooms.open_room(threshold=K)
    room = rooms.facilitator_room(keys.join_code, keys.secret)
    people = [_share(rooms, keys.join_code, TOP.id) for _ in range(5)]
    first = _activity(room)
    assert (first.released, first.covered, first.needed) == (True, 5, 5)

    # A sixth person shares a very different answer: the figures do not move, so nothing about
    # them can be read from the change. The dashboard says how many more before an update.
    people.append(_share(rooms, keys.join_code, LOW.id))
    sixth = _activity(room)
    assert sixth.figures == first.figures
    assert (sixth.shared, sixth.covered, sixth.needed) == (6, 5, 4)

    # A released member changes their answer, and another stops sharing: still no change.
    rooms.store.save(people[0].code_hash, SLUG, {"answers": {item.id: LOW.id for item in CHECKIN.items}})
    rooms.set_sharing(people[1].code_hash, SLUG, False)
    assert _activity(room).figures == first.figures
    csv_rows = list(csv.reader(io.StringIO(room.export_csv())))
    assert {row[5] for row in csv_rows[1:]} == {"5"}  # the CSV shows what the dashboard shows

    for _ in range(3):
        people.append(_share(rooms, keys.join_code, LOW.id))
    assert _activity(room).figures == first.figures  # 4 newcomers: not yet
    people.append(_share(rooms, keys.join_code, LOW.id))
    second = _activity(room)
    # 5 newcomers: released again, without the one who stopped sharing, with the changed answer.
    assert (second.covered, second.needed) == (9, 5)
    assert second.figures != first.figures
    often = next(figure for figure in second.figures if figure.id == "often")
    assert {row.value for row in often.rows} == {3}  # people 3, 4 and 5 still answer "often"
    # A second dashboard (the projector) sees the same release, not a newer one of its own.
    projector = rooms.facilitator_room(keys.join_code, keys.secret)
    assert _activity(projector) == second
