"""Every change to a draft, and its submission as a dossier (nộp hồ sơ trực tuyến, Decree 118/2025 Art. 16)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import IO, Any

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.catalog.models import Component, OnlineLevel, ProcedureVersion
from cchc.citizens.selectors import identity_verified_for
from cchc.core.blobs import blob_store
from cchc.dossiers import services as dossier_services
from cchc.dossiers.models import Channel, DeliveryMethod, Dossier, DossierComponent
from cchc.orgs.models import Unit
from cchc.signing.checks import upload_signature_refusal
from cchc.submissions.models import Draft, DraftFile
from cchc.submissions.routing import competent_units, receiving_unit_for

PARTY_FIELDS = tuple(f.name for f in dataclasses.fields(dossier_services.PartyData))


class DraftError(ValueError):
    """The draft cannot take this change or be submitted; the message is for the citizen (Vietnamese)."""


def _editable(draft: Draft) -> None:
    if draft.submitted:
        raise DraftError(_("Hồ sơ này đã được nộp, không thể sửa."))


def online_allowed(version: ProcedureVersion) -> bool:
    """Whether the version is offered online, fully or partly (toàn trình, một phần)."""
    return version.online_level in (OnlineLevel.FULL, OnlineLevel.PARTIAL)


def draft_create(*, owner: Any, version: ProcedureVersion, prefill: dict[str, Any] | None = None) -> Draft:
    """Start a draft for `version`, pre-filled from the citizen's profile."""
    if not online_allowed(version):
        raise DraftError(_("Thủ tục này chưa cung cấp dịch vụ công trực tuyến."))
    applicant = {k: v for k, v in (prefill or {}).items() if k in PARTY_FIELDS and v not in (None, "")}
    if isinstance(applicant.get("birth_date"), dt.date):
        applicant["birth_date"] = applicant["birth_date"].isoformat()
    units = competent_units(version)
    return Draft.objects.create(
        owner=owner,
        procedure_version=version,
        applicant=applicant,
        competent_unit=units[0] if len(units) == 1 else None,
    )


def draft_save_applicant(*, draft: Draft, applicant: dict[str, Any], competent_unit: Unit) -> Draft:
    _editable(draft)
    if competent_unit.pk not in {u.pk for u in competent_units(draft.procedure_version)}:
        raise DraftError(_("Cơ quan này không giải quyết thủ tục đã chọn."))
    data = {k: v for k, v in applicant.items() if k in PARTY_FIELDS}
    if isinstance(data.get("birth_date"), dt.date):
        data["birth_date"] = data["birth_date"].isoformat()
    draft.applicant = data
    draft.competent_unit = competent_unit
    draft.save(update_fields=["applicant", "competent_unit", "updated_at"])
    return draft


def draft_attach(*, draft: Draft, component: Component, upload: IO[bytes], filename: str) -> DraftFile:
    """Store the upload (validated, by SHA-256) as the file for `component`, replacing any earlier one."""
    _editable(draft)
    if component.version_id != draft.procedure_version_id:
        raise DraftError(_("Giấy tờ này không thuộc thủ tục của hồ sơ."))
    if refusal := upload_signature_refusal(upload):
        raise DraftError(refusal)
    blob = blob_store(upload)
    stored, _created = DraftFile.objects.update_or_create(
        draft=draft,
        component=component,
        defaults={
            "blob_name": blob.name,
            "sha256": blob.sha256,
            "size": blob.size,
            "content_type": blob.content_type,
            "original_name": filename[:255],
        },
    )
    Draft.objects.filter(pk=draft.pk).update(updated_at=timezone.now())
    return stored


def draft_detach(*, draft: Draft, component_id: int) -> None:
    _editable(draft)
    DraftFile.objects.filter(draft=draft, component_id=component_id).delete()


def draft_save_return(*, draft: Draft, method: str, address: str) -> Draft:
    """How the result is returned (Art. 22): at the counter, by post to an address, or online."""
    _editable(draft)
    if method not in DeliveryMethod.values:
        raise DraftError(_("Hãy chọn hình thức nhận kết quả."))
    if method == DeliveryMethod.POST and not address.strip():
        raise DraftError(_("Nhận qua bưu chính cần địa chỉ nhận."))
    draft.return_method = method
    draft.return_address = address.strip() if method == DeliveryMethod.POST else ""
    draft.save(update_fields=["return_method", "return_address", "updated_at"])
    return draft


def draft_problems(draft: Draft) -> list[str]:
    """What still stops the draft from being submitted, in Vietnamese (empty when it can be submitted)."""
    problems = []
    if not draft.applicant.get("full_name") or draft.competent_unit_id is None:
        problems.append(_("Chưa nhập thông tin người nộp và cơ quan giải quyết."))
    if not draft.files.exists():
        problems.append(_("Chưa đính kèm giấy tờ nào."))
    if not draft.return_method:
        problems.append(_("Chưa chọn hình thức nhận kết quả."))
    return problems


def _party(data: dict[str, Any]) -> dossier_services.PartyData:
    values: dict[str, Any] = {k: data[k] for k in PARTY_FIELDS if data.get(k) not in (None, "")}
    if isinstance(values.get("birth_date"), str):
        values["birth_date"] = dt.date.fromisoformat(values["birth_date"])
    return dossier_services.PartyData(**values)


def draft_submit(*, draft: Draft, at: dt.datetime | None = None) -> Dossier:
    """Submit the draft as an online dossier (channel 2), once.

    Idempotent: the draft's key is the dossier's idempotency key, so a double click, a retried request or two
    tabs submitting at once make one dossier; every later call returns it. The dossier waits in the reception
    queue; the clock starts when reception accepts it (Art. 17(3)).
    """
    key = f"portal-draft:{draft.key}"
    existing = Dossier.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    _editable(draft)
    problems = draft_problems(draft)
    if problems:
        raise DraftError(" ".join(problems))
    assert draft.competent_unit is not None
    files = {f.component_id: (f.blob_name, f.sha256) for f in draft.files.all()}
    applicant = _party(draft.applicant)
    intake = dossier_services.Intake(
        procedure_version=draft.procedure_version,
        receiving_unit=receiving_unit_for(draft.competent_unit),
        competent_unit=draft.competent_unit,
        channel=Channel.ONLINE,
        applicant=applicant,
        provided_component_ids=frozenset(files),
        citizen=draft.owner,
        applicant_identity_verified=identity_verified_for(draft.owner, applicant.id_number),
        component_files=files,
        return_method=draft.return_method,
        return_address=draft.return_address,
        idempotency_key=key,
    )
    try:
        with transaction.atomic():
            dossier = dossier_services.dossier_submit(intake=intake, actor=draft.owner, at=at)
            Draft.objects.filter(pk=draft.pk, dossier__isnull=True).update(dossier=dossier)
    except IntegrityError:
        # A concurrent submission of the same draft committed first: the unique key refused this one.
        existing = Dossier.objects.filter(idempotency_key=key).first()
        if existing is None:
            raise
        return existing
    draft.dossier = dossier
    return dossier


DRAFT_RETENTION_DAYS = 90  # ours: an untouched draft is personal data kept for nothing (Decree 13/2023)


@dataclass(frozen=True)
class PurgeReport:
    drafts: int
    files: int


def drafts_purge(
    *, older_than_days: int = DRAFT_RETENTION_DAYS, now: dt.datetime | None = None
) -> PurgeReport:
    """Delete drafts never submitted and untouched for `older_than_days`, and the stored files no draft or
    dossier points to any more. Submitted drafts stay with their dossier; dossier files are never deleted."""
    moment = now or timezone.now()
    stale = Draft.objects.filter(
        dossier__isnull=True, updated_at__lt=moment - dt.timedelta(days=older_than_days)
    )
    candidates = set(DraftFile.objects.filter(draft__in=stale).values_list("blob_name", flat=True))
    _total, by_model = stale.delete()
    still_used = set(DraftFile.objects.filter(blob_name__in=candidates).values_list("blob_name", flat=True))
    still_used |= set(DossierComponent.objects.filter(file__in=candidates).values_list("file", flat=True))
    removed = 0
    for name in sorted(candidates - still_used):
        if default_storage.exists(name):
            default_storage.delete(name)
            removed += 1
    return PurgeReport(drafts=by_model.get(Draft._meta.label, 0), files=removed)
