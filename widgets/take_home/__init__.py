"""What a participant takes home: their workbook as PDF or web page, and the printable worksheets.

Each section's model returns plain ``blocks.py`` blocks (``report_blocks``, ``worksheet_blocks``);
``export.py`` assembles them into a document and writes its web page, ``_pdf.py`` draws its PDF,
``files.py`` makes the files a page offers, ``view.py`` is the download panel on a page, and
``worksheets.py`` writes the printable set (``./workbook worksheets``). Nothing is imported here.
"""
