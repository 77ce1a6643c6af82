"""Working days: Monday to Friday less English bank holidays from the holidays library."""

from __future__ import annotations

import pytest

from analyser.triggers.workdays import WorkingCalendar
from tests.triggers.builders import d

ENG = WorkingCalendar("GB", "ENG")


@pytest.mark.parametrize(("start", "n", "expected"), [
    ("2024-03-04", 5, "2024-03-11"),     # plain week
    ("2024-03-01", 1, "2024-03-04"),     # Friday + 1 → Monday
    ("2024-03-28", 1, "2024-04-02"),     # Easter 2024: Good Friday 29/03, Easter Monday 01/04
    ("2025-04-17", 1, "2025-04-22"),     # Easter 2025
    ("2023-12-22", 1, "2023-12-27"),     # Christmas Monday, Boxing Day Tuesday
    ("2020-12-24", 1, "2020-12-29"),     # Boxing Day on a Saturday → substitute Monday 28/12
    ("2021-12-24", 1, "2021-12-29"),     # Christmas and Boxing Day at a weekend → 27 and 28/12
    ("2022-12-23", 1, "2022-12-28"),     # Christmas on Sunday → substitute Tuesday 27/12
    ("2021-12-31", 1, "2022-01-04"),     # New Year's Day Saturday → substitute Monday 03/01
    ("2023-05-05", 1, "2023-05-09"),     # Coronation bank holiday 08/05/2023
    ("2024-03-04", 0, "2024-03-04"),
])
def test_workdays_add_working_days(start: str, n: int, expected: str) -> None:
    assert ENG.add_working_days(d(start), n) == d(expected)


@pytest.mark.parametrize(("day", "working"), [
    ("2024-03-29", False), ("2024-04-01", False), ("2024-04-02", True), ("2024-03-30", False),
    ("2020-12-28", False), ("2021-12-28", False), ("2022-12-27", False), ("2023-12-26", False),
    ("2024-08-26", False), ("2024-08-27", True),
])
def test_workdays_is_working_day(day: str, working: bool) -> None:
    assert ENG.is_working_day(d(day)) is working


def test_workdays_between_counts_half_open_interval() -> None:
    assert ENG.working_days_between(d("2024-03-01"), d("2024-03-01")) == 0
    assert ENG.working_days_between(d("2024-03-01"), d("2024-03-08")) == 5
    # 20 working days after Friday 01/03/2024 reach Tuesday 02/04 (Easter skipped)
    assert ENG.working_days_between(d("2024-03-01"), d("2024-04-02")) == 20
    assert ENG.working_days_between(d("2024-03-08"), d("2024-03-01")) == 0


def test_workdays_next_working_day() -> None:
    assert ENG.next_working_day(d("2024-03-30")) == d("2024-04-02")
    assert ENG.next_working_day(d("2024-04-02")) == d("2024-04-02")


def test_workdays_other_jurisdiction_comes_from_the_library() -> None:
    # 2 January is a bank holiday in Scotland, not in England
    assert ENG.is_working_day(d("2024-01-02"))
    assert not WorkingCalendar("GB", "SCT").is_working_day(d("2024-01-02"))


def test_workdays_negative_is_an_error() -> None:
    with pytest.raises(ValueError):
        ENG.add_working_days(d("2024-03-04"), -1)
