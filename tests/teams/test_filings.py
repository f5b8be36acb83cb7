"""R-1.2, R-1.3: every filing goes through its flow; nothing counts until
approved; an approved version is superseded only by a newly approved one."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from approvals import services as approvals
from approvals.models import Request
from approvals.walk import approve_all
from staff.models import Team
from teams import selectors, services
from teams.models import FilingKind, FilingStatus
from tests.teams.conftest import YEAR, plan_for

pytestmark = pytest.mark.django_db


def test_the_annual_plan_goes_through_the_whole_countersign_flow(org):
    plan = plan_for(org, approve=False)
    assert selectors.annual_plan(org.team_a, YEAR) is None  # nothing counts before approval
    req = approvals.submit_request(actor=org.a_tl, subject=plan, flow_code=plan.flow_code)
    assert req.flow.code == "team_plan"
    approve_all(req, stop_before=4)
    req.refresh_from_db()
    plan.refresh_from_db()
    assert plan.status == FilingStatus.PENDING
    assert req.current_step.name == "相关部门会签"
    assert selectors.annual_plan(org.team_a, YEAR) is None
    approve_all(req)
    plan.refresh_from_db()
    assert plan.status == FilingStatus.APPROVED
    assert selectors.annual_plan(org.team_a, YEAR) == plan
    assert (
        req.actions.filter(kind="approve").count() == 8
    )  # 7 steps, countersign by two departments


def test_a_newly_approved_version_supersedes_the_old_one_and_edits_are_refused(org):
    first = plan_for(org)
    with pytest.raises(ValidationError, match="不能修改"):
        services.update_filing(actor=org.a_tl, filing=first, title="改一改")
    second = plan_for(org, accounts=144)
    assert second.version == 2
    first.refresh_from_db()
    assert (first.status, first.superseded_by) == (FilingStatus.SUPERSEDED, second)
    assert selectors.annual_plan(org.team_a, YEAR) == second
    # Another year is another series: version 1 again, nothing superseded.
    other_year = plan_for(org, year=YEAR + 1)
    assert other_year.version == 1
    second.refresh_from_db()
    assert second.status == FilingStatus.APPROVED


def test_a_preparing_team_starts_once_its_first_year_plan_is_approved(org):
    org.team_c.status = Team.Status.PREPARING
    org.team_c.founded_on = None
    org.team_c.save()
    with pytest.raises(ValidationError) as exc:
        plan_for(org, org.team_c, accounts=0)
    assert (
        "筹建中的团队须在首年工作计划中列明目标开户数"
        in exc.value.message_dict["target_new_accounts"][0]
    )
    plan = plan_for(org, org.team_c, approve=False)
    org.team_c.refresh_from_db()
    assert org.team_c.status == Team.Status.PREPARING
    approve_all(approvals.submit_request(actor=org.c_tl, subject=plan, flow_code=plan.flow_code))
    org.team_c.refresh_from_db()
    assert org.team_c.status == Team.Status.ACTIVE
    assert org.team_c.founded_on is not None
    assert "目标开户数 96 户" in org.team_c.history.first().history_change_reason


def test_a_rejected_plan_does_not_start_the_team(org):
    org.team_c.status = Team.Status.PREPARING
    org.team_c.save()
    plan = plan_for(org, org.team_c, approve=False)
    req = approvals.submit_request(actor=org.c_tl, subject=plan, flow_code=plan.flow_code)
    approvals.reject_task(
        actor=org.vp, task=req.tasks.get(status="open"), opinion="目标过高，请调整"
    )
    org.team_c.refresh_from_db()
    assert org.team_c.status == Team.Status.PREPARING
    plan.refresh_from_db()
    assert plan.status == FilingStatus.REJECTED


def test_each_kind_needs_its_own_fields(org):
    with pytest.raises(ValidationError) as exc:
        services.create_filing(
            actor=org.a_tl,
            team=org.team_a,
            kind=FilingKind.ANNUAL_PLAN,
            year=YEAR,
            title="计划",
            content="……",
        )
    assert set(exc.value.message_dict) == {
        "target_new_accounts",
        "target_net_revenue",
        "target_client_assets",
    }
    with pytest.raises(ValidationError) as exc:
        services.create_filing(
            actor=org.a_tl, team=org.team_a, kind=FilingKind.MARKETING, title="方案", content="……"
        )
    assert exc.value.message_dict["year"] == ["请填写年度。"]


def test_a_cooperation_agreement_needs_the_signed_copy_before_filing(org):
    from staff.models import PartnerBank

    bank = PartnerBank.objects.create(code="ICBC", name="中国工商银行")
    coop = services.create_filing(
        actor=org.a_tl,
        team=org.team_a,
        kind=FilingKind.COOPERATION,
        year=YEAR,
        partner_bank=bank,
        term_start="2026-01-01",
        term_end="2026-12-31",
        title="与工行合作方案",
        content="合作条款",
    )
    with pytest.raises(ValidationError, match="须先上传双方签署的协议扫描件"):
        services.submit_filing(actor=org.a_tl, filing=coop)
    services.attach_to_filing(
        actor=org.a_tl, filing=coop, upload=SimpleUploadedFile("协议.pdf", b"%PDF-1.4 x")
    )
    req = services.submit_filing(actor=org.a_tl, filing=coop)
    assert req.state == Request.State.PENDING
    # Each partner bank is a series of its own.
    other = PartnerBank.objects.create(code="CCB", name="中国建设银行")
    second = services.create_filing(
        actor=org.a_tl,
        team=org.team_a,
        kind=FilingKind.COOPERATION,
        year=YEAR,
        partner_bank=other,
        term_start="2026-01-01",
        term_end="2026-12-31",
        title="与建行合作方案",
        content="合作条款",
    )
    assert second.version == 1
    with pytest.raises(ValidationError, match="年度和合作银行确定后不能修改"):
        services.update_filing(actor=org.a_tl, filing=second, partner_bank=bank)


def test_only_the_team_leader_drafts_and_submits(org):
    with pytest.raises(ValidationError):
        services.create_filing(
            actor=org.a_tl,
            team=org.team_b,
            kind=FilingKind.MARKETING,
            year=YEAR,
            title="x",
            content="y",
        )
    draft = services.create_filing(
        actor=org.a_tl,
        team=org.team_a,
        kind=FilingKind.MARKETING,
        year=YEAR,
        title="方案",
        content="……",
    )
    with pytest.raises(ValidationError, match="只有该团队的负责人可以报批"):
        services.submit_filing(actor=org.a_cm1, filing=draft)


@pytest.mark.parametrize(
    ("kind", "flow"),
    [
        (FilingKind.RULES, "team_rules"),
        (FilingKind.MARKETING, "team_plan"),
        (FilingKind.RECRUITMENT, "team_plan"),
        (FilingKind.ASSESSMENT, "team_plan"),
    ],
)
def test_each_kind_goes_through_the_flow_the_rulebook_names(org, kind, flow):
    extra = {"year": YEAR} if kind != FilingKind.RULES else {}
    if kind == FilingKind.RECRUITMENT:
        extra["headcount"] = 3
    filing = services.create_filing(
        actor=org.a_tl, team=org.team_a, kind=kind, title="文件", content="……", **extra
    )
    assert services.submit_filing(actor=org.a_tl, filing=filing).flow.code == flow


def test_a_preparing_team_cannot_be_started_without_an_approved_first_year_plan(org):
    from staff import services as staff_services

    org.team_c.status = Team.Status.PREPARING
    org.team_c.founded_on = None
    org.team_c.save()
    plan = plan_for(org, org.team_c, approve=False)
    approvals.submit_request(actor=org.c_tl, subject=plan, flow_code=plan.flow_code)
    with pytest.raises(ValidationError, match="须待首年工作计划（列明目标开户数）批准后方可启动"):
        staff_services.set_team_status(
            actor=org.bm1, team=org.team_c, status=Team.Status.ACTIVE, on=dt.date(YEAR, 3, 1)
        )
    org.team_c.refresh_from_db()
    assert org.team_c.status == Team.Status.PREPARING
    # Dissolving a preparing team is not held back.
    staff_services.set_team_status(
        actor=org.bm1, team=org.team_c, status=Team.Status.DISSOLVED, on=dt.date(YEAR, 3, 1)
    )


def test_the_admin_cannot_edit_a_teams_status_by_hand(admin_client, org):
    page = admin_client.get(f"/admin/staff/team/{org.team_a.pk}/change/")
    assert page.status_code == 200
    assert "status" not in page.context["adminform"].form.fields
    added = admin_client.get("/admin/staff/team/add/")
    assert "status" in added.context["adminform"].form.fields


def test_a_new_version_waits_while_another_version_of_the_series_is_pending(org):
    first = plan_for(org)
    second = plan_for(org, accounts=120, approve=False)
    third = plan_for(org, accounts=144, approve=False)
    pending = services.submit_filing(actor=org.a_tl, filing=second)
    with pytest.raises(ValidationError) as exc:
        services.submit_filing(actor=org.a_tl, filing=third)
    assert exc.value.messages == [
        "本文件的第 2 版正在审批中；请待其审批结束或撤回后再报批第 3 版。"
    ]
    third.refresh_from_db()
    assert third.status == FilingStatus.DRAFT
    approve_all(pending)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.superseded_by) == (FilingStatus.SUPERSEDED, second)
    assert second.status == FilingStatus.APPROVED
    approve_all(services.submit_filing(actor=org.a_tl, filing=third))
    second.refresh_from_db()
    assert (second.status, second.superseded_by) == (FilingStatus.SUPERSEDED, third)
    assert selectors.annual_plan(org.team_a, YEAR).version == 3


def test_approving_an_older_version_never_supersedes_a_newer_one(org):
    """A request left over from before the one-pending rule: the older
    version's approval leaves the newer approved version in force."""
    from teams.services.filings import TeamFilingSubject

    older = plan_for(org, approve=False)
    newer = plan_for(org, accounts=144)
    assert newer.version == 2
    with pytest.raises(ValidationError, match="已有更新的第 2 版获批"):
        services.submit_filing(actor=org.a_tl, filing=older)
    TeamFilingSubject().on_approved(older, None, org.vp)
    older.refresh_from_db()
    newer.refresh_from_db()
    assert newer.status == FilingStatus.APPROVED
    assert (older.status, older.superseded_by) == (FilingStatus.SUPERSEDED, newer)
    assert selectors.annual_plan(org.team_a, YEAR) == newer
