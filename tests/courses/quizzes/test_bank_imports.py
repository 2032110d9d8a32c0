"""The question bank's file readers: the XLSX template, GIFT and Aiken. Every question read carries
its row or line number; every malformed one is refused with that number and a reason, and the
blocks' own rules (one correct choice, lengths, distinct matches) refuse what the parsers let by."""

import io
import zipfile

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from courses.quizzes import imports
from courses.quizzes.imports import ImportFileError, check_rows, parse_aiken, parse_gift, parse_xlsx


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def only(rows):
    assert len(rows) == 1, rows
    return rows[0]


# --- GIFT ---------------------------------------------------------------------------------------


def test_gift_reads_a_single_choice_question_with_title_comment_feedback_and_its_line_number():
    rows = parse_gift(
        "// a comment line\n\n::Capital::What is the capital of Thailand? {\n"
        "=Bangkok#Right.\n~Chiang Mai#No.\n~Khon Kaen\n####The capital is Bangkok.}\n"
    )
    row = only(check_rows(rows))
    assert row.ok and row.number == 3 and row.kind == "single_choice"
    assert row.raw["prompt"] == "What is the capital of Thailand?"
    assert [(c["text"], c["correct"], c["feedback"]) for c in row.raw["choices"]] == [
        ("Bangkok", True, "Right."),
        ("Chiang Mai", False, "No."),
        ("Khon Kaen", False, ""),
    ]
    assert row.raw["feedback"] == "The capital is Bangkok."


def test_gift_partial_credit_choices_become_a_multiple_choice_question_with_those_choices_correct():
    row = only(check_rows(parse_gift("Which are provinces? {~%50%Chiang Mai ~%50%Khon Kaen ~%-100%Penang}")))
    assert row.ok and row.kind == "multiple_choice"
    assert [c["correct"] for c in row.raw["choices"]] == [True, True, False]


@pytest.mark.parametrize(
    ("answers", "expected"), [("{T}", "true"), ("{TRUE}", "true"), ("{F}", "false"), ("{false}", "false")]
)
def test_gift_true_false_in_each_spelling(answers, expected):
    row = only(check_rows(parse_gift(f"The sky is blue. {answers}")))
    assert row.ok and row.kind == "true_false" and row.raw["answer"] == expected


def test_gift_short_answer_and_matching():
    rows = check_rows(
        parse_gift(
            "How many provinces? {=77 =seventy-seven}\n\n"
            "Match the words. {\n=สวัสดี -> Hello\n=ขอบคุณ -> Thank you\n=ลาก่อน -> Goodbye\n}"
        )
    )
    assert [row.kind for row in rows] == ["short_answer", "matching"]
    assert all(row.ok for row in rows)
    assert rows[0].raw["accepted"] == ["77", "seventy-seven"]
    assert rows[1].number == 3
    assert rows[1].raw["pairs"][1] == {"item": "ขอบคุณ", "match": "Thank you"}


def test_gift_escapes_keep_their_characters_in_the_text():
    row = only(check_rows(parse_gift(r"What is 1 \= 1\: \{true\} or \~false\#? {=yes \= sure ~no}")))
    assert row.ok
    assert row.raw["prompt"] == "What is 1 = 1: {true} or ~false#?"
    assert row.raw["choices"][0]["text"] == "yes = sure"


def test_gift_missing_word_questions_keep_the_text_after_the_answers():
    row = only(check_rows(parse_gift("Bangkok is the {=capital ~port} of Thailand.")))
    assert row.ok and row.raw["prompt"] == "Bangkok is the _____ of Thailand."


def test_gift_category_lines_are_not_questions():
    rows = parse_gift("$CATEGORY: tom/quiz\n\nQ? {T}")
    assert len(rows) == 1 and rows[0].number == 3


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("Write about your trip. {}", "Essay questions cannot be imported"),
        ("What is 2 + 2? {#4}", "Numerical questions cannot be imported"),
        ("Just a statement without answers.", "No answers in braces"),
        ("Unclosed {=yes ~no", "braces { } around the answers do not match"),
        ("Reversed } =yes {", "braces { } around the answers do not match"),
        ("Two {=a ~b} sets {=c ~d}", "one set of answers"),
        ("Bad start {yes ~no}", "must start with = (right) or ~ (wrong)"),
        ("Empty answer {= ~no}", "An answer is empty"),
        ("Mixed {=a -> b =c}", "every answer is a pair"),
        ("Partial short {=%50%seven =7}", "partial credit"),
        ("Both marks {=a ~%50%b ~c}", "either with = or with a percentage"),
        ("None right {~a ~b}", "Mark exactly one choice as correct"),
        ("One choice {=only}", "short_answer"),  # one accepted answer: a valid short answer
        ("Same match {=a -> x =b -> x}", "Each match must be different"),
        ("Too long {=" + "x" * 301 + " ~no}", "at most 300 characters"),
    ],
)
def test_gift_refuses_each_malformed_question_with_its_line_and_reason(source, reason):
    row = only(check_rows(parse_gift("// header\n\n" + source)))
    assert row.number == 3
    if reason == "short_answer":
        assert row.ok and row.kind == "short_answer"
        return
    assert not row.ok
    assert reason in row.error, row.error


@pytest.mark.parametrize(
    "source",
    [
        "::t:: Unclosed \\{ braces {=yes ~no",
        "::t:: Unclosed \\{ braces",
        "::t:: Unclosed \\{ braces {=a} {=b}",
    ],
)
def test_a_gift_question_refused_for_its_braces_still_shows_its_text_in_the_report(source):
    # The report's Question column names the refused question, not only its line.
    [row] = check_rows(parse_gift(source))
    assert not row.ok and row.prompt == "Unclosed { braces"


def test_gift_a_refused_question_does_not_stop_the_next_ones_being_read():
    rows = check_rows(parse_gift("A {}\n\nB {T}\n\nC {#3}\n\nD {=x ~y}"))
    assert [(row.number, row.ok) for row in rows] == [(1, False), (3, True), (5, False), (7, True)]


# --- Aiken --------------------------------------------------------------------------------------

AIKEN = """What is the capital of Thailand?
A. Chiang Mai
B. Bangkok
C) Khon Kaen
ANSWER: B

Which ocean lies west of Thailand?
A. Indian Ocean
B. Atlantic Ocean
ANSWER: A
"""


def test_aiken_reads_questions_with_both_option_styles():
    rows = check_rows(parse_aiken(AIKEN))
    assert [(row.number, row.ok, row.kind) for row in rows] == [
        (1, True, "single_choice"),
        (7, True, "single_choice"),
    ]
    assert [c["correct"] for c in rows[0].raw["choices"]] == [False, True, False]
    assert rows[0].raw["choices"][2]["text"] == "Khon Kaen"


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("Q?\nA. one\nB. two\n", "no “ANSWER:” line"),
        ("Q?\nA. one\nB. two\nANSWER: C", "The answer C is not one of the options"),
        ("Q?\nA. one\nB. two\nANSWER: A, B", "must name one option letter"),
        ("Q?\nANSWER: A", "no options"),
        ("Q?\nA. one\nC. two\nANSWER: A", "Option C is out of order: B was expected"),
        ("Q?\nA. one\nsomething else\nANSWER: A", "neither the next option"),
        ("A. one\nB. two\nANSWER: A", "comes before the question's text"),
        ("Q?\nA. one\nANSWER: A", "minimum number of items is 2"),
    ],
)
def test_aiken_refuses_each_malformed_question_with_its_line_and_reason(source, reason):
    rows = check_rows(
        parse_aiken("Fine?\nA. yes\nB. no\nANSWER: A\n\n" + source + "\n\nAfter?\nA. x\nB. y\nANSWER: B\n")
    )
    assert [row.ok for row in rows] == [True, False, True], [(row.number, row.error) for row in rows]
    assert rows[1].number == 6
    assert reason in rows[1].error, rows[1].error


# --- XLSX template -----------------------------------------------------------------------------


def workbook(rows, *, header=None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header if header is not None else imports.template_headers())
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def row(kind, prompt, options=(), correct="", points=None, feedback="", tags=""):
    options = list(options) + [None] * (imports.OPTION_COLUMNS - len(options))
    return [kind, prompt, *options, correct, points, feedback, tags]


def test_xlsx_reads_every_type_with_its_row_number_and_tags():
    data = workbook(
        [
            row("single_choice", "เมืองหลวง?", ["เชียงใหม่", "กรุงเทพฯ"], 2, 2, "ใช่", "ทั่วไป, ภูมิศาสตร์"),
            row("multiple_choice", "Provinces?", ["Chiang Mai", "Penang", "Khon Kaen"], "1,3"),
            row("true_false", "True?", correct=True),
            [None] * 14,  # an empty row is skipped
            row("short_answer", "How many?", ["77", "๗๗"]),
            row("matching", "Match", ["a -> 1", "b -> 2"]),
        ]
    )
    rows = check_rows(parse_xlsx(data))
    assert [(r.number, r.kind, r.ok) for r in rows] == [
        (2, "single_choice", True),
        (3, "multiple_choice", True),
        (4, "true_false", True),
        (6, "short_answer", True),
        (7, "matching", True),
    ]
    assert rows[0].tags == ["ทั่วไป", "ภูมิศาสตร์"]
    assert str(rows[0].value["points"]) == "2"
    assert rows[2].raw["answer"] == "true"


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        (row("essay", "Q"), "Unknown question type"),
        (row("single_choice", "Q", ["a", None, "c"], 1), "without gaps"),
        (row("single_choice", "Q", ["a", "b"], "first"), "number of the correct option"),
        (row("single_choice", "Q", ["a", "b"], 3), "not one of the filled options"),
        (row("single_choice", "Q", ["a", "b"], "1,2"), "Mark exactly one choice as correct"),
        (row("single_choice", "", ["a", "b"], 1), "This field is required"),
        (row("single_choice", "Q", ["a"], 1), "minimum number of items is 2"),
        (row("true_false", "Q", correct="maybe"), "TRUE or FALSE"),
        (row("true_false", "Q", ["x"], correct="TRUE"), "no options"),
        (row("short_answer", "Q", ["a"], correct="1"), "accepted answers in the option columns"),
        (row("short_answer", "Q"), "minimum number of items is 1"),
        (row("matching", "Q", ["a = 1", "b -> 2"]), "item -> its match"),
        (row("matching", "Q", ["a -> 1", "b -> 1"]), "Each match must be different"),
        (row("single_choice", "Q", ["a", "b"], 1, "lots"), "Points must be a number"),
        (row("single_choice", "Q", ["a", "b"], 1, 500), "less than or equal to 100"),
        (row("single_choice", "Q" * 1001, ["a", "b"], 1), "at most 1000 characters"),
        (
            row("single_choice", "Q", ["a", "b"], 1, tags=",".join(f"t{n}" for n in range(11))),
            "at most 10 tags",
        ),
    ],
)
def test_xlsx_refuses_each_malformed_row_with_its_row_number_and_reason(cells, reason):
    rows = check_rows(parse_xlsx(workbook([row("true_false", "Fine", correct="FALSE"), cells])))
    assert rows[0].ok
    assert rows[1].number == 3 and not rows[1].ok
    assert reason in rows[1].error, rows[1].error


def test_xlsx_without_the_templates_header_is_refused_as_a_whole():
    with pytest.raises(ImportFileError, match="not the template's header"):
        parse_xlsx(workbook([row("true_false", "Q", correct="TRUE")], header=["Name", "Email"]))


def test_xlsx_with_more_than_the_row_limit_is_refused(monkeypatch):
    monkeypatch.setattr(imports, "MAX_QUESTIONS", 3)
    with pytest.raises(ImportFileError, match="more than 3 questions"):
        parse_xlsx(workbook([row("true_false", f"Q{n}", correct="TRUE") for n in range(4)]))


def test_a_file_that_is_not_a_spreadsheet_is_refused_as_a_whole():
    with pytest.raises(ImportFileError, match="not an XLSX"):
        parse_xlsx(b"PK\x03\x04 but no zip after all")
    with pytest.raises(ImportFileError, match="not an XLSX"):
        parse_xlsx(b"type,question\nsingle_choice,Q\n")


def test_a_zip_that_is_not_a_workbook_is_refused_as_a_whole():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(ImportFileError, match="not an XLSX"):
        parse_xlsx(buffer.getvalue())


def test_a_spreadsheet_that_unpacks_to_too_much_is_refused_before_it_is_read():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "xl/worksheets/sheet1.xml", b"<a>" + b" " * (imports.MAX_UNPACKED_BYTES + 1) + b"</a>"
        )
    data = buffer.getvalue()
    assert len(data) < imports.MAX_FILE_BYTES  # small on disk, huge unpacked
    with pytest.raises(ImportFileError, match="too large"):
        parse_xlsx(data)


def test_a_file_over_the_size_limit_is_refused():
    with pytest.raises(ImportFileError, match="larger than 2 MB"):
        parse_xlsx(b"PK" + b"0" * imports.MAX_FILE_BYTES)
    with pytest.raises(ImportFileError, match="larger than 2 MB"):
        imports.decode_text(b"x" * (imports.MAX_FILE_BYTES + 1))


def test_text_that_is_not_utf8_is_refused():
    with pytest.raises(ImportFileError, match="not UTF-8"):
        imports.decode_text("คำถาม".encode("tis-620"))


def test_openpyxl_reads_xml_with_defusedxml():
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML is True


def test_the_downloadable_template_reads_back_every_example_row(rf):
    from courses.quizzes import bank_admin

    book = load_workbook(io.BytesIO(_template_bytes(bank_admin, rf)))
    assert [cell.value for cell in book.worksheets[0][1]] == imports.template_headers()
    assert book.worksheets[0].max_row == 1  # the questions sheet starts empty
    examples = [[cell.value for cell in line] for line in book.worksheets[1].iter_rows(min_row=2)]
    rows = check_rows(parse_xlsx(workbook(examples)))
    assert [r.kind for r in rows] == list(imports.KINDS)
    assert all(r.ok for r in rows), [(r.number, r.error) for r in rows]


def _template_bytes(bank_admin, rf) -> bytes:
    class Trainer:
        def has_perm(self, name):
            return name == bank_admin.ADD_PERMISSION

    request = rf.get("/admin/courses/question-bank/template/")
    request.user = Trainer()
    return bank_admin.template_download(request).content


def _with_sheet_xml(xml: bytes) -> bytes:
    """A real workbook whose first sheet's XML is replaced."""
    source = zipfile.ZipFile(io.BytesIO(workbook([row("true_false", "Q", correct="TRUE")])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for entry in source.infolist():
            content = xml if entry.filename == "xl/worksheets/sheet1.xml" else source.read(entry.filename)
            target.writestr(entry.filename, content)
    return buffer.getvalue()


def test_a_spreadsheet_with_an_xml_entity_bomb_is_refused_not_expanded():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData></worksheet>'
    )
    with pytest.raises(ImportFileError, match="not an XLSX"):
        parse_xlsx(_with_sheet_xml(bomb))


def test_a_spreadsheet_with_a_damaged_sheet_is_refused():
    with pytest.raises(ImportFileError, match="not an XLSX"):
        parse_xlsx(_with_sheet_xml(b"<worksheet><sheetData><row"))


def test_a_sheet_of_endless_empty_rows_is_refused_once_past_the_row_limit(monkeypatch):
    monkeypatch.setattr(imports, "MAX_SHEET_ROWS", 50)
    rows = [row("true_false", "Q", correct="TRUE")] + [[None, None, None, None, "", " "]] * 60
    with pytest.raises(ImportFileError, match="more than"):
        parse_xlsx(workbook(rows))
