"""Backups and restore (`widgets.backups`) on real SQLite files, a real PostgreSQL server and the
real Voilà server: consistent while pages write, checked, rolling, refused while serving, and free of
what a participant deleted."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import run_workbook_module, running_voila

from widgets.backups import (
    BackupError,
    ServerRunning,
    back_up,
    backup_days,
    backup_name,
    backups_in,
    check_backup,
    hold_serving_lock,
    prune,
    restore,
    rolling_backup,
    taken_at,
)
from widgets.store import SCHEMA_VERSION, Store, StoreError, sqlite_synchronous

HASH_A, HASH_B = "a" * 64, "b" * 64
# A string no other row holds, to look for in a backup's raw bytes.
DISTINCTIVE = "Marguerite-the-lighthouse-keeper-7781"


@pytest.fixture
def data(tmp_path, monkeypatch) -> Path:
    """The data folder of this test's workbook (its store, backups and serving lock)."""
    folder = tmp_path / "data"
    monkeypatch.setenv("RECONNECTION_DATA_DIR", str(folder))
    monkeypatch.delenv("RECONNECTION_DATABASE_URL", raising=False)
    return folder


def _command(data: Path, *arguments: str, url: str | None = None) -> subprocess.CompletedProcess:
    settings = {"RECONNECTION_DATABASE_URL": url} if url else {}
    return run_workbook_module("widgets.backups", data, *arguments, **settings)


# --- backing up -------------------------------------------------------------------------------


def test_a_backup_taken_while_pages_write_is_consistent_and_checked(data):
    store_file = data / "workbook.sqlite"
    Store(store_file).save(HASH_A, "hidden-weight", {"answers": {"x": "often"}})
    stop = threading.Event()
    written = [0]

    def page_writing() -> None:  # another connection saving all the time, as pages do
        store = Store(store_file)
        while not stop.is_set():
            store.save(f"{written[0]:064x}", "hidden-weight", {"answers": {"x": "often " * 30}})
            written[0] += 1
        store.close()

    writer = threading.Thread(target=page_writing)
    writer.start()
    try:
        while written[0] < 20:
            time.sleep(0.01)
        made = [
            back_up(store_file, data / "backups", datetime.now(UTC) + timedelta(seconds=n)) for n in range(3)
        ]
    finally:
        stop.set()
        writer.join()
    counts = []
    for backup in made:
        assert backup.path.name.startswith("workbook-")
        assert backup.path.suffix == ".sqlite3"
        assert check_backup(backup.path) == "sqlite"
        assert not Path(f"{backup.path}-wal").exists()  # one self-contained file
        with sqlite3.connect(backup.path) as copy:
            counts.append(copy.execute("SELECT count(*) FROM participants").fetchone()[0])
    assert counts == sorted(counts)
    assert counts[0] >= 21
    assert not list((data / "backups").glob("*.partial"))


def test_the_backup_command_names_the_file_by_utc_time(data):
    Store(data / "workbook.sqlite").save(HASH_A, "hidden-weight", {"answers": {}})
    done = _command(data, "backup")
    assert done.returncode == 0, done.stderr
    (made,) = backups_in(data / "backups")
    assert "backup written and checked" in done.stderr
    assert str(made) in done.stderr
    elsewhere = _command(data, "backup", str(data.parent / "usb"))
    assert elsewhere.returncode == 0
    assert len(backups_in(data.parent / "usb")) == 1
    assert backup_name(data / "x", datetime(2026, 12, 2, 3, 15, 7, tzinfo=UTC)) == (
        "workbook-2026-12-02T031507Z.sqlite3"
    )


def test_a_copy_that_fails_its_check_is_deleted_and_said(data):
    store_file = data / "workbook.sqlite"
    store = Store(store_file)
    for number in range(300):
        store.save(f"{number:064x}", "hidden-weight", {"answers": {"x": "often " * 40}})
    store.close()
    with store_file.open("r+b") as handle:  # damage the middle: the copy API copies pages as they are
        handle.seek(store_file.stat().st_size // 2)
        handle.write(os.urandom(20_000))
    with pytest.raises(BackupError, match=r"damaged.*The bad copy was deleted; no backup was made"):
        back_up(store_file, data / "backups")
    assert list((data / "backups").iterdir()) == []
    failed = _command(data, "backup")
    assert failed.returncode == 1
    assert "Traceback" not in failed.stderr
    assert "no backup was made" in failed.stderr


def test_no_store_yet_is_nothing_to_back_up(data):
    with pytest.raises(BackupError, match="nothing to back up"):
        back_up(data / "workbook.sqlite", data / "backups")
    assert not (data / "workbook.sqlite").exists()  # and none was made by looking


# --- deleted is deleted, in every new backup ------------------------------------------------------


def _delete_without_secure_delete(store_file: Path, code_hash: str) -> None:
    """What "Delete everything" does, on a connection with secure_delete off: the control case."""
    with sqlite3.connect(store_file, isolation_level=None) as connection:
        connection.execute("PRAGMA secure_delete=OFF")
        (participant_id,) = connection.execute(
            "SELECT id FROM participants WHERE code_hash = ?", (code_hash,)
        ).fetchone()
        connection.execute("DELETE FROM answers WHERE participant_id = ?", (participant_id,))
        connection.execute("DELETE FROM participants WHERE id = ?", (participant_id,))


@pytest.mark.parametrize("secure_delete", [True, False], ids=["the store's delete", "secure_delete off"])
def test_a_deleted_workbook_is_not_in_the_next_backup(data, secure_delete):
    store_file = data / "workbook.sqlite"
    store = Store(store_file)
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    for number in range(30):  # others' answers around it, on the same pages
        store.save(f"{number:064x}", "note:hidden-weight", {"text": f"Someone else's note {number}"})
    store.save(HASH_A, "note:hidden-weight", {"text": f"Call {DISTINCTIVE} on Sunday"})
    store.save(HASH_A, "hidden-weight", {"answers": {"x": DISTINCTIVE}})
    assert DISTINCTIVE.encode() in back_up(store_file, data / "backups").path.read_bytes()

    if secure_delete:
        assert store.delete_participant(HASH_A) == 2
    else:
        _delete_without_secure_delete(store_file, HASH_A)
    after = back_up(store_file, data / "backups", datetime.now(UTC) + timedelta(seconds=1)).path

    found = DISTINCTIVE.encode() in after.read_bytes()
    # The store's own delete (secure_delete on) leaves no trace; the control shows the check can see one.
    assert found is not secure_delete
    assert Store(after).load_all(HASH_A) == {}


# --- rolling backups ------------------------------------------------------------------------------


def test_rolling_backups_keep_the_newest_and_none_older_than_promised(data, monkeypatch):
    store_file = data / "workbook.sqlite"
    Store(store_file).save(HASH_A, "hidden-weight", {"answers": {}})
    folder = data / "backups"
    now = datetime.now(UTC)
    for days in (30, 9, 5, 4, 3, 2):
        back_up(store_file, folder, now - timedelta(days=days, hours=1))
    # Due (the newest is 2 days old): one more. Kept: the newest 3 at most, none older than 3 x 24 h.
    made = rolling_backup(store_file, folder, hours=24, keep=3)
    assert made is not None
    hours_old = [round((now - taken_at(path)).total_seconds() / 3600) for path in backups_in(folder)]
    assert hours_old == [49, 0]
    # Not due again within the interval.
    assert rolling_backup(store_file, folder, hours=24, keep=3) is None
    # The welcome page's promise follows the settings.
    monkeypatch.setenv("RECONNECTION_BACKUP_KEEP", "7")
    monkeypatch.setenv("RECONNECTION_BACKUP_HOURS", "24")
    assert backup_days() == 7
    monkeypatch.setenv("RECONNECTION_BACKUP_HOURS", "12")
    assert backup_days() == 4


def test_prune_by_count_and_by_age(data):
    store_file = data / "workbook.sqlite"
    Store(store_file).save(HASH_A, "hidden-weight", {"answers": {}})
    folder = data / "backups"
    now = datetime.now(UTC)
    made = [back_up(store_file, folder, now - timedelta(hours=hours)).path for hours in (200, 50, 30, 10, 1)]
    (folder / "notes.txt").write_text("the facilitator's own file")
    gone = prune(folder, store_file, keep=3, hours=24, now=now)
    assert sorted(gone) == sorted(made[:2])  # beyond the newest 3; the 200 h one also too old
    assert backups_in(folder) == made[2:]
    assert (folder / "notes.txt").exists()  # only backups are pruned
    assert prune(folder, store_file, keep=3, hours=10, now=now) == [made[2]]  # 30 h > 3 x 10 h


# --- restoring -----------------------------------------------------------------------------------


def test_restore_puts_the_backup_back_and_keeps_the_replaced_store_aside(data):
    store_file = data / "workbook.sqlite"
    store = Store(store_file)
    store.save(HASH_A, "hidden-weight", {"answers": {"x": "often"}})
    backup = back_up(store_file, data / "backups").path
    store.save(HASH_B, "hidden-weight", {"answers": {"x": "later"}})
    store.close()

    done = _command(data, "restore", str(backup))

    assert done.returncode == 0, done.stderr
    assert "restored" in done.stderr
    assert "1 participant(s)" in done.stderr
    restored = Store(store_file)
    assert restored.load_all(HASH_A) == {"hidden-weight": {"answers": {"x": "often"}}}
    assert restored.load_all(HASH_B) == {}
    (aside,) = data.glob("workbook.sqlite.replaced-*")
    assert aside.name in done.stderr
    assert Store(aside).load_all(HASH_B) == {"hidden-weight": {"answers": {"x": "later"}}}


def test_restore_refuses_a_damaged_backup_and_changes_nothing(data):
    store_file = data / "workbook.sqlite"
    Store(store_file).save(HASH_A, "hidden-weight", {"answers": {}})
    bad = data / "backups" / "workbook-2026-12-01T000000Z.sqlite3"
    bad.parent.mkdir(parents=True)
    bad.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    refused = _command(data, "restore", str(bad))
    assert refused.returncode == 1
    assert "Traceback" not in refused.stderr
    assert "is damaged" in refused.stderr
    not_a_backup = data / "notes.txt"
    not_a_backup.write_text("hello")
    assert "not a backup of the workbook" in _command(data, "restore", str(not_a_backup)).stderr
    assert not list(data.glob("*.replaced-*"))
    assert Store(store_file).counts()["participants"] == 1


def test_restore_refuses_while_a_server_holds_the_store(data):
    store_file = data / "workbook.sqlite"
    Store(store_file).save(HASH_A, "hidden-weight", {"answers": {}})
    backup = back_up(store_file, data / "backups").path
    lock = hold_serving_lock()  # what every Voilà server of the workbook holds (in its own process)
    try:
        with pytest.raises(ServerRunning, match="Stop it first"):
            restore(store_file, backup)
    finally:
        lock.close()
    assert restore(store_file, backup).participants == 1


@pytest.mark.browser
def test_the_real_server_backs_up_at_start_and_blocks_a_restore(data, artifacts, monkeypatch):
    """The real Voilà server: a rolling backup at its start, a restore refused until it stops."""
    Store(data / "workbook.sqlite").save(HASH_A, "hidden-weight", {"answers": {"x": "often"}})
    with running_voila(artifacts / "voila-backups.log", data_dir=data) as (_server, _process):
        deadline = time.monotonic() + 30
        while not backups_in(data / "backups") and time.monotonic() < deadline:
            time.sleep(0.2)
        (started,) = backups_in(data / "backups")
        assert check_backup(started) == "sqlite"
        refused = _command(data, "restore", str(started))
        assert refused.returncode == 1
        assert "A workbook server is running with this store" in refused.stderr
        assert "Traceback" not in refused.stderr
    done = _command(data, "restore", str(started))
    assert done.returncode == 0, done.stderr


def test_restore_of_the_wrong_kind_is_refused(data, postgres_url):
    store_file = data / "workbook.sqlite"
    Store(store_file).save(HASH_A, "hidden-weight", {"answers": {}})
    backup = back_up(store_file, data / "backups").path
    with pytest.raises(BackupError, match="is a sqlite backup, but the store is postgresql"):
        restore(postgres_url, backup)


# --- PostgreSQL ------------------------------------------------------------------------------------


def test_postgresql_backup_and_restore_with_pg_dump(data, postgres_url):
    store = Store(postgres_url)
    store.save(HASH_A, "hidden-weight", {"answers": {"x": "often"}})
    done = _command(data, "backup", url=postgres_url)
    assert done.returncode == 0, done.stderr
    (backup,) = backups_in(data / "backups")
    assert backup.suffix == ".pgdump"
    assert backup.read_bytes()[:5] == b"PGDMP"
    assert check_backup(backup) == "postgresql"
    store.save(HASH_B, "hidden-weight", {"answers": {"x": "later"}})
    store.delete_participant(HASH_A)

    restored = _command(data, "restore", str(backup), url=postgres_url)

    assert restored.returncode == 0, restored.stderr
    assert store.load_all(HASH_A) == {"hidden-weight": {"answers": {"x": "often"}}}
    assert store.load_all(HASH_B) == {}
    (aside,) = (data / "backups").glob("*.replaced-*.pgdump")
    assert str(aside) in restored.stderr
    assert check_backup(aside) == "postgresql"
    # The store still works as before: writes, and the schema Alembic knows.
    store.save(HASH_B, "hidden-weight", {"answers": {"x": "again"}})
    assert store.schema_version() == SCHEMA_VERSION


def test_an_unreachable_postgresql_backup_is_one_message(data):
    from harness.server import free_port

    failed = _command(data, "backup", url=f"postgresql+psycopg://workbook:pw@127.0.0.1:{free_port()}/wb")
    assert failed.returncode == 1
    assert "pg_dump could not back up postgresql+psycopg://workbook:***@127.0.0.1" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert ":pw@" not in failed.stderr


# --- durability setting -----------------------------------------------------------------------


def test_synchronous_is_full_unless_set_and_checked(data, monkeypatch):
    monkeypatch.delenv("RECONNECTION_SQLITE_SYNCHRONOUS", raising=False)
    for setting, expected in ((None, 2), ("NORMAL", 1), ("full", 2)):
        if setting:
            monkeypatch.setenv("RECONNECTION_SQLITE_SYNCHRONOUS", setting)
        store = Store(data / f"sync-{setting}.sqlite")
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == expected  # 2 FULL, 1 NORMAL
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        store.close()
    monkeypatch.setenv("RECONNECTION_SQLITE_SYNCHRONOUS", "OFF")
    with pytest.raises(StoreError, match="must be FULL or NORMAL"):
        sqlite_synchronous()
