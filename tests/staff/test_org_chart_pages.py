"""The org chart of a user who sees several branches: one branch a page,
in a constant number of queries however many people the branch has."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.staff.factories import person


def _names(tree):
    return [
        m.employee_no
        for b in tree
        for t in b["teams"]
        for m in [*t["ungrouped"], *(x for g in t["groups"] for x in g["members"])]
    ]


def test_hq_sees_one_branch_at_a_time_with_the_others_as_tabs(client, org):
    client.force_login(org.office)
    response = client.get("/staff/org/")
    assert [b.code for b in response.context["branches"]] == ["BR01", "BR02"]
    assert [b["branch"].code for b in response.context["tree"]] == ["BR01"]
    assert "a_cm1" in _names(response.context["tree"])
    assert "c_cm" not in _names(response.context["tree"])
    html = response.content.decode()
    assert 'href="?branch=BR02"' in html

    response = client.get("/staff/org/?branch=BR02")
    assert [b["branch"].code for b in response.context["tree"]] == ["BR02"]
    assert "c_cm" in _names(response.context["tree"])
    # An unknown code falls back to the first branch, not an error.
    response = client.get("/staff/org/?branch=nope")
    assert [b["branch"].code for b in response.context["tree"]] == ["BR01"]


def test_a_branch_member_sees_his_branch_without_tabs(client, org):
    client.force_login(org.a_tl)
    response = client.get("/staff/org/")
    assert response.context["branches"] == []
    assert 'data-testid="org-branches"' not in response.content.decode()


def test_the_chart_takes_the_same_queries_with_many_more_people(client, org):
    client.force_login(org.office)
    client.get("/staff/org/")  # warm caches (calendar, content types)
    with CaptureQueriesContext(connection) as small:
        client.get("/staff/org/")
    for i in range(25):
        group = (org.a1, org.a2)[i % 2]
        person(name=f"新人{i}", team=org.team_a, group=group, actor=org.bm1)
    with CaptureQueriesContext(connection) as large:
        response = client.get("/staff/org/")
    assert len(_names(response.context["tree"])) >= 25
    assert len(large) == len(small)
