"""(g) Lighthouse's mobile audit of the welcome page and section 1: an outside check of the page's weight.

``./workbook bench --lighthouse``. Lighthouse 12 comes from npm (installed once into
``benchmarks/.lighthouse/``; Node.js from Debian) and drives Debian's Chromium with its default
**mobile** preset: a Moto G Power's screen, 4x slower CPU, and a simulated slow 4G link (150 ms, 1.6
Mbit/s). Lighthouse itself asks only the page's server; its own network use is turned off with the
same Chromium flags as every other browser here. Each page is audited ``--lighthouse-runs`` times
(3) and the median run kept, as Lighthouse's documentation advises for its variance.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path

from harness.browser import CHROMIUM, CHROMIUM_ARGS
from harness.server import REPO

LIGHTHOUSE = "lighthouse@12"
FOLDER = REPO / "benchmarks" / ".lighthouse"
PAGES = ("00-welcome.ipynb", "01-hidden-weight.ipynb")
# The audits reported beside the score (milliseconds, or what each measures).
AUDITS = (
    "first-contentful-paint",
    "largest-contentful-paint",
    "total-blocking-time",
    "speed-index",
    "interactive",
)


def ensure_lighthouse() -> Path:
    """Lighthouse's command-line script, installed from npm the first time."""
    script = FOLDER / "node_modules" / "lighthouse" / "cli" / "index.js"
    if not script.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("Lighthouse needs Node.js and npm: apt-get install nodejs npm")
        subprocess.run(
            [npm, "install", "--prefix", str(FOLDER), "--no-audit", "--no-fund", "--silent", LIGHTHOUSE],
            check=True,
        )
    return script


def _once(script: Path, url: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-lighthouse-") as folder:
        report = Path(folder) / "report.json"
        subprocess.run(
            [
                shutil.which("node") or "node",
                str(script),
                url,
                "--quiet",
                "--only-categories=performance",
                "--output=json",
                f"--output-path={report}",
                f"--chrome-flags={' '.join(CHROMIUM_ARGS)}",
            ],
            check=True,
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            timeout=600,
        )
        found = json.loads(report.read_text())
    audits = found["audits"]
    figures = {name: round(audits[name]["numericValue"]) for name in AUDITS}
    figures["score"] = round(found["categories"]["performance"]["score"] * 100)
    # A fraction (0.1 or less is good), so not rounded to a whole number as the times are.
    figures["cumulative-layout-shift"] = round(audits["cumulative-layout-shift"]["numericValue"], 3)
    compression = audits["uses-text-compression"].get("details", {})
    figures["text_compression_to_save_kib"] = round(compression.get("overallSavingsBytes", 0) / 1024)
    unused = audits["unused-javascript"].get("details", {})
    figures["unused_javascript_kib"] = round(unused.get("overallSavingsBytes", 0) / 1024)
    figures["short_cache_lifetime"] = len(audits["uses-long-cache-ttl"].get("details", {}).get("items", []))
    weight = audits["total-byte-weight"]
    figures["total_kib"] = round(weight["numericValue"] / 1024)
    figures["requests"] = len(audits["network-requests"].get("details", {}).get("items", []))
    return figures


def audit(server_url: str, runs: int = 3) -> dict:
    """Each page's median run (by performance score, then largest contentful paint)."""
    script = ensure_lighthouse()
    figures = {}
    for notebook in PAGES:
        found = [_once(script, f"{server_url}/voila/render/{notebook}") for _ in range(runs)]
        found.sort(key=lambda run: (run["score"], -run["largest-contentful-paint"]))
        figures[notebook] = found[len(found) // 2]
        figures[notebook]["score_range"] = [found[0]["score"], found[-1]["score"]]
        figures[notebook]["lcp_median_ms"] = statistics.median(
            run["largest-contentful-paint"] for run in found
        )
    return figures


def print_lighthouse(results: dict) -> None:
    """The Lighthouse table: one column per server and page."""
    columns = [(server, page) for server, pages in results.items() for page in pages]
    print("\n(g) Lighthouse 12, mobile preset (median of its runs)")
    print(f"{'':36}" + "".join(f"{server + ' ' + page[:2]:>18}" for server, page in columns))
    for key in (
        "score",
        *AUDITS,
        "cumulative-layout-shift",
        "total_kib",
        "requests",
        "text_compression_to_save_kib",
        "unused_javascript_kib",
        "short_cache_lifetime",
    ):
        print(f"{key:36}" + "".join(f"{results[server][page][key]:>18,}" for server, page in columns))
