"""Building blocks for engine tests: flows are data, subjects are real
team rules filings created and submitted through the services."""

from approvals import services as approvals
from approvals.models import Flow, FlowStep, Request, Task
from teams import services as teams
from teams.models import FilingKind, FilingStatus, TeamFiling

_n = {"i": 0}


def make_flow(code: str, *steps: dict) -> Flow:
    """steps: dicts of FlowStep fields plus ``departments`` (list)."""
    flow = Flow.objects.create(code=code, name=f"测试流程 {code}", version=1)
    for order, spec in enumerate(steps, start=1):
        spec = dict(spec)
        departments = spec.pop("departments", [])
        spec.setdefault("name", f"第{order}步")
        step = FlowStep.objects.create(flow=flow, order=order, **spec)
        step.departments.set(departments)
    return flow


def filing(org, *, team=None, author=None, title=None):
    """A team's rules filing; while one is in the flow (a series has one
    version in the flow at a time), a 营销方案 of a year of its own, so a
    test can hold several pending requests of one team."""
    _n["i"] += 1
    team = team or org.team_a
    author = (
        author
        or {org.team_a.pk: org.a_tl, org.team_b.pk: org.b_tl, org.team_c.pk: org.c_tl}[team.pk]
    )
    title = title or f"细则{_n['i']}"
    content = "一、考勤……\n二、薪酬……"
    if not TeamFiling.objects.filter(
        team=team, kind=FilingKind.RULES, status=FilingStatus.PENDING
    ).exists():
        return teams.create_rules_filing(actor=author, team=team, title=title, content=content)
    return teams.create_filing(
        actor=author,
        team=team,
        kind=FilingKind.MARKETING,
        year=2000 + _n["i"],
        title=title,
        content=content,
    )


def submit(org, flow_code="team_rules", **kwargs) -> Request:
    f = filing(org, **kwargs)
    return approvals.submit_request(actor=f.prepared_by, subject=f, flow_code=flow_code)


def open_tasks(request: Request) -> list[Task]:
    return list(request.tasks.filter(status=Task.Status.OPEN).order_by("position", "id"))


def only_open(request: Request) -> Task:
    tasks = open_tasks(request)
    assert len(tasks) == 1, tasks
    return tasks[0]


def fresh(request: Request) -> Request:
    return Request.objects.get(pk=request.pk)
