"""Every change the national portal adapter makes (docs/national-portal.md).

- `message_record`: a dossier's national status changed; the message is written in that change's transaction.
- `messages_send_due`: `cchc national_sync` sends what is due, in order per dossier; a failure waits 1, 2, 4 …
  minutes (up to 6 hours) and stays visible; after MAX_ATTEMPTS, or at once when the portal refuses the content,
  the message is failed and waits for a person (`message_resend`). The moves follow MESSAGE_TRANSITIONS.
- `catalog_pull`: procedure updates become drafts of the catalog, for the province to review and publish.
- `filings_receive`: dossiers filed on the national portal become online dossiers waiting for reception.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import io
import logging
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from cchc.catalog.exchange import procedures_import
from cchc.catalog.selectors import procedure_version_for_code, version_parts
from cchc.core.blobs import BlobError, blob_store
from cchc.core.http import retry_wait
from cchc.dossiers import services as dossier_services
from cchc.dossiers.lifecycle import Action, DossierActionError
from cchc.dossiers.models import Channel, DossierEvent
from cchc.nationalportal.client import NationalPortal, PortalError
from cchc.nationalportal.models import (
    MESSAGE_TRANSITIONS,
    CatalogPull,
    FilingState,
    InboundFiling,
    Message,
    MessageKind,
    MessageState,
)
from cchc.nationalportal.payloads import is_synced, national_status, status_payload
from cchc.nationalportal.results import result_body, result_payload
from cchc.orgs.models import Unit
from cchc.signing.checks import signature_refusal
from cchc.submissions.forms import ApplicantForm, ReturnForm
from cchc.submissions.routing import competent_units, receiving_unit_for
from cchc.submissions.services import online_allowed

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 12  # about 10 hours of retries; then a person decides (message_resend)
BATCH = 200


class ResendError(ValueError):
    """The message cannot be put back in the queue; the message is for the user."""


def _move(message: Message, to: str) -> None:
    if to not in MESSAGE_TRANSITIONS[message.state]:
        raise ValueError(f"portal message {message.pk}: {message.state} -> {to} is not a move of the table")
    message.state = to


def message_record(event: DossierEvent) -> Message | None:
    """The status message of a history event, when the national portal must hear of it; in its transaction.

    A returned electronic result is also queued for the citizen's store (Art. 22), after the status."""
    if not is_synced(event):
        return None
    dossier = event.dossier
    status = national_status(event.state_after)
    message = Message.objects.create(
        dossier=dossier,
        unit_id=dossier.competent_unit_id,
        kind=MessageKind.STATUS,
        seq=event.seq,
        national_status=status,
        payload=status_payload(event, dossier),
        created_at=event.at,
    )
    if event.action == Action.RETURN and (stored := result_payload(dossier)) is not None:
        Message.objects.create(
            dossier=dossier, unit_id=dossier.competent_unit_id, kind=MessageKind.RESULT, seq=event.seq,
            national_status=status, payload=stored, created_at=event.at,
        )  # fmt: skip
    return message


@dataclass(frozen=True)
class SendReport:
    delivered: int = 0
    failed: int = 0  # tried and not taken this run (to be retried, or now waiting for a person)
    waiting: int = 0  # behind an earlier message of the same dossier not yet delivered


def _send(portal: NationalPortal, message: Message) -> None:
    if message.kind == MessageKind.RESULT:
        try:
            body = result_body(message)
        except BlobError as error:  # the stored file is gone or altered: a person must look
            raise PortalError(str(error), refused=True) from error
        portal.put_result(body)
    else:
        portal.put_status(message.payload)


def messages_send_due(*, portal: NationalPortal, now: dt.datetime) -> SendReport:
    """Send the due messages, oldest first; a dossier's later message never overtakes an undelivered one."""
    delivered = failed = waiting = 0
    held: set[int] = set()  # dossiers with an earlier message not delivered
    due = Message.objects.filter(state=MessageState.PENDING).exclude(next_try_at__gt=now).order_by("pk")
    for pk, dossier_id in list(due.values_list("pk", "dossier_id")[:BATCH]):
        if dossier_id in held:
            waiting += 1
            continue
        with transaction.atomic():
            message = (
                Message.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, state=MessageState.PENDING)
                .first()
            )
            if message is None:  # another worker took it
                continue
            earlier = (
                Message.objects.filter(dossier_id=dossier_id, pk__lt=pk)
                .exclude(state=MessageState.DELIVERED)
                .exists()
            )
            if earlier:
                held.add(dossier_id)
                waiting += 1
                continue
            message.attempts += 1
            try:
                _send(portal, message)
            except PortalError as error:
                message.last_error = str(error)[:500]
                if error.refused or message.attempts >= MAX_ATTEMPTS:
                    _move(message, MessageState.FAILED)
                    message.next_try_at = None
                else:
                    message.next_try_at = now + retry_wait(message.attempts)
                message.save(update_fields=["state", "attempts", "last_error", "next_try_at"])
                logger.warning("portal message %s not taken (attempt %s): %s", pk, message.attempts, error)
                held.add(dossier_id)
                failed += 1
                continue
            _move(message, MessageState.DELIVERED)
            message.delivered_at, message.last_error, message.next_try_at = now, "", None
            message.save(update_fields=["state", "attempts", "delivered_at", "last_error", "next_try_at"])
            delivered += 1
    return SendReport(delivered=delivered, failed=failed, waiting=waiting)


@transaction.atomic
def message_resend(*, message: Message, actor: Any, now: dt.datetime) -> Message:
    """Put a failed message back in the queue, to be sent at the next run (gửi lại thủ công)."""
    locked = Message.objects.select_for_update().get(pk=message.pk)
    if MessageState.PENDING not in MESSAGE_TRANSITIONS[locked.state]:
        raise ResendError(_("Chỉ gửi lại được thông điệp đang lỗi."))
    _move(locked, MessageState.PENDING)
    locked.next_try_at, locked.resent_by, locked.resent_at = None, actor, now
    locked.attempts = 0
    locked.save(update_fields=["state", "next_try_at", "resent_by", "resent_at", "attempts"])
    return locked


# -- catalog --------------------------------------------------------------------------------------------------------
def catalog_cursor() -> str:
    last = CatalogPull.objects.filter(ok=True).exclude(cursor="").order_by("-at", "-pk").first()
    return last.cursor if last else ""


def catalog_pull(*, portal: NationalPortal, now: dt.datetime) -> CatalogPull:
    """Pull the catalog's changes since the last good pull into drafts; a wrong document writes nothing and
    keeps the cursor, so the next pull asks again."""
    since = catalog_cursor()
    try:
        changes = portal.catalog_changes(since)
    except PortalError as error:
        return CatalogPull.objects.create(
            at=now, since=since, cursor=since, ok=False, summary=str(error)[:1000]
        )
    if not changes.count:
        return CatalogPull.objects.create(
            at=now, since=since, cursor=changes.cursor, ok=True, summary=_("Không có thay đổi.")
        )
    report = procedures_import(source=changes.document, fmt="json", publish=False)
    if not report.ok:
        details = "; ".join(str(error) for error in report.errors[:5])
        return CatalogPull.objects.create(
            at=now, since=since, cursor=since, ok=False, summary=f"{report.summary()} {details}"[:1000]
        )
    return CatalogPull.objects.create(
        at=now, since=since, cursor=changes.cursor, ok=True, summary=report.summary()
    )


# -- dossiers filed on the national portal ----------------------------------------------------------------------------
class FilingRefused(ValueError):
    """The filing cannot become a dossier here; the message (Vietnamese) goes back to the portal."""


@dataclass(frozen=True)
class FilingsReport:
    accepted: int = 0
    rejected: int = 0
    failed: int = 0  # answers the portal did not take (retried at the next run)


def _text(value: Any, limit: int) -> str:
    return value.strip()[:limit] if isinstance(value, str) else ""


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _submitted_at(raw: Any, now: dt.datetime) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(str(raw))
    except ValueError:
        return now
    if moment.tzinfo is None or moment > now:
        return now
    return moment


def _intake(filing: dict[str, Any], national_id: str, now: dt.datetime) -> dossier_services.Intake:
    code = _text(filing.get("procedure_code"), 40)
    version = procedure_version_for_code(code=code, parts=False) if code else None
    if version is None:
        raise FilingRefused(_("Không tìm thấy thủ tục đang có hiệu lực mã %(code)s.") % {"code": code or "–"})
    if not online_allowed(version):
        raise FilingRefused(_("Thủ tục %(code)s không được cung cấp trực tuyến.") % {"code": code})
    agency = _text(filing.get("agency_code"), 40)
    units = [unit for unit in competent_units(version) if unit.identifier and unit.identifier == agency]
    if not units:
        raise FilingRefused(
            _("Cơ quan mã %(agency)s không giải quyết thủ tục %(code)s trên hệ thống của tỉnh.")
            % {"agency": agency or "–", "code": code}
        )
    competent = units[0]
    applicant: dict[str, Any] = _object(filing.get("applicant"))
    form = ApplicantForm(
        data={**{k: v for k, v in applicant.items() if isinstance(v, str)}, "competent_unit": competent.pk},
        units=Unit.objects.filter(pk=competent.pk),
    )
    back = _object(filing.get("return"))
    return_form = ReturnForm(data={"method": back.get("method") or "", "address": back.get("address") or ""})
    problems = [str(e) for errors in (form.errors if not form.is_valid() else {}).values() for e in errors]
    problems += [
        str(e)
        for errors in (return_form.errors if not return_form.is_valid() else {}).values()
        for e in errors
    ]
    if problems:
        raise FilingRefused(" ".join(problems))
    data = form.cleaned_data
    known = {component.name.strip().casefold(): component for component in version_parts(version).components}
    files: dict[int, tuple[str, str]] = {}
    raw_components = filing.get("components")
    attached: list[Any] = raw_components if isinstance(raw_components, list) else []
    for item in attached:
        if not isinstance(item, dict):
            raise FilingRefused(_("Thành phần hồ sơ không đúng định dạng."))
        name = _text(item.get("name"), 500)
        component = known.get(name.casefold())
        if component is None:
            raise FilingRefused(
                _("Thành phần “%(name)s” không thuộc thủ tục %(code)s.") % {"name": name, "code": code}
            )
        try:
            content = base64.b64decode(str(item.get("content_base64") or ""), validate=True)
        except (binascii.Error, ValueError) as error:
            raise FilingRefused(f"{name}: {_('Tệp không đúng mã hóa base64.')}") from error
        if refusal := signature_refusal(content):  # a signed file whose signature is not valid
            raise FilingRefused(f"{name}: {refusal}")
        try:
            stored = blob_store(io.BytesIO(content))
        except BlobError as error:
            raise FilingRefused(f"{name}: {error}") from error
        files[component.pk] = (stored.name, stored.sha256)
    return dossier_services.Intake(
        procedure_version=version,
        receiving_unit=receiving_unit_for(competent),
        competent_unit=competent,
        channel=Channel.ONLINE,
        applicant=dossier_services.PartyData(
            full_name=data["full_name"],
            kind=data["kind"],
            id_number=data.get("id_number") or "",
            phone=data.get("phone") or "",
            email=data.get("email") or "",
            address=data.get("address") or "",
            birth_date=data.get("birth_date"),
        ),
        provided_component_ids=frozenset(files),
        component_files=files,
        return_method=return_form.cleaned_data["method"],
        return_address=return_form.cleaned_data.get("address") or "",
        idempotency_key=f"dvcqg:{national_id}",
    )


def _answer(portal: NationalPortal, record: InboundFiling) -> bool:
    """Tell the portal what became of a filing; False (kept on the record, told again next run) on failure."""
    try:
        if record.state == FilingState.ACCEPTED:
            assert record.dossier is not None
            portal.accept_filing(record.national_id, record.dossier.code)
        else:
            portal.reject_filing(record.national_id, record.reason)
    except PortalError as error:
        record.last_error = str(error)[:500]
        record.save(update_fields=["last_error"])
        return False
    record.acknowledged, record.last_error = True, ""
    record.save(update_fields=["acknowledged", "last_error"])
    return True


def filings_receive(*, portal: NationalPortal, now: dt.datetime) -> FilingsReport:
    """Receive the new filings as online dossiers waiting for reception (Art. 16-17); refuse, with the reason,
    those that cannot be dossiers here. A filing is received once, whatever the portal lists again."""
    accepted = rejected = failed = 0
    try:
        filings = portal.new_filings()
    except PortalError as error:
        logger.warning("national portal filings not read: %s", error)
        return FilingsReport(failed=1)
    for filing in filings:
        national_id = _text(filing.get("id"), 60)
        if not national_id:
            continue
        record = InboundFiling.objects.select_related("dossier").filter(national_id=national_id).first()
        if record is None:
            try:
                with translation.override("vi"):  # the reasons go back to the citizen, in Vietnamese
                    intake = _intake(filing, national_id, now)
                with transaction.atomic():
                    dossier = dossier_services.dossier_submit(
                        intake=intake, at=_submitted_at(filing.get("submitted_at"), now)
                    )
                    record = InboundFiling.objects.create(
                        national_id=national_id, state=FilingState.ACCEPTED, dossier=dossier, received_at=now
                    )
            except (FilingRefused, DossierActionError) as refusal:
                record = InboundFiling.objects.create(
                    national_id=national_id,
                    state=FilingState.REJECTED,
                    reason=str(refusal)[:500],
                    received_at=now,
                )
            except IntegrityError:  # another run received it first
                continue
        if record.acknowledged:
            continue
        if not _answer(portal, record):
            failed += 1
        elif record.state == FilingState.ACCEPTED:
            accepted += 1
        else:
            rejected += 1
    return FilingsReport(accepted=accepted, rejected=rejected, failed=failed)
