"""Course runs in the admin, per course: a trainer keeps only the runs of the courses they may edit
(listing, its course filter, edit, copy, delete, bulk delete, usage, history, the chooser, the course
of a new run); staff keep every course's; a run with enrolments still cannot be deleted, one by one
or in a bulk delete."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from wagtail.models import GroupPagePermission

from courses.learning import selectors
from courses.learning.models import CourseRun
from courses.learning.services import course_enrol
from tests.courses.learning.run_helpers import make_run
from tests.factories import make_course_tree, make_user, make_volunteer

pytestmark = pytest.mark.django_db

SNIPPETS = "/admin/snippets/courses/courserun/"
CHOOSER = "/admin/snippets/choose/courses/courserun/"
BULK_DELETE = "/admin/bulk/courses/courserun/delete/"
ONE_RUN_VIEWS = ("edit", "copy", "delete", "usage", "history")


def run_trainer(course):
    """A trainer who may edit `course` only (a page permission on it) and holds the run rights."""
    group = Group.objects.create(name=f"Run trainers of {course.pk}")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="courses", codename__endswith="_courserun"),
    )
    GroupPagePermission.objects.create(
        group=group, page=course, permission=Permission.objects.get(codename="change_page")
    )
    user = make_user()
    user.groups.add(group)
    return user


def run_post(course, **changes):
    now = timezone.now()

    def when(days):
        return (now + datetime.timedelta(days=days)).strftime("%Y-%m-%d %H:%M")

    data = {
        "course": str(course.pk),
        "name": "รุ่นทดสอบสิทธิ์",
        "enrolment_opens": when(-1),
        "enrolment_closes": when(10),
        "starts": when(10),
        "ends": when(70),
        "seats": "",
        "country": "",
        "organization": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def two_courses():
    ours, _module, _lesson = make_course_tree(title="Our course")
    theirs, _module, _lesson = make_course_tree(title="Their course")
    return (ours, make_run(ours, name="Our run")), (theirs, make_run(theirs, name="Their run"))


def test_a_trainer_lists_filters_and_chooses_only_the_runs_of_their_course(client, two_courses):
    (ours, our_run), (theirs, their_run) = two_courses
    client.force_login(run_trainer(ours))
    listing = client.get(SNIPPETS)
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Our run" in html and "Their run" not in html
    course_choices = set(listing.context["filters"].form.fields["course"].queryset)
    assert course_choices == {ours}
    assert client.get(SNIPPETS, {"course": theirs.pk}).status_code in {200, 400}
    assert "Their run" not in client.get(SNIPPETS, {"course": theirs.pk}).content.decode()
    assert "Their run" not in client.get(SNIPPETS + "results/", {"q": "run"}).content.decode()
    chooser = client.get(CHOOSER).content.decode()
    assert "Our run" in chooser and "Their run" not in chooser
    assert "Their run" not in client.get(CHOOSER + "results/", {"q": "run"}).content.decode()
    assert client.get(f"{CHOOSER}chosen/{our_run.pk}/").status_code == 200
    assert client.get(f"{CHOOSER}chosen/{their_run.pk}/").status_code == 404
    both = client.get(f"{CHOOSER}chosen-multiple/", {"id": [our_run.pk, their_run.pk]}).json()
    assert [item["id"] for item in both["result"]] == [str(our_run.pk)]


def test_a_trainer_gets_404_on_every_view_of_another_courses_run(client, two_courses):
    (ours, our_run), (theirs, their_run) = two_courses
    client.force_login(run_trainer(ours))
    for view in ONE_RUN_VIEWS:
        assert client.get(f"{SNIPPETS}{view}/{our_run.pk}/").status_code == 200, view
        assert client.get(f"{SNIPPETS}{view}/{their_run.pk}/").status_code == 404, view
    assert client.get(f"{SNIPPETS}history-results/{their_run.pk}/").status_code == 404
    edited = run_post(theirs, name="Renamed")
    assert client.post(f"{SNIPPETS}edit/{their_run.pk}/", edited).status_code == 404
    assert client.post(f"{SNIPPETS}copy/{their_run.pk}/", run_post(theirs, name="Copied")).status_code == 404
    assert client.post(f"{SNIPPETS}delete/{their_run.pk}/").status_code == 404
    their_run.refresh_from_db()
    assert their_run.name == "Their run"
    assert not CourseRun.objects.filter(name="Copied").exists()


def test_a_trainer_cannot_bulk_delete_another_courses_run(client, two_courses):
    (ours, our_run), (_theirs, their_run) = two_courses
    client.force_login(run_trainer(ours))
    confirm = client.get(BULK_DELETE, {"id": their_run.pk})
    assert "Their run" not in [str(item["item"]) for item in confirm.context.get("items", [])]
    client.post(f"{BULK_DELETE}?id={their_run.pk}")
    client.post(f"{BULK_DELETE}?id=all")
    assert CourseRun.objects.filter(pk=their_run.pk).exists()
    # "all" deletes what is theirs to delete: their own run only.
    assert not CourseRun.objects.filter(pk=our_run.pk).exists()


def test_a_trainer_creates_and_copies_runs_only_for_their_course(client, two_courses):
    (ours, our_run), (theirs, _their_run) = two_courses
    client.force_login(run_trainer(ours))
    form = client.get(f"{SNIPPETS}add/")
    choices = list(form.context["form"].fields["course"].queryset)
    assert choices == [ours]
    response = client.post(f"{SNIPPETS}add/", run_post(theirs, name="Sneaky"), HTTP_ACCEPT_LANGUAGE="th")
    assert response.status_code == 200
    assert "course" in response.context["form"].errors
    assert "โปรดเลือกหลักสูตรที่คุณแก้ไขได้" in response.content.decode()
    assert not CourseRun.objects.filter(name="Sneaky").exists()
    copied = client.post(f"{SNIPPETS}copy/{our_run.pk}/", run_post(theirs, name="Sneaky copy"))
    assert copied.status_code == 200 and "course" in copied.context["form"].errors
    assert not CourseRun.objects.filter(name="Sneaky copy").exists()
    assert client.post(f"{SNIPPETS}add/", run_post(ours, name="Ours too")).status_code == 302
    assert CourseRun.objects.filter(name="Ours too", course=ours).exists()
    assert client.post(f"{SNIPPETS}edit/{our_run.pk}/", run_post(ours, name="Renamed")).status_code == 302
    our_run.refresh_from_db()
    assert our_run.name == "Renamed"
    # A run of their own with enrolments is still kept; one without is deleted.
    held = CourseRun.objects.get(name="Ours too")
    course_enrol(volunteer=make_volunteer().user, course=ours, run=held)
    assert client.post(f"{SNIPPETS}delete/{held.pk}/").status_code == 302
    assert CourseRun.objects.filter(pk=held.pk).exists()
    assert client.post(f"{SNIPPETS}delete/{our_run.pk}/").status_code == 302
    assert not CourseRun.objects.filter(pk=our_run.pk).exists()


def test_staff_keep_every_courses_runs(client, two_courses):
    (ours, our_run), (theirs, their_run) = two_courses
    staff = make_user(group="Staff")
    assert staff.has_perm("courses.manage_all_courseruns")
    client.force_login(staff)
    listing = client.get(SNIPPETS)
    assert "Our run" in listing.content.decode() and "Their run" in listing.content.decode()
    assert {ours, theirs} <= set(listing.context["filters"].form.fields["course"].queryset)
    for view in ONE_RUN_VIEWS:
        assert client.get(f"{SNIPPETS}{view}/{their_run.pk}/").status_code == 200, view
    chooser = client.get(CHOOSER).content.decode()
    assert "Our run" in chooser and "Their run" in chooser
    assert client.post(f"{SNIPPETS}add/", run_post(theirs, name="Staff run")).status_code == 302
    assert CourseRun.objects.filter(name="Staff run", course=theirs).exists()
    # A run holding volunteers is left out of a bulk delete (never a server error); the others go.
    course_enrol(volunteer=make_volunteer().user, course=ours, run=our_run)
    confirm = client.get(BULK_DELETE, {"id": [our_run.pk, their_run.pk]})
    assert [str(item["item"]) for item in confirm.context["items"]] == ["Their run"]
    assert client.post(f"{BULK_DELETE}?id={their_run.pk}&id={our_run.pk}").status_code == 302
    assert list(CourseRun.objects.filter(pk__in=[our_run.pk, their_run.pk])) == [our_run]


def test_who_manages_which_runs(two_courses):
    (ours, our_run), (_theirs, their_run) = two_courses
    assert set(selectors.runs_managed_by(run_trainer(ours))) == {our_run}
    assert set(selectors.runs_managed_by(make_user(group="Staff"))) == {our_run, their_run}
    assert set(selectors.runs_managed_by(make_user(is_superuser=True, is_staff=True))) == {our_run, their_run}
    assert not selectors.runs_managed_by(make_user()).exists()
    assert not selectors.runs_managed_by(make_volunteer().user).exists()
    # Editing the course without the run rights is not enough.
    page_only = make_user()
    group = Group.objects.create(name="Editors only")
    GroupPagePermission.objects.create(
        group=group, page=ours, permission=Permission.objects.get(codename="change_page")
    )
    page_only.groups.add(group)
    assert not selectors.runs_managed_by(page_only).exists()
