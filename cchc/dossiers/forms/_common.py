"""Shared pieces of the official forms: formatting, the heading of Decree 30/2020, and compiling with typst.

User text never becomes typst markup: every value travels as JSON through `sys.inputs` and the templates
insert it as strings, which typst prints literally.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Final

import typst
from django.utils import timezone

from cchc.dossiers.models import Dossier, Party, PartyRole
from cchc.orgs.models import Unit

TEMPLATES = Path(__file__).resolve().parent / "templates"
PDF_STANDARD: Final = "a-2b"  # PDF/A-2b, for archiving (Decree 30/2020 Art. 12, e-documents kept as PDF/A)


def local(moment: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(moment) if moment is not None else None


def fmt_date(moment: dt.datetime | dt.date | None) -> str:
    """dd/mm/yyyy in Asia/Ho_Chi_Minh; "" when there is no date."""
    if moment is None:
        return ""
    if isinstance(moment, dt.datetime):
        moment = timezone.localtime(moment).date()
    return moment.strftime("%d/%m/%Y")


def fmt_datetime(moment: dt.datetime | None) -> str:
    """ "HH:MM, ngày dd/mm/yyyy" in Asia/Ho_Chi_Minh; "" when there is no time."""
    value = local(moment)
    if value is None:
        return ""
    return f"{value:%H:%M}, ngày {value:%d/%m/%Y}"


def user_name(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username()).strip()


def heading(unit: Unit, moment: dt.datetime | dt.date | None) -> dict[str, str]:
    """The agency (top left), and the place and date line "…, ngày dd tháng mm năm yyyy"."""
    if isinstance(moment, dt.datetime):
        day: dt.date = timezone.localtime(moment).date()
    elif isinstance(moment, dt.date):
        day = moment
    else:
        day = timezone.localdate()
    parent = unit.parent.name if unit.parent is not None else ""
    return {
        "parent": parent,
        "agency": unit.name,
        "place": unit.place_name,
        "day": f"{day.day:02d}",
        "month": f"{day.month:02d}",
        "year": str(day.year),
    }


def applicant_of(dossier: Dossier) -> Party | None:
    for party in dossier.parties.all():
        if party.role == PartyRole.APPLICANT:
            return party
    return None


def applicant_data(dossier: Dossier) -> dict[str, str]:
    party = applicant_of(dossier)
    if party is None:
        return {"name": "", "address": "", "phone": "", "email": ""}
    return {"name": party.full_name, "address": party.address, "phone": party.phone, "email": party.email}


def dossier_data(dossier: Dossier) -> dict[str, Any]:
    """What every form of one dossier shows: code, applicant, procedure, units."""
    return {
        "code": dossier.code,
        "applicant": applicant_data(dossier),
        "procedure": dossier.procedure_version.name,
        "receiving_unit": dossier.receiving_unit.name,
        "competent_unit": dossier.competent_unit.name,
        "received_at": fmt_datetime(dossier.received_at),
        "received_on": fmt_date(dossier.received_at),
    }


def render(template: str, data: dict[str, Any]) -> bytes:
    """Compile templates/`template` with `data` (JSON in sys.inputs["data"]) into a PDF/A-2b document."""
    pdf = typst.compile(
        str(TEMPLATES / template),
        root=str(TEMPLATES),
        format="pdf",
        pdf_standards=PDF_STANDARD,
        sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
    )
    assert isinstance(pdf, bytes)
    return pdf
