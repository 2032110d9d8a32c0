"""Who may move courses as files: lead trainers (they publish courses: they approve reviews) and
staff (they hold the staff reports), and superusers. Trainers may not: an import writes a whole
course at once and a package is a file from elsewhere. Country coordinators answer as staff do, as
they do everywhere, since a course belongs to no country."""

from wagtail.permission_policies.pages import PagePermissionPolicy

# The staff reports' permission (courses.reports.views.REPORT_PERMISSION), held by staff only.
STAFF_PERMISSION = "courses.view_coursecompletion"


def may_transfer_courses(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser or user.has_perm(STAFF_PERMISSION):
        return True
    return PagePermissionPolicy().user_has_permission(user, "publish")
