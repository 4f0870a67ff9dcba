"""``./workbook serve [PORT] [--lan]``: start the workbook's Voilà server.

Alone, the server listens on this computer only (``http://127.0.0.1:8866/``). With ``--lan`` it listens
on every network this computer is on, so participants' own phones and laptops on the same Wi-Fi (or
the facilitator's phone hotspot) can open it; it prints the address(es) they open and a QR code of the
first. That address is also what the facilitator's room page shows and turns into its QR code
(``RECONNECTION_PUBLIC_URL``, unless that is already set, as behind a proxy).

With ``--workers N`` (2 to 16) it serves with N Voilà processes behind HAProxy on the same port, for
rooms too busy for one Python thread (`widgets.server.workers`); 1, the default, is one Voilà process.

Only a group leader may open a room: before anything starts, the launcher makes the facilitator token
(`widgets.room.access`; or takes ``RECONNECTION_FACILITATOR_TOKEN``) and puts it in its environment, so
every worker, warm parent and page kernel has the same one, and prints the facilitator link with it.

Options may come in any order: ``./workbook serve 9000 --lan``, ``./workbook serve --lan --port 9000``,
``./workbook serve --workers=2 --lan``. Settings for Voilà itself (``--Class.name=value``) are passed on
unchanged (to every worker).
"""

from __future__ import annotations

import ipaddress
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TextIO

import psutil
import segno

from widgets.room.access import TokenError, ensure_facilitator_token, facilitator_link, facilitator_token
from widgets.room.join import PUBLIC_URL_SETTING

__all__ = [
    "DEFAULT_PORT",
    "MAX_WORKERS",
    "USAGE",
    "ServeOptions",
    "UsageError",
    "announce",
    "facilitator_address",
    "lan_addresses",
    "main",
    "parse_options",
    "public_addresses",
    "read_options",
    "ready_token",
    "voila_command",
]

DEFAULT_PORT = 8866
# Most Voilà workers ``--workers`` may ask for: more than a laptop has cores only adds overhead.
MAX_WORKERS = 16
USAGE = "usage: ./workbook serve [PORT] [--lan] [--port PORT] [--workers N]"
# Interfaces that are this computer's own plumbing (containers, virtual machines), listed last.
_VIRTUAL = ("docker", "br-", "veth", "virbr", "vmnet", "vboxnet", "lxc", "podman", "cni", "flannel")


class UsageError(ValueError):
    """The command line asks for something the command cannot do; the message says what."""


@dataclass(frozen=True)
class ServeOptions:
    """What ``./workbook serve`` was asked for."""

    port: int = DEFAULT_PORT
    lan: bool = False
    voila_settings: tuple[str, ...] = field(default_factory=tuple)
    workers: int = 1


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise UsageError(f"the port must be a number from 1 to 65535, got '{text}'")
    return int(text)


def _workers(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= MAX_WORKERS:
        raise UsageError(f"--workers must be a number from 1 to {MAX_WORKERS}, got '{text}'")
    return int(text)


def _option_value(word: str, words: list[str], option: str, example: str) -> str:
    """The text given to ``option``: after its ``=``, or else the next word (taken off ``words``)."""
    if word == option:
        if not words:
            raise UsageError(f"{option} needs a number after it, e.g. {example}")
        return words.pop(0)
    return word.removeprefix(f"{option}=")


def _same_port(earlier: int | None, given: str) -> int:
    """The port ``given`` names; a port given twice must be the same both times."""
    if earlier is not None and _port(given) != earlier:
        raise UsageError(f"two different ports were given: {earlier} and {given}")
    return _port(given)


def _same_workers(earlier: int | None, given: int) -> int:
    """The number of workers ``given``; a number given twice must be the same both times."""
    if earlier is not None and given != earlier:
        raise UsageError(f"two different numbers of workers were given: {earlier} and {given}")
    return given


def parse_options(arguments: Sequence[str]) -> ServeOptions:
    """Read ``[PORT] [--port N] [--lan] [--workers N] [--Class.name=value ...]`` in any order."""
    port: int | None = None
    lan = False
    workers: int | None = None
    settings: list[str] = []
    words = list(arguments)
    while words:
        word = words.pop(0)
        if word == "--lan":
            lan = True
        elif word == "--workers" or word.startswith("--workers="):
            count = _workers(_option_value(word, words, "--workers", "--workers 2"))
            workers = _same_workers(workers, count)
        elif word == "--port" or word.startswith("--port="):
            port = _same_port(port, _option_value(word, words, "--port", "--port 8866"))
        elif word.startswith("--") and "." in word.split("=", 1)[0]:
            settings.append(word)
        elif not word.startswith("-"):
            port = _same_port(port, word)
        else:
            raise UsageError(
                f"'{word}' is not an option of ./workbook serve (try --lan, --port N or --workers N)"
            )
    return ServeOptions(
        port=DEFAULT_PORT if port is None else port,
        lan=lan,
        voila_settings=tuple(settings),
        workers=1 if workers is None else workers,
    )


def lan_addresses() -> list[str]:
    """The IPv4 addresses of this computer on its networks that are up: the Wi-Fi's first, loopback never."""
    up = {name for name, stats in psutil.net_if_stats().items() if stats.isup}
    found: list[tuple[int, str]] = []
    for name, addresses in psutil.net_if_addrs().items():
        if name not in up:
            continue
        for address in addresses:
            if address.family != 2:  # socket.AF_INET
                continue
            ip = ipaddress.ip_address(address.address)
            if ip.is_loopback or ip.is_unspecified or ip.is_multicast:
                continue
            virtual = name.startswith(_VIRTUAL)
            rank = (2 if virtual else 0) + (1 if ip.is_link_local or not ip.is_private else 0)
            found.append((rank, address.address))
    return [address for _rank, address in sorted(set(found), key=lambda item: (item[0], item[1]))]


def facilitator_address(options: ServeOptions, public_url: str = "") -> str:
    """The facilitator link: on this computer, or under ``public_url`` when the user set one (a proxy)."""
    from widgets.workbook_content import load_content  # the launcher reads the content only here

    base = public_url or f"http://127.0.0.1:{options.port}/"
    return facilitator_link(base, load_content().sections.facilitator_notebook, facilitator_token())


def announce(options: ServeOptions, addresses: Sequence[str], out: TextIO, public_url: str = "") -> None:
    """Tell the facilitator where the workbook is, how participants reach it, and the facilitator link.

    ``public_url``: ``RECONNECTION_PUBLIC_URL`` as the user set it (behind a proxy), not as ``--lan``
    set it; the facilitator link is under it.
    """
    _announce_where(options, addresses, out)
    print("[workbook] facilitator link (keep it to yourself: it opens rooms):", file=out)
    print(f"    {facilitator_address(options, public_url)}", file=out)


def _announce_where(options: ServeOptions, addresses: Sequence[str], out: TextIO) -> None:
    local = f"http://127.0.0.1:{options.port}/"
    if not options.lan:
        print(f"[workbook] serving the workbook at {local} (Ctrl+C stops it)", file=out)
        print(
            "[workbook] only this computer can open it. For participants' own phones and laptops,"
            " start it with: ./workbook serve --lan",
            file=out,
        )
        return
    if not addresses:
        print(
            "[workbook] this computer is not on a network yet. Join the venue's Wi-Fi or turn on"
            " your phone's hotspot and join it, then start the workbook again.",
            file=out,
        )
        print(f"[workbook] meanwhile it is open on this computer at {local}", file=out)
        return
    urls = [f"http://{address}:{options.port}/" for address in addresses]
    print("[workbook] serving the workbook on the local network (Ctrl+C stops it).", file=out)
    print("[workbook] participants on the same Wi-Fi or hotspot open:", file=out)
    for url in urls:
        print(f"    {url}", file=out)
    print(f"[workbook] or scan this QR code of {urls[0]} with a phone's camera:", file=out)
    segno.make_qr(urls[0], error="m").terminal(out=out, compact=True)
    print(
        "[workbook] this is plain HTTP: keep it to a local network you trust (see the README for HTTPS)."
        " If phones cannot open it, the computer's firewall may block port"
        f" {options.port}, or the Wi-Fi may keep devices apart (guest networks often do).",
        file=out,
    )


def voila_command(options: ServeOptions) -> list[str]:
    """The Voilà command that serves the notebooks as asked."""
    # The workbook's Voilà (widgets.server.voila_app): Voilà's options and voila.json, plus its routes.
    command = [sys.executable, "-m", "widgets.server", "notebooks", f"--port={options.port}"]
    command.append("--no-browser")
    if options.lan:
        command.append("--Voila.ip=0.0.0.0")
    return [*command, *options.voila_settings]


def public_addresses(options: ServeOptions) -> list[str]:
    """With ``--lan``, the addresses participants open; the first becomes ``RECONNECTION_PUBLIC_URL``.

    Unless that is set already (as behind a proxy). The port is the public one: HAProxy's with
    ``--workers``, which every worker inherits for its room page.
    """
    addresses = lan_addresses() if options.lan else []
    if options.lan and addresses and not os.environ.get(PUBLIC_URL_SETTING):
        os.environ[PUBLIC_URL_SETTING] = f"http://{addresses[0]}:{options.port}/"
    return addresses


def ready_token() -> bool:
    """Put the facilitator token in this process's environment; ``False`` once a bad one is explained.

    Called before the launcher becomes anything else, so every process after it inherits the token.
    """
    try:
        ensure_facilitator_token()
    except TokenError as error:
        print(f"[workbook] {error}", file=sys.stderr)
        return False
    return True


def read_options(argv: Sequence[str] | None) -> ServeOptions | None:
    """The options of the command line, or ``None`` once a mistake in it has been explained."""
    try:
        return parse_options(sys.argv[1:] if argv is None else argv)
    except UsageError as error:
        print(f"[workbook] {error}", file=sys.stderr)
        print(USAGE, file=sys.stderr)
        return None


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line, say where the workbook is, then become the Voilà server.

    With ``--workers N`` above 1, become the supervisor of N Voilà workers behind HAProxy instead
    (`widgets.server.workers`, which reads the same command line).
    """
    options = read_options(argv)
    if options is None or not ready_token():
        return 2
    if options.workers > 1:
        arguments = sys.argv[1:] if argv is None else list(argv)
        sys.stderr.flush()
        supervisor = [sys.executable, "-m", "widgets.server.workers", *arguments]
        os.execv(supervisor[0], supervisor)  # noqa: S606 - this same Python, this same package
    public_url = os.environ.get(PUBLIC_URL_SETTING, "")  # the user's, before --lan sets its own
    addresses = public_addresses(options)
    announce(options, addresses, sys.stderr, public_url)
    sys.stderr.flush()
    command = voila_command(options)
    os.execv(command[0], command)  # noqa: S606 - Voilà from this same environment
    return 0  # pragma: no cover - execv does not return


if __name__ == "__main__":
    raise SystemExit(main())
