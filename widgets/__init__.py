"""The Reconnection Workbook: content, activity models and their widgets.

Notebooks import what they show from :mod:`widgets.pages`; the models
(:mod:`widgets.checkin`) and the content loader never import ipywidgets.
"""

from ._content import ContentError, load_content

__all__ = ["ContentError", "load_content"]
__version__ = "0.1.0"
