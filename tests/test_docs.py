"""docs/architecture.md names code that exists: every `module:function`, path and dotted name."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "omnidesk"
DOC = ROOT / "docs" / "architecture.md"
TEMPLATE = re.compile(r"[<>{}*…]|\.\.\.")
NOTATION = {"module:function", "Class.method"}  # how the page explains its own notation


def _tokens() -> list[str]:
    return [t for t in re.findall(r"`([^`\s]+)`", DOC.read_text(encoding="utf-8"))
            if not TEMPLATE.search(t) and t not in NOTATION]


def _module_file(path: str) -> Path | None:
    """Return the file of a module path relative to src/omnidesk (`a/b` or `a.b`), if any."""
    rel = path.replace(".", "/")
    for candidate in (SRC / f"{rel}.py", SRC / rel / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


@cache
def _defined(file: Path) -> dict[str, set[str]]:
    """Map each top-level name of a module to the names its class body defines."""
    names: dict[str, set[str]] = {}
    for node in ast.parse(file.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ClassDef):
            names[node.name] = {
                n.name if not isinstance(n, ast.AnnAssign | ast.Assign) else
                getattr(n.target if isinstance(n, ast.AnnAssign) else n.targets[0], "id", "")
                for n in node.body
                if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.AnnAssign | ast.Assign)}
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names[node.name] = set()
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                if isinstance(target, ast.Name):
                    names[target.id] = set()
        elif isinstance(node, ast.ImportFrom | ast.Import):
            names.update({(a.asname or a.name).split(".")[0]: set() for a in node.names})
    return names


def _has(file: Path, attrs: list[str]) -> bool:
    defined = _defined(file)
    if not attrs:
        return True
    if attrs[0] not in defined:
        return False
    return len(attrs) == 1 or attrs[1] in defined[attrs[0]]


def _resolves(dotted: str) -> bool:
    """Tell whether `pkg.module.attr[.attr]` names a module and (optionally) what it defines."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        for base in ("", "domains/"):
            file = _module_file(base + "/".join(parts[:cut]))
            if file is not None:
                return _has(file, parts[cut:])
    return False


def _roots() -> set[str]:
    tops = {p.stem for p in SRC.iterdir() if p.suffix == ".py" or (p / "__init__.py").exists()}
    return (tops | {p.name for p in (SRC / "domains").iterdir() if p.is_dir()}) - {"__init__"}


def _names_that_are_not_modules() -> set[str]:
    """Subscriber and event names look dotted too (`bot.answer`, `message.created`)."""
    from omnidesk.app.catalogue import load_catalogue
    from omnidesk.app.subscribers import build_registry
    from omnidesk.config import Settings

    registry = build_registry(Settings(database_url="sqlite+aiosqlite://", secret_key="x"))
    names = set(registry.subscribers)
    return names | {n.removeprefix("schedule.") for n in names} | set(load_catalogue())


def test_every_module_function_reference_exists() -> None:
    wrong = []
    for token in _tokens():
        if ":" not in token or token.startswith(("/", "http")):
            continue
        module, _, attr = token.partition(":")
        if not re.fullmatch(r"[a-z_/]+", module):
            continue  # a time (`24:00`) or a quoted hook
        file = _module_file(module) or _module_file(f"domains/{module}")
        if file is None or not _has(file, [a for a in attr.split(".") if a]):
            wrong.append(token)
    assert not wrong, f"docs/architecture.md names code that does not exist: {wrong}"


def test_every_path_exists() -> None:
    wrong = []
    for token in _tokens():
        path = token.rstrip("/")
        if ":" in token or "/" not in token or token.startswith(("/", "..", "http")):
            continue
        bases = (SRC, ROOT, SRC / "domains", SRC / "web", *(SRC / "domains").iterdir())
        if not any((base / name).exists() for base in bases for name in (path, f"{path}.py")):
            wrong.append(token)
    assert not wrong, f"docs/architecture.md names paths that do not exist: {wrong}"


def test_every_dotted_name_of_the_code_exists() -> None:
    roots, other = _roots(), _names_that_are_not_modules()
    wrong = [token for token in _tokens()
             if re.fullmatch(r"[a-z_]+(\.[A-Za-z_]+)+", token) and token.split(".")[0] in roots
             and not token.endswith((".py", ".md"))
             and token not in other and not _resolves(token)]
    assert not wrong, f"docs/architecture.md names modules that do not exist: {wrong}"
