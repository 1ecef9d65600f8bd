"""Admin of the procedure catalog. Published versions and their parts are read-only (DOMAIN.md §2)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Max, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cchc.catalog.costing import review_costs
from cchc.catalog.models import (
    Component,
    FeeRule,
    Field,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    RequiredPart,
    ReviewCut,
    ReviewStatus,
    SimplificationReview,
    VersionStatus,
)
from cchc.catalog.services import procedure_version_publish, process_steps_validate


def _frozen(obj: ProcedureVersion | None) -> bool:
    return obj is not None and obj.pk is not None and obj.status != VersionStatus.DRAFT


class _VersionPartInline(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _frozen(obj) and super().has_delete_permission(request, obj)


class ComponentInline(_VersionPartInline):
    model = Component
    fields = ("order", "name", "kind", "quantity", "template", "template_name", "note")


class FeeRuleInline(_VersionPartInline):
    model = FeeRule
    fields = ("order", "kind", "case", "amount_vnd", "note")


class ProcessStepInline(_VersionPartInline):
    model = ProcessStep
    fields = ("order", "name", "role", "unit", "share")
    autocomplete_fields = ()


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name")
    search_fields = ("code", "name", "name_folded")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # Published versions show the field's name: renaming it would change them (Field.save refuses it).
        return ("name",) if obj is not None and obj.has_published_versions() else ()


class VersionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ProcedureVersion
    fields = ("number", "status", "name", "valid_from", "valid_to")
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "is_local_code", "created_at")
    search_fields = ("code", "versions__search_text")
    inlines = (VersionInline,)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("code", "is_local_code") if obj is not None else ()


@admin.action(description=_("Công bố"))
def publish_versions(modeladmin: Any, request: HttpRequest, queryset: QuerySet[ProcedureVersion]) -> None:
    """Publish the chosen drafts through the one service (procedure_version_publish)."""
    for version in queryset.filter(status=VersionStatus.DRAFT):
        try:
            procedure_version_publish(version=version)
        except ValidationError as error:
            modeladmin.message_user(
                request, f"{version.procedure.code}: {' '.join(error.messages)}", level=messages.ERROR
            )
        else:
            modeladmin.message_user(request, _("Đã công bố %(code)s.") % {"code": version.procedure.code})


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "procedure",
        "number",
        "name",
        "field",
        "status",
        "valid_from",
        "valid_to",
        "online_level",
    )
    list_filter = ("status", "field", "online_level", "level_province", "level_commune")
    search_fields = ("procedure__code", "search_text", "name")
    inlines = (ComponentInline, FeeRuleInline, ProcessStepInline)
    actions = (publish_versions,)
    readonly_fields_always = (
        "status",
        "valid_from",
        "valid_to",
        "published_at",
        "search_text",
        "content_hash",
        "created_at",
        "updated_at",
        "missing_parts",
    )

    @admin.display(description=_("Bộ phận bắt buộc còn thiếu"))
    def missing_parts(self, obj: ProcedureVersion) -> str:
        return ", ".join(str(RequiredPart(part).label) for part in obj.missing_required_parts()) or "—"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if _frozen(obj):
            names = [f.name for f in ProcedureVersion._meta.concrete_fields if f.name != "id"]
            return (*names, "missing_parts")
        if obj is None:
            return (*self.readonly_fields_always, "number")
        return (*self.readonly_fields_always, "procedure", "number")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _frozen(obj) and super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: ProcedureVersion, form: Any, change: bool) -> None:
        if not change:
            # A new version made here is a draft numbered after the procedure's last version; the locked
            # procedure row makes concurrent numbering queue (the admin view runs in a transaction).
            Procedure.objects.select_for_update().filter(pk=obj.procedure_id).first()
            last = (
                ProcedureVersion.objects.filter(procedure=obj.procedure).aggregate(n=Max("number"))["n"] or 0
            )
            obj.number = last + 1
            obj.status = VersionStatus.DRAFT
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        try:
            process_steps_validate(version=form.instance)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), level=messages.WARNING)


class ReviewCutFormSet(BaseInlineFormSet):  # type: ignore[type-arg]
    """Checks the cuts of the page together against the review's baseline (each form checks itself too)."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        if not any(form.has_changed() for form in self.forms):
            return  # nothing edited (or the inline is read-only)
        kept = [form for form in self.forms if form.has_changed() or form.instance.pk is not None]
        self.instance.check_cuts(form.instance for form in kept if not form.cleaned_data.get("DELETE"))


def _review_is_draft(obj: SimplificationReview | None) -> bool:
    return obj is None or obj.status == ReviewStatus.DRAFT


class ReviewCutInline(admin.TabularInline):  # type: ignore[type-arg]
    """Cuts are edited only while the review is a draft, within its baseline (ReviewCut.clean)."""

    model = ReviewCut
    formset = ReviewCutFormSet
    extra = 0
    fields = (
        "order",
        "kind",
        "description",
        "value_before",
        "value_after",
        "hours_saved",
        "fees_saved_vnd",
        "other_costs_saved_vnd",
    )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _review_is_draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _review_is_draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _review_is_draft(obj) and super().has_delete_permission(request, obj)


def _vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đ"


@admin.register(SimplificationReview)
class SimplificationReviewAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("version", "status", "yearly_dossiers", "yearly_saving", "saving_rate")
    list_filter = ("status",)
    inlines = (ReviewCutInline,)
    readonly_fields = (
        "status",
        "submitted_at",
        "approved_at",
        "cost_per_dossier_before",
        "cost_per_dossier_after",
        "yearly_cost_before",
        "yearly_cost_after",
        "yearly_saving",
        "saving_rate",
    )
    raw_id_fields = ("version",)
    baseline_fields = (
        "version",
        "yearly_dossiers",
        "wage_rate_vnd",
        "hours_per_dossier",
        "fees_vnd",
        "other_costs_vnd",
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        readonly = tuple(super().get_readonly_fields(request, obj))
        return readonly if _review_is_draft(obj) else (*self.baseline_fields, *readonly)

    @admin.display(description=_("Chi phí mỗi hồ sơ trước cắt giảm"))
    def cost_per_dossier_before(self, obj: SimplificationReview) -> str:
        return _vnd(review_costs(obj).per_dossier_before) if obj.pk else "—"

    @admin.display(description=_("Chi phí mỗi hồ sơ sau cắt giảm"))
    def cost_per_dossier_after(self, obj: SimplificationReview) -> str:
        return _vnd(review_costs(obj).per_dossier_after) if obj.pk else "—"

    @admin.display(description=_("Chi phí mỗi năm trước cắt giảm"))
    def yearly_cost_before(self, obj: SimplificationReview) -> str:
        return _vnd(review_costs(obj).yearly_before) if obj.pk else "—"

    @admin.display(description=_("Chi phí mỗi năm sau cắt giảm"))
    def yearly_cost_after(self, obj: SimplificationReview) -> str:
        return _vnd(review_costs(obj).yearly_after) if obj.pk else "—"

    @admin.display(description=_("Tiết kiệm mỗi năm"))
    def yearly_saving(self, obj: SimplificationReview) -> str:
        return _vnd(review_costs(obj).yearly_saving) if obj.pk else "—"

    @admin.display(description=_("Tỷ lệ cắt giảm (%)"))
    def saving_rate(self, obj: SimplificationReview) -> str:
        return f"{review_costs(obj).saving_rate_percent}%" if obj.pk else "—"

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.status == ReviewStatus.APPROVED:
            return False
        return super().has_change_permission(request, obj)
