"""Django's session middleware, except that an answer never deletes a session cookie it did not end.

Signing in replaces the session under a new key while the browser may have other requests in
flight with the old one: the service worker's update check (`/sw.js`), a font. Django answered
those by deleting the session cookie (their session no longer existed), and when that answer came
after the sign-in's, the browser dropped the new session and the person was signed out at once.
A request that found no session under its cookie now leaves the cookie alone (it names nothing);
one that emptied its session (signing out flushes it) still deletes it.
"""

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.utils.cache import patch_vary_headers


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
        return super().process_response(request, response)
