"""The layer contract of ARCHITECTURE.md, checked on the source's imports."""

from __future__ import annotations

import ast
import functools
from collections import defaultdict
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "omnidesk"
# Entry points live in omnidesk/app/ (app factory, worker, CLI, bootstrap, wiring); the model
# registry all_models.py sits beside config.py because migrations import it.
ENTRY_PACKAGES = {"app", "migrations"}
ENTRY = {"omnidesk.all_models"}
TOP_LEVEL = {"__init__.py", "config.py", "all_models.py"}


@functools.cache
def _sources() -> tuple[tuple[Path, tuple[ast.AST, ...]], ...]:
    """Every source file with its syntax tree's nodes, parsed once for the module's tests."""
    return tuple((path, tuple(ast.walk(ast.parse(path.read_text(encoding="utf-8")))))
                 for path in sorted(SRC.rglob("*.py")))


def _nodes(path: Path) -> tuple[ast.AST, ...]:
    """The nodes of one source file's syntax tree."""
    return dict(_sources())[path]


@functools.cache
def _modules() -> dict[str, frozenset[str]]:
    imports: dict[str, frozenset[str]] = {}
    for path, nodes in _sources():
        rel = path.relative_to(SRC.parent).with_suffix("")
        name = ".".join(p for p in rel.parts if p != "__init__")
        found: set[str] = set()
        for node in nodes:
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module)
                found.update(f"{node.module}.{a.name}" for a in node.names)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
        imports[name] = frozenset(m for m in found if m.startswith("omnidesk"))
    return imports


def _layer(module: str) -> str:
    parts = module.split(".")
    if module in ENTRY or (len(parts) > 1 and parts[1] in ENTRY_PACKAGES):
        return "entry"
    return parts[1] if len(parts) > 1 else "root"


def test_core_imports_nothing_above_it() -> None:
    for module, imported in _modules().items():
        if _layer(module) == "core":
            bad = {m for m in imported if _layer(m) not in {"core", "config", "root"}}
            assert not bad, f"{module} imports {bad}"


def _is_manifest_data(module: str) -> bool:
    """Tell whether a module is pure channel manifest data (the part of channels domains read)."""
    parts = module.split(".")
    return module.startswith("omnidesk.channels.") and (
        parts[2] == "manifests" or (len(parts) >= 4 and parts[3] == "manifest"))


def test_domains_never_import_channels_web_or_entry_points() -> None:
    forbidden = {"channels", "web", "realtime", "ai_providers", "entry", "demo"}
    for module, imported in _modules().items():
        if _layer(module) == "domains":
            bad = {m for m in imported if _layer(m) in forbidden and not _is_manifest_data(m)}
            assert not bad, f"{module} imports {bad}"


def test_entry_points_and_demo_code_live_in_their_own_packages() -> None:
    loose = {p.name for p in SRC.glob("*.py")} - TOP_LEVEL
    assert not loose, f"modules at the package's top level (entry points belong in app/): {loose}"
    demo_code = [p.relative_to(SRC).as_posix() for p in SRC.rglob("*demo*")
                 if (p.suffix == ".py" or any(p.glob("*.py")))
                 and p.relative_to(SRC).parts[0] != "demo"]
    assert not demo_code, f"demo code outside omnidesk/demo/: {demo_code}"


def test_only_entry_points_use_the_demo_package() -> None:
    for module, imported in _modules().items():
        if _layer(module) not in {"entry", "demo"}:
            bad = {m for m in imported if _layer(m) == "demo"}
            assert not bad, f"{module} imports {bad}: demo content is loaded by entry points"


def test_channel_manifests_are_pure_data() -> None:
    for module, imported in _modules().items():
        if _is_manifest_data(module) and module.count(".") >= 2:
            bad = {m for m in imported
                   if not (m.startswith("omnidesk.core.channel_manifest") or _is_manifest_data(m))}
            assert not bad, f"{module} imports {bad}: manifests are data domains may read"


def test_domains_use_each_other_only_through_reads_writes_and_types() -> None:
    allowed_roles = {"models", "schemas", "service", "actions", "events"}
    for module, imported in _modules().items():
        if _layer(module) != "domains" or len(module.split(".")) < 4:
            continue
        own = module.split(".")[2]
        for target in imported:
            parts = target.split(".")
            if len(parts) >= 4 and parts[1] == "domains" and parts[2] != own:
                assert parts[3] in allowed_roles, f"{module} imports {target}"


def test_domains_do_not_depend_on_each_other_in_a_cycle() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for module, imported in _modules().items():
        parts = module.split(".")
        if len(parts) >= 3 and parts[1] == "domains":
            for target in imported:
                t = target.split(".")
                if len(t) >= 3 and t[1] == "domains" and t[2] != parts[2]:
                    graph[parts[2]].add(t[2])

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph[start]:
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    cycles = [d for d in list(graph) if reaches(d, d, {d})]
    assert not cycles, f"domain import cycles through {cycles}: {dict(graph)}"


def test_web_pages_build_no_queries() -> None:
    for path in SRC.joinpath("web").rglob("*.py"):
        for node in _nodes(path):
            if isinstance(node, ast.ImportFrom) and node.module == "sqlalchemy":
                names = {a.name for a in node.names}
                assert not names & {"select", "update", "delete", "insert", "text"}, path


# Where a channel kind's word means something else, with the reason it is not a channel there.
OTHER_MEANINGS: dict[str, dict[str, str]] = {
    "email": {
        "domains/customers/": "the customer's email address (profile field, identity kind)",
        "domains/agents/": "a user's email address",
        "domains/nlu/entities.py": "an entity kind found in text",
        "domains/bot/flows/verification.py": "the entity and identity the bot verifies",
        "domains/assist/contact.py": "a profile field of the contact card",
        "domains/assist/warnings.py": "a PII kind",
        "domains/commerce/import_actions.py": "a shop user's email field and identity kind",
        "core/pii/": "a PII kind",
        "core/channel_manifest.py": "an agent capacity class",
        "web/auth.py": "the login form's email field",
        "web/customers.py": "the customer edit form's email field",
        "domains/engagement/actions.py": "the widget visitor's email, proven by the site",
        "domains/engagement/schemas.py": "a campaign action kind (send an email), resolved "
                                         "to the email inbox through the manifest; a pre-chat "
                                         "field of the widget (the visitor's email)",
        "web/widget_settings.py": "a pre-chat field of the widget (the visitor's email)",
        "domains/engagement/campaign_actions.py": "the same campaign action kind",
    },
    "voice": {"core/channel_manifest.py": "an agent capacity class",
              "domains/routing/assignment/engine.py": "the voice capacity class (a call blocks chats)",
              "domains/agents/models.py": "an agent capacity class",
              },
    "web": {"app/main.py": "the web/ package directory",
            "web/widget.py": "a rate-limit bucket name",
            "app/commands/bench.py": "a process role of the bench (web and worker processes)"},
    "api": {"domains/bot/views.py": "where training rows came from",
            "app/commands/bench.py": "the bench's --endpoint name (the inbox kind is the manifest's)",
            "domains/privacy/": "an access-log kind: a read through the REST API"},
}
ALLOWED_TREES = ("migrations/", "demo/dataset/", "channels/registry.py",
                 "channels/manifests.py")


def _kinds() -> set[str]:
    return {p.parent.name for p in SRC.joinpath("channels").glob("*/manifest.py")}


def _allowed(rel: str, word: str, kinds: set[str]) -> bool:
    parts = rel.split("/")
    if parts[0] == "channels" and len(parts) > 2 and parts[1] in kinds:
        return True  # inside a channel package (Instagram's adapter lives in messenger/)
    if rel.startswith(ALLOWED_TREES):
        return True
    return any(rel.startswith(prefix) for prefix in OTHER_MEANINGS.get(word, {}))


def test_no_channel_kind_is_named_outside_its_package() -> None:
    kinds = _kinds()
    assert len(kinds) >= 12, kinds
    found = []
    for path, nodes in _sources():
        rel = path.relative_to(SRC).as_posix()
        for node in nodes:
            if (isinstance(node, ast.Constant) and node.value in kinds
                    and not _allowed(rel, node.value, kinds)):
                found.append(f"{rel}:{node.lineno} {node.value!r}")
    assert not found, "channel kinds named outside channels/<kind>/ (use the manifest):\n" + \
        "\n".join(found)


EMITTING_KERNEL = {"core/scheduler.py"}  # fires `schedule.fired`; the work is a subscriber's


def _emits_here(rel: str) -> bool:
    """Tell whether a module may emit events: actions (`do_*` writes) and jobs only."""
    name = rel.rsplit("/", 1)[-1]
    return (name in {"actions.py", "tasks.py"} or name.endswith(("_actions.py", "_jobs.py"))
            or rel in EMITTING_KERNEL)


def test_events_are_emitted_only_from_actions_and_jobs() -> None:
    found = []
    for path, nodes in _sources():
        rel = path.relative_to(SRC).as_posix()
        for node in nodes:
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "emit" and not _emits_here(rel)):
                found.append(f"{rel}:{node.lineno}")
    assert not found, "emit() outside actions and jobs:\n" + "\n".join(found)


def test_every_documented_route_parses_json_strictly() -> None:
    from fastapi.routing import APIRoute

    from omnidesk.app.main import create_app
    from omnidesk.config import Settings
    from omnidesk.core.api import ApiRoute

    app = create_app(Settings(database_url="sqlite+aiosqlite://", secret_key="x"))
    routes = []
    for route in app.routes:  # FastAPI keeps each included router's routes inside it
        routes += getattr(getattr(route, "original_router", None), "routes", None) or [route]
    documented = [r for r in routes if isinstance(r, APIRoute) and r.include_in_schema]
    loose = [r.path for r in documented if not isinstance(r, ApiRoute)]
    assert len(documented) > 90 and not loose, f"routes without route_class=ApiRoute: {loose}"


def test_no_test_overrides_dependencies() -> None:
    """The app serves its routers' routes as their modules made them (``app.main.add_routers``),
    which FastAPI's ``app.dependency_overrides`` do not reach: a test overriding one would test
    nothing."""
    tests = Path(__file__).resolve().parent
    users = [p for p in tests.rglob("*.py") if p.name != "test_architecture.py"
             and "dependency_overrides" in p.read_text(encoding="utf-8")]
    assert users == [], users
