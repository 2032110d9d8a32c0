"""Demo accounts for `seed_demo`: one per role, with published passwords (never in production)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 (public by design; refused in production)


@dataclass(frozen=True)
class DemoAccount:
    email: str
    first_name: str
    last_name: str
    role: str
    group: str | None = None
    is_superuser: bool = False


DEMO_ACCOUNTS = [
    DemoAccount("volunteer@example.org", "สมหญิง", "ใจดี", "volunteer"),
    DemoAccount("trainer@example.org", "วิชัย", "สอนเก่ง", "trainer", group="Trainers"),
    DemoAccount("staff@example.org", "มาลี", "ตรวจสอบ", "staff", group="Staff"),
    DemoAccount("admin@example.org", "ผู้ดูแล", "ระบบ", "administrator", is_superuser=True),
]


def seed_demo_accounts() -> None:
    """Create or refresh the demo accounts; running it again changes nothing."""
    User = get_user_model()
    for account in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            email=account.email,
            defaults={
                "first_name": account.first_name,
                "last_name": account.last_name,
                "is_superuser": account.is_superuser,
                "is_staff": account.is_superuser,
            },
        )
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if account.group:
            user.groups.add(Group.objects.get(name=account.group))
