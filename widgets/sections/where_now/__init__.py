"""Section 9, looking ahead: the check-in again beside section 1's, and patterns noticed.

``model.py``: its content schema, rules and scoring (no widgets); ``view.py``: its widgets and ``build``.
"""
