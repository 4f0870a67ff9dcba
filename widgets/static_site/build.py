"""``./workbook static [DIR]``: build the server-free edition, a folder any static web host can serve.

Made from the same notebooks, content files, models and views as the served workbook: each notebook's
Markdown becomes the page's text here (as Voilà's template would render it), and its code cells run
unchanged in the reader's browser, where :mod:`widgets.static_site.bridge` stands in for the kernel.
Everything shipped comes from the registries at build time (Pyodide from npm, the packages from PyPI:
:mod:`widgets.static_site.packages`) or from this repository; the site asks nothing of any other host.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.util
import json
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

from nbconvert.filters.markdown_mistune import markdown2html_mistune

from widgets.content_files import DEFAULT_LOCALE, content_dir, locales, use_locale
from widgets.rendering import parts, trusted
from widgets.static_site import packages
from widgets.workbook_content import Content, load_content

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / ".static-build"
PAGE_SCRIPTS = REPO / "frontend" / "dist" / "static"
SERVICE_WORKER = REPO / "frontend" / "src" / "static_sw.js"
SNAPSHOT_MAKER = Path(__file__).with_name("snapshot.mjs")
SNAPSHOT = "python/snapshot.bin.gz"
# The participant's pages: welcome (00), the nine sections and the summary (10). The facilitator's
# pages (20, 21) need a server: rooms are not in this edition.
READER_PAGES = "[01][0-9]-*.ipynb"
# What the browser never runs: the server's process, the store's migrations.
LEFT_OUT = ("widgets/server/", "widgets/migrations/")
FONTS = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf")
# Only the take-home PDF imports these (8 MB of the 44): the page fetches them after it is ready.
PDF_PACKAGES = ("fpdf", "fontTools", "defusedxml", "fpdf2-", "fonttools-", "defusedxml-")


def notebook_folder(locale: str) -> Path:
    """Where a language's notebooks are: the first language's in ``notebooks/``, others in a folder."""
    return REPO / "notebooks" if locale == DEFAULT_LOCALE else REPO / "notebooks" / locale


def page_of(notebook: Path, content: Content) -> tuple[dict[str, Any], dict[str, str]]:
    """One page: its text (Markdown made markup now) and its code cells' places; and those cells' code."""
    saved = json.loads(notebook.read_text(encoding="utf-8"))
    cells: list[dict[str, object]] = []
    code: dict[str, str] = {}
    for index, cell in enumerate(saved["cells"]):
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            made = markdown2html_mistune(source)
            cells.append(
                {"markdown": trusted(made, why="the notebook's own Markdown, rendered by nbconvert")}
            )
        elif cell["cell_type"] == "code" and source.strip():
            cells.append({"markdown": None, "index": index})
            code[str(index)] = source
    page = {
        "name": notebook.stem,
        "title": saved.get("metadata", {}).get("title") or content.workbook.title,
        "languages": parts.language_switch(content.locale, notebook.name),
        "cells": cells,
    }
    return page, code


def write_language(site: Path, locale: str, served_url: str) -> None:
    """The one page of a language's edition: ``index.html`` (``es/index.html`` for Spanish, and so on)."""
    use_locale(locale)
    content = load_content(content_dir(locale))
    pages, code = [], {}
    for notebook in sorted(notebook_folder(locale).glob(READER_PAGES)):
        page, cells = page_of(notebook, content)
        pages.append(page)
        code[page["name"]] = cells
    folder = site if locale == DEFAULT_LOCALE else site / locale
    folder.mkdir(parents=True, exist_ok=True)
    root = "" if locale == DEFAULT_LOCALE else "../"
    script_data = {
        "language": locale,
        "start": pages[0]["name"],
        "code": code,
        "servedUrl": served_url,
        "snapshot": SNAPSHOT,
    }
    (folder / "index.html").write_text(
        parts.static_site_page(content, root, pages, script_data), encoding="utf-8"
    )
    if locale == DEFAULT_LOCALE:
        (site / "away.html").write_text(parts.static_away_page(content), encoding="utf-8")


def write_workbook_zip(target: Path) -> int:
    """The workbook's own package, as the browser imports it.

    Code, content files, templates, scripts, and the article's text beside it (the take-home reads it
    from there, as on the server).
    """
    count = 0
    found = [*(REPO / "widgets").rglob("*"), *(REPO / "article").glob("*.txt")]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(found):
            name = path.relative_to(REPO).as_posix()
            if path.is_dir() or "__pycache__" in name or name.startswith(LEFT_OUT):
                continue
            archive.write(path, name)
            count += 1
    return count


def split_pdf_packages(packages_zip: Path, pdf_zip: Path) -> None:
    """Move the PDF's packages out of the pages' zip into a zip of their own, fetched later."""
    whole = packages_zip.with_suffix(".all.zip")
    packages_zip.rename(whole)
    with (
        zipfile.ZipFile(whole) as source,
        zipfile.ZipFile(packages_zip, "w", zipfile.ZIP_DEFLATED) as pages,
        zipfile.ZipFile(pdf_zip, "w", zipfile.ZIP_DEFLATED) as pdf,
    ):
        for info in source.infolist():
            top = info.filename.split("/")[0]
            target = pdf if top in PDF_PACKAGES or top.startswith(PDF_PACKAGES[3:]) else pages
            data = source.read(info)
            info.compress_type = zipfile.ZIP_DEFLATED  # a web host sends a .zip as it is
            target.writestr(info, data, compresslevel=9)
    whole.unlink()


def write_snapshot(site: Path) -> int:
    """Python started, its pure packages imported, as a memory snapshot: a return visit restores it.

    Gzipped here (a browser ungzips it with its own ``DecompressionStream``): a host sends it as it is.
    """
    raw = site / "python" / "snapshot.bin"
    node = shutil.which("node") or "node"  # ./workbook installs Node.js for the pages' scripts
    made = subprocess.run(  # noqa: S603 - Node and the build's own files
        [
            node,
            str(SNAPSHOT_MAKER),
            str(site / "pyodide"),
            str(site / "python" / "packages.zip"),
            str(site / "python" / "workbook.zip"),
            str(raw),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if made.returncode != 0:
        raise SystemExit(f"the memory snapshot could not be made (node snapshot.mjs):\n{made.stderr[-2000:]}")
    (site / SNAPSHOT).write_bytes(gzip.compress(raw.read_bytes(), compresslevel=6))
    raw.unlink()
    return (site / SNAPSHOT).stat().st_size


def copy_fonts(target: Path) -> None:
    """DejaVu Sans for the take-home PDF, from matplotlib's wheel (as the served workbook reads them)."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("matplotlib (for its DejaVu fonts) is not installed: run ./workbook static again")
    fonts = Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"
    target.mkdir(parents=True, exist_ok=True)
    for name in FONTS:
        shutil.copyfile(fonts / name, target / name)


def write_icons(site: Path) -> list[int]:
    """The home-screen icon, drawn here (Pillow, which matplotlib's wheel brings): people in a circle."""
    import math

    from PIL import Image, ImageDraw

    sizes = (192, 512)
    for size in sizes:
        image = Image.new("RGB", (size, size), (26, 74, 138))
        draw = ImageDraw.Draw(image)
        centre, ring, dot = size / 2, size * 0.28, size * 0.085
        for person in range(6):
            angle = math.tau * person / 6 - math.pi / 2
            x, y = centre + ring * math.cos(angle), centre + ring * math.sin(angle)
            draw.ellipse((x - dot, y - dot, x + dot, y + dot), fill=(255, 255, 255))
        draw.ellipse((centre - dot, centre - dot, centre + dot, centre + dot), fill=(255, 214, 153))
        image.save(site / f"icon-{size}.png", optimize=True)
    return list(sizes)


def write_manifest(site: Path, content: Content, icons: list[int]) -> None:
    """The web manifest: a phone can add the workbook to its home screen, and it opens like an app."""
    manifest = {
        "name": content.workbook.title,
        "short_name": "Reconnection",
        "lang": content.locale,
        "start_url": "./index.html",
        "scope": "./",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1a4a8a",
        "icons": [
            {"src": f"icon-{size}.png", "sizes": f"{size}x{size}", "type": "image/png"} for size in icons
        ],
    }
    (site / "manifest.webmanifest").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
    )


def write_service_worker(site: Path) -> str:
    """``sw.js``: every file of the site, kept by the browser at the first visit.

    So all of it opens offline after. Its version is the files' own hash: a new build replaces the old
    copies at once.
    """
    files = sorted(
        p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and p.name != "sw.js"
    )
    digest = hashlib.sha256()
    for name in files:
        digest.update(name.encode())
        digest.update((site / name).read_bytes())
    version = digest.hexdigest()[:16]
    head = f"const VERSION = {json.dumps(version)};\nconst FILES = {json.dumps(files)};\n"
    (site / "sw.js").write_text(head + SERVICE_WORKER.read_text(encoding="utf-8"), encoding="utf-8")
    return version


def build(site: Path, served_url: str = "", cache: Path = CACHE) -> dict[str, Any]:
    """Build the whole site in ``site`` (emptied first); return what was made, for the build's report."""
    started = time.monotonic()
    if not (PAGE_SCRIPTS / "static_page.js").is_file():
        raise SystemExit("the page's scripts are not built: run ./workbook static (it builds them)")
    shutil.rmtree(site, ignore_errors=True)
    (site / "pyodide").mkdir(parents=True)
    (site / "python").mkdir()
    core = packages.pyodide_core(cache)
    for name in packages.PYODIDE_FILES:
        shutil.copyfile(core / name, site / "pyodide" / name)
    report = packages.browser_packages(cache, site / "python" / "packages.zip")
    split_pdf_packages(site / "python" / "packages.zip", site / "python" / "pdf.zip")
    write_workbook_zip(site / "python" / "workbook.source.zip")
    packages.compile_zip(cache, site / "python" / "workbook.source.zip", site / "python" / "workbook.zip")
    (site / "python" / "workbook.source.zip").unlink()
    write_snapshot(site)
    copy_fonts(site / "fonts")
    for name in ("static_page.js", "static_page.css"):
        shutil.copyfile(PAGE_SCRIPTS / name, site / name)
    for locale in locales():
        write_language(site, locale, served_url)
    use_locale(DEFAULT_LOCALE)
    write_manifest(site, load_content(content_dir(DEFAULT_LOCALE)), write_icons(site))
    version = write_service_worker(site)
    files = [p for p in site.rglob("*") if p.is_file()]
    return {
        "folder": str(site),
        "files": len(files),
        "bytes": sum(p.stat().st_size for p in files),
        "seconds": round(time.monotonic() - started, 1),
        "version": version,
        "packages": report,
    }


def main(argv: list[str] | None = None) -> int:
    """``./workbook static [DIR] [--served-url URL]``."""
    parser = argparse.ArgumentParser(prog="./workbook static", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "folder", nargs="?", default=str(REPO / "site"), help="where to build (emptied first)"
    )
    parser.add_argument(
        "--served-url", default="", help="the address of a served workbook, for group sessions (optional)"
    )
    options = parser.parse_args(argv)
    made = build(Path(options.folder).resolve(), options.served_url)
    print(
        f"Built the server-free edition in {made['folder']}: {made['files']} files, "
        f"{made['bytes'] / 1e6:.1f} MB, in {made['seconds']} s. Upload the whole folder (README, "
        "'A workbook with no server')."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
