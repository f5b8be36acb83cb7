"""The attendance arithmetic on its own: lateness against outlet hours
(R-2.3), half days (R-2.8), balances and the reproducible sample (R-2.6)."""

import datetime as dt
from decimal import Decimal

from attendance import rules

D = dt.date


def test_lateness_and_early_leave_are_minutes_against_the_outlets_hours():
    assert rules.minutes_late(dt.time(9, 12), dt.time(9, 0)) == 12
    assert rules.minutes_late(dt.time(8, 59), dt.time(9, 0)) == 0
    assert rules.minutes_late(None, dt.time(9, 0)) == 0
    assert rules.minutes_late(dt.time(8, 50), dt.time(8, 30)) == 20
    assert rules.minutes_early(dt.time(17, 0), dt.time(17, 30)) == 30
    assert rules.minutes_early(dt.time(18, 0), dt.time(17, 30)) == 0


def test_leave_portions_take_half_days_at_either_end():
    working = [D(2026, 11, 2), D(2026, 11, 3), D(2026, 11, 4)]
    assert rules.leave_portions(D(2026, 11, 2), "am", D(2026, 11, 2), "am", working) == {
        D(2026, 11, 2): (Decimal("0.5"), "am")
    }
    assert rules.leave_portions(D(2026, 11, 2), "pm", D(2026, 11, 2), "pm", working) == {
        D(2026, 11, 2): (Decimal("0.5"), "pm")
    }
    spanning = rules.leave_portions(D(2026, 11, 2), "pm", D(2026, 11, 4), "am", working)
    assert spanning == {
        D(2026, 11, 2): (Decimal("0.5"), "pm"),
        D(2026, 11, 3): (Decimal(1), ""),
        D(2026, 11, 4): (Decimal("0.5"), "am"),
    }
    # Days that are not working days take nothing.
    assert rules.leave_portions(D(2026, 11, 1), "am", D(2026, 11, 2), "pm", working) == {
        D(2026, 11, 2): (Decimal(1), "")
    }


def test_a_morning_and_an_afternoon_of_the_same_day_do_not_overlap():
    morning = rules.half_slots(D(2026, 11, 2), "am", D(2026, 11, 2), "am")
    afternoon = rules.half_slots(D(2026, 11, 2), "pm", D(2026, 11, 2), "pm")
    whole = rules.half_slots(D(2026, 11, 2), "am", D(2026, 11, 2), "pm")
    assert not rules.overlaps(morning, afternoon)
    assert rules.overlaps(morning, whole)
    assert rules.overlaps(afternoon, whole)
    next_day = rules.half_slots(D(2026, 11, 3), "am", D(2026, 11, 3), "pm")
    assert not rules.overlaps(whole, next_day)


def test_annual_leave_follows_the_statutory_tiers():
    tiers = [(1, Decimal(5)), (10, Decimal(10)), (20, Decimal(15))]
    assert rules.years_of_service(D(2024, 1, 2), D(2025, 1, 1)) == 0
    assert rules.years_of_service(D(2024, 1, 2), D(2025, 1, 2)) == 1
    assert rules.years_of_service(None, D(2025, 1, 2)) == 0
    assert [rules.annual_entitlement(y, tiers) for y in (0, 1, 9, 10, 19, 20, 35)] == [
        0,
        5,
        5,
        10,
        10,
        15,
        15,
    ]


def test_overtime_earns_time_off_in_half_days():
    assert rules.overtime_days(Decimal("3.5")) == 0
    assert rules.overtime_days(Decimal(4)) == Decimal("0.5")
    assert rules.overtime_days(Decimal(12)) == Decimal("1.5")
    assert rules.overtime_days(Decimal(0)) == 0


def test_the_sample_depends_only_on_the_seed_and_the_population():
    ids = list(range(100, 140))
    sample = rules.draw_sample(ids, seed=20261127, size=8)
    assert len(sample) == 8
    assert sample == sorted(sample)
    assert rules.draw_sample(list(reversed(ids)), seed=20261127, size=8) == sample
    assert rules.draw_sample(ids, seed=1, size=8) != sample
    assert rules.draw_sample(ids[:5], seed=7, size=8) == ids[:5]
    assert rules.default_sample_size(0) == 0
    assert rules.default_sample_size(3) == 1
    assert rules.default_sample_size(11) == 3
