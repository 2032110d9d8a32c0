"""Country coordinators for tests (issue 22): a member of the "Country coordinators" group with the
countries they look after, written as the demo seeds its coordinator (volunteers/demo.py)."""

from tests.factories import make_user


def make_coordinator(countries=("NO",), *, email: str | None = None):
    """A coordinator limited to `countries`. With none, the person stays in the group with no
    country left, which the limit must fail closed on (they see nobody)."""
    from volunteers.coordinators import COORDINATORS_GROUP
    from volunteers.models import CoordinatorCountry

    user = make_user(email=email, group=COORDINATORS_GROUP)
    rows = [CoordinatorCountry(user=user, country=code) for code in countries]
    CoordinatorCountry.objects.bulk_create(rows)
    return user
