"""How long a backup and a restore take for a store of many participants (README "Reliability").

``python -m benchmarks.backup_figures [--participants 1000] [--postgres]`` fills a new store through
``Store.save``, as pages do: every participant answers every section and writes every note, the
answers made by the real activity views (each control answered as a person might), the notes of
a few sentences. Then it times ``./workbook backup`` (the online backup and its integrity check, or
``pg_dump`` and its check) and ``./workbook restore`` (the backup's check, the copy, the replaced store
kept aside, the store opened again) and the start-up check, and writes
``benchmarks/results/backups.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"
NOTE = (
    "This week I noticed that I text my brother more than I call him. I want to ask him for a walk on "
    "Sunday, even if it feels awkward at first. Participant {number} wrote this."
)


def _controls(widget: Any) -> list[Any]:
    found = [widget]
    for child in getattr(widget, "children", ()):
        found += _controls(child)
    return found


def answer_every_control(view: Any, text: str) -> None:
    """Answer every control of an activity's view, as a person might (follow-up questions included).

    Choices get their last option, check lists their first, text boxes ``text``, number boxes 2; the
    take-home's tests answer whole workbooks with it too.
    """
    from ipywidgets import Button

    from widgets.controls import CheckList, ChoiceGroup, NumberBox, TextBox

    for _round in range(3):  # some answers reveal follow-up questions
        for control in _controls(view):
            if isinstance(control, ChoiceGroup) and control.value is None and control.options:
                control.set_state({"value": control.options[-1][0]})
            elif isinstance(control, CheckList) and not control.value and control.options:
                control.set_state({"value": [control.options[0][0]]})
            elif isinstance(control, TextBox) and not control.value:
                control.set_state({"value": text})
            elif isinstance(control, NumberBox) and control.value is None:
                control.set_state({"value": 2.0})
            elif isinstance(control, Button) and control.description == "Add to my map":
                control.click()


def whole_workbook(folder: Path) -> dict[str, dict[str, Any]]:
    """Every section and note of one participant, as the real views save them."""
    from widgets import answers, load_content
    from widgets.answers import AnswerBook, note_key
    from widgets.participant import new_participant
    from widgets.registry import SECTIONS
    from widgets.store import Store

    content = load_content()
    participant = new_participant()
    store = Store(folder / "template.sqlite")
    answers.use(AnswerBook(store, participant))
    for section in content.sections.sections:
        answer_every_control(SECTIONS[section.slug].build(content, SECTIONS), "Sam, my neighbour 1")
        answers.current().save(note_key(section.slug), {"text": NOTE.format(number=1)})
    answers.use(AnswerBook())
    kept = store.load_all(participant.code_hash)
    store.close()
    return kept


def fill(location: str | Path, participants: int, workbook: dict[str, dict[str, Any]]) -> float:
    """Save ``workbook`` for each participant through ``Store.save``; return the seconds it took."""
    from widgets.store import Store

    store = Store(location)
    started = time.monotonic()
    for number in range(participants):
        code_hash = hashlib.sha256(f"participant {number}".encode()).hexdigest()
        for key, data in workbook.items():
            if key.startswith("note:"):
                data = {"text": NOTE.format(number=number)}
            store.save(code_hash, key, data)
    seconds = time.monotonic() - started
    store.close()
    return seconds


def measure(location: str | Path, data: Path, participants: int, workbook: dict) -> dict[str, Any]:
    """Fill, back up, restore; the figures."""
    from widgets.backups import back_up, restore
    from widgets.store import Store
    from widgets.store_check import check_store

    filled = fill(location, participants, workbook)
    store = Store(location)
    counts = store.counts()
    store.close()
    started = time.monotonic()
    check_store(location)  # what ./workbook serve waits for before it serves
    checked = time.monotonic() - started
    backup = back_up(location, data / "backups")
    restored = restore(location, backup.path, data / "backups")
    return {
        "participants": counts["participants"],
        "answer_rows": counts["answers"],
        "fill_seconds": round(filled, 1),
        "store_bytes": (data / "workbook.sqlite").stat().st_size if not isinstance(location, str) else None,
        "start_up_check_seconds": round(checked, 2),
        "backup_seconds": round(backup.seconds, 2),
        "backup_bytes": backup.size,
        "restore_seconds": round(restored.seconds, 2),
        "restored_participants": restored.participants,
    }


def main(argv: list[str] | None = None) -> int:
    """Measure and print; write the JSON."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.backup_figures", description=__doc__)
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--postgres", action="store_true", help="also on a throwaway PostgreSQL server")
    parser.add_argument("--out", type=Path, default=RESULTS / "backups.json")
    options = parser.parse_args(argv)
    results: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
    }
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="backup-figures-")))
        os.environ["RECONNECTION_DATA_DIR"] = str(folder / "sqlite")
        workbook = whole_workbook(folder)
        results["keys_per_participant"] = len(workbook)
        results["bytes_of_answers_per_participant"] = sum(len(json.dumps(data)) for data in workbook.values())
        results["sqlite"] = measure(
            folder / "sqlite" / "workbook.sqlite", folder / "sqlite", options.participants, workbook
        )
        print("SQLite:", results["sqlite"], flush=True)
        if options.postgres:
            from harness.postgres import throwaway_cluster

            cluster = stack.enter_context(throwaway_cluster())
            os.environ["RECONNECTION_DATA_DIR"] = str(folder / "postgres")
            results["postgresql"] = measure(
                cluster.new_database(), folder / "postgres", options.participants, workbook
            )
            results["postgresql"]["note"] = "throwaway cluster with fsync=off (harness/postgres.py)"
            print("PostgreSQL:", results["postgresql"], flush=True)
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
