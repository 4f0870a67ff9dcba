"""Made-up participants and line floods, with the real store on SQLite and PostgreSQL.

A participant code costs nothing, so a room lets in only as many people as it expects; anyone beyond
waits for the facilitator and counts nowhere. And a room takes only so many lines a minute.
"""

from __future__ import annotations

import csv
import io
import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect, text

from widgets.participant import Participant, new_participant
from widgets.registry import SECTIONS as REGISTRY
from widgets.room.model import LINES_PER_ACTIVITY, LINES_SPARE, RoomError, Rooms
from widgets.sections.checkin.model import load_checkin_content
from widgets.store import Store

CHECKIN = load_checkin_content()
TOP = max(CHECKIN.options, key=lambda option: option.score)
LOW = min(CHECKIN.options, key=lambda option: option.score)
SLUG = "hidden-weight"
OTHER_SLUG = "what-community-means"


@pytest.fixture
def rooms(store_location):
    store = Store(store_location)
    yield Rooms(store, REGISTRY)
    store.close()


def _all(option_id: str) -> dict:
    return {"answers": {item.id: option_id for item in CHECKIN.items}}


def _joined(rooms: Rooms, join_code: str, answers: dict | None = None) -> tuple[Participant, bool]:
    """A new participant who answered the check-in (if ``answers``) and joined; and whether let in."""
    someone = new_participant()
    if answers is not None:
        rooms.store.save(someone.code_hash, SLUG, answers)
    membership = rooms.join(someone.code_hash, someone.kind, join_code)
    assert membership is not None
    return someone, membership.admitted


def _activity(board, slug=SLUG):
    return next(a for a in board.activities if a.slug == slug)


def _raw(rooms: Rooms, query: str, **values) -> list[tuple]:
    with rooms.store.engine.connect() as raw:
        return [tuple(row) for row in raw.execute(text(query), values)]


def _force_share(rooms: Rooms, someone: Participant, slug: str = SLUG) -> None:
    """A share row written straight into the database, past every check (as a crafted store might)."""
    with rooms.store.engine.begin() as raw:
        room_id, member_id = raw.execute(
            text(
                "SELECT room_id, participant_id FROM room_members JOIN participants "
                "ON participants.id = room_members.participant_id WHERE code_hash = :hash"
            ),
            {"hash": someone.code_hash},
        ).one()
        raw.execute(
            text("INSERT INTO room_shares VALUES (:room, :member, :slug)"),
            {"room": room_id, "member": member_id, "slug": slug},
        )


def test_a_room_lets_in_the_number_expected_and_the_rest_wait(rooms):
    keys = rooms.open_room(expected=5)
    room = rooms.facilitator_room(keys.join_code, keys.secret)
    first = [_joined(rooms, keys.join_code) for _ in range(5)]
    assert [admitted for _, admitted in first] == [True] * 5
    later = [_joined(rooms, keys.join_code) for _ in range(3)]
    assert [admitted for _, admitted in later] == [False] * 3
    board = room.dashboard()
    assert (board.joined, board.expected, board.waiting_to_join) == (5, 5, 3)

    # Joining the same room again keeps each where they are; neither jumps the queue nor loses a place.
    waiting, _ = later[0]
    assert rooms.join(waiting.code_hash, waiting.kind, keys.join_code).admitted is False
    inside, _ = first[0]
    assert rooms.join(inside.code_hash, inside.kind, keys.join_code).admitted is True
    assert rooms.membership(waiting.code_hash).admitted is False
    assert rooms.membership(inside.code_hash).admitted is True
    assert (room.dashboard().joined, room.dashboard().waiting_to_join) == (5, 3)

    # Someone waiting can share nothing and offer no line.
    rooms.store.save(waiting.code_hash, SLUG, _all(TOP.id))
    for share in (True, False):
        with pytest.raises(RoomError, match="not-admitted"):
            rooms.set_sharing(waiting.code_hash, SLUG, share)
    with pytest.raises(RoomError, match="not-admitted"):
        rooms.offer_line(waiting.code_hash, OTHER_SLUG, "let me in")
    assert _raw(rooms, "SELECT COUNT(*) FROM room_shares") == [(0,)]
    assert _raw(rooms, "SELECT COUNT(*) FROM room_lines") == [(0,)]

    # Moving to another room with room to spare lets them in there, and leaves this one's queue.
    other = rooms.open_room(expected=5)
    assert rooms.join(waiting.code_hash, waiting.kind, other.join_code).admitted is True
    assert room.dashboard().waiting_to_join == 2


def test_joining_all_at_once_lets_in_exactly_the_number_expected(rooms):
    keys = rooms.open_room(expected=5)
    people = [new_participant() for _ in range(12)]

    def join(someone: Participant) -> bool:
        return rooms.join(someone.code_hash, someone.kind, keys.join_code).admitted

    with ThreadPoolExecutor(max_workers=6) as pool:
        admitted = list(pool.map(join, people))
    assert admitted.count(True) == 5
    board = rooms.facilitator_room(keys.join_code, keys.secret).dashboard()
    assert (board.joined, board.waiting_to_join) == (5, 7)


def test_made_up_participants_beyond_the_number_expected_change_nothing_the_group_sees(rooms):
    """Five real people share; four made-up ones join after them and share very different answers."""
    keys = rooms.open_room(expected=5)
    room = rooms.facilitator_room(keys.join_code, keys.secret)
    real = [_joined(rooms, keys.join_code, _all(TOP.id))[0] for _ in range(5)]
    for someone in real[:4]:
        rooms.set_sharing(someone.code_hash, SLUG, True)
    before = room.dashboard()
    assert (_activity(before).shared, _activity(before).needed, _activity(before).figures) == (4, 1, ())

    made_up = [_joined(rooms, keys.join_code, _all(LOW.id)) for _ in range(4)]
    assert [admitted for _, admitted in made_up] == [False] * 4
    for someone, _ in made_up:
        with pytest.raises(RoomError, match="not-admitted"):
            rooms.set_sharing(someone.code_hash, SLUG, True)
        _force_share(rooms, someone)  # even shares that got into the store anyway are not read
    during = room.dashboard()
    assert (during.joined, during.waiting_to_join) == (5, 4)
    # Four shared, plus four made-up: still one more needed, and still nothing shown.
    assert _activity(during) == _activity(before)
    assert list(csv.reader(io.StringIO(room.export_csv())))[1:] == []

    # The fifth real person shares: the figures are the five real people's, as in a room without the
    # made-up ones, and cover five.
    rooms.set_sharing(real[4].code_hash, SLUG, True)
    released = _activity(room.dashboard())
    assert (released.released, released.covered, released.shared, released.needed) == (True, 5, 5, 5)
    control = rooms.open_room(expected=5)
    for _ in range(5):
        someone, _ = _joined(rooms, control.join_code, _all(TOP.id))
        rooms.set_sharing(someone.code_hash, SLUG, True)
    alone = _activity(rooms.facilitator_room(control.join_code, control.secret).dashboard())
    assert released.figures == alone.figures
    often = next(figure for figure in released.figures if figure.id == "often")
    assert {row.value for row in often.rows} == {5}  # all five real answered "often"; no made-up "hardly"
    exported = list(csv.reader(io.StringIO(room.export_csv())))[1:]
    assert exported
    assert {row[5] for row in exported} == {"5"}
    # The release kept is of the five real people, none of the made-up ones.
    assert _released_members(rooms, room) == sorted(_ids(rooms, real))


def _ids(rooms: Rooms, people: list[Participant]) -> list[int]:
    found = []
    for someone in people:
        ((participant_id,),) = _raw(
            rooms, "SELECT id FROM participants WHERE code_hash = :h", h=someone.code_hash
        )
        found.append(participant_id)
    return found


def _released_members(rooms: Rooms, room) -> list[int]:
    ((members,),) = _raw(rooms, "SELECT members FROM room_releases WHERE room_id = :room", room=room.room_id)
    return json.loads(members)


def test_the_facilitator_lets_them_in_or_turns_them_away(rooms):
    keys = rooms.open_room(expected=5)
    room = rooms.facilitator_room(keys.join_code, keys.secret)
    for _ in range(5):
        _joined(rooms, keys.join_code)
    waiting = [_joined(rooms, keys.join_code, _all(LOW.id))[0] for _ in range(4)]

    # "Let them in" lets in the ones the dashboard showed, the first to come, not anyone after.
    assert room.admit_waiting(at_most=2) == 2
    assert [rooms.membership(p.code_hash).admitted for p in waiting] == [True, True, False, False]
    board = room.dashboard()
    assert (board.joined, board.expected, board.waiting_to_join) == (7, 5, 2)
    rooms.set_sharing(waiting[0].code_hash, SLUG, True)  # let in: they may share now
    rooms.offer_line(waiting[1].code_hash, OTHER_SLUG, "glad to be here")
    assert _activity(room.dashboard()).shared == 1
    assert len(room.dashboard().waiting) == 1

    # "Turn them away": the waiting leave the room, with anything of theirs in it.
    _force_share(rooms, waiting[2])
    assert room.turn_away_waiting() == 2
    for someone in waiting[2:]:
        assert rooms.membership(someone.code_hash) is None
        assert rooms.store.load_all(someone.code_hash)[SLUG] == _all(LOW.id)  # their own answers stay
    assert _raw(rooms, "SELECT COUNT(*) FROM room_shares WHERE room_id = :r", r=room.room_id) == [(1,)]
    board = room.dashboard()
    assert (board.joined, board.waiting_to_join) == (7, 0)
    assert room.turn_away_waiting() == 0
    assert room.admit_waiting() == 0

    # Turned away, they may ask again: the room holds more than it expected, so they wait again.
    again = waiting[2]
    assert rooms.join(again.code_hash, again.kind, keys.join_code).admitted is False
    assert room.admit_waiting() == 1
    assert room.dashboard().joined == 8


def _fill(rooms: Rooms, join_code: str, people: int) -> list[Participant]:
    return [_joined(rooms, join_code)[0] for _ in range(people)]


def test_a_room_takes_only_so_many_lines_a_minute(rooms):
    keys = rooms.open_room(expected=5)
    room = rooms.facilitator_room(keys.join_code, keys.secret)
    people = _fill(rooms, keys.join_code, 5)
    limit = max(5, 5) + LINES_SPARE
    assert limit == 15 == len(people) * LINES_PER_ACTIVITY
    for someone in people:
        for number in range(LINES_PER_ACTIVITY):
            rooms.offer_line(someone.code_hash, SLUG, f"line {number}")
    with pytest.raises(RoomError, match="lines-busy"):
        rooms.offer_line(people[0].code_hash, OTHER_SLUG, "one too many")
    # The per-activity limit still comes first for someone who used theirs.
    with pytest.raises(RoomError, match="too-many-lines"):
        rooms.offer_line(people[0].code_hash, SLUG, "a fourth")

    # Deleting the waiting lines, or leaving (which takes one's lines along), does not open the tap.
    assert room.decline_all_waiting() == 15
    rooms.leave(people[4].code_hash)
    with pytest.raises(RoomError, match="lines-busy"):
        rooms.offer_line(people[0].code_hash, OTHER_SLUG, "still too soon")
    assert room.dashboard().waiting == ()

    # A minute later the room takes lines again (the offers' times moved back, rather than waiting).
    a_minute_ago = (datetime.now(UTC) - timedelta(seconds=61)).isoformat(timespec="seconds")
    with rooms.store.engine.begin() as raw:
        raw.execute(text("UPDATE room_line_offers SET offered_at = :when"), {"when": a_minute_ago})
    assert rooms.offer_line(people[0].code_hash, OTHER_SLUG, "after a minute") == "after a minute"
    # Offers older than the minute are forgotten; the table keeps a time and a room, nothing else.
    assert _raw(rooms, "SELECT COUNT(*) FROM room_line_offers") == [(1,)]
    with rooms.store.engine.connect() as raw:
        columns = [column["name"] for column in inspect(raw).get_columns("room_line_offers")]
    assert columns == ["id", "room_id", "offered_at"]
    room.close()  # closing the room erases its offers' times too
    assert _raw(rooms, "SELECT COUNT(*) FROM room_line_offers") == [(0,)]


def test_the_line_limit_is_per_room_and_grows_with_the_people_let_in(rooms):
    keys, other = rooms.open_room(expected=5), rooms.open_room(expected=5)
    room = rooms.facilitator_room(keys.join_code, keys.secret)
    people = _fill(rooms, keys.join_code, 8)  # five let in, three waiting
    neighbour = _fill(rooms, other.join_code, 1)[0]
    slugs = [slug for slug in REGISTRY.shareable if slug != SLUG]
    offered = 0
    for someone in people[:5]:
        for slug in slugs[:3]:
            rooms.offer_line(someone.code_hash, slug, "hello")
            offered += 1
    assert offered == 15
    with pytest.raises(RoomError, match="lines-busy"):
        rooms.offer_line(people[0].code_hash, SLUG, "sixteenth")
    rooms.offer_line(neighbour.code_hash, SLUG, "another room is not held up")

    # Eight let in: max(5, 8) + 10 = 18 lines a minute.
    assert room.admit_waiting() == 3
    for someone in people[5:]:
        rooms.offer_line(someone.code_hash, SLUG, "now let in")
    with pytest.raises(RoomError, match="lines-busy"):
        rooms.offer_line(people[5].code_hash, OTHER_SLUG, "nineteenth")


def test_delete_all_waiting_lines(rooms):
    keys = rooms.open_room(expected=5)
    room = rooms.facilitator_room(keys.join_code, keys.secret)
    people = _fill(rooms, keys.join_code, 3)
    for number, someone in enumerate(people):
        rooms.offer_line(someone.code_hash, OTHER_SLUG, f"line {number}")
    first = room.dashboard().waiting[0]
    room.approve(first.id)
    shown = room.dashboard().waiting
    assert len(shown) == 2
    rooms.offer_line(people[0].code_hash, OTHER_SLUG, "came after the page was drawn")
    # Up to the last line the dashboard showed: the newer one stays, for the facilitator to see.
    assert room.decline_all_waiting(up_to=max(line.id for line in shown)) == 2
    assert [line.text for line in room.dashboard().waiting] == ["came after the page was drawn"]
    assert room.decline_all_waiting() == 1
    board = room.dashboard()
    assert board.waiting == ()
    assert [line.text for line in _activity(board, OTHER_SLUG).lines] == [first.text]  # approved stays
    assert room.decline_all_waiting() == 0
