"""Share FastAPI's per-route validation state between the tests' apps.

Each test builds its own app (its own database, settings and state). FastAPI builds every route's
request and response models per app, the first time a request walks past the route: about 1.3 s
of CPU for this app's routes, paid again by each of the suite's ~1,100 HTTP tests. That state
depends only on the route and how its router is included, never on the app, so the tests' apps
share it. (The one app-specific input, the dependency-overrides provider, is unused: no test
overrides a dependency, and `test_no_test_overrides_dependencies` keeps it so.)

Only the suite does this; a served app builds its state once, as FastAPI does.
"""

from __future__ import annotations

import dataclasses
from typing import Any

MEMO_LIMIT = 2000  # routes made per app (none today) would otherwise accumulate
_memo: dict[tuple[int, tuple[tuple[str, str], ...]], tuple[Any, Any]] = {}


def share_route_state() -> bool:
    """Patch FastAPI's route-context builder with a memo; False when FastAPI has no such step."""
    try:
        from fastapi.routing import _EffectiveRouteContext
    except ImportError:  # another FastAPI design: the suite is only slower
        return False
    build = _EffectiveRouteContext.from_api_route.__func__  # type: ignore[attr-defined]

    def from_api_route(cls: type, *, original_route: Any, include_context: Any) -> Any:
        fields = tuple((f.name, repr(getattr(include_context, f.name)))
                       for f in dataclasses.fields(include_context)
                       if f.name != "dependency_overrides_provider")
        key = (id(original_route), fields)
        found = _memo.get(key)
        if found is not None and found[0] is original_route:
            return found[1]
        context = build(cls, original_route=original_route, include_context=include_context)
        if len(_memo) < MEMO_LIMIT:
            _memo[key] = (original_route, context)
        return context

    _EffectiveRouteContext.from_api_route = classmethod(from_api_route)  # type: ignore[method-assign,assignment]
    return True
