"""Counting a request's queries the same way under either session engine."""


def beyond_the_session(captured) -> list[str]:
    """The SQL of the captured queries, the session store's own left out.

    The session store's queries depend on its engine (the database on the embedded default, a cache
    in front of it when scaled out), so they are left out; every other query counts.
    """
    return [query["sql"] for query in captured.captured_queries if "django_session" not in query["sql"]]
