"""The application factory: wires settings, database, dispatcher, routers and middleware."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import logging
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from fastapi.utils import create_model_field
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import BaseRoute

from omnidesk import __version__
from omnidesk.app.bootstrap import build_runtime
from omnidesk.app.settings_sections import build_settings_checks
from omnidesk.app.subscribers import build_llm_client
from omnidesk.channels.crypto import SettingsCipher
from omnidesk.channels.inbox_port import ChannelInboxPort
from omnidesk.channels.registry import build_registry as build_adapters
from omnidesk.channels.views import build_router as build_channel_admin_router
from omnidesk.channels.webhooks import build_router as build_channel_router
from omnidesk.config import Settings, get_settings
from omnidesk.core.admission import AdmissionMiddleware, IntakeGate
from omnidesk.core.api import ERROR_RESPONSES
from omnidesk.core.body_limit import BodyLimitMiddleware
from omnidesk.core.events import SubscriberRegistry
from omnidesk.core.http import install_error_handlers
from omnidesk.core.limits import build_rate_limiter
from omnidesk.core.outbox import live_backlog, outbox_lag_seconds
from omnidesk.demo import store as demo_store
from omnidesk.domains.agents.models import SESSION_LIFETIME
from omnidesk.domains.agents.views import router as agents_router
from omnidesk.domains.analytics.views import router as reports_router
from omnidesk.domains.assist.views import router as assist_router
from omnidesk.domains.automation.views import router as automation_router
from omnidesk.domains.bot.service import start_warm_up
from omnidesk.domains.bot.views import router as bot_router
from omnidesk.domains.commerce.views import router as commerce_router
from omnidesk.domains.conversations.service import visible_customer_ids
from omnidesk.domains.conversations.views import router as conversations_router
from omnidesk.domains.customers.views import router as customers_router
from omnidesk.domains.engagement.views import router as engagement_router
from omnidesk.domains.feedback.views import router as feedback_router
from omnidesk.domains.inboxes.views import router as inboxes_router
from omnidesk.domains.knowledge.views import router as knowledge_router
from omnidesk.domains.privacy.views import router as privacy_router
from omnidesk.domains.routing.views import router as routing_router
from omnidesk.domains.search.views import router as search_router
from omnidesk.domains.workspaces.views import router as workspaces_router
from omnidesk.web import (
    access_log,
    account_security,
    admin_api,
    api_tokens,
    attachments,
    audit,
    auth,
    automation_settings,
    bot_settings,
    canned,
    conversation,
    conversation_actions,
    customers,
    engagement_settings,
    first_run,
    help_center,
    hours_settings,
    inbox,
    inbox_settings,
    kb_admin,
    macros,
    message_reveal,
    pages,
    presence,
    privacy_admin,
    profile,
    realtime_ws,
    recognition,
    reports,
    routing_settings,
    search,
    store_policy_settings,
    supervisor,
    survey_page,
    survey_settings,
    team,
    teamwork,
    widget,
    widget_ws,
)
from omnidesk.web import customer360 as customer360_web
from omnidesk.web.api_docs import install_api_docs
from omnidesk.web.auth import WINDOW_SECONDS, csrf_ok, resolve_actor
from omnidesk.web.i18n import install_i18n
from omnidesk.web.security import install_security_headers

WEB_DIR = Path(__file__).parents[1] / "web"
ROUTERS = [
    workspaces_router,
    inboxes_router,
    agents_router,
    customers_router,
    conversations_router,
    assist_router,
    automation_router,
    engagement_router,
    bot_router,
    reports_router,
    commerce_router,
    routing_router,
    knowledge_router,
    search_router,
    feedback_router,
    privacy_router,
    customer360_web.router,
    admin_api.router,
    audit.router,
    audit.page_router,
    access_log.router,
    account_security.router,
    account_security.page_router,
    privacy_admin.router,
    privacy_admin.page_router,
    auth.router,
    pages.router,
    first_run.router,
    api_tokens.router,
    team.router,
    inbox.router,
    conversation.router,
    conversation_actions.router,
    message_reveal.router,
    profile.router,
    presence.router,
    supervisor.router,
    search.router,
    customers.router,
    reports.router,
    teamwork.router,
    recognition.router,
    routing_settings.router,
    inbox_settings.router,
    hours_settings.router,
    bot_settings.router,
    automation_settings.router,
    engagement_settings.router,
    canned.router,
    macros.router,
    attachments.router,
    realtime_ws.router,
    widget.router,
    widget_ws.router,
    demo_store.router,
    help_center.router,
    kb_admin.router,
    survey_page.router,
    store_policy_settings.router,
    survey_settings.router,
]
log = logging.getLogger("omnidesk")


def build_intake_gate(settings: Settings, engine: AsyncEngine,
                      session_factory: async_sessionmaker[AsyncSession],
                      registry: SubscriberRegistry) -> IntakeGate:
    """Build this process's admission control for inbound messages (core.admission). The
    backlog of the registry's live subscribers counts where this process runs the dispatcher:
    there its requests take the event loop from the live lane. A web process beside workers
    (``run_dispatcher`` off) does not starve them, and refusing there would turn a worker
    outage into refused customers within seconds (the outbox-lag rule still applies)."""
    async def read_lag() -> float:
        async with session_factory() as session:
            return await outbox_lag_seconds(session)

    async def read_backlog() -> int:
        async with session_factory() as session:
            return await live_backlog(session, registry.live_names,
                                      cap=settings.intake_max_live_backlog + 1)

    return IntakeGate(max_in_flight=settings.max_inflight_intake,
                      latency_target=settings.intake_latency_target_seconds,
                      max_outbox_lag=settings.intake_max_outbox_lag_seconds,
                      lag_reader=read_lag, pool=engine.pool,
                      max_connections=settings.db_pool_size + settings.db_max_overflow,
                      # only where the live lane shares this process's loop with the requests
                      backlog_reader=read_backlog if settings.run_dispatcher else None,
                      max_live_backlog=(settings.intake_max_live_backlog
                                        if settings.run_dispatcher else None))


def add_routers(app: FastAPI, routers: Iterable[APIRouter]) -> None:
    """Serve the routers' routes from the app's own list, as prepared when their modules made them.

    FastAPI's ``include_router`` keeps each router whole and prepares every route of it a second
    time for the app (its dependency graph, the pydantic adapters of its parameters and answers,
    one per documented error code) when a request is first matched: 1.4-1.7 s of CPU for ours,
    which `omnidesk serve` paid before ``/readyz`` (``asgi.warm_routes``) and each app of the
    tests paid again. Our routers are included with no prefix, dependencies, tags or other
    option that would change a route, so the routes they made are the app's routes as they are.
    What the include added, the error answers documented on every operation
    (``ERROR_RESPONSES``), is added to the OpenAPI document when it is built (``openapi``).
    FastAPI's ``app.dependency_overrides`` do not reach these routes; nothing uses them
    (``tests/test_architecture.py: test_no_test_overrides_dependencies``). A router with
    start-up or shutdown handlers is included as FastAPI does it (none today)."""
    for router in routers:
        if router.on_startup or router.on_shutdown:
            app.include_router(router, responses=ERROR_RESPONSES)
        else:
            app.router.routes.extend(router.routes)


def documented(route: BaseRoute) -> BaseRoute:
    """Return the route as the OpenAPI document shows it: with the error answers any API route
    can give (``ERROR_RESPONSES``, its own answers first), as ``include_router(router,
    responses=ERROR_RESPONSES)`` documented them."""
    if not isinstance(route, APIRoute) or not route.include_in_schema:
        return route
    shown = copy.copy(route)
    shown.responses = {**ERROR_RESPONSES, **route.responses}
    shown.response_fields = {}
    for code, response in shown.responses.items():
        if code in route.response_fields:
            shown.response_fields[code] = route.response_fields[code]
        elif model := response.get("model"):
            shown.response_fields[code] = create_model_field(
                name=f"Response_{code}_{route.unique_id}", type_=model, mode="serialization")
    return shown


def install_openapi(app: FastAPI) -> None:
    """Build the OpenAPI document from the routes as ``documented``, once per set of routes."""
    built: dict[str, Any] = {}

    def openapi() -> dict[str, Any]:
        routes = tuple(map(id, app.routes))
        if built.get("routes") != routes:
            app.openapi_schema = get_openapi(
                title=app.title, version=app.version, openapi_version=app.openapi_version,
                summary=app.summary, description=app.description,
                terms_of_service=app.terms_of_service, contact=app.contact,
                license_info=app.license_info, routes=[documented(r) for r in app.routes],
                webhooks=app.webhooks.routes, tags=app.openapi_tags, servers=app.servers,
                separate_input_output_schemas=app.separate_input_output_schemas,
                external_docs=app.openapi_external_docs)
            built["routes"] = routes
        assert app.openapi_schema is not None
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(
    settings: Settings | None = None, *, registry: SubscriberRegistry | None = None
) -> FastAPI:
    """Build the omnidesk ASGI app; the dispatcher runs inside it when configured."""
    settings = settings or get_settings()
    logging.basicConfig(level=settings.log_level)
    runtime = build_runtime(settings, registry)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        task = None
        await runtime.start()
        if settings.run_dispatcher:
            app.state.bot_warm_up = start_warm_up(runtime.session_factory)  # the bot answers in this process
            task = asyncio.create_task(runtime.run_dispatcher())
        try:
            yield
        finally:
            runtime.dispatcher.stop()
            if task is not None:
                with contextlib.suppress(asyncio.CancelledError):
                    await asyncio.wait_for(task, timeout=10)
            await runtime.stop()
            await runtime.dispose()

    app = FastAPI(title="omnidesk", version=__version__, docs_url=None,
                  openapi_url="/api/openapi.json", redoc_url=None, lifespan=lifespan)
    app.state.settings = settings
    app.state.engine = runtime.engine
    app.state.runtime = runtime  # its pools: `await app.state.runtime.dispose()`
    app.state.session_factory = runtime.session_factory
    app.state.dispatcher = runtime.dispatcher
    app.state.registry = runtime.registry
    app.state.llm_client = build_llm_client(settings)
    app.state.actor_resolver = resolve_actor
    app.state.customer_scope = visible_customer_ids
    app.state.csrf_check = csrf_ok
    app.state.settings_checks = build_settings_checks()
    app.state.redis = runtime.redis
    app.state.intake_gate = build_intake_gate(settings, runtime.engine, runtime.session_factory,
                                              runtime.registry)
    for name, limit, window in (
            ("login", settings.login_rate_limit, WINDOW_SECONDS),
            ("widget", settings.widget_rate_limit, 60),
            ("track", settings.track_rate_limit, 60),
            ("events", settings.events_api_rate_limit, 60)):
        setattr(app.state, f"{name}_limiter", build_rate_limiter(
            runtime.redis, name, limit, window_seconds=window,
            prefix=settings.redis_key_prefix))
    app.state.realtime = runtime.realtime
    adapters = build_adapters()
    app.state.channel_cipher = SettingsCipher(settings.effective_secret_key)
    app.state.inbox_port = ChannelInboxPort(adapters, app.state.channel_cipher,
                                            settings.public_url)
    app.state.templates = Jinja2Templates(directory=str(WEB_DIR / "templates"))
    install_i18n(app.state.templates)
    install_security_headers(app)
    app.add_middleware(SessionMiddleware, secret_key=settings.effective_secret_key,
                       session_cookie="omnidesk_session", same_site="lax",
                       https_only=settings.session_cookie_secure,
                       max_age=int(SESSION_LIFETIME.total_seconds()))
    install_error_handlers(app)
    app.add_middleware(BodyLimitMiddleware, limits=settings.body_limits)  # first to count bytes
    # outermost: a request the process cannot take now is refused before anything else runs
    app.add_middleware(AdmissionMiddleware, limit=settings.max_inflight_requests)
    add_routers(app, [*ROUTERS, build_channel_router(adapters), build_channel_admin_router()])
    app.mount("/static", StaticFiles(directory=str(WEB_DIR / "static")), name="static")
    install_api_docs(app)
    install_openapi(app)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    return app
