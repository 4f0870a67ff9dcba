"""The Reconnection Workbook: content, activity models and their widgets.

Notebooks import what they show from :mod:`widgets.pages`; the models
(:mod:`widgets.sections.checkin.model`) and the content loader never import ipywidgets.
"""

from widgets.content_files import ContentError
from widgets.workbook_content import load_content

__all__ = ["ContentError", "load_content"]
__version__ = "0.1.0"
