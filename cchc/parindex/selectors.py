"""Reads of the PAR Index's criteria sets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from cchc.orgs.models import Unit
from cchc.parindex.metrics import METRICS, MetricContext, Reading
from cchc.parindex.models import CriteriaSet, Level, Method
from cchc.parindex.rules import parse


@dataclass(frozen=True)
class SetTotals:
    """A set's shape: node counts per level and its points (tổng điểm), split by how they are scored."""

    areas: int
    criteria: int
    components: int
    total: Decimal  # the areas' maxima: what the index divides by
    survey: Decimal  # of the total, from the sociological survey
    deductions: Decimal  # the most all deductions together can take away
    to_verify: int  # nodes whose points the source does not confirm

    @property
    def appraisal(self) -> Decimal:
        """Points from self-assessment and appraisal (tự đánh giá, thẩm định): the total without the survey."""
        return self.total - self.survey


def criteria_set_totals(criteria_set: CriteriaSet) -> SetTotals:
    nodes = list(criteria_set.criteria.values("pk", "parent_id", "level", "max_points", "method", "verify"))
    parents = {node["parent_id"] for node in nodes if node["parent_id"] is not None}
    leaves = [node for node in nodes if node["pk"] not in parents]
    count = {level: sum(1 for node in nodes if node["level"] == level) for level in Level.values}
    return SetTotals(
        areas=count[Level.AREA],
        criteria=count[Level.CRITERION],
        components=count[Level.COMPONENT],
        total=sum((n["max_points"] for n in nodes if n["level"] == Level.AREA), Decimal(0)),
        survey=sum((n["max_points"] for n in leaves if n["method"] == Method.SURVEY), Decimal(0)),
        deductions=sum((n["max_points"] for n in leaves if n["method"] == Method.DEDUCTION), Decimal(0)),
        to_verify=sum(1 for node in nodes if node["verify"]),
    )


@dataclass(frozen=True)
class AutoScore:
    """An automatic criterion's reading for a unit and the points its rule gives (None: nothing to measure,
    the criterion is scored by hand)."""

    metric: str
    label: str
    reading: Reading
    rule: str
    points: Decimal | None


def automatic_scores(
    criteria_set: CriteriaSet, units: Collection[Unit], *, now: dt.datetime | None = None
) -> dict[int, dict[str, AutoScore]]:
    """Every automatic criterion of the set for each unit, by unit id and criterion code."""
    leaves = list(criteria_set.criteria.filter(method=Method.AUTOMATIC).order_by("position"))
    if not leaves or not units:
        return {unit.pk: {} for unit in units}
    context = MetricContext(year=criteria_set.year, units=units, now=now)
    rules = {leaf.code: parse(leaf.rule, leaf.max_points) for leaf in leaves}
    result: dict[int, dict[str, AutoScore]] = {}
    for unit in units:
        scores = {}
        for leaf in leaves:
            metric = METRICS[leaf.metric]
            reading = metric.read(context, unit)
            rule = rules[leaf.code]
            points = None if reading.rate is None else rule.points(reading.rate, leaf.max_points)
            scores[leaf.code] = AutoScore(leaf.metric, metric.label(), reading, rule.describe(), points)
        result[unit.pk] = scores
    return result
