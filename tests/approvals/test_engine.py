"""The approval & countersign engine: modes, actions, escalation, safety."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from approvals import selectors
from approvals import services as approvals
from approvals.models import Action, Deputy, FlowStep, Notice, Request, StepRun, Task
from staff.models import Role
from teams import services as teams
from teams.models import FilingStatus, TeamFiling
from tests.approvals.helpers import filing, fresh, make_flow, only_open, open_tasks, submit
from tests.staff.factories import person, role

pytestmark = pytest.mark.django_db

SEQ, ALL, ANY = FlowStep.Mode.SEQUENTIAL, FlowStep.Mode.ALL, FlowStep.Mode.ANY


def test_rules_filing_goes_through_its_flow_and_supersedes_the_old_version(org):
    """R-1.1: team leader → 营业部经理 → 渠道管理部 approves."""
    first = submit(org)
    task = only_open(first)
    assert task.user == org.bm1
    approvals.approve_task(actor=org.bm1, task=task, opinion="同意报渠道管理部")
    task = only_open(fresh(first))
    assert task.department.code == "channel"
    approvals.approve_task(actor=org.chan, task=task, opinion="批准执行")
    first = fresh(first)
    assert first.state == Request.State.APPROVED
    old = first.subject
    assert old.status == FilingStatus.APPROVED
    # A second version approved later supersedes the first.
    second = submit(org)
    approvals.approve_task(actor=org.bm1, task=only_open(second))
    approvals.approve_task(actor=org.chan, task=only_open(fresh(second)))
    old.refresh_from_db()
    assert old.status == FilingStatus.SUPERSEDED
    assert old.superseded_by == fresh(second).subject
    kinds = list(first.actions.values_list("kind", flat=True))
    assert kinds == ["submit", "approve", "approve", "finish"]
    told = set(
        Notice.objects.filter(title__startswith="已审批通过").values_list(
            "user__employee_no", flat=True
        )
    )
    assert {"a_tl", "bm1"} <= told  # the branch is told


def test_sequential_step_opens_its_participants_one_after_another(org):
    make_flow(
        "seq",
        {
            "mode": SEQ,
            "rule": "departments",
            "departments": [org.departments["compliance"], org.departments["hr"]],
        },
    )
    req = submit(org, flow_code="seq")
    statuses = list(req.tasks.order_by("position").values_list("department__code", "status"))
    assert statuses == [("compliance", "open"), ("hr", "queued")]
    approvals.approve_task(actor=org.comp1, task=only_open(req))
    assert only_open(fresh(req)).department.code == "hr"
    approvals.approve_task(actor=org.hr1, task=only_open(fresh(req)))
    assert fresh(req).state == Request.State.APPROVED


def test_countersign_needs_every_participant(org):
    make_flow(
        "all",
        {
            "mode": ALL,
            "rule": "departments",
            "departments": [org.departments["compliance"], org.departments["hr"]],
        },
        {"rule": "submitter_role", "role": Role.VP},
    )
    req = submit(org, flow_code="all")
    assert len(open_tasks(req)) == 2
    comp_task = next(t for t in open_tasks(req) if t.department.code == "compliance")
    approvals.approve_task(actor=org.comp2, task=comp_task, opinion="合规无异议")
    req = fresh(req)
    assert req.current_step.order == 1
    approvals.approve_task(actor=org.hr1, task=only_open(req))
    assert only_open(fresh(req)).user == org.vp


def test_or_sign_is_settled_by_the_first_approval(org):
    make_flow(
        "any",
        {
            "mode": ANY,
            "rule": "departments",
            "departments": [org.departments["compliance"], org.departments["hr"]],
        },
    )
    req = submit(org, flow_code="any")
    hr_task = next(t for t in open_tasks(req) if t.department.code == "hr")
    approvals.approve_task(actor=org.hr1, task=hr_task)
    req = fresh(req)
    assert req.state == Request.State.APPROVED
    assert req.tasks.get(department__code="compliance").status == Task.Status.CANCELLED


def test_the_plan_flow_countersigners_are_chosen_at_run_time(org):
    """R-1.3: 渠道管理部 names the departments that must countersign."""
    req = submit(org, flow_code="team_plan")
    approvals.approve_task(actor=org.bm1, task=only_open(req))
    approvals.approve_task(actor=org.office, task=only_open(fresh(req)))
    with pytest.raises(ValidationError) as exc:
        approvals.approve_task(actor=org.chan, task=only_open(fresh(req)))
    assert exc.value.message_dict["departments"] == ["请至少指定一个会签部门。"]
    approvals.approve_task(
        actor=org.chan,
        task=only_open(fresh(req)),
        opinion="请会签",
        departments=[org.departments["compliance"], org.departments["hr"]],
    )
    req = fresh(req)
    assert req.current_step.name == "相关部门会签"
    assert sorted(t.department.code for t in open_tasks(req)) == ["compliance", "hr"]
    for actor in (org.comp1, org.hr1):
        mine = next(t for t in open_tasks(fresh(req)) if t.department_id == actor.department_id)
        approvals.approve_task(actor=actor, task=mine, opinion="会签同意")
    for actor in (org.office, org.vp, org.office):
        approvals.approve_task(actor=actor, task=only_open(fresh(req)))
    req = fresh(req)
    assert req.state == Request.State.APPROVED
    steps = [r.step.name for r in req.step_runs.order_by("started_at", "id")]
    assert steps == [
        "营业部经理报送",
        "经纪业务综合室受理",
        "渠道管理部审核并指定会签部门",
        "相关部门会签",
        "经纪业务综合室完成报备",
        "主管副总裁批示",
        "经纪业务综合室发送会签意见",
    ]
    choice = req.actions.get(kind=Action.Kind.APPROVE, step__order=3)
    assert choice.targets == ["合规部", "人力资源部"]


def test_rejection_goes_back_to_the_submitter_who_resubmits_and_every_round_is_kept(org):
    req = submit(org)
    with pytest.raises(ValidationError) as exc:
        approvals.reject_task(actor=org.bm1, task=only_open(req), opinion="  ")
    assert exc.value.message_dict["opinion"] == ["不同意时必须填写意见。"]
    approvals.reject_task(actor=org.bm1, task=only_open(req), opinion="薪酬部分需细化")
    req = fresh(req)
    subject = req.subject
    assert req.state == Request.State.REJECTED
    assert subject.status == FilingStatus.REJECTED
    teams.update_rules_filing(actor=org.a_tl, filing=subject, content="细化后的薪酬条款")
    approvals.resubmit_request(actor=org.a_tl, request=req, opinion="已按意见修改")
    req = fresh(req)
    assert (req.state, req.round) == (Request.State.PENDING, 2)
    assert only_open(req).user == org.bm1
    rounds = list(req.actions.values_list("round", "kind"))
    assert rounds == [(1, "submit"), (1, "reject"), (2, "resubmit")]
    assert Notice.objects.filter(user=org.a_tl, title__startswith="被退回").exists()


def test_only_the_submitter_resubmits(org):
    req = submit(org)
    approvals.reject_task(actor=org.bm1, task=only_open(req), opinion="重写")
    with pytest.raises(ValidationError, match="只有申请人本人可以重新提交"):
        approvals.resubmit_request(actor=org.bm1, request=fresh(req))


def test_withdraw_only_before_the_first_action(org):
    req = submit(org)
    approvals.withdraw_request(actor=org.a_tl, request=req)
    req = fresh(req)
    assert req.state == Request.State.WITHDRAWN
    assert req.subject.status == FilingStatus.WITHDRAWN
    assert not req.tasks.filter(status=Task.Status.OPEN).exists()
    approvals.resubmit_request(actor=org.a_tl, request=req)
    approvals.approve_task(actor=org.bm1, task=only_open(fresh(req)))
    with pytest.raises(ValidationError, match="已有审批人办理，不能撤回"):
        approvals.withdraw_request(actor=org.a_tl, request=fresh(req))


def test_return_to_an_earlier_step_starts_it_again(org):
    req = submit(org)
    approvals.approve_task(actor=org.bm1, task=only_open(req))
    channel_task = only_open(fresh(req))
    first_step = req.flow.steps.get(order=1)
    with pytest.raises(ValidationError) as exc:
        approvals.return_task(
            actor=org.chan, task=channel_task, to_step=req.flow.steps.get(order=2), opinion="x"
        )
    assert "只能退回到本步骤之前的步骤" in exc.value.message_dict["to_step"][0]
    approvals.return_task(
        actor=org.chan, task=channel_task, to_step=first_step, opinion="请营业部经理补充意见"
    )
    req = fresh(req)
    assert req.current_step == first_step
    assert only_open(req).user == org.bm1
    assert req.step_runs.filter(status=StepRun.Status.RETURNED).count() == 1


def test_nobody_approves_his_own_request_the_step_goes_one_level_up(org):
    """The branch manager also leads team B and files its rules: step 1
    would be his own; it goes to the VP."""
    role(org.bm1, Role.TEAM_LEADER, team=org.team_b)
    f = teams.create_rules_filing(actor=org.bm1, team=org.team_b, title="B 团队细则", content="……")
    req = approvals.submit_request(actor=org.bm1, subject=f, flow_code="team_rules")
    task = only_open(req)
    assert task.user == org.vp
    assert task.escalated_from == "营业部经理"
    escalation = req.actions.get(kind=Action.Kind.ESCALATE)
    assert "上提一级由副总裁审批" in escalation.opinion


def test_a_vacant_post_goes_one_level_up(org):
    """Branch 2 has no branch manager: team C's filing goes to the VP."""
    req = submit(org, team=org.team_c)
    assert only_open(req).user == org.vp


def test_no_approver_anywhere_is_a_clear_error_and_nothing_is_written(org):
    from staff import services as staff_services

    for assignment in org.vp.role_assignments.all():
        staff_services.end_role(
            actor=org.vp, assignment=assignment, effective_on=dt.date(2024, 1, 2)
        )
    f = filing(org, team=org.team_c)
    with pytest.raises(ValidationError, match="无法确定“营业部经理审核”的审批人"):
        approvals.submit_request(actor=org.c_tl, subject=f, flow_code="team_rules")
    assert not Request.objects.exists()
    f.refresh_from_db()
    assert f.status == FilingStatus.DRAFT


def test_four_eyes_step_refuses_the_preparer(org):
    """The office member prepared the subject; the office step needs four eyes."""
    make_flow(
        "four",
        {"rule": "departments", "departments": [org.departments["office"]], "four_eyes": True},
    )
    office2 = person(name="综合室二", department=org.departments["office"], employee_no="office2")
    role(office2, Role.HQ_MEMBER, department=org.departments["office"])
    f = filing(org)
    TeamFiling.objects.filter(pk=f.pk).update(prepared_by=org.office)
    f.refresh_from_db()
    req = approvals.submit_request(actor=org.a_tl, subject=f, flow_code="four")
    with pytest.raises(ValidationError, match="四眼原则"):
        approvals.approve_task(actor=org.office, task=only_open(req))
    approvals.approve_task(actor=office2, task=only_open(fresh(req)))
    assert fresh(req).state == Request.State.APPROVED


def test_four_eyes_on_a_named_person_escalates(org):
    make_flow("four_person", {"rule": "person", "person": org.a_tl, "four_eyes": True})
    f = filing(org)
    TeamFiling.objects.filter(pk=f.pk).update(prepared_by=org.a_tl)
    req = approvals.submit_request(
        actor=org.a_gl, subject=TeamFiling.objects.get(pk=f.pk), flow_code="four_person"
    )
    assert only_open(req).user == org.bm1  # team leader's superior


def test_a_non_participant_is_refused_with_a_clear_message(org):
    req = submit(org)
    for outsider in (org.a_cm1, org.comp1, org.b_tl):
        with pytest.raises(ValidationError, match="您不是该步骤的审批人"):
            approvals.approve_task(actor=outsider, task=only_open(req))


def test_a_double_click_cannot_approve_twice_or_skip_a_step(org):
    req = submit(org)
    task = only_open(req)
    approvals.approve_task(actor=org.bm1, task=task)
    with pytest.raises(ValidationError, match="已由一部经理办理"):
        approvals.approve_task(actor=org.bm1, task=task)
    assert fresh(req).step_runs.count() == 2
    assert fresh(req).actions.filter(kind=Action.Kind.APPROVE).count() == 1


def test_any_holder_of_a_post_acts_for_it(org):
    bm1b = person(name="一部经理乙", branch=org.b1, employee_no="bm1b")
    role(bm1b, Role.BRANCH_MANAGER, branch=org.b1)
    req = submit(org)
    assert sorted(t.user.employee_no for t in open_tasks(req)) == ["bm1", "bm1b"]
    approvals.approve_task(actor=bm1b, task=req.tasks.get(user=bm1b))
    req = fresh(req)
    assert req.tasks.get(user=org.bm1).status == Task.Status.CANCELLED
    assert only_open(req).department.code == "channel"


def test_transfer_to_a_colleague_entitled_to_the_step(org):
    bm1b = person(name="一部经理乙", branch=org.b1, employee_no="bm1b")
    role(bm1b, Role.BRANCH_MANAGER, branch=org.b1)
    make_flow(
        "named",
        {"rule": "person", "person": org.bm1},
        {"rule": "departments", "departments": [org.departments["channel"]]},
    )
    req = submit(org, flow_code="named")
    task = only_open(req)
    assert approvals.transfer_candidates(task) == [bm1b]
    with pytest.raises(ValidationError) as exc:
        approvals.transfer_task(actor=org.bm1, task=task, to_user=org.fin1)
    assert "不是同岗位的同事" in exc.value.message_dict["to_user"][0]
    new = approvals.transfer_task(
        actor=org.bm1, task=task, to_user=bm1b, opinion="出差，请代为审核"
    )
    assert only_open(fresh(req)) == new
    with pytest.raises(ValidationError):
        approvals.approve_task(actor=org.bm1, task=new)
    approvals.approve_task(actor=bm1b, task=new)
    assert only_open(fresh(req)).department.code == "channel"


def test_add_a_signer_before_me(org):
    req = submit(org)
    mine = only_open(req)
    added = approvals.add_signer(
        actor=org.bm1, task=mine, user=org.fin1, before=True, opinion="请财务先看薪酬条款"
    )
    mine.refresh_from_db()
    assert mine.status == Task.Status.WAITING
    assert only_open(fresh(req)) == added
    approvals.approve_task(actor=org.fin1, task=added, opinion="测算无误")
    mine.refresh_from_db()
    assert mine.status == Task.Status.OPEN
    approvals.approve_task(actor=org.bm1, task=mine)
    assert only_open(fresh(req)).department.code == "channel"


def test_add_a_signer_after_me(org):
    req = submit(org)
    mine = only_open(req)
    approvals.add_signer(actor=org.bm1, task=mine, user=org.fin1, before=False)
    approvals.approve_task(actor=org.bm1, task=mine)
    after = only_open(fresh(req))
    assert after.user == org.fin1
    assert fresh(req).current_step.order == 1
    approvals.approve_task(actor=org.fin1, task=after)
    assert only_open(fresh(req)).department.code == "channel"


def test_cc_lets_others_follow_the_request(org):
    req = submit(org)
    assert not Request.objects.visible_to(org.comp1).filter(pk=req.pk).exists()
    approvals.cc_request(actor=org.a_tl, request=req, users=[org.comp1], opinion="供参考")
    assert Request.objects.visible_to(org.comp1).filter(pk=req.pk).exists()
    assert Notice.objects.filter(user=org.comp1, title__contains="抄送给您").exists()
    with pytest.raises(ValidationError, match="只有申请人或审批人可以抄送"):
        approvals.cc_request(actor=org.a_cm1, request=req, users=[org.hr1])


def test_remind_at_most_once_a_day(org):
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)):
        req = submit(org)
        sent = approvals.remind_request(actor=org.a_tl, request=req)
        assert [n.user for n in sent] == [org.bm1]
        with pytest.raises(ValidationError, match="今天已经催办过了"):
            approvals.remind_request(actor=org.a_tl, request=fresh(req))
    with time_machine.travel(dt.datetime(2026, 3, 3, 9, 0, tzinfo=dt.UTC)):
        approvals.remind_request(actor=org.a_tl, request=fresh(req))
    with pytest.raises(ValidationError, match="只有申请人可以催办"):
        approvals.remind_request(actor=org.bm1, request=fresh(req))


def test_a_deputy_receives_the_persons_tasks_for_the_date_range(org):
    dep = person(name="一部副经理", branch=org.b1, employee_no="dep1")
    today = dt.date.today()
    approvals.set_deputy(
        actor=org.bm1,
        principal=org.bm1,
        deputy=dep,
        valid_from=today,
        valid_to=today + dt.timedelta(days=3),
        reason="年假",
    )
    req = submit(org)
    task = only_open(req)
    assert list(selectors.inbox(dep)) == [task]
    approvals.approve_task(actor=dep, task=task, opinion="代为同意")
    action = fresh(req).actions.get(kind=Action.Kind.APPROVE)
    assert (action.actor, action.on_behalf_of) == (dep, org.bm1)
    with pytest.raises(ValidationError, match="该期间已设置了代理人"):
        approvals.set_deputy(
            actor=org.bm1,
            principal=org.bm1,
            deputy=org.fin1,
            valid_from=today,
            valid_to=today + dt.timedelta(days=1),
        )


def test_a_deputy_outside_the_range_receives_nothing(org):
    dep = person(name="一部副经理", branch=org.b1, employee_no="dep1")
    Deputy.objects.create(
        principal=org.bm1,
        deputy=dep,
        valid_from=dt.date(2020, 1, 1),
        valid_to=dt.date(2020, 1, 5),
        created_by=org.bm1,
    )
    req = submit(org)
    assert list(selectors.inbox(dep)) == []
    with pytest.raises(ValidationError):
        approvals.approve_task(actor=dep, task=only_open(req))


def test_batch_approve_several_tasks_at_once(org):
    requests = [submit(org), submit(org, team=org.team_b), submit(org, team=org.team_a)]
    results = approvals.batch_approve(
        actor=org.bm1, task_ids=[only_open(r).pk for r in requests], opinion="同意"
    )
    assert [r.ok for r in results] == [True, True, True]
    assert all(only_open(fresh(r)).department.code == "channel" for r in requests)
    # A step that must name the next participants is refused in a batch.
    plan = submit(org, flow_code="team_plan")
    approvals.approve_task(actor=org.bm1, task=only_open(plan))
    approvals.approve_task(actor=org.office, task=only_open(fresh(plan)))
    results = approvals.batch_approve(
        actor=org.chan, task_ids=[only_open(fresh(plan)).pk, only_open(fresh(requests[0])).pk]
    )
    assert [(r.ok, r.message) for r in results] == [
        (False, "本步骤须指定下一步参与人，请逐件办理。"),
        (True, "已同意"),
    ]


def test_comments_are_kept_in_the_timeline(org):
    req = submit(org)
    approvals.comment_request(actor=org.bm1, request=req, opinion="第三条表述需斟酌")
    comment = fresh(req).actions.get(kind=Action.Kind.COMMENT)
    assert comment.opinion == "第三条表述需斟酌"
    assert Notice.objects.filter(user=org.a_tl, body="第三条表述需斟酌").exists()


def test_the_subject_is_read_only_while_pending_and_after_approval(org):
    req = submit(org)
    f = req.subject
    with pytest.raises(ValidationError, match="报批中，不能修改"):
        teams.update_rules_filing(actor=org.a_tl, filing=f, title="改标题")
    approvals.approve_task(actor=org.bm1, task=only_open(req))
    approvals.approve_task(actor=org.chan, task=only_open(fresh(req)))
    f.refresh_from_db()
    with pytest.raises(ValidationError, match="已批准（执行中），不能修改"):
        teams.update_rules_filing(actor=org.a_tl, filing=f, title="改标题")


def test_a_running_request_keeps_its_flow_version(org, admin_client):
    from approvals.models import Flow

    req = submit(org)
    old = Flow.objects.get(code="team_rules", version=1)
    admin_client.post(
        "/admin/approvals/flow/", {"action": "copy_as_new_version", "_selected_action": [old.pk]}
    )
    new = Flow.objects.get(code="team_rules", version=2)
    assert not Flow.objects.get(pk=old.pk).is_active
    FlowStep.objects.filter(flow=new, order=2).update(name="渠道管理部审批（新版）")
    approvals.approve_task(actor=org.bm1, task=only_open(req))
    assert fresh(req).current_step.name == "渠道管理部审批"
    newer = submit(org)
    assert newer.flow == new


def test_a_deputy_is_told_of_new_tasks_reminders_and_overdue_tasks(org):
    from approvals.reminders import overdue_approvals

    dep = person(name="一部副经理", branch=org.b1, employee_no="dep1")
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)):
        approvals.set_deputy(
            actor=org.bm1,
            principal=org.bm1,
            deputy=dep,
            valid_from=dt.date(2026, 3, 2),
            valid_to=dt.date(2026, 3, 20),
            reason="年假",
        )
        req = submit(org)
        assert Notice.objects.filter(user=dep, title__startswith="待审批").exists()
        sent = approvals.remind_request(actor=org.a_tl, request=req)
        assert {n.user for n in sent} == {org.bm1, dep}
    reminders = list(overdue_approvals(dt.date(2026, 3, 10)))
    assert [set(r.users) for r in reminders] == [{org.bm1, dep}]
    # Outside the range the deputy is no longer told.
    assert [set(r.users) for r in overdue_approvals(dt.date(2026, 3, 23))] == [{org.bm1}]


def test_an_action_row_cannot_be_changed_or_deleted(org):
    from approvals.models import ImmutableActionError

    req = submit(org)
    action = req.actions.get(kind=Action.Kind.SUBMIT)
    action.opinion = "事后改写的意见"
    with pytest.raises(ImmutableActionError, match="审批记录一经写入不可修改"):
        action.save()
    with pytest.raises(ImmutableActionError, match="不可删除"):
        action.delete()
    assert req.actions.get(kind=Action.Kind.SUBMIT).opinion == ""


def test_each_round_keeps_its_summary_and_the_first_submission_time(org):
    with time_machine.travel(dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC), tick=False):
        req = submit(org)
    approvals.reject_task(actor=org.bm1, task=only_open(req), opinion="薪酬部分需细化")
    teams.update_rules_filing(actor=org.a_tl, filing=fresh(req).subject, content="细化后的条款")
    with time_machine.travel(dt.datetime(2026, 3, 5, 2, 0, tzinfo=dt.UTC), tick=False):
        approvals.resubmit_request(actor=org.a_tl, request=fresh(req))
    req = fresh(req)
    assert req.submitted_at == dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)
    first = req.actions.get(kind=Action.Kind.SUBMIT)
    second = req.actions.get(kind=Action.Kind.RESUBMIT)
    assert ["内容要点", "一、考勤……\n二、薪酬……"] in first.summary
    assert ["内容要点", "细化后的条款"] in second.summary
    assert req.summary == second.summary
    assert selectors.last_resubmitted_at(req) == dt.datetime(2026, 3, 5, 2, 0, tzinfo=dt.UTC)


def test_the_request_keeps_a_snapshot_of_the_summary_and_org_stamp(org):
    req = submit(org, title="考勤细则")
    assert (req.branch, req.team) == (org.b1, org.team_a)
    assert ["团队", "A 团队"] in req.summary
    assert ["内容要点", "一、考勤……\n二、薪酬……"] in req.summary
    # A later change to the subject's row does not rewrite the snapshot.
    TeamFiling.objects.filter(pk=req.object_id).update(content="改过的内容")
    assert ["内容要点", "一、考勤……\n二、薪酬……"] in fresh(req).summary


def test_the_previous_approver_names_the_next_steps_people(org):
    make_flow(
        "pick_people",
        {"rule": "person", "person": org.bm1, "choice_kind": FlowStep.ChoiceKind.USERS},
        {"rule": "chosen", "mode": ALL},
    )
    req = submit(org, flow_code="pick_people")
    with pytest.raises(ValidationError) as exc:
        approvals.approve_task(actor=org.bm1, task=only_open(req))
    assert exc.value.message_dict["users"] == ["请至少指定一名审批人。"]
    approvals.approve_task(
        actor=org.bm1, task=only_open(fresh(req)), opinion="请二位会签", users=[org.fin1, org.vp]
    )
    req = fresh(req)
    assert {t.user for t in open_tasks(req)} == {org.fin1, org.vp}
    assert req.actions.get(kind=Action.Kind.APPROVE).targets == ["一部财务", "副总裁"]
    for actor in (org.fin1, org.vp):
        approvals.approve_task(actor=actor, task=req.tasks.get(user=actor))
    assert fresh(req).state == Request.State.APPROVED


def test_participants_are_resolved_when_the_step_starts(org):
    """The branch manager changes while the request is at step 1: the new
    one gets step 2."""
    from staff import services as staff_services

    make_flow(
        "late",
        {"rule": "departments", "departments": [org.departments["channel"]]},
        {"rule": "submitter_role", "role": Role.BRANCH_MANAGER},
    )
    req = submit(org, flow_code="late")
    for assignment in org.bm1.role_assignments.all():
        staff_services.end_role(
            actor=org.vp, assignment=assignment, effective_on=dt.date(2024, 1, 2)
        )
    new_bm = person(name="新任经理", branch=org.b1, employee_no="bm1new")
    role(new_bm, Role.BRANCH_MANAGER, branch=org.b1)
    approvals.approve_task(actor=org.chan, task=only_open(req))
    assert only_open(fresh(req)).user == new_bm


def test_a_named_person_who_submits_goes_one_level_up(org):
    make_flow("named_self", {"rule": "person", "person": org.a_tl})
    req = submit(org, flow_code="named_self")  # the team leader files it himself
    task = only_open(req)
    assert task.user == org.bm1
    assert task.escalated_from == org.a_tl.name


def test_choosing_the_submitter_or_a_four_eyes_preparer_is_refused_at_the_choice(org):
    make_flow(
        "pick_self",
        {"rule": "person", "person": org.bm1, "choice_kind": FlowStep.ChoiceKind.USERS},
        {"rule": "chosen", "four_eyes": True},
    )
    f = filing(org)
    TeamFiling.objects.filter(pk=f.pk).update(prepared_by=org.a_gl)
    req = approvals.submit_request(
        actor=org.a_tl, subject=TeamFiling.objects.get(pk=f.pk), flow_code="pick_self"
    )
    with pytest.raises(ValidationError) as exc:
        approvals.approve_task(actor=org.bm1, task=only_open(req), users=[org.a_tl])
    assert "是申请人本人，不能审批本人的申请，请另选他人" in exc.value.message_dict["users"][0]
    with pytest.raises(ValidationError) as exc:
        approvals.approve_task(actor=org.bm1, task=only_open(fresh(req)), users=[org.a_gl])
    assert "四眼原则" in exc.value.message_dict["users"][0]
    assert fresh(req).current_step.order == 1
    assert not fresh(req).actions.filter(kind=Action.Kind.APPROVE).exists()


def test_transfer_and_add_signer_never_offer_the_submitter_or_a_four_eyes_preparer(org):
    bm1b = person(name="一部经理乙", branch=org.b1, employee_no="bm1b")
    role(bm1b, Role.BRANCH_MANAGER, branch=org.b1)
    make_flow("named_four", {"rule": "person", "person": org.bm1, "four_eyes": True})
    f = filing(org)
    TeamFiling.objects.filter(pk=f.pk).update(prepared_by=bm1b)
    req = approvals.submit_request(
        actor=org.a_tl, subject=TeamFiling.objects.get(pk=f.pk), flow_code="named_four"
    )
    task = only_open(req)
    assert approvals.transfer_candidates(task) == []
    with pytest.raises(ValidationError):
        approvals.transfer_task(actor=org.bm1, task=task, to_user=bm1b)
    with pytest.raises(ValidationError) as exc:
        approvals.add_signer(actor=org.bm1, task=task, user=bm1b, before=True)
    assert "四眼原则" in exc.value.message_dict["user"][0]
    with pytest.raises(ValidationError) as exc:
        approvals.add_signer(actor=org.bm1, task=task, user=org.a_tl, before=False)
    assert exc.value.message_dict["user"] == ["不能加签本人或申请人。"]
    assert only_open(fresh(req)) == task
