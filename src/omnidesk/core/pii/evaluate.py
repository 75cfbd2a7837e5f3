"""Score the detector against a labelled corpus: precision and recall per type.

A predicted span counts when a gold span of the same type overlaps it, and the other way round.
A corpus line is a JSON object with "text", "spans" ([{start, end, type}]) and optionally
"negative": true for a hard negative (a line that must not be flagged).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from omnidesk.core.pii.detect import detect_pii


@dataclass
class Tally:
    """Counts for one type."""

    gold: int = 0
    predicted: int = 0
    found: int = 0  # gold spans matched by a prediction
    right: int = 0  # predictions matched by a gold span

    @property
    def precision(self) -> float:
        """Share of predictions that were right (1.0 when nothing was predicted)."""
        return self.right / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        """Share of gold spans found (1.0 when there were none)."""
        return self.found / self.gold if self.gold else 1.0


@dataclass
class Report:
    """Per-type tallies, the total, and the hard negatives that were flagged."""

    types: dict[str, Tally] = field(default_factory=dict)
    total: Tally = field(default_factory=Tally)
    negatives: int = 0
    negatives_flagged: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)


def _overlap(a: dict[str, object], b: dict[str, object]) -> bool:
    return a["type"] == b["type"] and a["start"] < b["end"] and b["start"] < a["end"]  # type: ignore[operator]


def predict(text: str) -> list[dict[str, object]]:
    """Return the detector's spans in the CLI's shape."""
    return [{"start": s.start, "end": s.end, "type": s.kind.upper()} for s in detect_pii(text)]


def score(lines: list[dict[str, object]]) -> Report:
    """Run the detector over labelled lines and tally the result."""
    report = Report()
    for line in lines:
        text = str(line["text"])
        gold: list[dict[str, object]] = list(line.get("spans") or [])  # type: ignore[call-overload]
        pred = predict(text)
        if line.get("negative"):
            report.negatives += 1
            if pred:
                report.negatives_flagged.append(text)
        for span in gold:
            tally = report.types.setdefault(str(span["type"]), Tally())
            tally.gold += 1
            report.total.gold += 1
            if any(_overlap(span, p) for p in pred):
                tally.found += 1
                report.total.found += 1
            else:
                report.misses.append(f"missed {span['type']}: {text!r}")
        for span in pred:
            tally = report.types.setdefault(str(span["type"]), Tally())
            tally.predicted += 1
            report.total.predicted += 1
            if any(_overlap(span, g) for g in gold):
                tally.right += 1
                report.total.right += 1
            else:
                value = text[int(span["start"]): int(span["end"])]  # type: ignore[call-overload]
                report.misses.append(f"wrong {span['type']} {value!r}: {text!r}")
    return report
