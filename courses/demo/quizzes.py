"""Demo quizzes for `seed_demo`: each module of the orientation course ends with a quiz in Thai
(with its English translation), using several question types. The platform course has none.

Block ids are fixed so both languages share them (statistics count a question across languages)
and so running the seeder again changes nothing.
"""

import uuid

from django.contrib.auth import get_user_model
from django.db import transaction

from courses.authoring.models import CoursePage, ModulePage
from courses.authoring.services import course_content_upsert
from courses.demo.translation import page_translate_demo
from courses.quizzes.models import QuizPage
from courses.quizzes.services import quiz_attempt_start, quiz_attempt_submit

DEMO_NAMESPACE = uuid.UUID("6f1c3a52-4b7e-4d8e-9a61-2f0d7c5b9e10")


def single(
    qid: str, prompt: str, choices: list[tuple[str, bool, str]], feedback: str = "", points: int = 1
) -> dict:
    return {
        "type": "single_choice",
        "id": qid,
        "value": {
            "prompt": prompt,
            "points": str(points),
            "feedback": feedback,
            "choices": [
                {
                    "type": "item",
                    "id": f"{qid}-{n}",
                    "value": {"text": text, "correct": correct, "feedback": note},
                }
                for n, (text, correct, note) in enumerate(choices)
            ],
        },
    }


def multiple(
    qid: str, prompt: str, choices: list[tuple[str, bool]], feedback: str = "", points: int = 2
) -> dict:
    block = single(qid, prompt, [(text, correct, "") for text, correct in choices], feedback, points)
    block["type"] = "multiple_choice"
    return block


def true_false(qid: str, prompt: str, answer: bool, feedback: str = "") -> dict:
    return {
        "type": "true_false",
        "id": qid,
        "value": {
            "prompt": prompt,
            "answer": "true" if answer else "false",
            "points": "1",
            "feedback": feedback,
        },
    }


def short(qid: str, prompt: str, accepted: list[str], feedback: str = "") -> dict:
    return {
        "type": "short_answer",
        "id": qid,
        "value": {
            "prompt": prompt,
            # Items with ids, so wagtail-localize offers each accepted answer for translation.
            "accepted": [
                {"type": "item", "id": f"{qid}-a{n}", "value": text} for n, text in enumerate(accepted)
            ],
            "points": "1",
            "feedback": feedback,
        },
    }


def matching(
    qid: str, prompt: str, pairs: list[tuple[str, str]], feedback: str = "", points: int = 2
) -> dict:
    return {
        "type": "matching",
        "id": qid,
        "value": {
            "prompt": prompt,
            "points": str(points),
            "feedback": feedback,
            "pairs": [
                {"type": "item", "id": f"{qid}-{n}", "value": {"item": item, "match": match}}
                for n, (item, match) in enumerate(pairs)
            ],
        },
    }


# module slug -> (Thai quiz, English quiz); each: title, intro, questions, and the rules.
def orientation_quizzes() -> dict[str, tuple[dict, dict]]:
    return {
        "role-and-ethics": (
            {
                "title": "แบบทดสอบ: บทบาทและจริยธรรม",
                "intro": "<p>ตอบให้ถูกอย่างน้อยร้อยละ 70 จึงผ่าน ทำได้ 3 ครั้ง</p>",
                "questions": [
                    single(
                        "ethics-consent",
                        "คนที่มาขอความช่วยเหลือเล่าเรื่องส่วนตัวให้ฟัง คุณจะเล่าต่อให้คนอื่นได้เมื่อใด",
                        [
                            ("เมื่อเขายินยอม หรือเมื่อมีอันตรายต่อชีวิต", True, "ถูกต้อง ความลับเป็นของเขา"),
                            ("เมื่อเพื่อนอาสาสมัครถาม", False, "เพื่อนอาสาสมัครไม่ใช่เหตุผลในการเปิดเผย"),
                            ("เมื่อใดก็ได้ถ้าไม่บอกชื่อ", False, "รายละเอียดอาจทำให้คนอื่นรู้ว่าเป็นใคร"),
                        ],
                        feedback="ทบทวนบทเรียน “จริยธรรมและการรักษาความลับ”",
                    ),
                    true_false(
                        "ethics-decide",
                        "อาสาสมัครควรตัดสินใจแทนคนที่มาขอความช่วยเหลือ เพื่อให้เขาปลอดภัยเร็วที่สุด",
                        False,
                        "คนที่มาขอความช่วยเหลือเป็นผู้ตัดสินใจเอง อาสาสมัครให้ข้อมูลและทางเลือก",
                    ),
                    multiple(
                        "ethics-selfcare",
                        "ข้อใดเป็นการดูแลตัวเองของอาสาสมัคร (เลือกทุกข้อที่ถูก)",
                        [
                            ("พักเมื่อรู้สึกเหนื่อยล้า", True),
                            ("คุยกับผู้ประสานงานเมื่อหนักใจ", True),
                            ("รับทุกกรณีคนเดียว", False),
                        ],
                    ),
                    short(
                        "ethics-hotline", "สายด่วน พม. คือหมายเลขใด (ตัวเลขสี่หลัก)", ["1300"], "สายด่วน พม. 1300"
                    ),
                ],
            },
            {
                "title": "Quiz: role and ethics",
                "intro": "<p>Get at least 70% to pass. You have three attempts.</p>",
                "questions": [
                    single(
                        "ethics-consent",
                        "Someone who asks for help tells you something personal. When may you pass it on?",
                        [
                            (
                                "When they agree, or when a life is in danger",
                                True,
                                "Right: the secret is theirs.",
                            ),
                            (
                                "When another volunteer asks",
                                False,
                                "Another volunteer asking is no reason to share.",
                            ),
                            ("Any time, without the name", False, "Details can still show who it is."),
                        ],
                        feedback="Read the lesson “Ethics and confidentiality” again.",
                    ),
                    true_false(
                        "ethics-decide",
                        "A volunteer should decide for the person asking for help, so they are safe sooner.",
                        False,
                        "The person decides; the volunteer gives information and choices.",
                    ),
                    multiple(
                        "ethics-selfcare",
                        "Which of these are ways a volunteer looks after themselves? (Select all that apply.)",
                        [
                            ("Rest when worn out", True),
                            ("Talk to the coordinator when it weighs on you", True),
                            ("Take every case alone", False),
                        ],
                    ),
                    short(
                        "ethics-hotline",
                        "What is the ministry's hotline number? (four digits)",
                        ["1300"],
                        "The hotline is 1300.",
                    ),
                ],
            },
        ),
        "domestic-violence": (
            {
                "title": "แบบทดสอบ: ความรุนแรงในครอบครัว",
                "intro": "",
                "questions": [
                    multiple(
                        "dv-signs",
                        "ข้อใดอาจเป็นสัญญาณของความรุนแรงในครอบครัว (เลือกทุกข้อที่ถูก)",
                        [
                            ("ถูกห้ามพบเพื่อนหรือครอบครัว", True),
                            ("ถูกยึดหนังสือเดินทาง", True),
                            ("ไปทำงานตรงเวลาทุกวัน", False),
                        ],
                    ),
                    single(
                        "dv-where",
                        "ควรคุยกับผู้ที่อาจถูกกระทำที่ไหน",
                        [
                            ("ที่ที่เป็นส่วนตัวและปลอดภัย", True, ""),
                            ("ต่อหน้าคู่ของเขา", False, "อาจทำให้เขาตกอยู่ในอันตราย"),
                        ],
                    ),
                    true_false("dv-plan", "แผนความปลอดภัยควรวางร่วมกับผู้ถูกกระทำ", True),
                ],
            },
            {
                "title": "Quiz: domestic violence",
                "intro": "",
                "questions": [
                    multiple(
                        "dv-signs",
                        "Which may be signs of domestic violence? (Select all that apply.)",
                        [
                            ("Kept from seeing friends or family", True),
                            ("Passport taken away", True),
                            ("Goes to work on time every day", False),
                        ],
                    ),
                    single(
                        "dv-where",
                        "Where should you talk with someone who may be abused?",
                        [
                            ("Somewhere private and safe", True, ""),
                            ("In front of their partner", False, "It could put them in danger."),
                        ],
                    ),
                    true_false("dv-plan", "A safety plan is made together with the person at risk.", True),
                ],
            },
        ),
        "mental-health": (
            {
                "title": "แบบทดสอบ: สุขภาพจิตและการปฐมพยาบาลทางใจ",
                "intro": "",
                "questions": [
                    matching(
                        "mh-pfa",
                        "จับคู่หลักการปฐมพยาบาลทางใจกับสิ่งที่ทำ",
                        [
                            ("มอง", "ดูความปลอดภัยและความต้องการเร่งด่วน"),
                            ("ฟัง", "รับฟังโดยไม่กดดันให้เล่า"),
                            ("เชื่อม", "ส่งต่อไปยังบริการที่ช่วยได้"),
                        ],
                    ),
                    true_false(
                        "mh-ask",
                        "การถามตรง ๆ ว่าคิดทำร้ายตัวเองหรือไม่ ทำให้คนคิดทำมากขึ้น",
                        False,
                        "การถามตรง ๆ อย่างใส่ใจช่วยให้เขาได้พูด",
                    ),
                    short(
                        "mh-emergency",
                        "ในประเทศไทย โทรแจ้งเหตุฉุกเฉินด้านสุขภาพจิตได้ที่สายด่วนกรมสุขภาพจิตหมายเลขใด",
                        ["1323"],
                    ),
                ],
            },
            {
                "title": "Quiz: mental health and psychological first aid",
                "intro": "",
                "questions": [
                    matching(
                        "mh-pfa",
                        "Match each principle of psychological first aid with what you do.",
                        [
                            ("Look", "Check safety and urgent needs"),
                            ("Listen", "Listen without pressing for details"),
                            ("Link", "Connect to services that can help"),
                        ],
                    ),
                    true_false(
                        "mh-ask",
                        "Asking directly about thoughts of self-harm makes a person more likely to act on them.",
                        False,
                        "Asking directly and with care lets them talk.",
                    ),
                    short(
                        "mh-emergency",
                        "Which number is the Department of Mental Health hotline in Thailand?",
                        ["1323"],
                    ),
                ],
            },
        ),
        "welfare-rights": (
            {
                "title": "แบบทดสอบ: สิทธิสวัสดิการ",
                "intro": "",
                "questions": [
                    single(
                        "welfare-who",
                        "ใครช่วยตรวจสอบสิทธิสวัสดิการของคนไทยในต่างประเทศได้",
                        [("สถานเอกอัครราชทูตหรือสถานกงสุลไทย", True, ""), ("นายจ้าง", False, "")],
                    ),
                    true_false(
                        "welfare-promise",
                        "อาสาสมัครสัญญาได้ว่าคนที่ขอความช่วยเหลือจะได้รับเงินช่วยเหลือ",
                        False,
                        "ให้ข้อมูลและส่งต่อ ไม่สัญญาผล",
                    ),
                ],
            },
            {
                "title": "Quiz: welfare rights",
                "intro": "",
                "questions": [
                    single(
                        "welfare-who",
                        "Who can help check the welfare rights of Thai people abroad?",
                        [("The Thai embassy or consulate", True, ""), ("The employer", False, "")],
                    ),
                    true_false(
                        "welfare-promise",
                        "A volunteer can promise that the person will receive financial help.",
                        False,
                        "Inform and refer; never promise an outcome.",
                    ),
                ],
            },
        ),
        "cross-border-referral": (
            {
                "title": "แบบทดสอบ: การส่งต่อข้ามประเทศ",
                "intro": "",
                "questions": [
                    matching(
                        "referral-order",
                        "จับคู่ขั้นตอนการส่งต่อกับลำดับ",
                        [("ขอความยินยอม", "ขั้นที่ ๑"), ("ติดต่อหน่วยงานปลายทาง", "ขั้นที่ ๒"), ("ติดตามผล", "ขั้นที่ ๓")],
                    ),
                    multiple(
                        "referral-share",
                        "ข้อมูลใดควรส่งต่อเมื่อได้รับความยินยอมแล้ว (เลือกทุกข้อที่ถูก)",
                        [
                            ("ความต้องการเร่งด่วน", True),
                            ("ช่องทางติดต่อที่ปลอดภัย", True),
                            ("ความเห็นส่วนตัวของอาสาสมัคร", False),
                        ],
                    ),
                ],
            },
            {
                "title": "Quiz: cross-border referral",
                "intro": "",
                "questions": [
                    matching(
                        "referral-order",
                        "Match each referral step with its place in the order.",
                        [
                            ("Ask for consent", "Step 1"),
                            ("Contact the receiving service", "Step 2"),
                            ("Follow up", "Step 3"),
                        ],
                    ),
                    multiple(
                        "referral-share",
                        "What should you pass on once you have consent? (Select all that apply.)",
                        [
                            ("Urgent needs", True),
                            ("A safe way to contact them", True),
                            ("Your personal opinion", False),
                        ],
                    ),
                ],
            },
        ),
    }


# Three attempts, choices shuffled in each. After an attempt a volunteer sees the score, which
# questions were wrong and the feedback that points back to the lesson (what helps them learn), but
# not the right answers, which show only once passed or out of attempts. With unlimited attempts and
# marks after each, anyone could find every answer by elimination, one retry after another, without
# reading a lesson; three attempts bound that, and a volunteer who has used them can still read
# every right answer in the review.
QUIZ_RULES = {
    "pass_mark": 70,
    "max_attempts": 3,
    "grading_method": "highest",
    "shuffle_choices": True,
    "review_after_score": True,
    "review_after_marks": True,
    "review_after_answers": False,
    "review_after_feedback": True,
    "review_later_answers": True,
}


@transaction.atomic
def seed_quizzes() -> None:
    """A quiz at the end of every orientation module, in Thai and English; idempotent."""
    course = CoursePage.objects.get(slug="orientation", depth=4, locale__language_code="th")
    for slug, (thai, english) in orientation_quizzes().items():
        module = ModulePage.objects.child_of(course).get(slug=slug)
        quiz = course_content_upsert(
            parent=module,
            page_class=QuizPage,
            slug="quiz",
            fields={
                "title": thai["title"],
                "intro": thai["intro"],
                "questions": thai["questions"],
                **QUIZ_RULES,
            },
        )
        page_translate_demo(
            source=quiz,
            fields={"title": english["title"], "intro": english["intro"], "questions": english["questions"]},
        )


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
