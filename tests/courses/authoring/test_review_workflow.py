"""The course review workflow (issue 23): trainers submit a change for review, lead trainers approve
it (the change goes live) or ask for changes with a comment (it goes back to the trainer). Named in
Thai, on the catalog and its translations; Wagtail's English default workflow and groups are gone."""

import importlib
import re

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core import mail
from wagtail.models import GroupPagePermission, Task, TaskState, Workflow, WorkflowPage, WorkflowState

from courses.models import CoursePage
from tests.courses.authoring.test_roles import course_form
from tests.factories import PASSWORD, catalog_page, make_course_tree, make_user

pytestmark = pytest.mark.django_db

REVIEW_WORKFLOW = "ตรวจทานหลักสูตร"
REVIEW_TASK = "ผู้ฝึกอบรมหลักอนุมัติ"
THAI = re.compile(r"[\u0e00-\u0e7f]")
migration = importlib.import_module("courses.migrations.0015_course_review_workflow")


def signed_in(client, group: str, **fields):
    user = make_user(group=group, **fields)
    client.login(email=user.email, password=PASSWORD)
    return user


def edit_form(course: CoursePage, **changes) -> dict:
    return course_form(course.title, **{"slug": course.slug, "summary": course.summary, **changes})


def submitted_by_trainer(client, summary: str = "A clearer summary"):
    """A live course whose trainer changed its summary and submitted it for review."""
    course, _module, _lesson = make_course_tree(title="Reviewed course")
    trainer = signed_in(client, "Trainers", first_name="Wichai")
    response = client.post(
        f"/admin/pages/{course.pk}/edit/", edit_form(course, summary=summary, **{"action-submit": "1"})
    )
    assert response.status_code == 302
    client.logout()
    return course, trainer


def current_task_state(course: CoursePage) -> TaskState:
    return WorkflowState.objects.get(
        object_id=str(course.pk), status=WorkflowState.STATUS_IN_PROGRESS
    ).current_task_state


def test_the_thai_review_workflow_covers_every_page_below_the_catalog_and_its_translations():
    from courses.translation.services import catalog_translation_ensure
    from training.demo import seed_site

    seed_site()
    english = catalog_translation_ensure(catalog=catalog_page(), language_code="en", title="Courses")
    workflow = Workflow.objects.get(name=REVIEW_WORKFLOW, active=True)
    assert [task.specific.name for task in workflow.tasks.all()] == [REVIEW_TASK]
    assert list(workflow.tasks.get().specific.groups.all()) == [Group.objects.get(name="Lead trainers")]
    assert WorkflowPage.objects.get(page=catalog_page()).workflow == workflow
    assert WorkflowPage.objects.get(page=english).workflow == workflow
    course, module, lesson = make_course_tree(title="Covered")
    assert {page.get_workflow() for page in (course, module, lesson)} == {workflow}


def test_no_english_workflow_task_or_wagtail_default_group_is_left():
    assert not Group.objects.filter(name__in=["Moderators", "Editors"]).exists()
    assert not WorkflowPage.objects.exclude(workflow__name=REVIEW_WORKFLOW).exists()
    for name in [
        *Workflow.objects.values_list("name", flat=True),
        *Task.objects.values_list("name", flat=True),
    ]:
        assert THAI.search(name), name


def test_trainers_may_no_longer_publish_below_the_catalog_and_lead_trainers_may():
    trainer = make_user(group="Trainers")
    lead = make_user(group="Lead trainers")
    course, _module, lesson = make_course_tree(title="Rights")
    for page in (catalog_page(), course, lesson):
        assert page.permissions_for_user(trainer).can_edit()
        assert not page.permissions_for_user(trainer).can_publish()
        assert page.permissions_for_user(lead).can_publish()
    assert not GroupPagePermission.objects.filter(
        group__name="Trainers", permission__codename="publish_page"
    ).exists()


def test_the_admin_publish_action_of_a_trainer_publishes_nothing(client):
    course, _module, _lesson = make_course_tree(title="Live title")
    signed_in(client, "Trainers")
    response = client.post(
        f"/admin/pages/{course.pk}/edit/", edit_form(course, summary="Published?", **{"action-publish": "1"})
    )
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.summary == "Summary of Live title"  # the live page is unchanged
    assert course.get_latest_revision().as_object().summary == "Published?"  # kept as a draft
    assert not WorkflowState.objects.filter(object_id=str(course.pk)).exists()


def test_a_trainer_submits_a_change_for_review_and_the_lead_trainers_are_told_in_thai(client):
    lead = make_user(group="Lead trainers", first_name="Prapa")
    make_user(group="Trainers")  # another trainer is not told
    course, trainer = submitted_by_trainer(client)
    course.refresh_from_db()
    assert course.summary == "Summary of Reviewed course"  # not live before approval
    state = WorkflowState.objects.get(object_id=str(course.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS and state.requested_by == trainer
    assert state.current_task_state.task.name == REVIEW_TASK
    [message] = [m for m in mail.outbox if lead.email in m.to]
    assert message.subject == f'หน้า "Reviewed course" รอการตรวจทานในขั้น "{REVIEW_TASK}"'
    assert f"/admin/pages/{course.pk}/edit/" in message.body
    assert {address for m in mail.outbox for address in m.to} == {lead.email}


def test_review_mails_come_under_the_ministrys_name_and_not_to_superusers(client, settings):
    from email.utils import parseaddr

    make_user(group="Lead trainers")
    root = make_user(is_superuser=True)
    submitted_by_trainer(client)
    assert mail.outbox and root.email not in {address for m in mail.outbox for address in m.to}
    for message in mail.outbox:
        name, address = parseaddr(message.from_email)
        assert name == settings.NOTICE_SENDER_NAMES["th"] and address == settings.DEFAULT_FROM_EMAIL


def test_a_lead_trainer_approves_and_the_change_goes_live_and_the_trainer_is_told(client):
    course, trainer = submitted_by_trainer(client, summary="Approved summary")
    task_state = current_task_state(course)
    mail.outbox.clear()
    signed_in(client, "Lead trainers")
    response = client.post(
        f"/admin/pages/workflow/action/{course.pk}/approve/{task_state.pk}/", {"comment": ""}
    )
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.live and course.summary == "Approved summary" and not course.has_unpublished_changes
    assert WorkflowState.objects.get(object_id=str(course.pk)).status == WorkflowState.STATUS_APPROVED
    [message] = mail.outbox
    assert message.to == [trainer.email]
    assert message.subject == f'หน้า "Reviewed course" ผ่านการอนุมัติใน "{REVIEW_WORKFLOW}" แล้ว'


def test_a_trainer_cannot_approve_a_change_in_review(client):
    course, _trainer = submitted_by_trainer(client)
    task_state = current_task_state(course)
    signed_in(client, "Trainers")
    response = client.post(f"/admin/pages/workflow/action/{course.pk}/approve/{task_state.pk}/", {})
    assert response.status_code in (302, 403)
    course.refresh_from_db()
    assert course.summary == "Summary of Reviewed course"
    assert WorkflowState.objects.get(object_id=str(course.pk)).status == WorkflowState.STATUS_IN_PROGRESS


def test_a_lead_trainer_asks_for_changes_with_a_comment_and_the_trainer_resubmits(client):
    course, trainer = submitted_by_trainer(client)
    task_state = current_task_state(course)
    mail.outbox.clear()
    lead = signed_in(client, "Lead trainers")
    response = client.post(
        f"/admin/pages/workflow/action/{course.pk}/reject/{task_state.pk}/",
        {"comment": "โปรดเพิ่มระยะเวลาเรียน"},
    )
    assert response.status_code == 302
    state = WorkflowState.objects.get(object_id=str(course.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    course.refresh_from_db()
    assert course.summary == "Summary of Reviewed course"
    [message] = mail.outbox
    assert message.to == [trainer.email]
    assert message.subject == f'หน้า "Reviewed course" ได้รับคำขอให้แก้ไขใน "{REVIEW_WORKFLOW}"'
    assert 'ความเห็นที่ฝากไว้: "โปรดเพิ่มระยะเวลาเรียน"' in message.body

    # The trainer fixes the change and submits it again: back with the lead trainers.
    client.logout()
    client.login(email=trainer.email, password=PASSWORD)
    response = client.post(
        f"/admin/pages/{course.pk}/edit/",
        edit_form(course, summary="Fixed summary", **{"action-submit": "1"}),
    )
    assert response.status_code == 302
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.revision.as_object().summary == "Fixed summary"
    assert lead.email in {address for m in mail.outbox for address in m.to}


def test_the_workflow_migration_is_idempotent_and_renames_the_old_english_workflow():
    workflow = Workflow.objects.get(name=REVIEW_WORKFLOW)
    task = Task.objects.get(name=REVIEW_TASK)
    Workflow.objects.filter(pk=workflow.pk).update(name="Review by lead trainer")
    Task.objects.filter(pk=task.pk).update(name="Lead trainer approval")
    migration.create_course_review_workflow(apps)
    migration.create_course_review_workflow(apps)
    assert list(Workflow.objects.values_list("pk", "name")) == [(workflow.pk, REVIEW_WORKFLOW)]
    assert list(Task.objects.values_list("pk", "name")) == [(task.pk, REVIEW_TASK)]
    assert workflow.workflow_tasks.count() == 1


def test_a_wagtail_default_group_someone_belongs_to_is_kept():
    moderators = Group.objects.create(name="Moderators")
    make_user().groups.add(moderators)
    Group.objects.create(name="Editors")
    migration.create_course_review_workflow(apps)
    assert list(Group.objects.filter(name__in=["Moderators", "Editors"]).values_list("name", flat=True)) == [
        "Moderators"
    ]


def test_the_demo_has_a_change_waiting_for_the_demo_lead_trainer(demo, client):
    from volunteers.demo import DEMO_PASSWORD

    course = CoursePage.objects.get(slug="case-practice", locale__language_code="th")
    state = course.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by.email == "trainer@example.org"
    assert "ใช้เวลาประมาณหนึ่งชั่วโมง" in state.current_task_state.revision.as_object().description
    assert "ใช้เวลาประมาณหนึ่งชั่วโมง" not in course.description  # not live yet
    lead = Group.objects.get(name="Lead trainers").user_set.get(email="lead.trainer@example.org")
    actions = state.current_task_state.task.specific.get_actions(course, lead)
    assert [name for name, _label, _modal in actions] == ["reject", "approve", "approve"]
    # The lead trainer finds it in the admin, with the actions of the review in Thai.
    assert client.login(email=lead.email, password=DEMO_PASSWORD)
    assert course.title in client.get("/admin/").content.decode()  # Wagtail's "awaiting your review"
    html = client.get(f"/admin/pages/{course.pk}/edit/").content.decode()
    assert "ขอให้แก้ไข" in html and "อนุมัติพร้อมความเห็น" in html
