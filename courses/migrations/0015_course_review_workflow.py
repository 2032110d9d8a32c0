"""Every change to a course goes through review: trainers submit, lead trainers approve or ask for
changes. The review workflow and its task are named in Thai (the admin is used in Thai, and both
names are data, shown as they are in the action menu, the listings and the notification emails),
assigned to the catalog and its translations so every course, module, lesson and quiz inherits it.
Wagtail's default "Moderators approval" workflow and its unused English groups go."""

from django.conf import settings
from django.db import migrations

# Also in courses.authoring.services (a migration keeps its own copy of the names it writes).
REVIEW_WORKFLOW = "ตรวจทานหลักสูตร"
REVIEW_TASK = "ผู้ฝึกอบรมหลักอนุมัติ"
# The names 0002 gave them, when the workflow was optional per course.
OLD_WORKFLOW = "Review by lead trainer"
OLD_TASK = "Lead trainer approval"
# What Wagtail's own migrations made (wagtailcore 0002 and 0048).
WAGTAIL_WORKFLOW = "Moderators approval"
WAGTAIL_GROUPS = ["Moderators", "Editors"]
LEAD_TRAINERS = "Lead trainers"
TRAINERS = "Trainers"


def _renamed(model, name, old_name, **defaults):
    """The row named `name`, else the old one renamed, else a new one."""
    row = model.objects.filter(name=name).first() or model.objects.filter(name=old_name).first()
    if row is None:
        return model.objects.create(name=name, **defaults)
    if row.name != name or not row.active:
        row.name = name
        row.active = True
        row.save(update_fields=["name", "active"])
    return row


def _retire(model, state_model, state_field, rows):
    """Delete the rows nothing ran through yet; deactivate those with history (deleting them would
    delete the history with them)."""
    for row in rows:
        if state_model.objects.filter(**{state_field: row.pk}).exists():
            if row.active:
                row.active = False
                row.save(update_fields=["active"])
        else:
            row.delete()


def assign_review_to_catalogs(apps, schema_editor=None):
    """The review workflow on every catalog (a translation of the catalog made later needs it too:
    courses.translation.services calls this). Returns the catalogs' ids."""
    CourseIndexPage = apps.get_model("courses.CourseIndexPage")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    catalogs = list(CourseIndexPage.objects.values_list("pk", flat=True))
    workflow = Workflow.objects.filter(name=REVIEW_WORKFLOW).first()
    if workflow is not None:
        for page_id in catalogs:
            WorkflowPage.objects.update_or_create(page_id=page_id, defaults={"workflow": workflow})
    return catalogs


def create_course_review_workflow(apps, schema_editor=None):
    """The Thai review workflow on every catalog, trainers without the right to publish, and no
    English workflow or group left over. Idempotent; also rebuilds what a test flush removed."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    WorkflowState = apps.get_model("wagtailcore.WorkflowState")
    Task = apps.get_model("wagtailcore.Task")
    TaskState = apps.get_model("wagtailcore.TaskState")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")

    lead_trainers = Group.objects.filter(name=LEAD_TRAINERS).first()
    if lead_trainers is None:
        return  # no catalog and roles yet (courses 0002 makes them)
    task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    task = _renamed(GroupApprovalTask, REVIEW_TASK, OLD_TASK, active=True, content_type=task_type)
    task.groups.set([lead_trainers])
    workflow = _renamed(Workflow, REVIEW_WORKFLOW, OLD_WORKFLOW, active=True)
    WorkflowTask.objects.filter(workflow=workflow).exclude(task_id=task.pk).delete()
    WorkflowTask.objects.get_or_create(workflow=workflow, task_id=task.pk, defaults={"sort_order": 0})
    catalogs = assign_review_to_catalogs(apps)
    # Rows of the old names left beside the renamed ones (0002's function, run again where tests
    # rebuild the basics, makes them anew): their pages move to the review workflow, and they go.
    old_workflows = Workflow.objects.filter(name=OLD_WORKFLOW)
    WorkflowPage.objects.filter(workflow__in=old_workflows).update(workflow=workflow)
    _retire(Workflow, WorkflowState, "workflow_id", list(old_workflows))
    _retire(Task, TaskState, "task_id", list(Task.objects.filter(name=OLD_TASK)))

    # Wagtail's default workflow (on the root page) and its task.
    default_workflows = Workflow.objects.filter(name=WAGTAIL_WORKFLOW)
    WorkflowPage.objects.filter(workflow__in=default_workflows).delete()
    default_tasks = Task.objects.filter(name=WAGTAIL_WORKFLOW)
    _retire(Workflow, WorkflowState, "workflow_id", list(default_workflows))
    _retire(Task, TaskState, "task_id", list(default_tasks))

    # Wagtail's groups, unused here: gone unless someone was put in them.
    for group in Group.objects.filter(name__in=WAGTAIL_GROUPS):
        if not User.objects.filter(groups=group).exists():
            group.delete()

    # Trainers submit for review; lead trainers keep publishing (they approve).
    page_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
    publish = Permission.objects.filter(content_type=page_type, codename="publish_page").first()
    if publish is not None:
        GroupPagePermission.objects.filter(
            group__name=TRAINERS, page_id__in=catalogs, permission=publish
        ).delete()


def restore_publishing(apps, schema_editor):
    """Back: trainers publish again and the workflow keeps the English names of 0002 (Wagtail's
    default workflow and groups are not made again)."""
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    CourseIndexPage = apps.get_model("courses.CourseIndexPage")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    Workflow = apps.get_model("wagtailcore.Workflow")
    Task = apps.get_model("wagtailcore.Task")
    trainers = Group.objects.filter(name=TRAINERS).first()
    publish = Permission.objects.filter(
        content_type__app_label="wagtailcore", codename="publish_page"
    ).first()
    catalogs = list(CourseIndexPage.objects.values_list("pk", flat=True))
    if trainers is not None and publish is not None:
        for page_id in catalogs:
            GroupPagePermission.objects.get_or_create(group=trainers, page_id=page_id, permission=publish)
    WorkflowPage.objects.filter(page_id__in=catalogs, workflow__name=REVIEW_WORKFLOW).delete()
    Workflow.objects.filter(name=REVIEW_WORKFLOW).update(name=OLD_WORKFLOW)
    Task.objects.filter(name=REVIEW_TASK).update(name=OLD_TASK)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0014_manage_all_courseruns"),
        ("wagtailcore", "0098_apitoken"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(create_course_review_workflow, restore_publishing)]
