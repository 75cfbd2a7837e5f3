"""The layer contract of ARCHITECTURE.md, checked on the source's imports."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "omnidesk"
ENTRY = {"omnidesk.main", "omnidesk.worker", "omnidesk.bootstrap", "omnidesk.cli", "omnidesk.subscribers",
         "omnidesk.all_models", "omnidesk.demo_loader", "omnidesk.demo_extras"}


def _modules() -> dict[str, set[str]]:
    imports: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC.parent).with_suffix("")
        name = ".".join(p for p in rel.parts if p != "__init__")
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module)
                found.update(f"{node.module}.{a.name}" for a in node.names)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
        imports[name] = {m for m in found if m.startswith("omnidesk")}
    return imports


def _layer(module: str) -> str:
    parts = module.split(".")
    if module in ENTRY or (len(parts) > 1 and parts[1] in {"commands", "migrations"}):
        return "entry"
    return parts[1] if len(parts) > 1 else "root"


def test_core_imports_nothing_above_it() -> None:
    for module, imported in _modules().items():
        if _layer(module) == "core":
            bad = {m for m in imported if _layer(m) not in {"core", "config", "root"}}
            assert not bad, f"{module} imports {bad}"


def test_domains_never_import_channels_web_or_entry_points() -> None:
    forbidden = {"channels", "web", "realtime", "ai_providers", "entry"}
    for module, imported in _modules().items():
        if _layer(module) == "domains":
            bad = {m for m in imported if _layer(m) in forbidden}
            assert not bad, f"{module} imports {bad}"


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
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "sqlalchemy":
                names = {a.name for a in node.names}
                assert not names & {"select", "update", "delete", "insert", "text"}, path
