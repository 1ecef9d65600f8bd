"""What the simulator reads before it starts: the province's units, the procedures offered, the calendar, and
the simulated staff. Everything is read once, into plain values, so the hot loop touches no model."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext as _

from cchc.catalog.models import ProcedureVersion
from cchc.catalog.selectors import published_versions
from cchc.core.folding import fold
from cchc.orgs.models import AdministrativeUnit, Counter, Generation, Level, Unit, UnitKind
from cchc.orgs.selectors import working_hours_of
from cchc.simulator.model import COMMUNE_SHARE_WHEN_BOTH, YearModel
from cchc.workdays.calendar import WorkingHours

# The simulated staff (cán bộ mô phỏng): inactive accounts with no password, named as the actors of the
# simulated history, so simulated dossiers are told apart by `created_by`.
SIM_USERS: tuple[str, ...] = ("mophong.tiepnhan", "mophong.chuyenvien", "mophong.lanhdao")


class SimulationError(Exception):
    """Bad arguments or a province that cannot be simulated; the message is Vietnamese."""


@dataclass(frozen=True)
class Place:
    """A unit as the simulator uses it."""

    id: int
    identifier: str
    name: str
    hours: WorkingHours
    counter_ids: tuple[int, ...]
    area_id: int
    area_name: str


@dataclass(frozen=True)
class FeeLine:
    rule_id: int
    description: str
    amount: int


@dataclass(frozen=True)
class Offer:
    """A procedure version, the weight of its filings, and where it is filed (receiving, competent)."""

    version_id: int
    procedure_id: int
    code: str
    name: str
    amount: Decimal
    unit: str
    cutoff: dt.time | None
    online_share: float
    post_allowed: bool
    fees: tuple[FeeLine, ...]
    weight: float
    province_routes: tuple[tuple[Place, Place], ...]
    commune_share: float  # share filed at a commune (the rest at the province)


@dataclass(frozen=True)
class World:
    province: AdministrativeUnit
    departments: tuple[Place, ...]
    communes: tuple[tuple[Place, Place], ...]  # (centre, committee)
    offers: tuple[Offer, ...]
    actors: dict[str, int]  # "reception", "specialist", "leader" → user id


def _place(unit: Unit, counters: dict[int, list[int]]) -> Place:
    return Place(
        id=unit.pk,
        identifier=unit.identifier or f"DV{unit.pk:05d}",
        name=unit.name,
        hours=working_hours_of(unit),
        counter_ids=tuple(counters.get(unit.pk, ())),
        area_id=unit.area_id,
        area_name=unit.area.name,
    )


def province_find(code: int | None) -> AdministrativeUnit:
    """The province to fill: the one given, or the only one installed (the demo province, 91, when several)."""
    centres = Unit.objects.filter(kind=UnitKind.PROVINCE_CENTRE).select_related("area")
    installed = {unit.area.code: unit.area for unit in centres if unit.area.level == Level.PROVINCE}
    if code is not None:
        province = AdministrativeUnit.objects.filter(
            generation=Generation.CURRENT, level=Level.PROVINCE, code=code
        ).first()
        if province is None:
            raise SimulationError(_("Không có tỉnh, thành phố mã %(code)s.") % {"code": code})
        if code not in installed:
            raise SimulationError(
                _(
                    "Tỉnh %(name)s (mã %(code)s) chưa được cài đặt cơ quan, đơn vị: chạy “cchc demo --province %(code)s” trước."
                )
                % {"name": province.name, "code": code}
            )
        return installed[code]
    if not installed:
        raise SimulationError(_("Chưa có tỉnh nào được cài đặt: chạy “cchc demo” trước."))
    if len(installed) == 1:
        return next(iter(installed.values()))
    if 91 in installed:
        return installed[91]
    raise SimulationError(_("Có nhiều tỉnh được cài đặt: hãy chọn một tỉnh bằng --province."))


def _agency_key(name: str) -> str:
    """ "Sở Tư pháp tỉnh An Giang" → "so tu phap", to match the catalog's agency text (as the portal does)."""
    text = f" {fold(name)} "
    for word in (" tinh ", " thanh pho "):
        text = text.split(word)[0]
    return text.strip()


def _versions(day: dt.date) -> list[ProcedureVersion]:
    """The published versions in force at the simulation's end, or today (the demo publishes them today)."""
    found = list(published_versions(on=day).prefetch_related("fees"))
    return found or list(published_versions().prefetch_related("fees"))


def world_load(*, province: AdministrativeUnit, model: YearModel, on: dt.date) -> World:
    units = list(
        Unit.objects.filter(Q(area=province) | Q(area__parent=province))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .select_related("area", "working_schedule")
        .order_by("pk")
    )
    counters: dict[int, list[int]] = {}
    for unit_id, counter_id in (
        Counter.objects.filter(unit__in=units, active=True)
        .order_by("unit_id", "number")
        .values_list("unit_id", "pk")
    ):
        counters.setdefault(unit_id, []).append(counter_id)
    places = {unit.pk: _place(unit, counters) for unit in units}
    centre = next((places[u.pk] for u in units if u.kind == UnitKind.PROVINCE_CENTRE), None)
    departments = [u for u in units if u.kind in (UnitKind.DEPARTMENT, UnitKind.PROVINCE_COMMITTEE)]
    committees = {u.pk: u for u in units if u.kind == UnitKind.COMMUNE_COMMITTEE}
    communes = tuple(
        (places[u.pk], places[u.parent_id])
        for u in units
        if u.kind == UnitKind.COMMUNE_CENTRE and u.parent_id in committees
    )
    if centre is None or not departments:
        raise SimulationError(
            _("Tỉnh %(name)s chưa có Trung tâm Phục vụ hành chính công hoặc sở, ngành.")
            % {"name": province.name}
        )
    offers: list[Offer] = []
    rates = model.rates
    for version in _versions(on):
        if version.time_limit_amount is None or not version.time_limit_unit:
            continue  # a dossier cannot be received without a time limit (cchc.dossiers.deadlines.limit_due)
        if not (version.level_province or (version.level_commune and communes)):
            continue
        routes: list[tuple[Place, Place]] = []
        if version.level_province:
            agency = f" {version.agency_folded or fold(version.agency)} "
            matching = [
                u for u in departments if _agency_key(u.name) and f" {_agency_key(u.name)} " in agency
            ]
            chosen = (
                matching or [u for u in departments if u.kind == UnitKind.PROVINCE_COMMITTEE] or departments
            )
            routes = [(centre, places[u.pk]) for u in chosen]
        commune_share = 0.0
        if version.level_commune and communes:
            commune_share = COMMUNE_SHARE_WHEN_BOTH if routes else 1.0
        level = version.online_level
        online = rates.online_full if level == "full" else rates.online_partial if level == "partial" else 0.0
        fees = tuple(
            FeeLine(fee.pk, fee.case or str(fee.get_kind_display()), int(fee.amount_vnd))
            for fee in version.fees.all()
            if fee.amount_vnd is not None
        )
        code = version.procedure.code
        offers.append(
            Offer(
                version_id=version.pk,
                procedure_id=version.procedure_id,
                code=code,
                name=version.name,
                amount=version.time_limit_amount,
                unit=version.time_limit_unit,
                cutoff=version.time_limit_cutoff,
                online_share=online if version.method_online or online else 0.0,
                post_allowed=version.method_post,
                fees=fees,
                weight=model.procedure_weights.get(code, 1.0),
                province_routes=tuple(routes),
                commune_share=commune_share,
            )
        )
    if not offers:
        raise SimulationError(
            _("Chưa có thủ tục nào được công bố có thời hạn giải quyết: chạy “cchc demo” trước.")
        )
    return World(
        province=province,
        departments=tuple(places[u.pk] for u in departments),
        communes=communes,
        offers=tuple(offers),
        actors=sim_users(),
    )


def sim_users() -> dict[str, int]:
    """The simulated staff accounts (created once, inactive, without a usable password)."""
    model = get_user_model()
    ids: dict[str, int] = {}
    for key, username in zip(("reception", "specialist", "leader"), SIM_USERS, strict=True):
        user = model.objects.filter(username=username).first()
        if user is None:
            user = model(username=username, first_name="Cán bộ", last_name="mô phỏng", is_active=False)
            user.set_unusable_password()
            user.save()
        ids[key] = user.pk
    return ids
