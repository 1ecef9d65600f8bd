"""Baseline security: Argon2, no secret in the repository. Headers and cookies are tested in
tests/security/test_headers.py."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.argon2
def test_argon2_is_the_password_hasher() -> None:
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_no_secret_key_file_is_tracked_by_git() -> None:
    tracked = subprocess.run(
        ["git", "ls-files"],  # noqa: S607 (git from PATH, test only)
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.splitlines()
    if not tracked:
        pytest.skip("not a git checkout")
    assert not [path for path in tracked if path.startswith("var/") or path.endswith("secret_key")]
    assert 'SECRET_KEY = "' not in (ROOT / "cchc" / "settings.py").read_text()


def test_the_stylesheet_is_served_without_collectstatic(client) -> None:
    response = client.get("/static/cchc/cchc.css")
    assert response.status_code == 200
    assert b"@media print" in b"".join(response.streaming_content)
