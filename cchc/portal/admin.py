"""Evaluations in the admin: read-only; they are written only by cchc.portal.services.evaluation_give."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from cchc.portal.models import SCORE_FIELDS, Evaluation


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("dossier", "total", "grade", "evaluated_at")
    list_filter = ("grade",)
    search_fields = ("dossier__code",)
    readonly_fields = ("dossier", *SCORE_FIELDS, "total", "grade", "evaluated_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
