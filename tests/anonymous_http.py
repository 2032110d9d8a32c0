"""What a client without credentials or cookies gets: the stranger of the S3 and storage tests."""

import urllib.error
import urllib.request


def anonymous_status(url: str) -> int:
    """The status a client without credentials gets for a plain GET of the URL."""
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 (the local S3 server)
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code
