"""Demo accounts for `seed_demo`: one per role, with published passwords (never in production)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 (public by design; refused in production)
# Demo volunteers are registered before the demo courses exist; a run after them still registers.
DEMO_OVERRIDE_REASON = "ลงทะเบียนในข้อมูลตัวอย่าง (ข้อมูลตัวอย่าง)"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    first_name: str
    last_name: str
    role: str
    group: str | None = None
    is_superuser: bool = False
    countries: tuple[str, ...] = ()  # a country coordinator's countries


DEMO_ACCOUNTS = [
    DemoAccount("volunteer@example.org", "สมหญิง", "ใจดี", "volunteer"),
    DemoAccount("trainer@example.org", "วิชัย", "สอนเก่ง", "trainer", group="Trainers"),
    DemoAccount("lead.trainer@example.org", "ประภา", "ตรวจทาน", "lead trainer", group="Lead trainers"),
    DemoAccount("staff@example.org", "มาลี", "ตรวจสอบ", "staff", group="Staff"),
    DemoAccount(
        "coordinator.no@example.org",
        "อรุณี",
        "ประสานดี",
        "coordinator (NO)",
        group="Country coordinators",
        countries=("NO",),
    ),
    DemoAccount("admin@example.org", "ผู้ดูแล", "ระบบ", "administrator", is_superuser=True),
]


# Demo volunteers who also sign in with the demo password, to try what only their records show
# (an expiring certificate, say): email -> what to try, filled by the seeder that made the record
# and printed by `seed_demo` after the accounts above.
DEMO_EXTRA_LOGINS: dict[str, str] = {}


def demo_login_give(email: str, what: str) -> None:
    """Let a demo volunteer sign in with the demo password, and list the login with `what` it shows."""
    user = get_user_model().objects.get(email=email)
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    DEMO_EXTRA_LOGINS[email] = what


def seed_demo_accounts() -> None:
    """Create or refresh the demo accounts; running it again changes nothing.

    Refreshing also removes any authenticator app set up on a demo account while trying two-step
    verification, so the published logins keep working for the next person.
    """
    from volunteers.models import CoordinatorCountry
    from volunteers.services import two_factor_devices_remove

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
        for country in account.countries:
            CoordinatorCountry.objects.get_or_create(user=user, country=country)
        two_factor_devices_remove(user=user, actor=None)


PRIVACY_NOTICE = {
    "th": (
        "ประกาศความเป็นส่วนตัว",
        "<p>กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์เก็บชื่อ ข้อมูลติดต่อ ประเทศที่พำนัก องค์กร "
        "และความก้าวหน้าในการอบรมของท่าน เพื่อจัดการอบรมและขึ้นทะเบียน อพม. ในต่างประเทศ</p>"
        "<p>ท่านดาวน์โหลดข้อมูลทั้งหมดของท่าน และขอให้ลบข้อมูลได้จากหน้าโปรไฟล์</p>",
    ),
    "en": (
        "Privacy notice",
        "<p>The Ministry of Social Development and Human Security keeps your names, contact details, "
        "country of residence, organisation and training progress to run the training and the "
        "register of overseas volunteers.</p>"
        "<p>You can download all your data, and ask for it to be erased, from your profile page.</p>",
    ),
}

DEMO_ORGANIZATIONS = [
    {
        "name_th": "สมาคมไทยในนอร์เวย์",
        "name_en": "Thai Association in Norway",
        "kind": "association",
        "country": "NO",
        "city": "Oslo",
        "certification_status": "certified",
        "certification_number": "กท 123/2567",
    },
    {
        "name_th": "มูลนิธิไทยสวีเดน",
        "name_en": "Thai-Swedish Foundation",
        "kind": "foundation",
        "country": "SE",
        "city": "Stockholm",
        "certification_status": "applied",
    },
    {
        "name_th": "ชมรมคนไทยในเดนมาร์ก",
        "name_en": "Thai Club Denmark",
        "kind": "club",
        "country": "DK",
        "city": "Copenhagen",
    },
]

# (email, title, Thai given, Thai family, Latin given, Latin family, organisation index, register?)
DEMO_VOLUNTEERS = [
    ("volunteer@example.org", "ms", "สมหญิง", "ใจดี", "Somying", "Jaidee", 0, True),
    ("kanya.no@example.org", "mrs", "กัญญา", "ศรีสุข", "Kanya", "Srisuk", 0, True),
    ("prasert.no@example.org", "mr", "ประเสริฐ", "มั่นคง", "Prasert", "Mankong", 0, False),
    ("malai.se@example.org", "ms", "มาลัย", "แสงทอง", "Malai", "Saengthong", 1, True),
    ("wichai.se@example.org", "mr", "วิชัย", "รุ่งเรือง", "Wichai", "Rungrueang", 1, False),
    ("napa.dk@example.org", "mrs", "นภา", "บุญมา", "Napa", "Boonma", 2, False),
]


@transaction.atomic
def seed_privacy_notice():
    """A published privacy notice (version 1) under the home page, in Thai and English."""
    from wagtail.models import Locale

    from training.models import HomePage
    from volunteers.models import PrivacyNoticePage

    home = HomePage.objects.get(depth=2, locale__language_code="th")
    notice = PrivacyNoticePage.objects.filter(locale=home.locale).first()
    if notice is None:
        title, body = PRIVACY_NOTICE["th"]
        notice = home.add_child(instance=PrivacyNoticePage(title=title, slug="privacy", body=body, version=1))
        notice.save_revision().publish()
    english = Locale.objects.get(language_code="en")
    if notice.get_translation_or_none(english) is None:
        translation = notice.copy_for_translation(english, copy_parents=True)
        translation.title, translation.draft_title = PRIVACY_NOTICE["en"][0], PRIVACY_NOTICE["en"][0]
        translation.body = PRIVACY_NOTICE["en"][1]
        translation.save_revision().publish()
    return notice


def seed_volunteer_register() -> None:
    """Organisations in Norway, Sweden and Denmark, and applicants and registered volunteers."""
    from volunteers.models import Organization, VolunteerProfile
    from volunteers.services import volunteer_consent_record, volunteer_profile_update, volunteer_register

    notice = seed_privacy_notice()
    User = get_user_model()
    staff = User.objects.get(email="staff@example.org")
    organizations = []
    for fields in DEMO_ORGANIZATIONS:
        organization, _created = Organization.objects.get_or_create(
            name_th=fields["name_th"], defaults=fields
        )
        organizations.append(organization)
    for email, title, given_th, family_th, given_en, family_en, org_index, register in DEMO_VOLUNTEERS:
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email=email, password=None
        )
        if user.email_confirmed_at is None:
            user.email_confirmed_at = user.date_joined
            user.save(update_fields=["email_confirmed_at"])
        profile = VolunteerProfile.objects.filter(user=user).first()
        if profile is None or profile.consent_version != notice.version:
            profile = volunteer_consent_record(user=user, version=notice.version)
        organization = organizations[org_index]
        wanted = {
            "title": title,
            "given_name_th": given_th,
            "family_name_th": family_th,
            "given_name_en": given_en,
            "family_name_en": family_en,
            "country": organization.country,
            "city": organization.city,
            "organization": organization,
            "organization_role": "อาสาสมัคร",
        }
        if any(getattr(profile, name) != value for name, value in wanted.items()):
            volunteer_profile_update(profile=profile, data=wanted)
        if register and profile.status == VolunteerProfile.Status.APPLICANT:
            volunteer_register(profile=profile, actor=staff, override_reason=DEMO_OVERRIDE_REASON)


# --- Organisation leaders (issue 22) ----------------------------------------------------------------

DEMO_LEADER = "kanya.no@example.org"
DEMO_LEADER_ORGANIZATION = "สมาคมไทยในนอร์เวย์"
# Members whose membership the leader confirmed (an applicant among them by endorsing), and the
# applicant whose application they endorsed; the organisation's other applicants wait for the
# endorsement, as does a newcomer, and a registered volunteer's membership request waits too.
DEMO_CONFIRMED_MEMBERS = ["kanya.no@example.org", "volunteer@example.org", "arun.no@example.org"]
DEMO_ENDORSED_APPLICANT = "prasert.no@example.org"
# (email, title, Thai given, Thai family, Latin given, Latin family)
DEMO_AWAITING_ENDORSEMENT = ("duangdao.no@example.org", "ms", "ดวงดาว", "พรหมมา", "Duangdao", "Promma")
DEMO_MEMBERSHIP_REQUEST = ("boonchu.no@example.org", "mr", "บุญชู", "รักไทย", "Boonchu", "Rakthai")


def _demo_person(person: tuple, organization):
    """A demo volunteer who named `organization` on their profile, through the profile's service."""
    from volunteers.models import VolunteerProfile
    from volunteers.selectors import privacy_notice_current_version
    from volunteers.services import volunteer_consent_record, volunteer_profile_update

    email, title, given_th, family_th, given_en, family_en = person
    User = get_user_model()
    user = User.objects.filter(email=email).first() or User.objects.create_user(email=email, password=None)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = user.date_joined
        user.save(update_fields=["email_confirmed_at"])
    version = privacy_notice_current_version()
    profile = VolunteerProfile.objects.filter(user=user).first()
    if profile is None or profile.consent_version != version:
        profile = volunteer_consent_record(user=user, version=version)
    if profile.organization_id != organization.pk:
        # Naming an organisation with a leader asks for the endorsement (and tells the leader).
        volunteer_profile_update(
            profile=profile,
            data={
                "title": title,
                "given_name_th": given_th,
                "family_name_th": family_th,
                "given_name_en": given_en,
                "family_name_en": family_en,
                "country": organization.country,
                "city": organization.city,
                "organization": organization,
                "organization_role": "อาสาสมัคร",
            },
        )
    return profile


@transaction.atomic
def seed_organisation_leaders() -> None:
    """A leader of the Thai Association in Norway with confirmed members, a registered volunteer's
    membership request, an endorsed application and others awaiting the endorsement, all through the
    real services."""
    from volunteers.memberships import endorsement_give, membership_confirm, organization_leader_appoint
    from volunteers.models import Organization, VolunteerProfile
    from volunteers.services import volunteer_register

    User = get_user_model()
    staff = User.objects.get(email="staff@example.org")
    organization = Organization.objects.get(name_th=DEMO_LEADER_ORGANIZATION)
    leader = User.objects.get(email=DEMO_LEADER)
    # Registered by staff before the organisation had a leader: their membership is still a request.
    requester = _demo_person(DEMO_MEMBERSHIP_REQUEST, organization)
    if requester.status == VolunteerProfile.Status.APPLICANT:
        volunteer_register(profile=requester, actor=staff, override_reason=DEMO_OVERRIDE_REASON)
    organization_leader_appoint(organization=organization, user=leader, actor=staff)
    demo_login_give(DEMO_LEADER, "volunteer, leader of the Thai Association in Norway")
    pending = VolunteerProfile.Membership.REQUESTED
    for email in [*DEMO_CONFIRMED_MEMBERS, DEMO_ENDORSED_APPLICANT]:
        profile = VolunteerProfile.objects.filter(user__email=email, organization=organization).first()
        if profile is None or profile.membership_status != pending:
            continue
        if profile.status == VolunteerProfile.Status.APPLICANT:
            endorsement_give(profile=profile, organization=organization, leader=leader)
        else:
            membership_confirm(profile=profile, organization=organization, leader=leader)
    _demo_person(DEMO_AWAITING_ENDORSEMENT, organization)
    seed_certification_application(organization=organization, leader=leader)


DEMO_CERTIFICATION_DOCUMENT = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def seed_certification_application(*, organization, leader) -> None:
    """The leader's certification application, submitted with its board and a document and waiting
    for staff, so that both sides can be tried. Only once: staff's decisions in the demo stand."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from volunteers import certification

    if organization.certification_applications.exists():
        return
    application = certification.certification_application_start(organization=organization, leader=leader)
    certification.certification_application_save(
        application=application,
        leader=leader,
        details={
            "address": "Storgata 1, 0155 Oslo",
            "registration_number": "912 345 678",
            "activities": (
                "ให้คำปรึกษาแก่คนไทยในนอร์เวย์ที่ประสบปัญหาครอบครัว จัดสอนภาษาไทยให้เด็กทุกวันเสาร์ "
                "และจัดงานวันสงกรานต์ร่วมกับสถานเอกอัครราชทูต (ข้อมูลตัวอย่าง)"
            ),
        },
    )
    for name, position in (("กัญญา นอร์ดมันน์", "นายกสมาคม"), ("สมพร ฮันเซน", "เหรัญญิก")):
        certification.certification_board_member_add(
            application=application, leader=leader, name=name, position=position
        )
    certification.certification_document_add(
        application=application,
        leader=leader,
        title="ข้อบังคับสมาคม (ข้อมูลตัวอย่าง)",
        upload=SimpleUploadedFile("articles.pdf", DEMO_CERTIFICATION_DOCUMENT),
    )
    certification.certification_submit(application=application, leader=leader)
