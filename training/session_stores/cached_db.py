"""SESSION_ENGINE with Redis: sessions in the cache, written through to the database (see the package)."""

from django.contrib.sessions.backends import cached_db

from training.session_stores import CompiledLoad


class SessionStore(CompiledLoad, cached_db.SessionStore):
    """Django's cached database store; its database read compiled once (CompiledLoad)."""
