"""Small builders for test data. They go through the same models and services the app uses."""

from itertools import count

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

PASSWORD = "correct-horse-battery"
_numbers = count(1)


def make_user(*, email: str | None = None, group: str | None = None, **fields):
    """A user with a known password, optionally in a role group ("Trainers" or "Staff")."""
    email = email or f"person{next(_numbers)}@example.org"
    user = get_user_model().objects.create_user(email=email, password=PASSWORD, **fields)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user
