"""A zip of Markdown files (optional front matter) imports from the KB admin page."""

from __future__ import annotations

import io
import re
import zipfile

import httpx
import pytest

from omnidesk.web import help_center, kb_admin
from tests.conftest import Persona


@pytest.fixture
async def editor(client: httpx.AsyncClient, owner: Persona) -> tuple[httpx.AsyncClient, str]:
    """The app with the KB pages, signed in as the admin; with the page's CSRF token."""
    app = client.app  # type: ignore[attr-defined]
    paths = {getattr(r, "path", "") for r in app.routes}
    for router in (help_center.router, kb_admin.router):
        if not any(getattr(r, "path", "") in paths for r in router.routes):
            app.include_router(router)
    login = await client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', login.text).group(1)
    await client.post("/login", data={"email": f"admin@{owner.slug}.example",
                                      "password": owner.password, "csrf": token})
    page = await client.get("/kb-admin/new")
    return client, re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


async def test_a_markdown_zip_imports_with_front_matter_and_reports_bad_files(
        editor: tuple[httpx.AsyncClient, str]) -> None:
    client, csrf = editor
    archive = _zip({
        "kb/ko/gift.md": "---\ntitle: 선물 포장\ncategory: orders\nslug: gift-wrap\n---\n"
                         "주문할 때 **선물 포장**을 고르세요.\n",
        "kb/gift-en.md": "---\ntitle: Gift wrap\nlanguage: en\nslug: gift-wrap\n"
                         "translation_of: gift-wrap\n---\nPick gift wrap at checkout.\n",
        "kb/returns-policy.md": "# 반품\n\n7일 안에 반품할 수 있어요.\n",
        "kb/broken.md": "---\ntitle: never closed\n",
        "kb/image.png": "not markdown",
    })
    done = await client.post("/kb-admin/import", data={"csrf": csrf, "kind": "markdown_zip",
                                                       "locale": "ko"},
                             files={"file": ("kb.zip", archive, "application/zip")})
    assert done.status_code == 200 and "새로 만듦 3" in done.text
    assert "broken.md: front matter is not closed" in done.text
    assert (await client.get("/help/acme/ko/articles/gift-wrap")).status_code == 200
    english = await client.get("/help/acme/en/articles/gift-wrap")
    assert english.status_code == 200 and "Pick gift wrap" in english.text
    assert (await client.get("/help/acme/ko/articles/returns-policy")).status_code == 200
    listing = await client.get("/kb-admin", params={"category": "orders"})
    assert ">선물 포장</a>" in listing.text
    again = await client.post("/kb-admin/import", data={"csrf": csrf, "kind": "markdown_zip",
                                                        "locale": "ko"},
                              files={"file": ("kb.zip", archive, "application/zip")})
    assert "변경 없음 3" in again.text
    for bad in (b"not a zip", _zip({"notes.txt": "hello"})):
        refused = await client.post("/kb-admin/import", data={"csrf": csrf,
                                                              "kind": "markdown_zip"},
                                    files={"file": ("x.zip", bad, "application/zip")})
        assert refused.status_code == 422, bad
