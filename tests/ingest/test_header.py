"""Header lines: the five styles of the spec and variants like them; prose is not a header."""

from __future__ import annotations

import datetime as dt

import pytest

D = dt.date(2024, 3, 14)

HEADERS = [
    # line, date, time, note_type_raw, author, agency
    ("Date: 14/03/2024   Type: Home Visit   Worker: Jane Doe (Social Worker)",
     D, None, "Home Visit", "Jane Doe", "Children's Social Care"),
    ("14/03/2024 - Home visit - J. Doe, SW", D, None, "Home visit", "J. Doe", "Children's Social Care"),
    ("14.03.24 | Telephone call | Health Visitor", D, None, "Telephone call", None, "Health"),
    ("Thursday 14 March 2024, 10:30 \u2014 Case note \u2014 Children's Social Care",
     D, "10:30", "Case note", None, "Children's Social Care"),
    ("[2024-03-14] Strategy meeting", D, None, "Strategy meeting", None, None),
    ("## [2024-03-14] Core group", D, None, "Core group", None, None),
    ("14 Mar 2024 14:00 | Home Visit | A. Khan (SW)", D, "14:00", "Home Visit", "A. Khan",
     "Children's Social Care"),
    ("Thu 14/03/2024 - Office visit - Sam Ortiz", D, None, "Office visit", "Sam Ortiz", None),
    ("**14/03/2024** \u2013 Home visit \u2013 Police", D, None, "Home visit", None, "Police"),
    ("14-Mar-24 | Home visit | HV", D, None, "Home visit", None, "Health"),
    ("14th March 2024 - ICPC - Conference Chair", D, None, "ICPC", None, "Children's Social Care"),
    ("March 14, 2024 - Phone call - Dad", D, None, "Phone call", "Dad", None),
    ("14/3/2024\tHome visit\tJ Smith", D, None, "Home visit", "J Smith", None),
    ("Date of contact: 14/03/2024  Contact type: Telephone  Recorded by: PC Jones (Police)",
     D, None, "Telephone", "PC Jones", "Police"),
    ("14/03/2024 3pm - Unannounced visit - SW", D, "15:00", "Unannounced visit", None,
     "Children's Social Care"),
    ("14/03/2024", D, None, None, None, None),
]


@pytest.mark.parametrize("line,date,time,ntype,author,agency", HEADERS, ids=[h[0][:40] for h in HEADERS])
def test_header_styles(headers, line, date, time, ntype, author, agency):
    h = headers.parse(line)
    assert h is not None, line
    assert h.date.date == date
    assert h.date.error is None
    assert h.date.time == time
    assert h.note_type_raw == ntype
    assert h.author == author
    assert h.agency == agency
    assert h.style != "inline"


PROSE = [
    "14/03/2024 was the day of the ICPC and mum did not come.",
    "On 14/03/2024 I visited the home.",
    "3 children were seen today.",
    "2 bananas on the table",
    "Mum said the 14/03/2024 appointment was fine.",
    "12 March was when she moved in with her sister and the children.",
    "",
]


@pytest.mark.parametrize("line", PROSE)
def test_header_prose_is_not_a_header(headers, line):
    assert headers.parse(line) is None


def test_header_inline_prose_line_is_marked_inline(headers):
    h = headers.parse("14/03/2024 - Mum rang to cancel the visit as she is unwell.")
    assert h is not None and h.style == "inline"
    assert "Mum rang".startswith("Mum") and h.inline_start == len("14/03/2024 - ")


def test_header_with_inline_text_after_type(headers):
    line = "14/03/2024 Home visit: Mum answered and was polite."
    h = headers.parse(line)
    assert h.note_type_raw == "Home visit"
    assert line[h.inline_start:] == "Mum answered and was polite."


@pytest.mark.parametrize("line,needle", [
    ("31/02/2024 - Home visit - J. Doe", "impossible date"),
    ("03/14/2024 - Home visit - J. Doe", "month-first"),
    ("Wednesday 14 March 2024 - Home visit", "does not match"),
])
def test_header_bad_dates_are_reported(headers, line, needle):
    h = headers.parse(line)
    assert h is not None and needle in h.date.error


@pytest.mark.parametrize("cell,date", [
    ("14/03/2024", D), ("2024-03-14", D), ("2024-03-14 10:30:00", D), ("2024-03-14T10:30:00", D),
    ("14.03.24", D), ("14 March 2024", D), ("Thu 14 Mar 2024 10:30", D),
])
def test_header_cell_dates(headers, cell, date):
    f = headers.parse_cell_date(cell)
    assert f is not None and f.date == date


@pytest.mark.parametrize("cell", ["yesterday", "14/03/2024 and then more", "Mum", "1989"])
def test_header_cell_dates_reject_non_dates(headers, cell):
    assert headers.parse_cell_date(cell) is None


@pytest.mark.parametrize("line,ntype,author,agency", [
    ("[2023-07-31] Police log - PC 2291 Hollis", "Police log", "PC 2291 Hollis", None),
    ("06/03/23 - Police DA notification - PC Garside", "Police DA notification", "PC Garside", None),
    ("14/03/2024 - Home visit - Police (PC Hollis)", "Home visit", "PC Hollis", "Police"),
    ("14/03/2024 | School safeguarding log | Mrs Adeyemi (DSL)", "School safeguarding log", "Mrs Adeyemi",
     "Education"),
])
def test_header_types_named_by_source_and_odd_authors(headers, line, ntype, author, agency):
    h = headers.parse(line)
    assert h is not None and h.inline_start is None
    assert (h.note_type_raw, h.author) == (ntype, author)
    if agency:
        assert h.agency == agency


@pytest.mark.parametrize("line,ntype,author", [
    ("08 Jul 2024 10:00 | Family Time | J. Price (Family Time Worker)", "Family Time", "J. Price"),
    ("[2023-05-02] CIN review - step down", "CIN review - step down", None),
    ("14/03/2024 - Sam Ortiz", None, "Sam Ortiz"),
])
def test_header_person_like_types_and_compound_types(headers, line, ntype, author):
    h = headers.parse(line)
    assert (h.note_type_raw, h.author) == (ntype, author)
