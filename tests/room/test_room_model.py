"""Group rooms with the real store: the privacy contract, aggregates, isolation, lines, close and export."""

from __future__ import annotations

import csv
import io
import math

import pytest
from sqlalchemy import inspect, text

from widgets.answers import note_key
from widgets.participant import Participant, new_participant
from widgets.registry import SECTIONS as REGISTRY
from widgets.room.model import (
    JOIN_ALPHABET,
    LINE_MAX_LENGTH,
    LINES_PER_ACTIVITY,
    RoomError,
    Rooms,
    clean_line,
    parse_join_code,
)
from widgets.sections.checkin.model import load_checkin_content
from widgets.store import Store

CHECKIN = load_checkin_content()
SCORES = {option.id: option.score for option in CHECKIN.options}
TOP = max(CHECKIN.options, key=lambda option: option.score)
LOW = min(CHECKIN.options, key=lambda option: option.score)
SLUG = "hidden-weight"


@pytest.fixture
def store(store_location):
    opened = Store(store_location)
    yield opened
    opened.close()


@pytest.fixture
def rooms(store):
    return Rooms(store, REGISTRY)


def _all(option_id: str) -> dict:
    return {"answers": {item.id: option_id for item in CHECKIN.items}}


def _member(rooms: Rooms, join_code: str, answers: dict | None = None, share: bool = True) -> Participant:
    someone = new_participant()
    if answers is not None:
        rooms.store.save(someone.code_hash, SLUG, answers)
    assert rooms.join(someone.code_hash, someone.kind, join_code) is not None
    if share:
        rooms.set_sharing(someone.code_hash, SLUG, True)
    return someone


def _board(rooms: Rooms, keys):
    return rooms.facilitator_room(keys.join_code, keys.secret).dashboard()


def _activity(board, slug=SLUG):
    return next(a for a in board.activities if a.slug == slug)


def test_join_codes_are_short_unambiguous_and_secrets_long(rooms):
    assert set(JOIN_ALPHABET).isdisjoint("0O1IL2Z5S8B6GQ")
    opened = [rooms.open_room() for _ in range(60)]
    codes = {keys.join_code for keys in opened}
    assert len(codes) == 60
    for keys in opened:
        assert len(keys.join_code) == 6
        assert set(keys.join_code) <= set(JOIN_ALPHABET)
        # token_urlsafe: 6 bits per character
        assert len(keys.secret) * 6 >= 128
    assert parse_join_code(" k7m-p3x ") == "K7MP3X"
    for typed in ("K7M-P3", "K7M-P3XA", "K7M-P3O", "B0O1IL", "", None, 7):
        assert parse_join_code(typed) is None
    code = opened[0].join_code
    assert parse_join_code(f"{code[:3].lower()} - {code[3:]}") == code


def test_only_a_hash_of_the_secret_is_kept(rooms, store):
    keys = rooms.open_room()
    with store.engine.connect() as raw:
        dumped = "\n".join(
            str(tuple(row))
            for table in inspect(raw).get_table_names()
            for row in raw.execute(text(f'SELECT * FROM "{table}"'))  # noqa: S608 - the database's own names
        )
    assert keys.secret not in dumped
    assert keys.join_code in dumped


def test_four_shares_show_nothing_and_the_fifth_shows_the_group(rooms):
    keys = rooms.open_room()
    for _ in range(4):
        _member(rooms, keys.join_code, _all(TOP.id))
    activity = _activity(_board(rooms, keys))
    assert (activity.shared, activity.needed, activity.figures) == (4, 1, ())
    _member(rooms, keys.join_code, _all(TOP.id))
    activity = _activity(_board(rooms, keys))
    # Released: the figures show, and change only after five more people share.
    assert (activity.shared, activity.released, activity.covered, activity.needed) == (5, True, 5, 5)
    assert activity.figures


def test_aggregates_of_known_answers(rooms):
    keys = rooms.open_room()
    for _ in range(3):
        _member(rooms, keys.join_code, _all(TOP.id))
    for _ in range(2):
        _member(rooms, keys.join_code, _all(LOW.id))
    _member(rooms, keys.join_code, None)  # shared, but nothing answered: not counted
    _member(rooms, keys.join_code, _all(TOP.id), share=False)  # answered, did not share
    board = _board(rooms, keys)
    assert board.joined == 7
    activity = _activity(board)
    assert activity.shared == 5
    figures = {f.id: f for f in activity.figures}
    assert [row.value for row in figures["often"].rows] == [3] * len(CHECKIN.items)
    expected_average = round((3 * TOP.score + 2 * LOW.score) / 5, 1)
    assert [row.value for row in figures["average"].rows] == [expected_average] * len(CHECKIN.items)
    bands = {row.label: row.value for row in figures["bands"].rows}
    assert bands[CHECKIN.bands[0].title] == 2
    assert bands[CHECKIN.bands[-1].title] == 3
    assert math.isclose(sum(bands.values()), 5)


def test_threshold_never_below_three(rooms):
    with pytest.raises(RoomError, match="threshold"):
        rooms.open_room(threshold=2)
    keys = rooms.open_room()
    room = rooms.facilitator_room(keys.join_code, keys.secret)
    for bad in (2, 0, -5, True, "3", 3.0, None, 41):
        with pytest.raises(RoomError, match="threshold"):
            room.set_threshold(bad)
    room.set_threshold(3)
    for _ in range(3):
        _member(rooms, keys.join_code, _all(TOP.id))
    activity = _activity(room.dashboard())
    assert (activity.released, activity.needed) == (True, 3)
    assert activity.figures


def test_section_3_and_notes_are_never_shared(rooms, store):
    keys = rooms.open_room()
    someone = _member(rooms, keys.join_code, _all(TOP.id))
    store.save(someone.code_hash, "protective-withdrawal", {"chosen": ["keeping-busy"]})
    store.save(someone.code_hash, note_key(SLUG), {"text": "my very private note"})
    for slug in ("protective-withdrawal", note_key(SLUG), note_key("protective-withdrawal")):
        with pytest.raises(RoomError, match="never-shared"):
            rooms.set_sharing(someone.code_hash, slug, True)
        with pytest.raises(RoomError, match="never-shared"):
            rooms.offer_line(someone.code_hash, slug, "hello")
    with pytest.raises(RoomError, match="unknown-activity"):
        rooms.set_sharing(someone.code_hash, "not-a-section", True)
    # Even share rows written straight into the database are never read.
    with store.engine.begin() as raw:
        room_id, member_id = raw.execute(text("SELECT room_id, participant_id FROM room_members")).one()
        for slug in ("protective-withdrawal", note_key(SLUG)):
            raw.execute(
                text("INSERT INTO room_shares VALUES (:room, :member, :slug)"),
                {"room": room_id, "member": member_id, "slug": slug},
            )
    room = rooms.facilitator_room(keys.join_code, keys.secret)
    board = room.dashboard()
    assert "protective-withdrawal" not in {a.slug for a in board.activities}
    assert "protective-withdrawal" not in REGISTRY.shareable
    everything = repr(board) + room.export_csv()
    assert "private note" not in everything
    assert "keeping-busy" not in everything


def test_two_rooms_never_see_each_other(rooms):
    first, second = rooms.open_room(), rooms.open_room()
    for _ in range(5):
        _member(rooms, first.join_code, _all(TOP.id))
    others = [_member(rooms, second.join_code, _all(LOW.id)) for _ in range(2)]
    rooms.offer_line(others[0].code_hash, "what-community-means", "from the second room")
    board = _board(rooms, first)
    assert board.joined == 5
    assert _activity(board).shared == 5
    assert board.waiting == ()
    often = next(f for f in _activity(board).figures if f.id == "often")
    assert all(row.value == 5 for row in often.rows)
    second_board = _board(rooms, second)
    assert second_board.joined == 2
    assert _activity(second_board).figures == ()
    (line,) = second_board.waiting
    first_room = rooms.facilitator_room(first.join_code, first.secret)
    for action in (first_room.approve, first_room.decline):
        with pytest.raises(RoomError, match="unknown-line"):
            action(line.id)
    assert _board(rooms, second).waiting == (line,)


def test_a_wrong_or_missing_secret_reveals_nothing(rooms):
    first, second = rooms.open_room(), rooms.open_room()
    for code, secret in [
        (first.join_code, ""),
        (first.join_code, None),
        (first.join_code, "x" * 43),
        (first.join_code, first.secret[:-1]),
        (first.join_code, second.secret),
        (second.join_code, first.secret),
        ("", first.secret),
        (None, first.secret),
        (first.join_code, first.secret + " "),
        (first.join_code, ["not", "text"]),
    ]:
        assert rooms.facilitator_room(code, secret) is None
    assert rooms.facilitator_room(first.join_code.lower(), first.secret) is not None


def test_csv_holds_exactly_what_the_dashboard_shows(rooms):
    keys = rooms.open_room()
    members = [_member(rooms, keys.join_code, _all(TOP.id)) for _ in range(5)]
    rooms.store.save(members[0].code_hash, "handling-it-alone", {"answers": {}})
    rooms.set_sharing(members[0].code_hash, "handling-it-alone", True)  # one share: below the threshold
    rooms.offer_line(members[0].code_hash, SLUG, '=HYPERLINK("http://example.invalid")')
    rooms.offer_line(members[1].code_hash, SLUG, "still waiting")
    room = rooms.facilitator_room(keys.join_code, keys.secret)
    first_line = room.dashboard().waiting[0]
    room.approve(first_line.id)
    rows = list(csv.reader(io.StringIO(room.export_csv())))
    assert rows[0] == ["activity", "figure", "label", "value", "unit", "shared"]
    board = room.dashboard()
    expected = [
        [SLUG, f.title, row.label, f"{row.value:g}", f.unit.form(row.value), "5"]
        for a in board.activities
        for f in a.figures
        for row in f.rows
    ]
    expected.append([SLUG, "approved line", "'" + first_line.text, "", "", "5"])
    assert rows[1:] == expected
    exported = "\n".join(",".join(r) for r in rows)
    assert "handling-it-alone" not in exported
    assert "still waiting" not in exported
    for member in members:
        assert member.code not in exported
        assert member.code_hash not in exported


def test_csv_writes_each_unit_in_the_form_that_agrees_with_its_value(rooms):
    keys = rooms.open_room()
    # One says "often" to every question, four say "hardly ever": "often" counts 1 person per question.
    for answers in [_all(TOP.id), *[_all(LOW.id)] * 4]:
        _member(rooms, keys.join_code, answers)
    rows = list(csv.reader(io.StringIO(rooms.facilitator_room(keys.join_code, keys.secret).export_csv())))
    often = [row[3:5] for row in rows[1:] if row[1].startswith("How many in the group said")]
    assert often
    assert all(cells == ["1", "person"] for cells in often)
    bands = {row[3]: row[4] for row in rows[1:] if row[1] == "Where the group's check-ins landed"}
    assert bands == {"4": "people", "0": "people", "1": "person"}


def test_lines_wait_for_approval_and_are_cleaned(rooms):
    keys = rooms.open_room()
    someone = _member(rooms, keys.join_code, _all(TOP.id))
    kept = rooms.offer_line(someone.code_hash, SLUG, "  people\u202e who\n\tlisten\u200b  ")
    assert kept == "people who listen"
    room = rooms.facilitator_room(keys.join_code, keys.secret)
    board = room.dashboard()
    assert [line.text for line in board.waiting] == ["people who listen"]
    assert _activity(board).lines == ()
    room.approve(board.waiting[0].id)
    board = room.dashboard()
    assert board.waiting == ()
    assert [line.text for line in _activity(board).lines] == ["people who listen"]
    rooms.offer_line(someone.code_hash, SLUG, "second")
    rooms.offer_line(someone.code_hash, SLUG, "third")
    with pytest.raises(RoomError, match="too-many-lines"):
        rooms.offer_line(someone.code_hash, SLUG, "fourth")
    assert LINES_PER_ACTIVITY == 3
    room.decline(room.dashboard().waiting[0].id)
    assert [line.text for line in room.dashboard().waiting] == ["third"]
    for bad, reason in [("", "line-empty"), ("\u200b \n", "line-empty"), (None, "line-empty")]:
        with pytest.raises(RoomError, match=reason):
            clean_line(bad)
    with pytest.raises(RoomError, match="line-too-long"):
        clean_line("x" * (LINE_MAX_LENGTH + 1))
    assert clean_line("é" * LINE_MAX_LENGTH) == "é" * LINE_MAX_LENGTH
    assert clean_line("e\u0301") == "é"  # one character, as shown


def test_leaving_and_moving_take_shares_and_lines_along(rooms):
    first, second = rooms.open_room(), rooms.open_room()
    someone = _member(rooms, first.join_code, _all(TOP.id))
    rooms.offer_line(someone.code_hash, SLUG, "a line")
    assert rooms.join(someone.code_hash, someone.kind, second.join_code).shared == frozenset()
    board = _board(rooms, first)
    assert board.joined == 0
    assert _activity(board).shared == 0
    assert board.waiting == ()
    rooms.leave(someone.code_hash)
    assert rooms.membership(someone.code_hash) is None
    with pytest.raises(RoomError, match="not-in-room"):
        rooms.set_sharing(someone.code_hash, SLUG, True)
    with pytest.raises(RoomError, match="not-in-room"):
        rooms.offer_line(someone.code_hash, SLUG, "hello")


def test_unknown_codes_and_the_demo_participant_cannot_join(rooms):
    keys = rooms.open_room()
    someone = new_participant()
    for typed in ("", "AAAAAA", "nope", "<b>", None, 42, "x" * 1000):
        assert rooms.join(someone.code_hash, someone.kind, typed) is None or typed == keys.join_code
    with pytest.raises(RoomError, match="demo"):
        rooms.join("demo-hash", "demo", keys.join_code)


def test_pace_is_one_of_nine_sections(rooms):
    keys = rooms.open_room()
    someone = _member(rooms, keys.join_code, _all(TOP.id))
    room = rooms.facilitator_room(keys.join_code, keys.secret)
    for bad in (0, 10, -1, "3", 3.5, True):
        with pytest.raises(RoomError, match="pace"):
            room.set_pace(bad)
    room.set_pace(9)
    assert rooms.membership(someone.code_hash).pace_section == 9
    room.set_pace(None)
    assert rooms.membership(someone.code_hash).pace_section is None


def test_closing_erases_what_the_room_collected_and_nothing_else(rooms, store):
    keys, other = rooms.open_room(), rooms.open_room()
    members = [_member(rooms, keys.join_code, _all(TOP.id)) for _ in range(5)]
    rooms.offer_line(members[0].code_hash, SLUG, "a line")
    outsider = _member(rooms, other.join_code, _all(LOW.id))
    room = rooms.facilitator_room(keys.join_code, keys.secret)
    room.close()
    assert room.dashboard() is None
    assert not room.is_open()
    assert rooms.facilitator_room(keys.join_code, keys.secret) is None
    with store.engine.connect() as raw:
        assert raw.execute(text("SELECT COUNT(*) FROM room_members")).scalar() == 1
        assert raw.execute(text("SELECT COUNT(*) FROM room_shares")).scalar() == 1
        assert raw.execute(text("SELECT COUNT(*) FROM room_lines")).scalar() == 0
        assert raw.execute(text("SELECT COUNT(*) FROM rooms")).scalar() == 1
    for member in members:
        assert rooms.membership(member.code_hash) is None
        assert store.load_all(member.code_hash)[SLUG] == _all(TOP.id)  # their own answers stay theirs
    assert rooms.membership(outsider.code_hash) is not None
    with pytest.raises(RoomError, match="room-gone"):
        room.set_pace(2)


def test_deleting_a_participant_removes_them_from_the_room(rooms, store):
    keys = rooms.open_room()
    members = [_member(rooms, keys.join_code, _all(TOP.id)) for _ in range(5)]
    rooms.offer_line(members[0].code_hash, SLUG, "a line")
    store.delete_participant(members[0].code_hash)
    board = _board(rooms, keys)
    assert board.joined == 4
    assert _activity(board).shared == 4
    assert board.waiting == ()
    assert _activity(board).figures == ()


def test_unused_rooms_are_purged(rooms, store):
    from datetime import UTC, datetime, timedelta

    old, fresh = rooms.open_room(), rooms.open_room()
    with store.engine.begin() as raw:
        raw.execute(
            text("UPDATE rooms SET last_active_at = :when WHERE join_code = :code"),
            {
                "when": (datetime.now(UTC) - timedelta(days=8)).isoformat(timespec="seconds"),
                "code": old.join_code,
            },
        )
    assert store.purge_rooms(7) == 1
    assert rooms.facilitator_room(old.join_code, old.secret) is None
    assert rooms.facilitator_room(fresh.join_code, fresh.secret) is not None


def test_an_average_never_shows_fewer_people_than_the_threshold(rooms):
    """Five shared, but only one answered most questions: those averages stay hidden."""
    keys = rooms.open_room()
    first = CHECKIN.items[0]
    for _ in range(4):
        _member(rooms, keys.join_code, {"answers": {first.id: TOP.id}})
    _member(rooms, keys.join_code, _all(LOW.id))
    _member(rooms, keys.join_code, {"answers": {item.id: None for item in CHECKIN.items}})  # all skipped
    activity = _activity(_board(rooms, keys))
    assert activity.shared == 5  # the one who skipped everything is not counted
    figures = {f.id: f for f in activity.figures}
    assert "bands" not in figures  # only one answered enough for a reflection band
    average = figures["average"]
    assert [row.label for row in average.rows] == [first.text]
    assert average.rows[0].value == round((4 * TOP.score + LOW.score) / 5, 1)
