"""The answer store against real databases: each test on a SQLite file, then on a PostgreSQL server."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect, text

from widgets.registry import SECTIONS as REGISTRY
from widgets.store import SCHEMA_VERSION, Store, StoreError, retention_days

HASH_A, HASH_B = "a" * 64, "b" * 64

# The tables as the workbook's hand-written steps made them before Alembic, up to schema version 3:
# the databases out there that must upgrade in place.
HAND_WRITTEN = {
    1: (
        "CREATE TABLE meta (key VARCHAR(40) PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE participants (id INTEGER PRIMARY KEY, code_hash VARCHAR(64) NOT NULL UNIQUE, "
        "created_at VARCHAR(32) NOT NULL, last_active_at VARCHAR(32) NOT NULL)",
        "CREATE TABLE answers (participant_id INTEGER NOT NULL REFERENCES participants (id) "
        "ON DELETE CASCADE, key VARCHAR(80) NOT NULL, data TEXT NOT NULL, updated_at VARCHAR(32) NOT NULL, "
        "PRIMARY KEY (participant_id, key))",
    ),
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
}


def _hand_written(path, version: int) -> None:
    with sqlite3.connect(path) as raw:
        for step in range(1, version + 1):
            for statement in HAND_WRITTEN[step]:
                raw.execute(statement)
        raw.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(version),))


@pytest.fixture
def store(store_location) -> Store:
    opened = Store(store_location)
    yield opened
    opened.close()


def _rows(store: Store, query: str, **values) -> list[tuple]:
    """Read the database directly, past the store's own methods."""
    with store.engine.connect() as raw:
        return [tuple(row) for row in raw.execute(text(query), values)]


def test_new_database_is_at_the_current_version(store):
    assert store.schema_version() == SCHEMA_VERSION
    assert _rows(store, "SELECT version_num FROM alembic_version") == [(f"{SCHEMA_VERSION:04d}",)]
    if store.dialect == "sqlite":
        assert _rows(store, "PRAGMA journal_mode") == [("wal",)]


def test_round_trip_replaces_and_keeps_keys_apart(store):
    store.save(HASH_A, "hidden-weight", {"answers": {"left-out": "often"}})
    store.save(HASH_A, "note:hidden-weight", {"text": "ünïcödé ✨ <b>kept as text</b>"})
    store.save(HASH_A, "hidden-weight", {"answers": {"left-out": "hardly-ever"}})
    store.save(HASH_B, "hidden-weight", {"answers": {"left-out": "some-of-the-time"}})
    again = Store(store.location)
    assert again.load_all(HASH_A) == {
        "hidden-weight": {"answers": {"left-out": "hardly-ever"}},
        "note:hidden-weight": {"text": "ünïcödé ✨ <b>kept as text</b>"},
    }
    assert again.load_all(HASH_B) == {"hidden-weight": {"answers": {"left-out": "some-of-the-time"}}}
    assert again.load_all("c" * 64) == {}
    assert again.counts() == {"participants": 2, "answers": 3}


def test_nothing_but_a_hash_and_dates_is_kept_about_a_participant(store):
    store.save(HASH_A, "small-steps", {"steps": []}, kind="demo")
    with store.engine.connect() as raw:
        columns = [column["name"] for column in inspect(raw).get_columns("participants")]
    assert columns == ["id", "code_hash", "created_at", "last_active_at", "kind"]
    assert _rows(store, "SELECT code_hash, kind FROM participants") == [(HASH_A, "demo")]
    about = store.participant(HASH_A)
    assert about.kind == "demo"
    assert abs(about.created_at - datetime.now(UTC)) < timedelta(minutes=1)


def test_data_that_is_not_json_is_refused_and_nothing_is_written(store):
    with pytest.raises(TypeError):
        store.save(HASH_A, "hidden-weight", {"when": object()})
    assert store.counts() == {"participants": 0, "answers": 0}


@pytest.mark.parametrize("version", [1, 3])
def test_a_database_written_before_alembic_upgrades_in_place(tmp_path, version):
    path = tmp_path / "workbook.sqlite"
    _hand_written(path, version)
    with sqlite3.connect(path) as raw:
        times = ("2026-01-01T00:00:00+00:00", "2026-01-02T00:00:00+00:00")
        if version == 1:
            raw.execute("INSERT INTO participants VALUES (1, ?, ?, ?)", (HASH_A, *times))
        else:
            raw.execute("INSERT INTO participants VALUES (1, ?, ?, ?, 'participant')", (HASH_A, *times))
        raw.execute(
            'INSERT INTO answers VALUES (1, \'hidden-weight\', \'{"answers": {"left-out": "often"}}\', '
            "'2026-01-02T00:00:00+00:00')"
        )
        if version >= 3:
            raw.execute(
                "INSERT INTO rooms VALUES (1, 'K7MP3X', 'x', 5, 2, '2026-01-01T00:00:00+00:00', "
                "'2026-01-02T00:00:00+00:00')"
            )
            raw.execute("INSERT INTO room_members VALUES (1, 1, '2026-01-01T00:00:00+00:00')")
    upgraded = Store(path)
    assert upgraded.schema_version() == SCHEMA_VERSION == 7
    assert _rows(upgraded, "SELECT version_num FROM alembic_version") == [("0007",)]
    tables = set(inspect(upgraded.engine).get_table_names())
    assert {
        "rooms",
        "room_members",
        "room_shares",
        "room_lines",
        "room_releases",
        "room_line_offers",
        "alembic_version",
    } <= tables
    assert upgraded.load_all(HASH_A) == {"hidden-weight": {"answers": {"left-out": "often"}}}
    assert upgraded.participant(HASH_A).kind == "participant"
    indexes = {index["name"] for index in inspect(upgraded.engine).get_indexes("participants")}
    assert "ix_participants_last_active_at" in indexes
    if version >= 3:
        # The room kept what it had, and gained the number of people expected (its default).
        assert _rows(upgraded, "SELECT join_code, pace_section, expected FROM rooms") == [("K7MP3X", 2, 30)]
        assert _rows(upgraded, "SELECT room_id, admitted FROM room_members") == [(1, 1)]
    # Opening again changes nothing.
    assert Store(path).load_all(HASH_A) == {"hidden-weight": {"answers": {"left-out": "often"}}}


def test_a_store_at_version_5_with_members_upgrades_and_they_stay_let_in(store_location):
    """Rooms in use when the workbook is updated: everyone in them stays counted, over the number or not."""
    from alembic import command
    from sqlalchemy import create_engine

    from widgets.participant import new_participant
    from widgets.room.model import Rooms
    from widgets.store import _alembic_config

    if isinstance(store_location, str):
        url = store_location
    else:
        store_location.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{store_location}"
    engine = create_engine(url)
    stamp = "2026-01-01T00:00:00+00:00"
    people = [new_participant() for _ in range(7)]
    with engine.begin() as raw:
        command.upgrade(_alembic_config(raw), "0005")
        # No ids given: PostgreSQL's sequences must hand them out, as they will after the upgrade.
        raw.execute(
            text(
                "INSERT INTO rooms (join_code, secret_hash, threshold, pace_section, expected, "
                "created_at, last_active_at) VALUES ('K7MP3X', 'x', 5, NULL, 5, :at, :at)"
            ),
            {"at": stamp},
        )
        room_id = raw.execute(text("SELECT id FROM rooms")).scalar_one()
        for person in people[:6]:  # six in a room for five
            raw.execute(
                text(
                    "INSERT INTO participants (code_hash, kind, created_at, last_active_at) "
                    "VALUES (:hash, 'participant', :at, :at)"
                ),
                {"hash": person.code_hash, "at": stamp},
            )
            raw.execute(
                text(
                    "INSERT INTO room_members (participant_id, room_id, joined_at) "
                    "SELECT id, :room, :at FROM participants WHERE code_hash = :hash"
                ),
                {"room": room_id, "hash": person.code_hash, "at": stamp},
            )
    engine.dispose()
    assert _rows_at(url, "SELECT version_num FROM alembic_version") == [("0005",)]

    upgraded = Store(store_location)
    try:
        assert upgraded.schema_version() == SCHEMA_VERSION == 7
        assert _rows(upgraded, "SELECT version_num FROM alembic_version") == [("0007",)]
        assert _rows(upgraded, "SELECT admitted, COUNT(*) FROM room_members GROUP BY admitted") == [(1, 6)]
        rooms = Rooms(upgraded, REGISTRY)
        assert all(rooms.membership(person.code_hash).admitted for person in people[:6])
        # The room holds more than it expects now: the next to join waits for the facilitator.
        assert rooms.join(people[6].code_hash, people[6].kind, "K7MP3X").admitted is False
        assert _rows(upgraded, "SELECT COUNT(*) FROM room_line_offers") == [(0,)]
    finally:
        upgraded.close()


def _rows_at(url: str, query: str) -> list[tuple]:
    from sqlalchemy import create_engine

    engine = create_engine(url)
    try:
        with engine.connect() as raw:
            return [tuple(row) for row in raw.execute(text(query))]
    finally:
        engine.dispose()


def test_a_newer_database_is_refused_not_changed(store):
    location = store.location
    with store.engine.begin() as raw:
        raw.execute(text("UPDATE meta SET value = '99' WHERE key = 'schema_version'"))
    with pytest.raises(StoreError, match="newer than this workbook"):
        Store(location)
    assert _rows(store, "SELECT value FROM meta") == [("99",)]


def test_an_unknown_alembic_revision_is_refused(store):
    with store.engine.begin() as raw:
        raw.execute(text("UPDATE alembic_version SET version_num = '0099'"))
        raw.execute(text("UPDATE meta SET value = '3' WHERE key = 'schema_version'"))
    with pytest.raises(StoreError, match="newer than this workbook"):
        Store(store.location)


def test_a_database_server_that_is_not_there_is_a_store_error(tmp_path):
    with pytest.raises(StoreError, match="could not be used"):
        Store("postgresql+psycopg://workbook@127.0.0.1:9/workbook")
    with pytest.raises(StoreError, match="SQLite or PostgreSQL only"):
        Store("mysql://someone@127.0.0.1/workbook")
    with pytest.raises(StoreError, match="not a database URL"):
        Store("not a url://")


def test_delete_removes_every_row_of_that_participant_only(store):
    for key in ("hidden-weight", "note:hidden-weight", "small-steps"):
        store.save(HASH_A, key, {"x": 1})
    store.save(HASH_B, "small-steps", {"x": 2})
    assert store.delete_participant(HASH_A) == 3
    assert _rows(store, "SELECT count(*) FROM answers WHERE data LIKE '%1%'") == [(0,)]
    assert _rows(store, "SELECT count(*) FROM participants WHERE code_hash = :h", h=HASH_A) == [(0,)]
    assert store.counts() == {"participants": 1, "answers": 1}
    assert store.delete_participant(HASH_A) == 0


def test_retention_purge_removes_only_the_long_inactive(store):
    store.save(HASH_A, "hidden-weight", {"x": 1})
    store.save(HASH_B, "hidden-weight", {"x": 2})
    store.touch(HASH_A, datetime.now(UTC) - timedelta(days=91))
    store.touch(HASH_B, datetime.now(UTC) - timedelta(days=89))
    assert store.purge(90) == 1
    assert store.load_all(HASH_A) == {}
    assert store.load_all(HASH_B) == {"hidden-weight": {"x": 2}}
    assert store.counts() == {"participants": 1, "answers": 1}


def test_retention_setting(monkeypatch):
    monkeypatch.delenv("RECONNECTION_RETENTION_DAYS", raising=False)
    assert retention_days() == 90
    monkeypatch.setenv("RECONNECTION_RETENTION_DAYS", "30")
    assert retention_days() == 30
    for bad in ("0", "soon"):
        monkeypatch.setenv("RECONNECTION_RETENTION_DAYS", bad)
        with pytest.raises(StoreError):
            retention_days()


def test_purge_command_on_sqlite(tmp_path):
    env = {"RECONNECTION_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    Store(tmp_path / "workbook.sqlite").save(HASH_A, "hidden-weight", {"x": 1})
    Store(tmp_path / "workbook.sqlite").touch(HASH_A, datetime.now(UTC) - timedelta(days=120))
    out = subprocess.run(
        [sys.executable, "-m", "widgets.store", "--purge"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "purged 1 participant(s) inactive for more than 90 days" in out.stdout
    assert Store(tmp_path / "workbook.sqlite").counts() == {"participants": 0, "answers": 0}


WRITER = textwrap.dedent(
    """
    import sys
    from widgets.store import Store
    location, worker, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    store = Store(location)
    for round_ in range(rounds):
        store.save(f"{worker:064d}", f"key-{round_}", {"worker": worker, "round": round_})
        store.save("f" * 64, f"shared-{worker}-{round_}", {"worker": worker})
    print("ok")
    """
)


def test_twenty_processes_writing_at_once_lose_nothing(store):
    location = store.location
    workers, rounds = 20, 15
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(location), str(worker), str(rounds)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for worker in range(workers)
    ]
    results = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0] * workers, [err for _, err in results]
    assert all(out.strip() == "ok" and err == "" for out, err in results), results
    for worker in range(workers):
        kept = store.load_all(f"{worker:064d}")
        assert kept == {f"key-{r}": {"worker": worker, "round": r} for r in range(rounds)}
    assert len(store.load_all("f" * 64)) == workers * rounds
    assert store.counts() == {"participants": workers + 1, "answers": 2 * workers * rounds}
