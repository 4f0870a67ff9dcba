"""The workbook's Voilà server: Voilà itself, with the workbook's own routes, headers and logging.

``python -m widgets.server.voila_app notebooks ...`` takes the same options and reads the same
``voila.json`` as ``voila``; ``./workbook serve`` runs it. What it adds, once Voilà has made its Tornado
application and before it listens:

- the participant link's routes (`widgets.server.participant_link`);
- ``Referrer-Policy: no-referrer`` and two other private headers on every response
  (`widgets.server.privacy`);
- request lines logged by path only, Tornado's loggers written through Voilà's (so ``--log-level``
  shows them), and every log handler redacting secrets.
"""

from __future__ import annotations

import logging
from typing import Any

from voila.app import Voila

from widgets.server import participant_link, privacy

__all__ = ["WorkbookVoila", "main"]


class WorkbookVoila(Voila):
    """Voilà with the workbook's routes, private headers and private logs."""

    def init_handlers(self) -> list[Any]:
        """Voilà's routes after the workbook's own; also the headers and logging, on the new application."""
        self.app.transforms.append(privacy.PrivateHeaders)
        self.app.settings["log_function"] = privacy.log_request
        tornado_log = logging.getLogger("tornado")
        tornado_log.parent = self.log
        tornado_log.propagate = True
        tornado_log.setLevel(self.log.level)
        privacy.install_redactor(self.log)
        return [*participant_link.handlers(self.base_url), *super().init_handlers()]


main = WorkbookVoila.launch_instance

if __name__ == "__main__":
    main()
