"""Demo knowledge base for 한빛리빙 (Hanbit Living): categories, synonyms and 60+ articles."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.context import system_actor
from omnidesk.domains.knowledge.io.importing import (
    ImportReport,
    ensure_category,
    import_markdown_folder,
)
from omnidesk.domains.knowledge.schemas import SynonymSetCreate
from omnidesk.domains.knowledge.service import list_synonym_sets
from omnidesk.domains.knowledge.site_actions import do_create_synonym_set

DEMO_FOLDER = Path(__file__).with_name("articles")

# (slug, parent, Korean name, English name), in display order.
DEMO_CATEGORIES = (
    ("orders-delivery", None, "주문·배송", "Orders & delivery"),
    ("orders", "orders-delivery", "주문", "Orders"),
    ("delivery", "orders-delivery", "배송", "Delivery"),
    ("installation", "orders-delivery", "설치", "Installation"),
    ("returns-refunds", None, "반품·교환·환불", "Returns & refunds"),
    ("returns", "returns-refunds", "반품·교환", "Returns & exchanges"),
    ("refunds", "returns-refunds", "환불", "Refunds"),
    ("payment", None, "결제·영수증", "Payment & receipts"),
    ("membership", None, "회원 등급·혜택", "Membership & benefits"),
    ("warranty", None, "A/S·보증", "Warranty & repairs"),
    ("products", None, "제품 사용", "Using your products"),
    ("account", None, "계정·개인정보", "Account & privacy"),
    ("contact", None, "고객센터", "Contact us"),
    ("internal", None, "상담원 전용", "Agents only"),
)

DEMO_SYNONYMS = (
    ("환불", "refund", "돈 돌려받기", "환급", "money back"),
    ("배송", "택배", "delivery", "shipping"),
    ("설치 기사", "기사님", "installer", "technician"),
    ("노쇼", "미방문", "안 왔어요", "no-show", "didn't show up"),
    ("A/S", "AS", "수리", "repair", "에이에스"),
    ("비밀번호", "비번", "password"),
    ("가품", "짝퉁", "counterfeit", "fake"),
    ("VIP", "브이아이피", "우수회원"),
    ("포인트", "적립금", "points"),
    ("기프트카드", "상품권", "gift card"),
    ("탈퇴", "계정 삭제", "delete account"),
    ("영수증", "receipt", "증빙"),
    ("취소", "cancel"),
    ("반품", "return"),
    ("교환", "exchange"),
    ("보증", "warranty", "guarantee", "워런티"),
)


async def load_demo_categories(session: AsyncSession, workspace_id: int) -> None:
    """Create the demo category tree (idempotent)."""
    actor = system_actor(workspace_id)
    for slug, parent, ko, en in DEMO_CATEGORIES:
        await ensure_category(session, actor=actor, slug=slug, names={"ko": ko, "en": en},
                              parent=parent)


async def load_demo_synonyms(session: AsyncSession, workspace_id: int) -> None:
    """Create the demo synonym sets that are missing."""
    actor = system_actor(workspace_id)
    rows = await list_synonym_sets(session, workspace_id=workspace_id)
    existing = {tuple(s.phrases) for s in rows}
    for phrases in DEMO_SYNONYMS:
        if tuple(phrases) not in existing:
            await do_create_synonym_set(session, actor=actor,
                                        synonyms_in=SynonymSetCreate(phrases=list(phrases)))


async def load_demo_articles(session: AsyncSession, workspace_id: int) -> ImportReport:
    """Load and publish the demo knowledge base into a workspace; the caller commits."""
    await load_demo_categories(session, workspace_id)
    await load_demo_synonyms(session, workspace_id)
    return await import_markdown_folder(session, actor=system_actor(workspace_id),
                                        folder=DEMO_FOLDER)
