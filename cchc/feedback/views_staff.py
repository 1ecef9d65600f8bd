"""Staff pages of feedback (trang cán bộ): the worklist and one feedback with its actions, under /can-bo/phan-anh/.

Reads through cchc.feedback.selectors (scoped: a feedback outside one's scope is a 404, whether it exists or
not); every change through one function of cchc.feedback.services. A refused action shows its Vietnamese
message and the page again; a successful one redirects back (post/redirect/get).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from cchc.core.masking import mask_phone
from cchc.feedback import forms, selectors, services
from cchc.feedback.deadlines import days_left
from cchc.feedback.lifecycle import Action, FeedbackActionError, FeedbackInputError, actions_available
from cchc.feedback.models import Feedback, Kind, State, Subject
from cchc.feedback.routing import can_handle
from cchc.orgs.access import staff_required

WORKLIST_LABELS: dict[str, Any] = {
    "open": gettext_lazy("Đang xử lý"),
    "due_soon": gettext_lazy("Sắp đến hạn"),
    "overdue": gettext_lazy("Quá hạn"),
    "waiting_sender": gettext_lazy("Chờ người gửi bổ sung"),
    "to_publish": gettext_lazy("Chờ công khai"),
    "closed": gettext_lazy("Đã kết thúc"),
}


@require_GET
@staff_required
def worklist(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("loai", "open")
    if kind not in selectors.WORKLIST_KINDS:
        kind = "open"
    try:
        page_number = max(1, int(request.GET.get("trang", "1")))
    except ValueError:
        page_number = 1
    page = selectors.worklist(user=request.user, kind=kind, page=min(page_number, 10_000))
    tabs = [{"kind": k, "label": WORKLIST_LABELS[k], "current": k == kind} for k in selectors.WORKLIST_KINDS]
    return render(
        request,
        "feedback/staff/worklist.html",
        {"page": page, "tabs": tabs, "kind_label": WORKLIST_LABELS[kind]},
    )


@dataclass(frozen=True)
class _ActionSpec:
    form_class: type[forms.ActionForm]
    run: Callable[[HttpRequest, Feedback, dict[str, Any]], Any]


def _v(data: dict[str, Any]) -> int:
    return int(data["expected_version"])


ACTIONS: dict[Action, _ActionSpec] = {
    Action.REFUSE: _ActionSpec(
        forms.RefuseForm,
        lambda r, f, c: services.feedback_refuse(
            feedback=f, actor=r.user, reason=c["reason"], expected_version=_v(c)
        ),
    ),
    Action.REQUEST_MORE: _ActionSpec(
        forms.RequestMoreForm,
        lambda r, f, c: services.feedback_request_more(
            feedback=f, actor=r.user, question=c["question"], expected_version=_v(c)
        ),
    ),
    Action.ANSWER: _ActionSpec(
        forms.AnswerForm,
        lambda r, f, c: services.feedback_answer(
            feedback=f, actor=r.user, answer=c["answer"], expected_version=_v(c)
        ),
    ),
    Action.PUBLISH: _ActionSpec(
        forms.PublishForm,
        lambda r, f, c: services.feedback_publish(
            feedback=f, actor=r.user, public_summary=c["public_summary"], expected_version=_v(c)
        ),
    ),
}


def _action_form(action: Action, feedback: Feedback, data: Any = None) -> forms.ActionForm:
    initial: dict[str, Any] = {"expected_version": feedback.version}
    if action == Action.PUBLISH:
        initial["public_summary"] = feedback.content
    return ACTIONS[action].form_class(data, prefix=action.value, initial=initial)


def _actions_for(user: Any, feedback: Feedback) -> list[Action]:
    """The staff actions the state allows and this user may take (the service checks both again)."""
    allowed = [a for a in actions_available(feedback.state) if a in ACTIONS and can_handle(user, feedback, a)]
    if feedback.confidential:
        allowed = [a for a in allowed if a != Action.PUBLISH]
    return allowed


def _page(
    request: HttpRequest, code: str, *, bound: tuple[Action, Any] | None = None, status: int = 200
) -> HttpResponse:
    feedback = selectors.feedback_for(request.user, code)
    now = timezone.now()
    labels = dict(Action.choices)
    events = [
        {
            "label": labels.get(e.action, e.action),
            "at": e.at,
            "who": (e.actor.get_full_name() or e.actor.get_username())
            if e.actor
            else (_("Người gửi") if e.by_sender else ""),
            "text": next(
                (
                    str(e.changes[k])
                    for k in ("text", "question", "reason", "answer", "public_summary")
                    if e.changes.get(k)
                ),
                "",
            ),
        }
        for e in feedback.events.select_related("actor").order_by("seq")
    ]
    action_forms = []
    for action in _actions_for(request.user, feedback):
        data = bound[1] if bound is not None and bound[0] == action else None
        action_forms.append(
            {
                "action": action,
                "label": action.label,
                "form": _action_form(action, feedback, data),
                "url": reverse("feedback-staff-action", args=[feedback.code, action.value]),
            }
        )
    dues = [
        (_("Hạn từ chối tiếp nhận"), feedback.refuse_due_at),
        (_("Hạn đề nghị bổ sung"), feedback.more_due_at),
        (_("Hạn trả lời"), feedback.answer_due_at),
    ]
    if feedback.publish_due_at is not None:
        dues.append((_("Hạn công khai"), feedback.publish_due_at))
    context = {
        "feedback": feedback,
        "state_label": State(feedback.state).label,
        "kind_label": Kind(feedback.kind).label,
        "subject_label": Subject(feedback.subject).label,
        "dues": [{"label": label, "at": at, "days_left": days_left(at, now)} for label, at in dues],
        "next_days_left": days_left(feedback.next_due_at, now),
        "overdue": feedback.next_due_at is not None and feedback.next_due_at < now,
        "phone_masked": mask_phone(feedback.sender_phone),
        "events": events,
        "action_forms": action_forms,
    }
    return render(request, "feedback/staff/detail.html", context, status=status)


@require_GET
@staff_required
def feedback_detail(request: HttpRequest, code: str) -> HttpResponse:
    return _page(request, code)


@require_POST
@staff_required
def feedback_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    try:
        chosen = Action(action)
    except ValueError:
        raise Http404(_("Không có thao tác này.")) from None
    if chosen not in ACTIONS:
        raise Http404(_("Không có thao tác này."))
    feedback = selectors.feedback_for(request.user, code)
    form = _action_form(chosen, feedback, request.POST)
    if not form.is_valid():
        messages.error(request, _("Thông tin nhập chưa hợp lệ, vui lòng kiểm tra lại."))
        return _page(request, code, bound=(chosen, request.POST), status=422)
    try:
        ACTIONS[chosen].run(request, feedback, form.cleaned_data)
    except FeedbackInputError as exc:
        messages.error(request, exc.message)
        return _page(request, code, bound=(chosen, request.POST), status=exc.status)
    except FeedbackActionError as exc:
        messages.error(request, exc.message)
        return _page(request, code, bound=(chosen, request.POST), status=exc.status)
    messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": chosen.label})
    return HttpResponseRedirect(reverse("feedback-staff-detail", args=[feedback.code]))
