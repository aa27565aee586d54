"""explorer/cpu_share.py: the share of one core this process used lately."""

from __future__ import annotations

import time

from explorer.cpu_share import CpuShare


class Clocks:
    """A wall clock and a CPU clock the test moves."""

    def __init__(self) -> None:
        self.now = 100.0
        self.used = 5.0

    def wall(self) -> float:
        return self.now

    def cpu(self) -> float:
        return self.used

    def spend(self, seconds: float, busy: float) -> None:
        self.now += seconds
        self.used += seconds * busy


def share(clocks: Clocks, **options) -> CpuShare:
    return CpuShare(wall=clocks.wall, cpu=clocks.cpu, **options)


def test_the_first_look_and_a_too_recent_one_tell_nothing():
    clocks = Clocks()
    load = share(clocks)
    assert load.share() == 0.0
    clocks.spend(0.01, 1.0)
    assert load.share() == 0.0


def test_the_share_since_the_last_look_a_window_ago():
    clocks = Clocks()
    load = share(clocks, window=1.0)
    load.share()
    clocks.spend(0.5, 0.2)
    assert abs(load.share() - 0.2) < 1e-9  # from the first look, 0.5 s ago
    clocks.spend(0.5, 0.8)
    assert abs(load.share() - 0.5) < 1e-9  # 1 s from the first look: 0.1 + 0.4
    clocks.spend(0.5, 1.0)
    assert abs(load.share() - (0.4 + 0.5) / 1.0) < 1e-9  # the first look is forgotten


def test_a_long_quiet_spell_reads_as_quiet():
    clocks = Clocks()
    load = share(clocks)
    load.share()
    clocks.spend(30.0, 0.0)
    clocks.spend(0.2, 1.0)
    assert load.share() < 0.01


def test_this_process_busy_on_one_thread_reads_as_about_one_core():
    load = CpuShare(window=0.2)
    load.share()
    end = time.perf_counter() + 0.3
    while time.perf_counter() < end:
        pass
    assert load.share() > 0.5
