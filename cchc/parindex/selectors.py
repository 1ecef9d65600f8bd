"""Reads of the PAR Index's criteria sets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from cchc.orgs.models import Unit
from cchc.orgs.roles import Role
from cchc.orgs.scoping import has_role
from cchc.parindex.metrics import METRICS, MetricContext, Reading
from cchc.parindex.models import (
    UNIT_ROLES,
    Assessment,
    AssessmentState,
    CriteriaSet,
    Criterion,
    Level,
    Method,
    Score,
    UnitAssessment,
)
from cchc.parindex.rules import parse
from cchc.parindex.scoring import Result, TreeNode, band_of, ranks
from cchc.parindex.scoring import score as score_tree
from cchc.parindex.survey import OVERALL, survey_indexes


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
    labels = {leaf.code: METRICS[leaf.metric].label() for leaf in leaves}
    described = {code: rule.describe() for code, rule in rules.items()}
    result: dict[int, dict[str, AutoScore]] = {}
    for unit in units:
        scores = {}
        for leaf in leaves:
            reading = METRICS[leaf.metric].read(context, unit)
            rule = rules[leaf.code]
            points = None if reading.rate is None else rule.points(reading.rate, leaf.max_points)
            scores[leaf.code] = AutoScore(
                leaf.metric, labels[leaf.code], reading, described[leaf.code], points
            )
        result[unit.pk] = scores
    return result


@dataclass(frozen=True)
class UnitResult:
    """A unit's index in an assessment, with its rank among the assessment's units (xếp hạng)."""

    unit: Unit
    state: str
    result: Result
    rank: int

    @property
    def band(self) -> str | None:
        return self.result.band


def _final_points(appraised: Decimal | None, own: Decimal | None, submitted: bool) -> Decimal | None:
    """The council's score when it gave one, else the unit's own once submitted (DOMAIN.md §7)."""
    if appraised is not None:
        return appraised
    return own if submitted else None


def _survey_points(
    assessment: Assessment, criteria: list[Criterion], unit_ids: list[int]
) -> dict[int, dict[str, Decimal | None]]:
    """The survey leaves' points of each unit with survey answers (cchc.parindex.survey); units without answers
    are absent, and their index is rescaled without the survey (DOMAIN.md §7)."""
    leaves = [c for c in criteria if c.method == Method.SURVEY and not c.children.exists()]
    if assessment.questionnaire_id is None or not leaves:
        return {}
    indexes = survey_indexes(assessment.questionnaire, unit_ids)  # type: ignore[arg-type]
    rules = {leaf.code: parse(leaf.rule, leaf.max_points) for leaf in leaves}
    result: dict[int, dict[str, Decimal | None]] = {}
    for unit_id, index in indexes.items():
        points: dict[str, Decimal | None] = {}
        for leaf in leaves:
            rate = index.read(leaf.metric or OVERALL)
            points[leaf.code] = None if rate is None else rules[leaf.code].points(rate, leaf.max_points)
        result[unit_id] = points
    return result


def assessment_results(assessment: Assessment, *, now: dt.datetime | None = None) -> list[UnitResult]:
    """Every unit's index: its final scores, the automatic criteria read from the platform, no survey yet (so
    the appraised points are rescaled); ranked, best first."""
    criteria = list(assessment.criteria_set.criteria.select_related("parent").order_by("position"))
    nodes = [TreeNode(c.code, c.parent.code if c.parent else None, c.max_points, c.method) for c in criteria]
    unit_assessments = list(assessment.units.select_related("unit").order_by("unit__name"))
    units = [ua.unit for ua in unit_assessments]
    automatic = automatic_scores(assessment.criteria_set, units, now=now)
    scores: dict[int, dict[str, Decimal | None]] = {ua.pk: {} for ua in unit_assessments}
    submitted = {ua.pk: ua.submitted_at is not None for ua in unit_assessments}
    rows = Score.objects.filter(unit_assessment__assessment=assessment).values_list(
        "unit_assessment_id", "criterion__code", "appraised_points", "self_points"
    )
    for ua_id, code, appraised, own in rows:
        scores[ua_id][code] = _final_points(appraised, own, submitted[ua_id])
    surveyed = _survey_points(assessment, criteria, [ua.unit_id for ua in unit_assessments])
    results = {}
    for ua in unit_assessments:
        leaf_scores = dict(scores[ua.pk])
        leaf_scores.update({code: auto.points for code, auto in automatic.get(ua.unit_id, {}).items()})
        survey = surveyed.get(ua.unit_id)
        if survey is not None:
            leaf_scores.update(survey)
        results[ua.pk] = score_tree(nodes, leaf_scores, with_survey=survey is not None)
    rank = ranks({pk: result.index for pk, result in results.items()})
    ordered = [UnitResult(ua.unit, ua.state, results[ua.pk], rank[ua.pk]) for ua in unit_assessments]
    return sorted(ordered, key=lambda item: (item.rank, item.unit.name))


def unit_assessments_visible(user: Any, assessment: Assessment) -> QuerySet[UnitAssessment]:
    """The units' scores `user` may read: Home Affairs every unit; a unit's staff only their own until the results
    are published, then every unit's (DOMAIN.md §7: results are published)."""
    units = assessment.units.select_related("unit").order_by("unit__name")
    if has_role(user, Role.HOME_AFFAIRS) or assessment.state == AssessmentState.PUBLISHED:
        return units if getattr(user, "is_authenticated", False) else units.none()
    own = [ua.pk for ua in units if any(has_role(user, role, ua.unit) for role in UNIT_ROLES)]
    return units.filter(pk__in=own)


@dataclass(frozen=True)
class RankedUnit:
    """A line of a ranking: the unit's index and its change against the same audience's previous year."""

    unit: Unit
    state: str
    total: Decimal
    maximum: Decimal
    index: Decimal
    rank: int
    previous: Decimal | None

    @property
    def band(self) -> str | None:
        return band_of(self.index)

    @property
    def change(self) -> Decimal | None:
        return None if self.previous is None else self.index - self.previous


def previous_indexes(assessment: Assessment) -> dict[int, Decimal]:
    """The published indexes of the same audience's previous year, by unit id (empty when none)."""
    rows = UnitAssessment.objects.filter(
        assessment__state=AssessmentState.PUBLISHED,
        assessment__criteria_set__audience=assessment.criteria_set.audience,
        assessment__criteria_set__year=assessment.criteria_set.year - 1,
    ).values_list("unit_id", "index")
    return {unit_id: index for unit_id, index in rows if index is not None}


def ranking(assessment: Assessment, *, now: dt.datetime | None = None) -> list[RankedUnit]:
    """The ranking: as frozen at publication, or computed now while the assessment is open."""
    previous = previous_indexes(assessment)
    if assessment.state == AssessmentState.PUBLISHED:
        rows = assessment.units.select_related("unit").order_by("rank", "unit__name")
        return [
            RankedUnit(
                ua.unit,
                ua.state,
                ua.total or Decimal(0),
                ua.maximum or Decimal(0),
                ua.index or Decimal(0),
                ua.rank or 0,
                previous.get(ua.unit_id),
            )
            for ua in rows
        ]
    return [
        RankedUnit(
            item.unit,
            item.state,
            item.result.total,
            item.result.maximum,
            item.result.index,
            item.rank,
            previous.get(item.unit.pk),
        )
        for item in assessment_results(assessment, now=now)
    ]
