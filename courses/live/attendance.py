"""Attendance at live sessions, as trainers record it: a list with a checkbox per volunteer of the
run, or the meeting tool's attendance export (Zoom, Microsoft Teams, Google Meet) matched by email
address. Only volunteers enrolled in the session's run are ever marked. Each change is audited on
the volunteer's record, and a volunteer newly marked has their completion of the course checked in
the same transaction (the attendance gate below may have been all that held it back)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.authoring.models import CoursePage
from courses.learning.models import Enrollment
from courses.learning.services import (
    BULK_ENROL_MAX_BYTES,
    LearningError,
    _log_for_volunteer,
    course_completion_check,
)
from courses.live.models import LiveSession, SessionAttendance
from courses.live.selectors import sessions_attended
from volunteers.coordinators import in_countries

ATTENDANCE_FILE_MAX_BYTES = BULK_ENROL_MAX_BYTES
ATTENDANCE_FILE_MAX_ROWS = 5000
# A heading names the email column: "User Email" (Zoom), "Email" and "Participant ID (UPN)"
# (Teams), "Email" (Google Meet), "E-mail", or Thai "อีเมล".
EMAIL_HEADINGS = ("email", "e-mail", "upn", "อีเมล")
# The heading row of a meeting's summary (Zoom), whose address is the host's.
SUMMARY_HEADINGS = ("meeting id", "topic")


class AttendanceFileError(LearningError):
    """The attendance file cannot be read; nothing was recorded."""


def attendance_gate(*, volunteer: Any, course: CoursePage) -> bool:
    """The completion gate: a course asking for N live sessions completes once N are attended."""
    required = course.live_sessions_required or 0
    if not required:
        return True
    return sessions_attended(volunteer=volunteer, course=course) >= required


def session_enrolled(session: LiveSession, viewer: Any = None) -> QuerySet[Enrollment]:
    """The enrolments in the session's run, of volunteers not erased, by Thai name; only those of
    `viewer`'s countries when `viewer` is a country coordinator (whoever else is enrolled is, to
    them, as if not in the run: not listed, not marked, not unmarked)."""
    enrolments = Enrollment.objects.filter(run_id=session.run_id)
    if viewer is not None:
        enrolments = in_countries(enrolments, viewer, "volunteer__volunteer_profile__country")
    return (
        enrolments.filter(
            Q(volunteer__volunteer_profile__isnull=True)
            | Q(volunteer__volunteer_profile__erased_at__isnull=True)
        )
        .select_related("volunteer", "volunteer__volunteer_profile")
        .order_by(
            "volunteer__volunteer_profile__given_name_th",
            "volunteer__volunteer_profile__family_name_th",
            "volunteer__volunteer_profile__given_name_en",
            "volunteer__email",
            "pk",
        )
    )


def _audit(*, volunteer: Any, session: LiveSession, actor: Any, attended: bool, source: str) -> None:
    _log_for_volunteer(
        volunteer,
        "courses.attendance_mark" if attended else "courses.attendance_unmark",
        actor,
        {
            "course": session.run.course.title,
            "course_id": session.run.course_id,
            "run": session.run.name,
            "run_id": session.run_id,
            "session": session.title,
            "session_id": session.pk,
            "source": source,
        },
    )


def _mark(*, session: LiveSession, volunteer: Any, actor: Any, source: str) -> bool:
    """Record one volunteer's attendance; False when it was already recorded."""
    try:
        with transaction.atomic():
            SessionAttendance.objects.create(
                session=session,
                volunteer=volunteer,
                source=source,
                recorded_by=actor,
                recorded_at=timezone.now(),
            )
    except IntegrityError:
        return False
    _audit(volunteer=volunteer, session=session, actor=actor, attended=True, source=source)
    return True


def _completions_check(*, session: LiveSession, volunteers: list[Any]) -> None:
    for volunteer in volunteers:
        course_completion_check(volunteer=volunteer, course=session.run.course)


@transaction.atomic
def attendance_list_save(*, session: LiveSession, attended_ids: set[int], actor: Any) -> tuple[int, int]:
    """Save the ticked list: volunteers of the run ticked are marked, those unticked are unmarked.
    Ids of anyone not enrolled in the run (or, for a country coordinator, not of their countries)
    are ignored. Returns (marked, unmarked)."""
    session = (
        LiveSession.objects.select_for_update(of=("self",)).select_related("run__course").get(pk=session.pk)
    )
    enrolled = {enrolment.volunteer_id: enrolment.volunteer for enrolment in session_enrolled(session, actor)}
    present = set(SessionAttendance.objects.filter(session=session).values_list("volunteer_id", flat=True))
    newly = [
        enrolled[pk]
        for pk in sorted(attended_ids & enrolled.keys())
        if pk not in present
        and _mark(session=session, volunteer=enrolled[pk], actor=actor, source=SessionAttendance.Source.LIST)
    ]
    removed = 0
    for pk in sorted((present & enrolled.keys()) - attended_ids):
        deleted, _per_model = SessionAttendance.objects.filter(session=session, volunteer_id=pk).delete()
        if deleted:
            removed += 1
            _audit(
                volunteer=enrolled[pk],
                session=session,
                actor=actor,
                attended=False,
                source=SessionAttendance.Source.LIST,
            )
    _completions_check(session=session, volunteers=newly)
    return len(newly), removed


@dataclass
class UploadOutcome:
    marked: int = 0
    already: int = 0
    unmatched: list[str] = field(default_factory=list)


def _not_text() -> AttendanceFileError:
    return AttendanceFileError(
        _("The file is not a text (CSV) file. Download the attendance report again and upload it as it is.")
    )


def _decode(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"  # Microsoft Teams: UTF-16 with its byte order mark
    elif len(raw) >= 4 and raw[1] == 0 and raw[3] == 0 and raw[0] != 0:
        encoding = "utf-16-le"
    else:
        encoding = "utf-8-sig"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as error:
        raise _not_text() from error
    if "\x00" in text or any(ord(char) < 32 and char not in "\t\r\n" for char in text[:10000]):
        raise _not_text()
    return text


def _delimiter(text: str) -> str:
    sample = "\n".join(line for line in text.splitlines()[:50] if line.strip())
    try:
        return csv.Sniffer().sniff(sample, delimiters=",\t;").delimiter
    except csv.Error:
        return "\t" if "\t" in sample else ","


def _is_email_heading(cell: str) -> bool:
    heading = cell.strip().casefold()
    return "@" not in heading and any(word in heading for word in EMAIL_HEADINGS)


def attendance_file_addresses(raw: bytes) -> list[list[str]]:
    """The addresses of each participant row of a meeting tool's attendance export: every cell
    under a heading that names an email column (Teams gives two), as written. A file may hold
    several tables (Zoom's meeting summary, Teams' sections): each heading row starts a new one."""
    if len(raw) > ATTENDANCE_FILE_MAX_BYTES:
        raise AttendanceFileError(_("The file is larger than 1 MB."))
    text = _decode(raw)
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
    columns: list[int] | None = None
    found_heading = False
    rows: list[list[str]] = []
    try:
        for row in reader:
            headings = [index for index, cell in enumerate(row) if _is_email_heading(cell)]
            if headings:
                found_heading = True
                # Zoom's meeting summary names the host's address: not a participant.
                summary = any(cell.strip().casefold() in SUMMARY_HEADINGS for cell in row)
                columns = None if summary else headings
                continue
            if columns is None:
                continue
            values = [row[index].strip() for index in columns if index < len(row) and row[index].strip()]
            if values:
                rows.append(values)
            if len(rows) > ATTENDANCE_FILE_MAX_ROWS:
                raise AttendanceFileError(
                    _("The file has more than 5000 rows. Split it and upload each part.")
                )
    except csv.Error as error:
        raise AttendanceFileError(_("The file could not be read as CSV.")) from error
    if not found_heading:
        raise AttendanceFileError(
            _(
                "The file has no email column. Upload the attendance report of Zoom, Microsoft Teams or "
                "Google Meet with the participants' email addresses."
            )
        )
    if not rows:
        raise AttendanceFileError(_("The file has no email addresses."))
    return rows


@transaction.atomic
def attendance_upload(*, session: LiveSession, raw: bytes, actor: Any) -> UploadOutcome:
    """Mark as attended the volunteers of the session's run whose address is in the meeting tool's
    export (matched without regard to case). Never unmarks; a volunteer not enrolled in the run is
    never marked, whatever the file says; rows matching nobody in the run are handed back. For a
    country coordinator, a volunteer of another country is nobody in the run."""
    rows = attendance_file_addresses(raw)  # raises before anything is written
    session = (
        LiveSession.objects.select_for_update(of=("self",)).select_related("run__course").get(pk=session.pk)
    )
    enrolled = {
        enrolment.volunteer.email.casefold(): enrolment.volunteer
        for enrolment in session_enrolled(session, actor)
        if enrolment.volunteer.email
    }
    outcome = UploadOutcome()
    seen: set[int] = set()
    unmatched_seen: set[str] = set()
    newly = []
    for values in rows:
        volunteer = next(
            (enrolled[value.casefold()] for value in values if value.casefold() in enrolled), None
        )
        if volunteer is None:
            shown = values[0]
            if shown.casefold() not in unmatched_seen:
                unmatched_seen.add(shown.casefold())
                outcome.unmatched.append(shown)
            continue
        if volunteer.pk in seen:
            continue  # Zoom lists a participant once per time they joined
        seen.add(volunteer.pk)
        if _mark(session=session, volunteer=volunteer, actor=actor, source=SessionAttendance.Source.UPLOAD):
            outcome.marked += 1
            newly.append(volunteer)
        else:
            outcome.already += 1
    _completions_check(session=session, volunteers=newly)
    return outcome
