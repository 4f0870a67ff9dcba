"""Backups of the answer store and putting one back: ``./workbook backup [DIR]``, ``restore FILE``.

- **SQLite**: a consistent copy taken while the server runs, with SQLite's online backup API
  (``sqlite3.Connection.backup``: one read transaction, so writers are never blocked in WAL mode),
  written beside its final name, checked with ``PRAGMA integrity_check``, then renamed into place.
  A copy that fails its check is deleted. The copy is one self-contained file (journal mode DELETE).
- **PostgreSQL**: PostgreSQL's own ``pg_dump --format=custom``, checked by reading its table of
  contents back (``pg_restore --list``); ``pg_restore --clean --if-exists`` puts it back.

Backups are named by the UTC time they were taken, ``workbook-2026-12-02T031507Z.sqlite3`` (or
``.pgdump``), so their names sort by age. By default they go to ``backups/`` beside the store.

While serving, the server keeps rolling backups there (:class:`RollingBackups`, started by
`widgets.server.kernels.CappedKernelManager`): one at start unless the newest is younger than the
interval, then one per interval (``RECONNECTION_BACKUP_HOURS``, 24; 0 turns them off); only the
newest ``RECONNECTION_BACKUP_KEEP`` (7) are kept, and none older than that many intervals, so a deleted
workbook leaves every backup within a week by default.

A restore must not replace the store under a running server: every Voilà server of the workbook holds
a shared ``flock`` on ``serving.lock`` in the data folder for its whole life (the kernel, not the
process, releases it when the server dies, even by ``kill -9``), and a restore takes it exclusively,
without waiting. It refuses when it cannot. That covers the servers of this computer on this data
folder; servers on other machines sharing a PostgreSQL database must be stopped by hand.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO

from sqlalchemy.engine import URL, make_url

from widgets.store import SCHEMA_VERSION, Store, StoreError, default_location, default_path, describe_location

log = logging.getLogger(__name__)

BACKUP_HOURS_SETTING = "RECONNECTION_BACKUP_HOURS"
BACKUP_KEEP_SETTING = "RECONNECTION_BACKUP_KEEP"
DEFAULT_BACKUP_HOURS = 24
DEFAULT_BACKUP_KEEP = 7
SQLITE_SUFFIX = ".sqlite3"
POSTGRES_SUFFIX = ".pgdump"
BACKUP_PREFIX = "workbook-"
SERVING_LOCK = "serving.lock"
_SQLITE_MAGIC = b"SQLite format 3\x00"
_POSTGRES_MAGIC = b"PGDMP"
# Seconds pg_dump and pg_restore may take before a backup or a restore is given up.
_POSTGRES_TIMEOUT = 600


class BackupError(RuntimeError):
    """A backup or a restore could not be done; the message says why and what to do."""


class ServerRunning(BackupError):
    """A workbook server is using the store, so it cannot be replaced now."""


# --- settings and names ------------------------------------------------------------------------


def _whole_number(setting: str, default: int, least: int) -> int:
    raw = os.environ.get(setting, "").strip()
    try:
        value = int(raw) if raw else default
    except ValueError:
        raise BackupError(f"{setting} must be a whole number, got {raw!r}") from None
    if value < least:
        raise BackupError(f"{setting} must be at least {least}, got {value}")
    return value


def backup_hours() -> int:
    """Hours between rolling backups while serving (``RECONNECTION_BACKUP_HOURS``); 0: none."""
    return _whole_number(BACKUP_HOURS_SETTING, DEFAULT_BACKUP_HOURS, 0)


def backup_keep() -> int:
    """How many rolling backups are kept (``RECONNECTION_BACKUP_KEEP``)."""
    return _whole_number(BACKUP_KEEP_SETTING, DEFAULT_BACKUP_KEEP, 1)


def backup_days() -> int:
    """The most days a backup is kept, so the longest a deleted workbook can remain in one."""
    hours = backup_hours() or DEFAULT_BACKUP_HOURS
    return max(1, -(-backup_keep() * hours // 24))


def default_backup_dir() -> Path:
    """``backups/`` beside the SQLite store (the data folder, also with PostgreSQL)."""
    return default_path().parent / "backups"


def _is_server(location: str | Path) -> bool:
    return isinstance(location, str) and "://" in location and not location.startswith("sqlite")


def _sqlite_file(location: str | Path) -> Path:
    if isinstance(location, str) and "://" in location:
        return Path(make_url(location).database or "")
    return Path(location)


def backup_name(location: str | Path, moment: datetime) -> str:
    """``workbook-2026-12-02T031507Z.sqlite3`` (or ``.pgdump``): the UTC time, sortable."""
    suffix = POSTGRES_SUFFIX if _is_server(location) else SQLITE_SUFFIX
    return f"{BACKUP_PREFIX}{moment.astimezone(UTC):%Y-%m-%dT%H%M%SZ}{suffix}"


def taken_at(path: Path) -> datetime | None:
    """When a backup was taken, read from its name (``None`` if it is not a backup's name)."""
    stem = path.name.removeprefix(BACKUP_PREFIX).split(".", 1)[0]
    try:
        return datetime.strptime(stem, "%Y-%m-%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def backups_in(folder: Path, location: str | Path | None = None) -> list[Path]:
    """The backups in ``folder``, oldest first (of ``location``'s kind only, if given)."""
    suffixes = {POSTGRES_SUFFIX, SQLITE_SUFFIX}
    if location is not None:
        suffixes = {POSTGRES_SUFFIX if _is_server(location) else SQLITE_SUFFIX}
    if not folder.is_dir():
        return []
    found = [
        path
        for path in folder.iterdir()
        if path.is_file() and path.suffix in suffixes and taken_at(path) is not None
    ]
    return sorted(found, key=lambda path: taken_at(path) or datetime.min.replace(tzinfo=UTC))


def latest_backup(folder: Path, location: str | Path | None = None) -> Path | None:
    """The newest backup in ``folder``, or ``None``."""
    found = backups_in(folder, location)
    return found[-1] if found else None


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# --- the serving lock ----------------------------------------------------------------------------


def serving_lock_path() -> Path:
    """The lock file every workbook server on this data folder holds while it serves."""
    return default_path().parent / SERVING_LOCK


def hold_serving_lock() -> IO[bytes]:
    """Take the serving lock, shared (many servers may serve one store); keep the file open to hold it.

    Waits only while a restore holds it (a few seconds): a server must not open a store half put back.
    """
    path = serving_lock_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("ab")
    fcntl.flock(handle.fileno(), fcntl.LOCK_SH)
    return handle


@contextmanager
def no_server_running() -> Iterator[None]:
    """Hold the serving lock exclusively, or raise :class:`ServerRunning` at once."""
    path = serving_lock_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("ab") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ServerRunning(
                f"A workbook server is running with this store ({describe_location(default_location())}). "
                "Stop it first (Ctrl+C in the window where ./workbook serve runs), then restore again."
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


# --- PostgreSQL's programs -------------------------------------------------------------------------


def _postgres_program(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3]))
    if versions:
        return str(versions[-1])
    raise BackupError(
        f"PostgreSQL's {name} is not installed here: install PostgreSQL's client programs "
        "(on Debian or Ubuntu: apt-get install postgresql-client), then try again."
    )


def _libpq(location: str) -> tuple[str, dict[str, str]]:
    """The URL libpq's programs take (no driver name, no password), and the environment with the password.

    The password goes in ``PGPASSWORD`` so that it never shows in the process list.
    """
    url: URL = make_url(location)
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), environment


def _run(command: list[str], environment: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(  # noqa: S603 - PostgreSQL's own programs, arguments built here
            command, env=environment, capture_output=True, text=True, timeout=_POSTGRES_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        raise BackupError(f"{Path(command[0]).name} did not finish within {_POSTGRES_TIMEOUT} s") from None


def _last_line(output: str) -> str:
    lines = [line.strip() for line in output.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


# --- backing up -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Backup:
    """A backup written and checked."""

    path: Path
    seconds: float
    size: int


def check_backup(path: Path) -> str:
    """Check a backup file before it is trusted; return its kind, ``"sqlite"`` or ``"postgresql"``.

    Raises
    ------
    BackupError
        If the file is missing, of neither kind, or damaged (the message says which).
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(len(_SQLITE_MAGIC))
    except OSError as error:
        raise BackupError(f"cannot read the backup {path}: {error.strerror}") from None
    if head.startswith(_POSTGRES_MAGIC):
        listed = _run([_postgres_program("pg_restore"), "--list", str(path)])
        if listed.returncode != 0:
            raise BackupError(f"the backup {path} is damaged: {_last_line(listed.stderr)}")
        return "postgresql"
    if head != _SQLITE_MAGIC:
        raise BackupError(f"{path} is not a backup of the workbook (neither SQLite nor pg_dump's format)")
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            version = connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"the backup {path} is damaged: {error}") from None
    if problems != ["ok"]:
        raise BackupError(f"the backup {path} is damaged: {problems[0]}")
    if version is None or int(version[0]) > SCHEMA_VERSION:
        raise BackupError(f"{path} is not a backup this workbook can read (schema {version and version[0]})")
    return "sqlite"


def _back_up_sqlite(store_file: Path, target: Path) -> None:
    if not store_file.is_file():
        raise BackupError(f"there is no store at {store_file} yet: nothing to back up")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        # Read-only: never create an empty store where none is, nor delete a damaged one's WAL.
        source = sqlite3.connect(f"file:{store_file}?mode=ro", uri=True, timeout=30)
        destination = sqlite3.connect(partial)
        try:
            # All pages in one step: one read transaction, which in WAL mode blocks no writer (a backup
            # in many steps starts over whenever another process writes in between).
            source.backup(destination)
            # One self-contained file: the copy would otherwise say "WAL" like its source.
            destination.execute("PRAGMA journal_mode=DELETE")
        finally:
            destination.close()
            source.close()
        _fsync(partial)
    except sqlite3.DatabaseError as error:
        partial.unlink(missing_ok=True)
        raise BackupError(f"the store {store_file} could not be copied: {error}") from None
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise BackupError(f"the backup could not be written to {target.parent}: {error.strerror}") from None
    try:
        check_backup(partial)
    except BackupError as error:
        partial.unlink(missing_ok=True)
        raise BackupError(f"{error}. The bad copy was deleted; no backup was made.") from None
    os.replace(partial, target)


def _back_up_postgres(location: str, target: Path) -> None:
    partial = target.with_name(target.name + ".partial")
    url, environment = _libpq(location)
    dumped = _run(
        [_postgres_program("pg_dump"), "--format=custom", f"--file={partial}", f"--dbname={url}"],
        environment,
    )
    if dumped.returncode != 0:
        partial.unlink(missing_ok=True)
        raise BackupError(
            f"pg_dump could not back up {describe_location(location)}: {_last_line(dumped.stderr)}"
        )
    try:
        check_backup(partial)
    except BackupError as error:
        partial.unlink(missing_ok=True)
        raise BackupError(f"{error}. The bad copy was deleted; no backup was made.") from None
    _fsync(partial)
    os.replace(partial, target)


def back_up(location: str | Path, folder: Path, now: datetime | None = None) -> Backup:
    """Write a checked backup of the store at ``location`` into ``folder``; return it.

    Safe while the server runs and pages write.
    """
    started = time.monotonic()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(f"cannot make the backup folder {folder}: {error.strerror}") from None
    target = folder / backup_name(location, now or datetime.now(UTC))
    if _is_server(location):
        _back_up_postgres(str(location), target)
    else:
        _back_up_sqlite(_sqlite_file(location), target)
    _fsync(folder)
    return Backup(target, time.monotonic() - started, target.stat().st_size)


def prune(
    folder: Path, location: str | Path, keep: int, hours: int, now: datetime | None = None
) -> list[Path]:
    """Delete backups beyond the newest ``keep``, and any older than ``keep`` intervals; return them.

    The age limit is what "What is kept" promises: a deleted workbook stays in no backup longer.
    """
    found = backups_in(folder, location)
    oldest_allowed = (now or datetime.now(UTC)) - timedelta(hours=keep * (hours or DEFAULT_BACKUP_HOURS))
    doomed = found[:-keep] + [
        path for path in found[-keep:] if (taken_at(path) or oldest_allowed) < oldest_allowed
    ]
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


def rolling_backup(location: str | Path, folder: Path, hours: int, keep: int) -> Backup | None:
    """The rolling backup's one step: prune; back up if the newest is older than ``hours``; prune.

    Servers sharing the folder (``--workers``) take turns: one that finds another at it does nothing.
    """
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".rolling.lock").open("ab") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return None
        now = datetime.now(UTC)
        prune(folder, location, keep, hours, now)
        newest = latest_backup(folder, location)
        newest_at = taken_at(newest) if newest is not None else None
        if newest_at is not None and now - newest_at < timedelta(hours=hours):
            return None
        made = back_up(location, folder, now)
        prune(folder, location, keep, hours, now)
        return made


class RollingBackups:
    """Rolling backups from inside the server: at start, then every ``hours``, never on the event loop.

    The check runs at least hourly (a laptop asleep through the due time backs up when it wakes); the
    backup itself runs in a thread, so pages are served meanwhile.
    """

    def __init__(self, location: str | Path, folder: Path, hours: int, keep: int) -> None:
        self.location, self.folder, self.hours, self.keep = location, folder, hours, keep
        self._running = threading.Lock()
        self.last: Backup | None = None

    def start(self) -> None:
        """Schedule the checks on the running tornado loop (nothing if rolling backups are off)."""
        from tornado.ioloop import IOLoop, PeriodicCallback

        if self.hours == 0:
            return
        IOLoop.current().add_callback(self.tick)
        check_every = min(self.hours, 1) * 3600 * 1000
        self._periodic = PeriodicCallback(self.tick, check_every)
        self._periodic.start()

    async def tick(self) -> None:
        """One check, in a thread; a failure is logged, never raised into the server."""
        if not self._running.acquire(blocking=False):
            return
        try:
            made = await asyncio.get_running_loop().run_in_executor(
                None, rolling_backup, self.location, self.folder, self.hours, self.keep
            )
            if made is not None:
                self.last = made
                log.info("backup written: %s (%.1f s)", made.path, made.seconds)
        except (BackupError, StoreError, OSError) as error:
            log.warning("the rolling backup failed: %s", error)
        finally:
            self._running.release()


# --- restoring ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Restored:
    """What a restore did."""

    store: str
    set_aside: list[Path]
    participants: int
    seconds: float


def _stamp(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y-%m-%dT%H%M%SZ}"


def _restore_sqlite(store_file: Path, backup: Path, now: datetime) -> list[Path]:
    store_file.parent.mkdir(parents=True, exist_ok=True)
    incoming = store_file.with_name(store_file.name + ".restoring")
    shutil.copyfile(backup, incoming)
    _fsync(incoming)
    set_aside = []
    # The file and its WAL move together, so the replaced store stays a readable pair; the -shm index
    # is SQLite's to rebuild.
    replaced = f"{store_file.name}.replaced-{_stamp(now)}"
    for suffix in ("", "-wal"):
        current = store_file.with_name(store_file.name + suffix)
        if current.exists():
            aside = store_file.with_name(replaced + suffix)
            os.replace(current, aside)
            set_aside.append(aside)
    store_file.with_name(store_file.name + "-shm").unlink(missing_ok=True)
    os.replace(incoming, store_file)
    _fsync(store_file.parent)
    return set_aside


def _restore_postgres(location: str, backup: Path, folder: Path, now: datetime) -> list[Path]:
    url, environment = _libpq(location)
    database = make_url(location).database or "workbook"
    aside = folder / f"{database}.replaced-{_stamp(now)}{POSTGRES_SUFFIX}"
    folder.mkdir(parents=True, exist_ok=True)
    dumped = _run(
        [_postgres_program("pg_dump"), "--format=custom", f"--file={aside}", f"--dbname={url}"], environment
    )
    if dumped.returncode != 0:
        aside.unlink(missing_ok=True)
        raise BackupError(
            f"the database now in {describe_location(location)} could not be kept aside first "
            f"(pg_dump: {_last_line(dumped.stderr)}), so nothing was restored"
        )
    restored = _run(
        [
            _postgres_program("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={url}",
            str(backup),
        ],
        environment,
    )
    if restored.returncode != 0:
        raise BackupError(
            f"pg_restore could not restore {backup} (nothing was changed): {_last_line(restored.stderr)}"
        )
    return [aside]


def restore(location: str | Path, backup: Path, folder: Path | None = None) -> Restored:
    """Put ``backup`` back as the store at ``location``, keeping what it replaces aside.

    Refuses while a workbook server is running (:class:`ServerRunning`), and checks the backup first.
    """
    started = time.monotonic()
    kind = check_backup(backup)
    wanted = "postgresql" if _is_server(location) else "sqlite"
    if kind != wanted:
        raise BackupError(
            f"{backup} is a {kind} backup, but the store is {wanted} ({describe_location(location)})"
        )
    now = datetime.now(UTC)
    with no_server_running():
        if kind == "sqlite":
            set_aside = _restore_sqlite(_sqlite_file(location), backup, now)
        else:
            set_aside = _restore_postgres(str(location), backup, folder or default_backup_dir(), now)
        store = Store(location)  # opens it as a page would (and upgrades an older backup's schema)
        try:
            participants = store.counts()["participants"]
        finally:
            store.close()
    return Restored(describe_location(location), set_aside, participants, time.monotonic() - started)


# --- the command line -----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """``python -m widgets.backups backup [DIR]`` or ``restore FILE``."""
    parser = argparse.ArgumentParser(prog="python -m widgets.backups", description=main.__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    backup_command = commands.add_parser("backup", help="write a checked backup of the store")
    backup_command.add_argument("folder", nargs="?", type=Path, default=None)
    restore_command = commands.add_parser("restore", help="put a backup back (the server stopped)")
    restore_command.add_argument("file", type=Path)
    options = parser.parse_args(argv)
    location = default_location()
    try:
        if options.command == "backup":
            folder = options.folder.resolve() if options.folder else default_backup_dir()
            made = back_up(location, folder)
            print(
                f"[workbook] backup written and checked: {made.path} ({made.size / 2**20:.1f} MiB, "
                f"{made.seconds:.1f} s)",
                file=sys.stderr,
            )
            return 0
        done = restore(location, options.file.resolve())
    except (BackupError, StoreError) as error:
        print(f"[workbook] {error}", file=sys.stderr)
        return 1
    print(
        f"[workbook] restored {options.file} into {done.store} ({done.participants} participant(s), "
        f"{done.seconds:.1f} s).",
        file=sys.stderr,
    )
    for path in done.set_aside:
        print(f"[workbook] what it replaced is kept aside as {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
