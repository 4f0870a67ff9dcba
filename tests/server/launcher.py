"""Shared by the tests of what runs in the server process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def start_launcher(
    folder: Path, *arguments: str, database_url: str | None = None
) -> tuple[subprocess.Popen, Path]:
    """Start ``python -m widgets.server.launch ARGUMENTS`` as ``./workbook serve`` does; its process and log.

    The server gets a store of its own in ``folder`` (or ``database_url``), the repository's page
    template, no public address but what it finds itself, and no pools grown for rooms.
    """
    log = folder / "serve.log"
    environment = {
        **os.environ,
        "JUPYTER_PATH": str(REPO / "share" / "jupyter"),
        "RECONNECTION_DATA_DIR": str(folder / "data"),
    }
    environment.pop("RECONNECTION_PUBLIC_URL", None)
    if database_url is not None:
        environment["RECONNECTION_DATABASE_URL"] = database_url
    command = [sys.executable, "-m", "widgets.server.launch", *arguments]
    with log.open("w") as out:
        process = subprocess.Popen(
            [*command, "--CappedKernelManager.pools_for_rooms=False"],
            cwd=REPO,
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return process, log
