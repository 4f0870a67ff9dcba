"""The test harness: what the tests and the benchmarks both use to drive the workbook from outside.

The real server (`harness.server`: started as ``./workbook serve`` starts it, stopped, killed,
restarted, its kernels counted and its CPU and memory read), the protocol-level page client
(`harness.page_client`: a page over HTTP and its kernel websocket, as a browser's page does), the
throwaway PostgreSQL (`harness.postgres`), the Chromium settings (`harness.browser`) and the
percentiles the figures are given in (`harness.stats`).

The tests and the benchmarks both import it; it imports neither (`tests/test_harness.py` checks).
"""
