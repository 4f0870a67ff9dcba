"""Write the printable worksheets, A4 and US Letter.

Run as ``python -m widgets.worksheets [--out DIR]`` (``./workbook worksheets``). A command of the page
shell: it hands the sections (``widgets/registry.py``) to the take-home code.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from widgets.content_files import DEFAULT_LOCALE, content_dir, locales
from widgets.registry import SECTIONS
from widgets.take_home.files import PAPERS, worksheet_files
from widgets.workbook_content import load_content


def main(argv: list[str] | None = None) -> int:
    """Write each section's worksheet and the booklet, in both paper sizes, to ``--out``."""
    parser = argparse.ArgumentParser(prog="python -m widgets.worksheets", description=main.__doc__)
    parser.add_argument("--out", type=Path, default=Path("worksheets"), help="folder to write to")
    parser.add_argument(
        "--language", choices=locales(), default=DEFAULT_LOCALE, help="the language to write them in"
    )
    options = parser.parse_args(argv)
    options.out.mkdir(parents=True, exist_ok=True)
    content = load_content(content_dir(options.language))
    started = time.monotonic()
    count = 0
    for paper in PAPERS:
        for name, data in worksheet_files(content, paper, SECTIONS).items():
            (options.out / name).write_bytes(data)
            count += 1
    print(f"wrote {count} PDF files to {options.out} in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
