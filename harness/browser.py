"""Debian's Chromium and the settings the tests and the benchmarks start it with (headless, quiet)."""

from __future__ import annotations

import os

CHROMIUM = os.environ.get("RECONNECTION_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
