"""``./workbook serve``'s options, and ``--lan`` really serving beyond this computer's loopback."""

from __future__ import annotations

import asyncio
import io
import ipaddress
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import psutil
import pytest
from conftest import facilitator_address, start_launcher

from harness.page_client import PageClient
from harness.server import Server
from widgets import load_content
from widgets.room.access import TOKEN_SETTING, facilitator_token
from widgets.room.content import load_room_content
from widgets.server.launch import (
    DEFAULT_PORT,
    ServeOptions,
    UsageError,
    announce,
    lan_addresses,
    parse_options,
)

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ([], ServeOptions()),
        (["9000"], ServeOptions(port=9000)),
        (["--lan"], ServeOptions(lan=True)),
        (["9000", "--lan"], ServeOptions(port=9000, lan=True)),
        (["--lan", "9000"], ServeOptions(port=9000, lan=True)),
        (["--lan", "--port", "9000"], ServeOptions(port=9000, lan=True)),
        (["--port=9000"], ServeOptions(port=9000)),
        (["9000", "--port", "9000"], ServeOptions(port=9000)),
        (
            ["--CappedKernelManager.max_kernels=4"],
            ServeOptions(voila_settings=("--CappedKernelManager.max_kernels=4",)),
        ),
        (["--workers", "2"], ServeOptions(workers=2)),
        (["--workers=3", "--lan", "9000"], ServeOptions(port=9000, lan=True, workers=3)),
        (["9000", "--workers", "16", "--lan"], ServeOptions(port=9000, lan=True, workers=16)),
        (["--workers", "1"], ServeOptions()),  # one worker: today's single Voilà process
        (["--workers", "2", "--workers=2"], ServeOptions(workers=2)),
    ],
)
def test_options_come_in_any_order(arguments, expected):
    assert parse_options(arguments) == expected
    assert expected.port == DEFAULT_PORT or "9000" in " ".join(arguments)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["eighty"], "must be a number"),
        (["0"], "from 1 to 65535"),
        (["70000"], "from 1 to 65535"),
        (["--port"], "needs a number"),
        (["9000", "--port", "9001"], "two different ports"),
        (["--lam"], "not an option"),
        (["-l"], "not an option"),
        (["--workers"], "needs a number"),
        (["--workers", "0"], "from 1 to 16"),
        (["--workers=17"], "from 1 to 16"),
        (["--workers", "two"], "from 1 to 16"),
        (["--workers", "2", "--workers", "3"], "two different numbers of workers"),
        (["--worker", "2"], "not an option"),
    ],
)
def test_a_mistyped_command_line_says_what_is_wrong(arguments, message):
    with pytest.raises(UsageError, match=message):
        parse_options(arguments)


def test_a_mistyped_option_stops_with_a_message_and_no_traceback():
    result = subprocess.run(
        [sys.executable, "-m", "widgets.server.launch", "--lam"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "'--lam' is not an option" in result.stderr
    assert "usage: ./workbook serve" in result.stderr
    assert "Traceback" not in result.stderr


FACILITATOR = load_content().sections.facilitator_notebook
LINK_LINE = "[workbook] facilitator link (keep it to yourself: it opens rooms):"


@pytest.mark.parametrize(
    ("options", "addresses", "public_url", "base"),
    [
        (ServeOptions(), [], "", "http://127.0.0.1:8866/"),
        (ServeOptions(port=9000, lan=True), ["192.168.1.20"], "", "http://127.0.0.1:9000/"),  # --lan: here
        (ServeOptions(lan=True), [], "", "http://127.0.0.1:8866/"),
        # Behind a proxy the user set the public address: the link is there.
        (ServeOptions(workers=2), [], "https://workbook.example.org/", "https://workbook.example.org/"),
    ],
)
def test_the_announcement_ends_with_the_facilitator_link(options, addresses, public_url, base):
    out = io.StringIO()
    announce(options, addresses, out, public_url)
    lines = out.getvalue().splitlines()
    assert lines[-2:] == [LINK_LINE, f"    {base}voila/render/{FACILITATOR}?token={facilitator_token()}"]


@pytest.mark.parametrize("arguments", [[], ["--workers", "2"], ["--lan", "--port", "9000"]])
def test_a_facilitator_token_too_short_stops_with_one_message_and_nothing_served(tmp_path, arguments):
    result = subprocess.run(
        [sys.executable, "-m", "widgets.server.launch", *arguments],
        cwd=REPO,
        env={**os.environ, TOKEN_SETTING: "short-token", "RECONNECTION_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"[workbook] {TOKEN_SETTING} is set but shorter than 16 characters, so anyone could guess it."
        " Choose a longer one (or unset it, and the workbook makes a new one at each start)."
    ]
    assert result.stdout == ""


def _status(url: str) -> int:
    """The status of a GET; 0 while nothing listens yet."""
    try:
        with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 - the test's own server
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, ConnectionError):
        return 0


def test_the_launcher_makes_a_token_prints_its_link_and_only_that_link_opens_rooms(tmp_path):
    port = _free_port()
    server, log = start_launcher(tmp_path, "--port", str(port), unset=(TOKEN_SETTING,))
    try:
        deadline = time.monotonic() + 60
        while not re.search(rf"{re.escape(LINK_LINE)}\n    (\S+)\n", log.read_text()):
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, f"no facilitator link printed: {log.read_text()}"
            time.sleep(0.2)
        link = re.search(rf"{re.escape(LINK_LINE)}\n    (\S+)\n", log.read_text()).group(1)
        assert link.startswith(f"http://127.0.0.1:{port}/voila/render/{FACILITATOR}?token=")
        (token,) = parse_qs(urlsplit(link).query)["token"]
        assert len(token) >= 32
        assert token != facilitator_token()  # a new one: the tests' own was not given to it
        # The server (the launcher became it), its warm parent and so every kernel hold that token.
        voila = psutil.Process(server.pid)
        assert voila.environ()[TOKEN_SETTING] == token
        while _status(f"http://127.0.0.1:{port}/") != 200:
            assert time.monotonic() < deadline + 60, log.read_text()
            time.sleep(0.3)
        warm: list[psutil.Process] = []
        while not warm:  # started with the server, just after it listens
            assert time.monotonic() < deadline + 90, log.read_text()
            time.sleep(0.3)
            warm = [c for c in voila.children() if any("warm_parent" in part for part in c.cmdline())]
        assert [c.environ()[TOKEN_SETTING] for c in warm] == [token]
        base = f"http://127.0.0.1:{port}/voila/render/{FACILITATOR}"
        assert _status(base) == 403
        assert _status(f"{base}?token={facilitator_token()}") == 403  # another server's token
        # The printed link opens the page, whose kernel offers to open a room.
        words = load_room_content().facilitator
        client = PageClient(Server("workbook", f"http://127.0.0.1:{port}", None, log))  # type: ignore[arg-type]

        async def offered() -> bool:
            await client.open(FACILITATOR, f"token={token}")
            try:
                return client.find(description=words.open_label) is not None
            finally:
                await client.close()

        with ThreadPoolExecutor(max_workers=1) as worker:
            assert worker.submit(asyncio.run, offered()).result()
        assert token not in log.read_text().split(LINK_LINE, 1)[1].split("\n", 2)[2]  # printed once only
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_addresses_are_this_computers_own_and_never_loopback():
    addresses = lan_addresses()
    assert addresses, "this machine has no network address beyond loopback"
    for address in addresses:
        ip = ipaddress.ip_address(address)
        assert not ip.is_loopback
        # The address is really this computer's: something can listen on it.
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind((address, 0))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def lan_server(tmp_path_factory):
    """``--lan`` started as ``./workbook serve --lan --port N`` starts it; its log and address."""
    folder = tmp_path_factory.mktemp("lan")
    port = _free_port()
    server, log = start_launcher(folder, "--lan", "--port", str(port))
    try:
        printed = ""
        deadline = time.monotonic() + 60
        # Until the last line of the announcement: the QR code is written line by line before it.
        while not (re.search(rf"http://[\d.]+:{port}/\n", printed) and "plain HTTP" in printed):
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, f"no address printed: {log.read_text()}"
            time.sleep(0.2)
            printed = log.read_text()
        address = re.search(rf"http://([\d.]+):{port}/", printed).group(1)
        # Reached on the machine's own network address, not on loopback: the workbook answers.
        while True:
            try:
                with urllib.request.urlopen(f"http://{address}:{port}/", timeout=5) as response:
                    body = response.read().decode("utf-8")
                    break
            except OSError:
                assert server.poll() is None, log.read_text()
                assert time.monotonic() < deadline + 60, log.read_text()
                time.sleep(0.3)
        # Read again once the server answers: the announcement has long been written in full.
        yield log.read_text(), address, port, body
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_lan_serves_beyond_loopback_and_prints_the_address_and_a_qr_code(lan_server):
    printed, address, port, welcome_redirect = lan_server
    assert address in lan_addresses()
    assert not ipaddress.ip_address(address).is_loopback
    assert "QR code" in printed
    assert "▀" in printed or "▄" in printed or "█" in printed  # the code drawn in the terminal
    assert "plain HTTP" in printed
    assert "voila/render/00-welcome.ipynb" in welcome_redirect
    # The facilitator's link is on this computer (the room page shows the network address).
    link = facilitator_address(f"http://127.0.0.1:{port}")
    assert f"{LINK_LINE}\n    {link}\n" in printed


@pytest.mark.browser
def test_the_room_page_shows_the_network_address_even_when_opened_on_this_computer(lan_server, browser):
    from playwright.sync_api import expect

    from widgets.room.content import load_room_content

    _printed, address, port, _body = lan_server
    words = load_room_content().facilitator
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    try:
        page = context.new_page()
        # The facilitator's laptop opens its own copy on 127.0.0.1; the room shows the address phones use.
        page.goto(facilitator_address(f"http://127.0.0.1:{port}"))
        page.get_by_role("button", name=words.open_label).click(timeout=60_000)
        page.get_by_role("tab", name=words.tab_join).click(timeout=30_000)  # how to join: one tab away
        link = page.locator(".rw-join-link")
        expect(link).to_have_text(re.compile(rf"^http://{re.escape(address)}:{port}/voila/render/00-welcome"))
        expect(page.locator(".rw-room-address")).to_have_text(f"{address}:{port}")
        expect(page.locator(".rw-local-only")).to_have_count(0)
        expect(page.get_by_role("img", name=f"{words.qr_label}: {link.inner_text()}")).to_be_visible()
    finally:
        context.close()
