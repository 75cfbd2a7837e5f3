"""Turn raw classifier scores into calibrated probabilities and pick the out-of-scope threshold.

Both are fitted on out-of-fold scores from cross-validation on the training rows, never on test
data: temperature scaling (one scalar, so the ranking of intents is unchanged) makes a softmax over
the linear scores honest about its confidence, and the threshold is the confidence below which an
answer is more often wrong (or out of scope) than right.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Share of the objective given to OOS rows when they are rarer than this in training.
MIN_OOS_WEIGHT = 0.1


def scores_to_probabilities(scores: np.ndarray, temperature: float) -> np.ndarray:
    """Return row-wise softmax probabilities of decision scores divided by the temperature."""
    scores = np.atleast_2d(scores) / temperature
    # scipy.special.softmax's steps (serving does not import scipy for one softmax)
    shifted = np.exp(scores - np.max(scores, axis=1, keepdims=True))
    return shifted / np.sum(shifted, axis=1, keepdims=True)


def fit_temperature(scores: np.ndarray, label_index: np.ndarray) -> float:
    """Find the temperature minimising the negative log-likelihood of the true labels."""
    from scipy.optimize import minimize_scalar
    from scipy.special import log_softmax

    rows = np.arange(len(label_index))

    def nll(log_t: float) -> float:
        log_p = log_softmax(scores / np.exp(log_t), axis=1)
        return float(-log_p[rows, label_index].mean())

    result = minimize_scalar(nll, bounds=(np.log(1e-3), np.log(100.0)), method="bounded")
    return float(np.exp(result.x))


@dataclass(frozen=True)
class ThresholdChoice:
    """The chosen confidence threshold and the out-of-fold figures it gives."""

    threshold: float
    objective: float
    in_scope_accuracy: float
    oos_recall: float | None


def choose_threshold(
    probabilities: np.ndarray, label_index: np.ndarray, oos_index: int | None
) -> ThresholdChoice:
    """Pick the confidence threshold that best separates right answers from wrong or OOS ones.

    With an OOS class the objective is the accuracy of the final labels (OOS counted as a label),
    with OOS rows weighted up to at least ``MIN_OOS_WEIGHT`` of the total so a handful of OOS
    examples still moves the threshold. Without one it is the accuracy of the keep/reject decision
    itself: keep a prediction when it is right, reject it when it is wrong.
    """
    top = probabilities.argmax(axis=1)
    confidence = probabilities.max(axis=1)
    candidates = np.unique(
        np.concatenate([[0.0], np.quantile(confidence, np.linspace(0, 0.6, 61))])
    )
    best: ThresholdChoice | None = None
    for threshold in candidates:
        choice = _score_threshold(float(threshold), top, confidence, label_index, oos_index)
        if best is None or choice.objective > best.objective + 1e-9:
            best = choice
    assert best is not None
    return best


def _score_threshold(
    threshold: float,
    top: np.ndarray,
    confidence: np.ndarray,
    label_index: np.ndarray,
    oos_index: int | None,
) -> ThresholdChoice:
    rejected = confidence < threshold
    if oos_index is None:
        correct = top == label_index
        objective = float(np.mean(np.where(rejected, ~correct, correct)))
        return ThresholdChoice(threshold, objective, float(np.mean(correct & ~rejected)), None)
    predicted = np.where(rejected, oos_index, top)
    is_oos = label_index == oos_index
    in_scope = (
        float(np.mean(predicted[~is_oos] == label_index[~is_oos])) if (~is_oos).any() else 0.0
    )
    recall = float(np.mean(predicted[is_oos] == oos_index)) if is_oos.any() else 0.0
    oos_weight = max(float(np.mean(is_oos)), MIN_OOS_WEIGHT)
    objective = (1 - oos_weight) * in_scope + oos_weight * recall
    return ThresholdChoice(threshold, objective, in_scope, recall)
