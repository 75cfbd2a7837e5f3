"""Automatic personas: cluster customers by purchases and contact history, then describe them.

K-means on standardized features; each cluster is named after the two features where its centre
stands furthest from the average customer ("큰 구매 금액 · 문의가 잦은" / "big spenders · contact
support often"), so a persona reads like a sentence, not a cluster number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy loads when personas are clustered, not at start (see nlu.classifier)
    import numpy as np

from omnidesk.domains.assist.segments import CustomerFacts

FEATURES = ("spent", "orders", "recency", "contacts", "dissatisfaction", "installation")
TRAITS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    # feature: ((high ko, high en), (low ko, low en))
    "spent": (("구매 금액이 큰", "big spenders"), ("구매 금액이 작은", "light spenders")),
    "orders": (("자주 구매하는", "frequent buyers"), ("구매가 드문", "occasional buyers")),
    "recency": (("최근 구매가 없는", "lapsed"), ("최근에 구매한", "recently active")),
    "contacts": (("문의가 잦은", "contact support often"),
                 ("문의가 거의 없는", "rarely contact support")),
    "dissatisfaction": (("불만을 겪은", "had bad experiences"),
                        ("만족도가 높은", "usually satisfied")),
    "installation": (("설치 상품을 사는", "buy installed products"),
                     ("설치 없는 상품을 사는", "buy ready-to-use products")),
}
MIN_CUSTOMERS = 6


@dataclass(frozen=True)
class Persona:
    """A cluster of similar customers with a readable name and description."""

    key: str
    name_ko: str
    name_en: str
    description_ko: str
    description_en: str
    size: int
    customer_ids: tuple[int, ...]

    def as_attribute(self) -> dict[str, str]:
        """Return what is stored on each member customer."""
        return {"key": self.key, "name_ko": self.name_ko, "name_en": self.name_en,
                "description_ko": self.description_ko, "description_en": self.description_en}


def feature_row(facts: CustomerFacts) -> list[float]:
    """Turn a customer's facts into the clustering features."""
    recency = 365.0 if facts.recency_days is None else float(min(facts.recency_days, 365))
    dissatisfaction = 0.0 if facts.avg_csat is None else max(0.0, 5.0 - facts.avg_csat)
    installation = facts.installation_items / facts.items if facts.items else 0.0
    return [math.log1p(float(facts.spent)), float(facts.orders), recency, float(facts.contacts),
            dissatisfaction, installation]


def _standardize(matrix: np.ndarray) -> np.ndarray:
    std = matrix.std(axis=0)
    std[std == 0] = 1.0
    return (matrix - matrix.mean(axis=0)) / std


def _describe(centre: np.ndarray) -> tuple[list[tuple[str, str]], str]:
    import numpy as np

    order = np.argsort(-np.abs(centre))[:2]
    traits = [TRAITS[FEATURES[i]][0 if centre[i] > 0 else 1] for i in order]
    key = "-".join(f"{FEATURES[i]}_{'high' if centre[i] > 0 else 'low'}" for i in order)
    return traits, key


def cluster_personas(facts: list[CustomerFacts], *, max_personas: int = 5) -> list[Persona]:
    """Cluster customers into personas; too few customers give no personas."""
    if len(facts) < MIN_CUSTOMERS:
        return []
    import numpy as np
    from sklearn.cluster import KMeans

    matrix = _standardize(np.array([feature_row(f) for f in facts], dtype=float))
    k = max(2, min(max_personas, len(facts) // 3))
    model = KMeans(n_clusters=k, n_init=10, random_state=0).fit(matrix)
    personas: list[Persona] = []
    for label in range(k):
        members = tuple(f.customer_id for f, lab in zip(facts, model.labels_, strict=True)
                        if lab == label)
        if not members:
            continue
        traits, key = _describe(model.cluster_centers_[label])
        key = key if all(p.key != key for p in personas) else f"{key}-{label}"
        name_ko, name_en = " · ".join(t[0] for t in traits), " · ".join(t[1] for t in traits)
        personas.append(Persona(
            key=key, name_ko=name_ko, name_en=name_en.capitalize(),
            description_ko=f"{traits[0][0]}, {traits[1][0]} 고객 {len(members)}명",
            description_en=f"{len(members)} customers who are {traits[0][1]} and "
                           f"{traits[1][1]}",
            size=len(members), customer_ids=members))
    return sorted(personas, key=lambda p: -p.size)
