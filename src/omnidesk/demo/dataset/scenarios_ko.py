"""Korean dialogue templates (written for this demo; slots are filled by the generator)."""

from __future__ import annotations

from .catalogue import TEAM_BILLING, TEAM_DELIVERY, TEAM_INSTALL
from .scenario import Scenario

S = Scenario
D, I, B = TEAM_DELIVERY, TEAM_INSTALL, TEAM_BILLING
WATER = ("세탁기", "건조기", "식기세척기", "냉장고", "에어컨")
FURNITURE = ("소파", "침대 프레임", "식탁", "책상", "수납장")
SMALL = ("의자", "수납장", "공기청정기", "청소기", "로봇청소기", "주방가전", "TV", "매트리스", "책상")
ONLY_VOICE = (("voice", 1),)
ONLY_EMAIL = (("email", 1),)

SCENARIOS_KO: list[Scenario] = [
    # ------------------------------------------------------------ 주문·배송
    S("ko_order_status", "order_status", D, "pending", (
        "C|배송언제와요? 주문번호 {order} 이에요",
        ("A|안녕하세요 {name} 고객님, 한빛리빙 {agent}입니다. {date}에 주문하신 {product} 현재 "
         "출고 준비 중이며, {eta} 도착 예정입니다."),
        "C|아 네 감사합니다~",
        "A|출고되면 알림톡으로 송장번호 보내드릴게요. 좋은 하루 보내세요!",
    ), labels=("배송조회",), subject="주문 {order} 배송 문의", summary="배송 예정일 {eta} 안내",
        weight=14),
    S("ko_order_status_ready", "order_status", D, "pending", (
        "C|주문한지 좀 됐는데 계속 상품준비중이라고만 떠요",
        "A|안녕하세요 고객님, {agent}입니다. 주문번호 알려주시면 바로 확인해 드릴게요.",
        "C|{order}요",
        ("A|확인 감사합니다. {product}는 제조사 물류센터에서 오늘 오후 출고 예정이라 {eta}에 "
         "받아보실 수 있을 것 같습니다."),
        "C|넵 알겠어요",
    ), labels=("배송조회",), subject="상품준비중 상태 문의", summary="출고 일정 확인, {eta} 도착 예정"),
    S("ko_delivery_delay", "delivery_delay", D, "pending", (
        "C|3일안에 온다더니 아직도 안왔어요. 이번주에 꼭 필요한건데요",
        ("A|{name} 고객님, 기다리시게 해서 죄송합니다. {date} 주문 건({order}) 바로 확인해 "
         "보겠습니다."),
        ("A|확인 결과 지역 물류센터 물량이 몰리면서 간선 하차가 하루 늦어졌습니다. 내일({eta}) "
         "중 배송 완료 예정입니다."),
        "C|내일은 확실한거죠?",
        ("A|네, 택배사에 우선 배송 요청을 넣어두었고 지연 보상으로 3,000원 쿠폰을 발급해 "
         "드렸습니다. 다시 한번 죄송합니다."),
    ), labels=("배송지연",), priority="high", mood=-1, follow_up="ko_followup_delay",
        note="{city} 권역 간선 지연 3건째입니다. 물류팀 공유 부탁드려요.",
        subject="배송 지연 문의 ({order})", summary="간선 지연 안내, 지연 쿠폰 3,000원 발급"),
    S("ko_tracking_fail", "delivery_tracking", D, "any", (
        "C|송장번호 조회가 안되는데요? 택배사 사이트에 없다고 나와요",
        ("A|안녕하세요 고객님. 송장 등록 후 택배사 시스템 반영까지 반나절 정도 걸리기도 합니다. "
         "주문번호 {order} 기준 송장번호는 {tracking}입니다."),
        "C|아 그럼 좀 이따 다시 볼게요",
        "A|네, 저녁 이후에도 조회가 안 되시면 다시 말씀 주세요. 감사합니다.",
    ), labels=("배송조회",), categories=SMALL, summary="송장번호 {tracking} 안내",
        offset_days=(1, 3)),
    S("ko_delivered_missing", "delivery_missing", D, "delivered", (
        "C|배송완료라고 떴는데 문앞에 아무것도 없어요;;",
        ("A|많이 당황하셨죠. 확인해 보겠습니다. 배송기사님 사진 기록상 {city} 주소지 경비실에 "
         "보관된 것으로 나옵니다. 한번 확인 부탁드려도 될까요?"),
        "C|경비실 가보니까 있네요ㅋㅋ 죄송해요",
        "A|찾으셨다니 다행입니다! 다음부터는 문 앞 배송으로 요청 메모 남겨두겠습니다.",
    ), labels=("배송완료미수령",), categories=SMALL, offset_days=(2, 5), mood=1,
        summary="경비실 보관 확인, 문 앞 배송 메모 등록"),
    S("ko_address_change", "address_change", D, "pending", (
        "C|배송지 변경 가능한가요? 이사날짜가 바뀌어서요",
        ("A|안녕하세요 {name} 고객님, {agent}입니다. {order} 주문은 아직 출고 전이라 변경 "
         "가능합니다. 새 주소 알려주시겠어요?"),
        "C|경기도 성남시 분당구 정자일로 95 한빛아파트 103동 1502호로 해주세요",
        "A|변경 완료했습니다. 수령인 연락처는 {phone} 그대로 두겠습니다.",
        "C|감사합니다!!",
    ), labels=("주소변경",), subject="배송지 변경 요청", summary="출고 전 배송지 변경 처리"),
    S("ko_gift_wrap", "order_request", D, "pending", (
        "C|부모님 선물인데 가격표나 영수증 빼고 보내주실수 있나요?",
        "A|네 가능합니다. {order} 주문에 '선물 포장·가격 정보 미동봉' 메모 등록해 드렸어요.",
        "C|오 다행이다 감사합니다",
    ), labels=("요청사항",), priority="low", mood=1, summary="선물 배송 요청 메모 등록"),
    S("ko_cancel_order", "cancel_order", D, "cancelled", (
        "C|주문 취소해주세요 실수로 두번 결제했어요",
        "A|안녕하세요 고객님, {agent}입니다. 중복 주문된 {order} 건 취소 접수해 드릴게요.",
        ("A|취소 완료되었습니다. {payment} 결제 금액 {amount}은 영업일 기준 3~5일 내에 "
         "환불됩니다."),
        "C|빠른 처리 감사해요",
    ), labels=("주문취소",), subject="중복 주문 취소 요청", summary="중복 주문 {order} 취소, 환불 안내"),
    S("ko_cancel_changed_mind", "cancel_order", D, "cancelled", (
        "C|{product} 주문한거 취소할게요.. 다른데서 더 싸게 팔아서요",
        ("A|네 고객님, 아직 출고 전이라 바로 취소 가능합니다. 혹시 가격 때문이시면 현재 "
         "사용 가능한 쿠폰이 있는지 먼저 확인해 드릴까요?"),
        "C|아뇨 그냥 취소해주세요",
        ("A|알겠습니다. {order} 취소 처리했고 환불은 {payment}로 진행됩니다. 이용에 불편 드려 "
         "죄송합니다."),
    ), labels=("주문취소",), mood=0, summary="단순 변심 취소 처리"),
    S("ko_cancel_shipped", "cancel_order", D, "pending", (
        "C|혹시 지금 취소하면 바로 되나요? 이미 출발했나요?",
        ("A|{order} 주문은 오늘 출고 예정이라 지금 취소 요청 넣으면 출고 전에 막을 수 있을 것 "
         "같습니다. 취소 진행할까요?"),
        "C|음.. 아니요 그냥 받을게요 남편이랑 얘기해보니 필요하대요ㅎㅎ",
        "A|네 그럼 그대로 배송해 드리겠습니다. {eta} 도착 예정입니다!",
    ), labels=("주문취소",), mood=1, summary="취소 문의 후 유지 결정"),
    S("ko_api_delay_notice", "delivery_delay", D, "pending", (
        "C|알림톡 받았는데 배송이 늦어진다는게 얼마나 늦어진다는거예요?",
        ("A|안녕하세요 고객님. 택배사 터미널 물량 증가로 하루 정도 지연되어 {eta} 도착 "
         "예정입니다. 불편 드려 죄송합니다."),
        "C|네 하루면 괜찮아요",
    ), labels=("배송지연", "자동알림"), channels=(("api", 1),), summary="지연 알림 회신, 1일 지연"),
    # ------------------------------------------------------------ 반품·교환
    S("ko_return_simple", "return", D, "delivered", (
        "C|반품하고 싶어요 생각보다 너무 커서요ㅠ",
        ("A|안녕하세요 {name} 고객님. {product} 단순 변심 반품은 수령 후 7일 이내 가능하며 "
         "왕복 배송비 6,000원이 차감됩니다."),
        "C|박스 버렸는데 괜찮나요?",
        ("A|상품 보호가 가능한 다른 박스에 포장해 주시면 됩니다. 회수 기사님이 2~3일 내 "
         "방문드릴 예정입니다."),
        "C|네 그렇게 할게요",
    ), labels=("반품",), categories=SMALL, offset_days=(2, 6), subject="반품 신청 ({order})",
        summary="단순 변심 반품 접수, 왕복 배송비 안내"),
    S("ko_exchange_color", "exchange", D, "delivered", (
        "C|{product} 색상 교환 되나요? 받아보니 집이랑 너무 안어울려서..",
        ("A|네 가능합니다. 다만 색상 교환은 단순 변심으로 왕복 배송비가 발생하고, 교환할 "
         "색상 재고를 먼저 확인해야 해요. 원하시는 색상이 있으실까요?"),
        "C|화이트로요",
        "A|화이트 재고 확인되어 교환 접수했습니다. 회수와 동시에 새 제품 보내드릴게요.",
    ), labels=("교환",), categories=("의자", "수납장", "로봇청소기", "공기청정기", "매트리스"),
        offset_days=(2, 6), summary="색상 교환 접수"),
    S("ko_exchange_defect", "exchange", D, "delivered", (
        "C|{product} 받았는데 전원이 아예 안켜져요. 교환해주세요",
        ("A|불편을 드려 정말 죄송합니다. 초기 불량으로 확인되면 배송비 없이 새 제품으로 "
         "교환해 드립니다. 혹시 제품 사진이나 영상 한 장 보내주실 수 있을까요?"),
        "C|[사진] 이렇게 불도 안들어와요",
        ("A|확인했습니다. 초기 불량 교환으로 접수했고 새 제품은 {eta}까지 받아보실 수 "
         "있도록 하겠습니다."),
    ), labels=("교환", "초기불량"), categories=("공기청정기", "청소기", "로봇청소기", "주방가전", "TV"),
        priority="high", offset_days=(1, 4), mood=-1, summary="초기 불량 무상 교환 접수",
        follow_up="ko_followup_thanks"),
    S("ko_refund_timeline", "refund_status", B, "cancelled", (
        "C|취소한지 꽤 됐는데 환불이 아직 안들어왔어요",
        ("A|안녕하세요 {name} 고객님, 결제·회원팀 {agent}입니다. {order} 건은 취소 당일 "
         "{payment} 승인 취소가 완료되었습니다."),
        ("A|카드사 반영까지 보통 영업일 3~5일이 걸리고, 청구 전이면 청구서에서 빠지는 방식으로 "
         "처리됩니다."),
        "C|아 그렇구나 며칠 더 기다려볼게요",
    ), labels=("환불",), subject="환불 언제 되나요", summary="승인 취소 완료, 카드사 반영 3~5영업일",
        offset_days=(3, 8), weight=12),
    S("ko_price_drop", "refund_request", B, "delivered", (
        "C|산지 일주일만에 {product} 가격이 엄청 내렸네요.. 차액 환불 안되나요?",
        ("A|고객님 속상하셨을 것 같아요. 죄송하지만 가격 변동에 따른 차액 환불은 정책상 "
         "어렵습니다."),
        ("A|대신 이번 한 번 차액 일부를 포인트로 보상해 드릴 수 있도록 요청드렸습니다. "
         "10,000P 적립 도와드릴게요."),
        "C|그래도 감사하네요",
    ), labels=("가격보상",), mood=-1, offset_days=(5, 12),
        note="가격보상 예외 처리. 팀장 승인 받았습니다(1만P).", summary="차액 환불 불가, 1만P 보상",
        follow_up="ko_followup_thanks"),
    # ------------------------------------------------------------ 설치
    S("ko_install_reschedule", "installation_booking", I, "install_scheduled", (
        "C|설치날짜 바꿀수있나요? {install_date}에 일이 생겨서요",
        ("A|안녕하세요 {name} 고객님, 설치·A/S팀 {agent}입니다. {product} 설치 일정 변경 "
         "도와드릴게요. 가능한 날짜는 {new_date}입니다."),
        "C|그날 오후면 좋겠어요",
        ("A|{new_date} 오후 1시~5시로 변경 완료했습니다. 설치 전날 기사님이 직접 연락드릴 "
         "예정입니다."),
    ), labels=("설치일정",), subject="설치 일정 변경 요청", summary="설치일 {new_date} 오후로 변경",
        weight=14),
    S("ko_install_time", "installation_booking", I, "install_scheduled", (
        "C|설치 기사님 몇시쯤 오세요?",
        ("A|안녕하세요 고객님. {install_date} {install_slot} 방문 예정이며, 정확한 도착 시간은 "
         "전날 저녁에 기사님이 문자로 알려드립니다."),
        "C|네 알겠습니다",
    ), labels=("설치일정",), priority="low", summary="방문 시간대 {install_slot} 안내"),
    S("ko_install_stairs", "installation_booking", I, "install_scheduled", (
        "C|저희집이 엘베없는 4층인데 {product} 설치 되나요?",
        ("A|네 설치 가능합니다. 다만 계단 운반이 어려운 경우 사다리차가 필요할 수 있고, "
         "사다리차 비용(약 12만 원)은 현장에서 별도 결제됩니다."),
        "C|헐 비싸네요.. 계단으로는 안돼요?",
        ("A|제품 크기상 계단 운반이 가능한지 기사님이 현장에서 먼저 확인해 보고, 가능하면 "
         "계단으로 진행하겠습니다. 메모 남겨둘게요."),
    ), labels=("설치일정", "사다리차"), note="사다리차 여부 현장 판단. 고객 비용 민감함.",
        summary="엘리베이터 없는 4층, 사다리차 가능성 안내"),
    S("ko_install_pickup", "installation_booking", I, "install_scheduled", (
        "C|설치하러 오실때 쓰던 세탁기 수거도 해주시나요?",
        ("A|네, 한빛리빙은 같은 종류의 폐가전을 무상으로 수거해 드립니다. {order} 주문에 "
         "폐가전 수거 요청 추가해 드릴게요."),
        "C|오 무료예요? 좋네요",
        "A|네 무료입니다. 설치 당일 기사님이 함께 수거해 가십니다.",
    ), labels=("설치일정", "폐가전수거"), categories=("세탁기", "건조기", "냉장고"), mood=1,
        summary="폐가전 무상 수거 요청 추가"),
    S("ko_install_sms_reminder", "installation_booking", I, "install_scheduled", (
        "C|문자받았어요 {install_date} {install_slot} 괜찮아요",
        "A|확인 감사합니다 {name} 고객님. 당일 기사님 출발 시 다시 안내드리겠습니다.",
    ), labels=("설치일정",), channels=(("sms", 3), ("kakao", 1)), priority="low",
        summary="설치 일정 확인 회신"),
    S("ko_install_noshow", "installation_no_show", I, "install_missed", (
        "C|설치기사님이 안오셨어요ㅠㅠ 오늘 {install_slot} 이라고 했는데 연락도 없어요",
        "A|{name} 고객님, 정말 죄송합니다. 바로 설치팀({crew})에 확인해 보겠습니다.",
        ("A|확인해 보니 앞 현장 작업이 길어지면서 배정이 누락되었습니다. 가장 빠른 {new_date} "
         "{install_slot}로 다시 잡아드려도 될까요?"),
        "C|하루 휴가까지 냈는데 너무하네요.. 일단 그날로 해주세요",
        ("A|불편 드려 다시 한번 사과드립니다. {new_date}로 확정했고, 사과의 의미로 5,000포인트 "
         "적립해 드렸습니다."),
    ), labels=("설치", "기사미방문"), priority="high", mood=-1, follow_up="ko_followup_install",
        note="{crew} 배차 누락 건. 팀장님께 재발 방지 요청 드렸습니다.",
        subject="설치 기사 미방문 ({order})", summary="설치 미방문 사과, {new_date}로 재예약, 포인트 보상",
        weight=14),
    S("ko_install_noshow_angry", "installation_no_show", I, "install_missed", (
        "C|오늘 하루종일 기다렸는데 기사님 연락도 안되고 이게 뭡니까? {product} 설치 오늘이잖아요",
        ("A|{name} 고객님, 오래 기다리시게 해서 진심으로 사과드립니다. 지금 바로 담당 "
         "설치팀장과 통화해 보겠습니다."),
        "C|빨리요. 냉장고도 없이 음식 다 상하게 생겼어요",
        ("A|확인 결과 차량 고장으로 오늘 방문이 어렵게 되었습니다. 내일 오전 첫 순서로 "
         "배정했고, 팀장이 직접 연락드릴 예정입니다."),
        "A|불편에 대한 보상으로 20,000포인트 적립해 드렸습니다. 정말 죄송합니다.",
    ), labels=("설치", "기사미방문", "에스컬레이션"), priority="urgent", mood=-2,
        follow_up="ko_followup_install", note="VOC 등록 필요. 내일 오전 첫 순서 배정 확인 완료.",
        summary="설치 기사 미방문 항의, 익일 첫 순서 배정, 2만P 보상"),
    S("ko_install_leak", "installation_defect", I, "install_done", (
        "C|설치하고 나서 바닥에 물이 새요ㅠㅠ {product}요",
        ("A|많이 놀라셨겠어요. 우선 전원을 끄고 급수 밸브를 잠가 주세요. 물이 어느 쪽에서 "
         "나오는지 사진 보내주실 수 있을까요?"),
        "C|[사진] 뒤쪽 호스쪽에서 계속 떨어져요",
        ("A|급수 호스 체결 불량으로 보입니다. 설치 불량은 무상으로 처리되며, 가장 빠른 내일 "
         "오전에 기사님 방문으로 접수했습니다. (접수번호 {ticket})"),
        "C|빨리 와주세요 아랫집에 샐까봐 걱정돼요",
        ("A|긴급 건으로 표시해 두었습니다. 혹시 아랫집 피해가 생기면 말씀 주세요, 보상 "
         "절차도 함께 안내드리겠습니다."),
    ), labels=("설치불량", "누수"), categories=WATER, priority="urgent", mood=-1,
        offset_days=(0, 3), follow_up="ko_followup_leak",
        note="{crew} 시공 건. 호스 체결 불량 의심, 재방문 시 사진 남겨달라고 요청함.",
        subject="설치 후 누수 ({order})", summary="설치 후 누수, 밸브 잠금 안내 후 긴급 방문 접수 {ticket}",
        weight=14),
    S("ko_ac_noise", "installation_defect", I, "install_done", (
        "C|에어컨 설치하고 나서 실외기 소리가 너무 커요 밤에 잠을 못자겠어요",
        ("A|불편을 드려 죄송합니다. 실외기 고정 상태나 방진 패드 문제일 수 있어 점검 "
         "방문으로 접수하겠습니다."),
        "C|주말에도 와주세요?",
        "A|네 토요일 오전 방문 가능합니다. 접수번호 {ticket}로 예약해 두었습니다.",
    ), labels=("설치불량", "소음"), categories=("에어컨",), offset_days=(1, 10),
        summary="실외기 소음 점검 방문 접수 {ticket}"),
    S("ko_tv_mount", "installation_defect", I, "install_done", (
        "C|벽걸이 TV가 살짝 기울어져 보여요 기분탓인가",
        ("A|확인 감사합니다. 브라켓 수평이 미세하게 틀어졌을 수 있어요. 무상으로 수평 조정 "
         "방문 접수해 드릴게요."),
        "C|네 부탁드려요",
    ), labels=("설치불량",), categories=("TV",), priority="low", summary="벽걸이 수평 조정 방문 접수"),
    S("ko_furniture_scratch", "installation_defect", I, "install_done", (
        "C|{product} 조립하고 가셨는데 모서리에 찍힌 자국이 있어요",
        ("A|불편을 드려 정말 죄송합니다. 찍힌 부분 사진 보내주시면 확인 후 부품 교체나 "
         "보수 중에 선택하실 수 있도록 안내드리겠습니다."),
        "C|[사진] 여기요 꽤 크게 찍혔어요",
        ("A|확인했습니다. 해당 부품(상판) 교체로 접수했고 입고되면 기사님이 방문해 교체해 "
         "드립니다. 약 7~10일 소요됩니다."),
    ), labels=("설치불량", "가구파손"), categories=FURNITURE, mood=-1, offset_days=(0, 4),
        summary="조립 중 찍힘, 부품 교체 접수", follow_up="ko_followup_parts"),
    S("ko_bed_squeak", "repair", I, "install_done", (
        "C|침대에서 삐걱삐걱 소리나요 산지 얼마 안됐는데",
        ("A|불편 드려 죄송합니다. 조립 볼트가 조금 풀리면 소리가 날 수 있어요. 동봉된 육각렌치로 "
         "측면 볼트를 한번 조여 보시겠어요?"),
        "C|해봤는데도 나요",
        "A|그럼 무상 재조립 방문으로 접수하겠습니다. 기사님이 하루 전에 연락드릴게요.",
    ), labels=("A/S",), categories=("침대 프레임",), offset_days=(7, 30), summary="침대 소음, 재조립 방문"),
    S("ko_install_rude", "complaint", I, "install_done", (
        ("C|어제 설치하러 온 기사님 너무 불친절하셨어요. 신발 신고 들어오시고 질문해도 대충 "
         "대답하시고.."),
        ("A|{name} 고객님, 불쾌한 경험을 드려 진심으로 사과드립니다. 말씀해 주신 내용은 "
         "설치 품질 담당 부서에 그대로 전달하겠습니다."),
        "C|제품은 괜찮은데 기분이 너무 나빴어요",
        ("A|소중한 의견 감사합니다. 해당 기사님 교육 조치하고, 사과의 의미로 5,000포인트를 "
         "적립해 드렸습니다."),
    ), labels=("불만", "설치기사"), priority="high", mood=-2, offset_days=(1, 2),
        note="{crew} 기사 응대 불만. 품질팀 VOC 전달 완료.", summary="설치 기사 응대 불만, VOC 전달",
        follow_up="ko_followup_thanks"),
    S("ko_install_praise", "thanks", I, "install_done", (
        "C|설치 기사님 너무 친절하셔서 칭찬하려고 연락드렸어요! 꼼꼼하게 수평까지 다 맞춰주셨어요",
        "A|따뜻한 말씀 정말 감사합니다 {name} 고객님! 기사님께 꼭 전달하겠습니다 😊",
        "C|{product}도 너무 맘에 들어요",
        "A|잘 쓰신다니 저희도 기쁩니다. 앞으로도 한빛리빙 많이 이용해 주세요!",
    ), labels=("칭찬",), priority="low", mood=1, offset_days=(0, 3), summary="설치 기사 칭찬"),
    # ------------------------------------------------------------ A/S
    S("ko_as_fridge", "repair", I, "install_done", (
        "C|냉동실이 잘 안얼어요 아이스크림이 다 녹았어요",
        ("A|불편을 드려 죄송합니다. 혹시 냉동실 문이 완전히 닫혀 있는지, 설정 온도가 몇 도인지 "
         "확인 부탁드려도 될까요?"),
        "C|-18도로 되어있고 문도 잘 닫혀있어요",
        ("A|그렇다면 점검이 필요해 보입니다. {product}은 무상 보증 기간이라 출장비 없이 "
         "방문 수리로 접수해 드렸습니다. 접수번호는 {ticket}입니다."),
    ), labels=("A/S", "고장"), categories=("냉장고",), priority="high", offset_days=(10, 60),
        subject="냉장고 A/S 요청", summary="냉동 불량, 무상 방문 수리 접수 {ticket}",
        follow_up="ko_followup_repair"),
    S("ko_as_washer", "repair", I, "install_done", (
        "C|세탁기에 UE 에러가 계속 떠요 탈수가 안돼요",
        ("A|UE는 빨래가 한쪽으로 쏠려 균형이 맞지 않을 때 나타나는 표시입니다. 빨래를 고르게 "
         "펴서 다시 탈수해 보시겠어요?"),
        "C|오 됐어요! 이불을 하나만 넣어서 그랬나봐요",
        "A|해결되어 다행입니다. 같은 증상이 반복되면 언제든 말씀 주세요.",
    ), labels=("A/S", "사용법"), categories=("세탁기", "건조기"), offset_days=(5, 60), mood=1,
        summary="UE 에러 사용법 안내로 해결"),
    S("ko_as_robot", "repair", I, "delivered", (
        "C|로봇청소기가 자꾸 충전대를 못찾아요",
        ("A|충전대 주변 1m 이내에 물건이 있으면 신호를 잘 못 찾을 수 있어요. 충전대 앞 공간을 "
         "비워두고, 앱에서 지도 재설정을 한번 해보시겠어요?"),
        "C|해봤는데 똑같아요ㅠ",
        ("A|그럼 센서 점검이 필요해 보입니다. 택배 회수 후 점검으로 접수해 드릴게요. "
         "접수번호 {ticket}입니다."),
    ), labels=("A/S",), categories=("로봇청소기",), offset_days=(7, 60), summary="충전 복귀 불량, 회수 점검",
        follow_up="ko_followup_repair"),
    S("ko_as_tv", "repair", I, "delivered", (
        "C|TV 화면에 세로줄이 생겼어요",
        "A|불편을 드려 죄송합니다. 전원 코드를 뽑고 1분 뒤 다시 켜도 동일한가요?",
        "C|네 계속 있어요",
        ("A|패널 점검이 필요해 보여 방문 A/S로 접수했습니다. 무상 보증 기간 내라 비용은 "
         "발생하지 않습니다. (접수번호 {ticket})"),
    ), labels=("A/S", "고장"), categories=("TV",), offset_days=(10, 90), priority="high",
        summary="화면 세로줄, 방문 A/S {ticket}", follow_up="ko_followup_repair"),
    S("ko_as_aircon", "repair", I, "install_done", (
        "C|에어컨에서 찬바람이 안나와요 송풍만 나오는 느낌",
        ("A|필터가 막히거나 실외기 주변이 막혀 있으면 냉방이 약해질 수 있어요. 실외기 앞에 "
         "물건이 있는지 확인 부탁드릴게요."),
        "C|실외기 쪽은 비어있어요",
        "A|냉매 점검이 필요할 수 있어 방문 점검 접수하겠습니다. 접수번호 {ticket}입니다.",
    ), labels=("A/S", "고장"), categories=("에어컨",), offset_days=(7, 60), priority="high",
        summary="냉방 불량 방문 점검 {ticket}", follow_up="ko_followup_repair"),
    S("ko_mattress_smell", "product_issue", D, "delivered", (
        "C|매트리스에서 냄새가 좀 나는데 원래 그런가요?",
        ("A|새 매트리스는 포장 과정 때문에 초기에 약한 냄새가 날 수 있어요. 창문을 열고 2~3일 "
         "정도 환기해 주시면 대부분 사라집니다."),
        "C|일주일 지나도 나면요?",
        "A|그때는 교환 또는 반품 접수 도와드리겠습니다. 편하게 말씀 주세요.",
    ), labels=("상품문의",), categories=("매트리스",), offset_days=(1, 4), summary="초기 냄새 환기 안내"),
    S("ko_warranty", "warranty", I, "delivered", (
        "C|{product} 무상보증 기간이 어떻게 돼요?",
        ("A|안녕하세요 고객님. {product}는 구매일({date}) 기준 1년 무상 보증이고, 핵심 부품은 "
         "추가 보증이 적용됩니다."),
        "C|영수증 따로 챙겨야 하나요?",
        "A|아니요, 주문 내역으로 확인되니 따로 보관하지 않으셔도 됩니다.",
    ), labels=("보증",), priority="low", offset_days=(10, 60), summary="무상 보증 기간 안내"),
    # ------------------------------------------------------------ 결제·영수증
    S("ko_payment_error", "payment_error", B, "none", (
        "C|결제하는데 자꾸 오류나요 카드 한도는 충분한데",
        "A|안녕하세요 고객님, {agent}입니다. 어떤 메시지가 나오는지 알려주실 수 있을까요?",
        "C|'결제 승인 실패 (카드사 응답 없음)' 이렇게 떠요",
        ("A|카드사 점검 시간이거나 해외결제 차단 설정 때문일 수 있어요. 잠시 후 다시 시도하시거나 "
         "카카오페이·토스페이로 결제하시면 동일한 할인이 적용됩니다."),
        "C|카카오페이로 하니까 되네요",
    ), labels=("결제오류",), priority="high", summary="카드 승인 실패, 간편결제로 우회 안내",
        weight=12),
    S("ko_double_charge", "payment_error", B, "any", (
        "C|결제가 두번 된거 같아요 문자가 두개 왔어요",
        ("A|놀라셨죠. 확인해 보니 {order} 주문 결제 중 첫 번째 승인은 오류로 자동 취소되었고, "
         "실제 결제는 {amount} 한 건만 유지되고 있습니다."),
        "C|아 다행이다 그럼 한건은 언제 취소돼요?",
        "A|승인 취소 문자가 곧 따로 도착하고, 카드사에 따라 1~3일 내 반영됩니다.",
    ), labels=("결제오류", "중복결제"), offset_days=(0, 1), summary="중복 승인 중 1건 자동 취소 확인"),
    S("ko_cash_receipt", "receipt", B, "any", (
        "C|현금영수증 발급 어떻게 해요?",
        ("A|{order} 건은 마이페이지 > 주문내역 > 영수증 메뉴에서 휴대폰 번호로 바로 발급 "
         "가능합니다. 원하시면 제가 {phone} 번호로 발급해 드릴게요."),
        "C|네 그 번호로 해주세요",
        "A|발급 완료했습니다. 국세청 반영은 이틀 정도 걸립니다.",
    ), labels=("영수증",), priority="low", offset_days=(0, 10), summary="현금영수증 발급"),
    S("ko_tax_invoice", "tax_invoice", B, "any", (
        ("C|안녕하세요. 사무실 비품으로 구매한 건이라 세금계산서 발행 요청드립니다. 사업자등록증 "
         "첨부합니다. 주문번호는 {order} 입니다."),
        ("A|안녕하세요, 한빛리빙 결제·회원팀 {agent}입니다. 보내주신 사업자 정보로 {amount} "
         "세금계산서를 발행했으며, 담당자 메일({email})로 전송되었습니다."),
        "C|확인했습니다. 감사합니다.",
    ), labels=("세금계산서",), channels=ONLY_EMAIL, offset_days=(1, 10),
        subject="[세금계산서 발행 요청] 주문 {order}", summary="세금계산서 발행"),
    S("ko_installment", "payment_question", B, "none", (
        "C|무이자할부 몇개월까지 돼요?",
        ("A|이번 달은 주요 카드사 최대 12개월 무이자 할부가 가능합니다. 카드사별 조건은 결제 "
         "화면에서 확인하실 수 있어요."),
        "C|오 12개월 좋네요",
    ), labels=("결제문의",), priority="low", mood=1, summary="무이자 할부 12개월 안내"),
    # ------------------------------------------------------------ 회원·포인트·쿠폰
    S("ko_points", "points", B, "none", (
        "C|포인트 얼마나 있는지 어디서 봐요?",
        ("A|안녕하세요 {name} 고객님, {agent}입니다. 현재 사용 가능한 포인트는 {points}P입니다. "
         "마이페이지 > 포인트 메뉴에서도 확인하실 수 있어요."),
        "C|아 거기 있었구나 감사해요",
    ), labels=("포인트",), summary="보유 포인트 {points}P 안내", mood=1, priority="low"),
    S("ko_points_missing", "points", B, "delivered", (
        "C|구매확정했는데 포인트 적립이 안됐어요",
        ("A|확인해 보겠습니다. {order} 주문 포인트는 구매확정 후 익일 새벽에 일괄 적립되어 "
         "아직 반영 전인 상태입니다."),
        "C|아 하루 지나야 되는구나",
        "A|네, 내일 오전 중 확인하실 수 있습니다. 현재 보유 포인트는 {points}P입니다.",
    ), labels=("포인트",), offset_days=(5, 20), summary="구매확정 후 익일 적립 안내"),
    S("ko_tier", "membership_tier", B, "none", (
        "C|저 이번달에 꽤 많이 샀는데 등급이 왜 아직 {tier}에요?",
        ("A|안녕하세요 {name} 고객님. 회원 등급은 매월 1일에 최근 6개월 구매확정 금액 기준으로 "
         "갱신됩니다. 이번 달 구매분은 다음 달 1일에 반영돼요."),
        "C|그럼 다음달엔 {next_tier} 되나요?",
        ("A|현재 기준으로는 {next_tier} 등급 조건에 가까워지셨어요. 구매확정만 해주시면 "
         "다음 갱신 때 반영됩니다."),
    ), labels=("회원등급",), summary="등급 갱신 기준 안내"),
    S("ko_vip_benefit", "membership_tier", B, "none", (
        "C|VIP 혜택이 뭐 있어요?",
        ("A|VIP 등급은 5% 적립, 무료 설치 일정 우선 배정, 전담 상담 라인, 분기별 15% 쿠폰이 "
         "제공됩니다. 현재 {name} 고객님은 {tier} 등급이세요."),
        "C|전담 상담 좋네요 ㅎㅎ",
    ), labels=("회원등급", "VIP"), priority="low", summary="VIP 혜택 안내"),
    S("ko_coupon_fail", "coupon", B, "none", (
        "C|쿠폰이 적용이 안돼요 신규가입 10% 쿠폰이요",
        ("A|해당 쿠폰은 30만 원 이상 구매 시 사용 가능하고, 일부 특가 상품에는 적용되지 "
         "않습니다. 장바구니 금액이 조건을 충족하는지 확인 부탁드려요."),
        "C|아 특가상품이었네.. 다른거 살때 쓸게요",
    ), labels=("쿠폰",), priority="low", summary="쿠폰 사용 조건 안내"),
    S("ko_birthday_coupon", "coupon", B, "none", (
        "C|생일쿠폰은 언제 나와요??",
        ("A|생일 쿠폰은 생일이 있는 달 1일에 자동 발급됩니다. 회원정보에 생일 월이 등록되어 "
         "있어야 해요. 지금 {name} 고객님 정보는 정상 등록되어 있습니다."),
        "C|넹 감사합니당",
    ), labels=("쿠폰",), priority="low", mood=1, summary="생일 쿠폰 발급 시기 안내"),
    S("ko_login", "account", B, "none", (
        "C|비밀번호 재설정 메일이 안와요",
        "A|스팸함도 한번 확인 부탁드립니다. 가입하신 메일이 {email} 맞으실까요?",
        "C|아 스팸함에 있네요",
        "A|다행입니다! 링크는 30분 동안 유효하니 바로 재설정해 주세요.",
    ), labels=("계정",), priority="low", summary="비밀번호 재설정 메일 안내"),
    S("ko_account_merge", "account", B, "none", (
        "C|카카오로 가입한 계정이랑 이메일 계정이 따로 있는데 합칠수 있나요?",
        ("A|네 가능합니다. 본인 확인을 위해 두 계정에 등록된 휴대폰 번호가 같은지 확인이 "
         "필요해요. 확인 후 포인트와 주문 내역을 하나로 통합해 드리겠습니다."),
        "C|번호는 둘다 같아요",
        ("A|확인 완료되어 계정 통합 처리했습니다. 이제 카카오 로그인으로 모든 내역을 보실 수 "
         "있어요."),
    ), labels=("계정",), summary="계정 통합 처리"),
    # ------------------------------------------------------------ 상품·재고
    S("ko_product_fridge", "product_question", D, "none", (
        "C|냉장고 고민중인데 양문형 635L랑 4도어 875L 중에 뭐가 나아요? 4인가족이에요",
        ("A|4인 가족이시면 수납 공간이나 식재료 분리 측면에서 4도어 875L를 많이 선택하세요. "
         "다만 설치 공간 가로 폭이 92cm 이상 필요합니다."),
        "C|폭은 충분해요 그럼 4도어로 할게요",
        "A|좋은 선택이세요! 지금 구매하시면 설치비 무료이고 폐냉장고 수거도 함께 해드립니다.",
    ), labels=("상품문의",), priority="low", channels=(("web", 3), ("kakao", 2)),
        summary="냉장고 모델 비교 상담"),
    S("ko_product_desk", "product_question", D, "none", (
        "C|모션데스크 최저 높이가 몇cm예요? 키가 작아서요",
        "A|한빛홈 모션데스크 1400은 최저 62cm부터 최고 127cm까지 조절됩니다.",
        "C|오 그정도면 괜찮겠네요",
    ), labels=("상품문의",), priority="low", summary="모션데스크 높이 범위 안내"),
    S("ko_product_dryer", "product_question", D, "none", (
        "C|건조기 20kg 원룸 다용도실에 들어갈까요? 가로 70cm정도 돼요",
        ("A|히트펌프 건조기 20kg 본체 가로는 68.6cm라 설치는 가능하지만, 문 열림과 배관 "
         "공간을 고려하면 좌우 여유가 조금 빠듯할 수 있어요."),
        "C|음 한번 다시 재볼게요",
    ), labels=("상품문의",), priority="low", summary="건조기 설치 공간 상담"),
    S("ko_stock", "stock", D, "none", (
        "C|75인치 TV 품절이던데 재입고 언제돼요?",
        ("A|한빛 75인치 4K UHD TV는 다음 주 중 재입고 예정입니다. 상품 페이지에서 재입고 "
         "알림 신청하시면 입고 즉시 알려드려요."),
        "C|알림 신청했어요 감사합니다",
    ), labels=("재고문의",), priority="low", summary="재입고 일정 안내"),
    S("ko_sofa_care", "product_question", D, "delivered", (
        "C|가죽소파 관리는 어떻게 해야돼요? 고양이가 있어서요",
        ("A|천연가죽은 마른 천으로 자주 닦아주시고, 3개월에 한 번 전용 클리너로 관리해 "
         "주시면 좋습니다. 스크래치는 가죽 보수제로 어느 정도 완화돼요."),
        "C|고양이 발톱은 어쩔 수 없겠죠ㅠㅠ",
        "A|네ㅠㅠ 대신 소파 커버를 사용하시면 많이 줄일 수 있어요.",
    ), labels=("상품문의",), categories=("소파",), priority="low", offset_days=(3, 30), mood=1,
        summary="가죽 소파 관리법 안내"),
    # ------------------------------------------------------------ 전화 전용·기타
    S("ko_voice_elderly", "order_status", D, "any", (
        "C|여보세요? 아 내가 딸이 주문해준 게 있는데 언제 오는지 몰라서요",
        "A|네 어머님, 한빛리빙입니다. 주문하신 분 성함이나 전화번호 알려주시겠어요?",
        "C|{name}이요 번호는 {phone}",
        ("A|확인됩니다. {product} 주문 건이고 {eta}에 도착 예정입니다. 도착 전에 기사님이 "
         "전화드릴 거예요."),
        "C|아이고 고마워요",
    ), labels=("배송조회", "전화"), channels=ONLY_VOICE, summary="가족 대리 배송 문의, {eta} 도착 안내"),
    S("ko_voice_install_change", "installation_booking", I, "install_scheduled", (
        "C|설치 날짜 좀 바꾸려고 전화드렸어요",
        ("A|네 고객님, 설치·A/S팀 {agent}입니다. 현재 {install_date} {install_slot}로 잡혀 "
         "있는데 언제로 바꿔드릴까요?"),
        "C|{new_date} 가능해요?",
        "A|네 {new_date} 같은 시간대로 변경해 드렸습니다. 문자로도 안내 보내드릴게요.",
    ), labels=("설치일정", "전화"), channels=ONLY_VOICE, summary="설치일 {install_date} → {new_date} 변경"),
    S("ko_complaint_wait", "complaint", D, "none", (
        "C|상담원 연결이 왜이렇게 안돼요? 30분째 기다렸어요",
        ("A|오래 기다리시게 해서 정말 죄송합니다. 오늘 문의가 몰려 연결이 지연되었습니다. "
         "지금 바로 도와드리겠습니다."),
        "C|주문한거 언제 오는지만 알려주세요",
        "A|확인을 위해 주문번호나 주문자 연락처를 알려주시면 바로 안내드리겠습니다.",
    ), labels=("불만", "대기시간"), priority="high", mood=-1, summary="대기 시간 불만, 사과 후 응대",
        channels=(("web", 3), ("kakao", 2), ("voice", 1))),
    # ------------------------------------------------------------ 재문의 (이전 대화 참조)
    S("ko_followup_install", "follow_up", I, "any", (
        "C|안녕하세요 지난번에 설치 기사님 안 오셔서 문의했던 사람인데요",
        ("A|네 {name} 고객님, {prev_date}에 {product} 설치 일정이 지연되어 불편을 드렸던 건 "
         "확인됩니다. 다시 한번 죄송합니다. 어떤 부분 도와드릴까요?"),
        "C|그때 설치는 잘 됐는데 이번에 하나 더 사려구요. 이번엔 제대로 오시는거죠?ㅎㅎ",
        ("A|네, 이번 주문은 설치팀에 우선 배정 요청 메모를 남겨두겠습니다. 설치 전날 기사님이 "
         "직접 연락드리도록 하겠습니다."),
    ), labels=("재문의",), follow_only=True, mood=1, summary="지난 설치 지연 이력 확인, 우선 배정 메모"),
    S("ko_followup_leak", "follow_up", I, "any", (
        "C|지난번에 누수때문에 수리 받았던 {product}요 또 바닥이 살짝 젖어있어요",
        ("A|{name} 고객님, {prev_date}에 누수로 방문 수리받으신 이력 확인했습니다. 같은 "
         "증상이 반복되어 정말 죄송합니다."),
        ("A|재발 건이라 이번에는 선임 기사님이 방문해 호스와 밸브를 모두 새 부품으로 교체해 "
         "드리겠습니다. 내일 오전 방문 가능하실까요?"),
        "C|네 내일 오전 괜찮아요. 이번엔 확실하게 해주세요",
    ), labels=("재문의", "누수", "재발"), follow_only=True, priority="high", mood=-1,
        note="누수 재발. 이전 접수 이력 참고해서 선임 기사 배정 요청했습니다.",
        summary="누수 재발, 선임 기사 방문 및 부품 교체"),
    S("ko_followup_delay", "follow_up", B, "any", (
        "C|지난번에 배송 늦어져서 쿠폰 준다고 하셨었는데 그거 어디서 봐요?",
        ("A|안녕하세요 {name} 고객님. {prev_date} 배송 지연 건으로 발급된 3,000원 쿠폰은 "
         "마이페이지 > 쿠폰함에 있고, 이달 말까지 사용 가능합니다."),
        "C|아 있네요 감사합니다~",
    ), labels=("재문의", "쿠폰"), follow_only=True, priority="low", mood=1,
        summary="지연 보상 쿠폰 위치 안내"),
    S("ko_followup_repair", "follow_up", I, "any", (
        "C|지난번에 A/S 받았던 {product}요. 수리하고 나서는 잘 되는데 궁금한게 있어서요",
        ("A|안녕하세요 {name} 고객님. {prev_date}에 접수하신 수리 이력 확인됩니다. 어떤 점이 "
         "궁금하실까요?"),
        "C|수리한 부품도 보증기간이 따로 있나요?",
        "A|네, 수리로 교체된 부품은 수리일로부터 6개월간 별도 무상 보증이 적용됩니다.",
    ), labels=("재문의", "A/S"), follow_only=True, priority="low", mood=1,
        summary="수리 부품 보증 6개월 안내"),
    S("ko_followup_parts", "follow_up", I, "any", (
        "C|지난번에 {product} 찍힌거 부품교체 해준다고 했는데 아직 연락이 없어요",
        ("A|{name} 고객님, 기다리시게 해서 죄송합니다. {prev_date}에 접수된 부품 교체 건 "
         "확인해 보니 부품이 어제 입고되었습니다."),
        "A|이번 주 금요일 오후에 기사님 방문 가능한데 괜찮으실까요?",
        "C|네 금요일 좋아요. 이번엔 꼭 와주세요",
    ), labels=("재문의", "부품교체"), follow_only=True, mood=-1,
        note="부품 입고 후 안내 누락. 고객에게 먼저 연락했어야 함.", summary="부품 입고 안내, 방문 일정 확정"),
    S("ko_followup_thanks", "follow_up", B, "none", (
        ("C|지난번 상담때 잘 해결해주셔서 이번에도 여기로 문의드려요ㅎㅎ 혹시 지금 쓸 수 있는 "
         "쿠폰 있나요?"),
        ("A|기억해 주셔서 감사합니다 {name} 고객님! {prev_date} 상담 이력 확인했어요. 현재 "
         "{tier} 등급 쿠폰 1장과 보유 포인트 {points}P 사용 가능합니다."),
        "C|오 포인트도 있었네요 감사합니다",
    ), labels=("재문의", "쿠폰"), follow_only=True, priority="low", mood=1,
        summary="재방문 고객 쿠폰·포인트 안내"),
]
