"""Demo workspace content for 한빛리빙 (Hanbit Living): pure data plus a seeded generator."""

from .generator import generate_demo_dataset
from .models import (
    DemoAgent,
    DemoConversation,
    DemoCustomer,
    DemoDataset,
    DemoIdentity,
    DemoMessage,
    DemoOrder,
    DemoOrderItem,
    DemoProduct,
    DemoSkill,
    DemoTeam,
)

__all__ = [
    "DemoAgent",
    "DemoConversation",
    "DemoCustomer",
    "DemoDataset",
    "DemoIdentity",
    "DemoMessage",
    "DemoOrder",
    "DemoOrderItem",
    "DemoProduct",
    "DemoSkill",
    "DemoTeam",
    "generate_demo_dataset",
]
