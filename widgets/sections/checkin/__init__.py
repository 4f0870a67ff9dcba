"""Section 1, the hidden weight: the connection check-in (six questions, a reflection band).

``model.py``: its content schema, rules and scoring (no widgets); ``view.py``: its widgets and ``build``.
"""
