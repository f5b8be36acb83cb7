"""Flows are edited in the admin: steps are validated where they are
entered, and a version that has requests is read-only."""

import pytest
from django.core.exceptions import ValidationError

from approvals.models import Flow, FlowStep
from staff.models import Role
from tests.approvals.helpers import make_flow, submit

pytestmark = pytest.mark.django_db

STEP_FIELDS = ("order", "name", "action_label", "mode", "rule", "role", "person", "choice_kind")


def _post(flow_code: str, *steps: dict) -> dict:
    data = {
        "code": flow_code,
        "name": "测试流程",
        "version": 1,
        "description": "",
        "is_active": "on",
        "steps-TOTAL_FORMS": len(steps),
        "steps-INITIAL_FORMS": 0,
        "steps-MIN_NUM_FORMS": 0,
        "steps-MAX_NUM_FORMS": 1000,
    }
    for i, step in enumerate(steps):
        spec = {
            "order": i + 1,
            "name": f"第{i + 1}步",
            "action_label": "同意",
            "mode": "sequential",
        }
        spec |= step
        for field in STEP_FIELDS:
            data[f"steps-{i}-{field}"] = spec.get(field, "")
        if spec.get("departments"):
            data[f"steps-{i}-departments"] = [d.pk for d in spec["departments"]]
        if spec.get("four_eyes"):
            data[f"steps-{i}-four_eyes"] = "on"
    return data


def _step_errors(response) -> list[dict]:
    formset = response.context["inline_admin_formsets"][0].formset
    return [dict(form.errors) for form in formset.forms]


def test_a_role_step_without_a_role_is_refused_at_the_role():
    step = FlowStep(flow=Flow(code="x", name="x"), order=1, name="审核", rule="submitter_role")
    with pytest.raises(ValidationError) as exc:
        step.full_clean(exclude=["flow"])
    assert exc.value.message_dict["role"] == ["参与人规则为“申请人所在单位的岗位”时，须选择岗位。"]
    step.role = Role.BRANCH_MANAGER
    step.full_clean(exclude=["flow"])


def test_the_admin_refuses_steps_that_do_not_fit_together(admin_client, org):
    channel = org.departments["channel"]
    response = admin_client.post(
        "/admin/approvals/flow/add/",
        _post(
            "bad",
            {"rule": "chosen"},
            {"rule": "submitter_role"},
            {"rule": "departments", "departments": [channel], "choice_kind": "departments"},
            {"rule": "submitter_role", "role": Role.VP},
        ),
    )
    assert response.status_code == 200
    assert not Flow.objects.filter(code="bad").exists()
    first, second, third, _ = _step_errors(response)
    assert "本步没有上一步" in first["rule"][0]
    assert second["role"] == ["参与人规则为“申请人所在单位的岗位”时，须选择岗位。"]
    assert "下一步的参与人规则须为“由上一步审批人指定”" in third["choice_kind"][0]


def test_a_chosen_step_needs_a_previous_step_that_chooses(admin_client, org):
    channel = org.departments["channel"]
    response = admin_client.post(
        "/admin/approvals/flow/add/",
        _post("bad2", {"rule": "departments", "departments": [channel]}, {"rule": "chosen"}),
    )
    assert "上一步须设置“下一步参与人由本步指定”" in _step_errors(response)[1]["rule"][0]
    response = admin_client.post(
        "/admin/approvals/flow/add/",
        _post(
            "good",
            {"rule": "departments", "departments": [channel], "choice_kind": "departments"},
            {"rule": "chosen", "mode": "all"},
        ),
    )
    assert response.status_code == 302
    assert Flow.objects.get(code="good").steps.count() == 2


def test_a_flow_version_with_requests_is_read_only_but_can_be_copied(admin_client, org):
    flow = make_flow("used", {"rule": "submitter_role", "role": Role.BRANCH_MANAGER})
    submit(org, flow_code="used")
    page = admin_client.get(f"/admin/approvals/flow/{flow.pk}/change/")
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert "_save" not in page.content.decode()
    refused = admin_client.post(
        f"/admin/approvals/flow/{flow.pk}/change/",
        _post("used", {"rule": "submitter_role", "role": Role.VP}) | {"name": "改名"},
    )
    assert refused.status_code == 403
    flow.refresh_from_db()
    assert flow.name == "测试流程 used"
    assert flow.steps.get().role == Role.BRANCH_MANAGER
    admin_client.post(
        "/admin/approvals/flow/", {"action": "copy_as_new_version", "_selected_action": [flow.pk]}
    )
    copy = Flow.objects.get(code="used", version=2)
    assert admin_client.get(f"/admin/approvals/flow/{copy.pk}/change/").context[
        "has_change_permission"
    ]
