"""Demo evaluation for `seed_demo`: the follow-up case-practice course requires the ministry's
default evaluation, and anonymous answers from the last two closed quarters (and this month) show
staff and trainers the results with small groups hidden: Norway's quarters have five answers or
more and show; Sweden's and Denmark's small groups are pooled and count only in wider filters.

Goes through the evaluation services; running it again changes nothing.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from courses.authoring.models import CoursePage
from courses.evaluations.models import EvaluationAnswer
from courses.evaluations.selectors import default_evaluation_form
from courses.evaluations.services import evaluation_answer_record, month_of
from courses.evaluations.suppression import current_quarter_start

COURSE_SLUG = "case-practice"

# (quarters back from the current one, country, how many answers)
ANSWER_PLAN = [(2, "NO", 7), (2, "SE", 3), (2, "DK", 1), (1, "NO", 6), (1, "SE", 2), (0, "NO", 2)]
TEXTS = [
    "อยากให้มีกรณีตัวอย่างจากประเทศในยุโรปเหนือมากขึ้น",
    "วิดีโอสั้น ๆ จะช่วยให้เข้าใจขั้นตอนการส่งต่อได้ดีขึ้น",
    "ควรมีแบบฝึกหัดเรื่องการพูดคุยกับผู้เสียหายทางโทรศัพท์",
    "",
]


def _month(quarters_back: int) -> datetime.date:
    if quarters_back == 0:
        return month_of(timezone.now())
    start = current_quarter_start(month_of(timezone.now()))
    month_index = start.year * 12 + start.month - 1 - 3 * quarters_back
    return datetime.date(month_index // 12, month_index % 12 + 1, 1)


@transaction.atomic
def seed_evaluations() -> None:
    course = CoursePage.objects.get(slug=COURSE_SLUG, locale__language_code="th")
    if not course.evaluation_required:
        course.evaluation_required = True
        course.save_revision().publish()
    form = default_evaluation_form()
    if form is None or EvaluationAnswer.objects.filter(course=course).exists():
        return
    keys = {block.block_type + str(index): block for index, block in enumerate(form.questions)}
    options = [str(option.id) for option in keys["choice3"].value["options"].bound_blocks]
    number = 0
    for quarters_back, country, count in ANSWER_PLAN:
        for _ in range(count):
            number += 1
            answers = {
                str(keys["rating0"].id): 3 + number % 3,
                str(keys["rating1"].id): 2 + number % 4,
                str(keys["rating2"].id): 3 + (number * 2) % 3,
                str(keys["choice3"].id): options[0 if number % 4 else 1],
            }
            text = TEXTS[number % len(TEXTS)]
            if text:
                answers[str(keys["text4"].id)] = text
            evaluation_answer_record(
                course=course, form=form, answers=answers, country=country, month=_month(quarters_back)
            )
