"""The day's first 工作日志 submitted twice at the same instant (a double
tap on a phone; found by tests/load/faults.py --only double). PostgreSQL
only: SQLite serialises every writer. The person's row is locked first, so
the second submission waits and amends the log the first one created —
neither fails on the one-log-a-day constraint."""

import threading

import pytest
from django.db import connection

from teams import services
from teams.models import WorkLog

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_two_simultaneous_first_logs_make_one_log_and_no_error(org):
    assert connection.vendor == "postgresql", "run this folder against PostgreSQL"
    people = [org.a_cm1, org.a_cm2, org.a_rm, org.a_gl, org.b_cm1, org.b_cm2]
    for person in people:
        barrier = threading.Barrier(2)
        errors = []

        def submit(text, person=person, barrier=barrier, errors=errors):
            try:
                barrier.wait(timeout=5)
                services.file_work_log(actor=person, done=text)
            except Exception as exc:  # surfaced below
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=submit, args=(t,)) for t in ("拜访两户", "电话回访")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == [], (person.employee_no, errors)
        log = WorkLog.objects.get(person=person)
        assert log.done in ("拜访两户", "电话回访")
