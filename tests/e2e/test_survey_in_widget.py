"""Surveys in Chromium: resolving a chat shows the CSAT buttons in the widget and the answer is
stored; the signed link's survey page works at phone size (390×844)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import insert, select

from omnidesk.domains.agents.models import User
from omnidesk.domains.feedback.links import survey_token
from omnidesk.domains.feedback.models import Survey, SurveyAnswer, SurveySettings
from omnidesk.domains.workspaces.models import Workspace
from tests.e2e.conftest import ARTIFACTS, LiveServer, log_in, visitor_says

QUESTION = "주문한 책이 아직 안 왔어요"
COMMENT = "답변이 너무 늦었어요"


def _db(live_server: LiveServer) -> Any:
    """A plain sqlite connection to the server's database (Playwright owns the event loop)."""
    return live_server.database()


def test_resolving_asks_csat_with_buttons_and_the_link_page_fits_a_phone(
        live_server: LiveServer, browser: Any) -> None:
    base, engine = live_server.url, _db(live_server)
    with engine.begin() as conn:
        ws = conn.scalar(select(Workspace.id).where(Workspace.slug == "hanbit"))
        conn.execute(insert(SurveySettings).values(workspace_id=ws, enabled=True, kind="csat",
                                                   inbox_ids=[]))
    visitor = browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 860}
                                  ).new_page()
    chat = visitor_says(visitor, base, QUESTION)

    agent = browser.new_context(locale="ko-KR", viewport={"width": 1440, "height": 900}
                                ).new_page()
    log_in(agent, base, "agent@hanbit.example")
    agent.click("#views a[data-view=unassigned]")  # agents land on "Mine"; a new chat is unassigned
    agent.locator("#conv-list .conv-item").filter(has_text=QUESTION).locator("a").click()
    agent.locator("#resolve-button").click()  # the customer is unanswered: a warning first
    agent.locator("#resolve-without-reply").click()

    question = chat.locator(".msg.bot[data-id]").filter(has_text="만족스러우셨나요")
    # The survey goes out from the dispatcher after the resolve commits; on a loaded machine
    # the widget's socket may be between reconnects (backoff up to 15 s) and catch up after.
    question.wait_for(timeout=30000)
    ended = chat.locator("#log > .ended")  # the chat says it ended, below the last message
    ended.wait_for(timeout=30000)
    assert "상담이 종료되었어요" in ended.inner_text()
    assert chat.locator("#log > *").last.get_attribute("class") == "ended"
    assert question.locator(".survey .score").all_inner_texts() == ["1", "2", "3", "4", "5"]
    question.locator(".survey .score").filter(has_text="1").click()
    question.locator(".survey textarea").fill(COMMENT)
    visitor.screenshot(path=str(ARTIFACTS / "survey-widget-csat.png"))
    question.locator(".survey-submit").click()
    question.locator(".survey.done").wait_for(timeout=30000)
    assert "감사합니다" in question.locator(".survey.done").inner_text()
    with engine.begin() as conn:
        answer = conn.execute(select(SurveyAnswer)).one()
        agent_id = conn.scalar(select(User.id).where(User.email == "agent@hanbit.example"))
    assert answer.agent_id == agent_id  # nobody was assigned: the agent who resolved it
    assert (answer.score, answer.comment, answer.via, answer.kind) == (1, COMMENT, "widget",
                                                                       "csat")

    # The agent who handled it sees the customer's comment in the conversation, and the
    # 1-star answer is a follow-up on the supervisor board.
    agent.reload()
    agent.locator("#feedback-panel").filter(has_text=COMMENT).wait_for(timeout=30000)
    lead = browser.new_context(locale="ko-KR", viewport={"width": 1440, "height": 900}
                               ).new_page()
    log_in(lead, base, "admin@hanbit.example")
    lead.goto(base + "/supervisor")
    lead.locator("#followups .followup").filter(has_text=COMMENT).wait_for(timeout=30000)
    lead.screenshot(path=str(ARTIFACTS / "survey-followup-board.png"), full_page=True)
    lead.goto(base + "/settings/surveys")
    assert lead.locator("input[name=enabled]").is_checked()
    lead.locator("#answers").filter(has_text=COMMENT).wait_for()
    lead.screenshot(path=str(ARTIFACTS / "survey-settings.png"), full_page=True)

    # A survey sent by SMS opens from its signed link on a phone and is answered there.
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    with engine.begin() as conn:
        secret = conn.scalar(select(Workspace.secret).where(Workspace.id == ws))
        survey_id = conn.execute(insert(Survey).values(
            workspace_id=ws, conversation_id=answer.conversation_id,
            customer_id=answer.customer_id, resolution=1, kind="nps", status="sent",
            channel="sms", delivery="link", expires_at=expires)).inserted_primary_key[0]
    phone = browser.new_context(locale="ko-KR", viewport={"width": 390, "height": 844},
                                is_mobile=True, has_touch=True).new_page()
    phone.goto(f"{base}/s/{survey_token(secret, survey_id, expires)}")
    assert "추천하실 가능성" in phone.locator(".lead").inner_text()
    assert phone.locator(".score").count() == 11
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    phone.locator(".score").filter(has_text="9").tap()
    phone.fill("textarea[name=comment]", "친구에게도 알려줄게요")
    phone.screenshot(path=str(ARTIFACTS / "survey-link-phone.png"), full_page=True)
    phone.locator("button[type=submit]").tap()
    phone.locator("h1").filter(has_text="감사합니다").wait_for()
    phone.screenshot(path=str(ARTIFACTS / "survey-link-phone-thanks.png"), full_page=True)
    with engine.begin() as conn:
        by_link = conn.execute(select(SurveyAnswer).where(
            SurveyAnswer.survey_id == survey_id)).one()
    assert (by_link.score, by_link.via) == (9, "link")
    engine.dispose()
