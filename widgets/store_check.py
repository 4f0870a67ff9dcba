"""The start-up check of the answer store: ``python -m widgets.store_check [--purge]``.

``./workbook serve`` runs it (with ``--purge``, the retention purge of `widgets.store`, once the store
has passed) before it serves anything.

Before the server serves anyone, the store is opened and checked: a SQLite file with SQLite's
``PRAGMA quick_check``, a PostgreSQL server by connecting to it; then its schema is read, and upgraded
if it is older. A problem is one message for the facilitator: which file or server, what is wrong, and
what to do (restore the latest backup, naming it, or move the file aside and start empty). Never a
traceback: a facilitator ten minutes before a session needs a way forward, not a stack.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.pool import NullPool

from widgets.store import (
    Store,
    StoreError,
    default_location,
    describe_location,
    retention_days,
    sqlite_synchronous,
)

__all__ = ["StoreProblem", "check_store", "main"]


class StoreProblem(RuntimeError):
    """The store cannot be served; the message is the whole explanation for the facilitator."""


def _latest(location: str | Path) -> tuple[Path, Path | None]:
    """The backup folder, and the newest backup of this kind of store in it (if any)."""
    from widgets.backups import default_backup_dir, latest_backup

    folder = default_backup_dir()
    return folder, latest_backup(folder, location)


def _when(backup: Path) -> str:
    from widgets.backups import taken_at

    taken = taken_at(backup)
    return f"{taken:%Y-%m-%d %H:%M} UTC" if taken else "at an unknown time"


def _restore_advice(location: str | Path) -> str:
    folder, latest = _latest(location)
    if latest is None:
        return f"There is no backup in {folder} to restore."
    return f"To go on, restore the latest backup (taken {_when(latest)}):\n    ./workbook restore {latest}"


def _move_aside(store_file: Path) -> str:
    # The WAL goes with the file, renamed as a pair (NAME.damaged, NAME.damaged-wal) so that SQLite
    # still reads them together; left behind, it would be replayed into the new, empty store.
    aside = f"{store_file}.damaged"
    # (The -shm index is rebuilt by the next start; an empty WAL holds nothing.)
    moves = [f"mv {store_file} {aside}"]
    wal = store_file.with_name(store_file.name + "-wal")
    if wal.is_file() and wal.stat().st_size > 0:
        moves.append(f"mv {wal} {aside}-wal")
    return " && ".join(moves)


def _damaged_file(store_file: Path, what: str) -> StoreProblem:
    folder, latest = _latest(store_file)
    opening = f"The answer store {store_file} is damaged ({what}), so the workbook did not start."
    move = f"    {_move_aside(store_file)}"
    if latest is None:
        return StoreProblem(
            f"{opening} There is no backup in {folder}.\n"
            "To start with an empty store, move the damaged file aside (keep it: its answers may still\n"
            f"be rescued), then run ./workbook serve again:\n{move}"
        )
    return StoreProblem(
        f"{opening}\nTo go on, do one of these, then run ./workbook serve again:\n"
        f"  - restore the latest backup, taken {_when(latest)}:\n    ./workbook restore {latest}\n"
        "  - or move the damaged file aside and start with an empty store (keep it: its answers may\n"
        f"    still be rescued):\n{move}"
    )


def _check_sqlite(store_file: Path) -> None:
    if not store_file.exists():
        return  # a first start: the store is made empty
    if not store_file.is_file():
        raise StoreProblem(
            f"The answer store {store_file} is not a file, so the workbook did not start. "
            "Move it away, or set RECONNECTION_DATA_DIR to another folder."
        )
    try:
        # Read-only: the check never makes a file, and never deletes one. (A read-write connection to a
        # file whose first page is garbage deletes the WAL beside it when it closes, and the WAL may
        # hold the latest answers.) quick_check reads every page, the WAL's newest versions included.
        connection = sqlite3.connect(f"file:{store_file}?mode=ro", uri=True, timeout=30)
        try:
            problems = [row[0] for row in connection.execute("PRAGMA quick_check")]
        finally:
            connection.close()
    except sqlite3.OperationalError as error:
        if "unable to open" in str(error) or "readonly" in str(error):
            raise StoreProblem(
                f"The answer store {store_file} cannot be opened ({error}), so the workbook did not start. "
                "Check that this user may read and write it and its folder, then try again."
            ) from None
        raise _damaged_file(store_file, f"SQLite says: {error}") from None
    except sqlite3.DatabaseError as error:
        raise _damaged_file(store_file, f"SQLite says: {error}") from None
    if problems != ["ok"]:
        # One line of SQLite's list is enough for the facilitator; its rows may hold many lines each.
        lines = [line for row in problems for line in row.splitlines() if line and not line.startswith("***")]
        first = lines[0] if lines else "problems"
        more = f" and {len(lines) - 1} more problem(s)" if len(lines) > 1 else ""
        raise _damaged_file(store_file, f"SQLite's check found: {first}{more}")


def _check_server(location: str) -> None:
    where = describe_location(location)
    try:
        engine = create_engine(location, poolclass=NullPool, connect_args={"connect_timeout": 5})
    except (ArgumentError, ImportError) as error:
        raise StoreProblem(
            f"RECONNECTION_DATABASE_URL ({where}) cannot be used ({error}), so the workbook did not start. "
            "Check the URL, e.g. postgresql+psycopg://workbook@db.example.org/workbook"
        ) from None
    try:
        with engine.connect():
            pass
    except DBAPIError as error:
        reason = str(error.orig).strip().splitlines()[-1] if str(error.orig).strip() else "no answer"
        raise StoreProblem(
            f"The answer store's database server {where} cannot be reached ({reason}), so the workbook "
            "did not start. Check that PostgreSQL is running there, that this computer can reach it, "
            "and that RECONNECTION_DATABASE_URL is right, then run ./workbook serve again."
        ) from None
    finally:
        engine.dispose()


def check_store(location: str | Path) -> str:
    """Check the store at ``location`` as the server's start needs it; return a one-line report.

    Raises
    ------
    StoreProblem
        With the whole message for the facilitator.
    """
    try:
        # Settings first: a mistyped one is a clear message here, not a failure in every page.
        sqlite_synchronous()
        retention_days()
        from widgets.backups import BackupError, backup_hours, backup_keep

        try:
            backup_hours()
            backup_keep()
        except BackupError as error:
            raise StoreError(str(error)) from None
    except StoreError as error:
        raise StoreProblem(f"{error}; the workbook did not start.") from None
    server = isinstance(location, str) and "://" in location and not location.startswith("sqlite")
    if server:
        _check_server(str(location))
    else:
        _check_sqlite(Path(str(location).removeprefix("sqlite:///")))
    try:
        store = Store(location)  # reads the schema; upgrades an older one, refuses a newer one
    except StoreError as error:
        advice = _restore_advice(location)
        raise StoreProblem(f"{error}; the workbook did not start.\n  {advice}") from None
    try:
        counts = store.counts()
        version = store.schema_version()
    except (StoreError, DBAPIError) as error:
        raise StoreProblem(f"The answer store {store.where} could not be read ({error}).") from None
    finally:
        store.close()
    return f"answer store {store.where} checked: schema {version}, {counts['participants']} participant(s)"


def main(argv: list[str] | None = None) -> int:
    """Check the store; with ``--purge``, then purge it as ``python -m widgets.store --purge`` does."""
    parser = argparse.ArgumentParser(prog="python -m widgets.store_check", description=main.__doc__)
    parser.add_argument("--purge", action="store_true", help="then delete participants inactive too long")
    options = parser.parse_args(argv)
    try:
        print(f"[workbook] {check_store(default_location())}")
    except StoreProblem as problem:
        print(f"[workbook] {problem}", file=sys.stderr)
        return 1
    if options.purge:
        from widgets.store import main as store_main

        return store_main(["--purge"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
