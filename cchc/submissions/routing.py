"""Where an online dossier goes: the agency that decides it and the one-stop unit that receives it.

Since the two-level local government (1 July 2025), province-level procedures are received by the province's
Public Administration Service Centre and decided by a department (or the province People's Committee);
commune-level ones by the commune's centre and its People's Committee (Decree 118/2025 Art. 7-8, verify).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from cchc.catalog.models import ProcedureVersion
from cchc.core.folding import fold
from cchc.orgs.models import Unit, UnitKind

_PLACE_WORDS = (" tinh ", " thanh pho ")


def _current(queryset: QuerySet[Unit]) -> QuerySet[Unit]:
    today = timezone.localdate()
    return queryset.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today)).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today)
    )


def _agency_key(unit: Unit) -> str:
    """ "Sở Tư pháp tỉnh An Giang" → "so tu phap": the name without its place, to match the catalog's agency."""
    text = f" {fold(unit.name)} "
    for word in _PLACE_WORDS:
        text = text.split(word)[0]
    return text.strip()


def competent_units(version: ProcedureVersion) -> list[Unit]:
    """The agencies a citizen may file this procedure with, best matches first."""
    units: list[Unit] = []
    if version.level_province:
        departments = list(
            _current(
                Unit.objects.filter(kind__in=[UnitKind.DEPARTMENT, UnitKind.PROVINCE_COMMITTEE])
            ).order_by("name")
        )
        agency = f" {version.agency_folded or fold(version.agency)} "
        matching = [u for u in departments if _agency_key(u) and f" {_agency_key(u)} " in agency]
        units.extend(matching or departments)
    if version.level_commune:
        units.extend(_current(Unit.objects.filter(kind=UnitKind.COMMUNE_COMMITTEE)).order_by("name"))
    return units


def receiving_unit_for(competent: Unit) -> Unit:
    """The one-stop unit that receives dossiers for `competent`: the commune's centre for a commune, the
    province's centre otherwise; the agency itself when no centre exists."""
    if competent.kind == UnitKind.COMMUNE_COMMITTEE:
        centre = _current(Unit.objects.filter(kind=UnitKind.COMMUNE_CENTRE, parent=competent)).first()
        return centre or competent
    province_area = competent.area
    while province_area.parent_id is not None:
        province_area = province_area.parent  # type: ignore[assignment]
    centre = _current(
        Unit.objects.filter(kind=UnitKind.PROVINCE_CENTRE).filter(
            Q(area=province_area) | Q(area__parent=province_area)
        )
    ).first()
    return centre or competent
