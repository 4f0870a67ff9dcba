"""``python -m widgets.server``: the workbook's Voilà server, its warm parent begun first.

``./workbook serve`` runs it. The warm parent (`widgets.server.warm_parent`) preloads what every page
imports, about 2 CPU-seconds, and the server itself takes about as long to import and start: begun
first, the two run side by side on 2 cores. After a crash, a room's reloaded pages then find kernels
ready to fork the moment the server answers, rather than 2 s later. A ``voila.json`` that chooses
another provisioner stops it (`widgets.server.kernels`). Everything else is `widgets.server.voila_app`'s.
"""

from widgets.server.provisioner import begin_warm_parent

begin_warm_parent()

from widgets.server.voila_app import main  # noqa: E402 - imported once the warm parent is begun, on purpose

main()
