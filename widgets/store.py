"""The answer store: SQLite (WAL) through SQLAlchemy, one row per section's answers.

Schema (version 3)::

    meta          key TEXT PRIMARY KEY, value TEXT            -- "schema_version"
    participants  id INTEGER PRIMARY KEY, code_hash TEXT UNIQUE, kind TEXT,
                  created_at TEXT, last_active_at TEXT        -- UTC ISO times
    answers       participant_id -> participants.id ON DELETE CASCADE,
                  key TEXT, data TEXT (JSON), updated_at TEXT,
                  PRIMARY KEY (participant_id, key)
    rooms         id INTEGER PRIMARY KEY, join_code TEXT UNIQUE, secret_hash TEXT,
                  threshold INTEGER, pace_section INTEGER NULL, expected INTEGER (people expected),
                  created_at, last_active_at
    room_members  participant_id -> participants (PRIMARY KEY: one room at a time),
                  room_id -> rooms, joined_at                 -- both ON DELETE CASCADE
    room_shares   room_id, participant_id, slug               -- an opt-in per activity
    room_lines    id, room_id, participant_id, slug, text, approved, created_at

A room keeps only who joined and what they chose to share, by participant id;
closing it deletes its rows (and, by cascade, every membership, share and
line), and deleting a participant deletes theirs. Shares point at the
participant's own answers, so nothing is copied. Version 2 had no rooms.

Only a SHA-256 hash of a participant's code is stored, never the code, and
nothing else about the person: no name, no address. Version 1 had no
``kind`` (every participant was real) and no index for the retention purge;
opening a version 1 database upgrades it in place.

Every open page is its own kernel process with its own connection, so writes
are single short transactions, SQLite waits for a busy lock (``busy_timeout``)
and a write that still finds the database locked is tried again.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir
from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    func,
    select,
    text,
    update,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

SCHEMA_VERSION = 4
DATA_DIR_SETTING = "RECONNECTION_DATA_DIR"
RETENTION_SETTING = "RECONNECTION_RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 90
# A room serves one session; one left open is closed (and erased) after this long unused.
ROOM_RETENTION_DAYS = 7
DATABASE_NAME = "workbook.sqlite"
WRITE_ATTEMPTS = 8

metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("value", Text, nullable=False),
)

participants = Table(
    "participants",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code_hash", String(64), nullable=False, unique=True),
    Column("kind", String(20), nullable=False, server_default="participant"),
    Column("created_at", String(32), nullable=False),
    Column("last_active_at", String(32), nullable=False),
    Index("ix_participants_last_active_at", "last_active_at"),
)

answers = Table(
    "answers",
    metadata,
    Column(
        "participant_id",
        Integer,
        ForeignKey("participants.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("key", String(80), primary_key=True),
    Column("data", Text, nullable=False),
    Column("updated_at", String(32), nullable=False),
)

rooms = Table(
    "rooms",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("join_code", String(12), nullable=False, unique=True),
    Column("secret_hash", String(64), nullable=False),
    Column("threshold", Integer, nullable=False),
    Column("pace_section", Integer, nullable=True),
    Column("expected", Integer, nullable=False, server_default="30"),
    Column("created_at", String(32), nullable=False),
    Column("last_active_at", String(32), nullable=False),
)

room_members = Table(
    "room_members",
    metadata,
    Column("participant_id", Integer, ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True),
    Column("room_id", Integer, ForeignKey("rooms.id", ondelete="CASCADE"), nullable=False),
    Column("joined_at", String(32), nullable=False),
    Index("ix_room_members_room_id", "room_id"),
)

room_shares = Table(
    "room_shares",
    metadata,
    Column("room_id", Integer, ForeignKey("rooms.id", ondelete="CASCADE"), primary_key=True),
    Column("participant_id", Integer, ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True),
    Column("slug", String(80), primary_key=True),
)

room_lines = Table(
    "room_lines",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("room_id", Integer, ForeignKey("rooms.id", ondelete="CASCADE"), nullable=False),
    Column("participant_id", Integer, ForeignKey("participants.id", ondelete="CASCADE"), nullable=False),
    Column("slug", String(80), nullable=False),
    Column("text", Text, nullable=False),
    Column("approved", Integer, nullable=False, server_default="0"),
    Column("created_at", String(32), nullable=False),
    Index("ix_room_lines_room_id", "room_id"),
)

# Each step brings a database from the version before it to its own version.
_VERSION_1_DDL = (
    "CREATE TABLE meta (key VARCHAR(40) PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE participants (id INTEGER PRIMARY KEY, code_hash VARCHAR(64) NOT NULL UNIQUE, "
    "created_at VARCHAR(32) NOT NULL, last_active_at VARCHAR(32) NOT NULL)",
    "CREATE TABLE answers (participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE, "
    "key VARCHAR(80) NOT NULL, data TEXT NOT NULL, updated_at VARCHAR(32) NOT NULL, "
    "PRIMARY KEY (participant_id, key))",
)
_MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: _VERSION_1_DDL,
    2: (
        "ALTER TABLE participants ADD COLUMN kind VARCHAR(20) NOT NULL DEFAULT 'participant'",
        "CREATE INDEX ix_participants_last_active_at ON participants (last_active_at)",
    ),
    3: (
        "CREATE TABLE rooms (id INTEGER PRIMARY KEY, join_code VARCHAR(12) NOT NULL UNIQUE, "
        "secret_hash VARCHAR(64) NOT NULL, threshold INTEGER NOT NULL, pace_section INTEGER, "
        "created_at VARCHAR(32) NOT NULL, last_active_at VARCHAR(32) NOT NULL)",
        "CREATE TABLE room_members (participant_id INTEGER NOT NULL PRIMARY KEY "
        "REFERENCES participants (id) ON DELETE CASCADE, "
        "room_id INTEGER NOT NULL REFERENCES rooms (id) ON DELETE CASCADE, joined_at VARCHAR(32) NOT NULL)",
        "CREATE INDEX ix_room_members_room_id ON room_members (room_id)",
        "CREATE TABLE room_shares (room_id INTEGER NOT NULL REFERENCES rooms (id) ON DELETE CASCADE, "
        "participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE, "
        "slug VARCHAR(80) NOT NULL, PRIMARY KEY (room_id, participant_id, slug))",
        "CREATE TABLE room_lines (id INTEGER PRIMARY KEY, "
        "room_id INTEGER NOT NULL REFERENCES rooms (id) ON DELETE CASCADE, "
        "participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE, "
        "slug VARCHAR(80) NOT NULL, text TEXT NOT NULL, approved INTEGER NOT NULL DEFAULT 0, "
        "created_at VARCHAR(32) NOT NULL)",
        "CREATE INDEX ix_room_lines_room_id ON room_lines (room_id)",
    ),
    # How many people the facilitator expects: the server gets that many pages ready (widgets/server).
    4: ("ALTER TABLE rooms ADD COLUMN expected INTEGER NOT NULL DEFAULT 30",),
}


class StoreError(RuntimeError):
    """The store could not do what was asked (after retrying)."""


@dataclass(frozen=True)
class StoredParticipant:
    """What the store holds about one participant, besides their answers."""

    kind: str
    created_at: datetime
    last_active_at: datetime


def _now() -> datetime:
    return datetime.now(UTC)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def stamp_now(earlier: timedelta = timedelta(0)) -> str:
    """Now (or ``earlier`` than now), as the store writes times: ISO 8601 in UTC, to the second."""
    return _stamp(_now() - earlier)


def default_path() -> Path:
    """Where the database lives: ``$RECONNECTION_DATA_DIR/workbook.sqlite``.

    Without that setting, the user's data folder (e.g.
    ``~/.local/share/reconnection-workbook``), never the served notebooks folder.
    """
    folder = os.environ.get(DATA_DIR_SETTING) or user_data_dir("reconnection-workbook", appauthor=False)
    return Path(folder).expanduser().resolve() / DATABASE_NAME


def retention_days() -> int:
    """Days since a participant's last activity after which their answers are purged."""
    raw = os.environ.get(RETENTION_SETTING, "")
    try:
        days = int(raw) if raw else DEFAULT_RETENTION_DAYS
    except ValueError:
        raise StoreError(f"{RETENTION_SETTING} must be a whole number of days, got {raw!r}") from None
    if days < 1:
        raise StoreError(f"{RETENTION_SETTING} must be at least 1 day, got {days}")
    return days


def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    # The driver must not open transactions by itself: Store.writing opens them.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")  # with WAL: durable across a crashed process
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _is_locked(error: OperationalError) -> bool:
    message = str(error.orig).lower()
    return "locked" in message or "busy" in message


class Store:
    """The answer store in one SQLite file.

    Parameters
    ----------
    path
        The database file; its folder is created if missing.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = create_engine(f"sqlite:///{self.path}", connect_args={"timeout": 30})
        event.listen(self.engine, "connect", _on_connect)
        # Every page opens the store: one read tells it the schema is current (the server's start, or
        # the first page, upgraded it), so pages do not queue for the write lock just to check.
        if self.retry(self._stored_version) != SCHEMA_VERSION:
            self.retry(self._migrate)

    # --- schema -----------------------------------------------------------------

    # writing, retry and participant_id are public so that the room's tables (widgets/room/model.py)
    # are written the same way, in the same kind of transaction.
    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A write transaction that takes SQLite's write lock at its start.

        A transaction that reads first and writes later can fail at once with
        "database is locked" when another process writes in between, whatever
        the busy timeout; taking the lock up front makes it wait its turn.
        """
        with self.engine.begin() as connection:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            yield connection

    @staticmethod
    def _version_in(connection: Connection) -> int:
        has_meta = connection.execute(
            text("SELECT name FROM sqlite_master WHERE type='table' AND name='meta'")
        ).first()
        if not has_meta:
            return 0
        row = connection.execute(select(meta.c.value).where(meta.c.key == "schema_version")).first()
        return int(row.value) if row else 0

    def _stored_version(self) -> int:
        with self.engine.connect() as connection:
            return self._version_in(connection)

    def _migrate(self) -> None:
        # Inside the write lock, so two pages opening a new database never upgrade it twice.
        with self.writing() as connection:
            version = self._version_in(connection)
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path} has schema version {version}, newer than this workbook's {SCHEMA_VERSION}"
                )
            for step in range(version + 1, SCHEMA_VERSION + 1):
                for statement in _MIGRATIONS[step]:
                    connection.execute(text(statement))
                connection.execute(
                    sqlite_insert(meta)
                    .values(key="schema_version", value=str(step))
                    .on_conflict_do_update(index_elements=["key"], set_={"value": str(step)})
                )

    def schema_version(self) -> int:
        """The database's schema version."""
        with self.engine.connect() as connection:
            return int(
                connection.execute(select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
            )

    # --- writing and reading ------------------------------------------------------

    def retry(self, work: Callable[[], Any]) -> Any:
        """Run ``work``, trying again while SQLite reports the database locked or busy."""
        for attempt in range(WRITE_ATTEMPTS):
            try:
                return work()
            except OperationalError as error:
                if not _is_locked(error) or attempt == WRITE_ATTEMPTS - 1:
                    raise StoreError(f"the answer store could not be written: {error.orig}") from error
                time.sleep(0.05 * 2**attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def participant_id(connection: Connection, code_hash: str, kind: str, stamp: str) -> int:
        """The participant's row id inside a write, creating the row if new (and marking it active)."""
        connection.execute(
            sqlite_insert(participants)
            .values(code_hash=code_hash, kind=kind, created_at=stamp, last_active_at=stamp)
            .on_conflict_do_update(index_elements=["code_hash"], set_={"last_active_at": stamp})
        )
        return connection.execute(
            select(participants.c.id).where(participants.c.code_hash == code_hash)
        ).scalar_one()

    def save(self, code_hash: str, key: str, data: dict[str, Any], kind: str = "participant") -> None:
        """Keep ``data`` as the participant's answers under ``key``, creating the participant if new.

        Raises
        ------
        TypeError
            If ``data`` is not JSON-compatible.
        StoreError
            If the database stayed locked through every attempt, or cannot be written.
        """
        encoded = json.dumps(data, ensure_ascii=False, sort_keys=True)

        def write() -> None:
            stamp = _stamp(_now())
            with self.writing() as connection:
                participant_id = self.participant_id(connection, code_hash, kind, stamp)
                connection.execute(
                    sqlite_insert(answers)
                    .values(participant_id=participant_id, key=key, data=encoded, updated_at=stamp)
                    .on_conflict_do_update(
                        index_elements=["participant_id", "key"], set_={"data": encoded, "updated_at": stamp}
                    )
                )

        self.retry(write)

    def load_all(self, code_hash: str) -> dict[str, dict[str, Any]]:
        """Every answer kept for the participant, by key (empty if none or unknown)."""

        def read() -> dict[str, dict[str, Any]]:
            with self.engine.connect() as connection:
                rows = connection.execute(
                    select(answers.c.key, answers.c.data)
                    .join(participants, participants.c.id == answers.c.participant_id)
                    .where(participants.c.code_hash == code_hash)
                ).all()
            return {row.key: json.loads(row.data) for row in rows}

        return self.retry(read)

    def participant(self, code_hash: str) -> StoredParticipant | None:
        """What is kept about the participant other than answers, or ``None`` if unknown."""

        def read() -> StoredParticipant | None:
            with self.engine.connect() as connection:
                row = connection.execute(
                    select(
                        participants.c.kind, participants.c.created_at, participants.c.last_active_at
                    ).where(participants.c.code_hash == code_hash)
                ).first()
            if row is None:
                return None
            return StoredParticipant(
                row.kind, datetime.fromisoformat(row.created_at), datetime.fromisoformat(row.last_active_at)
            )

        return self.retry(read)

    def delete_participant(self, code_hash: str) -> int:
        """Delete the participant and every answer kept for them; return how many answers went."""

        def remove() -> int:
            with self.writing() as connection:
                participant_id = connection.execute(
                    select(participants.c.id).where(participants.c.code_hash == code_hash)
                ).scalar()
                if participant_id is None:
                    return 0
                gone = connection.execute(delete(answers).where(answers.c.participant_id == participant_id))
                connection.execute(delete(participants).where(participants.c.id == participant_id))
                return gone.rowcount

        return self.retry(remove)

    def purge(self, older_than_days: int, now: datetime | None = None) -> int:
        """Delete participants (and their answers) inactive for more than ``older_than_days``.

        Returns how many participants were deleted.
        """
        cutoff = _stamp((now or _now()) - timedelta(days=older_than_days))

        def remove() -> int:
            with self.writing() as connection:
                old = select(participants.c.id).where(participants.c.last_active_at < cutoff)
                connection.execute(delete(answers).where(answers.c.participant_id.in_(old)))
                return connection.execute(
                    delete(participants).where(participants.c.last_active_at < cutoff)
                ).rowcount

        return self.retry(remove)

    def purge_rooms(self, older_than_days: int, now: datetime | None = None) -> int:
        """Close and erase rooms unused for more than ``older_than_days``; return how many went."""
        cutoff = _stamp((now or _now()) - timedelta(days=older_than_days))

        def remove() -> int:
            with self.writing() as connection:
                return connection.execute(delete(rooms).where(rooms.c.last_active_at < cutoff)).rowcount

        return self.retry(remove)

    def counts(self) -> dict[str, int]:
        """How many participants and answer rows the store holds (for tests and the purge report)."""
        with self.engine.connect() as connection:
            return {
                "participants": connection.execute(
                    select(func.count()).select_from(participants)
                ).scalar_one(),
                "answers": connection.execute(select(func.count()).select_from(answers)).scalar_one(),
            }

    def touch(self, code_hash: str, when: datetime) -> None:
        """Set a participant's last activity (used by the retention tests and after a resume)."""
        self.retry(
            lambda: self._execute(
                update(participants)
                .where(participants.c.code_hash == code_hash)
                .values(last_active_at=_stamp(when))
            )
        )

    def _execute(self, statement: Any) -> None:
        with self.writing() as connection:
            connection.execute(statement)

    def close(self) -> None:
        """Release the store's connections."""
        self.engine.dispose()


_STORE: Store | None = None


def default_store() -> Store:
    """The store at :func:`default_path`, opened once per process."""
    global _STORE
    path = default_path()
    if _STORE is None or _STORE.path != path:
        _STORE = Store(path)
    return _STORE


def main(argv: list[str] | None = None) -> int:
    """``python -m widgets.store --purge``: delete answers older than the retention setting."""
    parser = argparse.ArgumentParser(prog="python -m widgets.store", description=main.__doc__)
    parser.add_argument("--purge", action="store_true", help="delete participants inactive too long")
    parser.add_argument("--days", type=int, default=None, help="override the retention setting")
    options = parser.parse_args(argv)
    store = Store(default_path())
    if options.purge:
        days = options.days if options.days is not None else retention_days()
        removed = store.purge(days)
        print(f"purged {removed} participant(s) inactive for more than {days} days from {store.path}")
        closed = store.purge_rooms(ROOM_RETENTION_DAYS)
        print(f"closed {closed} room(s) unused for more than {ROOM_RETENTION_DAYS} days")
    counts = store.counts()
    print(
        f"{store.path}: schema {store.schema_version()}, {counts['participants']} participant(s), "
        f"{counts['answers']} answer row(s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
