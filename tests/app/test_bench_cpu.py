"""`omnidesk bench` says where the machine's CPU went while it drove the server, and with
`--processes N --scaling` whether N processes beat one and, when not, why."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

import pytest
from typer.testing import CliRunner

from omnidesk.app.cli import app
from omnidesk.app.commands.bench_cpu import CpuMeter, group_cpu_seconds, scaling

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads Linux's /proc")


def test_the_meter_counts_the_cpu_of_the_process_groups_it_started() -> None:
    burn = ("import time\nend = time.process_time() + 0.6\n"
            "while time.process_time() < end: pass\nprint('burnt', flush=True)\ntime.sleep(30)")
    burner = subprocess.Popen([sys.executable, "-c", burn], stdout=subprocess.PIPE,
                              start_new_session=True)  # a group of its own, as the servers
    idle = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"],
                            start_new_session=True)
    try:
        meter = CpuMeter({burner.pid})
        assert burner.stdout is not None and burner.stdout.readline() == b"burnt\n"
        time.sleep(0.2)
        figures = meter.figures()
        assert 0.5 <= figures["server_cpu_s"] <= 1.5  # the burner's, not the idle one's
        assert group_cpu_seconds({idle.pid}) is not None
        assert group_cpu_seconds({idle.pid}) < 0.3  # type: ignore[operator]
        assert 0 < figures["busy_share"] <= 1 and figures["cores"] == os.cpu_count()
        assert figures["seconds"] >= 0.6 and figures["bench_cpu_s"] >= 0
    finally:
        for process in (burner, idle):
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            if process.stdout is not None:
                process.stdout.close()


def test_a_server_the_bench_did_not_start_has_no_cpu_figure() -> None:
    assert CpuMeter(set()).figures()["server_cpu_s"] is None


def _run(accepted: float, delivered: float, cpu: dict[str, Any] | None = None,
         offered: float = 40.0, messages: int = 320) -> dict[str, Any]:
    return {"product": {"offered_per_s": offered, "accepted_per_s": accepted,
                        "delivered_per_s": delivered, "refused": 0, "undelivered": 0,
                        "accepted": messages, "delivered_everywhere": messages},
            "cpu": cpu or {}}


# as measured on this machine: one process at one core, the machine not full; the set-up full
ONE = {"cores": 2, "busy_share": 0.72, "server_cpu_s": 10.4, "bench_cpu_s": 1.0,
       "seconds": 11.0}
MANY = {"cores": 2, "busy_share": 0.99, "server_cpu_s": 14.1, "bench_cpu_s": 1.2,
        "seconds": 10.6}


def test_below_the_target_the_verdict_says_where_the_cpu_went() -> None:
    verdict = scaling(_run(39.9, 29.8, ONE), _run(39.9, 30.6, MANY), web=2, workers=2)
    assert (verdict["accepted_ratio"], verdict["delivered_ratio"], verdict["met"]) == (
        1.0, 1.03, False)
    assert verdict["cpu_ms_per_message"] == {"one": 32.5, "many": 44.1}
    why = verdict["why"]
    assert "one process used 0.95 of a core" in why and "one core at a time" in why
    assert "2 cores 72% busy" in why and "2 web + 2 worker processes kept them 99% busy" in why
    assert "1.36× the server CPU per message (44.1 against 32.5 ms)" in why
    # (10.4 + 0.28 × 2 × 11 idle core-seconds) / 10.4 / 1.36
    assert "at most about 1.2×" in why and "add cores or machines" in why


def test_below_the_target_on_an_idle_machine_the_limit_is_not_cpu() -> None:
    idle = {**ONE, "busy_share": 0.4, "server_cpu_s": 4.4}
    verdict = scaling(_run(20, 10, idle), _run(20, 11, MANY), web=2, workers=2)
    assert not verdict["met"] and "only" not in verdict["why"]
    assert "0.40 of a core" in verdict["why"] and "the limit was not CPU" in verdict["why"]


def test_scaling_out_that_delivers_enough_meets_the_target() -> None:
    verdict = scaling(_run(20, 10, ONE), _run(40, 17, MANY), web=2, workers=2)
    assert verdict["met"] and verdict["delivered_ratio"] == 1.7


def test_when_one_process_kept_up_the_verdict_asks_for_a_higher_rate() -> None:
    verdict = scaling(_run(16, 15.7, ONE, offered=16), _run(16, 15.3, MANY), web=2, workers=2)
    assert not verdict["met"] and "kept up with the 16 msg/s offered" in verdict["why"]


def test_without_proc_figures_the_bench_says_it_cannot_tell() -> None:
    verdict = scaling(_run(20, 10), _run(20, 10), web=2, workers=2)
    assert not verdict["met"] and "cannot say why" in verdict["why"]


def test_scaling_needs_processes() -> None:
    result = CliRunner().invoke(app, ["bench", "--scaling"])
    assert result.exit_code == 1 and "--processes" in result.output
