"""What the bot says, in Korean and English and in two tones, from templates.

``TEXTS`` is the friendly tone (해요체, casual English with contractions); ``FORMAL_TEXTS`` holds
the same keys in the formal tone (합쇼체, English without contractions, "Please", "We"). The
workspace's ``settings.bot.tone`` picks the table in ``say``, the one place texts are rendered.
"""

from __future__ import annotations

from typing import Any

from omnidesk.core.josa import with_particles
from omnidesk.domains.bot.policy_texts import FORMAL_POLICY_TEXTS, POLICY_TEXTS

TEXTS: dict[str, tuple[str, str]] = {
    "greeting": (
        ("안녕하세요, {workspace} 챗봇이에요. 주문 조회·취소·배송지 변경·반품/교환·환불·등급 "
        "안내를 도와드려요. 언제든 '상담원'이라고 입력하시면 사람 상담원에게 연결해 드려요."),
        ("Hi, I'm the {workspace} bot. I can check, cancel or re-address orders, start returns "
        "and exchanges, and tell you about refunds and your membership. Type 'agent' any time "
        "to reach a person.")),
    "thanks": ("도움이 되었다니 다행이에요. 더 필요하신 게 있으면 말씀해 주세요.",
               "Glad I could help. Anything else I can do for you?"),
    "clarify": (("죄송해요, 잘 이해하지 못했어요. 조금 다르게 말씀해 주시겠어요? "
                "'상담원'이라고 입력하시면 사람 상담원에게 연결해 드려요."),
                ("Sorry, I didn't quite get that. Could you put it another way? "
                "Type 'agent' to reach a person.")),
    "verify_ask": (("본인 확인이 필요해요. 주문번호와 주문하실 때 쓰신 휴대폰 번호나 이메일을 "
                   "알려 주세요. 주문번호는 주문 완료 문자·이메일이나 마이페이지 > 주문 내역에 "
                   "있어요. 주문번호를 모르시면 휴대폰 번호나 이메일만 보내 주세요. 인증번호를 "
                   "보내 드릴게요."),
                   ("I need to verify it's you first. Please send your order number and the "
                   "phone number or email used for the order. The order number is in the order "
                   "confirmation text or email, and under My page > Orders. Don't have it? Send "
                   "just your phone number or email and I'll send you a one-time code.")),
    "verify_partial": ("주문번호와 휴대폰 번호(또는 이메일)를 함께 알려 주세요.",
                       "Please send both the order number and the phone number (or email)."),
    "verify_failed": ("입력하신 정보가 주문 정보와 일치하지 않아요. 다시 한 번 확인해 주세요.",
                      ("That doesn't match our records for this order. Please check and try "
                      "again.")),
    "order_ask": ("어떤 주문인지 주문번호를 알려 주세요.",
                  "Which order is it? Please send the order number."),
    "order_not_found": ("주문번호 {number}을(를) 찾을 수 없어요. 다시 확인해 주세요.",
                        "I can't find order {number}. Please check the number."),
    "order_status": ("주문 {number}({items})은(는) 현재 '{status}' 상태예요. 주문일: {placed}.",
                     "Order {number} ({items}) is {status}. Placed on {placed}."),
    "cancel_reason": ("주문 {number}을(를) 취소하시는 이유를 편하게 말씀해 주세요.",
                      "Why would you like to cancel order {number}? A few words are enough."),
    "cancel_confirm": (("주문 {number}({items}, {total})을(를) '{reason}' 사유로 취소할까요? "
                       "진행하시려면 '네', 그만두시려면 '아니요'라고 답해 주세요."),
                       ("Cancel order {number} ({items}, {total}) because it was {reason}? "
                       "Reply 'yes' to go ahead or 'no' to stop.")),
    "cancel_done": ("주문 {number}을(를) 취소했어요. {refund}",
                    "Order {number} is cancelled. {refund}"),
    "address_ask": (("주문 {number}의 새 배송지를 알려 주세요. 도로명 주소, 상세 주소(동·호수), "
                    "우편번호를 보내 주시면 돼요. 받는 분과 연락처는 바꾸실 때만 함께 알려 주세요."),
                    ("Please send the new delivery address for order {number}: street, "
                    "apartment or unit, and postcode. The recipient and phone stay as they are "
                    "unless you send new ones.")),
    "address_confirm": (("주문 {number}의 배송지를 '{address}'(으)로 바꿀까요? '네' 또는 '아니요'로 "
                        "답해 주세요."),
                        ("Change the delivery address of order {number} to '{address}'? "
                        "Reply 'yes' or 'no'.")),
    "address_done": ("주문 {number}의 배송지를 변경했어요.",
                     "The delivery address of order {number} is changed."),
    "items_ask": ("어떤 상품인지 번호로 알려 주세요 (여러 개면 쉼표로): {choices}",
                  "Which items? Reply with their numbers (comma-separated): {choices}"),
    "return_confirm": (("주문 {number}의 {items}을(를) 반품 접수할까요? 환불은 원래 결제수단으로 "
                       "돌아가요. '네' 또는 '아니요'로 답해 주세요."),
                       ("Start a return of {items} from order {number}? The refund goes to the "
                       "original payment method. Reply 'yes' or 'no'.")),
    "return_done": (("주문 {number}의 반품을 접수했어요. 상품 회수 방법은 이메일로 안내해 드려요. "
                    "{refund}"),
                    ("Your return for order {number} is open. You'll get an email on how to "
                    "send the items back. {refund}")),
    "exchange_confirm": (("주문 {number}의 {items}을(를) {target}(으)로 교환 접수할까요? 교환할 "
                         "상품을 모두 말씀하셨는지 확인해 주세요. '네' 또는 '아니요'로 답해 주세요."),
                         ("Exchange {items} from order {number} for {target}? Please make sure "
                         "you listed every item to exchange. Reply 'yes' or 'no'.")),
    "exchange_same": ("같은 상품의 새 제품", "a new unit of the same item"),
    "exchange_done": ("주문 {number}의 교환을 접수했어요. 상품 회수 방법은 이메일로 안내해 드려요.",
                      ("Your exchange for order {number} is open. You'll get an email on how "
                      "to send the items back.")),
    "variant_ask": (("{item}({current})을(를) 어떤 옵션으로 교환하시겠어요? 번호나 옵션 이름으로 "
                    "답해 주세요.\n{choices}"),
                    ("Which option would you like instead of {item} ({current})? Reply with "
                    "its number or the option:\n{choices}")),
    "variant_unclear": ("어떤 옵션인지 잘 모르겠어요. 아래에서 번호로 골라 주세요.\n{choices}",
                        ("Sorry, I couldn't tell which option you mean. Pick one by its "
                        "number:\n{choices}")),
    "variant_none": ("{item}은(는) 지금 교환할 수 있는 다른 옵션이 없어요.",
                     "There's no other option of {item} available right now."),
    "exchange_variant_confirm": (
        ("주문 {number}을(를) 이렇게 교환 접수할까요?\n{changes}\n{difference} 교환할 상품을 "
        "모두 말씀하셨는지 확인해 주세요. '네' 또는 '아니요'로 답해 주세요."),
        ("Shall I open this exchange on order {number}?\n{changes}\n{difference} Make sure "
        "you've listed every item to exchange. Reply 'yes' or 'no'.")),
    "difference_pay": ("차액 {amount}은(는) 원래 결제수단({method})으로 추가 결제돼요.",
                       ("You'll pay the difference of {amount} with your original payment "
                       "method ({method}).")),
    "difference_refund": ("차액 {amount}은(는) 원래 결제수단({method})으로 환불돼요.",
                          ("You'll get the difference of {amount} back on your original "
                          "payment method ({method}).")),
    "difference_none": ("가격이 같아서 추가 결제나 환불은 없어요.",
                        "It's the same price, so there's nothing to pay or refund."),
    "price_same": ("가격 동일", "same price"),
    "refund_none": ("주문 {number}에는 진행 중인 환불이 없어요.",
                    "There is no refund on order {number}."),
    "refund_requested": ("주문 {number}의 환불({amount})이(가) 접수되어 처리 중이에요. {refund}",
                         "The refund of {amount} for order {number} is being processed. {refund}"),
    "refund_done": ("주문 {number}의 환불 {amount}이(가) 완료됐어요. {refund}",
                    "The refund of {amount} for order {number} has been issued. {refund}"),
    "refund_instant": ("기프트카드 환불은 즉시 반영돼요.",
                       "Gift card refunds arrive immediately."),
    "refund_days": ("{method} 환불은 영업일 기준 5~7일 안에 반영돼요.",
                    "Refunds to {method} arrive within 5 to 7 business days."),
    "membership": ("고객님의 등급은 {tier}이고, 적립 포인트는 {points}점이에요.{next}",
                   "Your membership tier is {tier} and you have {points} points.{next}"),
    "membership_next": (" {next_tier}까지 {remaining} 남았어요.",
                        " {remaining} more to reach {next_tier}."),
    "policy_cancel": (("주문 {number}은(는) '{status}' 상태라 취소할 수 없어요. 결제 완료(발송 전) "
                      "상태의 주문만 취소할 수 있어요."),
                      ("Order {number} is {status}, so it can't be cancelled: only pending "
                      "orders can.")),
    "policy_address": (("주문 {number}은(는) '{status}' 상태라 배송지를 바꿀 수 없어요. 발송 전 "
                       "주문만 변경할 수 있어요."),
                       ("Order {number} is {status}, so its address can't change: only pending "
                       "orders can be modified.")),
    "policy_return": (("주문 {number}은(는) '{status}' 상태예요. 반품과 교환은 배송 완료된 주문만 "
                      "가능해요."),
                      ("Order {number} is {status}. Returns and exchanges are only for "
                      "delivered orders.")),
    "declined": ("알겠어요, 진행하지 않았어요. 다른 도움이 필요하시면 말씀해 주세요.",
                 "OK, I haven't changed anything. Anything else I can help with?"),
    "yes_no": ("'네' 또는 '아니요'로 답해 주세요.", "Please reply 'yes' or 'no'."),
    "handoff": ("상담원에게 연결해 드릴게요. 지금까지의 내용을 전달해 두었으니 다시 설명하지 않으셔도 돼요.",
                ("I'm connecting you with an agent. They'll see our conversation, so you "
                "won't need to repeat yourself.")),
    "handoff_closed": (("지금은 상담 시간이 아니에요. 상담원이 {when}부터 답변드릴게요. "
                       "{email}전화 회신을 원하시면 연락처를 남겨 주세요."),
                       ("Our team is away right now; an agent will answer from {when}. "
                       "{email}If you'd like a call back, leave your phone number here.")),
    "handoff_email": ("이메일({email})로 문의하셔도 되고, ", "You can also email {email}. "),
    "hours": ("상담 시간은 {hours}이에요. {state}",
              "Our support hours are {hours}. {state}"),
    "hours_open": ("지금은 상담 가능한 시간이에요.", "We're open now."),
    "hours_closed": ("다음 상담 시작은 {when}이에요.", "We next open {when}."),
    "kb_source": ("자세히 보기: {title} {url}", "More: {title} {url}"),
    "kb_clarify": ("어떤 내용을 찾으시나요? 아래에서 골라 주세요.",
                   "Which of these are you looking for?"),
    "flow_failed": ("지금은 이 요청을 처리할 수 없어요.", "I can't complete this request right now."),
    "choice_person": ("상담원 연결", "Talk to an agent"),
    "choice_yes": ("네", "Yes"),
    "choice_no": ("아니요", "No"),
    "offer_choices": ("아래에서 골라 주시거나 '상담원 연결'을 눌러 주세요.",
                      "Pick one below, or choose 'Talk to an agent'."),
    "choices_hint": ("번호로 답해 주셔도 돼요.", "You can reply with the number."),
    "opening_guess": ("혹시 {topic} 문의이신가요?", "Are you getting in touch about {topic}?"),
    "choice_opening_yes": ("네, {topic} 문의예요", "Yes, {topic}"),
    "choice_opening_other": ("아니요, 다른 문의예요", "No, something else"),
    "opening_other_reply": ("알겠어요. 어떤 점이 궁금하신지 편하게 적어 주세요.",
                            "Sure. Tell me what you need in your own words."),
    "code_sent": (("인증번호 6자리를 {target}(으)로 보냈어요. 받으신 번호를 여기에 입력해 주세요 "
                  "(10분 동안 유효해요)."),
                  ("I've sent a 6-digit code to {target}. Please type it here (it's valid for 10 "
                  "minutes).")),
    "code_message": (("[{workspace}] 인증번호: {code}\n10분 안에 상담 채팅에 입력해 주세요. 요청하지 "
                     "않으셨다면 이 메시지는 무시해 주세요."),
                     ("[{workspace}] Your code: {code}\nType it in the support chat within 10 "
                     "minutes. If you didn't ask for it, ignore this message.")),
    "code_subject": ("[{workspace}] 본인 확인 인증번호", "[{workspace}] Your verification code"),
    "code_wrong": ("인증번호가 맞지 않아요. 받으신 6자리 번호를 다시 입력해 주세요.",
                   "That code doesn't match. Please type the 6-digit code again."),
    "code_expired": (("인증번호의 유효 시간이 지났어요. 휴대폰 번호나 이메일을 다시 보내 주시면 새 "
                     "번호를 보내 드릴게요."),
                     ("That code has expired. Send your phone number or email again and I'll send "
                     "a new one.")),
    "code_unavailable": (("지금은 {via} 인증번호를 보낼 수 없어요. 주문번호와 함께 알려 주시거나 "
                         "상담원에게 문의해 주세요."),
                         ("I can't send a code by {via} right now. Please send the order number "
                         "with it, or ask an agent.")),
    "via_sms": ("문자로", "text message"),
    "via_mail": ("이메일로", "e-mail"),
    "contact_unknown": (("그 연락처로 된 주문을 찾지 못했어요. 주문하실 때 쓰신 휴대폰 번호나 이메일이 "
                        "맞는지 확인해 주세요."),
                        ("I couldn't find orders for that contact. Please check it's the phone "
                        "number or email used for the order.")),
    "pick_order": ("본인 확인이 됐어요. 어떤 주문인지 골라 주세요.",
                   "Thanks, you're verified. Which order is it?"),
    "no_orders": ("확인된 주문이 없어요.", "I can't see any orders for you."),
    "address_postcode_ask": ("'{road}'의 우편번호 5자리도 알려 주세요.",
                             "What's the 5-digit postcode of '{road}'?"),
    "address_unclear": (("주소를 읽지 못했어요. '서울시 강남구 테헤란로 152, 10층, 06236'처럼 "
                        "보내 주세요."),
                        ("I couldn't read that address. Please send it like '152 Teheran-ro, "
                        "Gangnam-gu, Seoul, 10F, 06236'.")),
    "choice_no_postcode": ("우편번호 모름", "I don't know the postcode"),
    "address_keeps": (" 받는 분({recipient})과 연락처는 그대로예요.",
                      " The recipient ({recipient}) and phone stay the same."),
    "no_postcode": ("우편번호 미입력", "postcode to be confirmed"),
    "multi_plan": ("요청하신 {count}가지를 차례로 도와드릴게요: {plan}. 먼저 {first}부터 할게요.",
                   "I'll take your {count} requests one at a time: {plan}. First, {first}."),
    "next_request": ("이어서 {next}을(를) 도와드릴게요.", "Next, {next}."),
    "waiting_ack": ("메시지 잘 받았어요. 상담원에게 전달해 두었어요. {when}",
                    "Got it, I've passed your message on. {when}"),
    "waiting_place": ("지금 대기 순서는 {position}번째예요. 상담원이 곧 답변드릴게요.",
                      "You're number {position} in line; an agent will be with you soon."),
    "waiting_open": ("상담원이 순서대로 곧 답변드릴게요.", "An agent will be with you soon."),
    "waiting_closed": ("상담원이 {when}부터 순서대로 답변드릴게요.",
                       "An agent will answer from {when}, in turn."),
    "waiting_kb": ("상담원 연결은 그대로 기다리고 계세요.", "You're still in line for an agent."),
}

FORMAL_TEXTS: dict[str, tuple[str, str]] = {
    "greeting": (
        ("안녕하십니까, {workspace} 챗봇입니다. 주문 조회·취소·배송지 변경·반품/교환·환불·등급 "
        "안내를 도와드리겠습니다. 언제든 '상담원'이라고 입력하시면 사람 상담원에게 연결해 "
        "드리겠습니다."),
        ("Hello, this is the {workspace} bot. We can check, cancel or re-address orders, start "
        "returns and exchanges, and tell you about refunds and your membership. Please type "
        "'agent' at any time to reach a person.")),
    "thanks": ("도움이 되었다니 다행입니다. 더 필요하신 것이 있으시면 말씀해 주십시오.",
               ("We are glad we could help. Please let us know if there is anything else we "
               "can do for you.")),
    "clarify": (("죄송합니다. 말씀하신 내용을 이해하지 못했습니다. 다르게 말씀해 주시겠습니까? "
                "'상담원'이라고 입력하시면 사람 상담원에게 연결해 드리겠습니다."),
                ("We apologize, but we did not understand your message. Could you please "
                "rephrase it? Please type 'agent' to reach a person.")),
    "verify_ask": (("본인 확인이 필요합니다. 주문번호와 주문하실 때 사용하신 휴대폰 번호나 "
                   "이메일을 알려 주십시오. 주문번호는 주문 완료 문자·이메일이나 마이페이지 > "
                   "주문 내역에서 확인하실 수 있습니다. 주문번호를 모르시면 휴대폰 번호나 "
                   "이메일만 보내 주십시오. 인증번호를 보내 드리겠습니다."),
                   ("We need to verify your identity first. Please send your order number and "
                   "the phone number or email used for the order. The order number is in the "
                   "order confirmation text or email, and under My page > Orders. If you do not "
                   "have it, please send only your phone number or email and we will send you a "
                   "one-time code.")),
    "verify_partial": ("주문번호와 휴대폰 번호(또는 이메일)를 함께 알려 주십시오.",
                       "Please send both the order number and the phone number (or email)."),
    "verify_failed": ("입력하신 정보가 주문 정보와 일치하지 않습니다. 다시 한번 확인해 주십시오.",
                      ("The details do not match our records for this order. Please check "
                      "them and try again.")),
    "order_ask": ("어떤 주문인지 주문번호를 알려 주십시오.",
                  "Please send the number of the order in question."),
    "order_not_found": ("주문번호 {number}을(를) 찾을 수 없습니다. 다시 확인해 주십시오.",
                        "We cannot find order {number}. Please check the number."),
    "order_status": ("주문 {number}({items})은(는) 현재 '{status}' 상태입니다. 주문일: {placed}.",
                     "Order {number} ({items}) is {status}. It was placed on {placed}."),
    "cancel_reason": ("주문 {number}을(를) 취소하시는 사유를 말씀해 주십시오.",
                      "Please tell us briefly why you would like to cancel order {number}."),
    "cancel_confirm": (("주문 {number}({items}, {total})을(를) '{reason}' 사유로 취소하시겠습니까? "
                       "진행하시려면 '네', 그만두시려면 '아니요'라고 답해 주십시오."),
                       ("Would you like us to cancel order {number} ({items}, {total}) because "
                       "it was {reason}? Please reply 'yes' to proceed or 'no' to stop.")),
    "cancel_done": ("주문 {number}을(를) 취소했습니다. {refund}",
                    "Order {number} has been cancelled. {refund}"),
    "address_ask": (("주문 {number}의 새 배송지를 알려 주십시오. 도로명 주소, 상세 주소(동·호수), "
                    "우편번호를 보내 주시면 됩니다. 받는 분과 연락처는 변경하실 때만 함께 알려 "
                    "주십시오."),
                    ("Please send the new delivery address for order {number}: street, "
                    "apartment or unit, and postcode. The recipient and phone will stay as they "
                    "are unless you send new ones.")),
    "address_confirm": (("주문 {number}의 배송지를 '{address}'(으)로 변경하시겠습니까? '네' 또는 "
                        "'아니요'로 답해 주십시오."),
                        ("Would you like us to change the delivery address of order {number} to "
                        "'{address}'? Please reply 'yes' or 'no'.")),
    "address_done": ("주문 {number}의 배송지를 변경했습니다.",
                     "We have changed the delivery address of order {number}."),
    "items_ask": ("어떤 상품인지 번호로 알려 주십시오 (여러 개인 경우 쉼표로 구분): {choices}",
                  "Please reply with the numbers of the items (comma-separated): {choices}"),
    "return_confirm": (("주문 {number}의 {items}을(를) 반품 접수하시겠습니까? 환불은 원래 "
                       "결제수단으로 처리됩니다. '네' 또는 '아니요'로 답해 주십시오."),
                       ("Would you like us to start a return of {items} from order {number}? "
                       "The refund will go to the original payment method. Please reply 'yes' "
                       "or 'no'.")),
    "return_done": (("주문 {number}의 반품을 접수했습니다. 상품 회수 방법은 이메일로 안내해 "
                    "드리겠습니다. {refund}"),
                    ("We have opened your return for order {number}. You will receive an email "
                    "on how to send the items back. {refund}")),
    "exchange_confirm": (("주문 {number}의 {items}을(를) {target}(으)로 교환 접수하시겠습니까? "
                         "교환할 상품을 모두 말씀하셨는지 확인해 주십시오. '네' 또는 '아니요'로 "
                         "답해 주십시오."),
                         ("Would you like us to exchange {items} from order {number} for "
                         "{target}? Please make sure you have listed every item to exchange, "
                         "and reply 'yes' or 'no'.")),
    "exchange_same": ("같은 상품의 새 제품", "a new unit of the same item"),
    "exchange_done": (("주문 {number}의 교환을 접수했습니다. 상품 회수 방법은 이메일로 안내해 "
                      "드리겠습니다."),
                      ("We have opened your exchange for order {number}. You will receive an "
                      "email on how to send the items back.")),
    "variant_ask": (("{item}({current})을(를) 어떤 옵션으로 교환하시겠습니까? 번호나 옵션 "
                    "이름으로 답해 주십시오.\n{choices}"),
                    ("Which option would you like instead of {item} ({current})? Please reply "
                    "with its number or the option:\n{choices}")),
    "variant_unclear": (("어떤 옵션을 말씀하시는지 확인하지 못했습니다. 아래에서 번호로 선택해 "
                        "주십시오.\n{choices}"),
                        ("We could not tell which option you mean. Please choose one by its "
                        "number:\n{choices}")),
    "variant_none": ("{item}은(는) 현재 교환할 수 있는 다른 옵션이 없습니다.",
                     "There is no other option of {item} available at the moment."),
    "exchange_variant_confirm": (
        ("주문 {number}을(를) 다음과 같이 교환 접수하시겠습니까?\n{changes}\n{difference} 교환할 "
        "상품을 모두 말씀하셨는지 확인해 주십시오. '네' 또는 '아니요'로 답해 주십시오."),
        ("Would you like us to open the following exchange on order {number}?\n{changes}\n"
        "{difference} Please make sure you have listed every item to exchange, and reply 'yes' "
        "or 'no'.")),
    "difference_pay": ("차액 {amount}은(는) 원래 결제수단({method})으로 추가 결제됩니다.",
                       ("The difference of {amount} will be charged to your original payment "
                       "method ({method}).")),
    "difference_refund": ("차액 {amount}은(는) 원래 결제수단({method})으로 환불됩니다.",
                          ("The difference of {amount} will be refunded to your original "
                          "payment method ({method}).")),
    "difference_none": ("가격이 같으므로 추가 결제나 환불은 없습니다.",
                        "The price is the same, so there is nothing to pay or refund."),
    "price_same": ("가격 동일", "same price"),
    "refund_none": ("주문 {number}에는 진행 중인 환불이 없습니다.",
                    "There is no refund on order {number}."),
    "refund_requested": ("주문 {number}의 환불({amount})이(가) 접수되어 처리 중입니다. {refund}",
                         "The refund of {amount} for order {number} is being processed. {refund}"),
    "refund_done": ("주문 {number}의 환불 {amount}이(가) 완료되었습니다. {refund}",
                    "The refund of {amount} for order {number} has been issued. {refund}"),
    "refund_instant": ("기프트카드 환불은 즉시 반영됩니다.",
                       "Gift card refunds arrive immediately."),
    "refund_days": ("{method} 환불은 영업일 기준 5~7일 이내에 반영됩니다.",
                    "Refunds to {method} arrive within 5 to 7 business days."),
    "membership": ("고객님의 등급은 {tier}이며, 적립 포인트는 {points}점입니다.{next}",
                   "Your membership tier is {tier} and you have {points} points.{next}"),
    "membership_next": (" {next_tier}까지 {remaining} 남았습니다.",
                        " You need {remaining} more to reach {next_tier}."),
    "policy_cancel": (("주문 {number}은(는) '{status}' 상태이므로 취소할 수 없습니다. 결제 완료"
                      "(발송 전) 상태의 주문만 취소할 수 있습니다."),
                      ("Order {number} is {status}, so it cannot be cancelled. Only pending "
                      "orders can be cancelled.")),
    "policy_address": (("주문 {number}은(는) '{status}' 상태이므로 배송지를 변경할 수 없습니다. "
                       "발송 전 주문만 변경할 수 있습니다."),
                       ("Order {number} is {status}, so its address cannot be changed. Only "
                       "pending orders can be modified.")),
    "policy_return": (("주문 {number}은(는) '{status}' 상태입니다. 반품과 교환은 배송 완료된 "
                      "주문만 가능합니다."),
                      ("Order {number} is {status}. Returns and exchanges are only for "
                      "delivered orders.")),
    "declined": ("알겠습니다. 진행하지 않았습니다. 다른 도움이 필요하시면 말씀해 주십시오.",
                 ("Understood. We have not changed anything. Please let us know if there is "
                 "anything else we can help with.")),
    "yes_no": ("'네' 또는 '아니요'로 답해 주십시오.", "Please reply 'yes' or 'no'."),
    "handoff": (("상담원에게 연결해 드리겠습니다. 지금까지의 내용을 전달해 두었으니 다시 설명하지 "
                "않으셔도 됩니다."),
                ("We are connecting you with an agent. They will see our conversation, so you "
                "will not need to repeat yourself.")),
    "handoff_closed": (("지금은 상담 시간이 아닙니다. 상담원이 {when}부터 답변드리겠습니다. "
                       "{email}전화 회신을 원하시면 연락처를 남겨 주십시오."),
                       ("Our team is away at the moment; an agent will answer from {when}. "
                       "{email}If you would like a call back, please leave your phone number "
                       "here.")),
    "handoff_email": ("이메일({email})로 문의하셔도 되며, ", "You may also email {email}. "),
    "hours": ("상담 시간은 {hours}입니다. {state}", "Our support hours are {hours}. {state}"),
    "hours_open": ("지금은 상담 가능한 시간입니다.", "We are open now."),
    "hours_closed": ("다음 상담 시작은 {when}입니다.", "We next open {when}."),
    "kb_source": ("자세한 내용: {title} {url}", "More information: {title} {url}"),
    "kb_clarify": ("찾으시는 내용을 아래에서 골라 주십시오.",
                   "Please choose the topic you are looking for."),
    "flow_failed": ("지금은 이 요청을 처리할 수 없습니다.",
                    "We are unable to complete this request at the moment."),
    "choice_person": ("상담원 연결", "Talk to an agent"),
    "choice_yes": ("네", "Yes"),
    "choice_no": ("아니요", "No"),
    "offer_choices": ("아래에서 선택하시거나 '상담원 연결'을 눌러 주십시오.",
                      "Please pick one below, or choose 'Talk to an agent'."),
    "choices_hint": ("번호로 답해 주셔도 됩니다.", "You may reply with the number."),
    "opening_guess": ("혹시 {topic} 관련 문의이십니까?", "Are you contacting us about {topic}?"),
    "choice_opening_yes": ("네, {topic} 문의입니다", "Yes, {topic}"),
    "choice_opening_other": ("아니요, 다른 문의입니다", "No, something else"),
    "opening_other_reply": ("알겠습니다. 문의하실 내용을 편하게 적어 주십시오.",
                            "Certainly. Please tell us what you need."),
    "code_sent": (("인증번호 6자리를 {target}(으)로 보내 드렸습니다. 받으신 번호를 여기에 입력해 "
                  "주십시오(10분 동안 유효합니다)."),
                  ("We have sent a 6-digit code to {target}. Please type it here (it is valid "
                  "for 10 minutes).")),
    "code_message": (("[{workspace}] 인증번호: {code}\n10분 안에 상담 채팅에 입력해 주십시오. 요청하지 "
                     "않으셨다면 이 메시지는 무시해 주십시오."),
                     ("[{workspace}] Your code: {code}\nPlease type it in the support chat within "
                     "10 minutes. If you did not ask for it, please ignore this message.")),
    "code_subject": ("[{workspace}] 본인 확인 인증번호", "[{workspace}] Your verification code"),
    "code_wrong": ("인증번호가 일치하지 않습니다. 받으신 6자리 번호를 다시 입력해 주십시오.",
                   "The code does not match. Please type the 6-digit code again."),
    "code_expired": (("인증번호의 유효 시간이 지났습니다. 휴대폰 번호나 이메일을 다시 보내 주시면 새 "
                     "번호를 보내 드리겠습니다."),
                     ("The code has expired. Please send your phone number or email again and we "
                     "will send a new one.")),
    "code_unavailable": (("지금은 {via} 인증번호를 보낼 수 없습니다. 주문번호와 함께 알려 주시거나 "
                         "상담원에게 문의해 주십시오."),
                         ("We cannot send a code by {via} at the moment. Please send the order "
                         "number with it, or ask an agent.")),
    "via_sms": ("문자로", "text message"),
    "via_mail": ("이메일로", "e-mail"),
    "contact_unknown": (("해당 연락처로 된 주문을 찾지 못했습니다. 주문하실 때 사용하신 휴대폰 번호나 "
                        "이메일이 맞는지 확인해 주십시오."),
                        ("We could not find orders for that contact. Please check that it is the "
                        "phone number or email used for the order.")),
    "pick_order": ("본인 확인이 완료되었습니다. 어떤 주문인지 선택해 주십시오.",
                   "Thank you, you are verified. Which order is it?"),
    "no_orders": ("확인된 주문이 없습니다.", "We cannot see any orders for you."),
    "address_postcode_ask": ("'{road}'의 우편번호 5자리도 알려 주십시오.",
                             "Please send the 5-digit postcode of '{road}'."),
    "address_unclear": (("주소를 확인하지 못했습니다. '서울시 강남구 테헤란로 152, 10층, 06236'과 "
                        "같이 보내 주십시오."),
                        ("We could not read that address. Please send it like '152 Teheran-ro, "
                        "Gangnam-gu, Seoul, 10F, 06236'.")),
    "choice_no_postcode": ("우편번호 모름", "I don't know the postcode"),
    "address_keeps": (" 받는 분({recipient})과 연락처는 그대로 유지됩니다.",
                      " The recipient ({recipient}) and phone will stay the same."),
    "no_postcode": ("우편번호 미입력", "postcode to be confirmed"),
    "multi_plan": (("요청하신 {count}가지를 차례로 도와드리겠습니다: {plan}. 먼저 {first}부터 "
                   "진행하겠습니다."),
                   "We will take your {count} requests one at a time: {plan}. First, {first}."),
    "next_request": ("이어서 {next}을(를) 도와드리겠습니다.", "Next, {next}."),
    "waiting_ack": ("메시지를 잘 받았습니다. 상담원에게 전달해 두었습니다. {when}",
                    "We have received your message and passed it on. {when}"),
    "waiting_place": ("현재 대기 순서는 {position}번째입니다. 상담원이 곧 답변드리겠습니다.",
                      "You are number {position} in line; an agent will be with you shortly."),
    "waiting_open": ("상담원이 순서대로 곧 답변드리겠습니다.", "An agent will be with you shortly."),
    "waiting_closed": ("상담원이 {when}부터 순서대로 답변드리겠습니다.",
                       "An agent will answer from {when}, in turn."),
    "waiting_kb": ("상담원 연결은 그대로 유지됩니다.", "You are still in line for an agent."),
}
TEXTS.update(POLICY_TEXTS)  # the store-policy wording lives in its own module
FORMAL_TEXTS.update(FORMAL_POLICY_TEXTS)
TABLES = {"friendly": TEXTS, "formal": FORMAL_TEXTS}
TONES = tuple(TABLES)

STATUS_NAMES = {
    "pending": ("결제 완료(발송 전)", "pending (not shipped yet)"),
    "processed": ("발송 준비/배송 중", "processed (shipping)"),
    "delivered": ("배송 완료", "delivered"),
    "cancelled": ("취소됨", "cancelled"),
    "return_requested": ("반품 접수", "return requested"),
    "exchange_requested": ("교환 접수", "exchange requested"),
    "returned": ("반품 완료", "returned"),
    "exchanged": ("교환 완료", "exchanged"),
}
REQUEST_NAMES = {"cancel_order": ("주문 취소", "cancelling the order"),
                 "change_address": ("배송지 변경", "changing the address"),
                 "order_status": ("주문 조회", "checking the order"),
                 "return_request": ("반품 접수", "the return"),
                 "exchange_request": ("교환 접수", "the exchange"),
                 "refund_status": ("환불 확인", "the refund"),
                 "membership_tier": ("등급 확인", "your membership"),
                 "business_hours": ("상담 시간 안내", "our hours")}
REASONS = {"no longer needed": ("더 이상 필요 없음", "no longer needed"),
           "ordered by mistake": ("실수로 주문", "ordered by mistake")}
PAYMENT_NAMES = {"card": ("신용카드", "credit card"), "kakaopay": ("카카오페이", "KakaoPay"),
                 "naverpay": ("네이버페이", "Naver Pay"), "tosspay": ("토스페이", "Toss Pay"),
                 "bank_transfer": ("계좌이체", "bank transfer"),
                 "gift_card": ("기프트카드", "gift card"), "paypal": ("페이팔", "PayPal"),
                 "credit_card": ("신용카드", "credit card")}
OPTION_NAMES = {"color": ("색상", "color"), "colour": ("색상", "colour"), "size": ("사이즈", "size"),
                "material": ("소재", "material"), "style": ("스타일", "style"),
                "capacity": ("용량", "capacity"), "type": ("종류", "type"),
                "mount": ("설치 방식", "mount"), "firmness": ("경도", "firmness")}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "ko" else pair[1]


def say(key: str, lang: str, *, tone: str = "friendly", **values: Any) -> str:
    """Render one message in the language ('ko' or anything else for English) and tone.

    Korean particles written as "을(를)" take the form the word before them needs.
    """
    text = _pick(TABLES.get(tone, TEXTS)[key], lang).format(**values)
    return with_particles(text) if lang == "ko" else text


def status_name(status: str, lang: str) -> str:
    """Name an order status for customers."""
    return _pick(STATUS_NAMES.get(status, (status, status)), lang)


def reason_name(reason: str, lang: str) -> str:
    """Name a cancellation reason for customers."""
    return _pick(REASONS.get(reason, (reason, reason)), lang)


def request_name(intent: str | None, lang: str) -> str:
    """Name what a customer asked for (a task flow, else "your question")."""
    return _pick(REQUEST_NAMES.get(intent or "", ("문의하신 내용", "your question")), lang)


def option_name(option: str, lang: str) -> str:
    """Name a product option (color, size…) for customers."""
    return _pick(OPTION_NAMES.get(option.lower(), (option, option)), lang)


def option_rank(option: str) -> int:
    """Order options as customers expect them (colour before size…), unknown ones last."""
    names = list(OPTION_NAMES)
    return names.index(option.lower()) if option.lower() in OPTION_NAMES else len(names)


def payment_name(method: str, lang: str) -> str:
    """Name a payment method for customers."""
    key = next((k for k in PAYMENT_NAMES if method.startswith(k)), method)
    return _pick(PAYMENT_NAMES.get(key, (method, method)), lang)
