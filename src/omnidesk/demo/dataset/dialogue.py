"""Rendering of scenario lines into timed demo messages (bots, notes, call records)."""

from __future__ import annotations

import random

from .models import DemoMessage
from .scenario import Scenario

GAP_MINUTES = {"email": (40, 600), "sms": (3, 45), "voice": (0, 1), "api": (5, 120)}
_AUTHORS = {"C": "customer", "A": "agent", "B": "bot", "N": "agent", "S": "system"}
_ACK_KO = "문의가 접수되었습니다. 상담사가 순서대로 확인 후 답변드릴게요. (평균 응답 5분)"
_ACK_EN = "Thanks, we've got your message. An agent will reply shortly (usually within 5 minutes)."
_BOT_KO = (
    "안녕하세요! 한빛리빙 챗봇 빛나예요 😊 무엇을 도와드릴까요?",
    "확인을 위해 상담사에게 연결해 드릴게요. 잠시만 기다려 주세요.",
)
_BOT_EN = (
    "Hi! I'm Bitna, Hanbit Living's assistant. How can I help you today?",
    "Let me connect you with one of our agents. One moment, please.",
)
_API_KO = "[주문 시스템] 주문 {order} 관련 고객 알림톡 회신이 접수되었습니다."
_API_EN = "[Order system] Customer replied to a notification about order {order}."


def default_subject(scenario: Scenario, locale: str) -> str:
    """An email subject derived from the scenario's intent."""
    if locale == "en":
        return scenario.intent.replace("_", " ").capitalize() + " - Hanbit Living"
    labels = [label for label in scenario.labels if label != "재문의"]
    if not labels:
        return "[한빛리빙] 이전 상담 관련 문의"
    return f"[한빛리빙] {labels[0]} 문의"


class DialogueMixin:
    """Message rendering shared by the dataset builder; needs `self.rng`."""

    rng: random.Random

    def _messages(self, draft, scenario, lines, channel, status, assignee, slots):
        """Turn rendered lines into timed messages with bots, notes and call records."""
        rng = self.rng
        english = draft.locale == "en"
        turns = [(line[0], line[2:]) for line in lines]
        if channel in ("web", "kakao", "sms"):
            turns = [(k, self._styled(draft, t) if k == "C" else t) for k, t in turns]
        if assignee is None:
            first = next(t for t in turns if t[0] == "C")
            ack = _ACK_EN if english else _ACK_KO
            turns = [first, ("B", ack)]
        elif status == "open":
            last_c = max(i for i, t in enumerate(turns) if t[0] == "C")
            turns = turns[: max(last_c + 1, 2)]
        if assignee is not None and scenario.note and len(turns) <= 7 and rng.random() < 0.55:
            agent_positions = [i for i, t in enumerate(turns) if t[0] == "A"]
            at = agent_positions[-1] if agent_positions else len(turns)
            turns.insert(at, ("N", scenario.note.format_map(slots)))
        if channel == "voice":
            return self._voice(turns, english, scenario, assignee, slots)
        bot_ok = channel in ("web", "kakao") and turns[0][0] == "C" and len(turns) <= 6
        if bot_ok and assignee is not None and rng.random() < 0.22:
            greet, handoff = _BOT_EN if english else _BOT_KO
            turns = [("B", greet), turns[0], ("B", handoff), *turns[1:]]
        if channel == "api":
            turns = [("S", (_API_EN if english else _API_KO).format_map(slots)), *turns]
        return self._timed(turns[:8], channel)

    def _styled(self, draft, text: str) -> str:
        """Casual Korean customers drop spaces in short messages."""
        casual = draft.locale == "ko" and draft.style == "casual" and len(text) <= 16
        if casual and self.rng.random() < 0.35:
            return text.replace(" ", "")
        return text

    def _voice(self, turns, english, scenario, assignee, slots) -> list[DemoMessage]:
        """A phone call: connection record, a short transcript and a call summary."""
        rng = self.rng
        wait = rng.randint(8, 150)
        spoken = [t for t in turns if t[0] in ("C", "A")][:5]
        duration = max(2, len(spoken)) + rng.randint(0, 4)
        summary = (scenario.summary or scenario.intent).format_map(slots)
        if english:
            opening = f"Inbound call connected after {wait}s in queue."
            closing = f"Call ended ({duration} min {rng.randint(0, 59)} s). Summary: {summary}"
        else:
            opening = f"수신 전화 연결 (대기 {wait}초)"
            closing = f"통화 종료 · 통화시간 {duration}분 {rng.randint(0, 59)}초 · 요약: {summary}"
        if assignee is None:
            spoken = spoken[:1]
        messages = [DemoMessage("system", opening, 0)]
        for index, (kind, text) in enumerate(spoken):
            messages.append(DemoMessage(_AUTHORS[kind], text, 1 + index * duration // 6))
        notes = [t for t in turns if t[0] == "N"]
        end = 1 + duration
        if notes and len(messages) < 7:
            messages.append(DemoMessage("agent", notes[0][1], end, is_private=True))
        messages.append(DemoMessage("system", closing, end))
        return messages

    def _timed(self, turns, channel) -> list[DemoMessage]:
        """Assign minutes after start by channel rhythm."""
        rng = self.rng
        low, high = GAP_MINUTES.get(channel, (1, 7))
        minute, messages, previous = 0, [], None
        for kind, text in turns:
            if previous is not None:
                if kind == "B" or previous == "B" and kind == "C":
                    minute += rng.randint(0, 1)
                elif kind == "N":
                    minute += rng.randint(0, 3)
                else:
                    minute += rng.randint(low, high)
            messages.append(DemoMessage(_AUTHORS[kind], text, minute, is_private=kind == "N"))
            previous = kind
        return messages
