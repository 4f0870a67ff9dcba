"""The answer store against real SQLite files."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta

import pytest

from widgets.store import _VERSION_1_DDL, SCHEMA_VERSION, Store, StoreError, retention_days

HASH_A, HASH_B = "a" * 64, "b" * 64


@pytest.fixture
def store(tmp_path) -> Store:
    opened = Store(tmp_path / "data" / "workbook.sqlite")
    yield opened
    opened.close()


def test_new_database_is_at_the_current_version_in_wal_mode(store):
    assert store.schema_version() == SCHEMA_VERSION
    with sqlite3.connect(store.path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_round_trip_replaces_and_keeps_keys_apart(store):
    store.save(HASH_A, "hidden-weight", {"answers": {"left-out": "often"}})
    store.save(HASH_A, "note:hidden-weight", {"text": "ünïcödé ✨ <b>kept as text</b>"})
    store.save(HASH_A, "hidden-weight", {"answers": {"left-out": "hardly-ever"}})
    store.save(HASH_B, "hidden-weight", {"answers": {"left-out": "some-of-the-time"}})
    again = Store(store.path)
    assert again.load_all(HASH_A) == {
        "hidden-weight": {"answers": {"left-out": "hardly-ever"}},
        "note:hidden-weight": {"text": "ünïcödé ✨ <b>kept as text</b>"},
    }
    assert again.load_all(HASH_B) == {"hidden-weight": {"answers": {"left-out": "some-of-the-time"}}}
    assert again.load_all("c" * 64) == {}
    assert again.counts() == {"participants": 2, "answers": 3}


def test_nothing_but_a_hash_and_dates_is_kept_about_a_participant(store):
    store.save(HASH_A, "small-steps", {"steps": []}, kind="demo")
    with sqlite3.connect(store.path) as raw:
        columns = [row[1] for row in raw.execute("PRAGMA table_info(participants)")]
        (row,) = raw.execute("SELECT code_hash, kind FROM participants").fetchall()
    assert columns == ["id", "code_hash", "created_at", "last_active_at", "kind"]
    assert row == (HASH_A, "demo")
    about = store.participant(HASH_A)
    assert about.kind == "demo"
    assert abs(about.created_at - datetime.now(UTC)) < timedelta(minutes=1)


def test_data_that_is_not_json_is_refused_and_nothing_is_written(store):
    with pytest.raises(TypeError):
        store.save(HASH_A, "hidden-weight", {"when": object()})
    assert store.counts() == {"participants": 0, "answers": 0}


def test_upgrade_from_version_1_keeps_every_answer(tmp_path):
    path = tmp_path / "workbook.sqlite"
    with sqlite3.connect(path) as raw:
        for statement in _VERSION_1_DDL:
            raw.execute(statement)
        raw.execute("INSERT INTO meta VALUES ('schema_version', '1')")
        raw.execute(
            "INSERT INTO participants VALUES "
            "(1, ?, '2026-01-01T00:00:00+00:00', '2026-01-02T00:00:00+00:00')",
            (HASH_A,),
        )
        raw.execute(
            'INSERT INTO answers VALUES (1, \'hidden-weight\', \'{"answers": {"left-out": "often"}}\', '
            "'2026-01-02T00:00:00+00:00')"
        )
    upgraded = Store(path)
    assert upgraded.schema_version() == SCHEMA_VERSION == 4
    with sqlite3.connect(path) as raw:
        tables = {name for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"rooms", "room_members", "room_shares", "room_lines"} <= tables
    assert upgraded.load_all(HASH_A) == {"hidden-weight": {"answers": {"left-out": "often"}}}
    assert upgraded.participant(HASH_A).kind == "participant"
    with sqlite3.connect(path) as raw:
        indexes = [row[1] for row in raw.execute("PRAGMA index_list(participants)")]
    assert "ix_participants_last_active_at" in indexes
    # Opening again changes nothing.
    assert Store(path).load_all(HASH_A) == {"hidden-weight": {"answers": {"left-out": "often"}}}


def test_a_newer_database_is_refused_not_changed(tmp_path):
    path = tmp_path / "workbook.sqlite"
    Store(path).close()
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="schema version 99"):
        Store(path)


def test_delete_removes_every_row_of_that_participant_only(store):
    for key in ("hidden-weight", "note:hidden-weight", "small-steps"):
        store.save(HASH_A, key, {"x": 1})
    store.save(HASH_B, "small-steps", {"x": 2})
    assert store.delete_participant(HASH_A) == 3
    with sqlite3.connect(store.path) as raw:
        assert raw.execute("SELECT count(*) FROM answers WHERE data LIKE '%1%'").fetchone()[0] == 0
        assert (
            raw.execute("SELECT count(*) FROM participants WHERE code_hash = ?", (HASH_A,)).fetchone()[0] == 0
        )
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


def test_purge_command(tmp_path):
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
    path, worker, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    store = Store(path)
    for round_ in range(rounds):
        store.save(f"{worker:064d}", f"key-{round_}", {"worker": worker, "round": round_})
        store.save("f" * 64, f"shared-{worker}-{round_}", {"worker": worker})
    print("ok")
    """
)


def test_twenty_processes_writing_at_once_lose_nothing(tmp_path):
    path = tmp_path / "workbook.sqlite"
    workers, rounds = 20, 15
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(worker), str(rounds)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for worker in range(workers)
    ]
    results = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0] * workers, [err for _, err in results]
    assert all(out.strip() == "ok" and err == "" for out, err in results), results
    store = Store(path)
    for worker in range(workers):
        kept = store.load_all(f"{worker:064d}")
        assert kept == {f"key-{r}": {"worker": worker, "round": r} for r in range(rounds)}
    assert len(store.load_all("f" * 64)) == workers * rounds
    assert store.counts() == {"participants": workers + 1, "answers": 2 * workers * rounds}
