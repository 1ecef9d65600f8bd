"""The applicant's evaluation of how a dossier was handled (đánh giá việc giải quyết thủ tục hành chính).

Decree 118/2025/NĐ-CP Art. 33: 9 indicators; 0 to 2 points each, 18 in all, and a grade (cchc.portal.rules).
The one-click rating of satisfaction lives in cchc.dossiers.models.Rating; this evaluation is optional and
separate. Both are written only by cchc.portal.services.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cchc.portal.rules import MAX_TOTAL, POINTS_PER_INDICATOR, EvaluationGrade

SCORE_FIELDS: tuple[str, ...] = tuple(f"score_{n}" for n in range(1, 10))


def _score(number: int) -> models.PositiveSmallIntegerField:  # type: ignore[type-arg]
    return models.PositiveSmallIntegerField(
        format_lazy("{} {}", _("chỉ số"), number), validators=[MaxValueValidator(POINTS_PER_INDICATOR)]
    )


class Evaluation(models.Model):
    """One evaluation per dossier: the 9 scores (in the order of rules.INDICATORS), their total and grade."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="evaluation", verbose_name=_("hồ sơ")
    )
    score_1 = _score(1)
    score_2 = _score(2)
    score_3 = _score(3)
    score_4 = _score(4)
    score_5 = _score(5)
    score_6 = _score(6)
    score_7 = _score(7)
    score_8 = _score(8)
    score_9 = _score(9)
    total = models.PositiveSmallIntegerField(_("tổng điểm"), validators=[MaxValueValidator(MAX_TOTAL)])
    grade = models.CharField(_("xếp loại"), max_length=12, choices=EvaluationGrade.choices)
    evaluated_at = models.DateTimeField(_("thời điểm đánh giá"))

    class Meta:
        verbose_name = _("đánh giá việc giải quyết thủ tục hành chính")
        verbose_name_plural = _("đánh giá việc giải quyết thủ tục hành chính")
        constraints = [
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__lte": POINTS_PER_INDICATOR}), name=f"evaluation_{name}_max"
                )
                for name in SCORE_FIELDS
            ),
            models.CheckConstraint(
                condition=Q(
                    total=F("score_1")
                    + F("score_2")
                    + F("score_3")
                    + F("score_4")
                    + F("score_5")
                    + F("score_6")
                    + F("score_7")
                    + F("score_8")
                    + F("score_9")
                ),
                name="evaluation_total_is_sum",
            ),
        ]
        indexes = [models.Index(fields=["evaluated_at"], name="evaluation_at")]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.total}/{MAX_TOTAL} ({self.get_grade_display()})"

    @property
    def scores(self) -> tuple[int, ...]:
        return tuple(int(getattr(self, name)) for name in SCORE_FIELDS)
