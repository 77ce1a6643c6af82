"""Bad input becomes a warning naming file and line; every other note still goes through."""

from __future__ import annotations

import datetime as dt

from analyser.ingest import load_cases

GOOD = "Date: 07/03/2024   Type: Home visit   Worker: P Shah\nPlanned HV, seen Leo alone.\n"


def _warnings(case):
    return [(w.source.file, w.source.line_start, w.message) for w in case.warnings]


def test_bad_input_empty_file(tmp_path, ctx):
    (tmp_path / "A").mkdir()
    (tmp_path / "A" / "empty.txt").write_bytes(b"")
    (tmp_path / "A" / "good.txt").write_text(GOOD, encoding="utf-8")
    [case] = load_cases(tmp_path, ctx)
    assert len(case.notes) == 1
    assert any(f == "A/empty.txt" and "empty file" in m for f, _, m in _warnings(case))


def test_bad_input_binary_file(tmp_path, ctx):
    (tmp_path / "A").mkdir()
    (tmp_path / "A" / "scan.txt").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "A" / "good.txt").write_text(GOOD, encoding="utf-8")
    [case] = load_cases(tmp_path, ctx)
    assert len(case.notes) == 1
    assert any(f == "A/scan.txt" and "binary" in m for f, _, m in _warnings(case))


def test_bad_input_undecodable_bytes_still_read(tmp_path, ctx):
    data = GOOD.encode("utf-8").replace(b"Leo", b"L\x81\x8d\x90o")
    (tmp_path / "B.txt").write_bytes(data)
    [case] = load_cases(tmp_path, ctx)
    assert len(case.notes) == 1
    assert case.notes[0].date == dt.date(2024, 3, 7)


def test_bad_input_corrupt_docx_pdf_xlsx(tmp_path, ctx):
    (tmp_path / "C").mkdir()
    for name in ("x.docx", "y.pdf", "z.xlsx"):
        (tmp_path / "C" / name).write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "C" / "good.txt").write_text(GOOD, encoding="utf-8")
    [case] = load_cases(tmp_path, ctx)
    assert len(case.notes) == 1
    files = {f for f, _, _ in _warnings(case)}
    assert {"C/x.docx", "C/y.pdf", "C/z.xlsx"} <= files


def test_bad_input_unsupported_file_is_reported(tmp_path, ctx):
    (tmp_path / "D").mkdir()
    (tmp_path / "D" / "photo.png").write_bytes(b"\x89PNG")
    (tmp_path / "D" / "good.txt").write_text(GOOD, encoding="utf-8")
    [case] = load_cases(tmp_path, ctx)
    assert any("unsupported" in m for _, _, m in _warnings(case))


def test_bad_input_impossible_header_date(tmp_path, ctx):
    text = GOOD + "31/02/2024 - Home visit - P Shah\nNo answer.\n" + \
        "14/03/2024 - Home visit - P Shah\nSeen alone.\n"
    (tmp_path / "E.txt").write_text(text, encoding="utf-8")
    [case] = load_cases(tmp_path, ctx)
    assert [n.date for n in case.notes] == [dt.date(2024, 3, 7), None, dt.date(2024, 3, 14)]
    [(f, line, msg)] = _warnings(case)
    assert (f, line) == ("E.txt", 3) and "impossible date" in msg


def test_bad_input_note_without_header_after_separator(tmp_path, ctx):
    text = GOOD + "-----\nSome text someone typed with no header at all.\n-----\n" + \
        "14/03/2024 - Home visit - P Shah\nSeen alone.\n"
    (tmp_path / "F.txt").write_text(text, encoding="utf-8")
    [case] = load_cases(tmp_path, ctx)
    assert [n.date for n in case.notes] == [dt.date(2024, 3, 7), None, dt.date(2024, 3, 14)]
    assert any(line == 4 and "no header date" in m for _, line, m in _warnings(case))


def test_bad_input_file_without_any_header(tmp_path, ctx):
    (tmp_path / "G.txt").write_text("Just some prose about a family with no dates at all.\n", encoding="utf-8")
    [case] = load_cases(tmp_path, ctx)
    assert len(case.notes) == 1 and case.notes[0].date is None
    assert case.warnings


def test_bad_input_csv_rows_without_text_or_date(tmp_path, ctx):
    (tmp_path / "H.csv").write_text(
        "Date,Case Note\n07/03/2024,One.\n08/03/2024,\n,No date here.\n31/02/2024,Bad date.\n"
        "10/03/2024,Four.\n", encoding="utf-8")
    [case] = load_cases(tmp_path, ctx)
    assert [n.text for n in case.notes] == ["One.", "No date here.", "Bad date.", "Four."]
    assert [n.date for n in case.notes] == [dt.date(2024, 3, 7), None, None, dt.date(2024, 3, 10)]
    got = {(line, m.split(";")[0]) for _, line, m in _warnings(case)}
    assert (3, "row has no note text") in got
    assert (4, "row has no date") in got
    assert any(line == 5 and "impossible date" in m for line, m in got)


def test_bad_input_csv_without_recognised_columns(tmp_path, ctx):
    (tmp_path / "I.csv").write_text("foo,bar\n1,2\n", encoding="utf-8")
    [case] = load_cases(tmp_path, ctx)
    assert not case.notes and "--columns" in case.warnings[0].message


def test_bad_input_jsonl_bad_lines(tmp_path, ctx):
    (tmp_path / "J.jsonl").write_text(
        '{"case_id": "J", "date": "2024-03-07", "text": "One."}\n{not json\n[1, 2]\n'
        '{"case_id": "J", "date": "2024-03-08"}\n{"case_id": "J", "date": "2024-03-09", "text": "Two."}\n',
        encoding="utf-8")
    [case] = load_cases(tmp_path, ctx)
    assert [n.text for n in case.notes] == ["One.", "Two."]
    assert sorted(line for _, line, _ in _warnings(case)) == [2, 3, 4]


def test_bad_input_missing_path_is_an_error(tmp_path, ctx):
    import pytest

    from analyser.errors import InputError

    with pytest.raises(InputError, match="no such file"):
        load_cases(tmp_path / "nope", ctx)
