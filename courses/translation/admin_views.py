"""wagtail-localize's "Translate" and "Sync translated pages" views, for editors of the page only.

wagtail-localize checks just its own "submit translation" permission, so anyone holding it (every
trainer) could start or sync a translation of any page in the tree: the home page, the privacy
notice, another team's course. These views add Wagtail's page permission on the source: whoever may
edit the Thai page may translate it. They answer at wagtail-localize's own addresses, registered
first (courses comes before wagtail_localize in INSTALLED_APPS), so every link and reverse() of
wagtail-localize reaches them.
"""

from django.core.exceptions import PermissionDenied
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail_localize.views.submit_translations import SubmitPageTranslationView
from wagtail_localize.views.update_translations import UpdateTranslationsView


def _may_edit(user, instance) -> bool:
    if isinstance(instance, Page):
        return instance.permissions_for_user(user).can_edit()
    return ModelPermissionPolicy(type(instance)).user_has_permission_for_instance(user, "change", instance)


class EditorsSubmitPageTranslationView(SubmitPageTranslationView):
    def get_object(self):
        page = super().get_object()
        if not _may_edit(self.request.user, page):
            raise PermissionDenied
        return page


class EditorsUpdateTranslationsView(UpdateTranslationsView):
    def get_object(self):
        source = super().get_object()
        if not _may_edit(self.request.user, source.get_source_instance()):
            raise PermissionDenied
        return source
