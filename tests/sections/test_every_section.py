"""What every section's model promises, tested once over the registry of sections (not once per copy)."""

from __future__ import annotations

import subprocess
import sys

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
