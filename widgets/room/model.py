"""Live rooms: a facilitator's room, who joined, what they chose to share. Pure Python.

The privacy contract (``BRIEF.md``, "What the group sees") is kept here, not in
the views: a participant shares one activity at a time and only by opting in;
section 3 and private notes can never be shared; the group sees only counts
and averages (each section model's ``group_figures``), and only once at least
``threshold`` participants shared that activity (never fewer than
:data:`MIN_THRESHOLD`), and then change only in steps of ``threshold`` new
sharers (`widgets.room.release`), so no change shows one person; a line
offered to the group reaches the dashboard's public part only once the
facilitator approves it. Nothing of a room can be read without its
facilitator secret, and closing a room deletes everything it collected.

A participant code costs nothing, so a room lets in only about as many people
as its facilitator expected: anyone joining beyond that waits, and counts
nowhere (not in ``joined``, the sharing counts, the releases, the figures, the
CSV or the lines) until the facilitator lets them in. And a room takes only so
many lines a minute, whoever offers them.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import re
import secrets
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from widgets.content_files import DEFAULT_LOCALE, locale_in_use, locales, page_locale
from widgets.contract import SectionActivity, SectionRegistry
from widgets.room import release
from widgets.room.figures import GroupFigure
from widgets.room.release import Release
from widgets.store import (
    Store,
    answers,
    participants,
    room_line_offers,
    room_lines,
    room_members,
    room_releases,
    room_shares,
    rooms,
    stamp_now,
)

__all__ = [
    "DEFAULT_THRESHOLD",
    "MIN_THRESHOLD",
    "ActivityResult",
    "Dashboard",
    "FacilitatorRoom",
    "Line",
    "Membership",
    "RoomError",
    "RoomKeys",
    "Rooms",
    "parse_join_code",
]

# Read aloud and typed on a phone: no 0/O, 1/I/L, 2/Z, 5/S, 6/G, 8/B or Q.
JOIN_ALPHABET = "ACDEFHJKMNPRTUVWXY3479"
JOIN_LENGTH = 6
SECRET_BYTES = 24  # 192 bits; the issue asks for at least 128
DEFAULT_THRESHOLD = 5
# How many people a facilitator may say will come; the server gets that many pages ready for them.
DEFAULT_EXPECTED = 30
MIN_EXPECTED = 5
MAX_EXPECTED = 60
# A room untouched for this long no longer has pages kept ready for it (it stays open until closed).
READY_FOR_HOURS = 4
MIN_THRESHOLD = 3
MAX_THRESHOLD = 40
LINE_MAX_LENGTH = 140
LINES_PER_ACTIVITY = 3
# A room takes at most max(expected, admitted) + LINES_SPARE lines in any LINES_WINDOW, all people together.
LINES_SPARE = 10
LINES_WINDOW = timedelta(seconds=60)
SECTION_COUNT = 9

# Control and format characters (including right-to-left overrides) could hide
# or reorder what the facilitator reads; they are dropped from offered lines.
_HIDDEN = {"Cc", "Cf", "Cs", "Co", "Cn"}


class RoomError(ValueError):
    """Something asked of a room was refused; ``reason`` names why (the views word it).

    Reasons: ``not-in-room``, ``room-gone``, ``never-shared``, ``unknown-activity``,
    ``line-empty``, ``line-too-long``, ``too-many-lines``, ``lines-busy``, ``threshold``,
    ``pace``, ``demo``, ``unknown-line``, ``expected``, ``not-admitted``.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class RoomKeys:
    """What opening a room gives the facilitator: the code to read aloud and the private secret."""

    join_code: str
    secret: str


@dataclass(frozen=True)
class Membership:
    """A participant's room as their pages show it.

    ``admitted`` is false while they wait for the facilitator to let them in (more people joined than
    the room expected); meanwhile they can share nothing and offer no line.
    """

    join_code: str
    pace_section: int | None
    threshold: int
    shared: frozenset[str]
    admitted: bool


@dataclass(frozen=True)
class RoomDemand:
    """What an open room asks of the server: pages ready for ``expected`` people, where the room is."""

    room_id: int
    expected: int
    pace_section: int | None


@dataclass(frozen=True)
class Line:
    """A short line offered to the group, and the activity it was offered on."""

    id: int
    slug: str
    text: str
    lang: str = DEFAULT_LOCALE
    """The language it was written in (a tag the content folders use): the page marks it ``lang``."""


@dataclass(frozen=True)
class ActivityResult:
    """One activity on the dashboard: how many shared it, and the group's figures once enough did.

    ``figures`` are the last released ones (empty before the first release); ``needed`` is how many
    more new sharers before they show (``released`` false) or change (``released`` true);
    ``covered`` is how many people's answers they cover.
    """

    slug: str
    shared: int
    needed: int
    figures: tuple[GroupFigure, ...]
    lines: tuple[Line, ...]
    released: bool = False
    covered: int = 0


@dataclass(frozen=True)
class Dashboard:
    """Everything the facilitator's dashboard shows at one moment.

    ``joined`` counts the people let in; ``waiting_to_join`` those asking to join beyond the
    ``expected`` number, who count nowhere until the facilitator lets them in. ``waiting`` are the
    lines waiting for the facilitator.
    """

    join_code: str
    joined: int
    expected: int
    waiting_to_join: int
    threshold: int
    pace_section: int | None
    activities: tuple[ActivityResult, ...]
    waiting: tuple[Line, ...]


def _hash_secret(secret: str) -> str:
    return hashlib.sha256(f"reconnection-room:{secret}".encode()).hexdigest()


def parse_join_code(typed: object) -> str | None:
    """Read a join code as typed: case, spaces and dashes do not matter; ``None`` if not well formed."""
    if not isinstance(typed, str) or len(typed) > 40:
        return None
    cleaned = "".join(typed.split()).replace("-", "").upper()
    if len(cleaned) != JOIN_LENGTH or any(character not in JOIN_ALPHABET for character in cleaned):
        return None
    return cleaned


def shown_join_code(join_code: str) -> str:
    """A join code as read aloud: two groups of three (``K7M-P3X``)."""
    return f"{join_code[:3]}-{join_code[3:]}"


def clean_line(text: object) -> str:
    """An offered line as it will be kept: one line, no hidden characters, spaces tidied.

    Raises
    ------
    RoomError
        ``line-empty`` or ``line-too-long``.
    """
    if not isinstance(text, str):
        raise RoomError("line-empty")
    normalised = unicodedata.normalize("NFC", text)
    visible = "".join(
        " " if character.isspace() else character
        for character in normalised
        if character.isspace() or unicodedata.category(character) not in _HIDDEN
    )
    line = re.sub(r" {2,}", " ", visible).strip()
    if not line:
        raise RoomError("line-empty")
    if len(line) > LINE_MAX_LENGTH:
        raise RoomError("line-too-long")
    return line


def _group_results(
    activity: SectionActivity, shared: Sequence[Mapping[str, Any]], threshold: int
) -> tuple[int, tuple[GroupFigure, ...]]:
    """How many shared something usable, and the group's figures if at least ``threshold`` did.

    Each participant's answers are read on their own first. Someone whose
    answers give no figure (all skipped, or outdated) is not counted. A
    figure shows only when at least ``threshold`` people gave something to
    it, and an average row only when at least ``threshold`` people answered
    that row, so no figure is one or two people's own answer (say, five
    shared but only one answered a question).
    """
    group_figures = _figures_of(activity)
    contributors: dict[tuple[str, str], int] = defaultdict(int)
    counted = 0
    for data in shared:
        own = group_figures([data])
        if own:
            counted += 1
        for own_figure in own:
            contributors[(own_figure.id, "")] += 1
            for row in own_figure.rows:
                contributors[(own_figure.id, row.label)] += 1
    if counted < threshold:
        return counted, ()
    figures = []
    for group_figure in group_figures(shared):
        if contributors[(group_figure.id, "")] < threshold:
            continue  # e.g. only one person answered enough for a band: no figure
        if group_figure.measure == "average":
            rows = tuple(
                r for r in group_figure.rows if contributors[(group_figure.id, r.label)] >= threshold
            )
            if not rows:
                continue
            group_figure = replace(group_figure, rows=rows)
        figures.append(group_figure)
    return counted, tuple(figures)


def _figures_of(activity: SectionActivity) -> Callable[[Sequence[Mapping[str, Any]]], Sequence[GroupFigure]]:
    if activity.group_figures is None:  # only shareable activities reach here
        raise RoomError("never-shared")
    return activity.group_figures


def _usable(activity: SectionActivity, shared: Mapping[int, object]) -> dict[int, Mapping[str, Any]]:
    """The shared answers that give a figure, by participant id.

    A kept row without the activity's shape is skipped (one log line); answers all skipped or
    outdated give no figure and are not counted either.
    """
    group_figures = _figures_of(activity)
    usable = {}
    for participant, stored in shared.items():
        data = activity.read(stored)
        if data is not None and group_figures([data]):
            usable[participant] = data
    return usable


class Rooms:
    """Rooms kept in the workbook's store.

    Parameters
    ----------
    store
        The answer store; rooms live in the same SQLite file.
    sections
        Every section's activity, as the page shell lists them: which may be shared, and their figures.
    """

    def __init__(self, store: Store, sections: SectionRegistry) -> None:
        self.store = store
        self.sections = sections

    # --- facilitators -------------------------------------------------------------

    def open_room(self, threshold: int = DEFAULT_THRESHOLD, expected: int = DEFAULT_EXPECTED) -> RoomKeys:
        """Open a new room; return its join code and its facilitator secret (kept only as a hash).

        ``expected`` is about how many people will come (5 to 60): the server keeps that many welcome
        pages, and then pages of the section the room is on, ready before they are opened.
        """
        _check_threshold(threshold)
        _check_expected(expected)
        secret = secrets.token_urlsafe(SECRET_BYTES)
        for _ in range(20):
            join_code = "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_LENGTH))
            stamp = stamp_now()

            def write(join_code: str = join_code, stamp: str = stamp) -> None:
                with self.store.writing() as connection:
                    connection.execute(
                        rooms.insert().values(
                            join_code=join_code,
                            secret_hash=_hash_secret(secret),
                            threshold=threshold,
                            expected=expected,
                            created_at=stamp,
                            last_active_at=stamp,
                        )
                    )

            try:
                self.store.retry(write)
            except IntegrityError:
                continue  # that code is in use by another room: draw again
            return RoomKeys(join_code, secret)
        raise RuntimeError("could not find a free join code")  # pragma: no cover

    def demand(self) -> list[RoomDemand]:
        """The rooms in use (touched in the last few hours): how many each expects, and where it is."""
        cutoff = stamp_now(timedelta(hours=READY_FOR_HOURS))

        def read() -> list[RoomDemand]:
            with self.store.engine.connect() as connection:
                found = connection.execute(
                    select(rooms.c.id, rooms.c.expected, rooms.c.pace_section)
                    .where(rooms.c.last_active_at >= cutoff)
                    .order_by(rooms.c.id)
                )
                return [RoomDemand(row.id, row.expected, row.pace_section) for row in found]

        return self.store.retry(read)

    def facilitator_room(self, join_code: object, secret: object) -> FacilitatorRoom | None:
        """The room, if ``secret`` is its facilitator secret; ``None`` otherwise (whatever is wrong)."""
        code = parse_join_code(join_code)
        if code is None or not isinstance(secret, str) or not secret or len(secret) > 200:
            return None
        with self.store.engine.connect() as connection:
            row = connection.execute(
                select(rooms.c.id, rooms.c.secret_hash).where(rooms.c.join_code == code)
            ).first()
        expected = row.secret_hash if row is not None else _hash_secret(secrets.token_urlsafe(8))
        if not hmac.compare_digest(expected, _hash_secret(secret)) or row is None:
            return None
        return FacilitatorRoom(self, row.id, code)

    # --- participants -------------------------------------------------------------

    def join(self, code_hash: str, kind: str, join_code: object) -> Membership | None:
        """Join the room with ``join_code`` (leaving any other); ``None`` if there is no such room.

        While fewer people are let in than the room expects, the newcomer is let in; after that they
        wait (``Membership.admitted`` false) until the facilitator lets them in or turns them away.
        Joining the room one is in already changes nothing.

        Raises
        ------
        RoomError
            ``demo`` for the demo participant, whose answers are kept apart.
        """
        if kind == "demo":
            raise RoomError("demo")
        code = parse_join_code(join_code)
        if code is None:
            return None

        def write() -> bool:
            stamp = stamp_now()
            with self.store.writing() as connection:
                room = connection.execute(
                    select(rooms.c.id, rooms.c.expected).where(rooms.c.join_code == code)
                ).first()
                if room is None:
                    return False
                room_id = room.id
                participant_id = self.store.participant_id(connection, code_hash, kind, stamp)
                current = connection.execute(
                    select(room_members.c.room_id).where(room_members.c.participant_id == participant_id)
                ).scalar()
                if current == room_id:
                    return True
                _leave(connection, participant_id)
                # Counted in the same write as the insert: two joining at once cannot both take the
                # last place (SQLite serialises writes; PostgreSQL's SERIALIZABLE retries one of them).
                let_in = _count_members(connection, room_id, admitted=True)
                connection.execute(
                    room_members.insert().values(
                        participant_id=participant_id,
                        room_id=room_id,
                        joined_at=stamp,
                        admitted=1 if let_in < room.expected else 0,
                    )
                )
                connection.execute(update(rooms).where(rooms.c.id == room_id).values(last_active_at=stamp))
                return True

        if not self.store.retry(write):
            return None
        return self.membership(code_hash)

    def membership(self, code_hash: str) -> Membership | None:
        """The participant's room, its pace and what they share there; ``None`` if in no room."""

        def read() -> Membership | None:
            with self.store.engine.connect() as connection:
                row = connection.execute(
                    select(
                        rooms.c.id,
                        rooms.c.join_code,
                        rooms.c.pace_section,
                        rooms.c.threshold,
                        room_members.c.admitted,
                        participants.c.id.label("pid"),
                    )
                    .join(room_members, room_members.c.room_id == rooms.c.id)
                    .join(participants, participants.c.id == room_members.c.participant_id)
                    .where(participants.c.code_hash == code_hash)
                ).first()
                if row is None:
                    return None
                shared = connection.execute(
                    select(room_shares.c.slug).where(
                        room_shares.c.room_id == row.id, room_shares.c.participant_id == row.pid
                    )
                ).scalars()
                return Membership(
                    row.join_code, row.pace_section, row.threshold, frozenset(shared), bool(row.admitted)
                )

        return self.store.retry(read)

    def leave(self, code_hash: str) -> None:
        """Leave the room: the participant's shares and offered lines in it are deleted too."""

        def write() -> None:
            with self.store.writing() as connection:
                participant_id = _existing_participant(connection, code_hash)
                if participant_id is not None:
                    _leave(connection, participant_id)

        self.store.retry(write)

    def set_sharing(self, code_hash: str, slug: str, share: bool) -> Membership:
        """Turn sharing of one activity on or off for the participant's room.

        Raises
        ------
        RoomError
            ``never-shared`` for section 3 or a note, ``unknown-activity``,
            ``not-in-room``, or ``not-admitted`` while waiting to be let in.
        """
        _check_shareable(slug, self.sections)

        def write() -> None:
            with self.store.writing() as connection:
                participant_id, room_id = _member(connection, code_hash, admitted=True)
                if share:
                    connection.execute(
                        self.store.insert(room_shares)
                        .values(room_id=room_id, participant_id=participant_id, slug=slug)
                        .on_conflict_do_nothing()
                    )
                else:
                    connection.execute(
                        delete(room_shares).where(
                            room_shares.c.room_id == room_id,
                            room_shares.c.participant_id == participant_id,
                            room_shares.c.slug == slug,
                        )
                    )

        self.store.retry(write)
        membership = self.membership(code_hash)
        if membership is None:  # closed between the write and this read
            raise RoomError("not-in-room")
        return membership

    def offer_line(self, code_hash: str, slug: str, text: object) -> str:
        """Offer a short line to the group; it waits for the facilitator. Returns the line as kept.

        A participant offers at most :data:`LINES_PER_ACTIVITY` lines per activity, and a room takes at
        most ``max(expected, admitted) + LINES_SPARE`` lines in any :data:`LINES_WINDOW`, from everyone
        together (counted when offered, whether since shown, deleted or taken back by leaving).

        Raises
        ------
        RoomError
            As :func:`clean_line`, and ``too-many-lines``, ``lines-busy``, ``never-shared``,
            ``unknown-activity``, ``not-in-room`` or ``not-admitted``.
        """
        _check_shareable(slug, self.sections)
        line = clean_line(text)

        def write() -> None:
            stamp = stamp_now()
            with self.store.writing() as connection:
                participant_id, room_id = _member(connection, code_hash, admitted=True)
                offered = connection.execute(
                    select(func.count())
                    .select_from(room_lines)
                    .where(
                        room_lines.c.room_id == room_id,
                        room_lines.c.participant_id == participant_id,
                        room_lines.c.slug == slug,
                    )
                ).scalar_one()
                if offered >= LINES_PER_ACTIVITY:
                    raise RoomError("too-many-lines")
                _check_line_rate(connection, room_id, stamp)
                connection.execute(
                    room_lines.insert().values(
                        room_id=room_id,
                        participant_id=participant_id,
                        slug=slug,
                        text=line,
                        approved=0,
                        created_at=stamp,
                        lang=page_locale(),
                    )
                )
                connection.execute(room_line_offers.insert().values(room_id=room_id, offered_at=stamp))

        self.store.retry(write)
        return line


class FacilitatorRoom:
    """A room opened with its facilitator secret: the dashboard and what only the facilitator may do."""

    def __init__(self, rooms_: Rooms, room_id: int, join_code: str) -> None:
        self._rooms = rooms_
        self._store = rooms_.store
        self.room_id = room_id
        self.join_code = join_code

    def _write(self, statement: Any) -> int:
        def write() -> int:
            with self._store.writing() as connection:
                result = connection.execute(statement)
                connection.execute(
                    update(rooms).where(rooms.c.id == self.room_id).values(last_active_at=stamp_now())
                )
                return result.rowcount

        return self._store.retry(write)

    def set_threshold(self, threshold: int) -> None:
        """How many shares an activity needs before its results show (never below 3).

        Raises
        ------
        RoomError
            ``threshold`` when out of range, ``room-gone`` once closed.
        """
        _check_threshold(threshold)
        if not self._write(update(rooms).where(rooms.c.id == self.room_id).values(threshold=threshold)):
            raise RoomError("room-gone")

    def set_pace(self, section: int | None) -> None:
        """Tell the room which section the group is on (``None``: no pacing).

        Raises
        ------
        RoomError
            ``pace`` for a section that does not exist, ``room-gone`` once closed.
        """
        if section is not None and (
            isinstance(section, bool) or not isinstance(section, int) or not 1 <= section <= SECTION_COUNT
        ):
            raise RoomError("pace")
        if not self._write(update(rooms).where(rooms.c.id == self.room_id).values(pace_section=section)):
            raise RoomError("room-gone")

    def approve(self, line_id: int) -> None:
        """Let a waiting line show on the dashboard (only a line of this room)."""
        statement = (
            update(room_lines)
            .where(room_lines.c.id == line_id, room_lines.c.room_id == self.room_id)
            .values(approved=1)
        )
        if not self._write(statement):
            raise RoomError("unknown-line")

    def decline(self, line_id: int) -> None:
        """Delete a line without showing it (only a line of this room)."""
        statement = delete(room_lines).where(room_lines.c.id == line_id, room_lines.c.room_id == self.room_id)
        if not self._write(statement):
            raise RoomError("unknown-line")

    def decline_all_waiting(self, up_to: int | None = None) -> int:
        """Delete every line still waiting for the facilitator; return how many went.

        With ``up_to``, only lines up to that id (the ones the dashboard showed). Approved lines stay.
        """
        statement = delete(room_lines).where(room_lines.c.room_id == self.room_id, room_lines.c.approved == 0)
        if up_to is not None:
            statement = statement.where(room_lines.c.id <= up_to)
        return self._write(statement)

    def admit_waiting(self, at_most: int | None = None) -> int:
        """Let in the people waiting to join; the room may then hold more than it expected.

        With ``at_most``, only the first that many to come (the ones the dashboard showed), so that
        people joining as the facilitator clicks still wait. Returns how many came in.
        """

        def write() -> int:
            with self._store.writing() as connection:
                chosen = self._waiting_members(connection, at_most)
                if not chosen:
                    return 0
                connection.execute(
                    update(room_members)
                    .where(room_members.c.room_id == self.room_id, room_members.c.participant_id.in_(chosen))
                    .values(admitted=1)
                )
                connection.execute(
                    update(rooms).where(rooms.c.id == self.room_id).values(last_active_at=stamp_now())
                )
                return len(chosen)

        return self._store.retry(write)

    def turn_away_waiting(self) -> int:
        """Take everyone waiting to join out of the room, with anything of theirs in it; return how many.

        Their own workbooks stay theirs; they may join again (and wait again).
        """

        def write() -> int:
            with self._store.writing() as connection:
                chosen = self._waiting_members(connection, None)
                if not chosen:
                    return 0
                for table in (room_shares, room_lines, room_members):
                    theirs = (table.c.room_id == self.room_id) & table.c.participant_id.in_(chosen)
                    connection.execute(delete(table).where(theirs))
                connection.execute(
                    update(rooms).where(rooms.c.id == self.room_id).values(last_active_at=stamp_now())
                )
                return len(chosen)

        return self._store.retry(write)

    def _waiting_members(self, connection: Connection, at_most: int | None) -> list[int]:
        query = (
            select(room_members.c.participant_id)
            .where(room_members.c.room_id == self.room_id, room_members.c.admitted == 0)
            .order_by(room_members.c.joined_at, room_members.c.participant_id)
        )
        if at_most is not None:
            query = query.limit(max(0, at_most))
        return list(connection.execute(query).scalars())

    def close(self) -> None:
        """Close the room and erase everything it collected: members, shares and lines.

        Participants keep their own answers; only the room's rows go.
        """
        self._write(delete(rooms).where(rooms.c.id == self.room_id))

    def is_open(self) -> bool:
        """Whether the room still exists."""
        with self._store.engine.connect() as connection:
            return (
                connection.execute(select(rooms.c.id).where(rooms.c.id == self.room_id)).first() is not None
            )

    def dashboard(self) -> Dashboard | None:
        """What the group's results are now; ``None`` once the room is closed."""
        return self._store.retry(self._read_dashboard)

    def _read_dashboard(self) -> Dashboard | None:
        shareable = self._rooms.sections.shareable
        with self._store.engine.connect() as connection:
            room = connection.execute(
                select(rooms.c.threshold, rooms.c.pace_section, rooms.c.expected).where(
                    rooms.c.id == self.room_id
                )
            ).first()
            if room is None:
                return None
            joined = _count_members(connection, self.room_id, admitted=True)
            waiting_to_join = _count_members(connection, self.room_id, admitted=False)
            shared = _shared_answers(connection, self.room_id, shareable)
            approved, waiting = _lines(connection, self.room_id)
            releases = self._releases(connection)
        activities = tuple(
            self._activity_result(
                self._rooms.sections[slug], shared.get(slug, {}), room.threshold, releases.get(slug), approved
            )
            for slug in shareable
        )
        return Dashboard(
            join_code=self.join_code,
            joined=joined,
            expected=room.expected,
            waiting_to_join=waiting_to_join,
            threshold=room.threshold,
            pace_section=room.pace_section,
            activities=activities,
            waiting=tuple(waiting),
        )

    def _activity_result(
        self,
        activity: SectionActivity,
        shared: Mapping[int, object],
        threshold: int,
        kept: Release | None,
        approved: Mapping[str, list[Line]],
    ) -> ActivityResult:
        """One activity on the dashboard: who shared, and its figures as last released."""
        usable = _usable(activity, shared)
        sharing = frozenset(usable)
        seen = kept
        if release.is_due(kept, sharing, threshold):
            # Worked out in every language from the same answers: each page shows its own words.
            by_locale = {}
            for locale in locales():
                with locale_in_use(locale):
                    by_locale[locale] = _group_results(activity, list(usable.values()), threshold)[1]
            kept = self._release(activity.slug, Release(sharing, by_locale[page_locale()]), seen, by_locale)
        return ActivityResult(
            slug=activity.slug,
            shared=len(sharing),
            needed=release.still_needed(kept, sharing, threshold),
            figures=kept.figures if kept else (),
            lines=tuple(approved.get(activity.slug, ())),
            released=kept is not None,
            covered=len(kept.members) if kept else 0,
        )

    def _releases(self, connection: Connection) -> dict[str, Release]:
        rows = connection.execute(
            select(room_releases.c.slug, room_releases.c.members, room_releases.c.figures).where(
                room_releases.c.room_id == self.room_id
            )
        ).all()
        return {
            row.slug: Release(
                frozenset(json.loads(row.members)), release.figures_from_json(row.figures, page_locale())
            )
            for row in rows
        }

    def _release(
        self, slug: str, new: Release, seen: Release | None, by_locale: Mapping[str, tuple[GroupFigure, ...]]
    ) -> Release | None:
        """Keep ``new`` as the activity's figures, unless another dashboard released first (then theirs).

        ``None`` if the release that was read is gone meanwhile (its room was deleted).
        """

        def write() -> Release | None:
            with self._store.writing() as connection:
                kept = self._releases(connection).get(slug)
                if kept != seen:
                    return kept  # another page released (or the room went) since we read
                values = {
                    "members": json.dumps(sorted(new.members)),
                    "figures": release.figures_to_json(by_locale),
                    "released_at": stamp_now(),
                }
                if seen is None:
                    first = self._store.insert(room_releases).values(
                        room_id=self.room_id, slug=slug, **values
                    )
                    first = first.on_conflict_do_nothing(index_elements=["room_id", "slug"])
                    result = connection.execute(first)
                    if result.rowcount == 0:  # released by another page at the same moment
                        return self._releases(connection).get(slug) or new
                else:
                    connection.execute(
                        update(room_releases)
                        .where(room_releases.c.room_id == self.room_id, room_releases.c.slug == slug)
                        .values(**values)
                    )
                return new

        return self._store.retry(write)

    def export_csv(self, titles: dict[str, str] | None = None) -> str:
        """The dashboard's group results as CSV: what it shows, nothing below the threshold or per person.

        Columns: activity, figure, label, value, unit (in the form that agrees with the value, in the
        page's language: 1, person; 2, people), shared (how many people's answers the figure covers:
        the last release, as the dashboard shows it).
        Approved lines are rows with the figure ``approved line``. Cells that a spreadsheet
        would read as a formula are prefixed with an apostrophe.
        """
        board = self.dashboard()
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["activity", "figure", "label", "value", "unit", "shared"])
        if board is None:
            return out.getvalue()
        for activity in board.activities:
            name = (titles or {}).get(activity.slug, activity.slug)
            for group_figure in activity.figures:
                for row in group_figure.rows:
                    writer.writerow(
                        _safe_cells(
                            [
                                name,
                                group_figure.title,
                                row.label,
                                f"{row.value:g}",
                                group_figure.unit.form(row.value),
                                activity.covered,
                            ]
                        )
                    )
            for line in activity.lines:
                writer.writerow(_safe_cells([name, "approved line", line.text, "", "", activity.shared]))
        return out.getvalue()


def _safe_cells(cells: list[object]) -> list[str]:
    # A spreadsheet runs a cell starting with = + - @ (or a tab) as a formula.
    return [
        f"'{text}" if (text := str(cell)).startswith(("=", "+", "-", "@", "\t", "\r")) else text
        for cell in cells
    ]


def _shared_answers(
    connection: Connection, room_id: int, shareable: Sequence[str]
) -> dict[str, dict[int, object]]:
    """What each admitted member shares, by activity and participant id, as the store keeps it.

    Only the shares of members let in count: someone waiting to be let in can neither share nor
    offer a line, but be strict.
    """
    rows = connection.execute(
        select(room_shares.c.slug, room_shares.c.participant_id, answers.c.data)
        .join(
            answers,
            (answers.c.participant_id == room_shares.c.participant_id)
            & (answers.c.key == room_shares.c.slug),
        )
        .join(
            room_members,
            (room_members.c.participant_id == room_shares.c.participant_id)
            & (room_members.c.room_id == room_shares.c.room_id)
            & (room_members.c.admitted == 1),
        )
        .where(room_shares.c.room_id == room_id, room_shares.c.slug.in_(shareable))
    ).all()
    by_slug: dict[str, dict[int, object]] = defaultdict(dict)
    for row in rows:
        by_slug[row.slug][row.participant_id] = json.loads(row.data)
    return by_slug


def _lines(connection: Connection, room_id: int) -> tuple[dict[str, list[Line]], list[Line]]:
    """The admitted members' lines: the approved ones by activity, and those waiting, oldest first."""
    rows = connection.execute(
        select(
            room_lines.c.id, room_lines.c.slug, room_lines.c.text, room_lines.c.approved, room_lines.c.lang
        )
        .join(
            room_members,
            (room_members.c.participant_id == room_lines.c.participant_id)
            & (room_members.c.room_id == room_lines.c.room_id)
            & (room_members.c.admitted == 1),
        )
        .where(room_lines.c.room_id == room_id)
        .order_by(room_lines.c.id)
    ).all()
    approved: dict[str, list[Line]] = defaultdict(list)
    waiting: list[Line] = []
    for row in rows:
        line = Line(row.id, row.slug, row.text, row.lang)
        (approved[row.slug] if row.approved else waiting).append(line)
    return approved, waiting


def _check_whole_number(value: object, lowest: int, highest: int, reason: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not lowest <= value <= highest:
        raise RoomError(reason)


def _check_threshold(threshold: object) -> None:
    _check_whole_number(threshold, MIN_THRESHOLD, MAX_THRESHOLD, "threshold")


def _check_expected(expected: object) -> None:
    _check_whole_number(expected, MIN_EXPECTED, MAX_EXPECTED, "expected")


def _check_shareable(slug: object, sections: SectionRegistry) -> None:
    if isinstance(slug, str) and (
        slug.startswith("note:") or (slug in sections and not sections[slug].shareable)
    ):
        raise RoomError("never-shared")
    if slug not in sections.shareable:
        raise RoomError("unknown-activity")


def _existing_participant(connection: Connection, code_hash: str) -> int | None:
    return connection.execute(select(participants.c.id).where(participants.c.code_hash == code_hash)).scalar()


def _member(connection: Connection, code_hash: str, admitted: bool = False) -> tuple[int, int]:
    """The participant's id and room id inside a write.

    Raises
    ------
    RoomError
        ``not-in-room`` if in none; ``not-admitted`` if ``admitted`` is asked for and they still wait.
    """
    participant_id = _existing_participant(connection, code_hash)
    if participant_id is None:
        raise RoomError("not-in-room")
    row = connection.execute(
        select(room_members.c.room_id, room_members.c.admitted).where(
            room_members.c.participant_id == participant_id
        )
    ).first()
    if row is None:
        raise RoomError("not-in-room")
    if admitted and not row.admitted:
        raise RoomError("not-admitted")
    return participant_id, int(row.room_id)


def _count_members(connection: Connection, room_id: int, admitted: bool) -> int:
    """How many of the room's members are let in (``admitted``), or wait to be."""
    return connection.execute(
        select(func.count())
        .select_from(room_members)
        .where(room_members.c.room_id == room_id, room_members.c.admitted == (1 if admitted else 0))
    ).scalar_one()


def _check_line_rate(connection: Connection, room_id: int, stamp: str) -> None:
    """Refuse a line (``lines-busy``) once the room took its share of lines in the last minute.

    Offers older than the window are forgotten here, so the table keeps only the last minute's.
    """
    since = _stamp_before(stamp, LINES_WINDOW)
    connection.execute(
        delete(room_line_offers).where(
            room_line_offers.c.room_id == room_id, room_line_offers.c.offered_at <= since
        )
    )
    recent = connection.execute(
        select(func.count())
        .select_from(room_line_offers)
        .where(room_line_offers.c.room_id == room_id, room_line_offers.c.offered_at > since)
    ).scalar_one()
    expected = connection.execute(select(rooms.c.expected).where(rooms.c.id == room_id)).scalar_one()
    if recent >= max(expected, _count_members(connection, room_id, admitted=True)) + LINES_SPARE:
        raise RoomError("lines-busy")


def _stamp_before(stamp: str, earlier: timedelta) -> str:
    """A stored time ``earlier`` than ``stamp``, written as the store writes times."""
    return (datetime.fromisoformat(stamp) - earlier).isoformat(timespec="seconds")


def _leave(connection: Connection, participant_id: int) -> None:
    for table in (room_shares, room_lines, room_members):
        connection.execute(delete(table).where(table.c.participant_id == participant_id))
