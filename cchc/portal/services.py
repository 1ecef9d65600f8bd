"""The applicant's judgement of a dossier: the one-click rating and the optional 9-indicator evaluation.

Each service locks the dossier row, checks that the dossier may be judged, writes its row, and appends an event to
the dossier's history chain, in one transaction. Neither changes the dossier's state or version: staff forms open
at the same time stay valid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.dossiers.history import event_append
from cchc.dossiers.lifecycle import DossierActionError, RuleBroken
from cchc.dossiers.models import Dossier, Rating, RatingLevel
from cchc.portal.models import SCORE_FIELDS, Evaluation
from cchc.portal.rules import (
    INDICATOR_COUNT,
    POINTS_PER_INDICATOR,
    RATEABLE_STATES,
    RATING_COMMENT_MAX_CHARS,
    evaluation_grade,
)

RATE_ACTION = "rate"
EVALUATE_ACTION = "evaluate"


class NotReturnedYet(DossierActionError):
    """The dossier has not been returned: there is nothing to judge yet."""

    status = 409


class AlreadyGiven(DossierActionError):
    """The dossier was already rated (or evaluated): one per dossier."""

    status = 409


def _locked_judgeable(dossier: Dossier) -> Dossier:
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if locked.state not in RATEABLE_STATES:
        raise NotReturnedYet(_("Chỉ đánh giá được sau khi hồ sơ đã trả kết quả."))
    return locked


@transaction.atomic
def rating_give(*, dossier: Dossier, level: str, comment: str = "", at: dt.datetime | None = None) -> Rating:
    """Record the applicant's satisfaction (đánh giá mức độ hài lòng): very satisfied, satisfied, not satisfied.

    Decree 118/2025 Art. 33 (DOMAIN.md §5): given at the kiosk, online or by the notice's link, once the result
    has been returned (rules.RATEABLE_STATES). One rating per dossier: a second one is refused and changes nothing.
    """
    if level not in RatingLevel.values:
        raise RuleBroken(_("Mức độ hài lòng không hợp lệ."))
    comment = comment.strip()
    if len(comment) > RATING_COMMENT_MAX_CHARS:
        raise RuleBroken(
            _("Ý kiến không được dài quá %(n)s ký tự.") % {"n": RATING_COMMENT_MAX_CHARS},
        )
    moment = at or timezone.now()
    locked = _locked_judgeable(dossier)
    if Rating.objects.filter(dossier_id=locked.pk).exists():
        raise AlreadyGiven(_("Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ được đánh giá một lần."))
    try:
        # The one-to-one's unique index is the last word: a writer that did not wait on the row lock fails here.
        with transaction.atomic():
            rating = Rating.objects.create(dossier=locked, level=level, comment=comment, rated_at=moment)
    except IntegrityError:
        raise AlreadyGiven(_("Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ được đánh giá một lần.")) from None
    # The comment is the citizen's free text and may hold personal data: it stays in the Rating row, which can be
    # erased, and never enters the append-only history.
    event_append(
        dossier=locked,
        action=RATE_ACTION,
        actor=None,
        state_before=locked.state,
        state_after=locked.state,
        changes={"level": level, "with_comment": bool(comment)},
        at=moment,
    )
    return rating


@transaction.atomic
def evaluation_give(*, dossier: Dossier, scores: Sequence[int], at: dt.datetime | None = None) -> Evaluation:
    """Record the applicant's evaluation of the handling (đánh giá việc giải quyết thủ tục hành chính).

    Decree 118/2025 Art. 33: the 9 indicators of rules.INDICATORS, 0 to 2 points each (the 2018 scale), with the
    total and its grade (rules.GRADE_BANDS). Optional, once per dossier, after the result was returned.
    """
    values = list(scores)
    if len(values) != INDICATOR_COUNT or any(
        isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= POINTS_PER_INDICATOR for v in values
    ):
        raise RuleBroken(
            _("Cần chấm đủ %(count)s chỉ số, mỗi chỉ số từ 0 đến %(max)s điểm.")
            % {"count": INDICATOR_COUNT, "max": POINTS_PER_INDICATOR}
        )
    moment = at or timezone.now()
    locked = _locked_judgeable(dossier)
    if Evaluation.objects.filter(dossier_id=locked.pk).exists():
        raise AlreadyGiven(_("Hồ sơ này đã được đánh giá chi tiết. Mỗi hồ sơ chỉ được đánh giá một lần."))
    total = sum(values)
    grade = evaluation_grade(total)
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                dossier=locked,
                total=total,
                grade=grade,
                evaluated_at=moment,
                **dict(zip(SCORE_FIELDS, values, strict=True)),
            )
    except IntegrityError:
        raise AlreadyGiven(
            _("Hồ sơ này đã được đánh giá chi tiết. Mỗi hồ sơ chỉ được đánh giá một lần.")
        ) from None
    event_append(
        dossier=locked,
        action=EVALUATE_ACTION,
        actor=None,
        state_before=locked.state,
        state_after=locked.state,
        changes={"scores": values, "total": total, "grade": grade.value},
        at=moment,
    )
    return evaluation
