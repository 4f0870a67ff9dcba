"""What a participant takes home: their workbook as PDF or web page, and the printable worksheets.

Each section's activity returns plain blocks (``widgets/blocks.py``: ``report_blocks``,
``worksheet_blocks``), handed over by the page shell with the sections (``widgets/contract.py``);
``export.py`` assembles them into a document and writes its web page, ``_pdf.py`` draws its PDF,
``files.py`` makes the files a page offers, and ``view.py`` is the download panel on a page
(``widgets/worksheets.py`` writes the printable set: ``./workbook worksheets``). Nothing is imported here.
"""
