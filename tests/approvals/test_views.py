"""The approval pages: 我的待办 with batch approval, the request page and its
actions, 会签单 PDF, notices, deputies; scoped and with constant queries."""

import datetime as dt
import subprocess

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals.models import Request, Task
from portal.models import ExportLog
from tests.approvals.helpers import fresh, only_open, submit

pytestmark = pytest.mark.django_db


def test_inbox_lists_my_open_tasks_and_the_badge_counts_them(client, org):
    submit(org)
    submit(org, team=org.team_b)
    client.force_login(org.bm1)
    response = client.get("/approvals/")
    assert len(response.context["page_obj"]) == 2
    assert response.context["todo_count"] == 2
    assert "我的待办" in response.content.decode()


def test_inbox_query_count_is_constant_as_tasks_grow(client, org):
    from approvals import services

    def grow(teams):
        for team in teams:
            req = submit(org, team=team)
            services.approve_task(actor=org.bm1, task=only_open(req))

    grow([org.team_a])
    client.force_login(org.chan)
    with CaptureQueriesContext(connection) as few:
        client.get("/approvals/")
    grow([org.team_b, org.team_a, org.team_b, org.team_a])
    with CaptureQueriesContext(connection) as many:
        response = client.get("/approvals/")
    assert len(response.context["page_obj"]) == 5
    assert len(many) == len(few)


@pytest.mark.parametrize("tab", ["submitted", "handled", "copied"])
def test_request_lists_keep_a_constant_query_count(client, org, tab):
    from approvals import services

    def grow(n):
        for _ in range(n):
            req = submit(org)
            services.approve_task(actor=org.bm1, task=only_open(req))
            services.cc_request(actor=org.a_tl, request=req, users=[org.bm1])

    grow(1)
    user = {"submitted": org.a_tl, "handled": org.bm1, "copied": org.bm1}[tab]
    client.force_login(user)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/approvals/{tab}/")
    grow(4)
    with CaptureQueriesContext(connection) as many:
        response = client.get(f"/approvals/{tab}/")
    assert len(response.context["page_obj"]) == 5
    assert len(many) == len(few)


def test_batch_approve_from_the_inbox(client, org):
    requests = [submit(org), submit(org, team=org.team_b)]
    client.force_login(org.bm1)
    response = client.post(
        "/approvals/batch/",
        {"task": [only_open(r).pk for r in requests], "opinion": "同意"},
        follow=True,
    )
    assert "已批量同意 2 件" in response.content.decode()
    assert all(fresh(r).current_step.order == 2 for r in requests)


def test_batch_ignores_tasks_that_are_not_mine(client, org):
    req = submit(org)
    client.force_login(org.a_cm1)
    client.post("/approvals/batch/", {"task": [only_open(req).pk]})
    assert fresh(req).current_step.order == 1


def test_approve_and_reject_from_the_request_page(client, org):
    req = submit(org)
    client.force_login(org.bm1)
    page = client.get(f"/approvals/{req.pk}/").content.decode()
    assert "请您办理" in page
    task = only_open(req)
    response = client.post(
        f"/approvals/{req.pk}/act/",
        {"action": "approve", "task": task.pk, f"a{task.pk}-opinion": "同意"},
    )
    assert response.status_code == 302
    client.force_login(org.chan)
    task = only_open(fresh(req))
    bad = client.post(f"/approvals/{req.pk}/act/", {"action": "reject", "task": task.pk})
    assert bad.status_code == 400
    assert "这个字段是必填项" in bad.content.decode()
    client.post(
        f"/approvals/{req.pk}/act/",
        {"action": "reject", "task": task.pk, f"r{task.pk}-opinion": "请补充附件"},
    )
    assert fresh(req).state == Request.State.REJECTED


def test_the_channel_names_countersigners_on_the_page(client, org):
    from approvals import services

    req = submit(org, flow_code="team_plan")
    services.approve_task(actor=org.bm1, task=only_open(req))
    services.approve_task(actor=org.office, task=only_open(fresh(req)))
    client.force_login(org.chan)
    task = only_open(fresh(req))
    page = client.get(f"/approvals/{req.pk}/").content.decode()
    assert "须会签的部门" in page
    missing = client.post(f"/approvals/{req.pk}/act/", {"action": "approve", "task": task.pk})
    assert missing.status_code == 400
    client.post(
        f"/approvals/{req.pk}/act/",
        {
            "action": "approve",
            "task": task.pk,
            f"a{task.pk}-departments": [org.departments["compliance"].pk, org.departments["hr"].pk],
        },
    )
    req = fresh(req)
    assert sorted(t.department.code for t in req.tasks.filter(status=Task.Status.OPEN)) == [
        "compliance",
        "hr",
    ]


def test_a_stale_page_gets_a_clear_message(client, org):
    from approvals import services

    req = submit(org)
    task = only_open(req)
    services.approve_task(actor=org.bm1, task=task)
    client.force_login(org.bm1)
    response = client.post(
        f"/approvals/{req.pk}/act/", {"action": "approve", "task": task.pk}, follow=True
    )
    assert "已由一部经理办理" in response.content.decode()


def test_outsiders_get_404_and_routed_departments_see_the_request(client, org):
    from approvals import services

    req = submit(org, flow_code="team_plan")
    client.force_login(org.comp1)
    assert client.get(f"/approvals/{req.pk}/").status_code == 404
    assert client.get(f"/teams/filings/{req.object_id}/").status_code == 404
    services.approve_task(actor=org.bm1, task=only_open(req))
    services.approve_task(actor=org.office, task=only_open(fresh(req)))
    services.approve_task(
        actor=org.chan, task=only_open(fresh(req)), departments=[org.departments["compliance"]]
    )
    assert client.get(f"/approvals/{req.pk}/").status_code == 200
    assert client.get(f"/teams/filings/{req.object_id}/").status_code == 200
    client.force_login(org.c_tl)
    assert client.get(f"/approvals/{req.pk}/").status_code == 404
    client.force_login(org.office)  # HQ oversight sees every branch's filings
    assert client.get(f"/approvals/{req.pk}/").status_code == 200


def test_withdraw_remind_comment_and_cc_from_the_page(client, org):
    req = submit(org)
    client.force_login(org.a_tl)
    response = client.post(f"/approvals/{req.pk}/act/", {"action": "remind"}, follow=True)
    assert "已催办，提醒了 1 人" in response.content.decode()
    client.post(f"/approvals/{req.pk}/act/", {"action": "comment", "c-opinion": "补充说明"})
    client.post(f"/approvals/{req.pk}/act/", {"action": "cc", "cc-users": "comp1"})
    bad = client.post(f"/approvals/{req.pk}/act/", {"action": "cc", "cc-users": "nobody"})
    assert "工号不存在或账号已停用：nobody" in bad.content.decode()
    client.post(f"/approvals/{req.pk}/act/", {"action": "withdraw"})
    req = fresh(req)
    assert req.state == Request.State.WITHDRAWN
    kinds = list(req.actions.values_list("kind", flat=True))
    assert kinds == ["submit", "remind", "comment", "cc", "withdraw"]


def test_countersign_pdf_has_every_signature(client, org, tmp_path):
    from approvals import services

    req = submit(org)
    services.approve_task(actor=org.bm1, task=only_open(req), opinion="同意报送渠道管理部")
    services.approve_task(actor=org.chan, task=only_open(fresh(req)), opinion="批准执行")
    client.force_login(org.a_tl)
    response = client.get(f"/approvals/{req.pk}/countersign.pdf")
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "cs.pdf"
    pdf.write_bytes(response.content)
    assert (
        "CJK"
        in subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    )
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in (
        "营销团队文件会签单",
        "同意报送渠道管理部",
        "一部经理",
        "渠道专员",
        "批准执行",
        "审批结果：已通过",
    ):
        assert expected in text, expected
    assert ExportLog.objects.filter(user=org.a_tl, what="会签单").exists()


def _pdf_text(content: bytes, tmp_path) -> str:
    pdf = tmp_path / "cs.pdf"
    pdf.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_countersign_pdf_is_headed_with_the_flows_name(client, org, tmp_path):
    from attendance.models import LeaveKind
    from tests.attendance.helpers import ask_leave

    leave = ask_leave(org.a_cm1, LeaveKind.PERSONAL, dt.date(2026, 11, 10), dt.date(2026, 11, 10))
    req = Request.objects.get(content_type__model="leaverequest", object_id=leave.pk)
    client.force_login(org.a_cm1)
    response = client.get(f"/approvals/{req.pk}/countersign.pdf")
    assert response.context["heading"] == "请假审批会签单"
    text = _pdf_text(response.content, tmp_path)
    assert "请假审批会签单" in text
    assert "营销团队文件会签单" not in text


def test_countersign_pdf_labels_the_first_and_the_latest_submission(client, org, tmp_path):
    from approvals import services

    with time_machine.travel(dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC), tick=False):
        req = submit(org)
    services.reject_task(actor=org.bm1, task=only_open(req), opinion="请补充")
    with time_machine.travel(dt.datetime(2026, 3, 4, 1, 0, tzinfo=dt.UTC), tick=False):
        services.resubmit_request(actor=org.a_tl, request=fresh(req), opinion="已补充")
    client.force_login(org.a_tl)
    response = client.get(f"/approvals/{req.pk}/countersign.pdf")
    text = _pdf_text(response.content, tmp_path)
    assert "首次报送 2026-03-02 09:00" in text
    assert "最近重新报送 2026-03-04 09:00" in text


def test_notices_page_and_mark_read(client, org):
    submit(org)
    client.force_login(org.bm1)
    page = client.get("/approvals/notices/")
    notice = page.context["page_obj"][0]
    assert notice.title.startswith("待审批")
    opened = client.get(f"/approvals/notices/{notice.pk}/")
    assert opened.url == notice.url
    client.post("/approvals/notices/read/")
    assert not org.bm1.notices.filter(read_at__isnull=True).exists()


def test_set_a_deputy_on_the_page(client, org):
    import datetime as dt

    client.force_login(org.bm1)
    today = dt.date.today()
    response = client.post(
        "/approvals/deputies/",
        {
            "deputy": "fin1",
            "valid_from": today.isoformat(),
            "last_day": (today + dt.timedelta(days=2)).isoformat(),
            "reason": "出差",
        },
    )
    assert response.status_code == 302
    req = submit(org)
    client.force_login(org.fin1)
    inbox = client.get("/approvals/").context["page_obj"]
    assert [t.pk for t in inbox] == [only_open(req).pk]
    assert "代理 一部经理" in client.get("/approvals/").content.decode()


def test_the_request_page_shows_what_was_sent_in_each_earlier_round(client, org):
    from approvals import services
    from teams import services as teams

    req = submit(org)
    services.reject_task(actor=org.bm1, task=only_open(req), opinion="薪酬部分需细化")
    teams.update_rules_filing(actor=org.a_tl, filing=fresh(req).subject, content="细化后的条款")
    services.resubmit_request(actor=org.a_tl, request=fresh(req))
    client.force_login(org.a_tl)
    html = client.get(f"/approvals/{req.pk}/").content.decode()
    assert html.count('data-testid="round-summary"') == 1  # only the earlier round
    assert "第 1 轮报送内容" in html
    earlier = html.split('data-testid="round-summary"')[1].split("</details>")[0]
    assert "二、薪酬" in earlier
    assert "细化后的条款" not in earlier
