"""What runs in the Voilà server process, not in a page's kernel (``voila.json`` chooses each).

``kernels.py``: the cap on page kernels and its busy page; ``room_pools.py``: preheated pages sized to
the open rooms; ``provisioner.py``: the kernel provisioner that asks the warm parent for kernels;
``warm_parent.py``: the process that imports every page once and forks kernels from it;
``template_cache.py``: page templates compiled once per server; ``websocket.py``: the kernel websocket,
sending each message at once; ``voila_app.py``: the workbook's Voilà (``./workbook serve`` runs it), which
adds ``page_requests.py`` (its page handler: a link's workbook code asked about first, the facilitator
page's gate, whose each page kernel is, for the limits per participant and without a cookie),
``participant_link.py`` (the participant cookie, what may change it, and the blank page of "Leave
quickly"), ``privacy.py`` (``Referrer-Policy`` on every response, logs without secrets) and the host
names it answers. Two modules run before any
server: ``launch.py``, ``./workbook serve``'s
options, and ``workers.py``, which with ``--workers N`` supervises N Voilà servers behind HAProxy.

The arrows point one way: a page's kernel never imports anything here. Code here may use the page
shell's content, HTML parts and store (the busy page, the rooms in use), and the warm parent imports
the pages to preload them.
"""
