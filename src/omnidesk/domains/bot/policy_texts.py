"""What the bot says about the store policy: refusals with their reason, alternatives, dates.

Merged into both tone tables of ``texts`` (friendly 해요체 / formal 합쇼체; English the same).
"""

from __future__ import annotations

POLICY_TEXTS: dict[str, tuple[str, str]] = {
    "policy_window": (("주문 {number}은 {delivered}에 배송 완료되어 {reason} 반품·교환 기간"
                       "({days}일, {deadline}까지)이 지났어요."),
                      ("Order {number} was delivered on {delivered}, so the {days}-day window "
                       "for {reason} returns and exchanges closed on {deadline}.")),
    "policy_unknown": ("주문 {number}의 배송 완료일을 확인할 수 없어 반품·교환 기간을 확인하지 못했어요.",
                       ("We can't see when order {number} was delivered, so we can't check its "
                        "return window.")),
    "policy_person": ("이 요청은 챗봇이 처리할 수 없는 업무예요.",
                      "This request is one the bot may not handle."),
    "alt_defect": (("상품에 불량이나 파손이 있다면 {deadline}까지 무료로 반품·교환할 수 있어요. "
                    "불량이라면 어떤 문제인지 알려 주세요."),
                   ("If the item is defective or damaged, you can still return or exchange it "
                    "free of charge until {deadline}: tell us what is wrong with it.")),
    "alt_return": ("받으신 뒤에는 반품으로 진행할 수 있어요.",
                   "Once it has arrived, you can return it instead."),
    "alt_agent": ("예외가 필요하시면 '상담원'이라고 입력해 주세요. 상담원이 확인해 드릴게요.",
                  "If you need an exception, type 'agent' and a person will look at it."),
    "policy_cite": ("기준: {title} {url}", "Policy: {title} {url}"),
    "return_fee": (" 단순 변심 반품이라 반품 배송비 {fee}은 환불 금액에서 빠져요.",
                   (" As a change-of-mind return, the {fee} return shipping is deducted from "
                   "the refund.")),
    "exchange_fee": (" 단순 변심 교환이라 왕복 배송비 {fee}이 들어요.",
                     " As a change-of-mind exchange, {fee} shipping applies."),
    "ask_offer": ("주문에 바로 진행하길 원하시면 주문번호와 함께 말씀해 주세요.",
                  "If you'd like me to do this for an order, tell me with the order number."),
    "status_shipped": (" 발송일: {date}.", " Shipped: {date}."),
    "status_delivered": (" 배송 완료일: {date}.", " Delivered: {date}."),
    "status_install": (" 설치 예정: {date} {slot}.", " Installation: {date}, {slot}."),
    "status_install_done": (" 설치 완료: {date}.", " Installed: {date}."),
    "status_install_moved": (" 설치 일정이 다시 잡혔어요: {date} {slot}.",
                             " Installation rescheduled to {date}, {slot}."),
}
FORMAL_POLICY_TEXTS: dict[str, tuple[str, str]] = {
    **POLICY_TEXTS,
    "policy_window": (("주문 {number}은 {delivered}에 배송 완료되어 {reason} 반품·교환 기간"
                       "({days}일, {deadline}까지)이 지났습니다."),
                      ("Order {number} was delivered on {delivered}, so the {days}-day window "
                       "for {reason} returns and exchanges closed on {deadline}.")),
    "policy_unknown": (("주문 {number}의 배송 완료일을 확인할 수 없어 반품·교환 기간을 확인하지 "
                        "못했습니다."),
                       ("We cannot see when order {number} was delivered, so we cannot check "
                        "its return window.")),
    "policy_person": ("이 요청은 챗봇이 처리할 수 없는 업무입니다.",
                      "This request is one the bot may not handle."),
    "alt_defect": (("상품에 불량이나 파손이 있다면 {deadline}까지 무료로 반품·교환하실 수 "
                    "있습니다. 불량이라면 어떤 문제인지 알려 주십시오."),
                   ("If the item is defective or damaged, you may still return or exchange it "
                    "free of charge until {deadline}. Please tell us what is wrong with it.")),
    "alt_return": ("받으신 뒤에는 반품으로 진행하실 수 있습니다.",
                   "Once it has arrived, you may return it instead."),
    "alt_agent": (("예외가 필요하시면 '상담원'이라고 입력해 주십시오. 상담원이 확인해 "
                   "드리겠습니다."),
                  "If you need an exception, please type 'agent' and a person will review it."),
    "return_fee": (" 단순 변심 반품이므로 반품 배송비 {fee}은 환불 금액에서 차감됩니다.",
                   (" As a change-of-mind return, the {fee} return shipping is deducted from "
                   "the refund.")),
    "exchange_fee": (" 단순 변심 교환이므로 왕복 배송비 {fee}이 부과됩니다.",
                     " As a change-of-mind exchange, {fee} shipping applies."),
    "ask_offer": ("주문에 바로 진행하시려면 주문번호와 함께 말씀해 주십시오.",
                  "If you would like us to do this for an order, please tell us the order number."),
    "status_install_moved": (" 설치 일정이 다시 잡혔습니다: {date} {slot}.",
                             " Installation rescheduled to {date}, {slot}."),
}
RETURN_REASONS = {"change_of_mind": ("단순 변심", "change-of-mind"),
                  "defect": ("불량·파손", "defect")}
