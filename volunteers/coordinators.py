"""Country coordinators (issue 22): staff limited to the volunteers of one or more countries.

A coordinator is a member of the "Country coordinators" group, which holds every permission staff
have (tests/volunteers/test_coordinators.py keeps the two in step) plus `coordinate_countries`, the
permission that limits them. The limit is read from the permission cache Django loads anyway, so
staff and trainers pay no query for it; a coordinator pays one per request, for their countries.

Every read path that lists or opens volunteers' data for staff asks `countries_of(user)` (or one of
the helpers below) and keeps only the coordinator's countries; anything outside them is a 404. A
coordinator whose countries were all taken away sees nobody: the limit fails closed.

Only this module writes CoordinatorCountry rows and the group's membership; each change is in the
audit log.
"""

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from volunteers.models import (
    CertificationApplication,
    CoordinatorCountry,
    Organization,
    User,
    VolunteerProfile,
)

COORDINATORS_GROUP = "Country coordinators"
LIMIT_PERMISSION = "volunteers.coordinate_countries"
MANAGE_PERMISSION = "volunteers.manage_coordinators"
_CACHE_ATTRIBUTE = "_coordinator_countries"


def countries_of(user) -> frozenset[str] | None:
    """The countries `user` is limited to, or None when they are not limited (superusers, staff,
    trainers). Anonymous visitors are limited to none."""
    if not user.is_authenticated:
        return frozenset()
    if user.is_superuser or not user.has_perm(LIMIT_PERMISSION):
        return None
    if not hasattr(user, _CACHE_ATTRIBUTE):
        setattr(
            user,
            _CACHE_ATTRIBUTE,
            frozenset(CoordinatorCountry.objects.filter(user=user).values_list("country", flat=True)),
        )
    return getattr(user, _CACHE_ATTRIBUTE)


def is_coordinator(user) -> bool:
    return user.is_authenticated and countries_of(user) is not None


def in_countries(queryset: QuerySet, user, field: str = "country") -> QuerySet:
    """`queryset` kept to the rows whose `field` (a country code, or a lookup path ending in one) is
    one of `user`'s countries; unchanged for people who are not limited."""
    countries = countries_of(user)
    if countries is None:
        return queryset
    return queryset.filter(**{f"{field}__in": countries})


def sees_country(user, country: str | None) -> bool:
    countries = countries_of(user)
    return countries is None or (bool(country) and country in countries)


def country_or_404(user, country: str | None) -> None:
    """Refuse, as if it did not exist, anything of a country `user` does not look after."""
    if not sees_country(user, country):
        raise Http404


def country_choices_for(user, choices) -> list[tuple[str, str]]:
    """The (code, name) choices a filter offers `user`: only their own countries when limited."""
    countries = countries_of(user)
    return [choice for choice in choices if countries is None or choice[0] in countries]


_SCOPED_MODELS: dict[type[Model], str] = {}


def scoped_model_register(model: type[Model], country_path: str) -> None:
    """Declare `model` a record of one country, found at `country_path` from it: the history and
    other generic places hide such records of other countries from coordinators. Apps register
    their own models (certificates does in its AppConfig)."""
    _SCOPED_MODELS[model] = country_path


def country_path_of(model: type[Model]) -> str | None:
    """The lookup path from `model` to its country, when it is a record of one country."""
    return _SCOPED_MODELS.get(model)


def scoped_content_types() -> list[tuple[ContentType, type[Model], str]]:
    return [(ContentType.objects.get_for_model(model), model, path) for model, path in _SCOPED_MODELS.items()]


scoped_model_register(VolunteerProfile, "country")
scoped_model_register(User, "volunteer_profile__country")
scoped_model_register(Organization, "country")
scoped_model_register(CertificationApplication, "organization__country")


def coordinators() -> QuerySet[User]:
    return (
        User.objects.filter(groups__name=COORDINATORS_GROUP)
        .prefetch_related("coordinator_countries")
        .order_by("first_name", "last_name", "email")
    )


class CoordinatorRefused(ValueError):
    """The person cannot be made a coordinator (a superuser, or the one asking)."""


@transaction.atomic
def coordinator_set(*, user: User, countries: set[str], actor: User) -> bool:
    """Make `user` a coordinator of exactly `countries` (at least one); True when anything changed.
    Logged on the person's account with the countries before and after."""
    if user.is_superuser:
        raise CoordinatorRefused(_("A superuser sees every country and cannot be limited to some."))
    if user.pk == actor.pk:
        raise CoordinatorRefused(_("You cannot change your own role."))
    if not countries:
        raise CoordinatorRefused(_("Choose at least one country."))
    User.objects.select_for_update().filter(pk=user.pk).first()  # one change to a person at a time
    before = set(CoordinatorCountry.objects.filter(user=user).values_list("country", flat=True))
    was_member = user.groups.filter(name=COORDINATORS_GROUP).exists()
    if was_member and before == countries:
        return False
    CoordinatorCountry.objects.filter(user=user).exclude(country__in=countries).delete()
    added = sorted(countries - before)
    CoordinatorCountry.objects.bulk_create(
        [CoordinatorCountry(user=user, country=code, appointed_by=actor) for code in added]
    )
    user.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    log(
        user,
        "volunteers.coordinator_set",
        user=actor,
        data={"before": sorted(before) if was_member else None, "countries": sorted(countries)},
    )
    _forget(user)
    return True


@transaction.atomic
def coordinator_remove(*, user: User, actor: User) -> bool:
    """End `user`'s role as coordinator; True when they were one. Logged."""
    if user.pk == actor.pk:
        raise CoordinatorRefused(_("You cannot change your own role."))
    group = Group.objects.get(name=COORDINATORS_GROUP)
    was_member = user.groups.filter(pk=group.pk).exists()
    before = sorted(CoordinatorCountry.objects.filter(user=user).values_list("country", flat=True))
    CoordinatorCountry.objects.filter(user=user).delete()
    user.groups.remove(group)
    if was_member:
        log(user, "volunteers.coordinator_remove", user=actor, data={"before": before})
    _forget(user)
    return was_member


def _forget(user: User) -> None:
    for attribute in (_CACHE_ATTRIBUTE, "_perm_cache", "_group_perm_cache", "_user_perm_cache"):
        user.__dict__.pop(attribute, None)
