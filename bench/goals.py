"""The targets of issue 5 ("Reach"), in one place. Medians on this 2-core machine."""

#: Key-press-to-redraw median, as a multiple of the bare one-slider app's, per page.
BROWSER_RATIO = {"softmax": 0.25, "weights": 0.25, "training": 1.0}
#: Live views (issue 10): key press to drawn frame, p95 as a multiple of the bare app's p95.
BROWSER_P95_RATIO = {"softmax": 0.5, "weights": 0.5}
#: Live views: bytes sent to the server during a press (none) and by the debounced sync.
LIVE_SENT_DURING_PRESS = 0
LIVE_SYNC_KIB = 2.0
#: Live views: the first chart on a cold load, as a multiple of the pre-live baseline's.
COLDLOAD_RATIO = 1.0
#: ForwardMsg bytes per slider change at the page's defaults, in KiB.
PAYLOAD_KIB = {"softmax": 40.0, "weights": 40.0, "training": 30.0}
#: ... and at the page's ``largest`` settings (issue 11: /training at n=5000, steps=2000).
PAYLOAD_LARGEST_KIB = {"training": 120.0}
#: ``loss_and_grad`` must be at least this many times faster than the naive loops.
NAIVE_SPEEDUP = 100.0
#: ... and within this factor of the floor (X @ W, exp, X.T @ S) at N = FLOOR_N.
FLOOR_RATIO = 2.5
FLOOR_N = 100_000
#: Classroom load at CLASSROOM_N sessions.
CLASSROOM_N = 30
CLASSROOM_P95_MS = 300.0
CLASSROOM_RSS_MB = 400.0
#: The soak's growth of the server's resident memory.
SOAK_GROWTH_MB = 50.0
