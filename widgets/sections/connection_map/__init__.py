"""Section 4, what community means: the connection map of people and groups in circles.

``model.py``: its content schema, rules and scoring (no widgets); ``view.py``: its widgets and ``build``.
"""
