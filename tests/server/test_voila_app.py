"""The workbook's Voilà: quiet about notebooks that have nothing to trust, as Jupyter is about the rest."""

from __future__ import annotations

import logging

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from widgets.server.voila_app import NotebookFiles


def _notebook(with_output: bool):
    cell = new_code_cell("from widgets.pages import welcome\nwelcome()")
    if with_output:
        cell.outputs = [new_output("display_data", {"text/html": "<b>saved by someone</b>"})]
    return new_notebook(cells=[new_markdown_cell("# A page"), cell])


def test_a_notebook_without_outputs_is_trusted_without_a_warning(tmp_path, caplog):
    files = NotebookFiles(root_dir=str(tmp_path))
    notebook = _notebook(with_output=False)
    with caplog.at_level(logging.WARNING):
        files.mark_trusted_cells(notebook, "00-welcome.ipynb")
    assert [record.getMessage() for record in caplog.records if "trusted" in record.getMessage()] == []
    assert notebook.cells[1].metadata.get("trusted") is True


def test_a_notebook_with_unsigned_outputs_still_follows_jupyters_rule(tmp_path, caplog):
    files = NotebookFiles(root_dir=str(tmp_path))
    notebook = _notebook(with_output=True)
    files.log.propagate = True
    with caplog.at_level(logging.WARNING):
        files.mark_trusted_cells(notebook, "someone-elses.ipynb")
    assert any("someone-elses.ipynb is not trusted" in record.getMessage() for record in caplog.records)
    assert notebook.cells[1].metadata.get("trusted") is False


def test_the_tests_server_started_without_a_word_about_trust(voila_server):
    log = voila_server.log.read_text(encoding="utf-8", errors="replace")
    assert "is not trusted" not in log
