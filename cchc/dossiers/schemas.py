"""Request and response schemas of the dossier API (/api/v1/dossiers)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils import timezone
from ninja import Field, Schema
from pydantic import AfterValidator, StringConstraints, field_validator

from cchc.dossiers import selectors
from cchc.dossiers.services import PartyData

MAX_ID = 2**31 - 1  # beyond a database integer: answered as "not found", never as a database error


# -- input types ---------------------------------------------------------------------------------------------------
def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("Không được chứa ký tự NUL.")
    return value


_NO_NUL = AfterValidator(_no_nul)


def _limit(max_length: int, min_length: int = 0) -> StringConstraints:
    return StringConstraints(strip_whitespace=True, max_length=max_length, min_length=min_length)


Name = Annotated[str, _limit(255, 1), _NO_NUL]
Code = Annotated[str, _limit(40, 1), _NO_NUL]
DocumentNumber = Annotated[str, _limit(80, 1), _NO_NUL]
Short = Annotated[str, _limit(255), _NO_NUL]
Address = Annotated[str, _limit(500), _NO_NUL]
Email = Annotated[str, _limit(254), _NO_NUL]
Reason = Annotated[str, _limit(2000), _NO_NUL]
MissingItem = Annotated[str, _limit(500, 1), _NO_NUL]
Missing = Annotated[list[MissingItem], Field(max_length=50)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class PartyIn(Schema):
    full_name: Name
    kind: Literal["individual", "organisation"] = "individual"
    id_number: Annotated[str, Field(pattern=r"^[0-9A-Za-z]{0,20}$")] = ""
    phone: Annotated[str, Field(pattern=r"^\+?[0-9 .\-]{0,20}$", max_length=20)] = ""
    email: Email = ""
    address: Address = ""
    birth_date: dt.date | None = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if value:
            try:
                validate_email(value)
            except DjangoValidationError as exc:
                raise ValueError("Địa chỉ thư điện tử không hợp lệ.") from exc
        return value

    @field_validator("birth_date")
    @classmethod
    def _born(cls, value: dt.date | None) -> dt.date | None:
        if value is not None and not dt.date(1900, 1, 1) <= value <= timezone.localdate():
            raise ValueError("Ngày sinh không hợp lệ.")
        return value

    def data(self) -> PartyData:
        return PartyData(
            full_name=self.full_name,
            kind=self.kind,
            id_number=self.id_number,
            phone=self.phone,
            email=self.email,
            address=self.address,
            birth_date=self.birth_date,
        )


class ReusedIn(Schema):
    """A component taken from the citizen's store: the document code of an earlier electronic result."""

    component_id: Id
    document_code: Annotated[str, Field(min_length=1, max_length=80)]


class IntakeIn(Schema):
    """A dossier brought to the counter: received, sent back for a supplement (Mẫu 02) or refused (Mẫu 03)."""

    procedure_code: Code
    receiving_unit_id: Id
    competent_unit_id: Id
    channel: Literal[1, 3] = Field(1, description="1: trực tiếp, 3: bưu chính công ích")
    applicant: PartyIn
    representative: PartyIn | None = None
    provided_component_ids: Annotated[list[Id], Field(max_length=200)] = []
    reused_documents: Annotated[list[ReusedIn], Field(max_length=200)] = []
    outcome: Literal["receive", "request_supplement", "refuse"]
    missing: Missing = []
    reason: Reason = ""


class VersionIn(Schema):
    expected_version: Id = Field(description="Phiên bản hồ sơ người dùng đang xem (chống ghi đè).")


class AssignIn(VersionIn):
    assignee_id: Id


class HandOverIn(VersionIn):
    to_user_id: Id | None = None
    note: Reason = ""


class SupplementIn(VersionIn):
    missing: Missing
    reason: Reason = ""


class ReasonIn(VersionIn):
    reason: Reason = ""


class ApologyIn(VersionIn):
    reason: Reason
    new_appointment_at: dt.datetime


class ResolveIn(VersionIn):
    document_number: DocumentNumber
    document_date: dt.date
    summary: Reason = ""
    # The result as a PDF, base64: signed with the caller's certificate (Decree 118/2025 Art. 22).
    document_pdf_base64: Annotated[str, StringConstraints(max_length=14_000_000)] | None = Field(
        None, description="Kết quả điện tử (PDF, mã hóa base64), sẽ được ký số bằng chứng thư của người gọi."
    )


class ReturnIn(VersionIn):
    method: Literal["counter", "post", "online"] = "counter"
    address: Address = ""
    proof: Short = ""


class WorklistQuery(Schema):
    kind: selectors.WorklistKind = "unit"
    page: int = Field(1, ge=1, le=10_000)
    per_page: int = Field(50, ge=1, le=selectors.MAX_PER_PAGE)


# -- output types ----------------------------------------------------------------------------------------------------
class DossierRowOut(Schema):
    pk: int
    code: str
    procedure_name: str
    applicant_name: str
    applicant_id_masked: str
    state: str
    state_label: str
    appointment_at: dt.datetime | None
    days_left: int | None = Field(description="Số ngày làm việc còn lại; số âm: số ngày làm việc đã quá hạn.")
    overdue: bool
    current_unit_name: str


class WorklistOut(Schema):
    kind: str
    page: int
    per_page: int
    has_next: bool
    rows: list[DossierRowOut]


class UnitRef(Schema):
    id: int
    name: str


class UserRef(Schema):
    id: int
    name: str


class ProcedureRef(Schema):
    code: str
    name: str
    version: int


class PartyOut(Schema):
    role: str
    kind: str
    full_name: str
    id_number_masked: str
    birth_date: dt.date | None
    phone: str
    email: str
    address: str


class ComponentOut(Schema):
    id: int
    catalog_component_id: int | None
    name: str
    quantity: int
    provided: bool
    digitised: bool
    reused: bool
    has_file: bool


class FeeOut(Schema):
    description: str
    amount_vnd: int
    paid_at: dt.datetime | None
    receipt_number: str


class StepOut(Schema):
    order: int
    name: str
    role: str
    unit: UnitRef
    share: float
    started_at: dt.datetime | None
    due_at: dt.datetime | None
    finished_at: dt.datetime | None
    outcome: str


class HandOverOut(Schema):
    at: dt.datetime
    from_unit: UnitRef
    from_user: UserRef | None
    to_unit: UnitRef
    to_user: UserRef | None
    outcome: str
    note: str


class SupplementRequestOut(Schema):
    stage: str
    requested_at: dt.datetime
    missing: list[Any]
    reason: str
    completed_at: dt.datetime | None


class ApologyOut(Schema):
    issued_at: dt.datetime
    reason: str
    previous_appointment_at: dt.datetime
    new_appointment_at: dt.datetime


class ResultOut(Schema):
    document_number: str
    document_date: dt.date
    summary: str
    document_code: str  # mã số giấy tờ of an electronic result, "" otherwise


class DeliveryOut(Schema):
    method: str
    address: str
    delivered_at: dt.datetime
    proof: str


class EventOut(Schema):
    seq: int
    action: str
    actor: UserRef | None
    at: dt.datetime
    state_before: str
    state_after: str
    changes: dict[str, Any]


class DayCountsOut(Schema):
    appointment_at: dt.datetime | None = Field(description="Ngày hẹn trả theo pháp luật (hiện hành).")
    original_appointment_at: dt.datetime | None = Field(
        description="Ngày hẹn trả ban đầu (dùng cho thống kê)."
    )
    on_time: bool | None = Field(
        description="Đúng hạn theo quy tắc thống kê quốc gia; null nếu chưa tiếp nhận."
    )
    working_hours_used: float
    working_hours_left: float


class DossierStateOut(Schema):
    """What an action leaves: the dossier's state and the version to send with the next action."""

    code: str
    state: str
    state_label: str
    version: int
    appointment_at: dt.datetime | None


class DossierCreatedOut(DossierStateOut):
    id: int
    lookup_key: str
    received_at: dt.datetime | None
    original_appointment_at: dt.datetime | None


class DossierDetailOut(DossierStateOut):
    id: int
    lookup_key: str
    procedure: ProcedureRef
    channel: int
    receiving_unit: UnitRef
    competent_unit: UnitRef
    current_unit: UnitRef
    assignee: UserRef | None
    actions: list[str] = Field(description="Các thao tác bảng vòng đời cho phép ở trạng thái hiện tại.")
    submitted_at: dt.datetime | None
    received_at: dt.datetime | None
    resolved_at: dt.datetime | None
    returned_at: dt.datetime | None
    ended_at: dt.datetime | None
    end_reason: str
    parties: list[PartyOut]
    components: list[ComponentOut]
    fees: list[FeeOut]
    steps: list[StepOut]
    hand_overs: list[HandOverOut]
    supplement_requests: list[SupplementRequestOut]
    apology: ApologyOut | None
    result: ResultOut | None
    delivery: DeliveryOut | None
    events: list[EventOut]
    day_counts: DayCountsOut
