"""``./workbook serve``'s options, and ``--lan`` really serving beyond this computer's loopback."""

from __future__ import annotations

import ipaddress
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import start_launcher

from widgets.server.launch import DEFAULT_PORT, ServeOptions, UsageError, lan_addresses, parse_options

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
        yield printed, address, port, body
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_lan_serves_beyond_loopback_and_prints_the_address_and_a_qr_code(lan_server):
    printed, address, _port, welcome_redirect = lan_server
    assert address in lan_addresses()
    assert not ipaddress.ip_address(address).is_loopback
    assert "QR code" in printed
    assert "▀" in printed or "▄" in printed or "█" in printed  # the code drawn in the terminal
    assert "plain HTTP" in printed
    assert "voila/render/00-welcome.ipynb" in welcome_redirect


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
        page.goto(f"http://127.0.0.1:{port}/voila/render/20-facilitator.ipynb")
        page.get_by_role("button", name=words.open_label).click(timeout=60_000)
        link = page.locator(".rw-join-link")
        expect(link).to_have_text(re.compile(rf"^http://{re.escape(address)}:{port}/voila/render/00-welcome"))
        expect(page.locator(".rw-room-address")).to_have_text(f"{address}:{port}")
        expect(page.locator(".rw-local-only")).to_have_count(0)
        expect(page.get_by_role("img", name=f"{words.qr_label}: {link.inner_text()}")).to_be_visible()
    finally:
        context.close()
