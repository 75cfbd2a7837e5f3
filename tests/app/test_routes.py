"""The app serves its routers' routes as they were made, and documents every API error answer."""

from __future__ import annotations

from fastapi.routing import APIRoute

from omnidesk.app.main import ROUTERS, create_app
from omnidesk.config import Settings
from omnidesk.core.api import ERROR_RESPONSES

SETTINGS = Settings(database_url="sqlite+aiosqlite://", secret_key="x")


def test_the_app_serves_each_routers_routes_themselves() -> None:
    """FastAPI's include_router would prepare every route again on the first request (1.4-1.7 s
    of CPU before /readyz, and again in each test's app); the app serves the routes as made."""
    app = create_app(SETTINGS)
    served = {id(route) for route in app.routes}
    made = [route for router in ROUTERS for route in router.routes if isinstance(route, APIRoute)]
    assert len(made) > 300 and all(id(route) in served for route in made)


def test_every_documented_operation_lists_the_error_answers_with_their_problem_body() -> None:
    app = create_app(SETTINGS)
    document = app.openapi()
    operations = [(path, method, operation) for path, methods in document["paths"].items()
                  for method, operation in methods.items()]
    assert len(operations) > 150
    problem = {"$ref": "#/components/schemas/Problem"}
    for path, method, operation in operations:
        for code, answer in ERROR_RESPONSES.items():
            listed = operation["responses"].get(str(code))
            assert listed is not None, (method, path, code)
            assert listed["description"] == answer["description"], (method, path, code)
            assert listed["content"]["application/json"]["schema"] == problem, (method, path)
    assert "HTTPValidationError" not in document["components"]["schemas"]  # 422 is a Problem
    widget = document["paths"]["/widget/api/messages"]["post"]["responses"]
    assert "429" in widget  # a router's own answers stay beside them


def test_documenting_the_errors_leaves_the_shared_routes_as_they_were() -> None:
    """Routers are module objects every app of the process shares (the tests build many)."""
    first = create_app(SETTINGS)
    before = {id(r): dict(r.responses) for router in ROUTERS for r in router.routes
              if isinstance(r, APIRoute)}
    document = first.openapi()
    assert create_app(SETTINGS).openapi() == document
    after = {id(r): dict(r.responses) for router in ROUTERS for r in router.routes
             if isinstance(r, APIRoute)}
    assert after == before
