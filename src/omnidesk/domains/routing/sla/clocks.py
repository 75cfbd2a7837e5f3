"""SLA clocks: first-response and resolution targets per priority, counted in business hours.

The clock runs only while the conversation is neither waiting on the customer (``pending``,
``snoozed``) nor resolved, and only while the business calendar (``workspaces.calendar``: the
conversation's queue's hours, else the workspace's) is open. Each target reports
``ok``, ``warning`` (within ``warn_before_seconds`` of its target), ``breached``, or once the
conversation answered it, ``met`` / ``missed``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from omnidesk.domains.workspaces.service import Calendar

PAUSED_STATUSES = frozenset({"pending", "snoozed"})
STOPPED_STATUSES = frozenset({"resolved"})
METRICS = ("first_response", "resolution")
SLA_WARNING = "sla.warning"
SLA_BREACHED = "sla.breached"


@dataclass(frozen=True, slots=True)
class StatusInterval:
    """A span during which the conversation had one status (``end`` None: still has it)."""

    status: str
    start: dt.datetime
    end: dt.datetime | None = None


@dataclass(frozen=True)
class SlaPolicy:
    """Targets in business seconds per priority and metric, and when to warn."""

    targets: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    warn_before_seconds: float = 300.0

    @classmethod
    def from_config(cls, data: Mapping[str, Any]) -> SlaPolicy:
        """Parse ``{"targets": {"urgent": {"first_response": 900}}, "warn_before_seconds": 60}``."""
        targets = {}
        for priority, metrics in (data.get("targets") or {}).items():
            unknown = set(metrics) - set(METRICS)
            if unknown:
                raise ValueError(f"unknown SLA metrics: {', '.join(sorted(unknown))}")
            targets[priority] = {name: float(seconds) for name, seconds in metrics.items()}
        return cls(targets, float(data.get("warn_before_seconds", 300.0)))


@dataclass(frozen=True, slots=True)
class SlaClock:
    """Where one SLA target stands at one instant."""

    metric: str
    target_seconds: float
    elapsed_seconds: float
    state: str  # ok | warning | breached | met | missed
    paused: bool
    due_at: dt.datetime | None  # projected breach instant while running and not yet breached


def intervals_from_changes(
    created_at: dt.datetime, changes: Sequence[tuple[dt.datetime, str]], initial: str = "open"
) -> list[StatusInterval]:
    """Turn a status history ``[(at, new_status), ...]`` into consecutive intervals."""
    intervals, status, since = [], initial, created_at
    for at, new_status in sorted(changes, key=lambda change: change[0]):
        intervals.append(StatusInterval(status, since, at))
        status, since = new_status, at
    intervals.append(StatusInterval(status, since, None))
    return intervals


def elapsed_business_seconds(
    calendar: Calendar, intervals: Iterable[StatusInterval], until: dt.datetime
) -> float:
    """Return the business seconds the clock ran up to ``until``, skipping paused spans."""
    total = 0.0
    for span in intervals:
        if span.status in PAUSED_STATUSES or span.status in STOPPED_STATUSES:
            continue
        end = until if span.end is None else min(span.end, until)
        if end > span.start:
            total += calendar.working_seconds(span.start, end)
    return total


def evaluate_sla(
    policy: SlaPolicy,
    calendar: Calendar,
    *,
    priority: str,
    intervals: Sequence[StatusInterval],
    now: dt.datetime,
    first_response_at: dt.datetime | None = None,
    resolved_at: dt.datetime | None = None,
) -> list[SlaClock]:
    """Return the state of every target the policy sets for this priority."""
    done = {"first_response": first_response_at, "resolution": resolved_at}
    paused = bool(intervals) and intervals[-1].status in PAUSED_STATUSES
    clocks = []
    targets = policy.targets.get(priority) or {}
    for metric in METRICS:  # a fixed order: JSONB does not keep key order
        target = targets.get(metric)
        if target is None:
            continue
        stop = done[metric]
        elapsed = elapsed_business_seconds(calendar, intervals, stop or now)
        clocks.append(_clock(policy, calendar, metric, target, elapsed, stop, paused, now))
    return clocks


def sla_events(
    previous: Mapping[str, str], clocks: Iterable[SlaClock]
) -> list[tuple[str, SlaClock]]:
    """Return the events to emit for clocks that newly entered warning or breach."""
    events = []
    for clock in clocks:
        before = previous.get(clock.metric, "ok")
        if clock.state == "breached" and before != "breached":
            events.append((SLA_BREACHED, clock))
        elif clock.state == "warning" and before == "ok":
            events.append((SLA_WARNING, clock))
    return events


def _clock(
    policy: SlaPolicy,
    calendar: Calendar,
    metric: str,
    target: float,
    elapsed: float,
    stop: dt.datetime | None,
    paused: bool,
    now: dt.datetime,
) -> SlaClock:
    """Classify one target and project its due instant."""
    if stop is not None:
        state = "met" if elapsed <= target else "missed"
        return SlaClock(metric, target, elapsed, state, False, None)
    remaining = target - elapsed
    if remaining <= 0:
        return SlaClock(metric, target, elapsed, "breached", paused, None)
    state = "warning" if remaining <= policy.warn_before_seconds else "ok"
    due = None if paused else calendar.add_working_seconds(now, remaining)
    return SlaClock(metric, target, elapsed, state, paused, due)
