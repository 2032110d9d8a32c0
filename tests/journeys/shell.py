"""The served site's shell (`ServedSite.shell`): reads one JSON-encoded piece of code per line on
stdin, runs it with Django set up against the site's database (the environment says which), and
answers one JSON line with what it printed, or the error."""

import contextlib
import io
import json
import sys
import traceback

import django


def main() -> None:
    django.setup()
    from django.db import connections

    for line in sys.stdin:
        printed = io.StringIO()
        try:
            with contextlib.redirect_stdout(printed):
                exec(json.loads(line), {})  # noqa: S102 (the journeys' own code)
            reply = {"printed": printed.getvalue()}
        except Exception:
            reply = {"printed": printed.getvalue(), "error": traceback.format_exc()}
        finally:
            connections.close_all()  # the next piece of code reads what the server wrote since
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
