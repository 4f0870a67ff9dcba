"""The start-up check (`widgets.store_check`, which ``./workbook serve`` runs before it serves).

Each case is the real command on a real SQLite file or a real PostgreSQL server: a damaged file, a
server that is not there, a schema from a newer workbook, a mistyped setting. Each must print one
message that names the store and what to do, exit non-zero, and show no traceback.
"""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import run_workbook_module
from sqlalchemy import text

from harness.server import free_port
from widgets.backups import back_up
from widgets.store import SCHEMA_VERSION, Store

HASH = "c" * 64


def _check(data: Path, **settings: str) -> subprocess.CompletedProcess:
    """``python -m widgets.store_check --purge`` as ``./workbook serve`` runs it, on the store in ``data``."""
    return run_workbook_module("widgets.store_check", data, "--purge", **settings)


def _filled_store(data: Path, participants: int = 300) -> Path:
    store = Store(data / "workbook.sqlite")
    for number in range(participants):
        store.save(f"{number:064x}", "hidden-weight", {"answers": {"item": "often " * 40}})
    store.close()
    return data / "workbook.sqlite"


def _damage(path: Path, where: str) -> None:
    """Overwrite part of the file with noise, as a failing disk or a bad copy would."""
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(0 if where == "start" else size // 2)
        handle.write(os.urandom(20_000))


def test_a_new_and_a_healthy_store_pass_and_are_served(tmp_path):
    first = _check(tmp_path / "data")
    assert first.returncode == 0, first.stderr
    assert f"checked: schema {SCHEMA_VERSION}, 0 participant(s)" in first.stdout
    _filled_store(tmp_path / "data", participants=3)
    again = _check(tmp_path / "data")
    assert again.returncode == 0, again.stderr
    assert "3 participant(s)" in again.stdout
    assert "purged 0 participant(s)" in again.stdout  # the purge ran after the check


@pytest.mark.parametrize("where", ["start", "middle"])
def test_a_damaged_file_gives_one_message_naming_the_latest_backup(tmp_path, where):
    data = tmp_path / "data"
    store_file = _filled_store(data)
    older = back_up(store_file, data / "backups", datetime.now(UTC) - timedelta(days=1)).path
    latest = back_up(store_file, data / "backups").path
    _damage(store_file, where)

    checked = _check(data)

    assert checked.returncode == 1
    assert "Traceback" not in checked.stderr + checked.stdout
    message = checked.stderr
    assert message.startswith(f"[workbook] The answer store {store_file} is damaged")
    assert "so the workbook did not start" in message
    assert f"./workbook restore {latest}" in message
    assert str(older) not in message
    assert f"mv {store_file} {store_file}.damaged" in message
    assert "purged" not in checked.stdout  # nothing ran on the damaged file


def test_a_damaged_file_without_backups_says_how_to_start_empty(tmp_path):
    data = tmp_path / "data"
    store_file = _filled_store(data)
    _damage(store_file, "start")
    checked = _check(data)
    assert checked.returncode == 1
    assert "Traceback" not in checked.stderr
    assert f"There is no backup in {data / 'backups'}" in checked.stderr
    assert f"mv {store_file} {store_file}.damaged" in checked.stderr
    # Following the advice works: the server then starts on an empty store.
    os.replace(store_file, store_file.with_name("workbook.sqlite.damaged"))
    assert _check(data).returncode == 0


def test_the_advice_moves_the_wal_with_the_file(tmp_path):
    data = tmp_path / "data"
    store_file = _filled_store(data)
    store = Store(store_file)
    store.save(HASH, "hidden-weight", {"answers": {}})  # the open connection keeps the WAL there
    _damage(store_file, "start")
    checked = _check(data)
    assert f"mv {store_file}-wal {store_file}.damaged-wal" in checked.stderr
    assert store_file.with_name("workbook.sqlite-wal").exists()  # the check itself deleted nothing
    store.engine.dispose()


def test_an_unreachable_database_server_is_named(tmp_path):
    url = f"postgresql+psycopg://workbook:secret@127.0.0.1:{free_port()}/workbook"
    checked = _check(tmp_path / "data", RECONNECTION_DATABASE_URL=url)
    assert checked.returncode == 1
    assert "Traceback" not in checked.stderr
    assert "The answer store's database server postgresql+psycopg://workbook:***@127.0.0.1:" in checked.stderr
    assert "cannot be reached" in checked.stderr
    assert "secret" not in checked.stderr  # the password is never printed


def test_postgresql_passes_and_a_newer_schema_stops_with_advice(tmp_path, postgres):
    healthy = _check(tmp_path / "data", RECONNECTION_DATABASE_URL=postgres.new_database())
    assert healthy.returncode == 0, healthy.stderr
    assert f"checked: schema {SCHEMA_VERSION}" in healthy.stdout
    postgres_url = postgres.new_database()
    store = Store(postgres_url)
    with store.writing() as connection:
        connection.execute(text("UPDATE meta SET value = '99' WHERE key = 'schema_version'"))
    store.close()
    checked = _check(tmp_path / "data", RECONNECTION_DATABASE_URL=postgres_url)
    assert checked.returncode == 1
    assert "Traceback" not in checked.stderr
    assert f"newer than this workbook's {SCHEMA_VERSION}" in checked.stderr
    assert "the workbook did not start" in checked.stderr
    # A revision Alembic does not know (a newer workbook's migration) is refused the same way.
    unknown_url = postgres.new_database()
    Store(unknown_url).close()
    unknown = Store(unknown_url)
    with unknown.writing() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099'"))
        connection.execute(text("UPDATE meta SET value = '3' WHERE key = 'schema_version'"))
    unknown.close()
    refused = _check(tmp_path / "data", RECONNECTION_DATABASE_URL=unknown_url)
    assert refused.returncode == 1
    assert "newer than this workbook's" in refused.stderr


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("RECONNECTION_SQLITE_SYNCHRONOUS", "OFF"),
        ("RECONNECTION_BACKUP_HOURS", "daily"),
        ("RECONNECTION_BACKUP_KEEP", "0"),
        ("RECONNECTION_RETENTION_DAYS", "soon"),
    ],
)
def test_a_mistyped_setting_is_one_message(tmp_path, setting, value):
    checked = _check(tmp_path / "data", **{setting: value})
    assert checked.returncode == 1
    assert "Traceback" not in checked.stderr
    assert setting in checked.stderr
    assert repr(value) in checked.stderr or value in checked.stderr
