"""Section 2, handling it alone: beliefs about needing others, and a reframe for each.

``model.py``: its content schema, rules and scoring (no widgets); ``view.py``: its widgets and ``build``.
"""
