"""Section 3, protective withdrawal: ways of pulling back, then and now (never scored or shared).

``model.py``: its content schema, rules and scoring (no widgets); ``view.py``: its widgets and ``build``.
"""
