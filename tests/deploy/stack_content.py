"""What staff would do in the admin of a new site before its first volunteer comes, done by
scripts/test-deploy.sh inside the stack's web container (`manage.py shell` reads this file and a
call of `set_up()`) once it has imported the demo course package `how-to-use-this-platform`: the
course is published and made to issue a certificate, and a volunteer account is opened (an address
confirmed, a name for the certificate). The journey through the stack
(tests/deploy/test_stack_journey.py) signs in with it over HTTPS."""

from django.utils import timezone
from wagtail.models import Page

from courses.authoring.models import CoursePage
from volunteers.models import User, VolunteerProfile

EMAIL = "stack.volunteer@example.org"
PASSWORD = "stack-journey-2026"  # a throwaway account of the test stack


def set_up() -> None:
    course = CoursePage.objects.get(slug="how-to-use-this-platform", locale__language_code="th")
    course.issues_certificate = True
    course.save_revision().publish()
    for page in Page.objects.descendant_of(course).filter(live=False).order_by("path").specific():
        page.get_latest_revision().publish()

    user = User.objects.create_user(email=EMAIL, password=PASSWORD, email_confirmed_at=timezone.now())
    VolunteerProfile.objects.create(
        user=user,
        consent_version=1,
        consented_at=timezone.now(),
        given_name_th="ทดสอบ",
        family_name_th="ระบบจริง",
        given_name_en="Stack",
        family_name_en="Test",
        country="NO",
    )
    print(f"published {course.title}; volunteer {EMAIL}")
