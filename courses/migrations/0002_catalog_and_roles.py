from django.conf import settings
from django.db import migrations

CATALOG_SLUG = "courses"
CATALOG_TITLE = "หลักสูตร"
TRAINING_MEDIA = "Training media"
LEAD_TRAINERS = "Lead trainers"
WORKFLOW_NAME = "Review by lead trainer"
TASK_NAME = "Lead trainer approval"

AUTHOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
# Wagtail has no view-only page permission: "lock" is the least one that lets staff explore the
# catalog in the admin, and it grants neither editing nor publishing.
STAFF_PAGE_PERMISSIONS = ["lock_page"]
MEDIA_PERMISSIONS = {
    "wagtailimages": ("image", ["add_image", "change_image", "choose_image"]),
    "wagtaildocs": ("document", ["add_document", "change_document", "choose_document"]),
}
HELP_LINE_PERMISSIONS = ["add_helpline", "change_helpline", "delete_helpline", "view_helpline"]


def _permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": codename.replace("_", " ")}
    )
    return permission


def _add_child(parent, model, content_type, **fields):
    """Insert a tree node below `parent` with historical models (no treebeard helpers here)."""
    step = 4
    taken = set(
        model.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).values_list(
            "path", flat=True
        )
    )
    number = 1
    while f"{parent.path}{number:0{step}d}" in taken:
        number += 1
    if content_type is not None:
        fields["content_type"] = content_type
    node = model.objects.create(
        path=f"{parent.path}{number:0{step}d}", depth=parent.depth + 1, numchild=0, **fields
    )
    parent.numchild = model.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).count()
    parent.save(update_fields=["numchild"])
    return node


def create_catalog_and_roles(apps, schema_editor=None):
    """The Thai catalog page, the "Training media" collection, the trainers' and staff's rights on
    them and on help lines, and the optional "Review by lead trainer" workflow. Idempotent, and
    also rebuilds what a test flush removed."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Group = apps.get_model("auth.Group")
    Locale = apps.get_model("wagtailcore.Locale")
    Page = apps.get_model("wagtailcore.Page")
    HomePage = apps.get_model("training.HomePage")
    CourseIndexPage = apps.get_model("courses.CourseIndexPage")
    Collection = apps.get_model("wagtailcore.Collection")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")

    locale = Locale.objects.filter(language_code=settings.LANGUAGE_CODE).first()
    home = HomePage.objects.filter(depth=2, locale=locale).first()
    if home is None:
        return
    home_page = Page.objects.get(pk=home.pk)
    catalog = CourseIndexPage.objects.filter(path__startswith=home.path, depth=3).first()
    if catalog is None:
        index_type, _ = ContentType.objects.get_or_create(app_label="courses", model="courseindexpage")
        catalog = _add_child(
            home_page,
            CourseIndexPage,
            index_type,
            title=CATALOG_TITLE,
            draft_title=CATALOG_TITLE,
            slug=CATALOG_SLUG,
            url_path=f"{home.url_path}{CATALOG_SLUG}/",
            locale=locale,
            live=True,
            intro="",
        )

    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is None:
        root_collection = Collection.objects.create(name="Root", path="0001", depth=1, numchild=0)
    media = Collection.objects.filter(name=TRAINING_MEDIA, depth=2).first()
    if media is None:
        media = _add_child(root_collection, Collection, None, name=TRAINING_MEDIA)

    access_admin = _permission(apps, "wagtailadmin", "admin", "access_admin")
    page_permissions = {
        codename: _permission(apps, "wagtailcore", "page", codename) for codename in AUTHOR_PAGE_PERMISSIONS
    }

    trainers, _ = Group.objects.get_or_create(name="Trainers")
    lead_trainers, _ = Group.objects.get_or_create(name=LEAD_TRAINERS)
    staff, _ = Group.objects.get_or_create(name="Staff")
    for group in (trainers, lead_trainers, staff):
        group.permissions.add(access_admin)

    for group in (trainers, lead_trainers):
        for permission in page_permissions.values():
            GroupPagePermission.objects.get_or_create(group=group, page_id=catalog.pk, permission=permission)
        for app_label, (model, codenames) in MEDIA_PERMISSIONS.items():
            for codename in codenames:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=media, permission=_permission(apps, app_label, model, codename)
                )
    for codename in STAFF_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=staff, page_id=catalog.pk, permission=page_permissions[codename]
        )
    for codename in HELP_LINE_PERMISSIONS:
        staff.permissions.add(_permission(apps, "courses", "helpline", codename))

    task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME, active=True, content_type=task_type)
    task.groups.add(lead_trainers)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task_id=task.pk, defaults={"sort_order": 0})


def remove_roles(apps, schema_editor):
    apps.get_model("wagtailcore.Workflow").objects.filter(name=WORKFLOW_NAME).delete()
    apps.get_model("wagtailcore.Task").objects.filter(name=TASK_NAME).delete()
    apps.get_model("auth.Group").objects.filter(name=LEAD_TRAINERS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_course_pages"),
        ("training", "0002_create_homepage"),
        ("volunteers", "0002_create_role_groups"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_catalog_and_roles, remove_roles)]
