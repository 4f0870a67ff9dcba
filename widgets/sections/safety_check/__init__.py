"""Section 6, safe relationships: the relational safety check of one relationship.

``model.py``: its content schema, rules and scoring (no widgets); ``view.py``: its widgets and ``build``.
"""
