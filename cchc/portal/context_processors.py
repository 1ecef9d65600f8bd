"""What the page header needs to know about the visitor: a citizen (công dân), staff, or nobody signed in."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from cchc.citizens.access import is_citizen


def visitor(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {"is_citizen": is_citizen(user)}
