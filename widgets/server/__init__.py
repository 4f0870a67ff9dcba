"""What runs in the Voilà server process, not in a page's kernel (``voila.json`` chooses each).

``kernels.py``: the cap on page kernels and its busy page; ``provisioner.py``: the kernel provisioner
that asks the warm parent for kernels; ``warm_parent.py``: the process that imports every page once and
forks kernels from it; ``template_cache.py``: page templates compiled once per server.

The arrows point one way: a page's kernel never imports anything here. Code here may use the page
shell's content and HTML parts (the busy page), and the warm parent imports the pages to preload them.
"""
