"""Screenshots of every page, to show that a restructure changed nothing anyone can see.

Two commands::

    .venv/bin/python -m benchmarks.screenshots capture OUT_DIR [--repo PATH]
    .venv/bin/python -m benchmarks.screenshots compare BEFORE_DIR AFTER_DIR [--report FILE] [--diffs DIR]

**capture** starts the real workbook server (``harness.server.serve``, as ``./workbook serve`` runs
it) from the checkout at ``PATH`` (this repository by default): its working folder is ``PATH``,
``PYTHONPATH`` is ``PATH`` (so the server, the warm parent and every kernel import ``widgets`` from
that tree, not from the one installed in ``.venv``), and ``JUPYTER_PATH`` is ``PATH/share/jupyter``
(the page template). It checks that this holds: the server runs in ``PATH``, Python started with
the server's environment in ``notebooks/`` (as a kernel is) finds ``widgets`` in ``PATH``, and every
kernel's environment names ``PATH``; the answer is in ``OUT_DIR/manifest.json``. Then Debian's
Chromium (``harness.browser``) takes a full-page screenshot of each page at two viewports, 360x800
and 1280x900, each in a fresh browser context (no cookie: a new participant, with nothing
answered): every notebook in ``notebooks/`` (the welcome page, the nine sections, the summary, the
facilitator page opened from its link, the session guide), the facilitator's dashboard just after
"Open a new room" for 5 people, and two pages the server answers itself: the question a link with
``?code=`` asks (for a well-formed code nobody has) and the page for whoever opens the facilitator
page without its token. Files are named ``PAGE-WIDTH.png``; ``OUT_DIR``'s earlier PNGs are removed
first.

A Voilà page is shot once its script has drawn every widget (``#loading`` gone, no cell output left
unrendered), the network is idle, the fonts are loaded and two frames have been painted; then it is
shot again until two shots in a row are the same bytes (the page has stopped changing). Animations
are off (``reduced_motion="reduce"`` and Playwright's ``animations="disabled"``), the caret hidden,
the locale ``en-US``, the time zone UTC, one device pixel per CSS pixel. A page that was not drawn in
time, never stopped changing or shows a failed cell is still shot, named in the console and the
manifest, and makes the command exit 1. Two captures of one commit compare identical.

**Masked** (Playwright paints each element's box in flat magenta, #FF00FF), because it differs from
one run to the next and says nothing about the restructure:

- ``.rw-code``: the participant's workbook code in the bar (a fresh random code in every context);
- ``.rw-qr``: the room's QR code (it encodes the join link, so the room code and the server's port);
- ``.rw-room-code strong``, ``.rw-console-code strong``: the room's join code (random);
- ``.rw-room-address`` and ``.rw-join-link``: the short address and the join link (the server's
  port, a free one each run, and the room code).

Their text is also drawn transparent (``style``, during the shot only): a glyph's anti-aliased edge
can reach a pixel past its element's box, out from under the mask (seen once: one pixel beside the
room code). Nothing else is random on these pages in the state they are shot in: the link question
names the code's last four characters, fixed here; dates appear only in downloads and in "What is
kept about me" after a click, neither of which is shot. Each masked box keeps its place and size, so
text that moved around it still shows.

**compare** pairs the PNGs of the same name in the two folders and says, for each, whether the pixels
are identical; where they are not, how many pixels differ, the box around them and the bands of rows
they are in; and a size that changed (pixels are compared over the area both share). With
``--report`` it writes that as Markdown, with ``--diffs`` an image per differing pair (the after shot,
faded, with the differing pixels in red; the folder's earlier PNGs are removed first). It exits 1
when any pair differs or is missing, else 0.
"""

from __future__ import annotations

import argparse
import json
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import psutil
from PIL import Image, ImageChops
from playwright.sync_api import Browser, Locator, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from harness.browser import CHROMIUM, CHROMIUM_ARGS
from harness.server import REPO, Server, kernel_processes, serve

VIEWPORTS = ((360, 800), (1280, 900))
# The server's setting for its facilitator token (widgets.room.access), named here rather than imported:
# this command must work while the package it screenshots is half restructured.
FACILITATOR_SETTING = "RECONNECTION_FACILITATOR_TOKEN"
FACILITATOR_NOTEBOOK = "20-facilitator.ipynb"
FACILITATOR_QUERY = "token={facilitator}"  # the facilitator link's query, with the run's token
ROOM_SIZE = "5"  # the fewest a room may expect: its pages are made ahead, so fewer is quicker
OPEN_ROOM_LABEL = "Open a new room"
LINK_CODE = "ABCD-EFGH-JKMN-PQRS"  # well formed (widgets.participant.parse_code), nobody's workbook
MASKED = (
    ".rw-code",
    ".rw-qr",
    ".rw-room-code strong",
    ".rw-console-code strong",
    ".rw-room-address",
    ".rw-join-link",
)
MASK_COLOUR = "#FF00FF"
# A glyph's edge may reach a pixel past its element's box, out from under the mask: no glyph is drawn.
MASK_STYLE = (
    ", ".join(MASKED) + " { color: transparent !important; -webkit-text-fill-color: transparent !important;"
    " text-shadow: none !important; }"
)
PAGE_TIMEOUT_MS = 90_000  # the first pages wait while the server's preheated kernels start
SETTLE_TIMEOUT_MS = 15_000
ROOM_TIMEOUT_MS = 30_000
STEADY_TRIES = 6  # shots until two in a row are the same
STEADY_PAUSE_MS = 250
MANIFEST = "manifest.json"

# Every widget drawn: the page's script removes #loading last, after each cell output became a widget.
RENDERED = """() => !document.getElementById('loading')
    && !document.querySelector('script[type="application/vnd.voila.cell-output+json"]')"""
CELL_ERRORS = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
PAINTED = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"
# The height the viewport needs when the cells scroll inside their own box (0 when the page scrolls).
INNER_SCROLL_HEIGHT = """() => {
    const cells = document.getElementById('rendered_cells');
    if (!cells || cells.scrollHeight <= cells.clientHeight + 1) return 0;
    return document.documentElement.scrollHeight + cells.scrollHeight - cells.clientHeight;
}"""


@dataclass(frozen=True)
class PageToShoot:
    """One page: its screenshot's name, its notebook and query, and how it becomes ready."""

    name: str
    notebook: str
    query: str = ""  # ``{facilitator}`` stands for the facilitator token
    voila: bool = True  # a page Voilà renders (else one the server answers itself, with no widgets)
    opens_room: bool = False


@dataclass
class Shot:
    """What one screenshot was taken of, and how it went."""

    file: str
    address: str
    status: int = 0  # the page's HTTP status; 0 if it did not load
    seconds: float = 0.0
    rendered: bool = False
    steady: bool = False
    cell_errors: int = 0  # cell outputs that are errors (a cell that failed) or text on stderr
    error: str = ""  # what the browser said when it could not go on with the page

    @property
    def good(self) -> bool:
        """Whether the page was drawn, stopped changing and showed no error."""
        return self.rendered and self.steady and not self.cell_errors and not self.error

    def line(self) -> str:
        """One line for the console: the file, the HTTP status, the time, and what was wrong if anything."""
        line = f"{self.file}: {self.status}, {self.seconds} s"
        if not self.good:
            line += f"  (rendered {self.rendered}, steady {self.steady}, cell errors {self.cell_errors})"
        return line + (f"  {self.error}" if self.error else "")


# --- capture --------------------------------------------------------------------------------------


def pages_to_shoot(repo: Path) -> list[PageToShoot]:
    """Every notebook's page, the facilitator's dashboard with a room open, and the server's own pages."""
    notebooks = sorted(path.name for path in (repo / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    sections = [name for name in notebooks if "01" <= name[:2] <= "09"]
    if len(sections) != 9 or FACILITATOR_NOTEBOOK not in notebooks:
        raise SystemExit(f"{repo}/notebooks has not the nine sections and {FACILITATOR_NOTEBOOK}")
    pages = [
        PageToShoot(Path(name).stem, name, FACILITATOR_QUERY if name == FACILITATOR_NOTEBOOK else "")
        for name in notebooks
    ]
    pages.append(PageToShoot("20-facilitator-room", FACILITATOR_NOTEBOOK, FACILITATOR_QUERY, opens_room=True))
    pages.append(PageToShoot("server-link-question", sections[0], f"code={LINK_CODE}", voila=False))
    pages.append(PageToShoot("server-facilitator-only", FACILITATOR_NOTEBOOK, voila=False))
    return pages


def _commit(repo: Path) -> str:
    """The checkout's commit, read only (``git rev-parse``), and whether files differ from it."""
    head = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    changed = subprocess.run(
        ["git", "-C", str(repo), "status", "--porcelain"], capture_output=True, text=True
    )
    return head.stdout.strip() + (" with uncommitted changes" if changed.stdout.strip() else "")


def _widgets_origin(server: Server, repo: Path) -> dict[str, object]:
    """Where the server and its kernels take ``widgets`` from; raises unless it is ``repo``.

    Python started with the server's environment in ``notebooks/`` (as a kernel is) must find it in
    ``repo``, the server must run in ``repo``, and every running kernel's environment must name it.
    """
    probe = subprocess.run(
        [sys.executable, "-c", "import importlib.util; print(importlib.util.find_spec('widgets').origin)"],
        cwd=repo / "notebooks",
        env=server.env,
        capture_output=True,
        text=True,
        check=True,
    )
    imported = Path(probe.stdout.strip()).resolve()
    server_folder = Path(psutil.Process(server.process.pid).cwd()).resolve()
    kernels = kernel_processes(server)
    kernel_paths = {process.environ().get("PYTHONPATH", "") for process in kernels}
    if not imported.is_relative_to(repo) or server_folder != repo or kernel_paths - {str(repo)}:
        raise SystemExit(
            f"The server is not {repo}'s: widgets from {imported}, server in {server_folder}, "
            f"kernels' PYTHONPATH {sorted(kernel_paths)}"
        )
    return {"widgets": str(imported), "server_folder": str(server_folder), "kernels_checked": len(kernels)}


def _wait_until_rendered(page: Page, voila: bool) -> bool:
    """Wait for the widgets, an idle network, the fonts and two painted frames; whether all came."""
    try:
        if voila:
            page.wait_for_function(RENDERED, timeout=PAGE_TIMEOUT_MS)
        page.wait_for_load_state("networkidle", timeout=SETTLE_TIMEOUT_MS)
        page.evaluate("() => document.fonts.ready.then(() => true)")
        page.evaluate(PAINTED)
    except PlaywrightTimeout:
        return False
    return True


def _open_room(page: Page) -> bool:
    """Open a room for the fewest people, as a facilitator does; whether its dashboard came."""
    try:
        # The page is drawn already: a missing field or button will not come.
        page.locator("input[type=number]").first.fill(ROOM_SIZE, timeout=SETTLE_TIMEOUT_MS)
        page.get_by_role("button", name=OPEN_ROOM_LABEL).click(timeout=SETTLE_TIMEOUT_MS)
        page.locator(".rw-room-counts").first.wait_for(timeout=ROOM_TIMEOUT_MS)
        page.wait_for_url(f"**/{FACILITATOR_NOTEBOOK}?room=*&key=*", timeout=SETTLE_TIMEOUT_MS)
    except PlaywrightTimeout:
        return False
    return _wait_until_rendered(page, voila=True)


def _masks(page: Page) -> list[Locator]:
    return [page.locator(selector) for selector in MASKED]


def _save_steady_screenshot(page: Page, path: Path) -> bool:
    """Shoot the whole page until two shots in a row are the same; save the last; whether they were."""
    grown = page.evaluate(INNER_SCROLL_HEIGHT)
    if grown and page.viewport_size is not None:
        page.set_viewport_size({"width": page.viewport_size["width"], "height": int(grown)})
    previous = b""
    for _ in range(STEADY_TRIES):
        image = page.screenshot(
            full_page=True,
            animations="disabled",
            caret="hide",
            mask=_masks(page),
            mask_color=MASK_COLOUR,
            style=MASK_STYLE,
        )
        if image == previous:
            path.write_bytes(image)
            return True
        previous = image
        page.wait_for_timeout(STEADY_PAUSE_MS)
    path.write_bytes(previous)
    return False


def _leave(page: Page) -> None:
    """Leave the page as a browser does, so its script stops its kernel (Voilà's shutdown call)."""
    try:
        page.goto("about:blank", timeout=SETTLE_TIMEOUT_MS)
    except PlaywrightTimeout:
        return


def _open(page: Page, address: str) -> int:
    """Go to the page; its HTTP status (0 if it did not finish loading in time)."""
    try:
        response = page.goto(address, timeout=PAGE_TIMEOUT_MS)
    except PlaywrightTimeout:
        return 0
    return response.status if response is not None else 0


def _take(page: Page, address: str, target: PageToShoot, path: Path, shot: Shot) -> None:
    """Open the page, wait for it (and open a room), count its errors and shoot it; note each in ``shot``."""
    shot.status = _open(page, address)
    shot.rendered = shot.status != 0 and _wait_until_rendered(page, target.voila)
    if target.opens_room:
        shot.rendered = shot.rendered and _open_room(page)
    shot.cell_errors = page.locator(CELL_ERRORS).count()
    shot.steady = _save_steady_screenshot(page, path)
    _leave(page)


def _shoot(
    browser: Browser, server: Server, target: PageToShoot, viewport: tuple[int, int], out: Path, token: str
) -> Shot:
    """One page at one viewport, in a browser context of its own (a new participant)."""
    width, height = viewport
    context = browser.new_context(
        viewport={"width": width, "height": height},
        reduced_motion="reduce",
        color_scheme="light",
        device_scale_factor=1,
        locale="en-US",
        timezone_id="UTC",
    )
    started = time.monotonic()
    path = out / f"{target.name}-{width}.png"
    shot = Shot(path.name, server.page(target.notebook, target.query.format(facilitator="...")))
    try:
        address = server.page(target.notebook, target.query.format(facilitator=token))
        _take(context.new_page(), address, target, path, shot)
    except PlaywrightError as error:  # a crashed page, a refused connection: noted, and on to the next
        shot.error = str(error).strip().splitlines()[0]
    finally:
        context.close()
    shot.seconds = round(time.monotonic() - started, 2)
    return shot


def _server_stopped(server: Server) -> str:
    """Why the capture cannot go on: the server has stopped (the end of its log), or ``""``."""
    if server.process.poll() is None:
        return ""
    log = server.log.read_text(errors="replace").splitlines()[-20:]
    return f"The workbook server stopped during the capture ({server.log}):\n" + "\n".join(log)


def _shoot_all(server: Server, pages: Sequence[PageToShoot], out: Path, token: str) -> list[Shot]:
    shots = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for target in pages:
                for viewport in VIEWPORTS:
                    shot = _shoot(browser, server, target, viewport, out, token)
                    print(shot.line(), flush=True)
                    shots.append(shot)
                    if stopped := _server_stopped(server):
                        raise SystemExit(stopped)
        finally:
            browser.close()
    return shots


def _empty_folder(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for old in [*out.glob("*.png"), out / MANIFEST]:
        old.unlink(missing_ok=True)


def _remove_leftovers(server: Server) -> None:
    """The stopped server's store and log (``serve`` leaves both in the temporary folder)."""
    server.log.unlink(missing_ok=True)
    if server.data is not None:
        shutil.rmtree(server.data, ignore_errors=True)


def capture(out: Path, repo: Path) -> int:
    """Screenshot every page of the checkout at ``repo`` into ``out``; 1 if any shot is not ``good``."""
    repo = repo.resolve()
    if not (repo / "share" / "jupyter" / "voila" / "templates" / "reconnection").is_dir():
        raise SystemExit(f"{repo} has no page template (share/jupyter/voila/templates/reconnection)")
    pages = pages_to_shoot(repo)
    _empty_folder(out)
    started = time.monotonic()
    token = secrets.token_urlsafe(24)  # as ./workbook serve makes one; never written anywhere
    settings = {"PYTHONPATH": str(repo), FACILITATOR_SETTING: token}
    try:
        with serve("workbook", repo, settings) as server:
            shots = _shoot_all(server, pages, out, token)
            origin = _widgets_origin(server, repo)
    except RuntimeError as error:  # the server did not start: its log says why
        raise SystemExit(f"The workbook server of {repo} did not start: {error}") from None
    _remove_leftovers(server)
    seconds = round(time.monotonic() - started, 1)
    manifest = {
        "repo": str(repo),
        "commit": _commit(repo),
        "origin": origin,
        "taken": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "seconds": seconds,
        "viewports": [f"{width}x{height}" for width, height in VIEWPORTS],
        "masked": list(MASKED),
        "shots": [asdict(shot) for shot in shots],
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"{len(shots)} screenshots of {repo} ({manifest['commit']}) in {out}, {seconds} s")
    return 0 if all(shot.good for shot in shots) else 1


# --- compare --------------------------------------------------------------------------------------

Box = tuple[int, int, int, int]


@dataclass
class Comparison:
    """One pair of same-named screenshots: identical, differing, or only in one folder."""

    name: str
    verdict: str  # "identical", "differs", "only before", "only after"
    before_size: tuple[int, int] | None = None
    after_size: tuple[int, int] | None = None
    pixels: int = 0  # pixels that differ in the area both images share
    box: Box | None = None  # (left, top, right, bottom) around them, right and bottom exclusive
    rows: list[tuple[int, int]] = field(default_factory=list)  # bands of rows holding them (inclusive)

    @property
    def same(self) -> bool:
        """Whether the pair is identical."""
        return self.verdict == "identical"


def _difference_mask(before: Image.Image, after: Image.Image) -> Image.Image:
    """A one-band image over the shared area: 255 where any channel differs, else 0."""
    width, height = min(before.width, after.width), min(before.height, after.height)
    shared = (0, 0, width, height)
    difference = ImageChops.difference(
        before.convert("RGBA").crop(shared), after.convert("RGBA").crop(shared)
    )
    strongest = difference.getchannel(0)
    for band in range(1, 4):
        strongest = ImageChops.lighter(strongest, difference.getchannel(band))
    return strongest.point(lambda value: 255 if value else 0)


def _row_bands(mask: Image.Image, gap: int = 8) -> list[tuple[int, int]]:
    """The bands of rows with a differing pixel (first and last row), joined across gaps of ``gap`` rows."""
    bands: list[tuple[int, int]] = []
    for row in range(mask.height):
        if mask.crop((0, row, mask.width, row + 1)).getbbox() is None:
            continue
        if bands and row - bands[-1][1] <= gap:
            bands[-1] = (bands[-1][0], row)
        else:
            bands.append((row, row))
    return bands


def compare_images(name: str, before_path: Path, after_path: Path) -> tuple[Comparison, Image.Image | None]:
    """Compare one pair; with the difference mask when they differ (else ``None``)."""
    with Image.open(before_path) as before, Image.open(after_path) as after:
        mask = _difference_mask(before, after)
        result = Comparison(name, "identical", before.size, after.size)
    result.pixels = mask.width * mask.height - mask.histogram()[0]
    if result.pixels == 0 and result.before_size == result.after_size:
        return result, None
    result.verdict = "differs"
    result.box = mask.getbbox()
    result.rows = _row_bands(mask) if result.pixels else []
    return result, mask


def _write_diff_image(after_path: Path, mask: Image.Image, target: Path) -> None:
    """The after shot faded to a quarter, with its differing pixels in red."""
    with Image.open(after_path) as after:
        faded = Image.blend(Image.new("RGB", after.size, "white"), after.convert("RGB"), 0.25)
    faded.paste(Image.new("RGB", mask.size, (255, 0, 0)), (0, 0), mask)
    faded.save(target)


def compare_folders(before: Path, after: Path, diffs: Path | None = None) -> list[Comparison]:
    """Every PNG name in either folder, compared (``diffs``: where to write an image per differing pair)."""
    before_names = {path.name for path in before.glob("*.png")}
    after_names = {path.name for path in after.glob("*.png")}
    if diffs is not None:
        diffs.mkdir(parents=True, exist_ok=True)
        for stale in diffs.glob("*.png"):
            stale.unlink()
    results = []
    for name in sorted(before_names | after_names):
        if name not in after_names:
            results.append(Comparison(name, "only before"))
            continue
        if name not in before_names:
            results.append(Comparison(name, "only after"))
            continue
        result, mask = compare_images(name, before / name, after / name)
        if mask is not None and diffs is not None:
            _write_diff_image(after / name, mask, diffs / name)
        results.append(result)
    return results


def _size(size: tuple[int, int] | None) -> str:
    return f"{size[0]}x{size[1]}" if size else "-"


def _where(result: Comparison) -> str:
    """Where a pair differs, in words: the box, the bands of rows, and a change of size."""
    parts = []
    if result.box is not None:
        left, top, right, bottom = result.box
        parts.append(f"box x {left}-{right - 1}, y {top}-{bottom - 1}")
    if result.rows:
        shown = ", ".join(f"{first}-{last}" for first, last in result.rows[:6])
        more = f" and {len(result.rows) - 6} more" if len(result.rows) > 6 else ""
        parts.append(f"rows {shown}{more}")
    if result.before_size != result.after_size:
        parts.append(f"size {_size(result.before_size)} -> {_size(result.after_size)}")
    return "; ".join(parts)


def _pixels(result: Comparison) -> str:
    """How many pixels differ, and what share of the area both images have."""
    if not (result.before_size and result.after_size):
        return ""
    shared = min(result.before_size[0], result.after_size[0]) * min(
        result.before_size[1], result.after_size[1]
    )
    return f"{result.pixels} ({100 * result.pixels / shared:.2f} % of the shared area)"


def _manifest_line(folder: Path) -> str:
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError):
        return f"`{folder}`"
    shots = manifest.get("shots", [])
    bad = [
        shot["file"] + (f" ({shot['error']})" if shot.get("error") else "")
        for shot in shots
        if not (shot.get("rendered") and shot.get("steady")) or shot.get("error")
    ]
    erred = [shot["file"] for shot in shots if shot.get("cell_errors")]
    line = f"`{folder}`: {manifest.get('repo')} at {manifest.get('commit')}, taken {manifest.get('taken')}"
    line += f"; not drawn, not steady or failed: {', '.join(bad)}" if bad else ""
    return line + (f"; with a cell error: {', '.join(erred)}" if erred else "")


def markdown_report(before: Path, after: Path, results: Sequence[Comparison]) -> str:
    """The comparison as Markdown: a summary line, then one table row per screenshot."""
    differing = sum(result.verdict == "differs" for result in results)
    missing = sum(result.verdict.startswith("only") for result in results)
    identical = len(results) - differing - missing
    lines = [
        "# Screenshots compared",
        "",
        f"- before: {_manifest_line(before)}",
        f"- after: {_manifest_line(after)}",
        f"- masked (magenta boxes, random per run): {', '.join(f'`{selector}`' for selector in MASKED)}",
        "",
        f"**{identical} of {len(results)} identical, {differing} differ, {missing} in one folder only.**",
        "",
        "| screenshot | result | size | differing pixels | where |",
        "|---|---|---|---|---|",
    ]
    for result in results:
        size = _size(result.after_size or result.before_size)
        if result.before_size != result.after_size and result.before_size and result.after_size:
            size = f"{_size(result.before_size)} -> {_size(result.after_size)}"
        pixels = _pixels(result) if result.verdict == "differs" else ""
        lines.append(f"| {result.name} | {result.verdict} | {size} | {pixels} | {_where(result)} |")
    return "\n".join(lines) + "\n"


def compare(before: Path, after: Path, report: Path | None, diffs: Path | None) -> int:
    """Compare two folders of screenshots; print (and write) the report; 1 if anything differs."""
    for folder in (before, after):
        if not folder.is_dir():
            raise SystemExit(f"{folder} is not a folder")
    results = compare_folders(before, after, diffs)
    text = markdown_report(before, after, results)
    print(text, end="")
    if report is not None:
        report.write_text(text)
    return 0 if results and all(result.same for result in results) else 1


# --- command line ---------------------------------------------------------------------------------


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.screenshots", description=__doc__.split("\n")[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    shoot = commands.add_parser("capture", help="screenshot every page of a checkout into OUT_DIR")
    shoot.add_argument("out", type=Path, metavar="OUT_DIR")
    shoot.add_argument(
        "--repo", type=Path, default=REPO, metavar="PATH", help="the checkout (default: this one)"
    )
    check = commands.add_parser("compare", help="compare two folders of screenshots")
    check.add_argument("before", type=Path, metavar="BEFORE_DIR")
    check.add_argument("after", type=Path, metavar="AFTER_DIR")
    check.add_argument("--report", type=Path, metavar="FILE", help="write the Markdown report here too")
    check.add_argument("--diffs", type=Path, metavar="DIR", help="write an image of each difference here")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``capture`` or ``compare``."""
    options = _arguments(argv)
    if options.command == "capture":
        return capture(options.out, options.repo)
    return compare(options.before, options.after, options.report, options.diffs)


if __name__ == "__main__":
    raise SystemExit(main())
