"""Who may do what with courses: trainers author under the catalog and submit for review, lead
trainers publish, both use the training media; staff look but do not edit; none reaches user
management."""

import pytest
from django.contrib.auth.models import Group
from wagtail.images import get_image_model
from wagtail.models import Collection, Workflow, WorkflowPage
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy
from wagtail.test.utils.form_data import nested_form_data, rich_text

from courses.models import CoursePage
from tests.factories import PASSWORD, catalog_page, make_course_tree, make_user

pytestmark = pytest.mark.django_db


def signed_in(client, group: str):
    user = make_user(group=group)
    client.login(email=user.email, password=PASSWORD)
    return user


def course_form(title: str, **extra) -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": title.lower().replace(" ", "-"),
            "summary": "Summary",
            "description": rich_text(""),
            "cover_alt": "",
            "tags": "",
            "estimated_hours": "1",
            "completion_rule": "required_lessons_and_quizzes",
            "live_sessions_required": "0",  # the form's default, as a browser posts it
            "remind_after_days": "14",
            **extra,
        }
    )


def test_a_trainer_can_add_a_course_in_the_catalog_and_submit_it_for_review(client):
    # Trainers no longer publish (issue 23): the new course waits for a lead trainer's approval.
    trainer = signed_in(client, "Trainers")
    catalog = catalog_page()
    response = client.post(
        f"/admin/pages/add/courses/coursepage/{catalog.pk}/",
        course_form("Trainer course", **{"action-submit": "1"}),
    )
    assert response.status_code == 302
    course = CoursePage.objects.get(slug="trainer-course")
    assert not course.live
    assert course.current_workflow_state.requested_by == trainer


def test_a_lead_trainer_can_add_and_publish_a_course_in_the_catalog(client):
    signed_in(client, "Lead trainers")
    catalog = catalog_page()
    response = client.post(
        f"/admin/pages/add/courses/coursepage/{catalog.pk}/",
        course_form("Lead course", **{"action-publish": "1"}),
    )
    assert response.status_code == 302
    course = CoursePage.objects.get(slug="lead-course")
    assert course.live


def test_a_lead_trainer_can_unpublish_a_course_and_a_trainer_cannot(client):
    # Unpublishing needs the right to publish, which only lead trainers keep (issue 23).
    course, _module, _lesson = make_course_tree(title="To withdraw")
    signed_in(client, "Trainers")
    response = client.post(f"/admin/pages/{course.pk}/unpublish/", {"include_descendants": "on"})
    assert response.status_code in (302, 403)
    course.refresh_from_db()
    assert course.live
    signed_in(client, "Lead trainers")
    response = client.post(f"/admin/pages/{course.pk}/unpublish/", {"include_descendants": "on"})
    assert response.status_code == 302
    course.refresh_from_db()
    assert not course.live


def test_a_trainer_cannot_add_pages_outside_the_catalog(client):
    signed_in(client, "Trainers")
    home = catalog_page().get_parent()
    response = client.get(f"/admin/pages/add/courses/courseindexpage/{home.pk}/")
    assert response.status_code in (302, 403)


@pytest.mark.parametrize("url", ["/admin/users/", "/admin/groups/", "/admin/users/new/"])
@pytest.mark.parametrize("group", ["Trainers", "Staff"])
def test_trainers_and_staff_cannot_open_user_management(client, group, url):
    signed_in(client, group)
    response = client.get(url)
    assert response.status_code in (302, 403)
    assert "volunteer@" not in response.content.decode()


def test_staff_can_view_the_courses_in_the_admin(client):
    signed_in(client, "Staff")
    _course, _module, _lesson = make_course_tree(title="Visible course")
    response = client.get(f"/admin/pages/{catalog_page().pk}/")
    assert response.status_code == 200
    assert "Visible course" in response.content.decode()


def test_staff_cannot_edit_or_publish_a_course(client):
    signed_in(client, "Staff")
    course, _module, _lesson = make_course_tree(title="Staff cannot touch", publish=False)
    assert client.get(f"/admin/pages/{course.pk}/edit/").status_code in (302, 403)
    response = client.post(
        f"/admin/pages/{course.pk}/edit/", course_form("Staff cannot touch", **{"action-publish": "1"})
    )
    assert response.status_code in (302, 403)
    course.refresh_from_db()
    assert not course.live
    assert client.post(
        f"/admin/pages/add/courses/coursepage/{catalog_page().pk}/", course_form("Staff course")
    ).status_code in (302, 403)
    assert not CoursePage.objects.filter(slug="staff-course").exists()


def test_trainers_use_the_training_media_collection():
    trainer = make_user(group="Trainers")
    staff = make_user(group="Staff")
    media = Collection.objects.get(name="Training media")
    policy = CollectionOwnershipPermissionPolicy(
        get_image_model(), auth_model=get_image_model(), owner_field_name="uploaded_by_user"
    )
    assert media in policy.collections_user_has_permission_for(trainer, "add")
    assert media in policy.collections_user_has_permission_for(trainer, "choose")
    # Staff upload only certificate signatures and logos, to their own collection (issue 23).
    artwork = Collection.objects.get(name="Certificate artwork")
    assert list(policy.collections_user_has_permission_for(staff, "add")) == [artwork]
    assert artwork not in policy.collections_user_has_permission_for(trainer, "choose")


def test_a_trainer_can_open_the_image_upload_page(client):
    signed_in(client, "Trainers")
    assert client.get("/admin/images/multiple/add/").status_code == 200
    assert client.get("/admin/documents/multiple/add/").status_code == 200


def test_staff_keep_the_help_lines_and_trainers_do_not(client):
    staff = make_user(group="Staff")
    trainer = make_user(group="Trainers")
    assert staff.has_perms(["courses.add_helpline", "courses.change_helpline", "courses.delete_helpline"])
    assert not trainer.has_perm("courses.change_helpline")
    client.login(email=staff.email, password=PASSWORD)
    assert client.get("/admin/snippets/courses/helpline/add/").status_code == 200


def test_the_lead_trainer_review_workflow_covers_every_course_and_can_be_pinned_to_one():
    from courses.authoring.services import course_review_require

    workflow = Workflow.objects.get(name="ตรวจทานหลักสูตร")
    task = workflow.tasks.get().specific
    assert list(task.groups.all()) == [Group.objects.get(name="Lead trainers")]
    pinned, _m, _l = make_course_tree(title="Reviewed")
    inherited, _m, _l = make_course_tree(title="Inherits the catalog's review")
    course_review_require(course=pinned)
    assert pinned.get_workflow() == workflow
    assert inherited.get_workflow() == workflow
    assert WorkflowPage.objects.filter(page=pinned, workflow=workflow).exists()
    assert not WorkflowPage.objects.filter(page=inherited).exists()
