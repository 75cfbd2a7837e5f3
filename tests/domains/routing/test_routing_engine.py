"""The pure routing core: eligibility, strategies, priority with aging, sticky routing, match."""

from __future__ import annotations

from omnidesk.domains.routing.assignment.engine import (
    PRIORITY_LEVELS,
    AgentState,
    Presence,
    QueuePolicy,
    Strategy,
    WorkItem,
    is_eligible,
    match,
    offer_expired,
    overflow_target,
    pick_agent,
    priority_score,
    rank_items,
    release,
    requeue_items,
    take,
)

URGENT, NORMAL, LOW = PRIORITY_LEVELS["urgent"], PRIORITY_LEVELS["normal"], PRIORITY_LEVELS["low"]


def agent(agent_id: str, **kwargs: object) -> AgentState:
    kwargs.setdefault("capacity", {"voice": 1, "chat": 3, "email": 5})
    return AgentState(id=agent_id, **kwargs)  # type: ignore[arg-type]


def test_only_online_agents_are_eligible() -> None:
    item = WorkItem(id=1)
    for presence in (Presence.BUSY, Presence.AWAY, Presence.OFFLINE):
        assert not is_eligible(agent("a", presence=presence), item)
    assert is_eligible(agent("a"), item)


def test_language_and_skill_levels_must_match() -> None:
    item = WorkItem(id=1, language="ko", skills={"billing": 3})
    assert is_eligible(agent("a", languages=frozenset({"ko", "en"}), skills={"billing": 4}), item)
    assert not is_eligible(agent("b", languages=frozenset({"en"}), skills={"billing": 4}), item)
    assert not is_eligible(agent("c", languages=frozenset({"ko"}), skills={"billing": 2}), item)
    assert not is_eligible(agent("d", languages=frozenset({"ko"})), item)


def test_capacity_is_per_channel_and_voice_blocks_chat() -> None:
    busy = agent("a", load={"chat": 3})
    assert not is_eligible(busy, WorkItem(id=1, channel="chat"))
    assert is_eligible(busy, WorkItem(id=2, channel="email"))
    on_call = agent("b", load={"voice": 1})
    assert not is_eligible(on_call, WorkItem(id=3, channel="chat"))
    assert not is_eligible(on_call, WorkItem(id=4, channel="voice"))
    assert is_eligible(on_call, WorkItem(id=5, channel="email"))
    assert not is_eligible(agent("c", capacity={"chat": 2}), WorkItem(id=6, channel="voice"))


def test_take_and_release_track_load_and_idle_time() -> None:
    a = agent("a")
    take(a, "chat", now=10.0)
    take(a, "chat", now=11.0)
    assert a.load["chat"] == 2 and a.last_assignment_at == 11.0
    release(a, "chat", now=20.0)
    assert a.idle_since == 0.0
    release(a, "chat", now=30.0)
    assert a.load["chat"] == 0 and a.idle_since == 30.0


def test_longest_idle_picks_the_agent_free_the_longest() -> None:
    agents = [agent("a", idle_since=50.0), agent("b", idle_since=10.0), agent("c", idle_since=30.0)]
    chosen = pick_agent(WorkItem(id=1), agents, QueuePolicy(), now=100.0)
    assert chosen is not None and chosen.id == "b"


def test_least_busy_picks_the_lowest_utilisation() -> None:
    agents = [agent("a", load={"chat": 2}), agent("b", load={"chat": 1}, idle_since=5.0)]
    policy = QueuePolicy(strategy=Strategy.LEAST_BUSY)
    chosen = pick_agent(WorkItem(id=1), agents, policy, now=100.0)
    assert chosen is not None and chosen.id == "b"


def test_round_robin_cycles_through_agents() -> None:
    agents = [agent(name) for name in "abc"]
    policy = QueuePolicy(strategy=Strategy.ROUND_ROBIN)
    order = []
    for now in range(6):
        chosen = pick_agent(WorkItem(id=now, channel="email"), agents, policy, float(now))
        assert chosen is not None
        take(chosen, "email", float(now))
        order.append(chosen.id)
    assert order == ["a", "b", "c", "a", "b", "c"]


def test_best_skill_prefers_the_highest_proficiency() -> None:
    agents = [agent("a", skills={"billing": 2}), agent("b", skills={"billing": 5}, idle_since=99)]
    policy = QueuePolicy(strategy=Strategy.BEST_SKILL)
    chosen = pick_agent(WorkItem(id=1, skills={"billing": 1}), agents, policy, now=100.0)
    assert chosen is not None and chosen.id == "b"


def test_priority_order_urgent_vip_angry_and_sla_first() -> None:
    policy = QueuePolicy()
    items = [
        WorkItem(id="normal", enqueued_at=0.0),
        WorkItem(id="urgent", priority=URGENT, enqueued_at=5.0),
        WorkItem(id="vip", vip=True, enqueued_at=5.0),
        WorkItem(id="angry", sentiment=-1.0, enqueued_at=5.0),
        WorkItem(id="due-soon", enqueued_at=5.0, sla_due_at=65.0),
    ]
    ranked = [it.id for it in rank_items(items, policy)]
    # one minute from breach outranks an urgent item whose SLA (default one hour) is far away
    assert ranked == ["due-soon", "urgent", "vip", "angry", "normal"]


def test_aging_lets_an_old_low_priority_item_overtake_newcomers() -> None:
    policy = QueuePolicy(priority_weight=300.0)
    old = WorkItem(id="old", priority=LOW, enqueued_at=0.0)
    fresh = WorkItem(id="fresh", priority=URGENT, enqueued_at=100.0)
    assert rank_items([old, fresh], policy)[0].id == "fresh"
    late = WorkItem(id="late", priority=URGENT, enqueued_at=1000.0)
    assert rank_items([old, late], policy)[0].id == "old"


def test_ranking_never_changes_while_items_wait() -> None:
    policy = QueuePolicy()
    a = WorkItem(id="a", priority=URGENT, enqueued_at=50.0)
    b = WorkItem(id="b", enqueued_at=0.0, sla_due_at=400.0)
    for now in (60.0, 500.0, 10_000.0):
        assert (priority_score(a, policy, now) > priority_score(b, policy, now)) == (
            priority_score(a, policy, 60.0) > priority_score(b, policy, 60.0)
        )


def test_sticky_routing_prefers_the_last_agent_within_the_window() -> None:
    policy = QueuePolicy(sticky_window_seconds=3600.0)
    agents = [agent("a", idle_since=0.0), agent("b", idle_since=50.0)]
    item = WorkItem(id=1, last_agent_id="b", last_agent_at=1000.0)
    assert pick_agent(item, agents, policy, now=2000.0).id == "b"  # type: ignore[union-attr]
    assert pick_agent(item, agents, policy, now=9000.0).id == "a"  # type: ignore[union-attr]
    agents[1].presence = Presence.AWAY
    assert pick_agent(item, agents, policy, now=2000.0).id == "a"  # type: ignore[union-attr]


def test_match_never_exceeds_capacity_nor_assigns_an_item_twice() -> None:
    agents = [agent("a", capacity={"chat": 3}), agent("b", capacity={"chat": 1})]
    items = [WorkItem(id=i, enqueued_at=float(i)) for i in range(10)]
    decisions = match(items, agents, QueuePolicy(), now=100.0)
    assert len(decisions) == 4
    assert len({d.item_id for d in decisions}) == 4
    assert [d.item_id for d in decisions] == [0, 1, 2, 3]
    assert sum(d.agent_id == "a" for d in decisions) == 3
    # the inputs are not mutated (match copies an agent when it first gives them an item)
    assert [(a.load, a.last_assignment_at) for a in agents] == [({}, float("-inf"))] * 2
    assert match(items, agents, QueuePolicy(), now=100.0) == decisions  # so a rerun decides alike


def test_match_serves_the_most_urgent_first_when_capacity_is_short() -> None:
    items = [WorkItem(id="n", enqueued_at=0.0), WorkItem(id="u", priority=URGENT, enqueued_at=9)]
    decisions = match(items, [agent("a", capacity={"chat": 1})], QueuePolicy(), now=10.0)
    assert [d.item_id for d in decisions] == ["u"]


def test_match_skips_items_nobody_can_take_and_keeps_going() -> None:
    items = [WorkItem(id="fr", language="fr"), WorkItem(id="ko", language="ko", enqueued_at=1)]
    decisions = match(items, [agent("a", languages=frozenset({"ko"}))], QueuePolicy(), 5.0)
    assert [d.item_id for d in decisions] == ["ko"]


def test_voice_assignments_are_offers_that_expire() -> None:
    policy = QueuePolicy(offer_timeout_seconds=15.0)
    [offer] = match([WorkItem(id=1, channel="voice")], [agent("a")], policy, now=100.0)
    assert offer.offer_expires_at == 115.0
    assert not offer_expired(offer, 114.0) and offer_expired(offer, 115.0)
    [chat] = match([WorkItem(id=2)], [agent("a")], policy, now=100.0)
    assert chat.offer_expires_at is None and not offer_expired(chat, 1e9)


def test_overflow_after_waiting_too_long() -> None:
    policy = QueuePolicy(overflow_queue_id="tier2", overflow_after_seconds=120.0)
    item = WorkItem(id=1, enqueued_at=0.0)
    assert overflow_target(item, policy, now=119.0) is None
    assert overflow_target(item, policy, now=120.0) == "tier2"
    assert overflow_target(item, QueuePolicy(), now=1e9) is None


def test_requeued_items_keep_their_place_in_line() -> None:
    [item] = requeue_items([WorkItem(id=1, enqueued_at=7.0)], agent_id="a", now=50.0)
    assert item.enqueued_at == 7.0 and item.last_agent_id == "a"
