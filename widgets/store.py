"""The answer store through SQLAlchemy, one row per section's answers: SQLite or PostgreSQL.

By default a SQLite file (WAL) in the data folder, with nothing to install or start. With
``RECONNECTION_DATABASE_URL`` set to a SQLAlchemy URL (``postgresql+psycopg://user@host/db``), a
PostgreSQL server shared by every worker and machine. Both hold the same schema, upgraded by the
Alembic revisions in ``widgets/migrations`` when a database is opened.

Schema (version 7)::

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
                  room_id -> rooms, joined_at,                -- both ON DELETE CASCADE
                  admitted INTEGER (1: counted; 0: waiting for the facilitator, version 6)
    room_shares   room_id, participant_id, slug               -- an opt-in per activity
    room_lines    id, room_id, participant_id, slug, text, approved, created_at,
                  lang (the language it was written in, version 7)
    room_releases room_id, slug, members (JSON participant ids), figures (JSON), released_at
                  -- what the dashboard shows of each activity, changed only in steps (version 5)
    room_line_offers  id, room_id -> rooms, offered_at        -- when each line came: a room's rate
                  (no participant, no text; version 6)

A room keeps only who joined and what they chose to share, by participant id;
closing it deletes its rows (and, by cascade, every membership, share and
line), and deleting a participant deletes theirs. Shares point at the
participant's own answers, so nothing is copied. Version 2 had no rooms.

Only a SHA-256 hash of a participant's code is stored, never the code, and
nothing else about the person: no name, no address. Version 1 had no
``kind`` (every participant was real) and no index for the retention purge;
opening a version 1 database upgrades it in place.

Every open page is its own kernel process with its own connection, so writes
are single short transactions, each serialised: SQLite takes its write lock at
the start (``BEGIN IMMEDIATE``) and waits for a busy lock (``busy_timeout``);
PostgreSQL runs them ``SERIALIZABLE``. A write that still finds the database
locked, or that PostgreSQL refused as a serialisation conflict, is tried again.
On PostgreSQL a page holds no connection between two saves (``NullPool``), so
hundreds of open pages do not use up the server's ``max_connections``.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import random
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

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
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.pool import NullPool

_T = TypeVar("_T")  # what a piece of work given to Store.retry returns

SCHEMA_VERSION = 7
DATA_DIR_SETTING = "RECONNECTION_DATA_DIR"
DATABASE_URL_SETTING = "RECONNECTION_DATABASE_URL"
RETENTION_SETTING = "RECONNECTION_RETENTION_DAYS"
# How hard SQLite syncs each commit to the disk (PRAGMA synchronous): FULL, the default, keeps a commit
# shown as "Saved" through a power loss; NORMAL only through a crashed process (for the benchmark).
SYNCHRONOUS_SETTING = "RECONNECTION_SQLITE_SYNCHRONOUS"
SYNCHRONOUS_MODES = ("FULL", "NORMAL")
DEFAULT_RETENTION_DAYS = 90
# A room serves one session; one left open is closed (and erased) after this long unused.
ROOM_RETENTION_DAYS = 7
DATABASE_NAME = "workbook.sqlite"
WRITE_ATTEMPTS = 10

metadata = MetaData()


def _time(name: str) -> Column[str]:
    """A required time: UTC, ISO 8601 text to the second (see :func:`stamp_now`)."""
    return Column(name, String(32), nullable=False)


def _id_of(parent: str, name: str, **options: Any) -> Column[int]:
    """The id of a ``parent`` row, whose deletion takes this row with it."""
    return Column(name, Integer, ForeignKey(f"{parent}.id", ondelete="CASCADE"), **options)


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
    _time("created_at"),
    _time("last_active_at"),
    Index("ix_participants_last_active_at", "last_active_at"),
)

answers = Table(
    "answers",
    metadata,
    _id_of("participants", "participant_id", primary_key=True),
    Column("key", String(80), primary_key=True),
    Column("data", Text, nullable=False),
    _time("updated_at"),
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
    _time("created_at"),
    _time("last_active_at"),
)

room_members = Table(
    "room_members",
    metadata,
    _id_of("participants", "participant_id", primary_key=True),
    _id_of("rooms", "room_id", nullable=False),
    _time("joined_at"),
    # 1: let in and counted; 0: waiting for the facilitator (more joined than the room expected).
    Column("admitted", Integer, nullable=False, server_default="1"),
    Index("ix_room_members_room_id", "room_id"),
)

room_shares = Table(
    "room_shares",
    metadata,
    _id_of("rooms", "room_id", primary_key=True),
    _id_of("participants", "participant_id", primary_key=True),
    Column("slug", String(80), primary_key=True),
)

room_lines = Table(
    "room_lines",
    metadata,
    Column("id", Integer, primary_key=True),
    _id_of("rooms", "room_id", nullable=False),
    _id_of("participants", "participant_id", nullable=False),
    Column("slug", String(80), nullable=False),
    Column("text", Text, nullable=False),
    Column("approved", Integer, nullable=False, server_default="0"),
    # The language the line was written in (the page's), so it is shown and marked as such.
    Column("lang", String(12), nullable=False, server_default="en"),
    _time("created_at"),
    Index("ix_room_lines_room_id", "room_id"),
)

# The figures a room last released per activity, and whose answers they cover (participant ids, as
# JSON): a room's figures change only in steps of at least its threshold of new sharers.
room_releases = Table(
    "room_releases",
    metadata,
    _id_of("rooms", "room_id", primary_key=True),
    Column("slug", String(80), primary_key=True),
    Column("members", Text, nullable=False),
    Column("figures", Text, nullable=False),
    _time("released_at"),
)

# When each line was offered to a room (nothing else: no participant, no text), so a room takes only so
# many lines a minute, whoever offered them and whatever became of them since.
room_line_offers = Table(
    "room_line_offers",
    metadata,
    Column("id", Integer, primary_key=True),
    _id_of("rooms", "room_id", nullable=False),
    _time("offered_at"),
    Index("ix_room_line_offers_room_id_offered_at", "room_id", "offered_at"),
)

MIGRATIONS = Path(__file__).parent / "migrations"
# Alembic's revision for each schema version (a database written before Alembic says its version in
# ``meta`` only, and is stamped at that revision before it is upgraded).
REVISIONS = {version: f"{version:04d}" for version in range(1, SCHEMA_VERSION + 1)}
# PostgreSQL: the key of the advisory lock that lets one page at a time upgrade the schema.
_SCHEMA_LOCK = 724_191_001
# PostgreSQL's SQLSTATEs for "try the transaction again": a serialisation conflict and a deadlock.
_RETRY_STATES = {"40001", "40P01"}


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


def sqlite_synchronous() -> str:
    """SQLite's ``PRAGMA synchronous`` for the store: ``RECONNECTION_SQLITE_SYNCHRONOUS``, FULL by default."""
    raw = os.environ.get(SYNCHRONOUS_SETTING, "").strip()
    mode = raw.upper() or "FULL"
    if mode not in SYNCHRONOUS_MODES:
        raise StoreError(f"{SYNCHRONOUS_SETTING} must be FULL or NORMAL (FULL unless measuring), got {raw!r}")
    return mode


def _connect_listener(synchronous: str) -> Callable[[sqlite3.Connection, object], None]:
    """The settings every SQLite connection of the store gets as it opens."""

    def on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # The driver must not open transactions by itself: Store.writing opens them.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # WAL with FULL syncs the log at every commit: an answer shown "Saved" survives a power loss
        # or an OS crash, not only a crashed process (sqlite.org, PRAGMA synchronous).
        cursor.execute(f"PRAGMA synchronous={synchronous}")  # one of SYNCHRONOUS_MODES, checked
        # Freed space is overwritten with zeros, so "Delete everything" leaves no trace in the file,
        # nor in any backup copied from it afterwards (many builds, though not all, do so by default).
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return on_connect


def _is_retryable(error: DBAPIError) -> bool:
    """Whether a failed transaction may succeed when run again (locked, busy, a serialisation conflict)."""
    if getattr(error.orig, "sqlstate", None) in _RETRY_STATES:
        return True
    message = str(error.orig).lower()
    return isinstance(error, OperationalError) and ("locked" in message or "busy" in message)


def _alembic_config(connection: Connection) -> Any:
    from alembic.config import Config  # only a database that needs an upgrade loads Alembic

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def describe_location(location: str | Path) -> str:
    """The store's location for messages: the file, or the server URL without its password."""
    if isinstance(location, str) and "://" in location:
        try:
            return make_url(location).render_as_string(hide_password=True)
        except ArgumentError:
            return "the database URL"
    return str(location)


# Each process's one open lock file per database, and its threads' lock: a second open of the same
# file in one process would wait on the first (a flock belongs to the open file), and a process forked
# with an open file would share its lock with its parent (hence the process id in the key).
_WRITE_LOCKS: dict[tuple[int, Path], tuple[int, threading.Lock]] = {}


def _write_lock(database: Path) -> tuple[int, threading.Lock] | None:
    """The lock that orders the SQLite file's writers (a ``flock`` on ``<database>.write-lock``).

    ``None`` where it cannot be made (a read-only folder, an in-memory database): SQLite's own busy
    wait still serialises the writes, only more slowly under load.
    """
    if not database.name or str(database) == ":memory:":
        return None
    key = (os.getpid(), database.resolve())
    if key not in _WRITE_LOCKS:
        try:
            opened = os.open(database.with_name(database.name + ".write-lock"), os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            return None
        _WRITE_LOCKS[key] = (opened, threading.Lock())
    return _WRITE_LOCKS[key]


# A write takes milliseconds. A worker host that vanishes mid-write (its cable pulled, its power lost)
# leaves its transaction open on the database server, holding its rows' locks, until the server gives
# up on the connection: hours, by default. The participant, reloaded onto another worker, would find
# every save of theirs waiting on those locks (measured: "Saved" never came again). The database ends
# such a transaction after 10 s instead, and the next save goes through.
_POSTGRES_SESSION_OPTIONS = "-c idle_in_transaction_session_timeout=10000"


class Store:
    """The answer store: a SQLite file, or a database server named by a SQLAlchemy URL.

    Parameters
    ----------
    location
        A SQLite file (its folder is created if missing), or a URL such as
        ``postgresql+psycopg://workbook@db.example.org/workbook`` (or ``sqlite:///path``).
    """

    def __init__(self, location: str | Path) -> None:
        self.location = location
        self.where = describe_location(location)
        if isinstance(location, str) and "://" in location:
            try:
                url = make_url(location)
            except ArgumentError as error:
                raise StoreError(f"{DATABASE_URL_SETTING} is not a database URL: {error}") from None
        else:
            url = make_url(f"sqlite:///{Path(location)}")
        self.dialect = url.get_backend_name()
        if self.dialect == "sqlite":
            self.path: Path | None = Path(url.database or "")
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(url, connect_args={"timeout": 30})
            event.listen(self.engine, "connect", _connect_listener(sqlite_synchronous()))
            self._write_lock_path: Path | None = self.path
        elif self.dialect == "postgresql":
            self.path = None
            self._write_lock_path = None
            try:
                # No pool: a page (a kernel process) holds a connection only while it reads or writes.
                self.engine = create_engine(
                    url,
                    poolclass=NullPool,
                    connect_args={"connect_timeout": 5, "options": _POSTGRES_SESSION_OPTIONS},
                )
            except (ArgumentError, ImportError) as error:
                raise StoreError(f"cannot use {self.where}: {error}") from None
        else:
            raise StoreError(f"{self.where}: the workbook keeps answers in SQLite or PostgreSQL only")
        # Every page opens the store: one read tells it the schema is current (the server's start, or
        # the first page, upgraded it), so pages do not queue for the write lock just to check.
        if self.retry(self._stored_version) != SCHEMA_VERSION:
            self.retry(self._migrate)

    def insert(self, table: Table) -> Any:
        """An INSERT for ``table`` in this database's dialect (with its ``on_conflict_do_*``)."""
        return (postgresql.insert if self.dialect == "postgresql" else sqlite.insert)(table)

    # --- schema -----------------------------------------------------------------

    # writing, retry and participant_id are public so that the room's tables (widgets/room/model.py)
    # are written the same way, in the same kind of transaction.
    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A write transaction, serialised with every other.

        SQLite: it takes the write lock at its start. A transaction that reads first and writes later
        can fail at once with "database is locked" when another process writes in between, whatever
        the busy timeout; taking the lock up front makes it wait its turn. PostgreSQL: it runs
        ``SERIALIZABLE``, and a conflict with another is reported for :meth:`retry` to run it again.
        """
        if self.dialect == "sqlite":
            with self._write_turn(), self.engine.begin() as connection:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
                yield connection
            return
        with self.engine.connect() as plain:
            connection = plain.execution_options(isolation_level="SERIALIZABLE")
            with connection.begin():
                yield connection

    @contextmanager
    def _write_turn(self) -> Iterator[None]:
        """Wait for this process's turn to write to the SQLite file: first in line, woken at once.

        SQLite's own wait for a busy lock polls, sleeping longer each time (up to 100 ms a try): with
        30 pages saving at once, an answer waited 440 ms at p95 for a lock held a few milliseconds. A
        lock on a file next to the database (``flock``) queues the writers of every process instead,
        and the system wakes the next one as soon as the last is done; SQLite's lock then finds no one
        in the way. Threads of one process take their turns by a lock of their own first (a ``flock``
        is held by the open file, shared by its threads).
        """
        lock = _write_lock(self._write_lock_path) if self._write_lock_path is not None else None
        if lock is None:
            yield
            return
        lock_file, thread_turn = lock
        with thread_turn:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock_file, fcntl.LOCK_UN)

    @staticmethod
    def _version_in(connection: Connection) -> int:
        if not inspect(connection).has_table("meta"):
            return 0
        row = connection.execute(select(meta.c.value).where(meta.c.key == "schema_version")).first()
        return int(row.value) if row else 0

    def _stored_version(self) -> int:
        with self.engine.connect() as connection:
            return self._version_in(connection)

    def _migrate(self) -> None:
        # Alembic is loaded only here: a page opening a current database never needs it.
        from alembic import command
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        # Inside the write lock, so two pages opening a new database never upgrade it twice.
        with self.writing() as connection:
            if self.dialect == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK})
            version = self._version_in(connection)
            revision = MigrationContext.configure(connection).get_current_revision()
            known = {script.revision for script in ScriptDirectory(str(MIGRATIONS)).walk_revisions()}
            if version > SCHEMA_VERSION or (revision is not None and revision not in known):
                raise StoreError(
                    f"{self.where} has schema version {max(version, SCHEMA_VERSION + 1)}, newer than this "
                    f"workbook's {SCHEMA_VERSION}: use the newer workbook, or restore a backup"
                )
            config = _alembic_config(connection)
            if revision is None and version > 0:
                command.stamp(config, REVISIONS[version])  # upgraded by the hand-written steps until now
            command.upgrade(config, "head")

    def schema_version(self) -> int:
        """The database's schema version."""
        with self.engine.connect() as connection:
            version = connection.execute(select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
        if version is None:
            # Opening the store wrote it (the first migration does): a database without it is not one.
            raise StoreError(f"{self.where} has no schema version")
        return int(version)

    # --- writing and reading ------------------------------------------------------

    def retry(self, work: Callable[[], _T]) -> _T:
        """Run ``work``, trying again while the database is locked, busy, or reports a conflict.

        Any other failure (a missing server, a full disk) is a :class:`StoreError` at once: the page
        keeps the answers and says they are not saved yet.
        """
        for attempt in range(WRITE_ATTEMPTS):
            try:
                return work()
            except DBAPIError as error:
                if not _is_retryable(error) or attempt == WRITE_ATTEMPTS - 1:
                    raise StoreError(
                        f"the answer store ({self.where}) could not be used: {error.orig}"
                    ) from error
                # A random share of the back-off, so writers that collided do not collide again.
                time.sleep(random.uniform(0.5, 1.0) * 0.05 * 2**attempt)  # noqa: S311 - not for secrets
        raise AssertionError("unreachable")  # pragma: no cover

    def participant_id(self, connection: Connection, code_hash: str, kind: str, stamp: str) -> int:
        """The participant's row id inside a write, creating the row if new (and marking it active)."""
        connection.execute(
            self.insert(participants)
            .values(code_hash=code_hash, kind=kind, created_at=stamp, last_active_at=stamp)
            .on_conflict_do_update(index_elements=["code_hash"], set_={"last_active_at": stamp})
        )
        return int(
            connection.execute(
                select(participants.c.id).where(participants.c.code_hash == code_hash)
            ).scalar_one()
        )

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
                    self.insert(answers)
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


def default_location() -> str | Path:
    """The store this workbook uses: ``RECONNECTION_DATABASE_URL`` if set, else :func:`default_path`."""
    return os.environ.get(DATABASE_URL_SETTING, "").strip() or default_path()


def default_store() -> Store:
    """The store at :func:`default_location`, opened once per process."""
    global _STORE
    location = default_location()
    if _STORE is None or _STORE.location != location:
        _STORE = Store(location)
    return _STORE


def main(argv: list[str] | None = None) -> int:
    """``python -m widgets.store --purge``: delete answers older than the retention setting.

    ``python -m widgets.store_check --purge`` checks the store first (``./workbook serve`` runs that).
    """
    parser = argparse.ArgumentParser(prog="python -m widgets.store", description=main.__doc__)
    parser.add_argument("--purge", action="store_true", help="delete participants inactive too long")
    parser.add_argument("--days", type=int, default=None, help="override the retention setting")
    options = parser.parse_args(argv)
    try:
        store = Store(default_location())
        if options.purge:
            days = options.days if options.days is not None else retention_days()
            removed = store.purge(days)
            print(f"purged {removed} participant(s) inactive for more than {days} days from {store.where}")
            closed = store.purge_rooms(ROOM_RETENTION_DAYS)
            print(f"closed {closed} room(s) unused for more than {ROOM_RETENTION_DAYS} days")
        counts = store.counts()
        print(
            f"{store.where}: schema {store.schema_version()}, {counts['participants']} participant(s), "
            f"{counts['answers']} answer row(s)"
        )
    except (StoreError, DBAPIError) as error:
        # No traceback for a facilitator: what failed, and where to look first.
        print(f"[workbook] {error} (./workbook serve checks the store and says what to do)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
