"""The demo's course change waiting for review: the demo trainer rewrote the description of the
follow-up course and submitted it; the demo lead trainer finds it on the admin dashboard and in the
notification mail, and can approve it (the course page shows it) or ask for changes with a comment
(it goes back to the trainer). Running the seeder again adds nothing while that change is in review
or sent back; once it is approved or cancelled, the course seeder publishes the demo's own
description again and a new change is submitted, so the demo can be tried again."""

from django.contrib.auth import get_user_model
from django.db import transaction

from courses.authoring.models import CoursePage
from courses.authoring.services import page_change_submit_for_review

DEMO_TRAINER = "trainer@example.org"
REVIEW_COURSE = "case-practice"
PENDING_DESCRIPTION = (
    "<p>หลักสูตรสั้นสำหรับผู้ที่เรียนหลักสูตรปฐมนิเทศจบแล้ว ใช้เวลาประมาณหนึ่งชั่วโมง ฝึกตัดสินใจส่งต่อจากกรณีสมมติสองกรณี</p>"
)


@transaction.atomic
def seed_course_review() -> None:
    course = CoursePage.objects.get(slug=REVIEW_COURSE, depth=4, locale__language_code="th")
    if course.current_workflow_state is not None:
        return  # waiting for review, or sent back to the trainer
    trainer = get_user_model().objects.get(email=DEMO_TRAINER)
    page_change_submit_for_review(page=course, fields={"description": PENDING_DESCRIPTION}, user=trainer)
