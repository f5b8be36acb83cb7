"""Two countersigners approve at the same instant (PostgreSQL only: SQLite
serialises every writer, so the race cannot happen there; `make test` runs
this folder in its PostgreSQL pass).

With the request row locked, the second approver sees the first one's
approval and completes the step exactly once. With the lock removed, both
read "the other is still open" and the step is lost: the flow stops."""

import threading

import pytest
from django.db import connection

from approvals import services
from approvals.models import FlowStep, Request, StepRun
from staff.models import Role
from tests.approvals.helpers import make_flow, open_tasks, submit
from tests.pg.meeting import meeting_point

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _race(org, monkeypatch, *, lock: bool, rounds: int = 3) -> list[int]:
    """Runs the race ``rounds`` times; returns how many VP steps each started."""
    assert connection.vendor == "postgresql", (
        "run this folder against PostgreSQL (make test-postgres)"
    )
    monkeypatch.setattr(services, "_LOCK_REQUESTS", lock)
    make_flow(
        f"race{int(lock)}",
        {
            "mode": FlowStep.Mode.ALL,
            "rule": "departments",
            "departments": [org.departments["compliance"], org.departments["hr"]],
        },
        {"rule": "submitter_role", "role": Role.VP},
    )
    started = []
    for _ in range(rounds):
        req = submit(org, flow_code=f"race{int(lock)}")
        tasks = {t.department.code: t for t in open_tasks(req)}
        # Both have written their own approval and looked for open tasks,
        # and neither has committed.
        monkeypatch.setattr(services, "_after_step_check", meeting_point(lock=lock))
        errors = []

        def approve(actor, task, errors=errors):
            try:
                services.approve_task(actor=actor, task=task, opinion="会签同意")
            except Exception as exc:  # surfaced below
                errors.append(exc)
            finally:
                connection.close()

        threads = [
            threading.Thread(target=approve, args=(org.comp1, tasks["compliance"])),
            threading.Thread(target=approve, args=(org.hr1, tasks["hr"])),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        started.append(StepRun.objects.filter(request=req, step__order=2).count())
        assert Request.objects.get(pk=req.pk).state == Request.State.PENDING
    return started


def test_simultaneous_countersigners_complete_the_step_exactly_once(org, monkeypatch):
    assert _race(org, monkeypatch, lock=True) == [1, 1, 1]


def test_without_the_lock_the_race_loses_the_step(org, monkeypatch):
    """Shows the test above can fail: remove the lock and steps are lost."""
    started = _race(org, monkeypatch, lock=False)
    assert started == [0, 0, 0], started
