"""Every input format, encodings, and how files group into cases."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

from analyser.ingest import discover, load_cases

NOTES = [
    (dt.date(2024, 3, 7), "Home visit", "Planned HV. No answer at the door. Card left."),
    (dt.date(2024, 3, 14), "Telephone call", "Mum rang to say she was ill and could not see me."),
    (dt.date(2024, 3, 21), "Core group", "Core group held at school. Mum attended, 40 minutes late."),
]

PRINTOUT = """CHILDREN'S SERVICES - CASE NOTES
Family: T   Mother: Anna T   Child: Leo T (DOB 02/09/2019)
Status: CIN   Allocated worker: Priya Shah
============================================================
Date: 07/03/2024   Type: Home visit   Worker: Priya Shah (Social Worker)
Planned HV. No answer at the door. Card left.
------------------------------------------------------------
14/03/2024 - Telephone call - P. Shah, SW
Mum rang to say she was ill and could not see me.
------------------------------------------------------------
Thursday 21 March 2024, 10:30 \u2014 Core group \u2014 Children's Social Care
Core group held at school. Mum attended, 40 minutes late.
"""


def _check(case, n=3):
    assert [note.date for note in case.notes] == [d for d, _, _ in NOTES][:n]
    assert [note.text for note in case.notes] == [t for _, _, t in NOTES][:n]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le"])
def test_formats_txt_encodings(tmp_path, ctx, encoding):
    text = PRINTOUT.replace("\u2014", "-") if encoding == "cp1252" else PRINTOUT
    text = text.replace("Card left.", "Card left \u2013 \u00a320 note.") if encoding != "utf-16-le" else text
    data = text.encode(encoding)
    if encoding == "utf-16-le":
        data = text.encode("utf-16-le")  # no BOM
    (tmp_path / "C1.txt").write_bytes(data)
    [case] = load_cases(tmp_path, ctx)
    assert case.case_id == "C1"
    assert len(case.notes) == 3
    assert [n.date for n in case.notes] == [d for d, _, _ in NOTES]
    assert not case.warnings
    if encoding != "utf-16-le":
        assert "\u00a320" in case.notes[0].text


def test_formats_txt_metadata_and_sources(tmp_path, ctx):
    (tmp_path / "C1.txt").write_text(PRINTOUT, encoding="utf-8")
    [case] = load_cases(tmp_path / "C1.txt", ctx)
    _check(case)
    assert case.metadata["children"] == [{"name": "Leo T", "dob": "2019-09-02"}]
    assert case.metadata["status"] == "CIN"
    assert case.metadata["allocated_worker"] == "Priya Shah"
    first = case.notes[0]
    assert (first.source.file, first.source.line_start, first.source.line_end) == ("C1.txt", 5, 6)
    assert first.note_type_raw == "Home visit" and first.author == "Priya Shah"
    assert case.notes[2].time == "10:30"


def test_formats_markdown_bullets(tmp_path, ctx):
    md = ("# Case notes\n\n## [2024-03-07] Home visit\n- Planned HV\n- No answer\n\n"
          "## [2024-03-14] Strategy meeting\nAttended by police and school.\n")
    (tmp_path / "C2.md").write_text(md, encoding="utf-8")
    [case] = load_cases(tmp_path, ctx)
    assert [n.date for n in case.notes] == [dt.date(2024, 3, 7), dt.date(2024, 3, 14)]
    assert case.notes[0].text == "- Planned HV\n- No answer"
    assert case.notes[1].note_type_raw == "Strategy meeting"


def test_formats_docx(tmp_path, ctx):
    import docx

    d = docx.Document()
    for line in PRINTOUT.split("\n"):
        d.add_paragraph(line)
    d.save(str(tmp_path / "C3.docx"))
    [case] = load_cases(tmp_path, ctx)
    _check(case)


def test_formats_pdf(tmp_path, ctx):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for line in PRINTOUT.replace("\u2014", "-").split("\n"):
        pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(tmp_path / "C4.pdf"))
    [case] = load_cases(tmp_path, ctx)
    _check(case)


def test_formats_csv_columns_autodetected(tmp_path, ctx):
    with (tmp_path / "C5.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Contact Date", "Contact Type", "Worker", "Case Note"])
        for d, t, text in NOTES:
            w.writerow([d.strftime("%d/%m/%Y"), t, "Priya Shah (SW)", text])
    [case] = load_cases(tmp_path, ctx)
    _check(case)
    assert case.notes[0].source.line_start == 2
    assert case.notes[0].agency == "Children's Social Care"


def test_formats_csv_multiline_cells_keep_row_lines(tmp_path, ctx):
    (tmp_path / "C6.csv").write_text(
        'Date,Narrative\n07/03/2024,"Line one.\nLine two."\n14/03/2024,Second note.\n', encoding="utf-8")
    [case] = load_cases(tmp_path, ctx)
    assert [n.source.line_start for n in case.notes] == [2, 4]
    assert case.notes[0].text == "Line one.\nLine two."


def test_formats_csv_case_id_column_splits_cases(tmp_path, ctx):
    (tmp_path / "export.csv").write_text(
        "Case ID,Event Date,Note Text\nA1,07/03/2024,One.\nB2,08/03/2024,Two.\nA1,09/03/2024,Three.\n",
        encoding="utf-8")
    cases = load_cases(tmp_path, ctx)
    assert [c.case_id for c in cases] == ["A1", "B2"]
    assert [n.text for n in cases[0].notes] == ["One.", "Three."]


def test_formats_columns_mapping_override(tmp_path, resources):
    (tmp_path / "C7.csv").write_text("Visit On,Blurb\n07/03/2024,One.\n", encoding="utf-8")
    assert load_cases(tmp_path, resources.read_context())[0].notes == ()
    ctx = resources.read_context({"date": "Visit On", "text": "Blurb"})
    [case] = load_cases(tmp_path, ctx)
    assert case.notes[0].date == dt.date(2024, 3, 7)


def test_formats_xlsx_real_and_text_dates(tmp_path, ctx):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Case ID", "Event Date", "Type", "Author", "Agency", "Narrative"])
    ws.append(["X1", dt.datetime(2024, 3, 7, 9, 30), "Home visit", "Priya Shah", "CSC", NOTES[0][2]])
    ws.append(["X1", "14/03/2024", "Telephone call", "Priya Shah", "CSC", NOTES[1][2]])
    ws.append(["X1", dt.date(2024, 3, 21), "Core group", "Priya Shah", "CSC", NOTES[2][2]])
    wb.save(str(tmp_path / "book.xlsx"))
    [case] = load_cases(tmp_path, ctx)
    assert case.case_id == "X1"
    _check(case)
    assert case.notes[0].time == "09:30"
    assert case.notes[1].source.line_start == 3


def test_formats_jsonl(tmp_path, ctx):
    lines = [json.dumps({"case_id": "J1", "date": d.isoformat(), "text": t, "note_type": k,
                         "author": "Priya Shah", "agency": "Children's Social Care", "note_id": f"n{i}"})
             for i, (d, k, t) in enumerate(NOTES)]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    [case] = load_cases(tmp_path, ctx)
    assert case.case_id == "J1"
    _check(case)
    assert case.notes[2].external_id == "n2"


def test_formats_multi_agency_folder_merges(tmp_path, ctx):
    folder = tmp_path / "CASE9"
    folder.mkdir()
    (folder / "01_csc.txt").write_text(PRINTOUT, encoding="utf-8")
    (folder / "02_health.csv").write_text("Date,Type,Author,Note\n15/03/2024,Home visit,"
                                          "Health Visitor,HV seen Leo.\n", encoding="utf-8")
    (folder / "gold.json").write_text("{}", encoding="utf-8")
    cases = load_cases(tmp_path, ctx)
    assert [c.case_id for c in cases] == ["CASE9"]
    files = [n.source.file for n in cases[0].notes]
    assert files == ["CASE9/01_csc.txt"] * 3 + ["CASE9/02_health.csv"]
    assert cases[0].notes[3].agency == "Health"
    assert cases[0].files == ("CASE9/01_csc.txt", "CASE9/02_health.csv")


def test_formats_folder_of_files_each_a_case(tmp_path, ctx):
    (tmp_path / "A.txt").write_text(PRINTOUT, encoding="utf-8")
    (tmp_path / "B.txt").write_text(PRINTOUT, encoding="utf-8")
    assert [c.case_id for c in discover(tmp_path)] == ["A", "B"]


def test_formats_diary_style_lines_are_notes(tmp_path, ctx):
    (tmp_path / "D.txt").write_text(
        "07/03/2024 - Planned home visit, no answer at the door and card left.\n"
        "14/03/2024 - Mum rang to cancel the visit as she is unwell.\n", encoding="utf-8")
    [case] = load_cases(tmp_path, ctx)
    assert [n.date for n in case.notes] == [dt.date(2024, 3, 7), dt.date(2024, 3, 14)]
    assert case.notes[1].text == "Mum rang to cancel the visit as she is unwell."


def test_formats_dated_lines_inside_a_note_stay_in_it(tmp_path, ctx):
    (tmp_path / "E.txt").write_text(
        "Date: 14/03/2024   Type: Case note   Worker: P Shah\n"
        "Chronology of the last fortnight:\n"
        "01/03/2024 - Mum rang to cancel the visit as she is unwell.\n"
        "05/03/2024 - Planned visit, nobody answered the door at all.\n", encoding="utf-8")
    [case] = load_cases(tmp_path, ctx)
    assert len(case.notes) == 1
    assert case.notes[0].text.count("\n") == 2


def test_formats_note_types_normalised(resources):
    from analyser.lexicon import load_yaml
    from analyser.resources import lexicon_dir

    doc = load_yaml(lexicon_dir() / "ingest" / "note_types.yaml")
    for item in doc["types"]:
        for example in item.get("examples", []):
            nt = resources.vocab.classify_type(example)
            assert nt is not None and nt.id == item["id"], (example, item["id"])


def test_formats_paths_are_relative(tmp_path, ctx):
    (tmp_path / "C1.txt").write_text(PRINTOUT, encoding="utf-8")
    [case] = load_cases(Path(tmp_path), ctx)
    assert not Path(case.notes[0].source.file).is_absolute()


def test_formats_columns_containing_known_names(tmp_path, ctx):
    (tmp_path / "K.csv").write_text(
        "Record ID,Contact Date/Time,Practitioner Name,Case Note Text\n"
        "r1,14/03/2024 10:30,Priya Shah,Planned HV. No answer.\n", encoding="utf-8")
    [case] = load_cases(tmp_path, ctx)
    n = case.notes[0]
    assert (n.date, n.time, n.author, n.text) == (dt.date(2024, 3, 14), "10:30", "Priya Shah",
                                                  "Planned HV. No answer.")


def test_formats_columns_with_date_inside_the_name(tmp_path, ctx):
    (tmp_path / "L.csv").write_text(
        "Child Ref,Child Date of Birth,Date of Activity,Activity Type,Recorded By,Activity Notes\n"
        "CH-1,02/02/2018,03/04/2024 09:15,Visit - Home,L. Patel,Children not seen.\n", encoding="utf-8")
    [case] = load_cases(tmp_path, ctx)
    assert case.case_id == "CH-1"
    assert (case.notes[0].date, case.notes[0].time) == (dt.date(2024, 4, 3), "09:15")
    assert case.notes[0].text == "Children not seen."
