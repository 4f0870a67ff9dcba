"""Section 8, long-term resilience: who shares each kind of support, and the gaps.

``model.py``: its content schema, rules and scoring (no widgets); ``view.py``: its widgets and ``build``.
"""
