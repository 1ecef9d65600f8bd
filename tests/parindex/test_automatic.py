"""Automatic criteria read the platform's own figures for the year, computed by hand on fixture dossiers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cchc.dossiers.models import Channel
from cchc.parindex.exchange import read_json
from cchc.parindex.selectors import automatic_scores
from cchc.parindex.services import ImportRejected, criteria_set_import
from cchc.serviceindex.selectors import index_compute
from tests.dossiers.conftest import World, at
from tests.parindex.conftest import as_json, document
from tests.serviceindex.conftest import receive, resolve

pytestmark = pytest.mark.django_db
NOW = at(2026, 11, 24, 10)


def _set(rule: str = "bậc: 95%=4; 70%=2", extra: list[dict[str, str]] | None = None) -> object:
    data = document()
    data["criteria"][5]["rule"] = rule
    if extra:
        data["criteria"][1]["max_points"] = str(6 + len(extra))
        data["criteria"][0]["max_points"] = str(10 + len(extra))
        data["criteria"][4:4] = extra
    return criteria_set_import(read_json(as_json(data)))


def _year_of_justice(world: World) -> None:
    """Justice, 2026: four dossiers received (one online) and resolved; three on time (due 3 working days after
    reception), one late. A fifth received in 2025 and resolved in 2025 counts nowhere."""
    resolve(world, receive(world, at(2025, 12, 1, 9)), at(2025, 12, 2, 9))
    resolve(world, receive(world, at(2026, 3, 9, 9)), at(2026, 3, 10, 9))
    resolve(world, receive(world, at(2026, 3, 9, 9), channel=Channel.ONLINE), at(2026, 3, 11, 9))
    resolve(world, receive(world, at(2026, 6, 1, 9)), at(2026, 6, 3, 9))
    resolve(world, receive(world, at(2026, 6, 1, 9)), at(2026, 6, 10, 9))


def test_on_time_rate_through_a_banded_rule(world: World) -> None:
    _year_of_justice(world)
    criteria_set = _set()
    score = automatic_scores(criteria_set, [world.justice, world.construction], now=NOW)  # type: ignore[arg-type]
    justice = score[world.justice.pk]["1.2"]
    # 3 of 4 on time = 75%: at least 70%, under 95% → 2 points.
    assert justice.reading.rate == Decimal("0.75")
    assert [value for _label, value in justice.reading.inputs] == ["3", "4"]
    assert justice.points == Decimal(2)
    assert justice.reading.evidence_url == (
        f"/can-bo/thong-ke/ho-so/?ky=year&nam=2026&donvi={world.justice.pk}&chitieu=resolved"
    )
    # Nothing resolved at the construction department: no rate, scored by hand.
    construction = score[world.construction.pk]["1.2"]
    assert (construction.reading.rate, construction.points) == (None, None)


def test_online_share_and_the_766_index(world: World) -> None:
    _year_of_justice(world)
    extra = [
        {"code": "1.1.4", "parent": "1.1", "level": "component", "title": "Tiếp nhận trực tuyến",
         "max_points": "1", "method": "automatic", "metric": "online_share"},
        {"code": "1.1.5", "parent": "1.1", "level": "component", "title": "Chỉ số 766",
         "max_points": "1", "method": "automatic", "metric": "index766_total", "rule": "tuyến tính: 0%-100%"},
    ]  # fmt: skip
    criteria_set = _set(rule="", extra=extra)
    score = automatic_scores(criteria_set, [world.justice], now=NOW)[world.justice.pk]  # type: ignore[arg-type]
    # 1 online of 4 received → 0.25 of 1 point.
    assert (score["1.1.4"].reading.rate, score["1.1.4"].points) == (Decimal("0.25"), Decimal("0.25"))
    # Proportional on time: 4 × 0.75 = 3.
    assert score["1.2"].points == Decimal(3)
    index = index_compute(unit=world.justice, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31), now=NOW)
    assert score["1.1.5"].reading.rate == index.total / index.max_total
    assert score["1.1.5"].points == (index.total / index.max_total).quantize(Decimal("0.01"))
    assert (
        score["1.1.5"].reading.evidence_url
        == f"/can-bo/chi-so-766/don-vi/{world.justice.pk}/?ky=year&nam=2026"
    )


def test_an_unknown_metric_or_a_bad_rule_is_refused_at_import() -> None:
    data = document()
    data["criteria"][5]["metric"] = "ty_le_vui_ve"
    data["criteria"][3]["rule"] = "bậc: 95%=1"
    with pytest.raises(ImportRejected) as caught:
        criteria_set_import(read_json(as_json(data)))
    errors = [str(error) for error in caught.value.errors]
    assert errors[0] == "criteria, dòng 4, cột Quy tắc tính điểm: Chỉ ghi quy tắc cho tiêu chí chấm tự động."
    assert errors[1].startswith(
        "criteria, dòng 6, cột Chỉ số tự động: Không có chỉ số “ty_le_vui_ve”; chọn một"
    )
    data = document()
    data["criteria"][5]["rule"] = "bậc: 95%=9"
    with pytest.raises(ImportRejected, match="lỗi") as caught:
        criteria_set_import(read_json(as_json(data)))
    assert "vượt điểm tối đa" in str(caught.value.errors[0])


def test_plan_tasks_done_on_time(world: World) -> None:
    from django.contrib.auth import get_user_model

    from cchc.orgs.models import Membership, Unit, UnitKind
    from cchc.orgs.roles import Role
    from cchc.plans import services as plans
    from cchc.plans.models import Area, TaskStatus

    council = get_user_model().objects.create_user("noivu.kh", password="mat-khau-dai-2026")
    Membership.objects.create(user=council, unit=world.centre, role=Role.HOME_AFFAIRS)
    committee = Unit.objects.create(name="UBND tỉnh Thử", kind=UnitKind.PROVINCE_COMMITTEE, area=world.centre.area,
                                    identifier="000.00.00.H99")  # fmt: skip
    plan = plans.plan_create(year=2026, unit=committee, title="Kế hoạch CCHC 2026", actor=council)
    for code, deadline in (
        ("1", dt.date(2026, 3, 31)),
        ("2", dt.date(2026, 6, 30)),
        ("3", dt.date(2026, 12, 31)),
    ):
        plans.task_add(plan=plan, area=Area.DIRECTION, code=code, title=f"Nhiệm vụ {code}", lead_unit=world.justice,
                       deadline=deadline, actor=council)  # fmt: skip
    plans.task_progress(task=plan.tasks.get(code="1"), progress=100, status=TaskStatus.DONE,
                        actor=world.staff["leader"], at=at(2026, 3, 30, 9))  # fmt: skip
    plans.task_progress(task=plan.tasks.get(code="2"), progress=100, status=TaskStatus.DONE,
                        actor=world.staff["leader"], at=at(2026, 7, 10, 9))  # fmt: skip
    extra = [{"code": "1.1.4", "parent": "1.1", "level": "component", "title": "Nhiệm vụ kế hoạch đúng hạn",
              "max_points": "1", "method": "automatic", "metric": "plan_tasks_on_time"}]  # fmt: skip
    criteria_set = _set(extra=extra)
    score = automatic_scores(criteria_set, [world.justice], now=NOW)[world.justice.pk]["1.1.4"]  # type: ignore[arg-type]
    # On 24/11: tasks 1 and 2 are due (3 is due 31/12); 1 was done on time, 2 late → 1 / 2.
    assert (score.reading.rate, score.points) == (Decimal("0.5"), Decimal("0.50"))
    assert [value for _label, value in score.reading.inputs] == ["1", "2"]
