"""Public feedback pages (trang công khai): send, follow (with code and key), and the published answers.

Thin views: checks in cchc.feedback.forms, rules in cchc.feedback.services, reads in cchc.feedback.selectors.
Every page works without JavaScript. The lookup key never appears in a URL: a correct (code, key) pair is
remembered in the session, and the tracking page of that code opens for this browser only.
"""

from __future__ import annotations

import math
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.feedback import forms, selectors, services, throttling
from cchc.feedback.codes import normalise_code
from cchc.feedback.lifecycle import FeedbackActionError, FeedbackInputError
from cchc.feedback.models import Feedback, State, Subject
from cchc.feedback.routing import is_citizen
from cchc.orgs.throttle import ThrottleState

SESSION_TRACKED = "feedback_tracked"
SESSION_SENT = "feedback_sent"
TRACKED_MAX = 20


def _locked_response(
    request: HttpRequest, template: str, context: dict[str, Any], state: ThrottleState
) -> HttpResponse:
    minutes = max(1, math.ceil(state.retry_after / 60))
    context["lockout"] = _("Ông/Bà đã thao tác quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút.") % {
        "minutes": minutes
    }
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(state.retry_after)
    return response


def _remember(request: HttpRequest, code: str) -> None:
    tracked = [c for c in request.session.get(SESSION_TRACKED, []) if c != code]
    request.session[SESSION_TRACKED] = [*tracked, code][-TRACKED_MAX:]


def _tracked(request: HttpRequest, code: str) -> Feedback | None:
    """The feedback, if this browser proved the key for it, or the signed-in citizen sent it."""
    normalised = normalise_code(code)
    if not normalised:
        return None
    feedback = Feedback.objects.select_related("unit").filter(code=normalised).first()
    if feedback is None:
        return None
    if normalised in request.session.get(SESSION_TRACKED, []):
        return feedback
    if (
        feedback.citizen_id is not None
        and is_citizen(request.user)
        and feedback.citizen_id == request.user.pk
    ):
        return feedback
    return None


def _initial(request: HttpRequest) -> dict[str, Any]:
    """Pre-filled from a link: ?thu_tuc=<procedure code> or ?ho_so=<dossier code>."""
    if code := request.GET.get("thu_tuc", "").strip()[:40]:
        return {"subject": Subject.PROCEDURE, "procedure_code": code}
    if code := request.GET.get("ho_so", "").strip()[:40]:
        return {"subject": Subject.DOSSIER, "dossier_code": code}
    return {}


@never_cache
@require_http_methods(["GET", "POST"])
def feedback_submit(request: HttpRequest) -> HttpResponse:
    """Gửi phản ánh, kiến nghị."""
    citizen = request.user if is_citizen(request.user) else None
    if request.method != "POST":
        form = forms.SubmitForm(initial=_initial(request))
        return render(request, "feedback/submit.html", {"form": form, "citizen": citizen})
    form = forms.SubmitForm(request.POST)
    context: dict[str, Any] = {"form": form, "citizen": citizen}
    state = throttling.submission_state(request, form.contacts())
    lookups = throttling.lookup_state(request)
    if state.locked or (lookups.locked and request.POST.get("subject") == Subject.DOSSIER):
        return _locked_response(request, "feedback/submit.html", context, state if state.locked else lookups)
    if not form.is_valid():
        return render(request, "feedback/submit.html", context, status=422)
    data = form.cleaned_data
    submission = services.Submission(
        subject=data["subject"],
        kind=data["kind"],
        content=data["content"],
        dossier_code=data["dossier_code"],
        dossier_key=data["dossier_key"],
        procedure_code=data["procedure_code"],
        unit_id=data["unit"].pk if data["unit"] else None,
        sender_name=data["sender_name"],
        sender_phone=data["sender_phone"],
        sender_email=data["sender_email"],
    )
    try:
        feedback = services.feedback_submit(submission=submission, citizen=citizen)
    except FeedbackInputError as exc:
        if exc.lookup_failed:
            throttling.lookup_failed(request)
        for field, message in exc.errors.items():
            form.add_error(field if field in form.fields else None, message)
        return render(request, "feedback/submit.html", context, status=422)
    throttling.submission_count(request, [feedback.sender_phone, feedback.sender_email])
    _remember(request, feedback.code)
    request.session[SESSION_SENT] = {"code": feedback.code, "key": feedback.lookup_key}
    return HttpResponseRedirect(reverse("feedback-sent"))


@never_cache
@require_GET
def feedback_sent(request: HttpRequest) -> HttpResponse:
    """The receipt: the code and lookup key, shown once after sending."""
    sent = request.session.pop(SESSION_SENT, None)
    if not sent:
        return HttpResponseRedirect(reverse("feedback-submit"))
    return render(request, "feedback/sent.html", {"code": sent["code"], "key": sent["key"]})


@never_cache
@require_http_methods(["GET", "POST"])
def feedback_lookup(request: HttpRequest) -> HttpResponse:
    """Tra cứu phản ánh: code and lookup key; a correct pair opens the tracking page."""
    if request.method != "POST":
        form = forms.LookupForm(initial={"code": request.GET.get("ma", "")[:40]})
        return render(request, "feedback/lookup.html", {"form": form})
    form = forms.LookupForm(request.POST)
    state = throttling.lookup_state(request)
    if state.locked:
        return _locked_response(request, "feedback/lookup.html", {"form": form}, state)
    if not form.is_valid():
        return render(request, "feedback/lookup.html", {"form": form}, status=422)
    feedback = selectors.feedback_lookup(code=form.cleaned_data["code"], key=form.cleaned_data["key"])
    if feedback is None:
        throttling.lookup_failed(request)
        form.add_error(None, _("Không tìm thấy phản ánh với mã phản ánh và mã tra cứu đã nhập."))
        return render(request, "feedback/lookup.html", {"form": form}, status=404)
    _remember(request, feedback.code)
    return HttpResponseRedirect(reverse("feedback-status", args=[feedback.code]))


def _status_page(
    request: HttpRequest, feedback: Feedback, *, add_more: Any = None, rate: Any = None, status: int = 200
) -> HttpResponse:
    context = {
        "feedback": feedback,
        "state_label": State(feedback.state).label,
        "add_more_form": (add_more or forms.AddMoreForm())
        if feedback.state == State.MORE_REQUESTED
        else None,
        "rate_form": (rate or forms.RateForm())
        if feedback.state in (State.ANSWERED, State.PUBLISHED) and feedback.rated_at is None
        else None,
    }
    return render(request, "feedback/status.html", context, status=status)


def _not_tracked(request: HttpRequest, code: str) -> HttpResponse:
    url = reverse("feedback-lookup")
    normalised = normalise_code(code)
    return HttpResponseRedirect(f"{url}?ma={normalised}" if normalised else url)


@never_cache
@require_GET
def feedback_status(request: HttpRequest, code: str) -> HttpResponse:
    """The sender's tracking page: state, due time, the answer, and the forms to add more or to rate."""
    feedback = _tracked(request, code)
    if feedback is None:
        return _not_tracked(request, code)
    return _status_page(request, feedback)


@require_POST
def feedback_add_more(request: HttpRequest, code: str) -> HttpResponse:
    feedback = _tracked(request, code)
    if feedback is None:
        return _not_tracked(request, code)
    form = forms.AddMoreForm(request.POST)
    if not form.is_valid():
        return _status_page(request, feedback, add_more=form, status=422)
    try:
        services.feedback_add_more(feedback=feedback, text=form.cleaned_data["text"])
    except FeedbackInputError as exc:
        form.add_error("text", exc.message)
        return _status_page(request, feedback, add_more=form, status=exc.status)
    except FeedbackActionError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("feedback-status", args=[feedback.code]))
    messages.success(request, _("Đã gửi thông tin bổ sung. Thời hạn xử lý được tính lại từ hôm nay."))
    return HttpResponseRedirect(reverse("feedback-status", args=[feedback.code]))


@require_POST
def feedback_rate(request: HttpRequest, code: str) -> HttpResponse:
    feedback = _tracked(request, code)
    if feedback is None:
        return _not_tracked(request, code)
    form = forms.RateForm(request.POST)
    if not form.is_valid():
        return _status_page(request, feedback, rate=form, status=422)
    try:
        services.feedback_rate_answer(
            feedback=feedback, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"]
        )
    except FeedbackActionError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("feedback-status", args=[feedback.code]))
    messages.success(request, _("Cảm ơn Ông/Bà đã đánh giá kết quả trả lời."))
    return HttpResponseRedirect(reverse("feedback-status", args=[feedback.code]))


@require_GET
def published_answers(request: HttpRequest) -> HttpResponse:
    """Kết quả trả lời phản ánh, kiến nghị đã công khai."""
    form = forms.PublicSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_bound and form.is_valid() else ""
    try:
        page_number = max(1, int(request.GET.get("trang", "1")))
    except ValueError:
        page_number = 1
    page = selectors.published_answers(query=query, page=min(page_number, 10_000))
    return render(request, "feedback/public_list.html", {"form": form, "page": page})
