"""Writes of the PAR Index: importing a criteria set (nhập bộ tiêu chí), all or nothing."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from cchc.catalog.exchange.records import RowError
from cchc.parindex.exchange import COLUMNS, Document, Node
from cchc.parindex.metrics import METRICS
from cchc.parindex.models import Audience, CriteriaSet, Criterion, Level, Method
from cchc.parindex.rules import RuleError, parse

_HEADER = dict(COLUMNS)
_PARENT_LEVEL = {Level.CRITERION.value: Level.AREA.value, Level.COMPONENT.value: Level.CRITERION.value}


class ImportRejected(ValueError):
    """The input has problems; nothing was saved. `errors` lists every one."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(_("Bộ tiêu chí có %(n)s lỗi; chưa lưu gì.") % {"n": len(errors)})
        self.errors = errors


def _error(sheet: str, node: Node, key: str, message: str) -> RowError:
    return RowError(sheet, node.row, _HEADER[key], message)


def _automatic_check(node: Node, sheet: str) -> list[RowError]:
    if not node.metric:
        return [_error(sheet, node, "metric", _("Tiêu chí chấm tự động cần tên chỉ số."))]
    if node.metric not in METRICS:
        return [
            _error(
                sheet,
                node,
                "metric",
                _("Không có chỉ số “%(metric)s”; chọn một trong: %(allowed)s.")
                % {"metric": node.metric, "allowed": ", ".join(METRICS)},
            )
        ]
    try:
        parse(node.rule, node.max_points)
    except RuleError as error:
        return [_error(sheet, node, "rule", str(error))]
    return []


def _survey_check(node: Node, sheet: str) -> list[RowError]:
    """A survey leaf reads `sipas_overall` (the default) or `sipas_<factor code>` (cchc.parindex.survey)."""
    if node.metric and not node.metric.startswith("sipas_"):
        return [
            _error(
                sheet, node, "metric", _("Tiêu chí điều tra đọc “sipas_overall” hoặc “sipas_<mã yếu tố>”.")
            )
        ]
    try:
        parse(node.rule, node.max_points)
    except RuleError as error:
        return [_error(sheet, node, "rule", str(error))]
    return []


def tree_check(nodes: list[Node], sheet: str) -> list[RowError]:
    """The structural rules of a set (DOMAIN.md §7): an area → criterion → component tree, parents first, codes
    unique; leaves scored by a method, inner nodes not; an automatic leaf names its metric; and every inner
    node's maximum is the sum of its children's maxima, deductions apart (they take points away, up to their
    maximum, and add none)."""
    errors: list[RowError] = []
    seen: dict[str, Node] = {}
    children: dict[str, list[Node]] = defaultdict(list)
    for node in nodes:
        if node.code in seen:
            errors.append(_error(sheet, node, "code", _("Mã “%(code)s” bị trùng.") % {"code": node.code}))
            continue
        if node.level == Level.AREA:
            if node.parent:
                errors.append(_error(sheet, node, "parent", _("Lĩnh vực không có cấp trên.")))
        elif not node.parent:
            errors.append(_error(sheet, node, "parent", _("Cần mã cấp trên.")))
        elif node.parent not in seen:
            errors.append(
                _error(
                    sheet,
                    node,
                    "parent",
                    _("Không có mã cấp trên “%(code)s” ở các dòng phía trên.") % {"code": node.parent},
                )
            )
        elif seen[node.parent].level != _PARENT_LEVEL[node.level]:
            errors.append(
                _error(
                    sheet,
                    node,
                    "parent",
                    _("Cấp trên của “%(level)s” phải là “%(parent)s”.")
                    % {
                        "level": Level(node.level).label,
                        "parent": Level(_PARENT_LEVEL[node.level]).label,
                    },
                )
            )
        else:
            children[node.parent].append(node)
        seen[node.code] = node
    if not nodes:
        errors.append(RowError(sheet, 1, _HEADER["code"], _("Bộ tiêu chí chưa có tiêu chí nào.")))
    for node in seen.values():
        kids = children.get(node.code, [])
        if kids:
            if node.method:
                errors.append(
                    _error(
                        sheet, node, "method", _("Chỉ chấm điểm ở tiêu chí cuối cùng; để trống ở cấp này.")
                    )
                )
            total = sum((kid.max_points for kid in kids if kid.method != Method.DEDUCTION), Decimal(0))
            if total != node.max_points:
                errors.append(
                    _error(
                        sheet,
                        node,
                        "max_points",
                        _("Tổng điểm tối đa của các tiêu chí con (%(total)s) khác điểm tối đa (%(max)s).")
                        % {"total": total, "max": node.max_points},
                    )
                )
            continue
        if not node.method:
            errors.append(_error(sheet, node, "method", _("Cần phương pháp chấm cho tiêu chí cuối cùng.")))
        elif node.method == Method.AUTOMATIC:
            errors.extend(_automatic_check(node, sheet))
        elif node.method == Method.SURVEY:
            errors.extend(_survey_check(node, sheet))
        if node.method not in (Method.AUTOMATIC, Method.SURVEY):
            if node.metric:
                errors.append(_error(sheet, node, "metric", _("Chỉ ghi chỉ số cho tiêu chí chấm tự động.")))
            if node.rule:
                errors.append(_error(sheet, node, "rule", _("Chỉ ghi quy tắc cho tiêu chí chấm tự động.")))
        if node.method == Method.DEDUCTION and node.level == Level.AREA:
            errors.append(_error(sheet, node, "method", _("Lĩnh vực không thể là điểm trừ.")))
    return sorted(errors, key=lambda error: (error.row, error.column))


@transaction.atomic
def criteria_set_import(document: Document, *, replace: bool = False) -> CriteriaSet:
    """Save a read document as a criteria set, after every check; raises ImportRejected with all the problems.

    A set for the same year and audience is replaced only when `replace` is set.
    """
    # Problems reading cells first: a row that could not be read would make its children look orphaned.
    errors = document.errors or tree_check(document.nodes, document.sheet)
    if errors:
        raise ImportRejected(errors)
    assert document.year is not None  # read without errors
    existing = CriteriaSet.objects.filter(year=document.year, audience=document.audience).first()
    if existing is not None:
        if not replace:
            raise ImportRejected(
                [
                    RowError(
                        "—",
                        1,
                        "—",
                        _("Đã có bộ tiêu chí năm %(year)s cho %(audience)s; chọn thay thế nếu muốn ghi đè.")
                        % {"year": document.year, "audience": Audience(document.audience).label},
                    )
                ]
            )
        existing.delete()
    criteria_set = CriteriaSet.objects.create(
        year=document.year, audience=document.audience, name=document.name, source=document.source
    )
    saved: dict[str, Criterion] = {}
    for position, node in enumerate(document.nodes, start=1):
        saved[node.code] = Criterion.objects.create(
            criteria_set=criteria_set,
            parent=saved.get(node.parent) if node.parent else None,
            level=node.level,
            code=node.code,
            position=position,
            title=node.title,
            max_points=node.max_points,
            method=node.method,
            guidance=node.guidance,
            evidence=node.evidence,
            metric=node.metric,
            rule=node.rule,
            verify=node.verify,
        )
    return criteria_set
