"""Django's database session stores (SESSION_ENGINE), with the session read on every signed-in
request compiled to SQL once per process (training.precompiled): the ORM took longer to build that
query than the database to answer it. `db` without Redis; `cached_db` with it, which reads the
database only when Redis does not hold the session.
"""

from django.contrib.sessions.models import Session
from django.utils import timezone

from training.precompiled import STAND_IN_MOMENT, STAND_IN_TEXT, Precompiled

_session_row = Precompiled(
    lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now).order_by()[:1],
    STAND_IN_TEXT,
    STAND_IN_MOMENT,
)


class CompiledLoad:
    """`_get_session_from_db` as Django's database store has it, with the query compiled once."""

    def _get_session_from_db(self):
        session = _session_row.first(self.session_key, timezone.now()) if self.session_key else None
        if session is None:
            self._session_key = None
        return session
