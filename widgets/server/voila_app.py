"""The workbook's Voilà server: Voilà itself, with the workbook's own routes, headers and logging.

``python -m widgets.server notebooks ...`` (``__main__.py`` begins the warm parent, then runs this) takes
the same options and reads the same ``voila.json`` as ``voila``; ``./workbook serve`` runs it. What it
adds, once Voilà has made its Tornado application and before it listens:

- the participant link's routes (`widgets.server.participant_link`);
- ``Referrer-Policy: no-referrer`` and two other private headers on every response
  (`widgets.server.privacy`);
- request lines logged by path only, Tornado's loggers written through Voilà's (so ``--log-level``
  shows them), and every log handler redacting secrets;
- **only the workbook's own host names are answered**: a request naming any other host (a DNS
  rebinding page's, whose browser sends its own name in ``Host``) gets a short 400 before any route,
  kernel or cookie is touched (:class:`ServedHosts`);
- Voilà's page handler replaced by the workbook's (`widgets.server.page_requests`: the facilitator
  page's gate, whose each page's kernel is);
- the template's files with any other address under ``/voila/templates/`` a plain 404: Voilà's handler
  raised on it (a 500 with a traceback in the log);
- **light on the wire** (`widgets.server.static_files`, `widgets.server.compression`): every text
  response compressed (brotli or gzip), static files from copies made once, and cached by the browser
  as long as their address allows: the pages load Voilà's own files from a versioned address, so a next
  page asks for none of them again.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import os
import posixpath
import re
import socket
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import psutil
from jupyter_server.base.handlers import FileFindHandler
from jupyter_server.services.contents.largefilemanager import LargeFileManager
from tornado import httputil, web
from tornado.routing import Matcher, Rule
from voila.app import Voila
from voila.static_file_handler import MultiStaticFileHandler, TemplateStaticFileHandler
from voila.tornado.handler import TornadoVoilaHandler

from widgets.rendering.parts import page_template_words
from widgets.room.join import PUBLIC_URL_SETTING
from widgets.server import participant_link, privacy, slides_window
from widgets.server.compression import CompressedResponses
from widgets.server.page_requests import WorkbookPageHandler
from widgets.server.page_scripts import bundle_digest, page_urls
from widgets.server.static_files import (
    ExtensionFiles,
    TemplateStaticFiles,
    VoilaStaticFiles,
    page_scripts_route,
    static_digest,
    versioned_page_config,
    versioned_static_route,
    warm_in_background,
)

__all__ = [
    "ALLOWED_HOSTS_SETTING",
    "ForeignHost",
    "ForeignHostHandler",
    "ServedHosts",
    "TemplateFiles",
    "WorkbookVoila",
    "main",
]

# More host names to answer to, comma-separated: a reverse proxy's name, when it differs from
# RECONNECTION_PUBLIC_URL's (or that is not set).
ALLOWED_HOSTS_SETTING = "RECONNECTION_ALLOWED_HOSTS"
# Seconds this computer's addresses are kept before they are read again: a laptop's address changes
# when it joins another network, and `--lan` must keep working without a restart.
ADDRESSES_KEPT = 5.0
# An address not among them is read again at most this often (a request cannot make the server read
# its interfaces on every request).
ADDRESSES_REREAD = 1.0


def _normal(name: str) -> str:
    """A host name as compared: lower case, no brackets, no final dot; an IP address in its short form."""
    name = name.strip().lower().rstrip(".")
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    try:
        return str(ipaddress.ip_address(name.split("%", 1)[0]))  # an IPv6 zone (fe80::1%eth0) aside
    except ValueError:
        return name


class ServedHosts:
    """The host names the workbook answers to.

    ``localhost``, loopback addresses, this computer's own addresses (read with psutil, kept
    :data:`ADDRESSES_KEPT` seconds), ``RECONNECTION_PUBLIC_URL``'s host name and the names in
    ``RECONNECTION_ALLOWED_HOSTS``. Any other name is a page elsewhere that made its own name point at
    this computer (DNS rebinding): its requests must not reach the workbook.
    """

    def __init__(
        self, environ: Mapping[str, str] | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        environ = os.environ if environ is None else environ
        names = {"localhost"}
        public = urlsplit(environ.get(PUBLIC_URL_SETTING, "")).hostname
        if public:
            names.add(_normal(public))
        names.update(
            _normal(name) for name in environ.get(ALLOWED_HOSTS_SETTING, "").split(",") if name.strip()
        )
        self.names = frozenset(names)
        self.clock = clock
        self._own: frozenset[str] = frozenset()
        self._read_at = -math.inf

    def own_addresses(self, fresh_after: float = ADDRESSES_KEPT) -> frozenset[str]:
        """The computer's own addresses on every interface, read again if older than ``fresh_after`` s."""
        if self.clock() - self._read_at >= fresh_after:
            self._own = frozenset(
                _normal(address.address)
                for addresses in psutil.net_if_addrs().values()
                for address in addresses
                if address.family in (socket.AF_INET, socket.AF_INET6)
            )
            self._read_at = self.clock()
        return self._own

    def allows(self, host_name: str) -> bool:
        """Whether a request whose ``Host`` names ``host_name`` (no port) is the workbook's."""
        name = _normal(host_name)
        if name in self.names:
            return True
        try:
            address = ipaddress.ip_address(name)
        except ValueError:
            return False  # a name no one configured
        if address.is_loopback or (
            address.version == 6 and address.ipv4_mapped and address.ipv4_mapped.is_loopback
        ):
            return True
        return name in self.own_addresses() or name in self.own_addresses(fresh_after=ADDRESSES_REREAD)


class ForeignHost(Matcher):
    """Matches a request whose host name the workbook does not serve."""

    def __init__(self, hosts: ServedHosts) -> None:
        self.hosts = hosts

    def match(self, request: httputil.HTTPServerRequest) -> dict[str, Any] | None:
        """``{}`` (route it to :class:`ForeignHostHandler`) for a foreign host, else ``None``."""
        return None if self.hosts.allows(request.host_name) else {}


class _EveryMethod(tuple[str, ...]):
    """Tornado's list of methods a handler takes, holding every method (an unknown one too)."""

    def __contains__(self, _method: object) -> bool:
        return True


class ForeignHostHandler(web.RequestHandler):
    """Answers any request for a foreign host with 400 and a short neutral text, and does nothing else.

    Every method, and a websocket's upgrade (a GET), is answered before any of it is read or kept: no
    cookie, no kernel, no answer saved.
    """

    SUPPORTED_METHODS = _EveryMethod()

    def check_xsrf_cookie(self) -> None:
        """No check: nothing is done for the request, whatever its cookies."""

    def prepare(self) -> None:
        """Answer at once."""
        self.set_status(400)
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        self.finish("This server does not answer to that host name.\n")


# A template's file: TEMPLATE/static/PATH, TEMPLATE a plain name.
_TEMPLATE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")


def _template_file(url_path: str) -> bool:
    parts = url_path.split("/", 2)
    normal = posixpath.normpath(url_path).split("/", 2)
    return (
        len(parts) == 3
        and parts[1] == "static"
        and bool(parts[2])
        and _TEMPLATE_NAME.fullmatch(parts[0]) is not None
        and normal[:2] == parts[:2]  # still in that template's static folder once `..` is read
        and len(normal) == 3
    )


class TemplateFiles(TemplateStaticFiles):
    """Voilà's template files (``/voila/templates/TEMPLATE/static/PATH``); any other address a 404.

    Voilà's handler splits the address into three parts and asserts the second is ``static``, so
    ``reconnection/conf.json`` raised (a 500, with a traceback in the log). Such an address is a plain
    404 here, before Voilà reads it.
    """

    def parse_url_path(self, url_path: str) -> str:
        """The file's path, once the address is a template's file; else a 404."""
        if not _template_file(url_path):
            raise web.HTTPError(404)
        try:
            return super().parse_url_path(url_path)
        except ValueError:  # not a template Voilà knows
            raise web.HTTPError(404) from None


_REPLACED = {
    TornadoVoilaHandler: WorkbookPageHandler,
    TemplateStaticFileHandler: TemplateFiles,
    MultiStaticFileHandler: VoilaStaticFiles,
    FileFindHandler: ExtensionFiles,
}


class NotebookFiles(LargeFileManager):
    """Voilà's contents manager, without a warning about trust for a notebook that has nothing to trust.

    Jupyter calls a notebook "trusted" once its outputs were signed on this machine, so that HTML and
    scripts a stranger saved in them cannot run when it is opened. The workbook's notebooks are committed
    without outputs (each page's outputs come from its own kernel), yet Jupyter said "Notebook ... is not
    trusted" for every one of them at each start: 13 warnings a facilitator read as errors. A notebook
    with no output is now trusted quietly; one with outputs follows Jupyter's rule, warning included.
    """

    def mark_trusted_cells(self, nb: Any, path: str = "") -> None:
        """Trust a notebook without outputs as it is; ask Jupyter's notary about any other."""
        if any(cell.get("outputs") for cell in nb.cells):
            super().mark_trusted_cells(nb, path)  # type: ignore[no-untyped-call]  # unannotated in Jupyter
        else:
            self.notary.mark_cells(nb, True)  # type: ignore[no-untyped-call]  # unannotated in nbformat


class WorkbookVoila(Voila):
    """Voilà with the workbook's routes, private headers and private logs, light on the wire."""

    static_version = ""
    page_version = ""
    _contents: Any = None

    @property
    def contents_manager(self) -> Any:
        """The notebooks' contents manager: Voilà's own kind, quiet about notebooks without outputs."""
        return self._contents

    @contents_manager.setter
    def contents_manager(self, manager: Any) -> None:
        # Voilà makes a LargeFileManager in its init_settings (no setting chooses the class).
        if type(manager) is LargeFileManager:
            manager = NotebookFiles(parent=self)
        self._contents = manager

    def init_settings(self) -> dict[str, Any]:
        """Voilà's settings, once its pages are set to load its files from their versioned address."""
        self.static_version = static_digest(self.static_paths)
        configured = self.voila_configuration.page_config_hook
        self.page_version = bundle_digest()
        self.voila_configuration.page_config_hook = versioned_page_config(
            self.static_version, configured, page_urls(self.base_url, self.page_version)
        )
        warm_in_background()
        settings: dict[str, Any] = super().init_settings()  # Voilà ships no type information
        # The folder page's words come from the content files too (its template: tree-lab.html).
        settings["voila_jinja2_env"].globals["page_words"] = page_template_words
        return settings

    def init_handlers(self) -> list[Any]:
        """Voilà's routes after the workbook's own; also the headers and logging, on the new application."""
        # First of all the application's rules: a foreign host reaches nothing else. Voilà adds its
        # routes after this (`add_handlers` inserts before the last rule), so this one stays first.
        self.app.default_router.rules.insert(0, Rule(ForeignHost(ServedHosts()), ForeignHostHandler))
        self.app.transforms.append(privacy.PrivateHeaders)
        self.app.transforms.append(CompressedResponses)
        self.app.settings["log_function"] = privacy.log_request
        tornado_log = logging.getLogger("tornado")
        tornado_log.parent = self.log
        tornado_log.propagate = True
        tornado_log.setLevel(self.log.level)
        privacy.install_redactor(self.log)
        return [
            *participant_link.handlers(self.base_url),
            *slides_window.handlers(self.base_url),
            versioned_static_route(self.server_url, self.static_paths, self.static_version),
            page_scripts_route(self.server_url, self.page_version),
            *_replaced(super().init_handlers()),
        ]


def _replaced(handlers: list[Any]) -> list[Any]:
    """Voilà's routes with its page handler and its template files' handler replaced by the workbook's."""
    found = set()
    routes = []
    for route in handlers:
        handler = route[1]
        if handler in _REPLACED:
            found.add(handler)
            route = (route[0], _REPLACED[handler], *route[2:])
        routes.append(route)
    if found != set(_REPLACED):  # a Voilà that routes otherwise would serve pages without the gate
        raise RuntimeError(
            f"Voilà's routes changed: {sorted(h.__name__ for h in set(_REPLACED) - found)} not found"
        )
    return routes


main = WorkbookVoila.launch_instance

if __name__ == "__main__":
    main()
