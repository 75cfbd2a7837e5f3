"""Korean of the store policy page (/settings/store-policy)."""

from __future__ import annotations

POLICY_KO = {  # English is the msgid
    "Store policy": "매장 정책",
    ("The rules the bot and agents follow on orders. The bot checks them before it offers or "
     "performs an action; a refused request is told why, with the article below, and offered "
     "what is allowed or a person."):
        ("챗봇과 상담원이 주문을 처리할 때 따르는 규칙입니다. 챗봇은 작업을 제안하거나 실행하기 전에 이 규칙을 확인하고, "
         "안 되는 요청에는 이유와 아래 안내 문서를 알려 드린 뒤 가능한 방법이나 상담원 연결을 권합니다."),
    "Only admins can change the store policy; you see it read-only.":
        "매장 정책은 관리자만 바꿀 수 있습니다. 읽기 전용으로 보고 있습니다.",
    "Return and exchange windows": "반품·교환 가능 기간",
    ("Counted in days from the delivery date (the delivery day not counted). The fee is the "
     "return shipping the customer pays."):
        "배송 완료일 다음 날부터 셉니다. 반품비는 고객이 부담하는 반품 배송비입니다.",
    "Days after delivery": "배송 완료 후 일수", "Return fee (₩)": "반품비 (원)",
    "Which orders": "처리할 수 있는 주문 상태", "Who may act": "누가 처리할 수 있나요",
    ("Without a tick for the bot, the bot hands the request to a person with what it has "
     "gathered. Admins may always act."):
        "챗봇에 체크하지 않은 작업은 챗봇이 받은 내용을 정리해 상담원에게 넘깁니다. 관리자는 언제나 처리할 수 있습니다.",
    "Refund times": "환불 소요 기간",
    ("Business days per payment method: 0 for at once, 3, or a range such as 5~7. Empty a row "
     "to remove it."):
        "결제 수단별 영업일 수입니다. 즉시는 0, 3처럼 하루 수 또는 5~7처럼 범위로 적으세요. 줄을 비우면 삭제됩니다.",
    "Payment method": "결제 수단", "Business days": "영업일",
    "Policy articles": "정책 안내 문서",
    "The help-center article the bot cites for each rule.": "규칙마다 챗봇이 안내하는 도움말 문서입니다.",
    "not in the knowledge base": "지식 베이스에 없음",
    "Latest changes": "최근 변경",
    "The store follows the default policy; nobody has changed it yet.":
        "기본 정책을 따르고 있습니다. 아직 아무도 바꾸지 않았습니다.",
    "What": "변경 항목",
    "Enter a whole number of days from 0 to 3650.": "0부터 3650까지의 정수로 일수를 입력하세요.",
    "Enter an amount of 0 or more.": "0 이상의 금액을 입력하세요.",
    "Name the payment method.": "결제 수단 이름을 적어 주세요.",
    "Write business days as 3 or 5~7.": "영업일은 3 또는 5~7처럼 적어 주세요.",
    "This payment method is listed twice.": "같은 결제 수단이 두 번 적혀 있습니다.",
    "Choose an article of the knowledge base.": "지식 베이스의 문서를 골라 주세요.",
}
POLICY_CODES = {  # labels of the policy's fields, reasons, actors, actions, order statuses
    "policy:reason:change_of_mind": ("단순 변심", "Change of mind"),
    "policy:reason:defect": ("불량·파손", "Defect or damage"),
    "policy:cancellable_statuses": ("주문 취소", "Cancel"),
    "policy:address_change_statuses": ("배송지 변경", "Change the address"),
    "policy:returnable_statuses": ("반품·교환", "Return or exchange"),
    "policy:actor:bot": ("챗봇 (상담원 없이)", "The bot, without a person"),
    "policy:actor:agent": ("상담원", "Agents"),
    "policy:action:cancel": ("주문 취소", "Cancel an order"),
    "policy:action:change_address": ("배송지 변경", "Change the address"),
    "policy:action:return": ("반품 접수", "Open a return"),
    "policy:action:exchange": ("교환 접수", "Open an exchange"),
    "policy:article:cancel": ("주문 취소", "Cancelling"),
    "policy:article:change_address": ("배송지 변경", "Address changes"),
    "policy:article:return": ("반품", "Returns"),
    "policy:article:exchange": ("교환", "Exchanges"),
    "policy:article:refund": ("환불 기간", "Refund times"),
    "policy:article:returns": ("반품·교환 규정", "Return and exchange policy"),
    "policy:article:how_to_return": ("반품 방법", "How to return"),
    "policy:article:how_to_exchange": ("교환 방법", "How to exchange"),
    "policy:article:membership": ("회원 등급", "Membership tiers"),
    "policy:article:order_status": ("주문 조회", "Order status"),
    "policy:field:cancellable_statuses": ("취소 가능 상태", "Cancellable statuses"),
    "policy:field:address_change_statuses": ("배송지 변경 가능 상태", "Address change statuses"),
    "policy:field:returnable_statuses": ("반품 가능 상태", "Returnable statuses"),
    "policy:field:windows": ("반품·교환 기간", "Windows"),
    "policy:field:refund_days": ("환불 기간", "Refund times"),
    "policy:field:allowed": ("처리 권한", "Who may act"),
    "policy:field:articles": ("안내 문서", "Articles"),
    "order:pending": ("결제 완료", "Paid, not shipped"),
    "order:processed": ("배송 준비·배송 중", "Processed or shipping"),
    "order:delivered": ("배송 완료", "Delivered"),
    "order:cancelled": ("취소됨", "Cancelled"),
    "order:return_requested": ("반품 요청", "Return requested"),
    "order:exchange_requested": ("교환 요청", "Exchange requested"),
    "order:returned": ("반품 완료", "Returned"),
    "order:exchanged": ("교환 완료", "Exchanged"),
}
