"""The question bank: quizzes drawing a chosen question or N at random from a tag into each
attempt's snapshot, the quiz's check that a tag has enough questions, and the import view's
all-or-nothing rule, its report and its refusals of hostile files."""

import io
import json
import random
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from openpyxl import Workbook

from courses.learning.services import course_enrol
from courses.models import BankQuestion, QuizAttempt, QuizPage
from courses.quizzes import imports
from courses.quizzes.grading import snapshot_questions
from courses.quizzes.selectors import quiz_statistics
from courses.quizzes.services import quiz_attempt_start, quiz_attempt_submit
from tests.conftest import search_index_updates
from tests.courses.quizzes.test_quiz_flow import start
from tests.factories import PASSWORD, enrolled_reader, make_course_tree, make_user, make_volunteer

pytestmark = pytest.mark.django_db

BANK_SECRET = "BANK-FEEDBACK-5521"
RULES = {"shuffle_choices": False, "shuffle_questions": False, "draw_count": 0}


def bank_question(prompt: str, *, tags=("safety",), answer: str = "true") -> BankQuestion:
    question = BankQuestion(
        question=[
            {
                "type": "true_false",
                "value": {"prompt": prompt, "answer": answer, "points": "1", "feedback": BANK_SECRET},
            }
        ]
    )
    question.tags.add(*tags)
    question.save()
    return question


def bank_quiz(module, stream, *, slug="bank-quiz", **rules) -> QuizPage:
    quiz = QuizPage(title="Bank quiz", slug=slug, questions=stream, **rules)
    module.add_child(instance=quiz)
    quiz.save_revision().publish()
    return quiz


def fixed(question: BankQuestion) -> dict:
    return {"type": "bank_question", "value": question.pk}


def draw(tag: str, count: int) -> dict:
    return {"type": "bank_draw", "value": {"tag": tag, "count": count}}


# --- Snapshots -----------------------------------------------------------------------------------


def test_a_fixed_bank_question_is_snapshotted_like_a_question_written_in_the_quiz():
    _course, module, _lesson = make_course_tree()
    question = bank_question("Report to the embassy on arrival.")
    quiz = bank_quiz(module, [fixed(question)])
    [entry] = snapshot_questions(stream=quiz.questions, rules=RULES, rng=random.Random(1))
    assert entry["type"] == "true_false" and entry["answer_key"] == "true"
    assert entry["prompt"] == "Report to the embassy on arrival."
    assert entry["id"] == str(question.question[0].id) and entry["bank_question"] == question.pk


def test_a_random_draw_takes_n_distinct_questions_of_the_tag_never_one_the_quiz_shows_already():
    _course, module, _lesson = make_course_tree()
    chosen = bank_question("Fixed one")
    tagged = [bank_question(f"Tagged {n}") for n in range(6)]
    bank_question("Other tag", tags=("health",))
    quiz = bank_quiz(module, [fixed(chosen), draw("safety", 4)])
    for seed in range(20):
        entries = snapshot_questions(stream=quiz.questions, rules=RULES, rng=random.Random(seed))
        assert entries[0]["prompt"] == "Fixed one"
        drawn = [entry["bank_question"] for entry in entries[1:]]
        assert len(drawn) == 4 and len(set(drawn)) == 4
        assert set(drawn) <= {question.pk for question in tagged}


def test_the_draw_follows_the_seeded_rng_and_differs_between_seeds():
    _course, module, _lesson = make_course_tree()
    for n in range(10):
        bank_question(f"Tagged {n}")
    quiz = bank_quiz(module, [draw("safety", 5)])

    def prompts(seed):
        return [
            e["prompt"]
            for e in snapshot_questions(stream=quiz.questions, rules=RULES, rng=random.Random(seed))
        ]

    assert prompts(3) == prompts(3)
    assert len({tuple(prompts(seed)) for seed in range(10)}) > 1


def test_a_tag_with_fewer_questions_than_drawn_shows_what_exists():
    _course, module, _lesson = make_course_tree()
    questions = [bank_question(f"Tagged {n}") for n in range(5)]
    quiz = bank_quiz(module, [draw("safety", 5)])
    questions[0].delete()
    entries = snapshot_questions(stream=quiz.questions, rules=RULES, rng=random.Random(0))
    assert len(entries) == 4


def test_saving_a_quiz_that_draws_more_than_the_tag_holds_is_refused_with_a_translated_message():
    bank_question("Only one")
    quiz = QuizPage(title="Too many", slug="too-many", questions=[draw("safety", 3)])
    with pytest.raises(ValidationError) as raised:
        quiz.questions.stream_block.clean(quiz.questions)
    assert "มีคำถามที่มีแท็กนี้เพียง 1 ข้อ" in str(raised.value.block_errors[0].block_errors["count"])
    with translation.override("en"):
        with pytest.raises(ValidationError) as raised:
            quiz.questions.stream_block.clean(quiz.questions)
        assert "only 1 question with this tag" in str(raised.value.block_errors[0].block_errors["count"])


def test_the_quizs_draw_count_counts_each_random_draw_as_its_n_questions():
    _course, module, _lesson = make_course_tree()
    for n in range(5):
        bank_question(f"Tagged {n}")
    quiz = QuizPage(title="Draw", slug="draw", questions=[draw("safety", 5)], draw_count=3)
    module.add_child(instance=quiz)  # full_clean: 3 of 5 is fine, though the stream has one block
    quiz.draw_count = 6
    with pytest.raises(ValidationError):
        quiz.full_clean()


def test_editing_or_deleting_a_bank_question_later_never_changes_a_started_attempt():
    course, module, _lesson = make_course_tree()
    user = make_volunteer().user
    course_enrol(volunteer=user, course=course)
    chosen = bank_question("Original wording", answer="true")
    quiz = bank_quiz(module, [fixed(chosen), draw("health", 1)])
    drawn = bank_question("Drawn wording", tags=("health",))
    attempt = quiz_attempt_start(volunteer=user, quiz=quiz, token=uuid.uuid4(), rng=random.Random(7))
    chosen.question = [
        {
            "type": "true_false",
            "value": {"prompt": "Changed", "answer": "false", "points": "5", "feedback": ""},
        }
    ]
    chosen.save()
    drawn.delete()
    attempt.refresh_from_db()
    assert [q["prompt"] for q in attempt.questions] == ["Original wording", "Drawn wording"]
    ids = [q["id"] for q in attempt.questions]
    finished = quiz_attempt_submit(attempt=attempt, answers={ids[0]: "true", ids[1]: "true"})
    assert finished.score == 100 and finished.passed
    stats = quiz_statistics(quiz=quiz)
    assert stats.attempts == 1 and {q.prompt for q in stats.questions} == {
        "Original wording",
        "Drawn wording",
    }


def test_bank_questions_on_the_page_show_no_answer_key_or_feedback_before_submission(client):
    course, module, _lesson = make_course_tree()
    bank_question("Carry your passport copy.")
    quiz = bank_quiz(module, [draw("safety", 1)])
    enrolled_reader(client, course)
    attempt = start(client, quiz)
    assert attempt.questions[0]["prompt"] == "Carry your passport copy."
    html = client.get(quiz.url).content.decode()
    assert "Carry your passport copy." in html
    for secret in (BANK_SECRET, "answer_key", "bank_question"):
        assert secret not in html


# --- Import view ---------------------------------------------------------------------------------

IMPORT_URL = "/admin/courses/question-bank/import/"
GIFT = b"Q1 {T}\n\nQ2 {=a ~b}\n\nQ3 {#5}\n"


def trainer_client(client):
    trainer = make_user(group="Trainers")
    client.login(email=trainer.email, password=PASSWORD)
    return trainer


def upload(name: str, content: bytes):
    handle = io.BytesIO(content)
    handle.name = name
    return handle


def post(client, *, kind="gift", name="questions.txt", content=GIFT, tags="safety", valid_only=False):
    data = {"format": kind, "file": upload(name, content), "tags": tags}
    if valid_only:
        data["valid_only"] = "on"
    return client.post(IMPORT_URL, data)


def test_a_refused_row_imports_nothing_and_the_report_names_its_line_and_reason(client):
    trainer_client(client)
    response = post(client, valid_only=False)
    html = response.content.decode()
    assert response.status_code == 200
    assert not BankQuestion.objects.exists()
    assert "นำเข้าคำถามแบบตัวเลขไม่ได้" in html  # the admin in Thai: numeric questions are refused
    assert "จึงไม่ได้นำเข้าคำถามใดเลย" in html
    assert "<td>5</td>" in html  # the numeric question starts on line 5


def test_asking_for_the_valid_rows_imports_them_with_the_tags_and_the_importer(client):
    trainer = trainer_client(client)
    response = post(client, valid_only=True, tags="safety, arrival")
    assert response.status_code == 200
    questions = list(BankQuestion.objects.order_by("pk"))
    assert [q.prompt() for q in questions] == ["Q1", "Q2"]
    assert all(q.created_by == trainer for q in questions)
    assert {tag.name for tag in questions[0].tags.all()} == {"safety", "arrival"}


def test_a_clean_file_imports_every_question(client):
    trainer_client(client)
    book = Workbook()
    sheet = book.active
    sheet.append(imports.template_headers())
    for n in range(20):
        sheet.append(
            ["true_false", f"Statement {n}", *([None] * imports.OPTION_COLUMNS), "TRUE", 1, None, "xlsx"]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    response = post(client, kind="xlsx", name="questions.xlsx", content=buffer.getvalue(), tags="")
    assert response.status_code == 200
    assert BankQuestion.objects.filter(tags__name="xlsx").count() == 20


@pytest.mark.parametrize(
    ("kind", "name", "content"),
    [
        ("xlsx", "questions.xlsx", b"This is plain text renamed to .xlsx"),
        ("xlsx", "questions.xlsx", b"PK\x03\x04" + b"\x00" * 100),
        ("xlsx", "questions.txt", b"Q {T}"),
        ("gift", "questions.txt", "คำถาม {T}".encode("tis-620")),
        ("gift", "questions.txt", b"%PDF-1.4 not text"),
        ("aiken", "questions.txt", b""),
        ("gift", "questions.txt", b"// only a comment\n"),
    ],
)
def test_hostile_or_foreign_files_get_a_clear_400_and_import_nothing(client, kind, name, content):
    trainer_client(client)
    response = post(client, kind=kind, name=name, content=content)
    assert response.status_code == 400
    assert not BankQuestion.objects.exists()


def test_a_spreadsheet_over_the_size_limit_gets_a_400(client):
    trainer_client(client)
    response = post(
        client, kind="xlsx", name="big.xlsx", content=b"PK\x03\x04" + b"0" * imports.MAX_FILE_BYTES
    )
    assert response.status_code == 400
    assert not BankQuestion.objects.exists()


def test_volunteers_cannot_reach_the_import_or_the_template(client):
    volunteer = make_volunteer().user
    client.login(email=volunteer.email, password=PASSWORD)
    assert client.get(IMPORT_URL).status_code in (302, 403)
    assert post(client).status_code in (302, 403)
    assert not BankQuestion.objects.exists()


def test_a_trainer_sees_the_bank_with_its_import_button_and_filters_by_tag(client):
    trainer_client(client)
    with search_index_updates():
        bank_question("Safety first")
        bank_question("Stay healthy", tags=("health",))
        bank_question("อาสาสมัครต้องพกสำเนาหนังสือเดินทาง", tags=("health",))
    html = client.get("/admin/snippets/courses/bankquestion/").content.decode()
    assert "Safety first" in html and "Stay healthy" in html and IMPORT_URL in html
    assert BANK_SECRET not in html
    filtered = client.get("/admin/snippets/courses/bankquestion/?tag=health").content.decode()
    assert "Stay healthy" in filtered and "Safety first" not in filtered
    found = client.get("/admin/snippets/courses/bankquestion/?q=healthy").content.decode()
    assert "Stay healthy" in found and "Safety first" not in found
    found = client.get("/admin/snippets/courses/bankquestion/?q=หนังสือเดินทาง").content.decode()
    assert "อาสาสมัครต้องพกสำเนา" in found and "Stay healthy" not in found


def chooser_html(client, path: str) -> str:
    """The bank chooser's HTML (the pop-up comes as JSON holding it)."""
    response = client.get("/admin/snippets/choose/courses/bankquestion/" + path)
    assert response.status_code == 200
    body = response.content.decode()
    return json.loads(body)["html"] if body.startswith("{") else body


def test_the_choosers_search_finds_a_thai_word_inside_a_prompt_and_keeps_its_other_filters(client):
    """The pop-up a trainer picks a bank question from, in a quiz: Thai has no spaces between words."""
    trainer_client(client)
    with search_index_updates():
        bank_question("อาสาสมัครต้องพกสำเนาหนังสือเดินทาง")
        bank_question("ควรแจ้งสถานทูตเมื่อเดินทางถึง")
        bank_question("Stay healthy")
    for view in ("", "results/"):
        html = chooser_html(client, f"{view}?q=หนังสือเดินทาง")
        assert "อาสาสมัครต้องพกสำเนา" in html, view
        assert "ควรแจ้งสถานทูต" not in html and "Stay healthy" not in html, view
    both = chooser_html(client, "results/?q=เดินทาง")
    assert "อาสาสมัครต้องพกสำเนา" in both and "ควรแจ้งสถานทูต" in both
    english = chooser_html(client, "results/?q=เดินทาง&locale=en")
    assert "อาสาสมัครต้องพกสำเนา" not in english  # the language filter still applies
    assert "Stay healthy" in chooser_html(client, "results/?q=healthy")


def test_a_trainer_adds_a_bank_question_in_the_editor_and_is_recorded_as_its_author(client):
    trainer = trainer_client(client)
    response = client.post(
        "/admin/snippets/courses/bankquestion/add/",
        {
            "question-count": "1",
            "question-0-type": "true_false",
            "question-0-deleted": "",
            "question-0-order": "0",
            "question-0-value-prompt": "Typed in the editor",
            "question-0-value-answer": "false",
            "question-0-value-points": "1",
            "question-0-value-feedback": "",
            "tags": "typed",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    question = BankQuestion.objects.get()
    assert question.created_by == trainer and question.prompt() == "Typed in the editor"
    assert QuizAttempt.objects.count() == 0


def test_the_quiz_editor_offers_the_bank_blocks_with_the_banks_tags(client):
    trainer_client(client)
    _course, module, _lesson = make_course_tree()
    bank_question("Tagged", tags=("arrival-safety",))
    quiz = bank_quiz(module, [draw("arrival-safety", 1)])
    response = client.get(f"/admin/pages/{quiz.pk}/edit/")
    html = response.content.decode()
    assert response.status_code == 200
    # The block definitions travel as JSON, Thai as \u escapes.
    for label in ("สุ่มคำถามจากคลังข้อสอบ", "คำถามจากคลังข้อสอบ", "จำนวนคำถาม"):
        assert json.dumps(label)[1:-1] in html, label
    assert "arrival-safety" in html  # the tag menu lists the bank's tags


def test_the_journey_20_from_the_template_and_10_from_gift_then_a_quiz_draws_5_from_the_tag(client):
    """The issue's journey without the browser: both imports land in one tag, a quiz draws 5."""
    trainer_client(client)
    book = Workbook()
    sheet = book.active
    sheet.append(imports.template_headers())
    for n in range(20):
        sheet.append(
            ["single_choice", f"XLSX question {n}", "right", "wrong", *([None] * 6), 1, 1, None, None]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    assert (
        post(client, kind="xlsx", name="t.xlsx", content=buffer.getvalue(), tags="journey").status_code == 200
    )
    gift = "\n\n".join(f"::G{n}::GIFT question {n} {{=right ~wrong}}" for n in range(10)).encode()
    assert post(client, kind="gift", name="q.gift", content=gift, tags="journey").status_code == 200
    assert BankQuestion.objects.filter(tags__name="journey").count() == 30
    course, module, _lesson = make_course_tree()
    quiz = bank_quiz(module, [draw("journey", 5)])
    quiz.questions.stream_block.clean(quiz.questions)  # the tag holds enough: saving is allowed
    user = make_volunteer().user
    course_enrol(volunteer=user, course=course)
    attempt = quiz_attempt_start(volunteer=user, quiz=quiz, token=uuid.uuid4())
    assert len(attempt.questions) == 5 and len({q["id"] for q in attempt.questions}) == 5
    assert all(q["type"] == "single_choice" for q in attempt.questions)


def test_the_quiz_preview_says_each_attempt_draws_its_own_questions_from_the_tag():
    _course, module, _lesson = make_course_tree()
    for n in range(3):
        bank_question(f"Preview {n}", tags=("preview-tag",))
    quiz = bank_quiz(module, [draw("preview-tag", 2)])
    html = quiz.make_preview_request().content.decode()
    assert "จะสุ่มคำถาม 2 ข้อจากแท็ก “preview-tag”" in html
    assert html.count("Preview ") >= 2 and BANK_SECRET not in html
