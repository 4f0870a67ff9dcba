"""Section 7, small steps: the planner of one to three small steps and the card.

``model.py``: its content schema, rules and scoring (no widgets); ``view.py``: its widgets and ``build``.
"""
