"""The demo's quiz attempts and question bank for `seed_demo`. The quizzes themselves (one at the end
of each orientation module, in Thai and English, several question types) are in the orientation's
course package (courses/demo/courses.py); their block ids are the same in both languages, so
statistics count a question across languages.
"""

import uuid

from django.contrib.auth import get_user_model
from django.db import transaction

from courses.authoring.models import CoursePage
from courses.quizzes.models import QuizPage
from courses.quizzes.services import quiz_attempt_start, quiz_attempt_submit

DEMO_NAMESPACE = uuid.UUID("6f1c3a52-4b7e-4d8e-9a61-2f0d7c5b9e10")


def _right_answers(questions: list[dict]) -> dict:
    answers: dict = {}
    for question in questions:
        kind = question["type"]
        if kind == "single_choice":
            answers[question["id"]] = next(c["id"] for c in question["choices"] if c["correct"])
        elif kind == "multiple_choice":
            answers[question["id"]] = [c["id"] for c in question["choices"] if c["correct"]]
        elif kind == "true_false":
            answers[question["id"]] = question["answer_key"]
        elif kind == "short_answer":
            answers[question["id"]] = question["accepted"][0]
        elif kind == "matching":
            answers[question["id"]] = {item["id"]: item["match"] for item in question["items"]}
    return answers


@transaction.atomic
def seed_quiz_attempts() -> None:
    """The demo volunteer failed the first orientation quiz once, then passed it (the module's
    lessons are done), through the quiz services; fixed attempt tokens keep it idempotent."""
    from courses.demo.learning import DEMO_VOLUNTEER

    volunteer = get_user_model().objects.get(email=DEMO_VOLUNTEER)
    course = CoursePage.objects.get(slug="orientation", depth=4, locale__language_code="th")
    quiz = QuizPage.objects.descendant_of(course).filter(slug="quiz").order_by("path").first()
    first = quiz_attempt_start(volunteer=volunteer, quiz=quiz, token=uuid.uuid5(DEMO_NAMESPACE, "attempt-1"))
    quiz_attempt_submit(attempt=first, answers={})
    second = quiz_attempt_start(volunteer=volunteer, quiz=quiz, token=uuid.uuid5(DEMO_NAMESPACE, "attempt-2"))
    quiz_attempt_submit(attempt=second, answers=_right_answers(second.questions))


DEMO_BANK_TAG = "ความปลอดภัยในต่างประเทศ"
# The demo bank, in Moodle's GIFT format as a trainer would bring it from Moodle (the import reads it).
DEMO_BANK_GIFT = """// คลังข้อสอบตัวอย่าง: ความปลอดภัยของ อพม. ในต่างประเทศ
::รายงานตัว::เมื่อเดินทางถึงประเทศปลายทาง อพม. ควรแจ้งข้อมูลการพำนักต่อหน่วยงานใดก่อน {
=สถานเอกอัครราชทูตหรือสถานกงสุลใหญ่ไทย#ถูกต้อง สถานทูตช่วยเหลือคนไทยในยามฉุกเฉินได้
~บริษัทนำเที่ยว
~โรงแรมที่พัก
####การแจ้งข้อมูลต่อสถานทูตช่วยให้ติดต่อท่านได้ในยามฉุกเฉิน}

::หนังสือเดินทาง::ควรเก็บสำเนาหนังสือเดินทางแยกจากตัวจริงเสมอ {T}

::เบอร์ฉุกเฉิน::ข้อใดเป็นข้อมูลที่ควรบันทึกไว้ในโทรศัพท์ {
~%50%หมายเลขโทรศัพท์ฉุกเฉินของสถานทูต
~%50%หมายเลขฉุกเฉินของประเทศที่พำนัก
~%-100%รหัสผ่านบัญชีธนาคาร}

::ข้อมูลส่วนบุคคล::การโพสต์ตำแหน่งที่พักแบบเรียลไทม์บนสื่อสังคมออนไลน์เป็นสิ่งที่ปลอดภัย {F}

::สายด่วน::สายด่วนศูนย์ช่วยเหลือสังคมของกระทรวง พม. คือหมายเลขใด (ตอบเป็นตัวเลข) {=1300 =๑๓๐๐}

::จับคู่::จับคู่สถานการณ์กับหน่วยงานที่ควรติดต่อ {
=หนังสือเดินทางหาย -> สถานเอกอัครราชทูต
=เจ็บป่วยฉุกเฉิน -> โรงพยาบาลท้องถิ่น
=ถูกลักทรัพย์ -> ตำรวจท้องถิ่น
}
"""


@transaction.atomic
def seed_question_bank() -> None:
    """A few bank questions with one tag, imported from GIFT as the demo trainer; idempotent (the
    tag's questions are made once)."""
    from courses.quizzes.bank import BankQuestion
    from courses.quizzes.imports import check_rows, parse_gift
    from courses.quizzes.services import bank_questions_import

    if BankQuestion.objects.filter(tags__name=DEMO_BANK_TAG).exists():
        return
    trainer = get_user_model().objects.filter(email="trainer@example.org").first()
    rows = check_rows(parse_gift(DEMO_BANK_GIFT))
    bank_questions_import(rows=rows, tags=[DEMO_BANK_TAG], actor=trainer, valid_only=False)
