"""Country coordinators in the Wagtail admin's generic views (issue 22): the pieces that keep a
viewset, a chooser, a bulk action and a permission policy to the coordinator's countries.

Wagtail's object views (edit, inspect, history, usage, delete, copy, ...) each fetch their object
their own way, most from the model's default manager rather than the viewset's queryset, so a
scoped `get_queryset` alone would still open another country's record by its URL. Instead every URL
of a scoped viewset that names an object (`pk`) is wrapped: for a coordinator, an object outside
their countries is a 404 before Wagtail's view runs, and the same holds for any view Wagtail adds
later. People who are not limited pay nothing (`countries_of` answers from the permission cache).

Built on volunteers.coordinators, which holds the rules; this module only wires them in.
"""

import functools

from django.contrib.admin.utils import unquote
from django.db.models import Model, QuerySet
from django.http import Http404
from django.urls import URLPattern
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.permission_policies import ModelPermissionPolicy

from volunteers.coordinators import (
    countries_of,
    country_choices_for,
    country_path_of,
    in_countries,
    sees_country,
)


def country_of(instance: Model, field: str) -> str | None:
    """The country code at the end of the lookup path `field` ("organization__country") from
    `instance`; None when a link on the way is missing."""
    value = instance
    for name in field.split("__"):
        value = getattr(value, name, None)
        if value is None:
            return None
    return value


def scoped_object_urls(urlpatterns: list, queryset_for) -> list:
    """`urlpatterns` whose views with a `pk` answer 404 for an object outside a coordinator's
    countries; `queryset_for(request)` is the scoped queryset the object must be in."""

    def wrap(view):
        @functools.wraps(view)
        def scoped_view(request, *args, **kwargs):
            pk = kwargs.get("pk")
            if (
                pk is not None
                and countries_of(request.user) is not None
                and not queryset_for(request).filter(pk=unquote(str(pk))).exists()
            ):
                raise Http404
            return view(request, *args, **kwargs)

        return scoped_view

    return [
        URLPattern(pattern.pattern, wrap(pattern.callback), pattern.default_args, pattern.name)
        if isinstance(pattern, URLPattern)
        else pattern
        for pattern in urlpatterns
    ]


class CountryScopedPolicy(ModelPermissionPolicy):
    """A model permission policy whose instance checks also ask whether the object is of one of a
    coordinator's countries (`country_field`, a lookup path from the model)."""

    country_field = "country"

    def __init__(self, model, country_field: str = "country", **kwargs):
        super().__init__(model, **kwargs)
        self.country_field = country_field

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and sees_country(
            user, country_of(instance, self.country_field)
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)

    def instances_user_has_permission_for(self, user, action):
        return in_countries(super().instances_user_has_permission_for(user, action), user, self.country_field)

    def instances_user_has_any_permission_for(self, user, actions):
        return in_countries(
            super().instances_user_has_any_permission_for(user, actions), user, self.country_field
        )


class CountryScopedChooserMixin:
    """A chooser that lists, searches and returns only objects of the coordinator's countries;
    another country's object is a 404, as if it did not exist. Models that are no country's record
    (help lines, evaluation forms, live sessions: see volunteers.coordinators.scoped_model_register)
    are chosen as by staff."""

    def _scoped(self, queryset: QuerySet) -> QuerySet:
        path = country_path_of(self.model_class)
        return queryset if path is None else in_countries(queryset, self.request.user, path)

    def get_object_list(self, *args, **kwargs):
        return self._scoped(super().get_object_list(*args, **kwargs))

    def get_object(self, pk):
        return self._scoped(self.model_class.objects.all()).get(pk=pk)

    def get_objects(self, pks):
        return self._scoped(super().get_objects(pks))


class CountryScopedBulkActionMixin:
    """A bulk action on volunteer records that acts only on the coordinator's countries' records.

    Another country's record is left out altogether, not listed among the "no permission" ones (the
    confirmation page would show its name); when nothing is left the answer is a 404, as Wagtail's
    own for ids that do not exist. "Select all" picks from the coordinator's countries only.
    """

    country_field = "country"

    def get_all_objects_in_listing_query(self, parent_id):
        return in_countries(self.model.objects.all(), self.request.user, self.country_field).values_list(
            "pk", flat=True
        )

    def get_actionable_objects(self):
        objects, extra = super().get_actionable_objects()
        user = self.request.user
        if countries_of(user) is None:
            return objects, extra
        objects = [obj for obj in objects if sees_country(user, country_of(obj, self.country_field))]
        no_access = [
            obj
            for obj in extra["items_with_no_access"]
            if sees_country(user, country_of(obj, self.country_field))
        ]
        if not objects and not no_access:
            raise Http404
        return objects, {**extra, "items_with_no_access": no_access}


class CountryLimitedForm(WagtailAdminModelForm):
    """An admin form whose `country` field offers a coordinator only their countries, and no empty
    choice: a record they edit cannot be moved to a country they do not look after, nor lose its
    country and with it drop out of their register."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.countries = countries_of(self.for_user) if self.for_user is not None else None
        field = self.fields.get("country")
        if self.countries is not None and field is not None:
            field.choices = country_choices_for(self.for_user, [c for c in field.choices if c[0]])
            field.required = True
