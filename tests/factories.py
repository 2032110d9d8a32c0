"""Small builders for test data. They go through the same models and services the app uses."""

from itertools import count

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

PASSWORD = "correct-horse-battery"
_numbers = count(1)


def make_user(*, email: str | None = None, group: str | None = None, **fields):
    """A user with a known password, optionally in a role group ("Trainers" or "Staff")."""
    email = email or f"person{next(_numbers)}@example.org"
    user = get_user_model().objects.create_user(email=email, password=PASSWORD, **fields)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def make_privacy_notice(*, version: int = 1):
    """A published privacy notice under the Thai home page (the latest one counts)."""
    from training.models import HomePage
    from volunteers.models import PrivacyNoticePage

    home = HomePage.objects.get(depth=2, locale__language_code="th")
    notice = home.add_child(
        instance=PrivacyNoticePage(
            title=f"Privacy notice v{version}",
            slug=f"privacy-v{version}",
            body="<p>We keep your data safe.</p>",
            version=version,
        )
    )
    notice.save_revision().publish()
    return notice


def make_volunteer(
    *,
    email: str | None = None,
    consent_version: int | None = 1,
    email_confirmed: bool = True,
    **profile_fields,
):
    """A volunteer account with a profile (applicant unless told otherwise), its address confirmed
    unless told otherwise (certificates are issued only to a confirmed address)."""
    from django.utils import timezone

    from volunteers.models import VolunteerProfile

    user = make_user(email=email, email_confirmed_at=timezone.now() if email_confirmed else None)
    profile = VolunteerProfile.objects.create(
        user=user,
        consent_version=consent_version,
        consented_at=timezone.now() if consent_version else None,
        **profile_fields,
    )
    return profile


def make_organization(**fields):
    from volunteers.models import Organization

    defaults = {"name_th": f"องค์กร {next(_numbers)}", "country": "NO", "kind": "association"}
    return Organization.objects.create(**{**defaults, **fields})


def make_image(*, title: str = "Test image", size: tuple[int, int] = (64, 48), collection=None):
    """A small PNG in the Wagtail image library (in "Training media" unless told otherwise)."""
    import io

    from django.core.files.images import ImageFile
    from PIL import Image as PillowImage
    from wagtail.images import get_image_model
    from wagtail.models import Collection

    buffer = io.BytesIO()
    PillowImage.new("RGB", size, (11, 83, 148)).save(buffer, format="PNG")
    collection = collection or Collection.objects.get(name="Training media")
    image = get_image_model()(
        title=title, collection=collection, file=ImageFile(io.BytesIO(buffer.getvalue()), name="test.png")
    )
    image.save()
    return image


def make_document(*, title: str = "Test document", filename: str = "test.txt", content: bytes = b"hello"):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model
    from wagtail.models import Collection

    document = get_document_model()(title=title, collection=Collection.objects.get(name="Training media"))
    document.file.save(filename, ContentFile(content), save=False)
    document.save()
    return document


def catalog_page(language_code: str = "th"):
    from courses.models import CourseIndexPage

    return CourseIndexPage.objects.get(depth=3, locale__language_code=language_code)


def make_course_tree(
    *, title: str = "Course", slug: str | None = None, body=None, publish: bool = True, **lesson
):
    """A course with one module and one lesson below the Thai catalog; returns (course, module, lesson)."""
    from courses.models import CoursePage, LessonPage, ModulePage

    slug = slug or f"course-{next(_numbers)}"
    course = CoursePage(title=title, slug=slug, summary=f"Summary of {title}")
    catalog_page().add_child(instance=course)
    module = ModulePage(title=f"{title} module", slug="module", summary="Module summary")
    course.add_child(instance=module)
    page = LessonPage(
        title=lesson.pop("title", f"{title} lesson"),
        slug="lesson",
        body=body if body is not None else [{"type": "text", "value": "<p>Lesson text</p>"}],
        **lesson,
    )
    module.add_child(instance=page)
    if publish:
        for item in (course, module, page):
            item.save_revision().publish()
    else:
        for item in (course, module, page):
            item.live = False
            item.save()
    return course, module, page


def enrolled_reader(client, course):
    """Sign in a new volunteer enrolled in `course`: lessons show their content to enrolled readers."""
    from courses.learning.services import course_enrol

    profile = make_volunteer()
    course_enrol(volunteer=profile.user, course=course)
    client.force_login(profile.user)
    return profile.user


def english_admin(user):
    """Show the Wagtail admin to `user` in English (it is Thai by default), for tests that read its text."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


def make_failed_task():
    """A background task that failed every attempt (a dead letter of training.worker)."""
    from django.utils import timezone
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.create(
        status=TaskResultStatus.FAILED,
        task_path="training.tasks.housekeeping",
        args_kwargs={"args": [], "kwargs": {}},
        queue_name="default",
        backend_name="default",
        run_after=timezone.now(),
        finished_at=timezone.now(),
        exception_class_path="builtins.RuntimeError",
        traceback="RuntimeError: the mail server refused",
        worker_ids=["w"] * 5,
    )


def make_undelivered_mail(*, to: str = "bounced@example.org"):
    """A message the mail server refused for good, and its address on the bounce list."""
    from django.core.mail import EmailMessage

    from notifications.models import OutboxMessage, SuppressedAddress
    from notifications.outbox import outbox_row

    row = outbox_row(EmailMessage("ยืนยันอีเมล", "ข้อความ", None, [to]))
    row.status = OutboxMessage.Status.SUPPRESSED
    row.attempts = 1
    row.last_error = f"{to}: 550 5.1.1 No such user"
    row.save()
    SuppressedAddress.objects.create(email=to, reason=row.last_error)
    return row


def client_in_group(group: str):
    """A test client signed in as a new member of `group` ("Staff", "Trainers")."""
    from django.test import Client

    client = Client()
    client.force_login(make_user(group=group))
    return client


def make_coordinator(countries=("NO",), **fields):
    """A country coordinator (issue 22) limited to `countries` (none: a coordinator who sees
    nobody), made as the admin makes one: the group and a CoordinatorCountry row per country."""
    from volunteers.coordinators import COORDINATORS_GROUP
    from volunteers.models import CoordinatorCountry

    user = make_user(group=COORDINATORS_GROUP, **fields)
    CoordinatorCountry.objects.bulk_create(
        [CoordinatorCountry(user=user, country=code) for code in countries]
    )
    return user
