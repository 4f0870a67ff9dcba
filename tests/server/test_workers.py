"""``./workbook serve --workers N``: several Voilà workers behind a real HAProxy.

The configuration is checked as text and by HAProxy itself (``haproxy -c``). Then the launcher runs as
``./workbook serve --workers 2`` runs it, with a store of its own: a participant's page stays on its
worker (its kernel's websocket included), the answers given on one worker are found on the other, a
worker killed is started again and served again, and SIGTERM leaves no process behind.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import brotli
import psutil
import pytest
from conftest import facilitator_address, participant_cookie, start_launcher

from harness.server import free_port
from widgets import load_content
from widgets.participant import parse_code
from widgets.room.access import TOKEN_SETTING, facilitator_token
from widgets.sections.checkin.model import load_checkin_content
from widgets.server import workers
from widgets.server.launch import ServeOptions
from widgets.server.static_files import IMMUTABLE
from widgets.server.workers import COOKIE, WORKER_HEADER, haproxy_config, serve_workers

REPO = Path(__file__).resolve().parents[2]
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"
CONTENT = load_content()
CHECKIN = load_checkin_content()
SECTION_1 = CONTENT.sections.by_number(1)
SECTION_2 = CONTENT.sections.by_number(2)
WAIT = 90.0  # seconds: two workers fill their preheated pools at once on a 2-core machine


# --- the configuration -------------------------------------------------------------------------------


def _directives(config: str) -> list[str]:
    return [line.strip() for line in config.splitlines() if line.strip() and not line.strip().startswith("#")]


def test_every_browser_stays_on_its_worker_by_cookie_never_by_address():
    config = haproxy_config("127.0.0.1", 8866, [40001, 40002, 40003])
    lines = _directives(config)
    assert "mode http" in lines
    assert "balance roundrobin" in lines
    # A whole room behind one venue NAT must not land on one worker.
    assert not [line for line in lines if line.startswith(("balance source", "hash-type", "stick"))]
    cookie = next(line for line in lines if line.startswith("cookie "))
    assert cookie.split()[1:6] == [COOKIE, "insert", "indirect", "nocache", "httponly"]
    assert 'attr "SameSite=Lax"' in cookie
    servers = [line.split() for line in lines if line.startswith("server ")]
    assert [(s[1], s[2]) for s in servers] == [
        ("worker1", "127.0.0.1:40001"),
        ("worker2", "127.0.0.1:40002"),
        ("worker3", "127.0.0.1:40003"),
    ]
    for server in servers:
        assert server[3:5] == ["cookie", server[1]]  # the cookie names the worker, nothing else
        assert "check" in server
    # Health checks ask for `/`, the redirect page that starts no kernel, and want a 200.
    assert "option httpchk" in lines
    assert any(re.fullmatch(r"http-check send meth GET uri / .*", line) for line in lines)
    assert "http-check expect status 200" in lines
    assert "option redispatch 1" in lines
    assert "timeout tunnel 1h" in lines
    assert f"http-response set-header {WORKER_HEADER} %s" in lines
    assert "option forwardfor" in lines
    # No request logged anywhere (addresses carry participant codes), no stats page.
    assert not [line for line in lines if line.split()[0] in {"log", "stats"} or "httplog" in line]
    assert "stats" not in config


@pytest.mark.parametrize(
    ("bind", "servers"),
    [
        ("127.0.0.1", [40001, 40002]),
        ("0.0.0.0", [40001, 40002, 40003, 40004]),  # noqa: S104 - --lan
        ("0.0.0.0", [("laptop-a", "192.168.1.20", 8866), ("laptop-b", "192.168.1.21", 8866)]),  # noqa: S104
    ],
)
def test_haproxy_accepts_the_configuration_without_a_warning(tmp_path, bind, servers):
    path = tmp_path / "haproxy.cfg"
    path.write_text(haproxy_config(bind, 8866, servers), encoding="utf-8")
    # -dW: any warning is an error.
    result = subprocess.run(
        [HAPROXY, "-c", "-dW", "-f", str(path)], capture_output=True, text=True, timeout=30, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Configuration file is valid" in result.stdout + result.stderr


def test_https_at_the_proxy_for_workers_on_other_hosts(tmp_path):
    """The configuration ``python -m widgets.server.workers config`` prints for docs/deploy.md."""
    certificate = tmp_path / "workbook.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=workbook.test",
            "-keyout",
            str(certificate),
            "-out",
            str(certificate),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    # One file holds the certificate and its key, as HAProxy's `crt` wants.
    printed = subprocess.run(
        [
            sys.executable,
            "-m",
            "widgets.server.workers",
            "config",
            "--port",
            "443",
            "--certificate",
            str(certificate),
            "--worker",
            "web1=10.0.0.11:8866",
            "--worker",
            "web2=10.0.0.12:8866",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    servers = [("web1", "10.0.0.11", 8866), ("web2", "10.0.0.12", 8866)]
    assert printed == haproxy_config("0.0.0.0", 443, servers, str(certificate))  # noqa: S104
    lines = _directives(printed)
    assert f"bind 0.0.0.0:443 ssl crt {certificate} alpn http/1.1" in lines
    assert "http-request redirect scheme https code 301" in lines  # plain HTTP only redirects
    assert "secure" in next(line for line in lines if line.startswith("cookie ")).split()
    path = tmp_path / "haproxy.cfg"
    path.write_text(printed, encoding="utf-8")
    result = subprocess.run(
        [HAPROXY, "-c", "-dW", "-f", str(path)], capture_output=True, text=True, timeout=30, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    with pytest.raises(ValueError, match="certificate"):
        haproxy_config("0.0.0.0", 443, servers, "workbook.pem crt /etc/passwd")  # noqa: S104


@pytest.mark.parametrize(
    "servers",
    [[], [("worker 1", "127.0.0.1", 40001)], [("w", "127.0.0.1\n    log stdout", 40001)], [70000], [1, 1]],
)
def test_a_worker_that_would_change_the_configuration_is_refused(servers):
    if servers == [1, 1]:
        servers = [("same", "127.0.0.1", 40001), ("same", "127.0.0.1", 40002)]
    with pytest.raises(ValueError, match="worker"):
        haproxy_config("127.0.0.1", 8866, servers)


def test_without_haproxy_one_line_says_how_to_install_it(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv(workers.HAPROXY_SETTING, raising=False)
    monkeypatch.setattr(workers, "_HAPROXY_PLACES", ())
    before = set(Path(tempfile.gettempdir()).glob(f"workbook-workers-{os.getpid()}-*"))
    assert serve_workers(ServeOptions(port=free_port(), workers=2)) == 1
    printed = capsys.readouterr().err.strip().splitlines()
    assert len(printed) == 1
    assert "apt-get install haproxy" in printed[0]
    assert "Traceback" not in printed[0]
    assert set(Path(tempfile.gettempdir()).glob(f"workbook-workers-{os.getpid()}-*")) == before


def test_a_public_port_in_use_stops_with_one_line_and_nothing_left(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        environment = {**os.environ, "RECONNECTION_DATA_DIR": str(tmp_path / "data")}
        process = subprocess.Popen(
            [sys.executable, "-m", "widgets.server.launch", "--workers", "2", "--port", str(port)],
            cwd=REPO,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        printed, _ = process.communicate(timeout=60)
    assert process.returncode == 1
    assert printed.strip().splitlines() == [
        f"[workbook] port {port} is in use by another program: choose another with --port N"
    ]
    private = f"workbook-workers-{process.pid}-"
    assert not list(Path(tempfile.gettempdir()).glob(f"{private}*"))
    assert not [p for p in psutil.process_iter(["cmdline"]) if private in " ".join(p.info["cmdline"] or [])]


# --- the real launcher, two workers and HAProxy --------------------------------------------------------


@dataclass
class Served:
    """The launcher serving with two workers: its process, public address, log and private folder."""

    process: subprocess.Popen
    url: str
    log: Path
    folder: Path

    def page(self, notebook: str, query: str = "") -> str:
        return f"{self.url}/voila/render/{notebook}{query}"

    def state(self) -> dict:
        return json.loads((self.folder / "workers.json").read_text(encoding="utf-8"))

    def worker_pid(self, name: str) -> int:
        return next(w["pid"] for w in self.state()["workers"] if w["name"] == name)


def _answered_by(url: str, worker: str | None = None) -> tuple[int, str | None]:
    """GET ``url``, with the persistence cookie naming ``worker``: its status and who answered."""
    headers = {"Cookie": f"{COOKIE}={worker}"} if worker else {}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - the test's own server
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.headers.get(WORKER_HEADER)
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get(WORKER_HEADER)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, None  # not listening yet


def _wait_until_served_by(served: Served, worker: str, deadline: float) -> None:
    while _answered_by(served.url + "/", worker) != (200, worker):
        assert served.process.poll() is None, served.log.read_text()
        assert time.monotonic() < deadline, f"{worker} never answered: {served.log.read_text()}"
        time.sleep(0.3)


@pytest.fixture(scope="module")
def served(tmp_path_factory, postgres):
    """``./workbook serve --workers 2 --port P``, as the bash script starts it, on one PostgreSQL database."""
    folder = tmp_path_factory.mktemp("workers")
    port = free_port()
    process, log = start_launcher(
        folder, "--workers", "2", "--port", str(port), database_url=postgres.new_database()
    )
    try:
        deadline = time.monotonic() + WAIT
        private: list[Path] = []
        while not private:
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
            private = list(Path(tempfile.gettempdir()).glob(f"workbook-workers-{process.pid}-*"))
        server = Served(process, f"http://127.0.0.1:{port}", log, private[0])
        # HAProxy answers `/` as soon as one worker does; then each worker, asked by its cookie.
        while _answered_by(server.url + "/")[0] != 200:
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, f"the proxy never answered: {log.read_text()}"
            time.sleep(0.3)
        for worker in ("worker1", "worker2"):
            _wait_until_served_by(server, worker, deadline)
        yield server
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=60)


def test_the_launcher_says_where_the_workbook_is_and_that_workers_serve_it(served):
    printed = served.log.read_text()
    assert f"serving the workbook at {served.url}/" in printed
    assert "2 Voilà workers behind HAProxy" in printed
    state = served.state()
    assert [w["name"] for w in state["workers"]] == ["worker1", "worker2"]
    for worker in state["workers"]:
        process = psutil.Process(worker["pid"])
        assert f"--port={worker['port']}" in process.cmdline()
        assert "--Voila.ip=127.0.0.1" in process.cmdline()
        environment = process.environ()
        assert environment["RECONNECTION_WORKERS"] == "2"
        assert environment["RECONNECTION_WORKER"] == worker["name"].removeprefix("worker")
        # A private port: only this computer reaches a worker, and only through HAProxy from outside.
        assert {c.laddr.ip for c in process.net_connections("tcp") if c.status == psutil.CONN_LISTEN} == {
            "127.0.0.1"
        }
    # Nothing but the workbook's own lines and Voilà's warnings: no request line is logged anywhere.
    assert "GET /" not in printed
    assert "/voila/render" not in printed.replace(facilitator_address(served.url), "")


def test_one_facilitator_link_is_printed_and_opens_the_page_on_every_worker(served):
    printed = served.log.read_text()
    link = facilitator_address(served.url)
    said = "[workbook] facilitator link (keep it to yourself: it opens rooms):"
    assert printed.count(f"{said}\n    {link}\n") == 1
    for worker in served.state()["workers"]:
        # The launcher made the token before it became the supervisor: every worker has the same.
        assert psutil.Process(worker["pid"]).environ()[TOKEN_SETTING] == facilitator_token()
    refused = served.page(CONTENT.sections.facilitator_notebook, "?token=not-the-token-of-this-server")
    for name in ("worker1", "worker2"):
        assert _answered_by(link, name) == (200, name)
        assert _answered_by(served.page(CONTENT.sections.facilitator_notebook), name) == (403, name)
        assert _answered_by(refused, name) == (403, name)


def test_each_worker_compresses_and_haproxy_passes_it_on(served):
    """Brotli and the caching headers come through HAProxy from every worker, and the page's files too."""
    for name in ("worker1", "worker2"):
        request = urllib.request.Request(  # noqa: S310 - the test's own server
            served.page(CONTENT.sections.welcome_notebook),
            headers={"Cookie": f"{COOKIE}={name}", "Accept-Encoding": "gzip, deflate, br"},
        )
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            assert response.headers[WORKER_HEADER] == name
            assert response.headers["Content-Encoding"] == "br"
            assert "no-store" in response.headers["Cache-Control"]
            page = brotli.decompress(response.read()).decode()
        script = re.search(r'src="(/workbook/page/[0-9a-f]{20}/page\.js)"', page)
        assert script, "the page does not load its scripts from their versioned address"
        request = urllib.request.Request(  # noqa: S310
            served.url + script.group(1), headers={"Cookie": f"{COOKIE}={name}", "Accept-Encoding": "gzip"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            assert response.headers["Content-Encoding"] == "gzip"
            assert response.headers["Cache-Control"] == IMMUTABLE
            assert b"jupyter.widget" in gzip.decompress(response.read())


def test_lan_opens_haproxy_to_the_network_and_keeps_the_workers_private(tmp_path):
    port = free_port()
    process, log = start_launcher(tmp_path, "--lan", "--workers=2", "--port", str(port))
    try:
        deadline = time.monotonic() + WAIT
        while "plain HTTP" not in log.read_text():  # the announcement's last line, after the QR code
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, f"no address printed: {log.read_text()}"
            time.sleep(0.2)
        printed = log.read_text()
        address = re.search(rf"http://([\d.]+):{port}/", printed).group(1)
        assert "QR code" in printed
        assert "▀" in printed or "▄" in printed or "█" in printed  # the code drawn in the terminal
        # Reached on this computer's network address, through HAProxy: a worker answers.
        while _answered_by(f"http://{address}:{port}/")[0] != 200:
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.3)
        assert _answered_by(f"http://{address}:{port}/")[1] in {"worker1", "worker2"}
        (private,) = Path(tempfile.gettempdir()).glob(f"workbook-workers-{process.pid}-*")
        state = json.loads((private / "workers.json").read_text(encoding="utf-8"))
        for worker in state["workers"]:
            voila = psutil.Process(worker["pid"])
            # The room's join address is the public one, HAProxy's port; each worker listens privately.
            assert voila.environ()["RECONNECTION_PUBLIC_URL"] == f"http://{address}:{port}/"
            with socket.socket() as probe:
                assert probe.connect_ex((address, worker["port"])) != 0
    finally:
        process.terminate()
        assert process.wait(timeout=60) == 0


# --- in a real browser ---------------------------------------------------------------------------------


def _ready(page) -> None:
    page.locator("#rendered_cells input").first.wait_for(state="visible", timeout=60_000)


def _wait_saves(page, at_least: int) -> None:
    page.wait_for_function(
        f"() => Number(document.querySelector('.rw-participant')?.dataset.saves || 0) >= {at_least}",
        timeout=20_000,
    )


def _radio(page, number: int, label: str):
    item = CHECKIN.items[number - 1]
    group = page.get_by_role("group", name=f"{number}. {item.text}").first
    return group.get_by_role("radio", name=label, exact=True)


def _open(page, served: Served, notebook: str, query: str = "") -> str:
    """Open a page and wait for its controls; the worker that answered its request."""
    response = page.goto(served.page(notebook, query))
    assert response is not None
    assert response.status == 200
    _ready(page)
    return response.headers[WORKER_HEADER.lower()]


def _go_to(context, served: Served, worker: str) -> None:
    """Point the browser at ``worker``, as HAProxy's own cookie would."""
    context.add_cookies([{"name": COOKIE, "value": worker, "url": served.url + "/"}])


def _other(worker: str) -> str:
    return {"worker1": "worker2", "worker2": "worker1"}[worker]


@pytest.mark.browser
def test_answers_given_on_one_worker_are_found_on_the_other(served, browser):
    context = browser.new_context()
    try:
        page = context.new_page()
        first = _open(page, served, SECTION_1.notebook)
        code = parse_code(page.locator(".rw-code").first.inner_text())
        assert code is not None
        participant_cookie(context, code)
        # HAProxy's cookie keeps this browser on the worker that made its page: its kernel is there.
        (cookie,) = [c for c in context.cookies() if c["name"] == COOKIE]
        assert cookie["value"] == first
        assert cookie["httpOnly"]
        assert cookie["sameSite"] == "Lax"
        _radio(page, 1, "Often").check()
        _radio(page, 4, "Hardly ever").check()
        _wait_saves(page, 2)  # the answers went over the kernel's websocket, to the same worker

        assert _open(page, served, SECTION_2.notebook) == first
        page.get_by_role("radio", name="Strongly agree", exact=True).first.check()
        _wait_saves(page, 1)

        # The same participant, now on the other worker: the answers are there.
        other = _other(first)
        _go_to(context, served, other)
        assert _open(page, served, SECTION_1.notebook) == other
        assert _radio(page, 1, "Often").is_checked()
        assert _radio(page, 4, "Hardly ever").is_checked()
        assert not _radio(page, 2, "Often").is_checked()
        _radio(page, 2, "Some of the time").check()
        _wait_saves(page, 1)  # and a page on this worker saves through its own kernel too
        assert _open(page, served, SECTION_2.notebook) == other
        assert page.get_by_role("radio", name="Strongly agree", exact=True).first.is_checked()
    finally:
        context.close()


@pytest.mark.browser
def test_a_killed_worker_is_started_again_and_serves_the_answers(served, browser):
    context = browser.new_context()
    try:
        page = context.new_page()
        _go_to(context, served, "worker2")
        assert _open(page, served, SECTION_1.notebook) == "worker2"
        code = parse_code(page.locator(".rw-code").first.inner_text())
        _radio(page, 3, "Often").check()
        _wait_saves(page, 1)
        participant_cookie(context, code)  # the browser carries the workbook to its next page
        page.close()

        killed = served.worker_pid("worker2")
        os.kill(killed, signal.SIGKILL)
        # A browser whose worker is gone is sent to the other one at once.
        assert _answered_by(served.url + "/", "worker2") == (200, "worker1")

        deadline = time.monotonic() + WAIT
        while served.worker_pid("worker2") == killed:
            assert time.monotonic() < deadline, served.log.read_text()
            time.sleep(0.2)
        assert "[workbook] worker2 was stopped by signal 9; starting it again in" in served.log.read_text()
        assert not _running(psutil.Process(killed)) if psutil.pid_exists(killed) else True
        # HAProxy marks it up again once it answers its health check; then it serves the answers.
        _wait_until_served_by(served, "worker2", deadline)
        page = context.new_page()
        _go_to(context, served, "worker2")
        assert _open(page, served, SECTION_1.notebook) == "worker2"
        assert _radio(page, 3, "Often").is_checked()
    finally:
        context.close()


def test_haproxy_killed_is_started_again(served):
    killed = served.state()["haproxy"]
    os.kill(killed, signal.SIGKILL)
    deadline = time.monotonic() + WAIT
    while served.state()["haproxy"] == killed:
        assert time.monotonic() < deadline, served.log.read_text()
        time.sleep(0.2)
    assert "[workbook] HAProxy was stopped by signal 9; starting it again in" in served.log.read_text()
    for worker in ("worker1", "worker2"):
        _wait_until_served_by(served, worker, deadline)


def _running(process: psutil.Process) -> bool:
    """Whether a process still runs: a zombie has ended, only its exit status is left to collect."""
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _is_voila_worker(command: str) -> bool:
    """Whether a command line is a Voilà worker's (``python -m widgets.server notebooks ...``)."""
    return "notebooks" in command and ("-m widgets.server " in command or "voila" in command)


def _launcher_tree(launcher: psutil.Process) -> tuple[list[psutil.Process], dict[int, str], list[int]]:
    """Every process below the launcher, each one's command line, and the kernels among them."""
    tree = launcher.children(recursive=True)
    commands: dict[int, str] = {}
    parents: dict[int, int] = {}
    for process in tree:
        try:
            commands[process.pid] = " ".join(process.cmdline())
            parents[process.pid] = process.ppid()
        except psutil.NoSuchProcess:
            continue
    voila = {pid for pid, command in commands.items() if _is_voila_worker(command)}
    # A kernel forked by a warm parent keeps the warm parent's command line: tell them by their parent.
    warm = {pid for pid, parent in parents.items() if parent in voila and "warm_parent" in commands[pid]}
    return tree, commands, [pid for pid, parent in parents.items() if parent in warm]


@pytest.mark.browser
def test_a_room_whose_facilitator_and_participants_are_on_different_workers(served, browser):
    from playwright.sync_api import expect

    from widgets.content_files import counted
    from widgets.room.content import load_room_content

    words = load_room_content()
    labels = {option.id: option.label for option in CHECKIN.options}
    contexts = []
    try:
        facilitator_context = browser.new_context()
        contexts.append(facilitator_context)
        facilitator = facilitator_context.new_page()
        _go_to(facilitator_context, served, "worker1")
        response = facilitator.goto(facilitator_address(served.url))
        assert response.headers[WORKER_HEADER.lower()] == "worker1"
        facilitator.get_by_role("button", name=words.facilitator.open_label).click(timeout=60_000)
        # The room's code is on the console's first line, whatever tab is open.
        code = facilitator.locator(".rw-room-counts .rw-console-code strong")
        code.wait_for(timeout=30_000)
        join_code = code.inner_text().replace("-", "")
        facilitator.get_by_role("tab", name=words.facilitator.tab_settings).click()
        facilitator.get_by_role("group", name=words.facilitator.threshold_question).get_by_role(
            "radio", name="3", exact=True
        ).check()
        facilitator.get_by_role("tab", name=words.facilitator.tab_results).click()
        panel = facilitator.locator(f'.rw-group-activity[data-slug="{SECTION_1.slug}"]')
        needed = counted(words.facilitator.needed, 3, threshold=3, needed=3)
        expect(panel).to_contain_text(needed, timeout=10_000)

        for _person in range(3):
            context = browser.new_context()
            contexts.append(context)
            page = context.new_page()
            _go_to(context, served, "worker2")
            welcome = page.goto(served.page(CONTENT.sections.welcome_notebook, f"?room={join_code}"))
            assert welcome.headers[WORKER_HEADER.lower()] == "worker2"
            shown = f"{join_code[:3]}-{join_code[3:]}"
            page.get_by_role("button", name=words.invite.join_label).click(timeout=60_000)  # it only asks
            page.get_by_text(words.join.in_room.format(code=shown)).wait_for(timeout=60_000)
            page.get_by_role("link", name=CONTENT.workbook.start_label).click()
            page.wait_for_url(f"**/{SECTION_1.notebook}")
            _ready(page)
            for number in range(1, len(CHECKIN.items) + 1):
                _radio(page, number, labels["often"]).check()
            _wait_saves(page, len(CHECKIN.items))
            page.get_by_role("checkbox", name=words.share.option).check()
            page.get_by_text(words.share.done_on).wait_for(timeout=10_000)
        # The dashboard on worker1 reads what three people on worker2 shared: the group's figures.
        panel.locator(".rw-slide-figure").first.wait_for(timeout=10_000)
        expect(facilitator.locator(".rw-room-counts")).to_contain_text("3 joined")
    finally:
        for context in contexts:
            context.close()


def test_sigterm_stops_haproxy_every_worker_and_every_kernel(served):
    launcher = psutil.Process(served.process.pid)
    deadline = time.monotonic() + WAIT
    for worker in ("worker1", "worker2"):
        _wait_until_served_by(served, worker, deadline)
    tree, commands, kernels = _launcher_tree(launcher)
    while not kernels:  # the preheated pages' kernels, unless the browser tests left some already
        assert time.monotonic() < deadline, "no kernel was ever running: the test would show nothing"
        time.sleep(0.5)
        tree, commands, kernels = _launcher_tree(launcher)
    # What must go: HAProxy (master and worker), both Voilà workers, their warm parents and kernels.
    assert sum("haproxy" in command for command in commands.values()) >= 2, commands
    assert sum(_is_voila_worker(command) for command in commands.values()) == 2
    assert sum("warm_parent" in command for command in commands.values()) >= 2 + len(kernels)

    started = time.monotonic()
    served.process.send_signal(signal.SIGTERM)
    assert served.process.wait(timeout=30) == 0
    stopped = time.monotonic() - started
    _gone, alive = psutil.wait_procs(tree, timeout=1)
    left = [f"{p.pid} {commands[p.pid]}" for p in alive if _running(p)]
    assert not left, f"left behind after {stopped:.1f} s: {left}"
    assert not served.folder.exists()
    with socket.socket() as probe:  # the public port is closed
        assert probe.connect_ex(("127.0.0.1", int(served.url.rsplit(":", 1)[1]))) != 0


def test_the_deployment_guide_shows_what_the_generator_writes():
    """docs/deploy.md's configuration is the generator's, so the guide and the command cannot drift."""
    guide = (REPO / "docs" / "deploy.md").read_text(encoding="utf-8")
    shown = guide.split("It writes:\n\n```\n", 1)[1].split("```", 1)[0]
    servers = [("web1", "10.0.0.11", 8866), ("web2", "10.0.0.12", 8866)]
    assert shown == haproxy_config("0.0.0.0", 443, servers, "/etc/haproxy/certs/workbook.pem")  # noqa: S104
    assert "--worker web1=10.0.0.11:8866 --worker web2=10.0.0.12:8866" in guide
