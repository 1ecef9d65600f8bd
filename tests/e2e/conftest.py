"""Browser tests: Playwright driving Debian's Chromium (never `playwright install`).

Without /usr/bin/chromium the tests are skipped with the reason, unless CCHC_REQUIRE_BROWSER=1 (CI).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("CCHC_CHROMIUM", "/usr/bin/chromium")


def _chromium_path() -> str | None:
    if os.path.exists(CHROMIUM):
        return CHROMIUM
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    path = _chromium_path()
    if path is None:
        if os.environ.get("CCHC_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required (CCHC_REQUIRE_BROWSER=1) but /usr/bin/chromium is missing.")
        pytest.skip("Chromium not installed (apt-get install chromium): browser tests skipped")
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    yield page
    context.close()


AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
  }));
}"""


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core (npm, installed by `make test`); missing only where npm is absent, and then skipped."""
    if not AXE_SCRIPT.exists():
        if os.environ.get("CCHC_REQUIRE_BROWSER") == "1":
            pytest.fail("axe-core is required in CI: run `npm ci` (make test does).")
        pytest.skip("axe-core not installed (npm ci): accessibility checks skipped")
    return AXE_SCRIPT.read_text(encoding="utf-8")


@pytest.fixture
def axe(axe_source: str) -> Callable[[Any], list[dict[str, Any]]]:
    """Run axe-core on the page as it is now; return its serious and critical violations.

    The script is evaluated through the DevTools protocol, which the page's Content-Security-Policy does not
    govern, so the pages keep their strict policy during the check.
    """

    def check(page: Any) -> list[dict[str, Any]]:
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(f"() => {{ {axe_source}\n }}")
            if not page.evaluate("typeof window.axe !== 'undefined'"):
                raise AssertionError("axe-core did not load")
        violations: list[dict[str, Any]] = page.evaluate(AXE_RUN)
        return [v for v in violations if v["impact"] in ("serious", "critical")]

    return check


ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def shots(request: Any) -> Callable[[Any, str], Path]:
    """Save a full-page screenshot into test-artifacts/<test name>/NN-<step>.png and return its path."""
    folder = ARTIFACTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    counter = [0]

    def take(page: Any, step: str) -> Path:
        counter[0] += 1
        path = folder / f"{counter[0]:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def default_766_rules() -> None:
    """The 766 index's default rules (read by its pages, the PAR Index's automatic criteria and the commitments'
    targets) come from a data migration, which the flush after each browser test empties: load them again."""
    import importlib

    from django.apps import apps
    from django.core.cache import cache

    from cchc.serviceindex.models import IndexVersion

    cache.clear()
    if not IndexVersion.objects.exists():
        importlib.import_module("cchc.serviceindex.migrations.0002_default_version").load(apps, None)


TEST_PASSWORD = "mat-khau-dai-2026"  # the test users' password (tests/dossiers/conftest.py)


def staff_sign_in(page: Any, base: str, username: str, target: str, password: str = TEST_PASSWORD) -> None:
    """Sign in on the staff login page as `username` (cookies of a previous user cleared) and land on `target`."""
    page.context.clear_cookies()
    page.goto(f"{base}/can-bo/dang-nhap/?next={target}")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}{target}")
