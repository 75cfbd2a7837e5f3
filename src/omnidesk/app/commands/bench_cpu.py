"""Where the machine's CPU went during a bench run, and what that says about scaling out.

Linux only (``/proc``): the whole machine's busy share (every core, from ``/proc/stat``), the
CPU of the processes the bench started (each leads its own process group: uvicorn's workers are
in it) and the bench's own CPU (its clients and sockets share the machine). Elsewhere the meter
reads nothing and the bench says so.
"""

from __future__ import annotations

import os
import resource
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROC = Path("/proc")
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
SCALING_TARGET = 1.6  # issue 19: N web + M workers against one process, same machine
BUSY_ENOUGH = 0.85  # a machine this busy with one process has no core left to give


def machine_ticks() -> tuple[int, int] | None:
    """Return (busy, total) clock ticks of every core since boot, or None without /proc."""
    try:
        first = (PROC / "stat").read_text().split("\n", 1)[0].split()
    except OSError:
        return None
    values = [int(v) for v in first[1:9]]  # user nice system idle iowait irq softirq steal
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def group_cpu_seconds(groups: set[int]) -> float | None:
    """CPU seconds (user + system) of the live processes in these process groups (None for
    no group: a server the bench did not start)."""
    if not groups or not PROC.is_dir():
        return None
    ticks = 0
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # gone meanwhile
        fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) "
        if int(fields[2]) in groups:  # pgrp
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / TICKS


def own_cpu_seconds() -> float:
    """CPU seconds of this process (the bench's clients and sockets)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass
class CpuMeter:
    """Read the counters at start; ``figures()`` gives what was spent since."""

    groups: set[int]
    started: float = 0.0
    machine: tuple[int, int] | None = None
    servers: float | None = None
    own: float = 0.0

    def __post_init__(self) -> None:
        self.started = time.monotonic()
        self.machine = machine_ticks()
        self.servers = group_cpu_seconds(self.groups)
        self.own = own_cpu_seconds()

    def figures(self) -> dict[str, Any]:
        """The wall time, the machine's busy share and the CPU seconds of each side."""
        wall = time.monotonic() - self.started
        now, servers = machine_ticks(), group_cpu_seconds(self.groups)
        busy = None
        if now is not None and self.machine is not None and now[1] > self.machine[1]:
            busy = round((now[0] - self.machine[0]) / (now[1] - self.machine[1]), 3)
        return {"seconds": round(wall, 1), "cores": os.cpu_count() or 1, "busy_share": busy,
                "server_cpu_s": (round(servers - self.servers, 1)
                                 if servers is not None and self.servers is not None else None),
                "bench_cpu_s": round(own_cpu_seconds() - self.own, 1)}


def ratio(mine: dict[str, Any], base: dict[str, Any], key: str, *,
          digits: int = 3) -> float | None:
    """``mine[key] / base[key]``, rounded (None when either is missing or the base is 0)."""
    value, of = mine.get(key), base.get(key)
    return round(value / of, digits) if value is not None and of else None


def _cpu_ms_per_message(side: dict[str, Any]) -> float | None:
    """The server's CPU milliseconds per message delivered everywhere in a run."""
    cpu = (side.get("cpu") or {}).get("server_cpu_s")
    count = side["product"].get("delivered_everywhere") or side["product"].get("accepted")
    return round(1000 * cpu / count, 1) if cpu is not None and count else None


def _explain(one: dict[str, Any], many: dict[str, Any], layout: str) -> str:
    """Why the set-up did not reach the target, from where the CPU went in each run."""
    cpu, many_cpu = one.get("cpu") or {}, many.get("cpu") or {}
    if cpu.get("busy_share") is None or cpu.get("server_cpu_s") is None:
        return "the machine's CPU could not be read (no /proc): the bench cannot say why"
    cores, wall, busy = cpu["cores"], cpu["seconds"] or 1.0, cpu["busy_share"]
    used = cpu["server_cpu_s"] / wall  # cores the one process kept busy
    if used < BUSY_ENOUGH and busy < BUSY_ENOUGH:
        return (f"one process used {used:.2f} of a core and the machine's {cores} cores were "
                f"{busy:.0%} busy: the limit was not CPU (the database, a lock or the bench "
                "itself); compare the steps")
    one_ms, many_ms = _cpu_ms_per_message(one), _cpu_ms_per_message(many)
    why = f"one process used {used:.2f} of a core"
    if used >= BUSY_ENOUGH:
        why += " (a Python process runs its code on one core at a time)"
    why += f", the machine's {cores} cores {busy:.0%} busy"
    if many_cpu.get("busy_share") is not None:
        why += f"; {layout} kept them {many_cpu['busy_share']:.0%} busy"
    if one_ms and many_ms:
        ratio = many_ms / one_ms
        why += (f" and spent {ratio:.2f}× the server CPU per message ({many_ms:g} against "
                f"{one_ms:g} ms)")
        idle = max(0.0, (1 - busy) * cores * wall)  # core-seconds the one-process run left
        ceiling = (cpu["server_cpu_s"] + idle) / cpu["server_cpu_s"] / ratio
        why += (f": these cores give at most about {ceiling:.1f}× (the one-process run's "
                f"{idle:.1f} idle core-seconds at the set-up's CPU per message)")
    return why + "; add cores or machines to scale out"


def scaling(one: dict[str, Any], many: dict[str, Any], *, web: int,
            workers: int) -> dict[str, Any]:
    """Compare the multi-process run with one process on the same machine: throughput ratios
    and, below the target, why (from where the CPU went in each run)."""
    accepted, delivered = (ratio(many["product"], one["product"], key, digits=2)
                           for key in ("accepted_per_s", "delivered_per_s"))
    layout = f"{web} web + {workers} worker processes"
    base = one["product"]
    offered = base.get("offered_per_s") or 0
    kept_up = (offered and not base.get("undelivered") and not base.get("refused")
               and (base.get("delivered_per_s") or 0) >= 0.9 * offered)
    if delivered is not None and delivered >= SCALING_TARGET:
        why = f"{layout} delivered {delivered}× what one process did"
    elif kept_up:
        why = (f"one process kept up with the {offered:g} msg/s offered, so neither could do "
               "more here: offer more than one process can take (a higher --rate) to compare")
    else:
        why = _explain(one, many, layout)
    return {"target": SCALING_TARGET, "accepted_ratio": accepted, "delivered_ratio": delivered,
            "cpu_ms_per_message": {"one": _cpu_ms_per_message(one),
                                   "many": _cpu_ms_per_message(many)},
            "met": delivered is not None and delivered >= SCALING_TARGET, "why": why}
