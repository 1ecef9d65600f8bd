"""Dossier endpoints for staff, /api/v1/dossiers/…: worklists, detail, counter intake and every action.

Sign-in is Django's session (the staff login). django-ninja exempts its views from Django's CSRF middleware and
checks CSRF itself in cookie authentication, so every unsafe request (POST) must carry the CSRF token in the
X-CSRFToken header, as the htmx pages already do. Only staff (a user holding a role in some unit today, or a
superuser) may use these endpoints. A dossier outside the user's scope answers 404, never 403, so that its
existence is not revealed. Errors are problem+json (cchc.core.problem) with Vietnamese messages.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.security import SessionAuth

from cchc.catalog.selectors import procedure_version_for_code, version_parts
from cchc.core.blobs import max_upload_bytes
from cchc.core.problem import problem_response
from cchc.dossiers import selectors, services
from cchc.dossiers.lifecycle import Action, DossierActionError
from cchc.dossiers.models import Dossier, DossierResult
from cchc.dossiers.presenters import DETAIL_PREFETCH, created_out, detail_out, state_fields
from cchc.dossiers.reuse import reusable_result
from cchc.dossiers.schemas import (
    ApologyIn,
    AssignIn,
    DossierCreatedOut,
    DossierDetailOut,
    DossierRowOut,
    DossierStateOut,
    HandOverIn,
    IntakeIn,
    ReasonIn,
    ResolveIn,
    ReturnIn,
    SupplementIn,
    VersionIn,
    WorklistOut,
    WorklistQuery,
)
from cchc.dossiers.services import Intake
from cchc.orgs.models import Unit
from cchc.orgs.roles import Role
from cchc.orgs.scoping import has_role, roles_of

IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY_MAX = 100
_IDEMPOTENCY_KEY = re.compile(rf"[\x21-\x7e]{{1,{IDEMPOTENCY_KEY_MAX}}}")


class StaffSessionAuth(SessionAuth):
    """django_auth (session cookie, CSRF checked on unsafe methods), limited to staff.

    Not signed in: 401. Signed in without any role today (e.g. a citizen account): 403.
    """

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is None:
            return None
        if not (user.is_superuser or roles_of(user)):
            raise HttpError(403, "Chức năng này chỉ dành cho cán bộ, công chức.")
        return user


staff_auth = StaffSessionAuth()
router = Router(tags=["dossiers"], auth=staff_auth)


# -- endpoints -------------------------------------------------------------------------------------------------------
@router.get("", response=WorklistOut, summary="Danh sách hồ sơ cần xử lý")
def dossiers_worklist(request: HttpRequest, query: Query[WorklistQuery]) -> WorklistOut:
    found = selectors.worklist(user=request.user, kind=query.kind, page=query.page, per_page=query.per_page)
    return WorklistOut(
        kind=found.kind,
        page=found.page,
        per_page=found.per_page,
        has_next=found.has_next,
        rows=[DossierRowOut(**row.__dict__) for row in found.rows],
    )


@router.get("/{code}", response=DossierDetailOut, summary="Chi tiết hồ sơ")
def dossier_detail(request: HttpRequest, code: str) -> DossierDetailOut:
    dossier = selectors.dossier_for(request.user, code)
    prefetched = (
        Dossier.objects.filter(pk=dossier.pk)
        .select_related(
            "procedure_version__procedure",
            "receiving_unit",
            "competent_unit",
            "current_unit",
            "assignee",
            "apology",
            "result",
            "delivery",
        )
        .prefetch_related(*DETAIL_PREFETCH)
        .get()
    )
    return detail_out(prefetched)


def _idempotency_key(request: HttpRequest) -> str:
    raw = request.headers.get(IDEMPOTENCY_HEADER)
    if raw is None or not raw.strip():
        raise HttpError(400, f"Thiếu tiêu đề {IDEMPOTENCY_HEADER} (mỗi lần tạo hồ sơ cần một khóa riêng).")
    key = raw.strip()
    if not _IDEMPOTENCY_KEY.fullmatch(key):
        raise HttpError(
            400,
            f"Tiêu đề {IDEMPOTENCY_HEADER} phải gồm 1 đến {IDEMPOTENCY_KEY_MAX} ký tự ASCII in được, "
            "không có khoảng trắng.",
        )
    return f"{request.user.pk}:{key}"


def _dossier_with_key(key: str) -> Dossier | None:
    return Dossier.objects.filter(idempotency_key=key).first()


def _field_problem(status: int, field: str, message: str) -> HttpResponse:
    return problem_response(status, message, errors=[{"field": field, "message": message}])


@router.post(
    "",
    response={200: DossierCreatedOut, 201: DossierCreatedOut},
    summary="Tiếp nhận hồ sơ tại quầy (cần tiêu đề Idempotency-Key)",
)
def dossier_intake(request: HttpRequest, body: IntakeIn) -> Any:
    """Record a dossier brought to the counter. A retry with the same Idempotency-Key returns the same dossier
    (200) instead of recording a second one (201 the first time)."""
    key = _idempotency_key(request)
    existing = _dossier_with_key(key)
    if existing is not None:
        return Status(200, created_out(existing))

    version = procedure_version_for_code(code=body.procedure_code, parts=False)
    if version is None:
        return _field_problem(
            422, "procedure_code", f"Không tìm thấy thủ tục đang có hiệu lực mã {body.procedure_code}."
        )
    units = Unit.objects.in_bulk([body.receiving_unit_id, body.competent_unit_id])
    for field, unit_id in (
        ("receiving_unit_id", body.receiving_unit_id),
        ("competent_unit_id", body.competent_unit_id),
    ):
        if unit_id not in units:
            return _field_problem(422, field, "Không tìm thấy đơn vị này.")
    known = {c.pk for c in version_parts(version).components}
    unknown = sorted(set(body.provided_component_ids) - known)
    if unknown:
        return _field_problem(
            422, "provided_component_ids", f"Thành phần hồ sơ không thuộc thủ tục: {unknown[:10]}."
        )
    reused: dict[int, DossierResult] = {}
    for item in body.reused_documents:
        if item.component_id not in known:
            return _field_problem(
                422, "reused_documents", f"Thành phần hồ sơ không thuộc thủ tục: {item.component_id}."
            )
        try:
            reused[item.component_id] = reusable_result(
                document_code=item.document_code, id_number=body.applicant.id_number
            )
        except DossierActionError as exc:
            return _field_problem(422, "reused_documents", exc.message)
    intake = Intake(
        procedure_version=version,
        receiving_unit=units[body.receiving_unit_id],
        competent_unit=units[body.competent_unit_id],
        channel=body.channel,
        applicant=body.applicant.data(),
        representative=body.representative.data() if body.representative else None,
        provided_component_ids=frozenset(body.provided_component_ids),
        reused_results=reused,
        idempotency_key=key,
    )
    try:
        # A savepoint: when a concurrent retry with the same key commits first, the unique key refuses this
        # one, everything it wrote is rolled back, and the dossier the other request made is returned.
        with transaction.atomic():
            if body.outcome == "receive":
                dossier = services.dossier_receive(actor=request.user, intake=intake)
            elif body.outcome == "request_supplement":
                dossier = services.dossier_request_supplement_at_reception(
                    actor=request.user, intake=intake, missing=body.missing, reason=body.reason
                )
            else:
                dossier = services.dossier_refuse(actor=request.user, intake=intake, reason=body.reason)
    except DossierActionError as exc:
        return problem_response(exc.status, exc.message)
    except ValueError as exc:  # e.g. a procedure without a time limit
        return problem_response(422, str(exc))
    except IntegrityError:
        existing = _dossier_with_key(key)
        if existing is None:
            raise
        return Status(200, created_out(existing))
    dossier.refresh_from_db()
    return Status(201, created_out(dossier))


# -- actions ---------------------------------------------------------------------------------------------------------
def _act(request: HttpRequest, code: str, run: Callable[[Dossier], Any]) -> Any:
    dossier = selectors.dossier_visible(request.user, code)
    try:
        run(dossier)
    except DossierActionError as exc:
        return problem_response(exc.status, exc.message)
    except ValueError as exc:
        return problem_response(422, str(exc))
    dossier.refresh_from_db()
    return DossierStateOut(**state_fields(dossier))


def _staff_member(user_id: int, unit: Unit) -> Any:
    """The active user with a handling role in `unit` (or above it), or a 422."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not any(
        has_role(user, role, unit) for role in (Role.SPECIALIST, Role.LEADER, Role.RECEPTION_OFFICER)
    ):
        raise HttpError(422, f"Người nhận không phải cán bộ của {unit.name}.")
    return user


_ACTION_RESPONSES = {200: DossierStateOut}


@router.post("/{code}/actions/assign", response=_ACTION_RESPONSES, summary=str(Action.ASSIGN.label))
def dossier_assign(request: HttpRequest, code: str, body: AssignIn) -> Any:
    def run(dossier: Dossier) -> Any:
        assignee = _staff_member(body.assignee_id, dossier.current_unit)
        return services.dossier_assign(
            dossier=dossier, actor=request.user, assignee=assignee, expected_version=body.expected_version
        )

    return _act(request, code, run)


@router.post("/{code}/actions/hand_over", response=_ACTION_RESPONSES, summary=str(Action.HAND_OVER.label))
def dossier_hand_over(request: HttpRequest, code: str, body: HandOverIn) -> Any:
    def run(dossier: Dossier) -> Any:
        to_user = None
        if body.to_user_id is not None:
            to_user = get_user_model().objects.filter(pk=body.to_user_id, is_active=True).first()
            if to_user is None:
                raise HttpError(422, "Không tìm thấy người nhận hồ sơ.")
        return services.dossier_hand_over(
            dossier=dossier,
            actor=request.user,
            to_user=to_user,
            note=body.note,
            expected_version=body.expected_version,
        )

    return _act(request, code, run)


@router.post(
    "/{code}/actions/request_supplement",
    response=_ACTION_RESPONSES,
    summary=str(Action.REQUEST_SUPPLEMENT.label),
)
def dossier_request_supplement(request: HttpRequest, code: str, body: SupplementIn) -> Any:
    return _act(
        request,
        code,
        lambda dossier: services.dossier_request_supplement(
            dossier=dossier,
            actor=request.user,
            missing=body.missing,
            reason=body.reason,
            expected_version=body.expected_version,
        ),
    )


@router.post(
    "/{code}/actions/complete_supplement",
    response=_ACTION_RESPONSES,
    summary=str(Action.COMPLETE_SUPPLEMENT.label),
)
def dossier_complete_supplement(request: HttpRequest, code: str, body: VersionIn) -> Any:
    return _act(
        request,
        code,
        lambda dossier: services.dossier_complete_supplement(
            dossier=dossier, actor=request.user, expected_version=body.expected_version
        ),
    )


@router.post("/{code}/actions/apologise", response=_ACTION_RESPONSES, summary=str(Action.APOLOGISE.label))
def dossier_apologise(request: HttpRequest, code: str, body: ApologyIn) -> Any:
    new_at = body.new_appointment_at
    if timezone.is_naive(new_at):
        new_at = timezone.make_aware(new_at)
    if new_at <= timezone.now():
        return _field_problem(422, "new_appointment_at", "Ngày hẹn mới phải ở tương lai.")
    return _act(
        request,
        code,
        lambda dossier: services.dossier_apologise(
            dossier=dossier,
            actor=request.user,
            reason=body.reason,
            new_appointment_at=new_at,
            expected_version=body.expected_version,
        ),
    )


@router.post("/{code}/actions/resolve", response=_ACTION_RESPONSES, summary=str(Action.RESOLVE.label))
def dossier_resolve(request: HttpRequest, code: str, body: ResolveIn) -> Any:
    if body.document_date > timezone.localdate() or body.document_date < dt.date(1945, 9, 2):
        return _field_problem(422, "document_date", "Ngày ban hành không hợp lệ.")
    document = None
    if body.document_pdf_base64 is not None:
        try:
            document = base64.b64decode(body.document_pdf_base64, validate=True)
        except ValueError:  # binascii.Error, or characters outside ASCII
            return _field_problem(422, "document_pdf_base64", "Tệp kết quả không đúng mã hóa base64.")
        if len(document) > max_upload_bytes():
            limit = max_upload_bytes() // (1024 * 1024)
            return _field_problem(422, "document_pdf_base64", f"Tệp lớn hơn {limit} MB.")
    return _act(
        request,
        code,
        lambda dossier: services.dossier_resolve(
            dossier=dossier,
            actor=request.user,
            document_number=body.document_number,
            document_date=body.document_date,
            summary=body.summary,
            document=document,
            expected_version=body.expected_version,
        ),
    )


@router.post("/{code}/actions/stop", response=_ACTION_RESPONSES, summary=str(Action.STOP.label))
def dossier_stop(request: HttpRequest, code: str, body: ReasonIn) -> Any:
    return _act(
        request,
        code,
        lambda dossier: services.dossier_stop(
            dossier=dossier, actor=request.user, reason=body.reason, expected_version=body.expected_version
        ),
    )


@router.post("/{code}/actions/withdraw", response=_ACTION_RESPONSES, summary=str(Action.WITHDRAW.label))
def dossier_withdraw(request: HttpRequest, code: str, body: ReasonIn) -> Any:
    return _act(
        request,
        code,
        lambda dossier: services.dossier_withdraw(
            dossier=dossier, actor=request.user, reason=body.reason, expected_version=body.expected_version
        ),
    )


@router.post("/{code}/actions/return_result", response=_ACTION_RESPONSES, summary=str(Action.RETURN.label))
def dossier_return_result(request: HttpRequest, code: str, body: ReturnIn) -> Any:
    return _act(
        request,
        code,
        lambda dossier: services.dossier_return(
            dossier=dossier,
            actor=request.user,
            method=body.method,
            address=body.address,
            proof=body.proof,
            expected_version=body.expected_version,
        ),
    )


@router.post("/{code}/actions/receive", response=_ACTION_RESPONSES, summary=str(Action.RECEIVE.label))
def dossier_receive(request: HttpRequest, code: str, body: VersionIn) -> Any:
    return _act(
        request,
        code,
        lambda dossier: services.dossier_receive(
            dossier=dossier, actor=request.user, expected_version=body.expected_version
        ),
    )


@router.post(
    "/{code}/actions/request_supplement_at_reception",
    response=_ACTION_RESPONSES,
    summary=str(Action.REQUEST_SUPPLEMENT_AT_RECEPTION.label),
)
def dossier_request_supplement_at_reception(request: HttpRequest, code: str, body: SupplementIn) -> Any:
    return _act(
        request,
        code,
        lambda dossier: services.dossier_request_supplement_at_reception(
            dossier=dossier,
            actor=request.user,
            missing=body.missing,
            reason=body.reason,
            expected_version=body.expected_version,
        ),
    )


@router.post("/{code}/actions/refuse", response=_ACTION_RESPONSES, summary=str(Action.REFUSE.label))
def dossier_refuse(request: HttpRequest, code: str, body: ReasonIn) -> Any:
    return _act(
        request,
        code,
        lambda dossier: services.dossier_refuse(
            dossier=dossier, actor=request.user, reason=body.reason, expected_version=body.expected_version
        ),
    )


@router.post("/{code}/actions/{action}", include_in_schema=False)
def dossier_unknown_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    # Registered last: only an action the table does not know reaches it (a problem+json 404, not Django's page).
    return problem_response(404, "Không có thao tác này.")
