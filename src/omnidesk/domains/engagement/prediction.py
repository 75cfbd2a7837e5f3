"""Contact-reason prediction from behaviour: features, the model, and its time-split evaluation.

A *contact* is a conversation whose intent is known; its *history* is what the customer did in
the days before it started (site events, business events such as a delayed delivery) and the
state of their latest order at that moment. A multinomial logistic regression over those
features predicts the likely reason before the customer writes. Pure CPU code, no database:
``prediction_service`` reads the rows and ``prediction_actions`` stores the trained bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import warnings
import zipfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:  # scikit-learn loads where a model is trained, never to predict
    import numpy as np
    from sklearn.pipeline import Pipeline

FORMAT_VERSION = 2  # 1: a joblib pickle of the scikit-learn pipeline (still read)
NPZ_MAGIC = b"PK\x03\x04"
WINDOW_DAYS = 14  # what a customer did longer ago says little about today's contact
LAST_EVENTS = 3  # the newest events also count by their position
TOP_K = 3
MIN_CONTACTS = 20  # fewer contacts than this make no model
MIN_LABELS = 2
CONFIDENT = 0.5  # the bot asks "…이신가요?" and routing trusts it from this probability on
REGULARISATION = (0.03, 0.1, 0.3, 1.0)
CV_FOLDS = 3
TEST_SHARE = 0.2  # the newest fifth of the contacts is the held-out time split
PROPERTY_KEYS = ("step", "status", "reason", "code", "category")
RECENCY_BUCKETS = ((1.0, "1h"), (6.0, "6h"), (24.0, "1d"), (72.0, "3d"), (168.0, "7d"))
Progress = Callable[[str, int, int], None]


class PredictionError(ValueError):
    """The history cannot produce a model (too few contacts or reasons)."""


@dataclass(frozen=True)
class Event:
    """One behaviour event as the features see it."""

    kind: str
    occurred_at: dt.datetime
    url: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class OrderState:
    """The customer's latest order before the moment: when placed, shipped, delivered.

    Only dated facts: an order's *current* status (cancelled, returned) is not what it was at
    the moment of an old contact, and training on it would leak the answer."""

    placed_at: dt.datetime
    shipped_at: dt.datetime | None = None
    delivered_at: dt.datetime | None = None
    installation: bool = False


@dataclass(frozen=True)
class Contact:
    """One labelled example: what the customer did before a contact, and its reason."""

    at: dt.datetime
    events: Sequence[Event]
    order: OrderState | None
    intent: str


@dataclass(frozen=True)
class Prediction:
    """The likely contact reason, its probability and the runners-up."""

    intent: str
    confidence: float
    top: list[tuple[str, float]]
    version: int = 0

    @property
    def confident(self) -> bool:
        """Tell whether the bot may ask about it and routing may act on it."""
        return self.confidence >= CONFIDENT


def _hours(later: dt.datetime, earlier: dt.datetime) -> float:
    return max((_aware(later) - _aware(earlier)).total_seconds() / 3600.0, 0.0)


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def recency(hours: float) -> str:
    """Name how long ago something happened: 1h, 6h, 1d, 3d, 7d or older."""
    return next((name for limit, name in RECENCY_BUCKETS if hours <= limit), "older")


def page_of(url: str | None) -> str | None:
    """Return the first two path segments of a URL with numbers folded ("/orders/#")."""
    if not url:
        return None
    parts = [p for p in urlsplit(url).path.split("/") if p][:2]
    folded = ["#" if any(ch.isdigit() for ch in p) else p.lower()[:24] for p in parts]
    return "/" + "/".join(folded)


def features(events: Sequence[Event], order: OrderState | None,
             at: dt.datetime) -> dict[str, float]:
    """Describe what the customer did before ``at`` as named numbers for the model."""
    window = [e for e in events if 0 <= _hours(at, e.occurred_at) <= WINDOW_DAYS * 24
              and _aware(e.occurred_at) <= _aware(at)]
    window.sort(key=lambda e: _aware(e.occurred_at))
    found: dict[str, float] = {}
    counts = Counter(e.kind for e in window)
    for kind, count in counts.items():
        found[f"kind={kind}"] = math.log1p(count)
    for event in window:
        since = recency(_hours(at, event.occurred_at))
        found[f"{event.kind}@{since}"] = 1.0
        page = page_of(event.url)
        if page:
            found[f"page={page}"] = found.get(f"page={page}", 0.0) + 1.0
            found[f"page={page}@{since}"] = 1.0
        for key in PROPERTY_KEYS:
            value = (event.data or {}).get(key)
            if isinstance(value, str | int) and not isinstance(value, bool):
                found[f"{event.kind}.{key}={str(value).lower()[:32]}"] = 1.0
    for position, event in enumerate(reversed(window[-LAST_EVENTS:])):
        found[f"last{position}={event.kind}"] = 1.0
    found["since_last=" + (recency(_hours(at, window[-1].occurred_at)) if window else "none")] = 1
    found.update(_order_features(order, at))
    return found


def _order_features(order: OrderState | None, at: dt.datetime) -> dict[str, float]:
    if order is None or _aware(order.placed_at) > _aware(at):
        return {"order=none": 1.0}
    found = {f"order_age={recency(_hours(at, order.placed_at))}": 1.0}
    if order.delivered_at is not None and _aware(order.delivered_at) <= _aware(at):
        found["order=delivered"] = 1.0
        found[f"delivered={recency(_hours(at, order.delivered_at))}"] = 1.0
    elif order.shipped_at is not None and _aware(order.shipped_at) <= _aware(at):
        found["order=shipped"] = 1.0
        found[f"shipped={recency(_hours(at, order.shipped_at))}"] = 1.0
    else:
        found["order=placed"] = 1.0
    if order.installation:
        found["order_installation"] = 1.0
    return found


@dataclass
class ContactReasonModel:
    """A trained contact-reason model with the labels it knows and its training figures.

    The fitted DictVectorizer + logistic regression is kept as plain arrays (the feature
    vocabulary, weights and intercepts): predicting is a look-up and one small product with
    numpy, so serving never imports scikit-learn (``from_pipeline`` exports a fitted one)."""

    vocabulary: dict[str, int]
    coef: np.ndarray  # (classes, features), or (1, features) for two classes
    intercept: np.ndarray
    classes: list[str]
    labels: list[str]
    trained_at: str = ""
    metrics: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_pipeline(cls, pipeline: Pipeline, labels: list[str], trained_at: str = "",
                      metrics: dict[str, Any] | None = None) -> ContactReasonModel:
        """Export a fitted Pipeline(features=DictVectorizer, model=LogisticRegression[CV])."""
        import numpy as np

        vectorizer, linear = pipeline.named_steps["features"], pipeline.named_steps["model"]
        return cls({str(k): int(v) for k, v in vectorizer.vocabulary_.items()},
                   np.asarray(linear.coef_, dtype=np.float64),
                   np.asarray(linear.intercept_, dtype=np.float64),
                   [str(c) for c in linear.classes_], list(labels), trained_at,
                   dict(metrics or {}))

    def predict(self, events: Sequence[Event], order: OrderState | None, at: dt.datetime, *,
                version: int = 0) -> Prediction:
        """Predict the contact reason of a customer who did ``events`` before ``at``."""
        return self.predict_many([features(events, order, at)], version=version)[0]

    def probabilities(self, rows: Sequence[dict[str, float]]) -> np.ndarray:
        """Return the class probabilities, one row per feature row (``classes`` order), as the
        logistic regression's predict_proba: softmax of the scores, or expit for two classes."""
        import numpy as np

        scores = np.zeros((len(rows), self.coef.shape[0]), dtype=np.float64)
        for n, row in enumerate(rows):
            known = [(self.vocabulary[k], float(v)) for k, v in row.items()
                     if k in self.vocabulary]
            index = np.array([i for i, _ in known], dtype=np.int64)
            values = np.array([v for _, v in known], dtype=np.float64)
            scores[n] = self.coef[:, index] @ values + self.intercept
        if scores.shape[1] == 1:
            positive = 1.0 / (1.0 + np.exp(-scores[:, 0]))
            return np.column_stack([1.0 - positive, positive])
        shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
        return shifted / shifted.sum(axis=1, keepdims=True)

    def predict_many(self, rows: Sequence[dict[str, float]], *,
                     version: int = 0) -> list[Prediction]:
        """Predict for several feature rows at once."""
        import numpy as np

        predictions = []
        for row in self.probabilities(list(rows)):
            order = np.argsort(row)[::-1][:TOP_K]
            top = [(self.classes[i], round(float(row[i]), 4)) for i in order]
            predictions.append(Prediction(top[0][0], top[0][1], top, version))
        return predictions

    def to_bytes(self) -> bytes:
        """Serialise the model: numpy arrays and a JSON header (no pickle)."""
        import numpy as np

        meta = {"format": FORMAT_VERSION, "labels": self.labels, "classes": self.classes,
                "trained_at": self.trained_at, "metrics": self.metrics,
                "features": sorted(self.vocabulary, key=self.vocabulary.__getitem__)}
        buffer = io.BytesIO()
        np.savez_compressed(buffer, allow_pickle=False, coef=self.coef, intercept=self.intercept,
                            meta=np.frombuffer(json.dumps(meta).encode(), np.uint8))
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> ContactReasonModel:
        """Load a model written by ``to_bytes`` (or, with scikit-learn, by format 1)."""
        import numpy as np

        if not data.startswith(NPZ_MAGIC):
            return cls._from_pickle(data)
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as stored:
                meta = json.loads(stored["meta"].tobytes())
                coef, intercept = stored["coef"], stored["intercept"]
        except (ValueError, KeyError, OSError, zipfile.BadZipFile) as error:
            raise PredictionError("not a contact-reason model of this format") from error
        if meta.get("format") != FORMAT_VERSION:
            raise PredictionError("not a contact-reason model of this format")
        return cls({f: i for i, f in enumerate(meta["features"])}, coef, intercept,
                   list(meta["classes"]), list(meta["labels"]), meta.get("trained_at", ""),
                   dict(meta.get("metrics") or {}))

    @classmethod
    def _from_pickle(cls, data: bytes) -> ContactReasonModel:
        import joblib

        stored = joblib.load(io.BytesIO(data))
        if not isinstance(stored, dict) or stored.get("format") != 1:
            raise PredictionError("not a contact-reason model of this format")
        return cls.from_pipeline(stored["pipeline"], list(stored["labels"]),
                                 stored.get("trained_at", ""), stored.get("metrics"))


def fit_pipeline(rows: Sequence[dict[str, float]], intents: Sequence[str]) -> Pipeline:
    """Fit the scikit-learn pipeline (DictVectorizer + logistic regression) on feature rows."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegressionCV
    from sklearn.pipeline import Pipeline

    # The regularisation is chosen by cross-validated log-loss on the training contacts only:
    # that keeps the probabilities honest, which the bot's "…이신가요?" depends on.
    pipeline = Pipeline([("features", DictVectorizer()),
                         ("model", LogisticRegressionCV(Cs=REGULARISATION, cv=CV_FOLDS,
                                                        scoring="neg_log_loss", max_iter=2000))])
    with warnings.catch_warnings():  # a reason seen fewer times than there are folds
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", FutureWarning)  # scikit-learn 1.8's notices on defaults
        pipeline.fit(list(rows), list(intents))
    return pipeline


def train_model(contacts: Sequence[Contact], *, progress: Progress | None = None
                ) -> ContactReasonModel:
    """Fit the model on labelled contacts (at least MIN_CONTACTS, MIN_LABELS reasons)."""
    labels = sorted({c.intent for c in contacts})
    if len(contacts) < MIN_CONTACTS or len(labels) < MIN_LABELS:
        raise PredictionError(f"need at least {MIN_CONTACTS} contacts with {MIN_LABELS} "
                              f"reasons; the history has {len(contacts)} with {len(labels)}")
    rows = []
    for done, contact in enumerate(contacts, 1):
        rows.append(features(contact.events, contact.order, contact.at))
        if progress and (done % 50 == 0 or done == len(contacts)):
            progress("features", done, len(contacts))
    pipeline = fit_pipeline(rows, [c.intent for c in contacts])
    if progress:
        progress("fit", 1, 1)
    return ContactReasonModel.from_pipeline(pipeline, labels, dt.datetime.now(dt.UTC).isoformat(),
                                            {"n_train": len(contacts), "n_labels": len(labels)})


def time_split(contacts: Sequence[Contact]) -> tuple[list[Contact], list[Contact]]:
    """Split contacts by time: the oldest for training, the newest TEST_SHARE for testing."""
    ordered = sorted(contacts, key=lambda c: _aware(c.at))
    cut = len(ordered) - max(1, round(len(ordered) * TEST_SHARE))
    return ordered[:cut], ordered[cut:]


def evaluate(contacts: Sequence[Contact], *, progress: Progress | None = None
             ) -> dict[str, Any]:
    """Train on the older contacts, test on the newer: top-1/top-3 accuracy and baselines."""
    train, test = time_split(contacts)
    model = train_model(train, progress=progress)
    predictions = model.predict_many([features(c.events, c.order, c.at) for c in test])
    truth = [c.intent for c in test]
    common = [label for label, _ in Counter(c.intent for c in train).most_common(TOP_K)]
    return {
        "n_train": len(train), "n_test": len(test), "n_labels": len(model.labels),
        "train_until": _aware(train[-1].at).isoformat(), "test_from": _aware(test[0].at).isoformat(),
        "top1": _share(p.intent == t for p, t in zip(predictions, truth, strict=True)),
        "top3": _share(t in [i for i, _ in p.top] for p, t in zip(predictions, truth, strict=True)),
        "baseline_top1": _share(t == common[0] for t in truth),
        "baseline_top3": _share(t in common for t in truth),
        "baseline_intent": common[0],
        "confident_share": _share(p.confident for p in predictions),
        "confident_top1": _share(p.intent == t for p, t in zip(predictions, truth, strict=True)
                                 if p.confident),
    }  # fmt: skip


def _share(flags: Any) -> float | None:
    values = [bool(f) for f in flags]
    return round(sum(values) / len(values), 4) if values else None
