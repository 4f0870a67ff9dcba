"""The server-free edition (``./workbook static``).

The workbook as a website whose Python runs in the reader's browser (Pyodide), with its answers kept in
that browser only.

:mod:`build` makes the site at build time, from the same notebooks, content files, models and views as
the served workbook; :mod:`packages` brings Pyodide and the Python packages from the registries.
:mod:`bridge` and :mod:`device` run in the browser: the widgets' channel without a kernel, and the page
session whose answer book is the browser's own storage.
"""
