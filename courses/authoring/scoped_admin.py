"""Snippets kept per course in the Wagtail admin (course runs, live sessions): a trainer keeps the
records of the courses they may edit, staff every course's.

A model is scoped by registering `ScopedPermissionPolicy(model, managed_by=...)`, where
`managed_by(user)` is the queryset of the records the person keeps. Then the viewset's views of one
record answer 404 outside it (`ScopedSnippetViewSet`), the listing's bulk actions and the copy view
refuse it (the policy), the chooser lists and returns only it (`ScopedChooserViewSet`), a form's
choice of the record's course or run offers only the person's (`ScopedChoiceForm`), and so does the
listing's filter (`scoped_choice_filter`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_filters
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from volunteers.admin_views import RecordsChooserViewSet

ManagedBy = Callable[[Any], QuerySet]


class ScopedPermissionPolicy(ModelPermissionPolicy):
    """Wagtail's model rights, and for one record also the course: what the admin asks of an
    instance (the listing's bulk actions, the copy view) is refused outside the person's records."""

    def __init__(self, model: type[Model], *, managed_by: ManagedBy, **kwargs):
        super().__init__(model, **kwargs)
        self.managed_by = managed_by

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions) and (
            self.managed_by(user).filter(pk=instance.pk).exists()
        )

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return self.managed_by(user)


def register_scoped_policy(
    model: type[Model],
    managed_by: ManagedBy,
    *,
    policy_class: type[ScopedPermissionPolicy] = ScopedPermissionPolicy,
) -> ScopedPermissionPolicy:
    """Register the model's scoped policy; call it before the model's viewset asks for its policy."""
    policy = policy_class(model, managed_by=managed_by)
    register_permission_policy(model, policy)
    return policy


def managed(model: type[Model], user) -> QuerySet:
    """The records of `model` that `user` keeps, by the model's registered scoped policy."""
    return policy_registry.get_by_type(model).managed_by(user)


class ManagedObjectMixin:
    """A view of one record: 404 unless the person keeps it."""

    def get_object(self, *args, **kwargs):
        try:
            found = super().get_object(*args, **kwargs)
        except PermissionDenied as refused:
            raise Http404 from refused  # the copy view asks the policy first: the same answer
        if not managed(self.model, self.request.user).filter(pk=found.pk).exists():
            raise Http404
        return found


class ScopedEditView(ManagedObjectMixin, snippet_views.EditView):
    pass


class ScopedCopyView(ManagedObjectMixin, snippet_views.CopyView):
    pass


class ScopedDeleteView(ManagedObjectMixin, snippet_views.DeleteView):
    pass


class ScopedUsageView(ManagedObjectMixin, snippet_views.UsageView):
    pass


class ScopedHistoryView(ManagedObjectMixin, snippet_views.HistoryView):
    pass


# The chooser lists and returns only the person's records too.
class _ScopedChooserList:
    def get_object_list(self):
        kept = managed(self.model_class, self.request.user).values("pk")
        return super().get_object_list().filter(pk__in=kept)


class _ScopedChooseView(_ScopedChooserList, RecordsChooserViewSet.choose_view_class):
    pass


class _ScopedChooseResultsView(_ScopedChooserList, RecordsChooserViewSet.choose_results_view_class):
    pass


class _ScopedChosenView(RecordsChooserViewSet.chosen_view_class):
    def get_object(self, pk):
        found = managed(self.model_class, self.request.user).filter(pk=pk).first()
        if found is None:
            raise Http404
        return found


class _ScopedChosenMultipleView(RecordsChooserViewSet.chosen_multiple_view_class):
    def get_objects(self, pks):
        keep = managed(self.model_class, self.request.user)
        return list(keep.filter(pk__in=[pk for pk in pks if pk.isdigit()]))


class ScopedChooserViewSet(RecordsChooserViewSet):
    choose_view_class = _ScopedChooseView
    choose_results_view_class = _ScopedChooseResultsView
    chosen_view_class = _ScopedChosenView
    chosen_multiple_view_class = _ScopedChosenMultipleView


class ScopedSnippetViewSet(SnippetViewSet):
    """A snippet viewset whose listing, views of one record and chooser keep to the person's records
    (the model's scoped policy must be registered first)."""

    edit_view_class = ScopedEditView
    copy_view_class = ScopedCopyView
    delete_view_class = ScopedDeleteView
    usage_view_class = ScopedUsageView
    history_view_class = ScopedHistoryView
    chooser_viewset_class = ScopedChooserViewSet

    def get_queryset(self, request):
        return managed(self.model, request.user)


class ScopedChoiceForm(WagtailAdminModelForm):
    """A form whose `scoped_field` offers only what the editor keeps (`scoped_choices(user)`); another
    id posted is a form error, never a save."""

    scoped_field: str = ""
    scoped_choice_field_class: type[forms.ModelChoiceField] = forms.ModelChoiceField
    scoped_help_text: Any = ""
    scoped_invalid_choice: Any = ""

    @classmethod
    def scoped_choices(cls, user) -> QuerySet:
        raise NotImplementedError

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get(self.scoped_field)
        if field is not None:
            user = self.for_user
            queryset = self.scoped_choices(user) if user is not None else field.queryset.none()
            self.fields[self.scoped_field] = self.scoped_choice_field_class(
                queryset=queryset,
                label=field.label,
                help_text=self.scoped_help_text,
                error_messages={"invalid_choice": self.scoped_invalid_choice},
            )


def scoped_choice_filter(label, choices: ManagedBy, **kwargs) -> django_filters.ModelChoiceFilter:
    """A listing filter whose choices are `choices(user)` of the person looking."""

    def queryset(request):
        return choices(request.user if request else AnonymousUser())

    return django_filters.ModelChoiceFilter(label=label, queryset=queryset, **kwargs)
