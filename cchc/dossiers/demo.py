"""Demo dossiers (hồ sơ mẫu) in every state, made through the same services as real work.

They use the demo province (cchc.orgs.demo): the provincial centre receives, Sở Tư pháp handles. The times are
set in the recent past so that some dossiers are due soon, some overdue and some returned on time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from cchc import workdays
from cchc.catalog.models import Procedure
from cchc.catalog.selectors import version_in_force
from cchc.dossiers import services
from cchc.dossiers.forms._common import dossier_data, heading, render
from cchc.dossiers.models import Channel, DeliveryMethod, Dossier, State
from cchc.dossiers.services import Intake, PartyData
from cchc.orgs.models import Unit
from cchc.signing.keystore import local_authority_enabled
from cchc.workdays.calendar import TZ

# Province-level procedures that Sở Tư pháp handles, from the shipped catalog.
DEMO_PROCEDURE_CODES = ("3.000333", "2.000908")
APPLICANTS = (
    ("Nguyễn Văn An", "079203001234", "0912345678"),
    ("Trần Thị Bích Ngọc", "089198002345", "0987654321"),
    ("Lê Hoàng Phúc", "091201003456", "0903123456"),
    ("Phạm Minh Châu", "092199004567", "0938765432"),
    ("Huỳnh Thị Mỹ Linh", "093202005678", "0977111222"),
    ("Võ Quốc Bảo", "094200006789", "0966333444"),
)


@dataclass
class DemoDossiers:
    created: int
    by_state: dict[str, int]


def _morning(working_days_ago: int, hour: int = 9) -> dt.datetime:
    day = workdays.add_working_days(timezone.localdate(), -working_days_ago)
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=TZ)


def _result_document(dossier: Dossier, number: str, leader: Any) -> bytes:
    """A stand-in result for the demo (real results are the documents the unit issues, uploaded when resolving)."""
    return render(
        "result_demo.typ",
        {
            **dossier_data(dossier),
            "heading": heading(dossier.competent_unit, _morning(4, 15)),
            "number": number,
            "officer": leader.get_full_name() or leader.get_username(),
        },
    )


def demo_dossiers_create() -> DemoDossiers:
    """Dossiers in every state for the demo province; does nothing when dossiers already exist."""
    if Dossier.objects.exists():
        return DemoDossiers(0, {})
    users = {u.username: u for u in get_user_model().objects.filter(username__in=_USERNAMES)}
    if set(users) != set(_USERNAMES):
        raise RuntimeError("Chưa có tỉnh mẫu: chạy demo_province trước.")
    reception, specialist, leader = (users[name] for name in _USERNAMES)
    centre = Unit.objects.get(memberships__user=reception)
    justice = Unit.objects.get(memberships__user=leader)
    versions = [
        v
        for code in DEMO_PROCEDURE_CODES
        if (procedure := Procedure.objects.filter(code=code).first())
        and (v := version_in_force(procedure, timezone.localdate()))
    ]
    if not versions:
        raise RuntimeError("Chưa có thủ tục mẫu: chạy import_procedures trước.")
    counter = centre.counters.first()

    def intake(i: int, channel: int = Channel.IN_PERSON) -> Intake:
        name, id_number, phone = APPLICANTS[i % len(APPLICANTS)]
        version = versions[i % len(versions)]
        return Intake(
            procedure_version=version,
            receiving_unit=centre,
            competent_unit=justice,
            channel=channel,
            applicant=PartyData(
                full_name=name, id_number=id_number, phone=phone, address="Phường Long Xuyên, An Giang"
            ),
            provided_component_ids=frozenset(version.components.values_list("pk", flat=True)),
            counter=counter if channel == Channel.IN_PERSON else None,
        )

    def received(i: int, days_ago: int) -> Dossier:
        return services.dossier_receive(actor=reception, intake=intake(i), at=_morning(days_ago))

    def forward(dossier: Dossier, by: Any, at: dt.datetime, to: Any = None) -> Dossier:
        services.dossier_hand_over(
            dossier=dossier, actor=by, to_user=to, expected_version=dossier.version, at=at
        )
        dossier.refresh_from_db()
        return dossier

    made: list[Dossier] = []
    # Online, waiting for acceptance; and one sent back for a supplement at reception.
    made.append(services.dossier_submit(intake=intake(0, Channel.ONLINE), at=_morning(0, 8)))
    made.append(
        services.dossier_request_supplement_at_reception(
            actor=reception,
            intake=intake(1),
            missing=["Bản sao Căn cước"],
            reason="Thiếu giấy tờ tùy thân",
            at=_morning(1),
        )
    )
    # Processing: one fresh, one with the specialist, one overdue.
    made.append(received(2, 0))
    fresh = received(3, 2)
    made.append(forward(fresh, reception, _morning(2, 10), specialist))
    overdue = received(4, 14)
    made.append(forward(overdue, reception, _morning(14, 10), specialist))
    # Waiting for the citizen during processing.
    waiting = forward(received(5, 2), reception, _morning(2, 10), specialist)
    services.dossier_request_supplement(
        dossier=waiting,
        actor=specialist,
        missing=["Bản sao giấy khai sinh"],
        reason="Cần đối chiếu thông tin",
        expected_version=waiting.version,
        at=_morning(1),
    )
    made.append(waiting)
    # Resolved, waiting to be returned; and returned.
    for i, returned in ((6, False), (7, True)):
        dossier = forward(received(i, 6), reception, _morning(6, 10), specialist)
        dossier = forward(dossier, specialist, _morning(5), leader)
        number = f"{100 + i}/STP-LLTP"
        # The returned one ends with an electronic result signed by the leader, when the demo's local signing
        # authority is on (`make demo` sets CCHC_SIGNING_LOCAL_CA=1).
        signed = returned and local_authority_enabled()
        services.dossier_resolve(
            dossier=dossier,
            actor=leader,
            document_number=number,
            document_date=_morning(4).date(),
            document=_result_document(dossier, number, leader) if signed else None,
            expected_version=dossier.version,
            at=_morning(4, 15),
        )
        dossier.refresh_from_db()
        if returned:
            services.dossier_return(
                dossier=dossier,
                actor=reception,
                method=DeliveryMethod.COUNTER,
                expected_version=dossier.version,
                at=_morning(3),
            )
        made.append(dossier)
    # Ended: refused at the counter, stopped and withdrawn.
    made.append(
        services.dossier_refuse(
            actor=reception, intake=intake(8), reason="Không thuộc thẩm quyền", at=_morning(3)
        )
    )
    stopped = received(9, 5)
    services.dossier_stop(
        dossier=stopped,
        actor=leader,
        reason="Theo đề nghị của người nộp",
        expected_version=stopped.version,
        at=_morning(4),
    )
    withdrawn = received(10, 5)
    services.dossier_withdraw(
        dossier=withdrawn,
        actor=reception,
        reason="Công dân rút hồ sơ",
        expected_version=withdrawn.version,
        at=_morning(4),
    )
    made.extend([stopped, withdrawn])
    by_state: dict[str, int] = {}
    for state in Dossier.objects.values_list("state", flat=True):
        label = str(State(state).label)
        by_state[label] = by_state.get(label, 0) + 1
    return DemoDossiers(len(made), by_state)


_USERNAMES = ("tiepnhan.tinh", "chuyenvien.tuphap", "lanhdao.tuphap")
