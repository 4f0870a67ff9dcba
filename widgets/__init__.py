"""The Reconnection Workbook: content, activity models and their widgets.

Notebooks import what they show from :mod:`widgets.pages`, and nothing else. The page shell sits at
this level; ``sections/<activity>/`` holds each activity's ``model.py`` (never imports ipywidgets) and
``view.py``; ``controls/``, ``room/`` and ``take_home/`` what pages share; ``server/`` what runs in the
Voilà server process (no page imports it); ``content/`` the words, as YAML files.
"""

from widgets.content_files import ContentError
from widgets.workbook_content import load_content

__all__ = ["ContentError", "load_content"]
__version__ = "0.1.0"
