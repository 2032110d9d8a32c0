"""SESSION_ENGINE without Redis: sessions in the database (see the package)."""

from django.contrib.sessions.backends import db

from training.session_stores import CompiledLoad


class SessionStore(CompiledLoad, db.SessionStore):
    """Django's database store; the session's read compiled once (CompiledLoad)."""
