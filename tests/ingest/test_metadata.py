"""Case metadata from the block before the first note header."""

from __future__ import annotations

import pytest

from analyser.ingest.metadata import parse_metadata, status_code


def test_metadata_key_value_block(headers):
    lines = ["CHILDREN'S SERVICES - CASE NOTES",
             "Family: P   Mother: Kelly P   Child: Jayden P (DOB 12/05/2016)",
             "Status: Child Protection (neglect)   Allocated worker: Sam Ortiz, North Team",
             "=" * 20]
    meta, leftover = parse_metadata(lines, headers)
    assert leftover is None
    assert meta["children"] == [{"name": "Jayden P", "dob": "2016-05-12"}]
    assert meta["status"] == "CP" and meta["mother"] == "Kelly P"
    assert meta["allocated_worker"] == "Sam Ortiz, North Team"


def test_metadata_children_in_a_title_line(headers):
    meta, _ = parse_metadata(["SMITH, Ruby (DOB 11/02/2012) and Ellis (D.O.B. 30/09/2014) - CSC record"],
                             headers)
    assert meta["children"] == [{"name": "Ruby", "dob": "2012-02-11"}, {"name": "Ellis", "dob": "2014-09-30"}]


def test_metadata_prose_is_left_over(headers):
    meta, leftover = parse_metadata(["", "Mum rang the office this morning and was very upset about it all."],
                                    headers)
    assert leftover == (1, 1)


@pytest.mark.parametrize("text,code", [
    ("Child in Need", "CIN"), ("CP plan (neglect)", "CP"), ("Looked After (s20)", "LAC"),
    ("Early Help", "EH"), ("closed", "closed"), ("CLA", "LAC"), ("under assessment", None),
])
def test_metadata_status_words(text, code):
    assert status_code(text) == code
