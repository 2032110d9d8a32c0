"""Bank questions have a language: a quiz draws from the bank in its own language, a chosen question
shows its translation in the quiz's language, the save-time check counts questions in the quiz's
language, imports put questions in the language the trainer picks, and the migration that gave the
bank languages left the questions already there in Thai."""

import importlib
import random
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Locale

from courses.learning.services import course_enrol
from courses.models import BankQuestion, QuizAttempt, QuizPage
from courses.quizzes import blocks
from courses.quizzes.blocks import drawing_locale
from courses.quizzes.grading import snapshot_questions
from courses.quizzes.services import quiz_attempt_start
from tests.courses.quizzes.test_question_bank import bank_question, bank_quiz, draw, fixed
from tests.factories import PASSWORD, make_course_tree, make_user, make_volunteer

pytestmark = pytest.mark.django_db

RULES = {"shuffle_choices": False, "shuffle_questions": False, "draw_count": 0}


def english() -> Locale:
    return Locale.objects.get_or_create(language_code="en")[0]


def translated(question: BankQuestion, prompt: str) -> BankQuestion:
    """The English translation of a bank question, as wagtail-localize makes it (same key and block id)."""
    copy = question.copy_for_translation(english())
    copy.question[0].value["prompt"] = prompt
    copy.save()
    return copy


def english_quiz(quiz: QuizPage, stream=None) -> QuizPage:
    copy = quiz.copy_for_translation(english(), copy_parents=True)
    if stream is not None:
        copy.questions = stream
    copy.save_revision().publish()
    return copy


def test_an_english_quiz_draws_only_english_bank_questions_and_the_thai_quiz_only_thai_ones():
    _course, module, _lesson = make_course_tree()
    thai = [bank_question(f"ไทย {n}") for n in range(4)]
    for n, question in enumerate(thai):
        translated(question, f"English {n}")
    quiz = bank_quiz(module, [draw("safety", 3)])
    english_page = english_quiz(quiz)
    for seed in range(10):
        shown = snapshot_questions(
            stream=english_page.questions, rules=RULES, rng=random.Random(seed), locale=english_page.locale
        )
        assert len(shown) == 3 and all(entry["prompt"].startswith("English ") for entry in shown)
        thai_shown = snapshot_questions(
            stream=quiz.questions, rules=RULES, rng=random.Random(seed), locale=quiz.locale
        )
        assert len(thai_shown) == 3 and all(entry["prompt"].startswith("ไทย ") for entry in thai_shown)


def test_an_attempt_started_on_the_english_quiz_snapshots_english_bank_questions():
    course, module, _lesson = make_course_tree()
    for n in range(3):
        translated(bank_question(f"ไทย {n}"), f"English {n}")
    quiz = bank_quiz(module, [draw("safety", 2)])
    english_page = english_quiz(quiz)
    volunteer = make_volunteer().user
    course_enrol(volunteer=volunteer, course=course)

    attempt = quiz_attempt_start(
        volunteer=volunteer, quiz=quiz, token=uuid.uuid4(), shown=english_page, rng=random.Random(1)
    )

    attempt = QuizAttempt.objects.get(pk=attempt.pk)
    assert [entry["prompt"][:8] for entry in attempt.questions] == ["English ", "English "]
    assert {entry["language"] for entry in attempt.questions} == {"en"}


def test_a_chosen_bank_question_shows_its_english_translation_in_the_english_quiz():
    _course, module, _lesson = make_course_tree()
    question = bank_question("รายงานตัวกับสถานทูต")
    english_question = translated(question, "Report to the embassy")
    quiz = bank_quiz(module, [fixed(question)])
    english_page = english_quiz(quiz)  # still chooses the Thai question, as copied

    [entry] = snapshot_questions(
        stream=english_page.questions, rules=RULES, rng=random.Random(0), locale=english_page.locale
    )

    assert entry["prompt"] == "Report to the embassy"
    assert entry["bank_question"] == english_question.pk
    # The same block id in both languages: a review in the other language finds its texts.
    assert entry["id"] == str(question.question[0].id)


def test_a_chosen_bank_question_without_an_english_translation_shows_itself_in_the_english_quiz():
    _course, module, _lesson = make_course_tree()
    question = bank_question("รายงานตัวกับสถานทูต")
    quiz = bank_quiz(module, [fixed(question)])
    english_page = english_quiz(quiz)

    [entry] = snapshot_questions(
        stream=english_page.questions, rules=RULES, rng=random.Random(0), locale=english_page.locale
    )

    assert entry["prompt"] == "รายงานตัวกับสถานทูต" and entry["bank_question"] == question.pk


def test_a_draw_never_repeats_the_chosen_question_in_its_other_language():
    _course, module, _lesson = make_course_tree()
    chosen = bank_question("ไทย เลือก")
    translated(chosen, "English chosen")
    for n in range(3):
        translated(bank_question(f"ไทย {n}"), f"English {n}")
    quiz = bank_quiz(module, [fixed(chosen), draw("safety", 3)])
    english_page = english_quiz(quiz)

    for seed in range(10):
        shown = snapshot_questions(
            stream=english_page.questions, rules=RULES, rng=random.Random(seed), locale=english_page.locale
        )
        prompts = [entry["prompt"] for entry in shown]
        assert prompts[0] == "English chosen" and "English chosen" not in prompts[1:]


def test_the_check_that_a_tag_has_enough_questions_counts_those_in_the_quizs_language():
    _course, module, _lesson = make_course_tree()
    thai = [bank_question(f"ไทย {n}") for n in range(3)]
    translated(thai[0], "English 0")
    quiz = bank_quiz(module, [draw("safety", 3)])  # three Thai questions: fine in Thai
    english_page = english_quiz(quiz)
    stream_block = english_page.questions.stream_block

    with drawing_locale(english_page.locale):
        with pytest.raises(ValidationError) as raised:
            stream_block.clean(english_page.questions)
        assert "เพียง 1 ข้อ" in str(raised.value.block_errors[0].block_errors["count"])
        stream_block.clean(stream_block.to_python([draw("safety", 1)]))
    with drawing_locale(None):  # a quiz with no language yet: the default (Thai) bank
        stream_block.clean(english_page.questions)


def test_the_quiz_edit_form_validates_random_draws_in_the_pages_language(monkeypatch):
    _course, module, _lesson = make_course_tree()
    bank_question("ไทย 0")
    english_page = english_quiz(bank_quiz(module, [draw("safety", 1)]))
    seen = []
    monkeypatch.setattr(
        WagtailAdminPageForm, "full_clean", lambda form: seen.append(blocks._drawing_locale.get())
    )
    form_class = QuizPage.get_edit_handler().get_form_class()

    form_class(
        instance=english_page, parent_page=english_page.get_parent(), for_user=make_user()
    ).full_clean()

    assert seen == [english_page.locale]
    assert blocks._drawing_locale.get() is None  # and only while the form validates


def test_imported_questions_get_the_language_the_trainer_picks_thai_by_default(client):
    trainer = make_user(group="Trainers")
    client.login(email=trainer.email, password=PASSWORD)
    url = reverse("courses_bank_import")
    text = "Which is the capital of Thailand?\nA. Chiang Mai\nB. Bangkok\nANSWER: B\n"

    def post(tag, **extra):
        upload = SimpleUploadedFile("questions.txt", text.encode(), content_type="text/plain")
        return client.post(url, {"format": "aiken", "file": upload, "tags": tag, **extra})

    form = client.get(url).context["form"]
    assert form["locale"].value() == Locale.get_default().pk
    assert post("in-thai", locale=Locale.get_default().pk).status_code == 200
    assert post("in-english", locale=english().pk).status_code == 200
    assert post("no-such-language", locale=999999).status_code == 400

    assert BankQuestion.objects.get(tags__name="in-thai").locale.language_code == "th"
    assert BankQuestion.objects.get(tags__name="in-english").locale.language_code == "en"
    assert not BankQuestion.objects.filter(tags__name="no-such-language").exists()


def test_the_bank_listing_filters_by_language(client):
    staff = make_user(group="Staff")
    client.login(email=staff.email, password=PASSWORD)
    translated(bank_question("คำถามภาษาไทย"), "An English question")

    url = reverse("wagtailsnippets_courses_bankquestion:list")
    in_english = client.get(url, {"locale": "en"})
    in_thai = client.get(url, {"locale": "th"})

    assert in_english.status_code == 200 and in_thai.status_code == 200
    assert "An English question" in in_english.text and "คำถามภาษาไทย" not in in_english.text
    assert "คำถามภาษาไทย" in in_thai.text and "An English question" not in in_thai.text


class _Rows(list):
    """What the migration's historical queryset gives it: rows, and whether there are any."""

    def filter(self, **lookups):
        assert lookups == {"locale__isnull": True}
        return self

    def exists(self):
        return bool(self)


class _OldQuestion:
    """A bank question as it was before the migration: no locale, no translation key."""

    def __init__(self):
        self.locale = None
        self.translation_key = None
        self.saved_fields = None

    def save(self, update_fields):
        self.saved_fields = update_fields


def test_the_migration_puts_the_questions_already_in_the_bank_in_thai_each_with_its_own_key():
    from django.apps import apps

    migration = importlib.import_module("courses.migrations.0017_bank_question_locale")
    rows = _Rows([_OldQuestion(), _OldQuestion()])

    class HistoricalApps:
        def get_model(self, app_label, name):
            if name == "BankQuestion":
                return type("BankQuestion", (), {"objects": rows})
            return apps.get_model(app_label, name)

    migration.bootstrap_locale(HistoricalApps(), None)

    assert [question.locale.language_code for question in rows] == ["th", "th"]
    assert all(question.saved_fields == ["locale", "translation_key"] for question in rows)
    assert len({question.translation_key for question in rows}) == 2 and None not in {
        question.translation_key for question in rows
    }


def test_a_bank_question_offers_translate_and_its_submit_page_opens_for_trainers(client):
    trainer = make_user(group="Trainers")
    assert trainer.has_perm("wagtail_localize.submit_translation")
    client.login(email=trainer.email, password=PASSWORD)
    english()
    question = bank_question("คำถามที่จะแปล")
    submit_url = reverse(
        "wagtail_localize:submit_snippet_translation", args=["courses", "bankquestion", question.pk]
    )

    listing = client.get(reverse("wagtailsnippets_courses_bankquestion:list"))
    submit = client.get(submit_url)

    assert listing.status_code == 200 and submit_url in listing.text
    assert submit.status_code == 200


def test_the_tag_menu_says_how_many_questions_each_tag_holds_in_each_language():
    """A quiz draws only questions in its own language: the trainer picking a tag sees how many."""
    from django.utils import translation

    thai = [bank_question(f"ไทย {n}", tags=("safety", "health")) for n in range(3)]
    translated(thai[0], "English 0")
    bank_question("ไทยอย่างเดียว", tags=("arrival",))
    with translation.override("en"):
        assert blocks.bank_tag_choices() == [
            ("arrival", "arrival (1 Thai)"),
            ("health", "health (1 English, 3 Thai)"),
            ("safety", "safety (1 English, 3 Thai)"),
        ]
    with translation.override("th"):
        assert dict(blocks.bank_tag_choices())["safety"] == "safety (1 อังกฤษ, 3 ไทย)"
