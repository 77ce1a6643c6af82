"""Property tests: whatever text arrives, nothing crashes and every span points at its words."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyser.annotate.dates import find_dates
from analyser.model import CaseInput, RawNote, SourceLoc
from analyser.pipeline import analyse_case

# Text shaped like case notes: words, dates, shorthand, punctuation, bullets and new lines.
PIECES = st.sampled_from([
    "Mum", "did not attend", "HV", "DNA", "no answer", "seen alone", "14/03/2024", "31/02/2024",
    "last Tuesday", "two weeks ago", "May", "March", "aged 3", "£20", "3/4", "S.W.", "approx.",
    "refused entry", "shouted", "not", "if", "neighbour said", "in 2019", ".", ",", ";", "\n",
    "\n\n", "- ", "\u2022 ", "\"", "(", ")", "core group", "ICPC", "letter sent", "moved",
])
NOTE_TEXT = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=40).map(" ".join)
REF = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2030, 12, 31))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=NOTE_TEXT)
def test_properties_segment_offsets(resources, text):
    _, passages = resources.segmenter.segment(text, "n")
    for p in passages:
        assert text[p.start:p.end] == p.text and p.text.strip() == p.text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=NOTE_TEXT, ref=REF)
def test_properties_dates_offsets(resources, text, ref):
    found = find_dates(text, ref, resources.dates)
    for v in found:
        assert text[v.start:v.end] == v.text
    assert [v.start for v in found] == sorted(v.start for v in found)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(NOTE_TEXT, min_size=1, max_size=4), ref=REF)
def test_properties_pipeline_never_breaks_the_contract(resources, settings_obj, texts, ref):
    notes = tuple(RawNote(text=t, source=SourceLoc("x.txt", i + 1, i + 1),
                          date=ref + dt.timedelta(days=7 * i), note_type_raw="Home visit")
                  for i, t in enumerate(texts))
    result = analyse_case(CaseInput("P", notes, files=("x.txt",)), resources, settings_obj)
    by_id = {n.note_id: n for n in result.notes}
    for ev in result.events:
        assert by_id[ev.note_id].text[ev.evidence.start:ev.evidence.end] == ev.evidence.text
    for tag in result.tags:
        assert by_id[tag.note_id].text[tag.start:tag.end] == tag.text
    ids = {e.event_id for e in result.events} | {t.tag_id for t in result.tags}
    for flag in result.flags:
        assert set(flag.evidence) <= ids
