"""``python -m bench``: run every benchmark, print one table, write ``bench/RESULTS.md``.

``python -m bench --only scale`` (any sections) replaces only those sections of
``bench/RESULTS.md`` and keeps the others.

``python -m bench --quick`` runs each piece on tiny sizes (one page, few sessions) to
check that the harness works, without judging times; it writes ``bench/out/quick.md``
(git-ignored) and never ``RESULTS.md``. The exit status is 1 when a benchmark could not
do its job (a crash, a page that raised, an output that cannot be right), whatever the
goals say; missed goals are reported, not fatal.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import sys
import time
import traceback
from pathlib import Path

SECTIONS = ("kernels", "server", "payload", "browser", "coldload", "classroom", "scale")
BENCH = Path(__file__).resolve().parent


def _load_numpy_single_threaded() -> None:
    # The kernels are compared with PyTorch on one thread, so numpy's BLAS gets one thread
    # too. OpenBLAS reads this when it loads; the variable is removed again so that the
    # Streamlit servers started later run with their usual settings.
    previous = os.environ.get("OPENBLAS_NUM_THREADS")
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    import numpy  # noqa: F401

    if previous is None:
        del os.environ["OPENBLAS_NUM_THREADS"]
    else:
        os.environ["OPENBLAS_NUM_THREADS"] = previous


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="tiny sizes, one page: check the harness, do not judge times")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=list(SECTIONS),
                        help="run only these benchmarks")
    parser.add_argument("--out", type=Path, default=None,
                        help="where to write the markdown report (default: bench/RESULTS.md, "
                             "or bench/out/quick.md with --quick)")
    return parser.parse_args(argv)


def _guarded(title: str, function, *args, **kwargs):
    """Run one benchmark; a crash becomes a section with a harness error, not a lost run."""
    from bench.results import Section

    start = time.perf_counter()
    try:
        section = function(*args, **kwargs)
    except Exception as error:
        section = Section(title)
        section.errors.append(f"{type(error).__name__}: {error}")
        traceback.print_exc()
    section.seconds = time.perf_counter() - start
    print(f"  {title}: {section.seconds:.1f} s", file=sys.stderr, flush=True)
    return section


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; return the exit status."""
    args = _parse(argv)
    _load_numpy_single_threaded()
    from bench import report
    from tests.support.live import streamlit_server

    started = datetime.datetime.now().astimezone()
    commit = report.git_commit()
    begin = time.perf_counter()
    quick = args.quick
    sections = []
    if "kernels" in args.only:
        from bench import kernels

        sections.append(_guarded("Kernels", kernels.run, quick=quick))
    if "server" in args.only:
        from bench import server

        sections.append(_guarded("Server", server.run, quick=quick))
    if "payload" in args.only or "browser" in args.only:
        from bench.pages import BARE_SCRIPT

        with contextlib.ExitStack() as stack:
            app_url = stack.enter_context(streamlit_server("app.py"))
            bare_url = stack.enter_context(streamlit_server(BARE_SCRIPT))
            if "payload" in args.only:
                from bench import payload

                sections.append(_guarded("Payload", payload.run, app_url, bare_url,
                                         quick=quick))
            if "browser" in args.only:
                from bench import browser

                sections.append(_guarded("Browser", browser.run, app_url, bare_url,
                                         quick=quick))
    if "coldload" in args.only:
        from bench import coldload

        sections.append(_guarded("Cold load", coldload.run, quick=quick))
    if "classroom" in args.only:
        from bench import classroom

        sections.append(_guarded("Classroom", classroom.run, quick=quick))
    if "scale" in args.only:
        from bench import scale

        sections.append(_guarded("Scale", scale.run, quick=quick))

    seconds = time.perf_counter() - begin
    print(report.table(sections))
    out = args.out or (BENCH / "out" / "quick.md" if quick else BENCH / "RESULTS.md")
    out.parent.mkdir(parents=True, exist_ok=True)
    text = report.markdown(sections, mode="quick" if quick else "full", started=started,
                           seconds=seconds, commit=commit)
    if not quick and args.out is None and set(args.only) != set(SECTIONS) and out.exists():
        # Some sections only: put them into the full report, keep the others.
        text = report.merge(out.read_text(), text, "python -m bench --only " + " ".join(args.only))
    out.write_text(text)
    errors = [f"{section.title}: {error}" for section in sections for error in section.errors]
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    print(f"\n{len(errors)} error(s); {seconds:.0f} s; report: {out}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
