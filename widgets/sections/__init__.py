"""The nine sections' activities, one folder each: ``model.py``, ``view.py`` and ``ACTIVITY``.

``model.py`` holds the activity's content schema, its rules and scoring, and what it gives the rest
of the workbook (``summary_lines``, ``group_figures``, ``report_blocks``, ``worksheet_blocks``, the
shape of its saved answers); it never imports ipywidgets. ``view.py`` holds its widgets and
``build(content)``. The package's ``ACTIVITY`` (a :class:`widgets.contract.SectionActivity`) says all
of it in one place; ``widgets/registry.py`` lists them in section order.
"""
