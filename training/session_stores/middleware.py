"""Django's session middleware, except that an answer never deletes a session cookie it did not end.

Signing in replaces the session under a new key while the browser may have other requests in
flight with the old one: the service worker's update check (`/sw.js`), a font. Django answered
those by deleting the session cookie (their session no longer existed), and when that answer came
after the sign-in's, the browser dropped the new session and the person was signed out at once.
A request that found no session under its cookie now leaves the cookie alone (it names nothing);
one that emptied its session (signing out flushes it) still deletes it.

Signing out races the same way: a request in flight (the service worker refreshing a course's
offline copy) that changed its session finds it deleted when saving it. Django answers 400, as here
(the answer is not sent: the service worker must not keep a signed-out person's data), but logged
it as a failure with a traceback; it is what signing out does, logged as such.
"""

import logging

from django.conf import settings
from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.http import HttpResponseBadRequest
from django.utils.cache import patch_cache_control, patch_vary_headers

logger = logging.getLogger(__name__)


class SessionMiddleware(DjangoSessionMiddleware):
    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if (
            session is not None
            and not session.modified
            and settings.SESSION_COOKIE_NAME in request.COOKIES
            and session.is_empty()
        ):
            if session.accessed:
                patch_vary_headers(response, ("Cookie",))
            return response
        try:
            return super().process_response(request, response)
        except SessionInterrupted:
            logger.info("Session ended by a concurrent sign-out; answered 400: %s", request.path)
            refused = HttpResponseBadRequest()
            patch_cache_control(refused, private=True, no_store=True)
            return refused
