"""Section 5, how isolation replaces connection: hours in a week, patterns and the cycle.

``model.py``: its content schema, rules and scoring (no widgets); ``view.py``: its widgets and ``build``.
"""
