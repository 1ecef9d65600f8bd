"""A demo province (tỉnh mẫu): its agencies, one-stop centres, counters and a staff login for every role.

Province 91 is the current Tỉnh An Giang, formed on 01/07/2025 from An Giang and Kiên Giang
(Resolution 202/2025/QH15); the seed articles come from An Giang.

Electronic identifiers (mã định danh điện tử) follow the shape of QCVN 102:2016/BTTTT,
V1V2V3.Z1Z2.Y1Y2.MX1X2 (e.g. 000.00.12.H57), read right to left: MX1X2 the province (level 1), Y1Y2 an
agency under it (level 2), Z1Z2 a unit under that (level 3), V1V2V3 a unit under that (level 4). **The codes
built here are demo values**, derived deterministically from the province code and the order of the units;
the province's official list is not at hand and must replace them before real use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.contrib.auth import get_user_model
from django.db import transaction

from cchc.orgs.models import (
    TWO_LEVEL_START,
    AdministrativeUnit,
    Counter,
    Generation,
    Level,
    Membership,
    Unit,
    UnitKind,
)
from cchc.orgs.roles import Role

# The one demo password; printed by `manage.py demo_province`. Demo data only: never on a real server.
DEMO_PASSWORD = "cchc-demo-2026"  # noqa: S105

# The provincial agencies after the 2025 reorganisation (Decree 150/2025/NĐ-CP on the specialised agencies
# of provincial People's Committees, in force from 01/07/2025, which replaced Decree 24/2014 and 107/2020).
# (slug, short name, name with "{where}" for "tỉnh An Giang")
DEPARTMENTS: tuple[tuple[str, str, str], ...] = (
    ("vanphong", "VP UBND", "Văn phòng Ủy ban nhân dân {where}"),
    ("noivu", "SNV", "Sở Nội vụ {where}"),  # took over Lao động – Thương binh và Xã hội (2025)
    ("tuphap", "STP", "Sở Tư pháp {where}"),
    ("taichinh", "STC", "Sở Tài chính {where}"),  # took over Kế hoạch và Đầu tư (2025)
    ("xaydung", "SXD", "Sở Xây dựng {where}"),  # took over Giao thông vận tải (2025)
    ("nongnghiep", "SNNMT", "Sở Nông nghiệp và Môi trường {where}"),
    ("congthuong", "SCT", "Sở Công Thương {where}"),
    ("yte", "SYT", "Sở Y tế {where}"),
    ("giaoduc", "SGDĐT", "Sở Giáo dục và Đào tạo {where}"),
    ("vanhoa", "SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch {where}"),
    ("khoahoc", "SKHCN", "Sở Khoa học và Công nghệ {where}"),  # took over Thông tin và Truyền thông (2025)
    # Unsure: Decree 150/2025 creates this department only where the ethnic-minority criteria are met;
    # An Giang (large Khmer community) is believed to meet them. Check against the province's decision.
    ("dantoc", "SDTTG", "Sở Dân tộc và Tôn giáo {where}"),
    ("thanhtra", "TTT", "Thanh tra {where}"),
    # Unsure of the exact name after the merger: not a specialised agency but a unit directly under the
    # People's Committee; Kiên Giang's Phú Quốc economic zone had its own board before 2025.
    ("kinhte", "BQLKKT", "Ban Quản lý Khu kinh tế {where}"),
    # Not created: Sở Ngoại vụ (kept only in some provinces under Decree 150/2025; unknown for An Giang).
)

# Counters of the provincial centre, by field (lĩnh vực). The field groups follow the merged departments.
PROVINCE_COUNTERS: tuple[tuple[str, str], ...] = (
    ("Tư pháp", "Hộ tịch; Quốc tịch; Lý lịch tư pháp; Chứng thực; Luật sư; Công chứng"),
    ("Tài chính – Đầu tư", "Thành lập và hoạt động doanh nghiệp; Đầu tư; Quản lý công sản"),
    ("Xây dựng – Giao thông", "Hoạt động xây dựng; Nhà ở; Quy hoạch; Đường bộ; Đường thủy nội địa"),
    ("Nông nghiệp – Môi trường", "Đất đai; Môi trường; Tài nguyên nước; Trồng trọt; Thủy sản"),
    ("Nội vụ – Lao động", "Việc làm; Người có công; Bảo trợ xã hội; Thi đua – khen thưởng"),
    ("Công Thương", "Lưu thông hàng hóa; An toàn thực phẩm; Điện; Hóa chất"),
    ("Y tế – Giáo dục", "Khám bệnh, chữa bệnh; Dược phẩm; Văn bằng, chứng chỉ; Giáo dục"),
    ("Văn hóa – Khoa học", "Văn hóa; Thể thao; Du lịch; Báo chí, xuất bản; Khoa học và công nghệ"),
)

# The commune whose centre gets the demo reception officer (Phường Long Xuyên, the provincial seat).
_RECEPTION_COMMUNE: dict[int, int] = {91: 30307}


class DemoLogin(NamedTuple):
    username: str
    password: str
    role: str
    unit_name: str


@dataclass
class DemoProvince:
    """What `demo_province_create` made (or found, on a second run)."""

    province: AdministrativeUnit
    committee: Unit
    departments: dict[str, Unit]
    centre: Unit
    commune_committees: list[Unit]
    commune_centres: list[Unit]
    logins: list[DemoLogin] = field(default_factory=list)
    created: int = 0
    updated: int = 0


@dataclass
class _Tally:
    created: int = 0
    updated: int = 0


class _UnitSpec(NamedTuple):
    identifier: str
    kind: str
    name: str
    short_name: str
    area_id: int
    parent_identifier: str | None


# (username, family and middle names, given name, role, unit key); the unit key is a department slug,
# "centre" (provincial centre) or "commune_centre".
_STAFF: tuple[tuple[str, str, str, str, str], ...] = (
    ("tiepnhan.tinh", "Nguyễn Thị Thu", "Hà", Role.RECEPTION_OFFICER, "centre"),
    ("tiepnhan.{commune}", "Trần Minh", "Khoa", Role.RECEPTION_OFFICER, "commune_centre"),
    ("chuyenvien.tuphap", "Lê Hoàng", "Phúc", Role.SPECIALIST, "tuphap"),
    ("lanhdao.tuphap", "Phạm Thị Ngọc", "Lan", Role.LEADER, "tuphap"),
    ("chuyenvien.xaydung", "Huỳnh Văn", "Tâm", Role.SPECIALIST, "xaydung"),
    ("lanhdao.xaydung", "Võ Thị Kim", "Ngân", Role.LEADER, "xaydung"),
    # Sở Tài chính decides the business registrations offered online in the demo (e.g. 2.001583).
    ("chuyenvien.taichinh", "Ngô Thanh", "Hải", Role.SPECIALIST, "taichinh"),
    ("lanhdao.taichinh", "Bùi Thị", "Hồng", Role.LEADER, "taichinh"),
    ("quantri.trungtam", "Đặng Quốc", "Bảo", Role.UNIT_ADMIN, "centre"),
    ("noivu.tinh", "Châu Minh", "Trí", Role.HOME_AFFAIRS, "noivu"),
    ("quantri.tinh", "Dương Thị Mỹ", "Linh", Role.PROVINCE_ADMIN, "vanphong"),
)


def _bare_name(name: str, prefixes: tuple[str, ...]) -> tuple[str, str]:
    """("phường", "Long Xuyên") from "Phường Long Xuyên"."""
    for prefix in prefixes:
        if name.startswith(prefix + " "):
            return prefix.lower(), name[len(prefix) + 1 :]
    return "", name


def _identifier(province_code: int, *, level2: int, level3: int = 0, level4: int = 0) -> str:
    """A demo identifier V1V2V3.Z1Z2.Y1Y2.MX1X2 (QCVN 102:2016 shape): not the official code."""
    return f"{level4:03d}.{level3:02d}.{level2:02d}.H{province_code % 100:02d}"


def _unit_specs(province: AdministrativeUnit, communes: list[AdministrativeUnit]) -> list[_UnitSpec]:
    code = province.code
    kind_word, bare = _bare_name(province.name, ("Tỉnh", "Thành phố"))
    where = f"{kind_word} {bare}".strip()
    committee_id = _identifier(code, level2=0)
    specs = [
        _UnitSpec(
            committee_id, UnitKind.PROVINCE_COMMITTEE, f"Ủy ban nhân dân {where}", "UBND", province.pk, None
        )
    ]
    for number, (_slug, short_name, template) in enumerate(DEPARTMENTS, start=1):
        specs.append(
            _UnitSpec(
                _identifier(code, level2=number),
                UnitKind.DEPARTMENT,
                template.format(where=where),
                short_name,
                province.pk,
                committee_id,
            )
        )
    specs.append(
        _UnitSpec(
            _identifier(code, level2=len(DEPARTMENTS) + 1),
            UnitKind.PROVINCE_CENTRE,
            f"Trung tâm Phục vụ hành chính công {where}",
            "TTPVHCC",
            province.pk,
            committee_id,
        )
    )
    # Communes do not fit in the two digits of level 2 (An Giang has 102), so the demo puts them at
    # level 3 under the level-2 groups 30, 31, …: commune n gets Z1Z2 = n % 100 and Y1Y2 = 30 + n // 100.
    for index, commune in enumerate(communes, start=1):
        commune_kind, commune_bare = _bare_name(commune.name, ("Xã", "Phường", "Đặc khu"))
        commune_where = f"{commune_kind} {commune_bare}".strip()
        level2, level3 = 30 + index // 100, index % 100
        commune_id = _identifier(code, level2=level2, level3=level3)
        specs.append(
            _UnitSpec(
                commune_id,
                UnitKind.COMMUNE_COMMITTEE,
                f"Ủy ban nhân dân {commune_where}",
                "UBND",
                commune.pk,
                committee_id,
            )
        )
        specs.append(
            _UnitSpec(
                _identifier(code, level2=level2, level3=level3, level4=1),
                UnitKind.COMMUNE_CENTRE,
                f"Trung tâm Phục vụ hành chính công {commune_where}",
                "TTPVHCC",
                commune.pk,
                commune_id,
            )
        )
    return specs


def _upsert_units(specs: list[_UnitSpec], tally: _Tally) -> dict[str, Unit]:
    """Create or update the units, matched on their identifier; parents before children."""
    existing = {
        unit.identifier: unit for unit in Unit.objects.filter(identifier__in=[s.identifier for s in specs])
    }
    depths = _depths(specs)
    for depth in sorted(set(depths.values())):
        to_create: list[Unit] = []
        to_update: list[Unit] = []
        for spec in specs:
            if depths[spec.identifier] != depth:
                continue
            wanted: dict[str, Any] = {
                "kind": spec.kind,
                "name": spec.name,
                "short_name": spec.short_name,
                "area_id": spec.area_id,
                "parent_id": existing[spec.parent_identifier].pk if spec.parent_identifier else None,
            }
            unit = existing.get(spec.identifier)
            if unit is None:
                to_create.append(Unit(identifier=spec.identifier, valid_from=TWO_LEVEL_START, **wanted))
            elif any(getattr(unit, name) != value for name, value in wanted.items()):
                for name, value in wanted.items():
                    setattr(unit, name, value)
                to_update.append(unit)
        Unit.objects.bulk_create(to_create)
        Unit.objects.bulk_update(to_update, ["kind", "name", "short_name", "area_id", "parent_id"])
        tally.created += len(to_create)
        tally.updated += len(to_update)
        if to_create:
            existing.update(
                {
                    u.identifier: u
                    for u in Unit.objects.filter(identifier__in=[u.identifier for u in to_create])
                }
            )
    return existing


def _depths(specs: list[_UnitSpec]) -> dict[str, int]:
    """How far each unit is from the top of the tree (the province committee is 0)."""
    parents = {spec.identifier: spec.parent_identifier for spec in specs}
    depths: dict[str, int] = {}
    for identifier in parents:
        depth, current = 0, parents[identifier]
        while current is not None:
            depth, current = depth + 1, parents.get(current)
        depths[identifier] = depth
    return depths


def _upsert_counters(*, centre: Unit, commune_centres: list[Unit], tally: _Tally) -> None:
    wanted: dict[tuple[int, int], tuple[str, str]] = {}
    for number, (name, fields_served) in enumerate(PROVINCE_COUNTERS, start=1):
        wanted[(centre.pk, number)] = (f"Quầy {number} – {name}", fields_served)
    for commune_centre in commune_centres:
        wanted[(commune_centre.pk, 1)] = ("Quầy 1 – Tiếp nhận và trả kết quả", "Tất cả lĩnh vực")
    existing = {
        (c.unit_id, c.number): c
        for c in Counter.objects.filter(unit_id__in={unit_id for unit_id, _ in wanted})
    }
    to_create: list[Counter] = []
    to_update: list[Counter] = []
    for (unit_id, number), (name, fields_served) in wanted.items():
        counter = existing.get((unit_id, number))
        if counter is None:
            to_create.append(Counter(unit_id=unit_id, number=number, name=name, fields_served=fields_served))
        elif (counter.name, counter.fields_served) != (name, fields_served):
            counter.name, counter.fields_served = name, fields_served
            to_update.append(counter)
    Counter.objects.bulk_create(to_create)
    Counter.objects.bulk_update(to_update, ["name", "fields_served"])
    tally.created += len(to_create)
    tally.updated += len(to_update)


def _commune_slug(commune: AdministrativeUnit) -> str:
    bare = commune.codename
    for prefix in ("xa_", "phuong_", "dac_khu_"):
        if commune.codename.startswith(prefix):
            bare = commune.codename[len(prefix) :]
            break
    return bare.replace("_", "")


def _upsert_staff(
    *,
    province_code: int,
    departments: dict[str, Unit],
    centre: Unit,
    reception_commune: AdministrativeUnit,
    commune_centre: Unit,
    tally: _Tally,
) -> list[DemoLogin]:
    user_model = get_user_model()
    logins: list[DemoLogin] = []
    first_counter = {
        c.unit_id: c for c in Counter.objects.filter(unit__in=[centre, commune_centre], number=1)
    }
    for username_pattern, first_name, last_name, role, unit_key in _STAFF:
        username = username_pattern.format(commune=_commune_slug(reception_commune))
        if province_code != 91:
            username = f"{username}.{province_code}"
        unit = {"centre": centre, "commune_centre": commune_centre}.get(unit_key) or departments[unit_key]
        user = user_model.objects.filter(username=username).first()
        if user is None:
            user = user_model(username=username, first_name=first_name, last_name=last_name, is_active=True)
            user.set_password(DEMO_PASSWORD)
            user.save()
            tally.created += 1
        counter = first_counter.get(unit.pk) if role == Role.RECEPTION_OFFICER else None
        _membership, made = Membership.objects.get_or_create(
            user=user,
            unit=unit,
            role=role,
            defaults={"counter": counter, "valid_from": TWO_LEVEL_START},
        )
        tally.created += int(made)
        logins.append(DemoLogin(username, DEMO_PASSWORD, str(Role(role).label), unit.name))
    return logins


@transaction.atomic
def demo_province_create(*, province_code: int = 91) -> DemoProvince:
    """Create the demo province's agencies, centres, counters and staff (idempotent).

    Loads the administrative units first when the province is missing (`units_load`). Existing rows are
    matched on the unit identifier, (unit, counter number), the user name and (user, unit, role); an
    existing user's password is left as it is, so a second run changes nothing.
    """
    province = AdministrativeUnit.objects.filter(
        generation=Generation.CURRENT, level=Level.PROVINCE, code=province_code
    ).first()
    if province is None:
        from cchc.orgs.services import units_load

        units_load()
        province = AdministrativeUnit.objects.get(
            generation=Generation.CURRENT, level=Level.PROVINCE, code=province_code
        )
    communes = list(
        AdministrativeUnit.objects.filter(
            generation=Generation.CURRENT, level=Level.COMMUNE, parent=province
        ).order_by("code")
    )
    specs = _unit_specs(province, communes)
    tally = _Tally()
    units = _upsert_units(specs, tally)
    departments = {
        slug: units[specs[number].identifier] for number, (slug, _s, _n) in enumerate(DEPARTMENTS, start=1)
    }
    centre = units[specs[len(DEPARTMENTS) + 1].identifier]
    commune_specs = specs[len(DEPARTMENTS) + 2 :]
    commune_committees = [units[s.identifier] for s in commune_specs[0::2]]
    commune_centres = [units[s.identifier] for s in commune_specs[1::2]]
    _upsert_counters(centre=centre, commune_centres=commune_centres, tally=tally)

    reception_code = _RECEPTION_COMMUNE.get(province_code, communes[0].code)
    reception_index = next(i for i, c in enumerate(communes) if c.code == reception_code)
    logins = _upsert_staff(
        province_code=province_code,
        departments=departments,
        centre=centre,
        reception_commune=communes[reception_index],
        commune_centre=commune_centres[reception_index],
        tally=tally,
    )
    return DemoProvince(
        province=province,
        committee=units[specs[0].identifier],
        departments=departments,
        centre=centre,
        commune_committees=commune_committees,
        commune_centres=commune_centres,
        logins=logins,
        created=tally.created,
        updated=tally.updated,
    )


def demo_home_affairs() -> Any:
    """The demo's Home Affairs officer (the first one), who drafts and decides in the other apps' demo data; None
    without a demo province."""
    return get_user_model().objects.filter(memberships__role=Role.HOME_AFFAIRS).order_by("pk").first()
