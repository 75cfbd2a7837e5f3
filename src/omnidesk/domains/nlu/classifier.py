"""Intent classifier: TF-IDF features into a linear SVM, calibrated, with out-of-scope detection.

Training runs k-fold cross-validation on the training rows only; the out-of-fold scores fit the
temperature (calibration) and the out-of-scope threshold (on the calibrated probability of ``oos``
when the rows have out-of-scope examples, else on the top confidence), and give honest training
metrics. The final model is then fitted on all rows. A model is plain bytes so it can be stored
per workspace.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

# numpy, scikit-learn and scipy cost about two seconds to import. Serving needs none but numpy: a
# model is its exported scorer (``nlu.scoring``, plain arrays); scikit-learn loads only where a
# model is trained (or a model stored in the old pickled format is read).
if TYPE_CHECKING:
    import numpy as np
    from sklearn.pipeline import Pipeline

    from omnidesk.domains.nlu.scoring import LinearTextScorer

OOS_LABEL = "oos"
FORMAT_VERSION = 2  # 1: a joblib pickle of the scikit-learn pipeline (still read)
TOP_K = 5
COEF_EPSILON = 1e-3
NPZ_MAGIC = b"PK\x03\x04"  # format 2 is a zip (.npz); format 1 a zlib'd pickle
# How a model's threshold is applied (``nlu.calibration`` chooses the rule and the threshold).
RULE_CONFIDENCE = "confidence"  # out of scope when the top probability is below the threshold
RULE_OOS_PROBABILITY = "oos_probability"  # out of scope when P(oos) reaches the threshold
OOS_FLOOR = 1e-12  # P(oos) is floored before its logarithm (``oos_scale``)
ProgressCallback = Callable[[str, int, int], None]


class TrainingError(ValueError):
    """The training rows cannot produce a model (too few rows or labels)."""


@dataclass(frozen=True)
class IntentPrediction:
    """One prediction: the intent (``oos`` when out of scope), its confidence and the runners-up."""

    intent: str
    confidence: float
    is_oos: bool
    top: list[tuple[str, float]] = field(default_factory=list)


@dataclass
class IntentModel:
    """A trained intent model with its calibration, threshold and training metadata."""

    scorer: LinearTextScorer
    labels: list[str]
    temperature: float
    threshold: float
    version: str = ""
    trained_at: str = ""
    metrics: dict[str, Any] = field(default_factory=dict)
    # How ``threshold`` is applied: "oos_probability" (P(oos) >= threshold; models trained with
    # ``oos`` rows) or "confidence" (top probability < threshold; the rule of older models).
    oos_rule: str = "confidence"
    # With "oos_probability": (a, b) of sigmoid(a * log P(oos) + b), the confidence reported for an
    # out-of-scope call (``calibration.fit_oos_scale``).
    oos_scale: tuple[float, float] | None = None

    @property
    def has_oos_class(self) -> bool:
        """Tell whether ``oos`` was a label in the training rows."""
        return OOS_LABEL in self.labels

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Return calibrated probabilities, one row per text, columns in ``labels`` order."""
        from omnidesk.domains.nlu.calibration import scores_to_probabilities

        scores = self.scorer.decision(list(texts))
        return scores_to_probabilities(scores, self.temperature)

    def predict(self, text: str) -> IntentPrediction:
        """Classify one message."""
        return self.predict_many([text])[0]

    def predict_many(self, texts: Sequence[str]) -> list[IntentPrediction]:
        """Classify several messages at once (faster than one by one)."""
        if not texts:
            return []
        return [self._to_prediction(row) for row in self.probabilities(texts)]

    def _to_prediction(self, row: np.ndarray) -> IntentPrediction:
        import numpy as np

        order = np.argsort(-row)[:TOP_K]
        top = [(self.labels[i], float(row[i])) for i in order]
        if self.oos_rule == RULE_OOS_PROBABILITY and self.has_oos_class:
            oos_index = self.labels.index(OOS_LABEL)
            if row[oos_index] >= self.threshold:
                return IntentPrediction(intent=OOS_LABEL, confidence=self._oos_confidence(
                    float(row[oos_index])), is_oos=True, top=top)
            best = max((i for i in range(len(row)) if i != oos_index), key=row.__getitem__)
            return IntentPrediction(intent=self.labels[best], confidence=float(row[best]),
                                    is_oos=False, top=top)
        best_label, confidence = top[0]
        is_oos = best_label == OOS_LABEL or confidence < self.threshold
        intent = OOS_LABEL if is_oos else best_label
        return IntentPrediction(intent=intent, confidence=confidence, is_oos=is_oos, top=top)

    def _oos_confidence(self, oos_probability: float) -> float:
        if self.oos_scale is None:
            return oos_probability
        slope, intercept = self.oos_scale
        z = slope * math.log(max(oos_probability, OOS_FLOOR)) + intercept
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def to_bytes(self) -> bytes:
        """Serialize the model and its metadata: numpy arrays and JSON, no pickle."""
        return self.scorer.to_npz({
            "format": FORMAT_VERSION, "labels": self.labels, "temperature": self.temperature,
            "threshold": self.threshold, "oos_rule": self.oos_rule,
            "oos_scale": list(self.oos_scale) if self.oos_scale else None, "version": self.version,
            "trained_at": self.trained_at, "metrics": self.metrics})

    @classmethod
    def from_bytes(cls, data: bytes) -> IntentModel:
        """Load a model written by ``to_bytes`` (or, with scikit-learn, by its format 1)."""
        from omnidesk.domains.nlu.scoring import LinearTextScorer

        if not data.startswith(NPZ_MAGIC):
            return cls._from_pickle(data)
        scorer, meta = LinearTextScorer.from_npz(data)
        if meta.get("format") != FORMAT_VERSION:
            raise ValueError("not an omnidesk intent model, or an unsupported format version")
        return cls(scorer=scorer, labels=list(meta["labels"]),
                   temperature=float(meta["temperature"]), threshold=float(meta["threshold"]),
                   version=meta["version"], trained_at=meta["trained_at"],
                   metrics=dict(meta["metrics"]),
                   oos_rule=str(meta.get("oos_rule", RULE_CONFIDENCE)),
                   oos_scale=_pair(meta.get("oos_scale")))

    @classmethod
    def _from_pickle(cls, data: bytes) -> IntentModel:
        """Read format 1 (stored before 2026-12-06): the pickled pipeline, exported on load."""
        import joblib

        from omnidesk.domains.nlu.scoring import LinearTextScorer

        payload = joblib.load(io.BytesIO(data))
        if not isinstance(payload, dict) or payload.get("format") != 1:
            raise ValueError("not an omnidesk intent model, or an unsupported format version")
        fields = ("labels", "temperature", "threshold", "version", "trained_at")
        return cls(scorer=LinearTextScorer.from_pipeline(payload["pipeline"]),
                   **{name: payload[name] for name in fields}, metrics=payload["metrics"])



def train_intent_model(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    folds: int | None = None,
    c: float = 0.5,
    progress: ProgressCallback | None = None,
) -> IntentModel:
    """Train an intent model; calibration and OOS threshold come from k-fold CV on these rows."""
    import numpy as np

    from omnidesk.domains.nlu.calibration import (
        choose_threshold,
        fit_oos_scale,
        fit_temperature,
        scores_to_probabilities,
    )

    texts, labels = list(texts), [str(label) for label in labels]
    label_names = _check_rows(texts, labels)
    label_index = np.array([label_names.index(label) for label in labels])
    k = folds or _default_folds(labels)
    report = progress or (lambda step, done, total: None)
    started = time.perf_counter()
    scores = _out_of_fold_scores(texts, label_index, label_names, k, c, report)
    temperature = fit_temperature(scores, label_index)
    probabilities = scores_to_probabilities(scores, temperature)
    oos_index = label_names.index(OOS_LABEL) if OOS_LABEL in label_names else None
    choice = choose_threshold(probabilities, label_index, oos_index)
    report("final fit", k, k + 1)
    from omnidesk.domains.nlu.scoring import LinearTextScorer

    scorer = LinearTextScorer.from_pipeline(_fit_pipeline(texts, labels, c))
    report("done", k + 1, k + 1)
    metrics = {
        "cv_folds": k,
        "cv_accuracy": float(np.mean(probabilities.argmax(axis=1) == label_index)),
        "cv_in_scope_accuracy_at_threshold": choice.in_scope_accuracy,
        "cv_oos_recall_at_threshold": choice.oos_recall,
        "n_train": len(texts),
        "train_seconds": round(time.perf_counter() - started, 3),
    }
    trained_at = dt.datetime.now(dt.UTC)
    return IntentModel(
        scorer=scorer,
        labels=label_names,
        temperature=temperature,
        threshold=choice.threshold,
        version=trained_at.strftime("%Y%m%d%H%M%S%f"),
        trained_at=trained_at.isoformat(),
        metrics=metrics,
        oos_rule=choice.rule,
        oos_scale=(None if oos_index is None else
                   fit_oos_scale(probabilities[:, oos_index], label_index, oos_index)),
    )


def _pair(value: Any) -> tuple[float, float] | None:
    return (float(value[0]), float(value[1])) if value else None


def _check_rows(texts: list[str], labels: list[str]) -> list[str]:
    if len(texts) != len(labels):
        raise TrainingError("texts and labels differ in length")
    counts = Counter(labels)
    if len(counts) < 2:
        raise TrainingError("need at least two different labels to train")
    if min(counts.values()) < 2:
        rare = sorted(label for label, n in counts.items() if n < 2)
        raise TrainingError(f"each label needs at least 2 examples; too few for: {rare[:10]}")
    return sorted(counts)


def _default_folds(labels: list[str]) -> int:
    smallest = min(Counter(labels).values())
    wanted = 5 if len(labels) < 5000 else 3
    return max(2, min(wanted, smallest))


def _fit_pipeline(texts: list[str], labels: list[str], c: float) -> Pipeline:
    import numpy as np
    from sklearn.pipeline import Pipeline
    from sklearn.svm import LinearSVC

    from omnidesk.domains.nlu.features import build_feature_union

    pipeline = Pipeline([("features", build_feature_union()), ("svm", LinearSVC(C=c))])
    pipeline.fit(texts, labels)
    svm = pipeline.named_steps["svm"]
    # Most one-vs-rest weights are tiny; dropping |w| < 1e-3 and storing float32 halves the model
    # bytes without changing predictions (checked on a banking77 holdout).
    coef = np.where(np.abs(svm.coef_) < COEF_EPSILON, 0.0, svm.coef_)
    svm.coef_ = coef.astype(np.float32)
    for _, vectorizer in pipeline.named_steps["features"].transformer_list:
        # The pruned-terms set is only kept for introspection and can be most of the bytes.
        if hasattr(vectorizer, "stop_words_"):
            vectorizer.stop_words_ = None
    return pipeline


def _out_of_fold_scores(
    texts: list[str],
    label_index: np.ndarray,
    label_names: list[str],
    folds: int,
    c: float,
    report: ProgressCallback,
) -> np.ndarray:
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    scores = np.zeros((len(texts), len(label_names)), dtype=np.float64)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=13)
    for fold, (train_rows, held_rows) in enumerate(splitter.split(texts, label_index)):
        report(f"cross-validation fold {fold + 1}/{folds}", fold, folds + 1)
        fold_labels = [label_names[i] for i in label_index[train_rows]]
        pipeline = _fit_pipeline([texts[i] for i in train_rows], fold_labels, c)
        held = _decision_scores(pipeline, [texts[i] for i in held_rows], len(label_names))
        scores[held_rows] = _align_columns(held, pipeline, label_names)
    return scores


def _decision_scores(pipeline: Pipeline, texts: list[str], n_labels: int) -> np.ndarray:
    import numpy as np

    scores = np.asarray(pipeline.decision_function(texts), dtype=np.float64)
    if scores.ndim == 1:  # binary LinearSVC returns one column: the score of classes_[1]
        scores = np.column_stack([-scores, scores])
    return scores


def _align_columns(scores: np.ndarray, pipeline: Pipeline, label_names: list[str]) -> np.ndarray:
    import numpy as np

    aligned = np.full((scores.shape[0], len(label_names)), scores.min() - 1.0)
    for column, label in enumerate(pipeline.classes_):
        aligned[:, label_names.index(label)] = scores[:, column]
    return aligned
