"""Name, address and contact material for demo customers (all fictional)."""

from __future__ import annotations

import random

# (hangul, romanisation, weight) — weights loosely follow how common each surname is.
SURNAMES: list[tuple[str, str, int]] = [
    ("김", "kim", 40), ("이", "lee", 28), ("박", "park", 16), ("최", "choi", 9), ("정", "jung", 9),
    ("강", "kang", 5), ("조", "cho", 5), ("윤", "yoon", 5), ("장", "jang", 4), ("임", "lim", 4),
    ("한", "han", 3), ("오", "oh", 3), ("서", "seo", 3), ("신", "shin", 3), ("권", "kwon", 3),
    ("황", "hwang", 3), ("안", "ahn", 3), ("송", "song", 3), ("류", "ryu", 2), ("전", "jeon", 2),
    ("홍", "hong", 2), ("고", "ko", 2), ("문", "moon", 2), ("양", "yang", 2), ("손", "son", 2),
    ("배", "bae", 2), ("백", "baek", 2), ("허", "heo", 2), ("유", "yoo", 2), ("남", "nam", 2),
    ("심", "shim", 1), ("노", "noh", 1), ("하", "ha", 1), ("곽", "kwak", 1), ("성", "sung", 1),
    ("차", "cha", 1), ("주", "joo", 1), ("우", "woo", 1), ("구", "koo", 1), ("민", "min", 1),
    ("나", "na", 1), ("진", "jin", 1), ("지", "ji", 1), ("엄", "eom", 1), ("채", "chae", 1),
    ("원", "won", 1), ("천", "cheon", 1), ("방", "bang", 1), ("공", "kong", 1), ("현", "hyun", 1),
    ("변", "byun", 1), ("여", "yeo", 1), ("추", "choo", 1), ("도", "do", 1), ("석", "seok", 1),
    ("마", "ma", 1), ("길", "gil", 1), ("연", "yeon", 1), ("표", "pyo", 1), ("제", "je", 1),
    ("탁", "tak", 1), ("국", "kook", 1), ("은", "eun", 1), ("남궁", "namgung", 1),
    ("황보", "hwangbo", 1), ("선우", "sunwoo", 1),
]

GIVEN_NAMES: list[tuple[str, str]] = [
    ("민준", "minjun"), ("서연", "seoyeon"), ("지훈", "jihoon"), ("수빈", "subin"),
    ("현우", "hyunwoo"), ("지은", "jieun"), ("도윤", "doyun"), ("하린", "harin"),
    ("예준", "yejun"), ("지유", "jiyu"), ("시우", "siwoo"), ("서윤", "seoyun"),
    ("주원", "juwon"), ("하윤", "hayun"), ("건우", "gunwoo"), ("채원", "chaewon"),
    ("우진", "woojin"), ("지아", "jia"), ("선우", "sunwoo"), ("다은", "daeun"),
    ("유준", "yujun"), ("수아", "sua"), ("정우", "jungwoo"), ("예린", "yerin"),
    ("승현", "seunghyun"), ("민서", "minseo"), ("준영", "junyoung"), ("소연", "soyeon"),
    ("동현", "donghyun"), ("은지", "eunji"), ("성민", "sungmin"), ("혜진", "hyejin"),
    ("재현", "jaehyun"), ("미정", "mijung"), ("상훈", "sanghoon"), ("경희", "kyunghee"),
    ("영수", "youngsoo"), ("순자", "soonja"), ("영호", "youngho"), ("명숙", "myungsook"),
    ("정훈", "junghoon"), ("미경", "mikyung"), ("태호", "taeho"), ("수정", "soojung"),
    ("병철", "byungchul"), ("은영", "eunyoung"), ("진우", "jinwoo"), ("현정", "hyunjung"),
    ("종민", "jongmin"), ("보람", "boram"), ("한결", "hangyeol"), ("나래", "narae"),
    ("용준", "yongjun"), ("지현", "jihyun"), ("대호", "daeho"), ("가영", "gayoung"),
    ("석진", "seokjin"), ("유리", "yuri"), ("재민", "jaemin"), ("소희", "sohee"),
    ("광수", "kwangsoo"), ("영미", "youngmi"), ("형준", "hyungjun"), ("아름", "areum"),
    ("기현", "kihyun"), ("수진", "soojin"), ("창민", "changmin"), ("효정", "hyojung"),
    ("규리", "gyuri"), ("태윤", "taeyun"), ("세영", "seyoung"), ("민혁", "minhyuk"),
    ("윤아", "yoona"), ("경수", "kyungsoo"), ("다인", "dain"), ("범석", "bumseok"),
    ("슬기", "seulgi"), ("준호", "junho"), ("예지", "yeji"), ("상우", "sangwoo"),
    ("지영", "jiyoung"), ("철수", "chulsoo"), ("옥순", "oksoon"), ("민호", "minho"),
    ("해진", "haejin"), ("인영", "inyoung"), ("도훈", "dohoon"), ("서희", "seohee"),
    ("준서", "junseo"), ("나연", "nayeon"), ("형석", "hyungseok"), ("미란", "miran"),
    ("은비", "eunbi"), ("원석", "wonseok"), ("하늘", "haneul"), ("진영", "jinyoung"),
]

ENGLISH_FIRST: list[str] = [
    "James", "Emily", "Daniel", "Sarah", "Michael", "Olivia", "David", "Hannah", "Ryan",
    "Grace", "Thomas", "Chloe", "Ethan", "Sophie", "Lucas", "Megan", "Nathan", "Priya",
    "Arjun", "Mei", "Kenji", "Aisha", "Mateo", "Laura", "Oliver", "Jessica", "Samuel",
    "Claire", "Ben", "Nora", "Kevin", "Julia", "Marcus", "Anna", "Liam", "Fatima",
]

ENGLISH_LAST: list[str] = [
    "Smith", "Johnson", "Brown", "Miller", "Wilson", "Taylor", "Anderson", "Martin",
    "Thompson", "Walker", "Harris", "Clark", "Lewis", "Young", "Wright", "Scott", "Green",
    "Baker", "Nguyen", "Patel", "Tanaka", "Garcia", "Rossi", "Murphy", "O'Brien", "Fischer",
    "Cohen", "Kowalski", "Silva", "Chen",
]

# (시·도, 구·군, 도로명 후보) — road names are common ones; building numbers are made up.
REGIONS: list[tuple[str, str, list[str]]] = [
    ("서울특별시", "마포구", ["월드컵북로", "독막로", "성미산로"]),
    ("서울특별시", "강남구", ["테헤란로", "도곡로", "언주로"]),
    ("서울특별시", "송파구", ["올림픽로", "백제고분로", "송파대로"]),
    ("서울특별시", "노원구", ["동일로", "한글비석로", "상계로"]),
    ("서울특별시", "관악구", ["관악로", "봉천로", "남부순환로"]),
    ("서울특별시", "성동구", ["왕십리로", "뚝섬로", "성수이로"]),
    ("경기도", "성남시 분당구", ["판교역로", "황새울로", "정자일로"]),
    ("경기도", "수원시 영통구", ["광교중앙로", "매영로", "영통로"]),
    ("경기도", "고양시 일산동구", ["중앙로", "일산로", "정발산로"]),
    ("경기도", "화성시", ["동탄대로", "동탄순환대로", "병점중앙로"]),
    ("경기도", "용인시 수지구", ["포은대로", "수지로", "풍덕천로"]),
    ("인천광역시", "연수구", ["컨벤시아대로", "송도과학로", "해돋이로"]),
    ("부산광역시", "해운대구", ["해운대로", "센텀중앙로", "좌동순환로"]),
    ("부산광역시", "수영구", ["광안해변로", "수영로", "망미로"]),
    ("대구광역시", "수성구", ["달구벌대로", "동대구로", "범어로"]),
    ("대전광역시", "유성구", ["대학로", "궁동로", "엑스포로"]),
    ("광주광역시", "서구", ["상무중앙로", "치평로", "무진대로"]),
    ("울산광역시", "남구", ["삼산로", "번영로", "문수로"]),
    ("세종특별자치시", "세종시", ["한누리대로", "보듬3로", "다솜로"]),
    ("제주특별자치도", "제주시", ["노형로", "연북로", "중앙로"]),
]

APARTMENT_WORDS = ["래미안", "자이", "힐스테이트", "푸르지오", "e편한세상", "아이파크", "더샵"]


def korean_name(rng: random.Random) -> tuple[str, str, str]:
    """Return (full hangul name, romanised surname, romanised given name)."""
    surname = rng.choices(SURNAMES, weights=[s[2] for s in SURNAMES])[0]
    given = rng.choice(GIVEN_NAMES)
    return surname[0] + given[0], surname[1], given[1]


def english_name(rng: random.Random) -> tuple[str, str, str]:
    """Return (full name, last, first) for an English-speaking customer."""
    first, last = rng.choice(ENGLISH_FIRST), rng.choice(ENGLISH_LAST)
    return f"{first} {last}", last.lower().replace("'", ""), first.lower()


def korean_mobile(rng: random.Random, used: set[str]) -> str:
    """A unique E.164 Korean mobile number (+8210XXXXXXXX)."""
    while True:
        number = f"+8210{rng.randint(2000, 9999)}{rng.randint(0, 9999):04d}"
        if number not in used:
            used.add(number)
            return number


def foreign_mobile(rng: random.Random, used: set[str]) -> str:
    """A unique E.164 number from a reserved/fictional range abroad."""
    while True:
        choice = rng.randint(0, 2)
        if choice == 0:  # North American 555-01xx fictional numbers
            number = f"+1{rng.choice(['212', '415', '646', '206'])}55501{rng.randint(0, 99):02d}"
        elif choice == 1:  # UK Ofcom drama range 07700 900xxx
            number = f"+447700900{rng.randint(0, 999):03d}"
        else:  # Australian 0491 570 xxx fictional mobile range
            number = f"+61491570{rng.randint(100, 999)}"
        if number not in used:
            used.add(number)
            return number


def address(rng: random.Random, recipient: str, phone: str | None) -> dict:
    """A plausible Korean delivery address."""
    city, district, roads = rng.choice(REGIONS)
    road = rng.choice(roads)
    number = rng.randint(3, 420)
    if rng.random() < 0.7:
        building = f"{rng.choice(APARTMENT_WORDS)} {rng.randint(101, 115)}동"
        line2 = f"{building} {rng.randint(1, 25)}{rng.randint(1, 4):02d}호"
        home_type = "apartment"
    else:
        line2 = f"{rng.randint(1, 5)}층"
        home_type = rng.choice(["villa", "house", "officetel"])
    return {
        "recipient": recipient,
        "phone": phone,
        "postal_code": f"{rng.randint(1000, 63999):05d}",
        "city": city,
        "district": district,
        "line1": f"{city} {district} {road} {number}",
        "line2": line2,
        "home_type": home_type,
        "elevator": home_type in ("apartment", "officetel") or rng.random() < 0.3,
    }
