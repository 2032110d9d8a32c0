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


def make_privacy_notice(*, version: int = 1):
    """A published privacy notice under the Thai home page (the latest one counts)."""
    from training.models import HomePage
    from volunteers.models import PrivacyNoticePage

    home = HomePage.objects.get(depth=2, locale__language_code="th")
    notice = home.add_child(
        instance=PrivacyNoticePage(
            title=f"Privacy notice v{version}",
            slug=f"privacy-v{version}",
            body="<p>We keep your data safe.</p>",
            version=version,
        )
    )
    notice.save_revision().publish()
    return notice


def make_volunteer(*, email: str | None = None, consent_version: int | None = 1, **profile_fields):
    """A volunteer account with a profile (applicant unless told otherwise)."""
    from django.utils import timezone

    from volunteers.models import VolunteerProfile

    user = make_user(email=email)
    profile = VolunteerProfile.objects.create(
        user=user,
        consent_version=consent_version,
        consented_at=timezone.now() if consent_version else None,
        **profile_fields,
    )
    return profile


def make_organization(**fields):
    from volunteers.models import Organization

    defaults = {"name_th": f"องค์กร {next(_numbers)}", "country": "NO", "kind": "association"}
    return Organization.objects.create(**{**defaults, **fields})
