"""Exchange delivered items for another variant of the same product (store policy).

For each chosen line whose product lists variants, the customer picks one of the available other
variants (by number or by option words); a line whose product lists none is exchanged for a new
unit of the same item. The confirmation states the price difference and that the order's payment
method settles it. No available variant, giving up, or an unclear answer twice hands off.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from omnidesk.core.errors import Conflict, InvalidInput
from omnidesk.domains.bot.flows.base import Reply, Turn, is_no, money, payment_method
from omnidesk.domains.bot.flows.policy_check import refusal
from omnidesk.domains.bot.flows.variants import pick_variant
from omnidesk.domains.bot.texts import option_name, option_rank, payment_name
from omnidesk.domains.commerce.actions import PolicyRefused
from omnidesk.domains.commerce.models import Order, OrderItem
from omnidesk.domains.commerce.service import Variant, list_product_variants

SOURCE = "flow:exchange_request"
NEEDS_CHOICE = "exchange_needs_variant_choice"
NONE_AVAILABLE = "exchange_no_variant_available"
MAX_UNCLEAR = 2
MAX_LISTED = 20


@dataclass
class Line:
    """An order line to exchange, with its product's variants (None: the catalogue lists none)."""

    item: OrderItem
    variants: dict[str, Variant] | None

    @property
    def id(self) -> str:
        """Return the line's item id, as the store knows it."""
        return self.item.item_external_id or str(self.item.id)

    def choices(self) -> list[Variant]:
        """List the variants it may be exchanged for (available, not the one delivered), cheapest
        first: the catalogue's order is not kept by every database."""
        found = [v for v in (self.variants or {}).values() if v.available and v.item_id != self.id]
        return sorted(found, key=lambda v: (v.price, sorted(map(str, v.options.items())),
                                            v.item_id))

    def current(self) -> dict[str, Any]:
        """Return the delivered item's options."""
        known = (self.variants or {}).get(self.id)
        return known.options if known else dict(self.item.options or {})

    def difference(self, target: str) -> Decimal:
        """Return what exchanging for the target costs (negative: the customer gets it back)."""
        variant = (self.variants or {}).get(target)
        if variant is None or target == self.id:
            return Decimal(0)
        return (variant.price - Decimal(str(self.item.price))) * self.item.quantity


async def lines(turn: Turn, order: Order, item_ids: list[str]) -> list[Line]:
    """Return the chosen lines with their products' variants."""
    found = []
    for item in order.items:
        line = Line(item, None)
        if line.id in item_ids:
            line.variants = await list_product_variants(
                turn.session, workspace_id=turn.workspace.id,
                product_external_id=item.product_external_id)
            found.append(line)
    return found


async def advance(turn: Turn, order: Order, item_ids: list[str]) -> Reply:
    """Collect a target for every chosen line, then ask to confirm the exchange."""
    state = turn.state
    targets: dict[str, str] = state.slots.setdefault("targets", {})
    chosen = await lines(turn, order, item_ids)
    for line in chosen:
        if line.id in targets:
            continue
        if line.variants is None:
            targets[line.id] = line.id
            continue
        asked = await _choose(turn, order, line)
        if asked is not None:
            return asked
    state.step = "confirm"
    if all(target == line_id for line_id, target in targets.items()):
        names = ", ".join(line.item.name for line in chosen)
        return Reply(turn.say("exchange_confirm", number=order.external_id, items=names,
                              target=turn.say("exchange_same")), SOURCE)
    changes = "\n".join(_change(turn, order, line, targets[line.id]) for line in chosen)
    total = sum((line.difference(targets[line.id]) for line in chosen), Decimal(0))
    return Reply(turn.say("exchange_variant_confirm", number=order.external_id, changes=changes,
                          difference=difference_text(turn, order, total)), SOURCE)


async def _choose(turn: Turn, order: Order, line: Line) -> Reply | None:
    """Pick the line's target from this message, or return the question to ask."""
    state, choices = turn.state, line.choices()
    if not choices:
        return _hand_off(turn, NONE_AVAILABLE, turn.say("variant_none", item=line.item.name),
                         {"action": "exchange_no_variant", "order_number": order.external_id,
                          "item_id": line.id})
    asked = state.step == "variant" and state.slots.get("variant_line") == line.id
    if asked and is_no(turn.text):
        return _hand_off(turn, NEEDS_CHOICE)
    picked, shortlist = pick_variant(turn.text, choices, by_number=asked)
    if picked is not None:
        state.slots["targets"][line.id] = picked.item_id
        state.slots.pop("unclear", None)
        state.step = None
        return None
    if not asked:
        state.step, state.slots["variant_line"] = "variant", line.id
        return Reply(turn.say("variant_ask", item=line.item.name,
                              current=describe(turn, line.current()) or money(
                                  line.item.price, order.currency),
                              choices=_listing(turn, order, line, choices, choices)), SOURCE)
    unclear = int(state.slots.get("unclear", 0)) + 1
    if unclear >= MAX_UNCLEAR:
        return _hand_off(turn, NEEDS_CHOICE)
    state.slots["unclear"] = unclear
    return Reply(turn.say("variant_unclear",
                          choices=_listing(turn, order, line, choices, shortlist)), SOURCE)


def _hand_off(turn: Turn, reason: str, text: str = "",
              action: dict[str, Any] | None = None) -> Reply:
    """End the flow and hand off; the agent's note keeps which items were to be exchanged."""
    items = turn.state.slots.get("item_ids")
    turn.state.finish()
    if items:
        turn.state.slots["item_ids"] = items
    return Reply(text, SOURCE, handoff=reason, action=action)


def describe(turn: Turn, options: dict[str, Any]) -> str:
    """Name a variant's options for customers ('색상: 화이트, 사이즈: M')."""
    keys = sorted(options, key=lambda k: (option_rank(k), k))
    return ", ".join(f"{option_name(k, turn.lang)}: {options[k]}" for k in keys)


def _delta(turn: Turn, amount: Decimal, currency: str) -> str:
    if amount == 0:
        return turn.say("price_same")
    return ("+" if amount > 0 else "-") + money(abs(amount), currency)


def _listing(turn: Turn, order: Order, line: Line, choices: list[Variant],
             shown: list[Variant]) -> str:
    """List variants with their numbers in the full list and their price difference."""
    rows = [f"{n}. {describe(turn, v.options) or v.item_id} "
            f"({_delta(turn, line.difference(v.item_id), order.currency)})"
            for n, v in enumerate(choices, 1) if v in shown]
    return "\n".join(rows[:MAX_LISTED])


def _change(turn: Turn, order: Order, line: Line, target: str) -> str:
    if target == line.id:
        return f"- {line.item.name} → {turn.say('exchange_same')}"
    variant = (line.variants or {})[target]
    before = describe(turn, line.current())
    return (f"- {line.item.name}{f' ({before})' if before else ''} → "
            f"{describe(turn, variant.options) or target} "
            f"({_delta(turn, line.difference(target), order.currency)})")


def difference_text(turn: Turn, order: Order, amount: Decimal) -> str:
    """Say the price difference and how the order's payment method settles it."""
    if amount == 0:
        return turn.say("difference_none")
    method = payment_name(payment_method(order), turn.lang)
    key = "difference_pay" if amount > 0 else "difference_refund"
    return turn.say(key, amount=money(abs(amount), order.currency), method=method)


async def start(turn: Turn, order: Order) -> Reply:
    """Open the confirmed exchange in the store and say what happens next."""
    state, number = turn.state, order.external_id
    items = list(state.slots["item_ids"])
    targets = state.slots.get("targets") or {}
    new_items = [targets.get(i, i) for i in items]
    chosen = await lines(turn, order, items)
    total = sum((line.difference(targets.get(line.id, line.id)) for line in chosen), Decimal(0))
    reason = state.slots.get("reason", "change_of_mind")
    try:
        await turn.connector.start_exchange(number, item_ids=items, new_item_ids=new_items,
                                            payment_method=payment_method(order), reason=reason)
    except PolicyRefused as refused:
        return await refusal(turn, order, refused.verdict, reason)
    except (Conflict, InvalidInput):
        state.finish()
        return Reply(turn.say("flow_failed"), SOURCE, handoff="flow_failed")
    state.finish()
    text = turn.say("exchange_done", number=number)
    if new_items != items:
        text += " " + difference_text(turn, order, total)
    return Reply(text, SOURCE, action={"action": "exchange_requested", "order_number": number,
                                       "items": len(items), "new_item_ids": new_items,
                                       "price_difference": str(total)})
