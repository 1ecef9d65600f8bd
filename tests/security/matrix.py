"""The expected answer of every URL to every caller (tests/security/test_permission_matrix.py).

Columns, in order: anonymous, citizen (the dossiers' and the feedback's owner), another citizen, the reception
officer of the centre that received the dossier, the justice department's specialist, leader and unit
administrator (the "own" unit of every object), the construction department's specialist and leader (another
unit), Home Affairs, the province administrator.
Letters: O answered, L sent to log in, D refused or hidden (403/404), V past the gate, refused on its content.
A POST carries no form data unless the row gives some, so an allowed caller usually gets V.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Route:
    method: str
    expect: str
    kwargs: dict[str, str] = field(default_factory=dict)  # URL argument -> scene id key, or "=literal"
    data: dict[str, Any] | None = None  # form fields; a value "@key" is the scene's id of that key
    query: str = ""
    json: bool = False  # the API: the data as a JSON body


def get(expect: str, query: str = "", **kwargs: str) -> Route:
    return Route("GET", expect, kwargs, None, query)


def post(expect: str, data: dict[str, Any] | None = None, **kwargs: str) -> Route:
    return Route("POST", expect, kwargs, data)


def api(expect: str, data: dict[str, Any], **kwargs: str) -> Route:
    """An API action with a body that passes the schema, so the call reaches the permission checks."""
    return Route("POST", expect, kwargs, data, json=True)


VERSION = {"expected_version": 1}


ROUTES: dict[str, Route] = {
    # -- the API -----------------------------------------------------------------------------------------------
    "api-v1:openapi-json": get("OOOOOOOOOOO"),
    "api-v1:openapi-view": get("OOOOOOOOOOO"),
    "api-v1:api-root": get("DDDDDDDDDDD"),
    "api-v1:administrative_units_list": get("OOOOOOOOOOO"),
    "api-v1:administrative_unit_detail": get(
        "OOOOOOOOOOO", generation="=current", level="=province", code="=991"
    ),
    "api-v1:agencies_list": get("OOOOOOOOOOO"),
    "api-v1:procedures_search": get("OOOOOOOOOOO"),
    "api-v1:fields_list": get("OOOOOOOOOOO"),
    "api-v1:procedure_detail": get("OOOOOOOOOOO", code="procedure"),
    "api-v1:calendar_due": get(
        "OOOOOOOOOOO", query="received_at=2026-03-09T09:00:00%2B07:00&amount=3&unit=working_days"
    ),
    "api-v1:calendar_days_off": get("OOOOOOOOOOO", year="=2026"),
    "api-v1:calendar_between": get("OOOOOOOOOOO", query="start=2026-03-02&end=2026-03-13"),
    "api-v1:dossiers_worklist": get("LDDOOOOOOOO"),
    "api-v1:dossier_intake": api(
        "LDDVVVVVVVV",
        {
            "procedure_code": "@procedure",
            "receiving_unit_id": "@centre",
            "competent_unit_id": "@justice",
            "applicant": {"full_name": "Nguyễn Văn An"},
            "outcome": "refuse",
            "reason": "Không thuộc thẩm quyền",
        },
    ),
    "api-v1:dossier_detail": get("LDDOOOODDOO", code="dossier"),
    "api-v1:dossier_assign": api("LDDVVVVDDVV", VERSION | {"assignee_id": "@specialist_id"}, code="dossier"),
    "api-v1:dossier_hand_over": api("LDDODDDDDDD", VERSION, code="dossier"),
    "api-v1:dossier_request_supplement": api(
        "LDDVVVVDDVV", VERSION | {"missing": ["Tờ khai"]}, code="dossier"
    ),
    "api-v1:dossier_complete_supplement": api("LDDVVVVDDVV", VERSION, code="dossier"),
    "api-v1:dossier_apologise": api(
        "LDDVVVVDDVV",
        VERSION | {"reason": "Chậm", "new_appointment_at": "2099-01-05T09:00:00+07:00"},
        code="dossier",
    ),
    "api-v1:dossier_resolve": api(
        "LDDDDODDDDD", VERSION | {"document_number": "12/GP", "document_date": "2026-03-10"}, code="dossier"
    ),
    "api-v1:dossier_stop": api("LDDDDODDDDD", VERSION | {"reason": "Dừng"}, code="dossier"),
    "api-v1:dossier_withdraw": api("LDDODDDDDDD", VERSION | {"reason": "Rút"}, code="dossier"),
    "api-v1:dossier_return_result": api("LDDVVVVDDVV", VERSION, code="dossier"),
    "api-v1:dossier_receive": api("LDDODDDDDDD", VERSION, code="online_dossier"),
    "api-v1:dossier_request_supplement_at_reception": api(
        "LDDODDDDDDD", VERSION | {"missing": ["Tờ khai"]}, code="online_dossier"
    ),
    "api-v1:dossier_refuse": api(
        "LDDODDDDDDD", VERSION | {"reason": "Không thuộc thẩm quyền"}, code="online_dossier"
    ),
    "api-v1:dossier_unknown_action": api("LDDDDDDDDDD", VERSION, code="dossier", action="=fly"),
    # -- public pages --------------------------------------------------------------------------------------------
    "set_language": post("OOOOOOOOOOO", data={"language": "en", "next": "/"}),
    "home": get("OOOOOOOOOOO"),
    "procedure-search": get("OOOOOOOOOOO"),
    "procedure-detail": get("OOOOOOOOOOO", code="procedure"),
    "procedure-form-template": get("DDDDDDDDDDD", code="procedure", component_id="catalog_component"),
    "transparency": get("OOOOOOOOOOO"),
    "transparency-csv": get("OOOOOOOOOOO"),
    "transparency-json": get("OOOOOOOOOOO"),
    "parindex-public": get("OOOOOOOOOOO"),
    "portal-track": get("OOOOOOOOOOO"),
    "portal-rate": post("VVVVVVVVVVV"),
    "portal-evaluate": post("VVVVVVVVVVV"),
    "portal-result": post("VVVVVVVVVVV"),
    "portal-rating-link": get("VVVVVVVVVVV", token="=not-a-token"),
    "feedback-public": get("OOOOOOOOOOO"),
    "feedback-submit": get("OOOOOOOOOOO"),
    "feedback-sent": get("OOOOOOOOOOO"),
    "feedback-lookup": get("OOOOOOOOOOO"),
    "feedback-status": get("OOOOOOOOOOO", code="feedback"),
    "feedback-add-more": post("OVOOOOOOOOO", code="feedback"),
    "feedback-rate": post("OVOOOOOOOOO", code="feedback"),
    "payments-return": get("VVVVVVVVVVV"),
    "payments-ipn": get("OOOOOOOOOOO"),
    "payments-sandbox": get("DDDDDDDDDDD"),
    # -- sign-in -------------------------------------------------------------------------------------------------
    "staff-login": get("OOOOOOOOOOO"),
    "staff-logout": post("OOOOOOOOOOO"),
    "citizen-login": get("OOOOOOOOOOO"),
    "citizen-login-code": get("LLLLLLLLLLL"),
    "citizen-oidc-start": get("DDDDDDDDDDD"),
    "citizen-oidc-callback": get("DDDDDDDDDDD"),
    "staff-oidc-start": get("DDDDDDDDDDD"),
    "staff-oidc-callback": get("DDDDDDDDDDD"),
    "citizen-logout": post("OOOOOOOOOOO"),
    # -- the citizen's own pages ---------------------------------------------------------------------------------
    "citizen-profile": get("LOOLLLLLLLL"),
    "portal-my-dossiers": get("LOODDDDDDDD"),
    "portal-my-dossier": get("LODDDDDDDDD", code="dossier"),
    "submission-drafts": get("LOOLLLLLLLL"),
    "submission-start": get("LOOLLLLLLLL", code="procedure"),
    "submission-applicant": get("LODLLLLLLLL", key="draft"),
    "submission-files": get("LODLLLLLLLL", key="draft"),
    "submission-return": get("LODLLLLLLLL", key="draft"),
    "submission-review": get("LODLLLLLLLL", key="draft"),
    "submission-done": get("LODLLLLLLLL", code="online_dossier"),
    "submission-supplement": get("LODLLLLLLLL", code="online_dossier"),
    "payments-pay": get("DODDDDDDDDD", code="dossier"),
    "payments-payment": get("DDDDDDDDDDD", code="dossier", ref="=NO-SUCH-REF"),
    "payments-receipt-pdf": get("DDDDDDDDDDD", code="dossier", ref="=NO-SUCH-REF"),
    # -- staff: dossiers -----------------------------------------------------------------------------------------
    "staff-worklist": get("LDDOOOOOOOO"),
    "staff-dossier": get("LDDOOOODDOO", code="dossier"),
    "staff-dossier-action": post("LDDVVVVDDVV", {"version": "1"}, code="dossier", action="=hand_over"),
    "staff-dossier-form": get("LDDOOOODDOO", code="dossier", number="=01"),
    "staff-dossier-file": get("LDDOOOODDOO", code="online_dossier", component_id="dossier_file"),
    "staff-dossier-result": get("LDDOOOODDOO", code="resolved_dossier"),
    "staff-desk": get("LDDOOOOOOOO"),
    "staff-register": get("LDDOOOOOOOO"),
    "staff-register-export": get("LDDOOOOOOOO", extension="=xlsx"),
    "payments-reconcile": get("LDDOOOOOOOO"),
    "nationalportal-sync": get("LDDOOOOOOOO"),
    # The justice department's failed message: its unit administrator or the province administrator resends it.
    "nationalportal-resend": post("LDDDDDODDDO", pk="portal_message"),
    "payments-reconcile-export": get("LDDOOOOOOOO"),
    "feedback-staff-worklist": get("LDDOOOOOOOO"),
    "feedback-staff-detail": get("LDDDOOODDOO", code="feedback"),
    "feedback-staff-action": post("LDDDVVVDDVV", code="feedback", action="=answer"),
    # -- staff: statistics and indexes ---------------------------------------------------------------------------
    "stats-statistics": get("LDDOOOOOOOO"),
    "stats-dossiers": get("LDDOOOOOOOO", query="ky=year&nam=2026&so=1&nhom=unit&chitieu=resolved"),
    "stats-export": get("LDDOOOOOOOO"),
    "serviceindex-ranking": get("LDDOOOOOOOO"),
    "serviceindex-province": get("LDDDDDDDDOO"),
    "serviceindex-unit": get("LDDDOOODDOO", unit_id="justice"),
    "serviceindex-export": get("LDDOOOOOOOO"),
    "dashboard": get("LDDOOOOOOOO"),
    "parindex-list": get("LDDOOOOOOOO"),
    "parindex-sets": get("LDDDDDDDDOD"),
    "parindex-set-upload": post("LDDDDDDDDVD"),
    "parindex-set-download": get("LDDDDDDDDOD", set_id="criteria_set", extension="=json"),
    "parindex-open": post("LDDDDDDDDVD", set_id="criteria_set"),
    "parindex-ranking": get("LDDDDDDDDOD", assessment_id="assessment"),
    "parindex-xlsx": get("LDDDDDDDDOD", assessment_id="assessment"),
    "parindex-publish": post("LDDDDDDDDOD", assessment_id="assessment"),
    "parindex-survey": post("LDDDDDDDDVD", assessment_id="assessment"),
    "parindex-unit": get("LDDDOOODDOD", assessment_id="assessment", unit_id="justice"),
    "parindex-scorecard": get("LDDDOOODDOD", assessment_id="assessment", unit_id="justice"),
    "parindex-submit": post("LDDDDODDDDD", assessment_id="assessment", unit_id="justice"),
    "parindex-score": post(
        "LDDDVVVDDDD", assessment_id="assessment", unit_id="justice", criterion_id="criterion"
    ),
    "parindex-evidence": post(
        "LDDDVVVDDDD", assessment_id="assessment", unit_id="justice", criterion_id="criterion"
    ),
    "parindex-evidence-file": get(
        "LDDDOOODDOD", assessment_id="assessment", unit_id="justice", file_id="par_file"
    ),
    "parindex-appraise": post(
        "LDDDDDDDDVD", assessment_id="assessment", unit_id="justice", criterion_id="criterion"
    ),
    # -- staff: plans, accountability, reports ------------------------------------------------------------------
    "plans-list": get("LDDOOOOOOOO"),
    "plans-plan": get("LDDOOOOOOOO", plan_id="plan"),
    "plans-task-create": post("LDDDDDDDDVD", plan_id="plan"),
    "plans-task-report": post("LDDDVVVDDDD", plan_id="plan", task_id="task"),
    "plans-derive": post("LDDDDOODDOD", {"don_vi": "@justice"}, plan_id="plan"),
    "plans-task-evidence": post("LDDDVVVDDDD", plan_id="plan", task_id="task"),
    "plans-evidence-file": get("LDDOOOOOOOO", plan_id="plan", file_id="task_file"),
    "accountability-list": get("LDDOOOOOOOO"),
    "accountability-create": post("LDDDDOODDOD", {"nam": "2026", "don_vi": "@justice"}),
    "accountability-commitment": get("LDDDOOODDOO", commitment_id="commitment"),
    "accountability-item-add": post("LDDDDVVDDVD", commitment_id="commitment"),
    "accountability-sign": post("LDDDDODDDDD", commitment_id="commitment"),
    "accountability-evidence": post("LDDDVVVDDDD", commitment_id="commitment", item_id="item"),
    "accountability-evidence-file": get("LDDDOOODDOO", commitment_id="commitment", file_id="commitment_file"),
    "accountability-judge": post("LDDDDDDDDVD", commitment_id="commitment", item_id="item"),
    "accountability-inspections": get("LDDOOOOOOOO"),
    "accountability-inspection-create": post("LDDDDDDDDOD"),
    "accountability-inspection": get("LDDDOOODDOO", inspection_id="inspection"),
    "accountability-inspection-conduct": post("LDDDDDDDDVD", inspection_id="inspection"),
    "accountability-finding-create": post("LDDDDDDDDVD", inspection_id="inspection"),
    "accountability-remedy-create": post("LDDDDDDDDVD", inspection_id="inspection", finding_id="finding"),
    "accountability-discipline-create": post("LDDDDDDDDVD", inspection_id="inspection", finding_id="finding"),
    "accountability-discipline-decide": post(
        "LDDDDDDDDVD", inspection_id="inspection", recommendation_id="recommendation"
    ),
    "accountability-inspection-conclude": post("LDDDDDDDDVD", inspection_id="inspection"),
    "accountability-remedy-report": post("LDDDVVVDDDD", inspection_id="inspection", remedy_id="remedy"),
    "accountability-remedy-review": post("LDDDDDDDDVD", inspection_id="inspection", remedy_id="remedy"),
    "accountability-remedy-file": get("LDDDOOODDOD", inspection_id="inspection", file_id="remedy_file"),
    "accountability-rewards": get("LDDOOOOOOOO"),
    "accountability-proposals-draft": post("LDDDDDDDDOD"),
    "accountability-proposal-decide": post("LDDDDDDDDVD", proposal_id="proposal"),
    "accountability-initiative-submit": post("LDDDVVVDDDD", {"nam": "2026", "don_vi": "@justice"}),
    "accountability-initiative-assess": post("LDDDDDDDDVD", initiative_id="initiative"),
    "reports-list": get("LDDOOOOOOOO"),
    "reports-create": post("LDDDOOODDDD", {"nam": "2026", "ky": "q1", "don_vi": "@justice"}),
    "reports-report": get("LDDDOOODDOO", report_id="report"),
    "reports-save": post("LDDDOOODDDD", report_id="report"),
    "reports-submit": post("LDDDDVDDDDD", report_id="report"),
    "reports-docx": get("LDDDOOODDOO", report_id="report"),
    "reports-xlsx": get("LDDDOOODDOO", report_id="report"),
}
