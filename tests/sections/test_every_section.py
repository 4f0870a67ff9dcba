"""What every section promises, tested once over the registry of sections (not once per copy).

What is special to one section stays in its own tests (``test_<section>_model.py``).
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from section_contents import content_name

from widgets.contract import SectionActivity
from widgets.registry import SECTIONS

# A model is pure Python: what it imports, imported on its own, brings in none of these.
WIDGET_LIBRARIES = ("ipywidgets", "anywidget", "IPython")


def test_no_model_brings_in_a_widget_library_when_imported():
    """Read statically by tests/test_layout.py; here, what importing them really loads (in a fresh Python)."""
    models = sorted({activity.answers.__module__ for activity in SECTIONS})
    code = (
        f"import sys, importlib\n"
        f"for name in {models!r} + ['widgets.workbook_content', 'widgets.content_files']:\n"
        f"    importlib.import_module(name)\n"
        f"print(sorted(name for name in {WIDGET_LIBRARIES!r} if name in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert len(models) == 9


# --- what every section's content file and model promise, over the registry ----------------------

SHAREABLE = [activity for activity in SECTIONS if activity.shareable]


def _slug(activity: SectionActivity) -> str:
    return activity.slug


@pytest.mark.parametrize("activity", list(SECTIONS), ids=_slug)
def test_a_content_file_without_its_worksheet_words_is_refused(content_refusal, activity):
    refusal = content_refusal(content_name(activity), lambda data: data.pop("worksheet"))
    assert "worksheet: Field required" in refusal


@pytest.mark.parametrize("activity", SHAREABLE, ids=_slug)
def test_a_shareable_sections_file_without_its_group_words_is_refused(content_refusal, activity):
    refusal = content_refusal(content_name(activity), lambda data: data.pop("group"))
    assert "group: Field required" in refusal


@pytest.mark.parametrize("shared", [[], [{}], ["not a mapping", None, 3], [{"answers": {}}]])
@pytest.mark.parametrize("activity", SHAREABLE, ids=_slug)
def test_group_figures_are_empty_without_usable_answers(activity, shared):
    # What each section's own shape needs before it counts is in its model's tests.
    assert activity.group_figures(shared) == []


@pytest.mark.parametrize("saved", [{}, {"answers": {}}, "not a mapping", None])
@pytest.mark.parametrize("activity", list(SECTIONS), ids=_slug)
def test_report_blocks_are_empty_without_usable_answers(activity, saved):
    assert activity.report_blocks(saved) == []
