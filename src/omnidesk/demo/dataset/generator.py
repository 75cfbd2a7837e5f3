"""Deterministic assembly of the 한빛리빙 demo dataset from the static content."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from omnidesk.domains.assist.tiers import tier_progress, tiers_from_settings

from . import people
from .catalogue import (
    AGENT_EN_NAMES,
    AGENTS,
    PRODUCTS,
    SKILLS,
    TEAMS,
    WORKSPACE_NAME,
    WORKSPACE_SLUG,
)
from .dialogue import DialogueMixin, default_subject
from .models import (
    DemoAgent,
    DemoConversation,
    DemoCustomer,
    DemoDataset,
    DemoIdentity,
    DemoOrder,
    DemoOrderItem,
    DemoProduct,
)
from .scenario import CHAT_EN, CHAT_KO, Scenario
from .scenarios_en import SCENARIOS_EN
from .scenarios_ko import SCENARIOS_KO

UTC = dt.UTC
KST = dt.timezone(dt.timedelta(hours=9), "KST")
WINDOW_DAYS = 180
CUSTOMER_COUNT = 236
EN_SHARE = 0.15
EMAIL_DOMAINS = (("example.com", 50), ("example.kr", 30), ("example.net", 12), ("example.org", 8))
PAYMENTS = (
    ("card", 45), ("kakaopay", 20), ("naverpay", 15), ("tosspay", 10), ("bank_transfer", 10),
)
PAYMENT_KO = {
    "card": "신용카드", "kakaopay": "카카오페이", "naverpay": "네이버페이", "tosspay": "토스페이",
    "bank_transfer": "무통장입금",
}
PAYMENT_EN = {
    "card": "credit card", "kakaopay": "KakaoPay", "naverpay": "Naver Pay", "tosspay": "Toss Pay",
    "bank_transfer": "bank transfer",
}
TIER_KO = {"basic": "일반", "silver": "실버", "gold": "골드", "vip": "VIP"}
TIER_EN = {"basic": "Basic", "silver": "Silver", "gold": "Gold", "vip": "VIP"}
NEXT_TIER = {"basic": "silver", "silver": "gold", "gold": "vip", "vip": "vip"}
# The demo store's tier ladder, as its membership-tiers article states it; the workspace's
# settings["tiers"] is this list, and a customer's tier is placed on it by assist.tiers (the one
# computation the agent's panel, the bot and routing read), never by a second copy here.
DEMO_TIERS = [
    {"key": "basic", "name_ko": "일반", "name_en": "Basic", "threshold": 0},
    {"key": "silver", "name_ko": "실버", "name_en": "Silver", "threshold": 300000},
    {"key": "gold", "name_ko": "골드", "name_en": "Gold", "threshold": 600000},
    {"key": "vip", "name_ko": "VIP", "name_en": "VIP", "threshold": 1000000},
]
LADDER = tiers_from_settings({"tiers": DEMO_TIERS})
POINT_RATE = {"basic": 0.01, "silver": 0.02, "gold": 0.03, "vip": 0.05}
SLOTS_KO = ("오전 9시~12시", "오후 1시~5시", "오후 3시~7시")
SLOTS_EN = ("9 am - 12 pm", "1 pm - 5 pm", "3 pm - 7 pm")
INSTALL_CREWS = ("수도권1팀", "수도권2팀", "수도권3팀", "영남팀", "충청·호남팀")
STYLES = (("plain", 45), ("casual", 40), ("polite", 15))


@dataclass
class _Draft:
    """Mutable customer state while the dataset is being assembled."""

    key: str
    name: str
    first: str
    locale: str
    email: str | None
    phone: str | None
    created_at: dt.datetime
    home: dict
    style: str
    identities: dict[str, tuple[str, bool]] = field(default_factory=dict)
    orders: list[DemoOrder] = field(default_factory=list)
    conversations: list[DemoConversation] = field(default_factory=list)
    scenario_keys: list[str] = field(default_factory=list)
    attributes: dict = field(default_factory=dict)


def _phone_of(draft: _Draft) -> str:
    """Return the draft's phone; phone channels are only picked for customers who have one."""
    if draft.phone is None:
        raise ValueError(f"customer draft {draft.key} has no phone for a phone channel")
    return draft.phone


def _pick(rng: random.Random, weighted) -> str:
    """Choose a key from (key, weight) pairs."""
    return rng.choices([k for k, _ in weighted], weights=[w for _, w in weighted])[0]


def _won(amount: int) -> str:
    """Format an amount in Korean won."""
    return f"{amount:,}원"


def _ko_date(value: dt.date | dt.datetime) -> str:
    """Format a date the Korean way, e.g. 11월 19일."""
    if isinstance(value, dt.datetime):
        value = value.astimezone(KST).date()
    return f"{value.month}월 {value.day}일"


def _en_date(value: dt.date | dt.datetime) -> str:
    """Format a date in English, e.g. Nov 19."""
    if isinstance(value, dt.datetime):
        value = value.astimezone(KST).date()
    return f"{value:%b} {value.day}"


def _kst_time(day: dt.date, rng: random.Random, start: int = 8, end: int = 23) -> dt.datetime:
    """A random moment on a KST calendar day, returned in UTC."""
    moment = dt.datetime(day.year, day.month, day.day, tzinfo=KST)
    moment += dt.timedelta(hours=rng.randint(start, end - 1), minutes=rng.randint(0, 59))
    return moment.astimezone(UTC)


class _Builder(DialogueMixin):
    """Holds the random source and the growing dataset."""

    def __init__(self, rng: random.Random, now: dt.datetime) -> None:
        self.rng = rng
        self.now = now
        self.today = now.astimezone(KST).date()
        self.start = now - dt.timedelta(days=WINDOW_DAYS)
        self.products = {p.sku: p for p in PRODUCTS}
        self.phones: set[str] = set()
        self.emails: set[str] = set()
        self.uses: dict[str, int] = {}
        self.scenarios = {s.key: s for s in (*SCENARIOS_KO, *SCENARIOS_EN)}

    # ----------------------------------------------------------------- customers
    def customers(self) -> list[_Draft]:
        """Create the customer drafts."""
        return [self._customer(i) for i in range(1, CUSTOMER_COUNT + 1)]

    def _customer(self, index: int) -> _Draft:
        """Create one customer draft with baseline identities."""
        rng = self.rng
        english = rng.random() < EN_SHARE
        if english:
            name, last, first_rom = people.english_name(rng)
            first = name.split()[0]
        else:
            name, last, first_rom = people.korean_name(rng)
            first = name
        phone = None
        if rng.random() < 0.94:
            foreign = english and rng.random() < 0.35
            phone = (people.foreign_mobile if foreign else people.korean_mobile)(rng, self.phones)
        email = self._email(first_rom, last) if rng.random() < 0.9 else None
        days_ago = rng.triangular(2, WINDOW_DAYS - 1, WINDOW_DAYS - 20)
        created = self.now - dt.timedelta(days=days_ago, minutes=rng.randint(0, 1440))
        draft = _Draft(
            key=f"c{index:04d}", name=name, first=first, locale="en" if english else "ko",
            email=email, phone=phone, created_at=created.replace(microsecond=0),
            home=people.address(rng, name, phone), style=_pick(rng, STYLES),
        )
        draft.identities["user_id"] = (f"HBM{100000 + index * 37:07d}", True)
        if email:
            draft.identities["email"] = (email, rng.random() < 0.85)
        if phone:
            draft.identities["phone"] = (phone, rng.random() < 0.9)
        if rng.random() < 0.55:
            draft.identities["web_visitor"] = (f"wv_{rng.getrandbits(64):016x}", False)
        if not english and rng.random() < 0.45:
            draft.identities["kakao"] = (str(rng.randint(10**9, 4 * 10**9)), True)
        return draft

    def _email(self, first: str, last: str) -> str:
        """A unique address on a reserved example domain."""
        rng = self.rng
        while True:
            pattern = rng.randint(0, 3)
            local = (f"{first}.{last}", f"{first}{rng.randint(1, 99)}", f"{last}{first[:3]}",
                     f"{first[0]}{last}{rng.randint(70, 99)}")[pattern]
            address = f"{local}@{_pick(rng, EMAIL_DOMAINS)}"
            if address not in self.emails:
                self.emails.add(address)
                return address

    # -------------------------------------------------------------------- orders
    def orders(self, drafts: list[_Draft]) -> list[DemoOrder]:
        """Create, date-sort and number every order."""
        rng = self.rng
        raw: list[tuple[dt.datetime, _Draft, dict]] = []
        for draft in drafts:
            count = _pick(rng, ((0, 8), (1, 50), (2, 27), (3, 11), (4, 4)))
            for _ in range(int(count)):
                raw.append(self._raw_order(draft))
        raw.sort(key=lambda r: (r[0], r[1].key))
        per_day: dict[dt.date, int] = {}
        result = []
        for placed, draft, spec in raw:
            day = placed.astimezone(KST).date()
            per_day[day] = per_day.get(day, rng.randint(80, 400)) + rng.randint(1, 9)
            number = f"HB{day:%Y%m%d}{per_day[day]:05d}"
            order = DemoOrder(number=number, customer_key=draft.key, placed_at=placed, **spec)
            draft.orders.append(order)
            result.append(order)
        return result

    def _raw_order(self, draft: _Draft) -> tuple[dt.datetime, _Draft, dict]:
        """One order's placement time, owner and fields (number assigned later)."""
        rng = self.rng
        earliest = max(draft.created_at, self.start)
        span = (self.now - earliest).total_seconds()
        if rng.random() < 0.22 and span > 6 * 86400:
            placed = self.now - dt.timedelta(hours=rng.uniform(2, 8 * 24))
        else:
            placed = earliest + dt.timedelta(seconds=rng.uniform(0, span * 0.97))
        placed = _kst_time(placed.astimezone(KST).date(), rng)
        placed = min(max(placed, earliest), self.now - dt.timedelta(minutes=30))
        items = self._items()
        status, installation = self._status(placed, items)
        home = draft.home if rng.random() < 0.85 else people.address(rng, draft.name, draft.phone)
        spec = {
            "status": status, "items": items, "address": dict(home),
            "payment_method": _pick(rng, PAYMENTS), "installation": installation,
        }
        return placed, draft, spec

    def _items(self) -> list[DemoOrderItem]:
        """One main product and sometimes an add-on."""
        rng = self.rng
        chosen = [rng.choice(PRODUCTS)]
        if rng.random() < 0.3:
            extra = rng.choice([p for p in PRODUCTS if p.price < 500_000])
            if extra.sku != chosen[0].sku:
                chosen.append(extra)
        return [self._item(p) for p in chosen]

    def _item(self, product: DemoProduct) -> DemoOrderItem:
        """An order line with options drawn from the product's attributes."""
        rng = self.rng
        options: dict = {}
        attrs = product.attributes
        if "color" in attrs:
            options["color"] = attrs["color"]
        if "size" in attrs:
            options["size"] = attrs["size"]
        if product.category == "TV" and product.needs_installation:
            options["mount"] = rng.choice(["wall", "stand"])
        if product.category == "에어컨" and product.needs_installation:
            options["extra_pipe_m"] = rng.choice([0, 0, 2, 3, 5])
        if product.needs_installation and product.category in ("냉장고", "세탁기", "건조기"):
            options["old_appliance_pickup"] = rng.random() < 0.35
        quantity = 2 if product.category == "의자" and rng.random() < 0.3 else 1
        return DemoOrderItem(product.sku, product.name, product.price, quantity, options,
                             product.needs_installation, _delivered_variant(product, options))

    def _status(self, placed: dt.datetime, items: list[DemoOrderItem]) -> tuple[str, dict | None]:
        """Order status and installation record consistent with the order's age."""
        rng = self.rng
        age = (self.now - placed).total_seconds() / 86400
        if age > 1 and rng.random() < 0.08:
            return "cancelled", None
        if not any(i.needs_installation for i in items):
            return ("pending" if age < 1 else "processed" if age < 3 else "delivered"), None
        day = placed.astimezone(KST).date() + dt.timedelta(days=rng.randint(3, 10))
        install = {
            "date": day.isoformat(), "time_slot": rng.choice(SLOTS_KO),
            "crew": rng.choice(INSTALL_CREWS),
        }
        if day > self.today:
            install["status"] = "scheduled"
            return ("pending" if age < 1 else "processed"), install
        if rng.random() < 0.17:
            again = day + dt.timedelta(days=rng.randint(2, 5))
            install.update(status="missed", rescheduled_date=again.isoformat())
            return ("delivered" if again <= self.today else "processed"), install
        install["status"] = "done"
        return "delivered", install

    # ------------------------------------------------------------ conversations
    def conversations(self, drafts: list[_Draft]) -> None:
        """Give each customer a history of conversations."""
        rng = self.rng
        for draft in drafts:
            count = int(_pick(rng, ((0, 3), (1, 44), (2, 30), (3, 14), (4, 9))))
            follow: tuple[Scenario, DemoOrder | None, DemoConversation] | None = None
            for _ in range(count):
                convo = None
                if follow is not None:
                    convo = self._follow_up(draft, *follow)
                    follow = None
                if convo is None:
                    convo = self._fresh(draft)
                if convo is None:
                    continue
                scenario = self.scenarios[draft.scenario_keys[-1]]
                if scenario.follow_up:
                    order = self._order(draft, convo.order_number)
                    follow = (self.scenarios[scenario.follow_up], order, convo)
            if follow is not None and rng.random() < 0.7:
                self._follow_up(draft, *follow)
        self._recent_follow_ups(drafts)

    def _recent_follow_ups(self, drafts: list[_Draft]) -> None:
        """Make sure each language has returning customers whose earlier contact is recent
        enough to greet them with (알아주기). The demo is generated relative to today, so on
        some days chance alone left one language without any."""
        for locale in ("ko", "en"):
            own = [d for d in drafts if d.locale == locale]
            recent = sum(1 for d in own for c in d.conversations[1:]
                         if "repeat-contact" in c.labels
                         and self.now - c.started_at <= dt.timedelta(days=60))
            for draft in own:
                if recent >= 2:
                    break
                last = draft.conversations[-1] if draft.conversations else None
                scenario = self.scenarios[draft.scenario_keys[-1]] if last else None
                if last is None or scenario is None or not scenario.follow_up or not (
                        dt.timedelta(days=20) <= self.now - last.started_at
                        <= dt.timedelta(days=45)):
                    continue
                order = self._order(draft, last.order_number)
                if self._follow_up(draft, self.scenarios[scenario.follow_up], order, last):
                    recent += 1

    def _order(self, draft: _Draft, number: str | None) -> DemoOrder | None:
        """The draft's order with that number."""
        return next((o for o in draft.orders if o.number == number), None)

    def _fresh(self, draft: _Draft) -> DemoConversation | None:
        """A conversation from a scenario this customer's orders can support."""
        rng = self.rng
        library = SCENARIOS_EN if draft.locale == "en" else SCENARIOS_KO
        used = set(draft.scenario_keys)
        options = []
        for scenario in library:
            if scenario.follow_only or scenario.key in used:
                continue
            orders = [o for o in draft.orders if self._matches(scenario, o)]
            if scenario.needs != "none" and not orders:
                continue
            weight = scenario.weight / (1 + self.uses.get(scenario.key, 0)) ** 2
            options.append((scenario, orders, weight))
        if not options:
            return None
        scenario, orders, _ = rng.choices(options, weights=[o[2] for o in options])[0]
        order = rng.choice(orders) if orders else None
        start = self._start_time(draft, scenario, order)
        return self._conversation(draft, scenario, order, start, None)

    def _follow_up(self, draft, scenario, order, previous) -> DemoConversation | None:
        """A later conversation that refers back to an earlier one."""
        start = previous.started_at + dt.timedelta(days=self.rng.uniform(18, 40))
        if start > self.now - dt.timedelta(hours=3):
            return None
        start = _kst_time(start.astimezone(KST).date(), self.rng, 9, 21)
        start = min(start, self.now - dt.timedelta(hours=2))
        if scenario.needs == "none":
            order = None
        return self._conversation(draft, scenario, order, start, previous)

    def _matches(self, scenario: Scenario, order: DemoOrder) -> bool:
        """Whether an order fits a scenario's needs and product categories."""
        if scenario.categories and not self._item_for(scenario, order):
            return False
        install = (order.installation or {}).get("status")
        return {
            "none": False,
            "any": order.status != "cancelled",
            "pending": order.status in ("pending", "processed") and install != "missed",
            "delivered": order.status == "delivered",
            "cancelled": order.status == "cancelled",
            "install_scheduled": install == "scheduled",
            "install_missed": install == "missed",
            "install_done": install == "done",
        }[scenario.needs]

    def _item_for(self, scenario: Scenario, order: DemoOrder) -> DemoOrderItem | None:
        """The order line a scenario talks about."""
        items = order.items
        if scenario.categories:
            items = [i for i in items if self.products[i.sku].category in scenario.categories]
        elif scenario.needs.startswith("install"):
            items = [i for i in items if i.needs_installation]
        return max(items, key=lambda i: i.price) if items else None

    def _start_time(self, draft: _Draft, scenario: Scenario, order) -> dt.datetime:
        """When the conversation starts, relative to the order it is about."""
        rng = self.rng
        latest = self.now - dt.timedelta(minutes=rng.randint(5, 90))
        if order is None:
            span = (latest - draft.created_at).total_seconds()
            start = draft.created_at + dt.timedelta(seconds=rng.uniform(span * 0.05, span))
            return start.replace(second=0, microsecond=0)
        install = order.installation or {}
        needs = scenario.needs
        if needs == "install_missed":
            day = dt.date.fromisoformat(install["date"])
            start = _kst_time(day, rng, 15, 20)
        elif needs in ("install_done",):
            day = dt.date.fromisoformat(install["date"])
            low, high = scenario.offset_days or (1, 20)
            start = _kst_time(day + dt.timedelta(days=rng.randint(low, high)), rng, 9, 22)
        elif needs in ("pending", "install_scheduled", "cancelled"):
            span = (latest - order.placed_at).total_seconds()
            start = order.placed_at + dt.timedelta(seconds=rng.uniform(600, max(span, 900)))
            if needs == "cancelled":
                start = order.placed_at + dt.timedelta(hours=rng.uniform(0.5, 20))
        else:
            low, high = scenario.offset_days or ((4, 25) if needs == "delivered" else (1, 4))
            start = order.placed_at + dt.timedelta(days=rng.uniform(low, high))
        start = max(min(start, latest), order.placed_at + dt.timedelta(minutes=10))
        start = min(start, self.now - dt.timedelta(minutes=1))
        return start.replace(second=0, microsecond=0)

    # --------------------------------------------------------------- one dialogue
    def _conversation(self, draft, scenario, order, start, previous):
        """Render a scenario for a customer into a DemoConversation."""
        rng = self.rng
        channel = self._channel(draft, scenario, order is not None)
        status = self._conv_status(start)
        assignee = self._assignee(scenario, draft, status, start)
        slots = self._slots(draft, scenario, order, assignee, previous)
        lines = [line.format_map(slots) for line in scenario.lines]
        messages = self._messages(draft, scenario, lines, channel, status, assignee, slots)
        priority = scenario.priority
        vip = draft.attributes.get("tier") == "vip"
        if vip and priority in ("low", "normal") and rng.random() < 0.5:
            priority = "high"
        labels = list(scenario.labels) + (["vip"] if vip else [])
        if previous is not None:
            labels.append("repeat-contact")
        subject = None
        if channel == "email":
            subject = scenario.subject or default_subject(scenario, draft.locale)
            subject = subject.format_map(slots)
        csat = None
        if status == "resolved" and assignee and rng.random() < 0.55:
            csat = max(1, min(5, round(rng.gauss(4.3 + 0.6 * scenario.mood, 0.8))))
        convo = DemoConversation(
            customer_key=draft.key, channel=channel, status=status, priority=priority,
            team=scenario.team if (assignee or status != "open") else None,
            assignee_email=assignee.email if assignee else None, subject=subject,
            labels=labels, language=draft.locale, intent=scenario.intent, started_at=start,
            messages=messages, order_number=order.number if order else None, csat=csat,
        )
        draft.conversations.append(convo)
        draft.scenario_keys.append(scenario.key)
        self.uses[scenario.key] = self.uses.get(scenario.key, 0) + 1
        return convo

    def _channel(self, draft: _Draft, scenario: Scenario, has_order: bool) -> str:
        """Pick a channel the customer can actually be reached on, adding the identity."""
        rng = self.rng
        weights = scenario.channels or (CHAT_EN if draft.locale == "en" else CHAT_KO)
        allowed = []
        shows_photo = any("[사진]" in line or "[photo]" in line for line in scenario.lines)
        for channel, weight in weights:
            if channel == "voice" and shows_photo:
                continue
            if channel == "email" and not draft.email:
                continue
            if channel in ("sms", "voice", "whatsapp") and not draft.phone:
                continue
            if channel == "api" and not has_order:
                continue
            allowed.append((channel, weight))
        if draft.conversations and rng.random() < 0.45:
            previous = draft.conversations[-1].channel
            if any(c == previous for c, _ in allowed):
                return self._ensure_identity(draft, previous)
        channel = _pick(rng, allowed or (("web", 1),))
        return self._ensure_identity(draft, channel)

    def _ensure_identity(self, draft: _Draft, channel: str) -> str:
        """Make sure the customer has the identity a channel needs."""
        rng = self.rng
        kinds = {
            "web": "web_visitor", "kakao": "kakao", "line": "line", "whatsapp": "whatsapp",
            "telegram": "telegram", "email": "email", "sms": "phone", "voice": "phone",
            "api": "user_id", "naver": "naver", "messenger": "messenger",
            "instagram": "instagram",
        }
        kind = kinds[channel]
        if kind not in draft.identities:
            value = {
                "web_visitor": lambda: f"wv_{rng.getrandbits(64):016x}",
                "kakao": lambda: str(rng.randint(10**9, 4 * 10**9)),
                "line": lambda: f"U{rng.getrandbits(128):032x}",
                "whatsapp": lambda: _phone_of(draft),
                "telegram": lambda: str(rng.randint(10**8, 7 * 10**9)),
                "naver": lambda: f"nv_{rng.getrandbits(48):012x}",
                "messenger": lambda: str(rng.randint(10**15, 10**16 - 1)),
                "instagram": lambda: str(rng.randint(10**16, 10**17 - 1)),
            }[kind]()
            draft.identities[kind] = (value, kind != "web_visitor")
        return channel

    def _conv_status(self, start: dt.datetime) -> str:
        """Older conversations are resolved; recent ones are still in flight."""
        age = (self.now - start).total_seconds() / 86400
        if age > 6:
            return _pick(self.rng, (("resolved", 95), ("snoozed", 2), ("pending", 3)))
        if age > 1:
            weights = (("resolved", 55), ("pending", 22), ("snoozed", 10), ("open", 13))
            return _pick(self.rng, weights)
        return _pick(self.rng, (("open", 52), ("pending", 26), ("snoozed", 6), ("resolved", 16)))

    def _assignee(self, scenario, draft, status, start) -> DemoAgent | None:
        """A team member who fits the language; some fresh open chats are unassigned."""
        rng = self.rng
        fresh = (self.now - start) < dt.timedelta(hours=6)
        if status == "open" and fresh and rng.random() < 0.45:
            return None
        if scenario.priority == "urgent" and rng.random() < 0.3:
            return AGENTS[1]
        team = [a for a in AGENTS if a.team == scenario.team]
        if draft.locale == "en":
            team = [a for a in team if "en" in a.languages] or team
        return rng.choice(team)

    def _slots(self, draft, scenario, order, assignee, previous) -> dict:
        """Values substituted into scenario lines."""
        rng = self.rng
        agent = assignee or AGENTS[2]
        tier = draft.attributes["tier"]
        slots = {
            "name": draft.name, "first": draft.first, "agent": agent.name,
            "agent_en": AGENT_EN_NAMES.get(agent.email, agent.name),
            "tier": TIER_KO[tier], "tier_en": TIER_EN[tier],
            "next_tier": TIER_KO[NEXT_TIER[tier]], "next_tier_en": TIER_EN[NEXT_TIER[tier]],
            "points": f"{draft.attributes['points']:,}",
            "email": draft.email or "", "phone": _local_phone(draft.phone),
            "prev_date": _ko_date(previous.started_at) if previous else "",
            "prev_date_en": _en_date(previous.started_at) if previous else "",
            "code": f"HB{rng.randint(10, 99)}-{rng.choice('ABCDEFGHJKLMNPQRSTUVWXYZ')}"
                    f"{rng.randint(1000, 9999)}",
            "ticket": f"AS{rng.randint(2400000, 2499999)}",
            "tracking": f"{rng.randint(5000, 6999)}-{rng.randint(1000, 9999)}-"
                        f"{rng.randint(1000, 9999)}",
        }
        if order is not None:
            item = self._item_for(scenario, order) or order.items[0]
            product = self.products[item.sku]
            total = sum(i.price * i.quantity for i in order.items)
            placed = order.placed_at.astimezone(KST).date()
            eta = placed + dt.timedelta(days=rng.randint(2, 4))
            install = order.installation or {}
            iday = dt.date.fromisoformat(install["date"]) if install else eta
            again = install.get("rescheduled_date")
            again_day = dt.date.fromisoformat(again) if again else iday + dt.timedelta(days=3)
            slot_index = SLOTS_KO.index(install["time_slot"]) if install else 1
            slots.update(
                product=product.name, product_en=product.name_en, category=product.category,
                order=order.number, date=_ko_date(placed), date_en=_en_date(placed),
                amount=_won(total), amount_en=f"₩{total:,}", price=_won(item.price),
                price_en=f"₩{item.price:,}", eta=_ko_date(eta), eta_en=_en_date(eta),
                install_date=_ko_date(iday), install_date_en=_en_date(iday),
                install_slot=SLOTS_KO[slot_index], install_slot_en=SLOTS_EN[slot_index],
                new_date=_ko_date(again_day), new_date_en=_en_date(again_day),
                payment=PAYMENT_KO[order.payment_method],
                payment_en=PAYMENT_EN[order.payment_method],
                city=order.address["district"], crew=install.get("crew", "수도권1팀"),
            )
        return slots

    # ------------------------------------------------------------------ finalise
    def profile(self, draft: _Draft) -> None:
        """Tier, spend and points derived from the customer's orders."""
        rng = self.rng
        spent = sum(
            i.price * i.quantity for o in draft.orders if o.status != "cancelled" for i in o.items
        )
        tier = tier_progress(spent, LADDER).current.key
        points = int(spent * POINT_RATE[tier] * rng.uniform(0.3, 1.0)) // 10 * 10
        draft.attributes = {
            "tier": tier, "total_spent": spent, "points": points + rng.choice([0, 1000, 3000]),
            "birth_month": rng.randint(1, 12), "marketing_opt_in": rng.random() < 0.6,
            "order_count": len(draft.orders), "city": draft.home["city"],
            "member_id": draft.identities["user_id"][0],
        }

    def finish(self, draft: _Draft) -> DemoCustomer:
        """Freeze a draft into a DemoCustomer with tags."""
        tags = []
        if draft.attributes["tier"] == "vip":
            tags.append("vip")
        if draft.locale == "en":
            tags.append("english")
        if len(draft.conversations) >= 2:
            tags.append("returning")
        if any((o.installation or {}).get("status") == "missed" for o in draft.orders):
            tags.append("install-issue")
        if "kakao" in draft.identities:
            tags.append("kakao-friend")
        if draft.attributes["marketing_opt_in"]:
            tags.append("newsletter")
        channels = [c.channel for c in draft.conversations]
        attributes = dict(draft.attributes)
        if channels:
            counts = {c: channels.count(c) for c in channels}
            attributes["preferred_channel"] = max(sorted(counts), key=counts.__getitem__)
        identities = [DemoIdentity(k, v, ok) for k, (v, ok) in draft.identities.items()]
        return DemoCustomer(
            key=draft.key, name=draft.name, email=draft.email, phone=draft.phone,
            locale=draft.locale, identities=identities, attributes=attributes, tags=tags,
            created_at=draft.created_at,
        )


def _local_phone(phone: str | None) -> str:
    """Render an E.164 Korean mobile the way Koreans write it (010-1234-5678)."""
    if not phone or not phone.startswith("+8210"):
        return phone or ""
    digits = "0" + phone[3:]
    return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"


def generate_demo_dataset(*, seed: int = 7, now: dt.datetime | None = None) -> DemoDataset:
    """Build the full, deterministic 한빛리빙 demo dataset."""
    now = now or dt.datetime.now(UTC)
    now = (now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC))
    now = now.replace(microsecond=0)
    builder = _Builder(random.Random(seed), now)
    drafts = builder.customers()
    orders = builder.orders(drafts)
    for draft in drafts:
        builder.profile(draft)
    builder.conversations(drafts)
    conversations = sorted(
        (c for d in drafts for c in d.conversations), key=lambda c: (c.started_at, c.customer_key)
    )
    return DemoDataset(
        workspace_name=WORKSPACE_NAME, workspace_slug=WORKSPACE_SLUG, teams=list(TEAMS),
        skills=list(SKILLS), agents=list(AGENTS), products=list(PRODUCTS),
        customers=[builder.finish(d) for d in drafts], orders=orders,
        conversations=conversations,
    )


def _delivered_variant(product: DemoProduct, options: dict) -> str | None:
    """Return the variant whose options the order line has (the product's listed default)."""
    for item_id, variant in product.attributes.get("variants", {}).items():
        if all(options.get(k) == v for k, v in variant["options"].items()):
            return str(item_id)
    return None
