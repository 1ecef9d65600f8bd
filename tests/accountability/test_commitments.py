"""Commitments (cam kết): who drafts, signs, attaches and judges; targets read from the live figures, checked by
hand on fixture dossiers; the units held to account."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest

from cchc.accountability import services
from cchc.accountability.models import Commitment, Comparison
from cchc.accountability.selectors import ItemState, accountability, commitment_results
from cchc.accountability.services import AccountabilityError, AccountabilityForbidden
from cchc.core.blobs import BlobError
from cchc.dossiers.models import Channel
from tests.dossiers.conftest import World, at
from tests.serviceindex.conftest import receive, resolve

pytestmark = pytest.mark.django_db
NOW = at(2026, 11, 24, 10)
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _year_of_justice(world: World) -> None:
    """Justice, 2026: four dossiers received (one online) and resolved, three on time and one late (due three
    working days after reception); a fifth of 2025 counts nowhere."""
    resolve(world, receive(world, at(2025, 12, 1, 9)), at(2025, 12, 2, 9))
    resolve(world, receive(world, at(2026, 3, 9, 9)), at(2026, 3, 10, 9))
    resolve(world, receive(world, at(2026, 3, 9, 9), channel=Channel.ONLINE), at(2026, 3, 11, 9))
    resolve(world, receive(world, at(2026, 6, 1, 9)), at(2026, 6, 3, 9))
    resolve(world, receive(world, at(2026, 6, 1, 9)), at(2026, 6, 10, 9))


def _commitment(world: World, leader: Any) -> Commitment:
    commitment = services.commitment_create(year=2026, unit=world.justice, actor=leader)
    add = services.commitment_item_add
    add(commitment=commitment, code="1", text="Tỷ lệ hồ sơ đúng hạn từ 98% trở lên", metric="on_time_rate",
        target=Decimal("98"), actor=leader)  # fmt: skip
    add(commitment=commitment, code="2", text="Tỷ lệ hồ sơ trực tuyến từ 20% trở lên", metric="online_share",
        target=Decimal("20"), actor=leader)  # fmt: skip
    add(commitment=commitment, code="3", text="Hồ sơ trực tuyến không quá 25%", metric="online_share",
        comparison=Comparison.AT_MOST, target=Decimal("25"), actor=leader)  # fmt: skip
    add(commitment=commitment, code="4", text="Không để xảy ra sai phạm trong tiếp nhận hồ sơ", actor=leader)
    return commitment


def test_drafting_and_signing_rules(world: World, home_affairs: Any) -> None:
    leader, specialist, other = world.staff["leader"], world.staff["specialist"], world.staff["other_leader"]
    with pytest.raises(AccountabilityForbidden):
        services.commitment_create(year=2026, unit=world.justice, actor=specialist)
    with pytest.raises(AccountabilityForbidden):
        services.commitment_create(year=2026, unit=world.justice, actor=other)
    commitment = services.commitment_create(year=2026, unit=world.justice, actor=home_affairs)
    with pytest.raises(AccountabilityError, match="đã có cam kết năm 2026"):
        services.commitment_create(year=2026, unit=world.justice, actor=leader)
    with pytest.raises(AccountabilityError, match="chưa có nội dung"):
        services.commitment_sign(commitment=commitment, actor=leader)
    with pytest.raises(AccountabilityError, match="Cần chỉ tiêu"):
        services.commitment_item_add(
            commitment=commitment, code="1", text="x", metric="on_time_rate", actor=leader
        )
    with pytest.raises(AccountabilityError, match="không hợp lệ"):
        services.commitment_item_add(commitment=commitment, code="1", text="x", metric="no_such_metric",
                                     target=Decimal(1), actor=leader)  # fmt: skip
    services.commitment_item_add(commitment=commitment, code="1", text="Đúng hạn", metric="on_time_rate",
                                 target=Decimal(98), actor=leader)  # fmt: skip
    with pytest.raises(AccountabilityError, match="đã có trong cam kết"):
        services.commitment_item_add(commitment=commitment, code="1", text="x", actor=leader)
    # Home Affairs drafts, but only the unit's own leader signs.
    for actor in (home_affairs, specialist, other):
        with pytest.raises(AccountabilityForbidden):
            services.commitment_sign(commitment=commitment, actor=actor)
    signed = services.commitment_sign(commitment=commitment, actor=leader, at=NOW)
    assert (signed.signed_by, signed.signed_at) == (leader, NOW)
    with pytest.raises(AccountabilityError, match="đã ký"):
        services.commitment_item_add(commitment=commitment, code="2", text="x", actor=home_affairs)
    with pytest.raises(AccountabilityError, match="đã ký"):
        services.commitment_sign(commitment=commitment, actor=leader)


@pytest.mark.parametrize(
    ("raw", "expected"), [("98", Decimal("98.00")), ("98,5", Decimal("98.50")), (" 0 ", Decimal("0.00"))]
)
def test_targets_are_read_as_typed(raw: str, expected: Decimal) -> None:
    assert services.parse_target(raw) == expected


@pytest.mark.parametrize("raw", ["", "abc", "101", "-1", "NaN", "Infinity", "9e9"])
def test_bad_targets_are_refused_in_vietnamese(raw: str) -> None:
    with pytest.raises(AccountabilityError, match="Chỉ tiêu"):
        services.parse_target(raw)


def test_targets_are_measured_from_the_year_figures(world: World, home_affairs: Any) -> None:
    _year_of_justice(world)
    leader = world.staff["leader"]
    commitment = _commitment(world, leader)
    commitment = services.commitment_sign(commitment=commitment, actor=leader, at=NOW)
    [result] = commitment_results([commitment], year=2026, now=NOW)
    states = {r.item.code: (r.state, r.value) for r in result.items}
    # 3 of 4 resolved on time = 75% < 98%; 1 of 4 received online = 25% ≥ 20% and ≤ 25%.
    assert states == {
        "1": (ItemState.MISSED, Decimal("75.00")),
        "2": (ItemState.MET, Decimal("25.00")),
        "3": (ItemState.MET, Decimal("25.00")),
        "4": (ItemState.PENDING, None),
    }
    on_time = result.items[0]
    assert [value for _label, value in on_time.reading.inputs] == ["3", "4"]  # type: ignore[union-attr]
    assert on_time.reading.evidence_url.endswith(f"donvi={world.justice.pk}&chitieu=resolved")  # type: ignore[union-attr]
    # Judged by Home Affairs: missed, with the reason.
    item4 = commitment.items.get(code="4")
    with pytest.raises(AccountabilityForbidden):
        services.commitment_item_judge(item=item4, met=True, actor=leader)
    with pytest.raises(AccountabilityError, match="lý do"):
        services.commitment_item_judge(item=item4, met=False, actor=home_affairs)
    with pytest.raises(AccountabilityError, match="đo tự động"):
        services.commitment_item_judge(item=commitment.items.get(code="1"), met=True, actor=home_affairs)
    services.commitment_item_judge(
        item=item4, met=False, note="Một hồ sơ nhận thiếu thành phần", actor=home_affairs
    )
    [result] = commitment_results([commitment], year=2026, now=NOW)
    assert (result.met, result.missed) == (2, 2)
    # Accountability: justice missed items 1 and 4; construction has not signed.
    accounts = accountability([result], [world.justice, world.construction])
    assert [(a.unit, a.signed, [m.item.code for m in a.missed]) for a in accounts] == [
        (world.justice, True, ["1", "4"]),
        (world.construction, False, []),
    ]


def test_a_unit_with_nothing_to_measure_has_no_data_not_a_miss(world: World, home_affairs: Any) -> None:
    leader = world.staff["other_leader"]
    commitment = services.commitment_create(year=2026, unit=world.construction, actor=leader)
    services.commitment_item_add(commitment=commitment, code="1", text="Đúng hạn ≥ 98%", metric="on_time_rate",
                                 target=Decimal(98), actor=leader)  # fmt: skip
    commitment = services.commitment_sign(commitment=commitment, actor=leader, at=NOW)
    [result] = commitment_results([commitment], year=2026, now=NOW)
    assert [(r.state, r.value) for r in result.items] == [(ItemState.NO_DATA, None)]
    assert accountability([result], [world.construction]) == []


def test_an_unsigned_commitment_can_judge_nothing(world: World, home_affairs: Any) -> None:
    commitment = services.commitment_create(year=2026, unit=world.justice, actor=home_affairs)
    item = services.commitment_item_add(
        commitment=commitment, code="1", text="Công khai TTHC", actor=home_affairs
    )
    with pytest.raises(AccountabilityError, match="chưa được ký"):
        services.commitment_item_judge(item=item, met=True, actor=home_affairs)


def test_evidence_is_the_unit_staffs_and_must_be_a_real_file(world: World, home_affairs: Any) -> None:
    commitment = services.commitment_create(year=2026, unit=world.justice, actor=home_affairs)
    item = services.commitment_item_add(
        commitment=commitment, code="1", text="Công khai TTHC", actor=home_affairs
    )
    with pytest.raises(AccountabilityForbidden):
        services.commitment_evidence_add(item=item, upload=io.BytesIO(PDF), name="x.pdf",
                                         actor=world.staff["other_specialist"])  # fmt: skip
    with pytest.raises(BlobError):
        services.commitment_evidence_add(item=item, upload=io.BytesIO(b"MZ\x90\x00 not a pdf"), name="x.pdf",
                                         actor=world.staff["specialist"])  # fmt: skip
    evidence = services.commitment_evidence_add(item=item, upload=io.BytesIO(PDF), name="bien-ban.pdf",
                                                actor=world.staff["specialist"])  # fmt: skip
    assert (evidence.name, evidence.size, evidence.added_by) == (
        "bien-ban.pdf",
        len(PDF),
        world.staff["specialist"],
    )
