"""State changes of the procedure catalog: versions, publication, retirement, simplification reviews.

Every function is keyword-only, typed and atomic; views, the API, the admin, commands and tests call these.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.catalog.models import (
    Component,
    CutKind,
    FeeRule,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    RequiredPart,
    ReviewCut,
    ReviewStatus,
    SimplificationReview,
    VersionStatus,
)

LOCAL_CODE_PREFIX = "DP."  # địa phương: a procedure not (yet) in the national database


def procedure_local_code_next() -> str:
    """The next generated code for a local procedure without a national code, e.g. "DP.000001"."""
    codes = Procedure.objects.filter(code__startswith=LOCAL_CODE_PREFIX).values_list("code", flat=True)
    numbers = [
        int(code[len(LOCAL_CODE_PREFIX) :]) for code in codes if code[len(LOCAL_CODE_PREFIX) :].isdigit()
    ]
    return f"{LOCAL_CODE_PREFIX}{max(numbers, default=0) + 1:06d}"


_LOCAL_CODE_ATTEMPTS = 5


@transaction.atomic
def procedure_create(*, code: str | None) -> Procedure:
    """Create a procedure by its national code, or with a generated local code when it has none.

    There is no row to lock for the next local code, so a concurrent caller may take it first: the insert
    is then retried (in a savepoint) with a freshly computed code.
    """
    if code:
        return Procedure.objects.create(code=code, is_local_code=code.startswith(LOCAL_CODE_PREFIX))
    for attempt in range(1, _LOCAL_CODE_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                return Procedure.objects.create(code=procedure_local_code_next(), is_local_code=True)
        except IntegrityError:
            if attempt == _LOCAL_CODE_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


_VERSION_FIELDS = frozenset(
    f.name
    for f in ProcedureVersion._meta.get_fields()
    if getattr(f, "concrete", False)
    and f.name
    not in {
        "id",
        "procedure",
        "number",
        "status",
        "valid_from",
        "valid_to",
        "search_text",
        "agency_folded",
        "created_at",
        "updated_at",
        "published_at",
    }
)


@transaction.atomic
def procedure_version_create_draft(
    *,
    procedure: Procedure,
    name: str,
    components: list[dict[str, Any]] | None = None,
    fees: list[dict[str, Any]] | None = None,
    process_steps: list[dict[str, Any]] | None = None,
    copy_from: ProcedureVersion | None = None,
    **values: Any,
) -> ProcedureVersion:
    """Create a new draft version (bản nháp) of a procedure, numbered after the last one.

    With `copy_from`, the draft starts as a copy of that version (and its components, fees and steps); the
    keyword values then override it. Other keywords are ProcedureVersion fields (e.g. time_limit_amount).
    """
    unknown = set(values) - _VERSION_FIELDS
    if unknown:
        raise TypeError(f"Unknown ProcedureVersion fields: {sorted(unknown)}")
    Procedure.objects.select_for_update().filter(pk=procedure.pk).first()  # serialise version numbering
    last = procedure.versions.aggregate(n=Max("number"))["n"] or 0
    base: dict[str, Any] = {}
    if copy_from is not None:
        base = {key: getattr(copy_from, key) for key in _VERSION_FIELDS if key not in ("field", "name")}
        base["field"] = copy_from.field
        base["content_hash"] = ""
        if components is None:
            components = _rows(copy_from.components.all(), Component)
        if fees is None:
            fees = _rows(copy_from.fees.all(), FeeRule)
        if process_steps is None:
            process_steps = _rows(copy_from.process_steps.all(), ProcessStep)
    base.update(values)
    version = ProcedureVersion.objects.create(
        procedure=procedure, number=last + 1, status=VersionStatus.DRAFT, name=name, **base
    )
    for order, row in enumerate(components or [], start=1):
        Component.objects.create(version=version, **{"order": order, **row})
    for order, row in enumerate(fees or [], start=1):
        FeeRule.objects.create(version=version, **{"order": order, **row})
    for order, row in enumerate(process_steps or [], start=1):
        ProcessStep.objects.create(version=version, **{"order": order, **row})
    return version


def _rows(queryset: Any, model: Any) -> list[dict[str, Any]]:
    skip = {"id", "version"}
    names = [f.attname for f in model._meta.concrete_fields if f.name not in skip]
    return [{name: getattr(obj, name) for name in names} for obj in queryset]


def process_steps_validate(*, version: ProcedureVersion) -> None:
    """The internal process's shares must add up to the statutory time limit exactly (DOMAIN.md §2).

    Decree 118/2025 Art. 18: each agency in the process gets its share of the total time limit.
    """
    shares = [step.share for step in version.process_steps.all()]
    if not shares:
        return
    if not version.has_time_limit or version.time_limit_amount is None:
        raise ValidationError(
            _("Thủ tục chưa có thời hạn giải quyết nên không thể phân bổ thời gian cho quy trình nội bộ."),
            code="process_without_time_limit",
        )
    total = sum(shares, Decimal(0))
    if total != version.time_limit_amount:
        raise ValidationError(
            _(
                "Tổng thời gian của các bước quy trình nội bộ (%(total)s %(unit)s) phải bằng đúng "
                "thời hạn giải quyết (%(limit)s %(unit)s)."
            )
            % {
                "total": _number(total),
                "limit": _number(version.time_limit_amount),
                "unit": version.get_time_limit_unit_display(),
            },
            code="process_shares_mismatch",
        )


def _number(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def _lock(version: ProcedureVersion) -> None:
    """Lock the row and reload it, so the caller's object is current and concurrent publishers queue."""
    list(ProcedureVersion.objects.select_for_update().filter(pk=version.pk).values_list("pk", flat=True))
    version.refresh_from_db()


def procedure_version_check_publishable(*, version: ProcedureVersion) -> None:
    """Raise ValidationError listing every reason the version cannot be published yet."""
    problems: list[str] = []
    if version.status != VersionStatus.DRAFT:
        problems.append(_("Chỉ bản nháp mới được công bố."))
    missing = version.missing_required_parts()
    if missing:
        # Decree 63/2010 Art. 8(2): the 7 parts must all be published.
        labels = ", ".join(str(RequiredPart(part).label) for part in missing)
        problems.append(_("Thiếu bộ phận bắt buộc phải công khai: %(parts)s.") % {"parts": labels})
    try:
        process_steps_validate(version=version)
    except ValidationError as error:
        problems.extend(error.messages)
    if problems:
        raise ValidationError(problems, code="not_publishable")


@transaction.atomic
def procedure_version_publish(
    *, version: ProcedureVersion, valid_from: dt.date | None = None
) -> ProcedureVersion:
    """Publish (công bố) a draft version, in force from `valid_from` (default: today).

    The previously published version stays in force until the day before (its valid_to is closed), so a
    dossier keeps the version that was in force when it was received (DOMAIN.md §2). Refuses a version
    missing any of the 7 required parts (Decree 63/2010 Art. 8(2)) or whose process shares do not add up.
    """
    _lock(version)
    procedure_version_check_publishable(version=version)
    start = valid_from or timezone.localdate()
    current = (
        ProcedureVersion.objects.select_for_update()
        .filter(procedure_id=version.procedure_id, status=VersionStatus.PUBLISHED, valid_to__isnull=True)
        .exclude(pk=version.pk)
        .order_by("-valid_from")
    )
    for previous in current:
        if previous.valid_from is not None and previous.valid_from > start:
            raise ValidationError(
                _("Ngày hiệu lực không được trước ngày hiệu lực của phiên bản đang áp dụng (%(date)s).")
                % {"date": previous.valid_from.strftime("%d/%m/%Y")},
                code="valid_from_not_after_previous",
            )
        previous.valid_to = start - dt.timedelta(days=1)
        previous.save(update_fields=["valid_to", "updated_at"])
    version.status = VersionStatus.PUBLISHED
    version.valid_from = start
    version.valid_to = None
    version.published_at = timezone.now()
    version.search_text = version.compute_search_text()
    version.save()  # still a draft in the database, so every field may be written this last time
    return version


@transaction.atomic
def procedure_version_retire(
    *, version: ProcedureVersion, valid_to: dt.date | None = None
) -> ProcedureVersion:
    """Retire (bãi bỏ) a published version: it stays in force until `valid_to` (default: today), then ends."""
    _lock(version)
    if version.status != VersionStatus.PUBLISHED:
        raise ValidationError(_("Chỉ phiên bản đã công bố mới được bãi bỏ."), code="not_published")
    end = valid_to or timezone.localdate()
    if version.valid_from is not None and end < version.valid_from - dt.timedelta(days=1):
        raise ValidationError(
            _("Ngày hết hiệu lực không được trước ngày có hiệu lực."), code="valid_to_early"
        )
    if version.valid_to is not None and version.valid_to < end:
        end = version.valid_to  # already superseded earlier: retiring never extends it
    version.status = VersionStatus.RETIRED
    version.valid_to = end
    version.save(update_fields=["status", "valid_to", "updated_at"])
    return version


@transaction.atomic
def procedure_version_delete_draft(*, version: ProcedureVersion) -> None:
    """Delete a draft version. Published versions are never deleted."""
    version.delete()


# --- Simplification reviews (rà soát, đơn giản hóa), DOMAIN.md §2 ------------------------------------------


@transaction.atomic
def review_create(
    *,
    version: ProcedureVersion,
    yearly_dossiers: int,
    wage_rate_vnd: int,
    hours_per_dossier: Decimal,
    fees_vnd: int | None = None,
    other_costs_vnd: int = 0,
    reviewer_notes: str = "",
) -> SimplificationReview:
    """Open a review of a version.

    `fees_vnd` defaults to the amount of the version's fee rule only when it has exactly one, with a known
    amount: several fee rules are alternatives by case (e.g. new issue or re-issue), so they are never summed.
    """
    if fees_vnd is None:
        fees = list(version.fees.all())
        if len(fees) != 1 or fees[0].amount_vnd is None:
            reason = (
                _("Mức thu phí, lệ phí của thủ tục chưa xác định")
                if len(fees) == 1
                else _("Thủ tục có %(count)d mức phí, lệ phí (theo từng trường hợp)") % {"count": len(fees)}
            )
            raise ValidationError(
                _("%(reason)s; hãy nhập phí, lệ phí mỗi hồ sơ cho trường hợp được rà soát.")
                % {"reason": reason},
                code="review_fees_required",
            )
        fees_vnd = fees[0].amount_vnd
    return SimplificationReview.objects.create(
        version=version,
        yearly_dossiers=yearly_dossiers,
        wage_rate_vnd=wage_rate_vnd,
        hours_per_dossier=hours_per_dossier,
        fees_vnd=fees_vnd,
        other_costs_vnd=other_costs_vnd,
        reviewer_notes=reviewer_notes,
    )


def _require_status(review: SimplificationReview, status: ReviewStatus, message: str) -> None:
    if review.status != status:
        raise ValidationError(message, code="review_wrong_status")


@transaction.atomic
def review_add_cut(
    *,
    review: SimplificationReview,
    kind: CutKind | str,
    description: str,
    value_before: str = "",
    value_after: str = "",
    hours_saved: Decimal = Decimal(0),
    fees_saved_vnd: int = 0,
    other_costs_saved_vnd: int = 0,
) -> ReviewCut:
    """Add a proposed cut to a draft review. Savings may not exceed the baseline."""
    review = SimplificationReview.objects.select_for_update().get(pk=review.pk)
    _require_status(
        review, ReviewStatus.DRAFT, _("Chỉ được thêm phương án cắt giảm khi rà soát còn là dự thảo.")
    )
    cuts = list(review.cuts.all())
    cut = ReviewCut(
        review=review,
        kind=kind,
        description=description,
        value_before=value_before,
        value_after=value_after,
        hours_saved=hours_saved,
        fees_saved_vnd=fees_saved_vnd,
        other_costs_saved_vnd=other_costs_saved_vnd,
        order=len(cuts) + 1,
    )
    review.check_cuts([*cuts, cut])
    cut.save()
    return cut


@transaction.atomic
def review_submit(*, review: SimplificationReview) -> SimplificationReview:
    """Submit (trình) a draft review for approval; it needs at least one cut."""
    review = SimplificationReview.objects.select_for_update().get(pk=review.pk)
    _require_status(review, ReviewStatus.DRAFT, _("Chỉ rà soát ở trạng thái dự thảo mới được trình."))
    if not review.cuts.exists():
        raise ValidationError(_("Rà soát chưa có phương án cắt giảm nào."), code="review_without_cuts")
    review.status = ReviewStatus.SUBMITTED
    review.submitted_at = timezone.now()
    review.save(update_fields=["status", "submitted_at"])
    return review


@transaction.atomic
def review_approve(*, review: SimplificationReview, reviewer_notes: str = "") -> SimplificationReview:
    """Approve (phê duyệt) a submitted review."""
    review = SimplificationReview.objects.select_for_update().get(pk=review.pk)
    _require_status(review, ReviewStatus.SUBMITTED, _("Chỉ rà soát đã trình mới được phê duyệt."))
    review.status = ReviewStatus.APPROVED
    review.approved_at = timezone.now()
    if reviewer_notes:
        review.reviewer_notes = reviewer_notes
    review.save(update_fields=["status", "approved_at", "reviewer_notes"])
    return review
