"""English dialogue templates (written for this demo; slots are filled by the generator)."""

from __future__ import annotations

from .catalogue import TEAM_BILLING, TEAM_DELIVERY, TEAM_INSTALL
from .scenario import Scenario

S = Scenario
D, I, B = TEAM_DELIVERY, TEAM_INSTALL, TEAM_BILLING
WATER = ("세탁기", "건조기", "식기세척기", "냉장고", "에어컨")
SMALL = ("의자", "수납장", "공기청정기", "청소기", "로봇청소기", "주방가전", "TV", "매트리스", "책상")

SCENARIOS_EN: list[Scenario] = [
    S("en_order_status", "order_status", D, "pending", (
        "C|Hi, when will my order {order} arrive?",
        ("A|Hi {first}, this is {agent_en} from Hanbit Living. Your {product_en} is being prepared "
         "for shipping and should arrive on {eta_en}."),
        "C|Great, thanks!",
        "A|You're welcome. We'll text you the tracking number as soon as it ships.",
    ), labels=("delivery",), subject="Delivery date for {order}", summary="Gave ETA {eta_en}"),
    S("en_delivery_delay", "delivery_delay", D, "pending", (
        "C|My order should have arrived by now. The app still says 'preparing'. What's going on?",
        ("A|Hi {first}, I'm sorry for the wait. I checked order {order}: the regional hub had a "
         "backlog this week, so it left a day late."),
        ("A|It's now out of the hub and scheduled for {eta_en}. I've added a ₩3,000 coupon to "
         "your account for the trouble."),
        "C|Ok, appreciate the coupon. Please make sure it actually comes this time.",
    ), labels=("delivery-delay",), priority="high", mood=-1,
        note="Hub backlog again for {city}. Flagged to logistics.",
        subject="Where is my order {order}?",
        summary="Hub backlog, new ETA {eta_en}, coupon issued", follow_up="en_followup_generic"),
    S("en_address_change", "address_change", D, "pending", (
        "C|Can I still change the delivery address? I gave my old officetel address by mistake.",
        "A|Hi {first}, yes, order {order} hasn't shipped yet. What's the new address?",
        "C|Seoul, Yongsan-gu, Itaewon-ro 27-gil 15, unit 302",
        "A|Done! The address is updated. The driver will call {phone} before delivery.",
    ), labels=("address-change",), summary="Updated address before dispatch"),
    S("en_install_reschedule", "installation_booking", I, "install_scheduled", (
        ("C|Hi, the installation for my {product_en} is on {install_date_en} but I'll be away. "
         "Can we move it?"),
        ("A|Hi {first}, this is {agent_en} from the installation team. Sure, the earliest "
         "alternative is {new_date_en}, {install_slot_en}. Would that work?"),
        "C|Yes, that's perfect.",
        ("A|All set for {new_date_en}. The technician will call the day before. Note that they "
         "speak mostly Korean, but I've added a note to keep it simple, and you can message us "
         "here anytime."),
    ), labels=("installation",), summary="Moved installation to {new_date_en}"),
    S("en_install_noshow", "installation_no_show", I, "install_missed", (
        "C|The installer never showed up today. I waited all afternoon for my {product_en}.",
        "A|{first}, I'm really sorry. Let me check with the installation crew right now.",
        ("A|The crew's schedule overran and your visit was dropped without a call, which should "
         "never happen. I've booked the first slot on {new_date_en} and added 5,000 points to "
         "your account."),
        "C|Fine. Please make sure someone calls me beforehand this time.",
    ), labels=("installation", "no-show"), priority="high", mood=-1,
        follow_up="en_followup_install", note="English-speaking customer, ask crew lead to call.",
        subject="Installer did not come ({order})", summary="No-show, rebooked {new_date_en}"),
    S("en_followup_install", "follow_up", I, "any", (
        "C|Hi again. I contacted you on {prev_date_en} because the installer didn't come.",
        ("A|Hi {first}, yes, I can see that conversation about your {product_en}. Sorry again for "
         "that day. How can I help?"),
        "C|Everything works now, I just want to know if the 5,000 points expire.",
        "A|They're valid for a year, so you have plenty of time to use them.",
    ), labels=("follow-up",), follow_only=True, mood=1, summary="Follow-up on earlier no-show"),
    S("en_leak", "installation_defect", I, "install_done", (
        "C|There's water leaking under the {product_en} since it was installed. Help!",
        ("A|Sorry to hear that, {first}. Please turn it off and close the water valve behind it. "
         "Could you send a photo of where the water is coming from?"),
        "C|[photo] It's dripping from the hose at the back.",
        ("A|Thanks. It looks like the hose fitting wasn't tightened. This is an installation "
         "fault, so the repair is free. A technician will visit tomorrow morning "
         "(ticket {ticket})."),
    ), labels=("installation", "leak"), categories=WATER, priority="urgent", mood=-1,
        offset_days=(0, 3), subject="Leak after installation",
        summary="Leak, urgent visit {ticket}", follow_up="en_followup_generic"),
    S("en_repair", "repair", I, "install_done", (
        "C|My {product_en} started making a loud rattling noise. Is this covered?",
        ("A|Hi {first}, yes, it's within the 12-month warranty. I've booked a technician visit "
         "at no charge; your ticket number is {ticket}."),
        "C|Thanks, that was quick.",
    ), labels=("repair",), offset_days=(10, 60), summary="Warranty repair booked {ticket}",
        follow_up="en_followup_generic"),
    S("en_return", "return", D, "delivered", (
        "C|I'd like to return the {product_en}. It's smaller than I expected.",
        ("A|No problem, {first}. Change-of-mind returns are accepted within 7 days of delivery; "
         "a ₩6,000 return shipping fee is deducted from the refund."),
        "C|OK. Do I need the original box?",
        ("A|Any sturdy box works. The courier will pick it up in 2-3 days, and the refund goes "
         "back to your {payment_en} once the item reaches our warehouse."),
    ), labels=("return",), categories=SMALL, offset_days=(2, 6), subject="Return request {order}",
        summary="Return booked, ₩6,000 fee explained"),
    S("en_refund", "refund_status", B, "cancelled", (
        "C|I cancelled order {order} last week and haven't seen the refund yet.",
        ("A|Hi {first}, this is {agent_en} from billing. The {amount_en} refund to your "
         "{payment_en} was approved on our side the same day."),
        ("A|Card issuers usually take 3-5 business days to show it. If it isn't there by the end "
         "of the week, send us a message and we'll get you a cancellation confirmation."),
        "C|Got it, thanks for explaining.",
    ), labels=("refund",), offset_days=(3, 8), subject="Refund not received",
        summary="Refund approved, 3-5 business days"),
    S("en_cancel", "cancel_order", D, "cancelled", (
        "C|Please cancel my order {order}, I ordered the wrong size.",
        ("A|Hi {first}, done. Order {order} is cancelled and {amount_en} will go back to your "
         "{payment_en}."),
        "C|Thank you!",
    ), labels=("cancellation",), summary="Cancelled order, wrong size"),
    S("en_foreign_card", "payment_error", B, "none", (
        "C|My foreign Visa card keeps getting declined at checkout.",
        ("A|Hi {first}, sorry about that. Some Korean payment gateways block cards issued abroad. "
         "Could you try the 'Overseas card' option at the bottom of the payment page?"),
        "C|That worked! Why isn't it the default?",
        "A|Good question. I'll pass the feedback on to our web team. Thanks for your patience!",
    ), labels=("payment",), priority="high", summary="Foreign card, overseas checkout option"),
    S("en_receipt", "receipt", B, "any", (
        "C|Could I get an English receipt for order {order}? My company needs it for expenses.",
        "A|Of course. I've emailed an English receipt for {amount_en} to {email}.",
        "C|Received, thanks a lot.",
    ), labels=("receipt",), channels=(("email", 3), ("web", 1)), offset_days=(1, 10),
        subject="English receipt for {order}", summary="Sent English receipt"),
    S("en_points", "points", B, "none", (
        "C|How many points do I have, and can I use them on sale items?",
        ("A|Hi {first}, you currently have {points} points. They can be used on any item, "
         "including sale items, at 1 point = ₩1."),
        "C|Perfect, thank you.",
    ), labels=("points",), summary="Told customer their balance ({points} P)", mood=1),
    S("en_tier", "membership_tier", B, "none", (
        "C|What do I need to reach the next membership level?",
        ("A|Hi {first}, you're {tier_en} now. Tiers are recalculated on the 1st of each month "
         "from confirmed purchases in the last 6 months; {next_tier_en} gives you more points "
         "and priority installation slots."),
        "C|Good to know, thanks.",
    ), labels=("membership",), priority="low", summary="Explained tier rules"),
    S("en_product_voltage", "product_question", D, "none", (
        "C|Does the Hanbit Heat-Pump Dryer have an English menu? My Korean is limited.",
        ("A|Hi {first}! Yes, the display and the Hanbit app both support English. The manual "
         "is also available in English on the product page."),
        "C|Great, that settles it. Ordering today.",
    ), labels=("product-question",), priority="low", mood=1, summary="English menu question"),
    S("en_thanks", "thanks", I, "install_done", (
        "C|Just wanted to say the installers were great. Quick, tidy and very polite.",
        "A|Thank you so much, {first}! I'll pass your kind words on to the crew.",
    ), labels=("praise",), priority="low", mood=1, offset_days=(0, 3),
        summary="Praise for installers"),
    S("en_coupon", "coupon", B, "none", (
        "C|The welcome coupon isn't applying to my cart.",
        ("A|Hi {first}, the welcome coupon needs a cart total of ₩300,000 or more and doesn't "
         "apply to items already on special. Your current cart includes a special-price item."),
        "C|Ah, that explains it. Thanks!",
    ), labels=("coupon",), priority="low", summary="Coupon conditions"),
    S("en_followup_generic", "follow_up", D, "any", (
        ("C|Hi, I messaged you on {prev_date_en} about my {product_en}. It's all sorted now, "
         "thanks. I'm thinking of ordering another one for my office."),
        ("A|Hi {first}, great to hear it's sorted, and sorry again about the trouble back then. "
         "For a second unit you can use your {points} points at checkout."),
        "C|Nice, I'll do that.",
    ), labels=("follow-up",), follow_only=True, priority="low", mood=1,
        summary="Returning customer, repeat purchase"),
]
