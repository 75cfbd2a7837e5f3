"""Static demo content: teams, skills, agents and the product catalogue of 한빛리빙."""

from __future__ import annotations

from .models import DemoAgent, DemoProduct, DemoSkill, DemoTeam

WORKSPACE_NAME = "한빛리빙"
WORKSPACE_SLUG = "hanbit"

TEAM_DELIVERY = "배송·주문"
TEAM_INSTALL = "설치·A/S"
TEAM_BILLING = "결제·회원"

TEAMS: list[DemoTeam] = [
    DemoTeam(TEAM_DELIVERY, "주문 확인, 배송 조회·지연, 주소 변경, 취소·반품·교환 접수"),
    DemoTeam(TEAM_INSTALL, "대형 가전·가구 설치 일정, 설치 불량, 고장 A/S 접수와 기사 배정"),
    DemoTeam(TEAM_BILLING, "결제 오류, 환불, 영수증·세금계산서, 멤버십 등급·포인트·쿠폰"),
]

SKILLS: list[DemoSkill] = [
    DemoSkill("delivery", "배송 조회, 배송 지연, 배송지 변경"),
    DemoSkill("orders", "주문 확인, 주문 취소, 옵션 변경"),
    DemoSkill("returns", "반품·교환 접수와 회수 일정"),
    DemoSkill("installation", "설치 일정 예약·변경, 설치 기사 배정"),
    DemoSkill("repair", "고장 진단, A/S 접수, 부품·보증 안내"),
    DemoSkill("payments", "결제 오류, 환불 처리, 영수증·세금계산서"),
    DemoSkill("membership", "회원 등급, 포인트, 쿠폰, 계정"),
    DemoSkill("english", "English-speaking customers"),
]

_CAP = {"voice": 1, "chat": 3, "email": 5}
_CAP_SENIOR = {"voice": 1, "chat": 4, "email": 8}
_CAP_LEAD = {"voice": 1, "chat": 2, "email": 4}


def _agent(name, email, role, team, skills, languages=("ko",), capacity=None) -> DemoAgent:
    """Build one agent with sensible defaults."""
    return DemoAgent(
        name=name,
        email=f"{email}@hanbit.example",
        role=role,
        team=team,
        skills=dict(skills),
        languages=list(languages),
        locale="ko",
        capacity=dict(capacity or _CAP),
    )


AGENTS: list[DemoAgent] = [
    _agent("한지수", "admin", "admin", None, {}, ("ko", "en"), _CAP_LEAD),
    _agent(
        "박서준", "supervisor", "supervisor", None,
        {"delivery": 4, "orders": 4, "installation": 3, "payments": 3, "membership": 3},
        ("ko",), _CAP_LEAD,
    ),
    _agent(
        "김민지", "agent", "agent", TEAM_DELIVERY,
        {"delivery": 5, "orders": 4, "returns": 3, "english": 4}, ("ko", "en"), _CAP_SENIOR,
    ),
    _agent("이도현", "dohyun.lee", "agent", TEAM_DELIVERY, {"delivery": 4, "orders": 3, "returns": 2}),
    _agent("정하은", "haeun.jung", "agent", TEAM_DELIVERY, {"orders": 4, "returns": 4, "delivery": 3}),
    _agent("오세훈", "sehoon.oh", "agent", TEAM_DELIVERY, {"delivery": 2, "orders": 2}),
    _agent(
        "강태민", "taemin.kang", "agent", TEAM_INSTALL, {"installation": 5, "repair": 4},
        capacity=_CAP_SENIOR,
    ),
    _agent(
        "윤서아", "seoa.yoon", "agent", TEAM_INSTALL,
        {"installation": 4, "repair": 3, "english": 3}, ("ko", "en"),
    ),
    _agent("장우진", "woojin.jang", "agent", TEAM_INSTALL, {"repair": 4, "installation": 3}),
    _agent(
        "송유나", "yuna.song", "agent", TEAM_BILLING,
        {"payments": 4, "membership": 4, "english": 5}, ("ko", "en"), _CAP_SENIOR,
    ),
    _agent("임재원", "jaewon.lim", "agent", TEAM_BILLING, {"payments": 5, "membership": 3}),
    _agent("한소율", "soyul.han", "agent", TEAM_BILLING, {"membership": 4, "payments": 2}),
]


def _p(sku, name, name_en, category, price, install, **attributes) -> DemoProduct:
    """Build one product; attributes always carry brand and warranty."""
    attributes.setdefault("brand", "한빛")
    attributes.setdefault("warranty_months", 12)
    return DemoProduct(sku, name, name_en, category, price, install, attributes)


def _variants(sku: str, option: str, choices: list[tuple[str, int, bool]]) -> dict:
    """List a product's variants (tau-bench shape): item id -> options, price, availability."""
    return {f"{sku}-{n}": {"options": {option: value}, "price": price, "available": available}
            for n, (value, price, available) in enumerate(choices, start=1)}


PRODUCTS: list[DemoProduct] = [
    # 냉장고
    _p("HB-REF-875", "한빛 프레스코 4도어 냉장고 875L", "Hanbit Fresco 4-Door Refrigerator 875L",
       "냉장고", 2_390_000, True, capacity_l=875, energy_grade=1, color="새틴 베이지",
       warranty_months=24),
    _p("HB-REF-635", "한빛 양문형 냉장고 635L", "Hanbit Side-by-Side Refrigerator 635L",
       "냉장고", 1_490_000, True, capacity_l=635, energy_grade=2, color="메탈 실버"),
    _p("HB-KIM-490", "한빛 김치냉장고 스탠드형 490L", "Hanbit Kimchi Refrigerator 490L",
       "냉장고", 1_690_000, True, capacity_l=490, energy_grade=1, color="글램 화이트"),
    _p("HB-REF-120", "한빛 미니 냉장고 120L", "Hanbit Compact Fridge 120L",
       "냉장고", 329_000, False, capacity_l=120, energy_grade=3, color="화이트",
       variants=_variants("HB-REF-120", "color", [
           ("화이트", 329_000, True), ("블랙", 339_000, True), ("민트", 329_000, False)])),
    # 세탁기·건조기
    _p("HB-WSH-24D", "한빛 드럼세탁기 24kg", "Hanbit Front-Load Washer 24kg",
       "세탁기", 1_290_000, True, capacity_kg=24, energy_grade=1, color="네이처 베이지"),
    _p("HB-WSH-18T", "한빛 통돌이 세탁기 18kg", "Hanbit Top-Load Washer 18kg",
       "세탁기", 659_000, True, capacity_kg=18, energy_grade=1, color="미드 블랙"),
    _p("HB-WSH-04M", "한빛 미니워시 4kg", "Hanbit Mini Wash 4kg",
       "세탁기", 449_000, True, capacity_kg=4, color="화이트"),
    _p("HB-DRY-20H", "한빛 히트펌프 건조기 20kg", "Hanbit Heat-Pump Dryer 20kg",
       "건조기", 1_390_000, True, capacity_kg=20, energy_grade=1, color="네이처 베이지"),
    _p("HB-TWR-25", "한빛 워시타워 세탁건조기 25/22kg", "Hanbit WashTower 25/22kg",
       "건조기", 2_690_000, True, capacity_kg=25, energy_grade=1, color="릴리 화이트",
       warranty_months=24),
    # 에어컨
    _p("HB-AC-2IN1", "한빛 휘센바람 2in1 에어컨 19+6평", "Hanbit 2-in-1 Air Conditioner 19+6 pyeong",
       "에어컨", 2_890_000, True, area_pyeong=19, energy_grade=1, color="화이트",
       warranty_months=24),
    _p("HB-AC-W06", "한빛 벽걸이 에어컨 6평", "Hanbit Wall-Mounted Air Conditioner 6 pyeong",
       "에어컨", 789_000, True, area_pyeong=6, energy_grade=1),
    _p("HB-AC-WIN", "한빛 창문형 에어컨", "Hanbit Window Air Conditioner",
       "에어컨", 599_000, False, area_pyeong=5, energy_grade=1, self_install=True),
    # TV
    _p("HB-TV-65Q", "한빛 65인치 4K QLED TV", "Hanbit 65\" 4K QLED TV",
       "TV", 1_790_000, True, screen_inch=65, resolution="4K", mount="벽걸이/스탠드"),
    _p("HB-TV-75U", "한빛 75인치 4K UHD TV", "Hanbit 75\" 4K UHD TV",
       "TV", 2_490_000, True, screen_inch=75, resolution="4K", mount="벽걸이/스탠드"),
    _p("HB-TV-43S", "한빛 43인치 스마트 TV", "Hanbit 43\" Smart TV",
       "TV", 549_000, False, screen_inch=43, resolution="FHD"),
    # 주방가전
    _p("HB-DW-12B", "한빛 12인용 빌트인 식기세척기", "Hanbit 12-Place Built-in Dishwasher",
       "식기세척기", 1_190_000, True, place_settings=12, energy_grade=1),
    _p("HB-DW-06C", "한빛 6인용 카운터탑 식기세척기", "Hanbit 6-Place Countertop Dishwasher",
       "식기세척기", 499_000, False, place_settings=6),
    _p("HB-IND-3B", "한빛 3구 빌트인 인덕션", "Hanbit 3-Zone Built-in Induction Hob",
       "주방가전", 890_000, True, zones=3, power_kw=7.4),
    _p("HB-WPR-01", "한빛 냉온정수기 슬림", "Hanbit Slim Hot & Cold Water Purifier",
       "주방가전", 690_000, True, filter_months=6),
    _p("HB-MWO-23", "한빛 전자레인지 23L", "Hanbit Microwave 23L",
       "주방가전", 159_000, False, capacity_l=23),
    # 청소·공기
    _p("HB-RBT-X9", "한빛 올인원 로봇청소기 X9", "Hanbit All-in-One Robot Vacuum X9",
       "로봇청소기", 1_290_000, False, mop=True, auto_empty=True, color="블랙"),
    _p("HB-RBT-S3", "한빛 로봇청소기 S3", "Hanbit Robot Vacuum S3",
       "로봇청소기", 459_000, False, mop=False, auto_empty=False),
    _p("HB-VAC-C7", "한빛 코드제로 무선청소기 C7", "Hanbit Cordless Stick Vacuum C7",
       "청소기", 699_000, False, battery_min=60),
    _p("HB-AIR-33", "한빛 공기청정기 33평", "Hanbit Air Purifier (109 m²)",
       "공기청정기", 729_000, False, area_pyeong=33, filter="H13"),
    _p("HB-AIR-18", "한빛 공기청정기 18평", "Hanbit Air Purifier (59 m²)",
       "공기청정기", 329_000, False, area_pyeong=18, filter="H13"),
    _p("HB-DEH-16", "한빛 제습기 16L", "Hanbit Dehumidifier 16L",
       "공기청정기", 389_000, False, capacity_l=16, energy_grade=1),
    # 소파
    _p("HB-SOF-4L", "한빛홈 모데나 4인 천연가죽 소파", "Hanbit Home Modena 4-Seat Leather Sofa",
       "소파", 2_190_000, True, brand="한빛홈", material="천연가죽", color="카멜"),
    _p("HB-SOF-3F", "한빛홈 코지 3인 패브릭 소파", "Hanbit Home Cozy 3-Seat Fabric Sofa",
       "소파", 1_190_000, True, brand="한빛홈", material="아쿠아클린 패브릭", color="웜그레이",
       variants=_variants("HB-SOF-3F", "color", [
           ("웜그레이", 1_190_000, True), ("아이보리", 1_190_000, True),
           ("차콜", 1_190_000, True), ("네이비", 1_240_000, False)])),
    _p("HB-SOF-1R", "한빛홈 1인 전동 리클라이너", "Hanbit Home Power Recliner",
       "소파", 690_000, False, brand="한빛홈", material="기능성 패브릭"),
    # 침대·매트리스
    _p("HB-BED-QW", "한빛홈 오크 원목 침대 프레임 퀸", "Hanbit Home Oak Bed Frame Queen",
       "침대 프레임", 790_000, True, brand="한빛홈", size="Q", material="오크 원목",
       variants=_variants("HB-BED-QW", "size", [
           ("SS", 690_000, True), ("Q", 790_000, True), ("K", 890_000, True)])),
    _p("HB-BED-KL", "한빛홈 저상형 호텔 침대 프레임 킹", "Hanbit Home Low Hotel Bed Frame King",
       "침대 프레임", 990_000, True, brand="한빛홈", size="K"),
    _p("HB-BED-SS", "한빛홈 수납형 침대 프레임 슈퍼싱글", "Hanbit Home Storage Bed Frame SS",
       "침대 프레임", 459_000, True, brand="한빛홈", size="SS"),
    _p("HB-MAT-QP", "한빛홈 포켓스프링 매트리스 퀸", "Hanbit Home Pocket-Spring Mattress Queen",
       "매트리스", 890_000, True, brand="한빛홈", size="Q", firmness="미디엄"),
    _p("HB-MAT-SM", "한빛홈 메모리폼 롤매트리스 슈퍼싱글",
       "Hanbit Home Rolled Memory-Foam Mattress SS",
       "매트리스", 329_000, False, brand="한빛홈", size="SS", firmness="소프트"),
    # 식탁·책상·의자
    _p("HB-TBL-4W", "한빛홈 4인 원목 식탁", "Hanbit Home 4-Seat Wooden Dining Table",
       "식탁", 590_000, True, brand="한빛홈", width_mm=1400),
    _p("HB-TBL-6C", "한빛홈 6인 세라믹 식탁", "Hanbit Home 6-Seat Ceramic Dining Table",
       "식탁", 1_290_000, True, brand="한빛홈", width_mm=1800),
    _p("HB-DSK-MT", "한빛홈 모션데스크 1400", "Hanbit Home Standing Desk 1400",
       "책상", 549_000, True, brand="한빛홈", width_mm=1400, motor="듀얼"),
    _p("HB-DSK-12", "한빛홈 컴퓨터 책상 1200", "Hanbit Home Computer Desk 1200",
       "책상", 189_000, False, brand="한빛홈", width_mm=1200),
    _p("HB-CHR-ME", "한빛홈 인체공학 메쉬 의자", "Hanbit Home Ergonomic Mesh Chair",
       "의자", 389_000, False, brand="한빛홈", color="블랙"),
    _p("HB-CHR-D2", "한빛홈 식탁 의자 2개 세트", "Hanbit Home Dining Chairs (Set of 2)",
       "의자", 239_000, False, brand="한빛홈", color="내추럴"),
    # 수납
    _p("HB-STO-3D", "한빛홈 3단 서랍장", "Hanbit Home 3-Drawer Chest",
       "수납장", 259_000, False, brand="한빛홈", width_mm=800),
    _p("HB-STO-DR", "한빛홈 시스템 드레스룸 행거 2400", "Hanbit Home Walk-in Closet System 2400",
       "수납장", 689_000, True, brand="한빛홈", width_mm=2400),
    _p("HB-STO-TV", "한빛홈 거실장 2000", "Hanbit Home TV Stand 2000",
       "수납장", 489_000, True, brand="한빛홈", width_mm=2000),
    _p("HB-STO-SH", "한빛홈 슬림 신발장", "Hanbit Home Slim Shoe Cabinet",
       "수납장", 329_000, True, brand="한빛홈", width_mm=1000),
]

# How agents introduce themselves in English conversations.
AGENT_EN_NAMES: dict[str, str] = {
    "admin@hanbit.example": "Jisu", "supervisor@hanbit.example": "Seojun",
    "agent@hanbit.example": "Minji", "dohyun.lee@hanbit.example": "Dohyun",
    "haeun.jung@hanbit.example": "Haeun", "sehoon.oh@hanbit.example": "Sehoon",
    "taemin.kang@hanbit.example": "Taemin", "seoa.yoon@hanbit.example": "Seoa",
    "woojin.jang@hanbit.example": "Woojin", "yuna.song@hanbit.example": "Yuna",
    "jaewon.lim@hanbit.example": "Jaewon", "soyul.han@hanbit.example": "Soyul",
}
