"""explorer/recent_load.py: the share of the last second spent in recorded work."""

from __future__ import annotations

import threading

from explorer.recent_load import RecentLoad


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_an_idle_process_has_no_load():
    assert RecentLoad(clock=Clock()).share() == 0.0


def test_the_share_of_the_window_spent_in_work():
    clock = Clock()
    load = RecentLoad(window=1.0, clock=clock)
    load.add(99.5, 99.7)
    load.add(99.8, 99.9)
    assert abs(load.share() - 0.3) < 1e-12


def test_work_older_than_the_window_is_forgotten_and_a_straddling_piece_counts_in_part():
    clock = Clock()
    load = RecentLoad(window=1.0, clock=clock)
    load.add(98.0, 98.5)  # long gone
    load.add(98.8, 99.2)  # 0.2 s inside the window
    assert abs(load.share() - 0.2) < 1e-12
    clock.now = 200.0
    assert load.share() == 0.0


def test_timed_records_the_block_even_when_it_raises():
    clock = Clock()
    load = RecentLoad(window=1.0, clock=clock)

    class BoomError(Exception):
        pass

    try:
        with load.timed():
            clock.now += 0.25
            raise BoomError
    except BoomError:
        pass
    assert abs(load.share() - 0.25) < 1e-12


def test_threads_can_record_at_once():
    load = RecentLoad(window=60.0)
    start = load.clock()

    def work() -> None:
        for _ in range(1000):
            load.add(start, start + 0.001)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert abs(load.share() - 4.0 / 60.0) < 1e-9
