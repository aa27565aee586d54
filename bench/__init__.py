"""The benchmark harness of the softmax gradient explorer (``python -m bench``).

One module per job: :mod:`bench.kernels` (numpy kernels), :mod:`bench.server` (AppTest
rerun times), :mod:`bench.payload` (bytes per slider change over a real websocket),
:mod:`bench.browser` (key press to redrawn chart in headless Chromium),
:mod:`bench.classroom` (many protocol-level sessions, and a soak), :mod:`bench.scale`
(replicas behind the ``deploy/`` load balancer: :mod:`bench.balancer`, :mod:`bench.replicas`,
:mod:`bench.lecture`, :mod:`bench.tab`, :mod:`bench.slow_start`), :mod:`bench.report`
(the table and ``bench/RESULTS.md``). :mod:`bench.protocol` is the browser-less
Streamlit client the payload and classroom benchmarks share.
"""
