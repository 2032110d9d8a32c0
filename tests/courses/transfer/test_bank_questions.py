"""Course packages carry the bank questions a course's quizzes use: each one a quiz chooses and the
whole tag of each random draw, named by a content key, created where missing and found again on a
second import (issue 23, items 4 and 6)."""

import io
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import translation
from taggit.models import Tag
from wagtail.models import Page, Revision

from courses.models import BankQuestion, QuizPage
from courses.quizzes.grading import snapshot_questions
from courses.transfer import importer
from courses.transfer.export import ExportError
from courses.transfer.format import PackageRefused, bank_question_key
from courses.transfer.importer import course_import
from tests.courses.quizzes.test_question_bank import bank_question, bank_quiz, draw, fixed
from tests.courses.transfer.helpers import (
    course_json,
    exported,
    first_difference,
    move_out_of_the_way,
    with_course_json,
)
from tests.factories import make_course_tree

pytestmark = pytest.mark.django_db

QUIZ = ("course", "children", 0, "children", 1)
QUIZ_PATH = "course.children[0].children[1]"
RULES = {"shuffle_choices": False, "shuffle_questions": False, "draw_count": 0}


def single_choice(prompt: str, *, tags=("orientation",)) -> BankQuestion:
    question = BankQuestion(
        question=[
            {
                "type": "single_choice",
                "id": "0b7c5c1e-5d0f-4c1a-9a57-6c1d2a6f0001",
                "value": {
                    "prompt": prompt,
                    "choices": [
                        {"text": "The embassy", "correct": True, "feedback": ""},
                        {"text": "Nobody", "correct": False, "feedback": "Someone must know."},
                    ],
                    "points": "2",
                    "feedback": "",
                },
            }
        ]
    )
    question.tags.add(*tags)
    question.save()
    return question


@pytest.fixture
def bank_course(db):
    """A course whose quiz shows one chosen bank question and two drawn from the tag "safety" (three
    questions carry it, one of them also "arrival"); one more bank question no quiz uses."""
    course, module, _lesson = make_course_tree(title="Bank course")
    chosen = single_choice("Whom do you tell when you arrive?")
    bank_question("Carry your passport copy.")
    bank_question("Share your travel plans.", answer="false")
    bank_question("Register on arrival.", tags=("safety", "arrival"))
    bank_question("Not used by this course.", tags=("health",))
    bank_quiz(module, [fixed(chosen), draw("safety", 2)])
    return course


def quiz_node(data: dict) -> dict:
    node = data
    for step in QUIZ:
        node = node[step]
    return node


def bank_index(data: dict, prompt: str) -> int:
    return next(
        index
        for index, entry in enumerate(data["bank_questions"])
        if entry["question"][0]["value"]["prompt"] == prompt
    )


def bank_row(prompt: str) -> BankQuestion:
    return next(question for question in BankQuestion.objects.all() if question.prompt() == prompt)


def empty_site_for(course) -> None:
    """As if the site had neither the course nor any bank question or tag."""
    move_out_of_the_way(course)
    BankQuestion.objects.all().delete()
    Tag.objects.all().delete()


def site_state() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "bank questions": BankQuestion.objects.count(),
        "tags": Tag.objects.count(),
    }


def refused(package: bytes, lead) -> PackageRefused:
    before = site_state()
    with pytest.raises(PackageRefused) as caught:
        course_import(io.BytesIO(package), user=lead)
    assert site_state() == before
    return caught.value


# --- Export ----------------------------------------------------------------------------------------


def test_the_export_carries_the_chosen_question_and_every_question_of_a_drawn_tag_sorted_by_key(bank_course):
    data = course_json(exported(bank_course))

    prompts = sorted(entry["question"][0]["value"]["prompt"] for entry in data["bank_questions"])
    assert prompts == [
        "Carry your passport copy.",
        "Register on arrival.",
        "Share your travel plans.",
        "Whom do you tell when you arrive?",
    ]
    keys = [entry["key"] for entry in data["bank_questions"]]
    assert keys == sorted(keys)
    for entry in data["bank_questions"]:
        # The key holds the question's language since bank questions have one (Thai here).
        assert entry["language"] == "th"
        assert entry["key"] == bank_question_key(entry["question"], entry["tags"], "th")
    assert data["bank_questions"][bank_index(data, "Register on arrival.")]["tags"] == ["arrival", "safety"]
    chosen, drawn = quiz_node(data)["fields"]["questions"]
    assert (
        chosen["value"]
        == data["bank_questions"][bank_index(data, "Whom do you tell when you arrive?")]["key"]
    )
    assert drawn["value"] == {"tag": "safety", "count": 2}
    assert data["format_version"] == 2


def test_a_quiz_choosing_a_deleted_bank_question_stops_the_export_naming_the_block(bank_course):
    bank_row("Whom do you tell when you arrive?").delete()

    with pytest.raises(ExportError, match=r"questions\[0\]\.value"):
        exported(bank_course)


# --- Import ----------------------------------------------------------------------------------------


def test_a_course_drawing_from_the_bank_exports_imports_into_an_empty_site_and_exports_to_the_same_bytes(
    bank_course, lead
):
    first = exported(bank_course)
    empty_site_for(bank_course)

    result = course_import(io.BytesIO(first), user=lead)

    assert len(result.bank_created) == 4 and result.bank_reused == 0
    assert BankQuestion.objects.count() == 4
    assert set(Tag.objects.values_list("name", flat=True)) == {"orientation", "safety", "arrival"}
    assert all(question.created_by == lead for question in BankQuestion.objects.all())
    second = exported(Page.objects.get(pk=result.course.pk).specific)
    assert course_json(second) == course_json(first), first_difference(
        course_json(second), course_json(first)
    )
    assert second == first


def test_an_imported_quiz_points_at_this_sites_bank_questions_and_its_attempts_draw_from_them(
    bank_course, lead
):
    package = exported(bank_course)
    empty_site_for(bank_course)

    result = course_import(io.BytesIO(package), user=lead)

    quiz = QuizPage.objects.descendant_of(result.course).get().get_latest_revision_as_object()
    chosen = BankQuestion.objects.get(pk=quiz.questions[0].value.pk)
    assert chosen.prompt() == "Whom do you tell when you arrive?"
    safety = set(BankQuestion.objects.filter(tags__name="safety").values_list("pk", flat=True))
    assert len(safety) == 3
    entries = snapshot_questions(stream=quiz.questions, rules=RULES, rng=random.Random(4))
    assert entries[0]["bank_question"] == chosen.pk and entries[0]["prompt"] == chosen.prompt()
    assert len(entries) == 3 and {entry["bank_question"] for entry in entries[1:]} <= safety


def test_importing_the_package_twice_creates_no_second_copy_of_any_bank_question(bank_course, lead):
    package = exported(bank_course)
    empty_site_for(bank_course)
    course_import(io.BytesIO(package), user=lead)
    before = site_state()

    again = course_import(io.BytesIO(package), user=lead)

    assert again.bank_created == [] and again.bank_reused == 4
    assert again.created == [] and again.changed == []
    assert site_state() == before


def test_a_site_that_already_has_the_bank_questions_reuses_them(bank_course, lead):
    package = exported(bank_course)
    move_out_of_the_way(bank_course)
    before = BankQuestion.objects.count()

    result = course_import(io.BytesIO(package), user=lead)

    assert result.bank_created == [] and result.bank_reused == 4
    assert BankQuestion.objects.count() == before


def test_a_bank_question_changed_here_since_is_created_again_as_the_package_has_it(bank_course, lead):
    """The key is the content: a question edited here is another question, and the quiz imported
    shows the one the package was written with."""
    package = exported(bank_course)
    move_out_of_the_way(bank_course)
    edited = bank_row("Carry your passport copy.")
    edited.question[0].value["prompt"] = "Carry your passport copy and a photo."
    edited.save()

    result = course_import(io.BytesIO(package), user=lead)

    assert [question.prompt() for question in result.bank_created] == ["Carry your passport copy."]


def test_a_package_of_format_version_1_without_bank_questions_still_imports(small_course, lead):
    def version_1(data):
        data["format_version"] = 1
        del data["bank_questions"]

    package = with_course_json(exported(small_course), version_1)
    move_out_of_the_way(small_course)

    result = course_import(io.BytesIO(package), user=lead)

    assert len(result.created) == 3 and result.bank_created == []


# --- Refused ---------------------------------------------------------------------------------------


def test_a_bank_question_its_own_block_refuses_is_refused_naming_the_field_and_nothing_changes(
    bank_course, lead
):
    package = exported(bank_course)
    empty_site_for(bank_course)
    index = bank_index(course_json(package), "Whom do you tell when you arrive?")

    def two_right_answers(data):
        for choice in data["bank_questions"][index]["question"][0]["value"]["choices"]:
            choice["correct"] = True

    with translation.override("en"):
        error = refused(with_course_json(package, two_right_answers), lead)

    assert error.field == f"bank_questions[{index}].question[0].value.choices"
    assert "exactly one" in error.message


def test_a_bank_question_of_an_unknown_type_is_refused_naming_it(bank_course, lead):
    package = exported(bank_course)
    empty_site_for(bank_course)

    def essay(data):
        data["bank_questions"][0]["question"][0]["type"] = "essay"

    error = refused(with_course_json(package, essay), lead)

    assert error.field == "bank_questions[0].question[0]"


def test_a_bank_question_whose_key_is_not_its_content_is_refused(bank_course, lead):
    package = exported(bank_course)
    empty_site_for(bank_course)

    def retagged(data):
        data["bank_questions"][0]["tags"].append("extra")

    error = refused(with_course_json(package, retagged), lead)

    assert error.field == "bank_questions[0].key"


def test_a_bank_question_without_its_block_id_is_refused_by_the_format(bank_course, lead):
    package = exported(bank_course)
    empty_site_for(bank_course)

    def no_id(data):
        del data["bank_questions"][0]["question"][0]["id"]

    error = refused(with_course_json(package, no_id), lead)

    assert error.field == "bank_questions[0].question[0]"


def test_a_quiz_naming_a_bank_question_the_package_does_not_hold_is_refused(bank_course, lead):
    package = exported(bank_course)
    empty_site_for(bank_course)

    def unknown_key(data):
        quiz_node(data)["fields"]["questions"][0]["value"] = "0" * 64

    error = refused(with_course_json(package, unknown_key), lead)

    assert error.field == f"{QUIZ_PATH}.fields.questions[0].value"


def test_a_bank_question_no_quiz_of_the_course_uses_is_refused(bank_course, lead):
    package = exported(bank_course)
    empty_site_for(bank_course)

    def only_the_chosen_one(data):
        quiz_node(data)["fields"]["questions"].pop()

    chosen = bank_index(course_json(package), "Whom do you tell when you arrive?")
    first_unused = min(index for index in range(4) if index != chosen)
    error = refused(with_course_json(package, only_the_chosen_one), lead)

    assert error.field == f"bank_questions[{first_unused}].key"


def test_a_draw_asking_for_more_questions_than_its_tag_holds_refuses_and_rolls_back_the_bank(
    bank_course, lead
):
    """Refused inside the transaction, after the bank questions were created: they go too."""
    package = exported(bank_course)
    empty_site_for(bank_course)

    def draw_ten(data):
        quiz_node(data)["fields"]["questions"][1]["value"]["count"] = 10

    error = refused(with_course_json(package, draw_ten), lead)

    assert error.field == f"{QUIZ_PATH}.fields.questions"


# --- The admin and the command ---------------------------------------------------------------------


def test_the_import_view_says_how_many_bank_questions_it_created_and_found(client, bank_course, lead):
    package = exported(bank_course)
    empty_site_for(bank_course)
    client.force_login(lead)

    response = client.post(
        "/admin/courses/import/",
        {"package": SimpleUploadedFile("course.zip", package, content_type="application/zip")},
        follow=True,
    )

    shown = [str(message) for message in response.context["messages"]]
    assert "คลังข้อสอบ: สร้างคำถามใหม่ 4 ข้อ มีอยู่แล้ว 0 ข้อ" in shown  # the admin speaks Thai


def test_the_import_command_reports_the_bank_questions_created_and_found(bank_course, lead, tmp_path):
    target = tmp_path / "course.zip"
    target.write_bytes(exported(bank_course))
    move_out_of_the_way(bank_course)
    out = io.StringIO()

    call_command("course_import", str(target), "--user", lead.email, stdout=out)

    assert "0 bank questions created, 4 found here." in out.getvalue()


def test_a_bank_question_stored_otherwise_than_sent_refuses_the_package_and_rolls_back(
    bank_course, lead, monkeypatch
):
    """Were Wagtail to rewrite a question on saving, a second import could not find it again: the
    import stops rather than leave a question it cannot recognise."""
    package = exported(bank_course)
    empty_site_for(bank_course)
    monkeypatch.setattr(importer, "bank_question_identity", lambda question: {"key": "rewritten"})

    error = refused(package, lead)

    assert error.field == "bank_questions[0].question"


def test_a_translated_quiz_choosing_its_own_bank_question_carries_it_and_points_at_it_here(bank_course, lead):
    from wagtail.models import Locale

    from training.demo import seed_site

    seed_site()
    english_question = single_choice("Whom do you tell when you arrive? (English)", tags=("english",))
    quiz = QuizPage.objects.descendant_of(bank_course).get()
    translated = quiz.copy_for_translation(Locale.objects.get(language_code="en"), copy_parents=True)
    translated.questions = [fixed(english_question)]
    translated.save_revision().publish()
    package = exported(bank_course)
    assert len(course_json(package)["bank_questions"]) == 5
    empty_site_for(bank_course)

    result = course_import(io.BytesIO(package), user=lead)

    thai_quiz = QuizPage.objects.descendant_of(result.course).get()
    english_quiz = thai_quiz.get_translation(Locale.objects.get(language_code="en"))
    chosen = english_quiz.get_latest_revision_as_object().questions[0].value
    assert chosen.prompt() == "Whom do you tell when you arrive? (English)"
    assert chosen in result.bank_created


# --- Languages -------------------------------------------------------------------------------------


def _with_english_quiz(bank_course):
    """The bank course's quiz translated to English: it chooses the English translation of the chosen
    question and draws 2 from "safety", which has two English questions."""
    from wagtail.models import Locale

    english = Locale.objects.get_or_create(language_code="en")[0]
    chosen = bank_row("Whom do you tell when you arrive?")
    english_chosen = chosen.copy_for_translation(english)
    english_chosen.question[0].value["prompt"] = "Whom do you tell when you arrive? (in English)"
    english_chosen.save()
    for prompt in ("Carry your passport copy.", "Share your travel plans."):
        copy = bank_row(prompt).copy_for_translation(english)
        copy.question[0].value["prompt"] = f"{prompt} (in English)"
        copy.save()
    quiz = QuizPage.objects.descendant_of(bank_course).get()
    translated = quiz.copy_for_translation(english, copy_parents=True)
    translated.questions = [fixed(english_chosen), draw("safety", 2)]
    translated.save_revision().publish()


def test_a_course_with_bank_questions_in_two_languages_roundtrips_to_the_same_bytes(bank_course, lead):
    _with_english_quiz(bank_course)
    first = exported(bank_course)
    data = course_json(first)
    languages = {
        entry["question"][0]["value"]["prompt"]: entry["language"] for entry in data["bank_questions"]
    }
    assert languages["Whom do you tell when you arrive? (in English)"] == "en"
    assert languages["Whom do you tell when you arrive?"] == "th"
    for entry in data["bank_questions"]:
        assert entry["key"] == bank_question_key(entry["question"], entry["tags"], entry["language"])
    empty_site_for(bank_course)

    result = course_import(io.BytesIO(first), user=lead)

    assert {question.locale.language_code for question in result.bank_created} == {"th", "en"}
    assert BankQuestion.objects.filter(locale__language_code="en").count() == 3
    second = exported(Page.objects.get(pk=result.course.pk).specific)
    assert course_json(second) == course_json(first), first_difference(
        course_json(second), course_json(first)
    )
    assert second == first


def test_the_same_question_in_two_languages_is_two_questions_in_the_package(bank_course):
    """Identical content in Thai and in English (a translation not translated yet) has two keys."""
    from wagtail.models import Locale

    bank_row("Carry your passport copy.").copy_for_translation(
        Locale.objects.get_or_create(language_code="en")[0]
    ).save()
    data = course_json(exported(bank_course))

    entries = [
        e
        for e in data["bank_questions"]
        if e["question"][0]["value"]["prompt"] == "Carry your passport copy."
    ]
    assert sorted(entry["language"] for entry in entries) == ["en", "th"]
    assert entries[0]["key"] != entries[1]["key"]


def test_a_bank_question_in_a_language_the_site_does_not_have_is_refused_naming_it(bank_course, lead):
    package = exported(bank_course)
    empty_site_for(bank_course)

    def in_french(data):
        data["bank_questions"][0]["language"] = "fr"

    error = refused(with_course_json(package, in_french), lead)

    assert error.field == "bank_questions[0].language"
    assert "fr" in error.message


def test_a_package_written_before_bank_questions_had_a_language_imports_them_in_thai_and_finds_them_again(
    bank_course, lead
):
    def without_languages(data):
        for entry in data["bank_questions"]:
            del entry["language"]
            entry["key"] = bank_question_key(entry["question"], entry["tags"])
        keys = {}
        for entry in data["bank_questions"]:
            keys[entry["key"]] = entry
        data["bank_questions"] = [keys[key] for key in sorted(keys)]
        old = {bank_question_key(e["question"], e["tags"], "th"): e["key"] for e in data["bank_questions"]}
        chosen = quiz_node(data)["fields"]["questions"][0]
        chosen["value"] = old[chosen["value"]]

    package = with_course_json(exported(bank_course), without_languages)
    empty_site_for(bank_course)

    first = course_import(io.BytesIO(package), user=lead)
    assert {question.locale.language_code for question in first.bank_created} == {"th"}
    move_out_of_the_way(first.course)
    second = course_import(io.BytesIO(package), user=lead)

    assert second.bank_created == [] and second.bank_reused == 4
