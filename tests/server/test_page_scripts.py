"""The pages' own scripts: found, named by their content, and a clear stop when they were never built."""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

import pytest

from widgets.server.page_scripts import PAGE_FILES, bundle_digest, bundle_dir, page_urls

REPO = Path(__file__).resolve().parents[2]


def _bundle(folder, script: str = "console.log(1);", styles: str = "body{}") -> None:
    (folder / "page.js").write_text(script)
    (folder / "page.css").write_text(styles)


def test_the_built_bundle_is_where_the_server_looks():
    assert all((bundle_dir() / name).stat().st_size > 0 for name in PAGE_FILES)
    assert len(bundle_digest()) == 20


def test_the_digest_names_the_content_so_a_new_build_gets_a_new_address(tmp_path):
    _bundle(tmp_path)
    first = bundle_digest(tmp_path)
    assert bundle_digest(tmp_path) == first
    _bundle(tmp_path, styles="body{margin:0}")
    assert bundle_digest(tmp_path) != first


def test_a_bundle_never_built_stops_the_server_with_one_clear_sentence(tmp_path, monkeypatch):
    monkeypatch.setenv("RECONNECTION_PAGE_BUNDLE", str(tmp_path))
    with pytest.raises(SystemExit) as stopped:
        bundle_digest()
    assert "./workbook serve" in str(stopped.value)
    assert "page.js" in str(stopped.value)


def test_the_page_config_names_both_files_under_the_base_url():
    urls = page_urls("/base/", "0123456789abcdef0123")
    assert urls == {
        "workbookScript": "/base/workbook/page/0123456789abcdef0123/page.js",
        "workbookStyle": "/base/workbook/page/0123456789abcdef0123/page.css",
    }


def test_the_bundle_carries_the_anywidget_front_end_of_the_installed_python_package():
    """anywidget's two halves talk over one protocol: the bundle's (npm) and the kernel's (PyPI) agree."""
    wanted = json.loads((REPO / "frontend" / "package.json").read_text())["dependencies"]["anywidget"]
    installed = version("anywidget")
    assert wanted.split(".")[:2] == installed.split(".")[:2], (wanted, installed)
