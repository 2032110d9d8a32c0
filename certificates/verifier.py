"""Checking a credential as a relying party: against a pinned issuer, fetching only under it.

A credential is untrusted input until its proof verifies, so nothing it names is trusted on its
own: its issuer must be one the operator pinned (this site's issuer by default, or
`CERTIFICATE_TRUSTED_ISSUERS`, or `--issuer` on the command line), and the only documents fetched
on its behalf are http(s) URLs under that issuer, with a timeout and a size cap. Local files are
read only when the operator names them on the command line, and are capped as well.
"""

import http.client
import json
import posixpath
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings

MAX_DOCUMENT_BYTES = 1024 * 1024  # an issuer profile or a status list is a few kilobytes
FETCH_TIMEOUT_SECONDS = 10
READ_CHUNK_BYTES = 64 * 1024


class SourceRefused(ValueError):
    """A document that must not be read, or could not be read within the limits; says why."""


def site_issuer_url() -> str:
    """This site's issuer profile, the issuer trusted when nothing else is configured."""
    return f"{settings.SITE_URL}/certificates/issuer.json"


def trusted_issuers() -> list[str]:
    """The issuer profiles verified against by default: `CERTIFICATE_TRUSTED_ISSUERS`, else this site's."""
    configured = [url.strip() for url in getattr(settings, "CERTIFICATE_TRUSTED_ISSUERS", []) if url.strip()]
    return configured or [site_issuer_url()]


def is_http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in {"http", "https"} and bool(parts.hostname)


def is_under_issuer(url: str, issuer_id: str) -> bool:
    """True when ``url`` is an http(s) URL on the issuer's origin, in the folder of its profile.

    ``https://site/certificates/status/revocation.json`` is under
    ``https://site/certificates/issuer.json``; another host, scheme, port, a path outside
    ``/certificates/``, credentials in the URL or dot segments are not.
    """
    if not (isinstance(url, str) and is_http_url(url) and is_http_url(issuer_id)):
        return False
    candidate, issuer = urlsplit(url), urlsplit(issuer_id)
    if candidate.username is not None or candidate.password is not None:
        return False
    if (candidate.scheme, candidate.netloc.lower()) != (issuer.scheme, issuer.netloc.lower()):
        return False
    path = unquote(candidate.path)
    if any(segment in {".", ".."} for segment in path.split("/")) or "\\" in path:
        return False
    folder = posixpath.dirname(issuer.path).rstrip("/") + "/"
    return path.startswith(folder)


def _no_redirects_opener() -> urllib.request.OpenerDirector:
    """http and https only: no file:, ftp: or data: handlers, and redirects are errors."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def _parse(data: bytes, source: str) -> dict:
    try:
        document = json.loads(data)
    except ValueError as error:
        raise SourceRefused(f"Cannot read {source}: not JSON ({error})") from error
    if not isinstance(document, dict):
        raise SourceRefused(f"Cannot read {source}: not a JSON object.")
    return document


def fetch_json(
    url: str, *, max_bytes: int = MAX_DOCUMENT_BYTES, timeout: float = FETCH_TIMEOUT_SECONDS
) -> dict:
    """A JSON object from an http(s) URL, refused past ``max_bytes`` or ``timeout`` seconds in all."""
    if not is_http_url(url):
        raise SourceRefused(f"Only http(s) URLs are fetched, not {url!r}.")
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 (http(s) only)
    try:
        with _no_redirects_opener().open(request, timeout=timeout) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise SourceRefused(f"{url} is larger than {max_bytes} bytes.")
            data = bytearray()
            while chunk := response.read(READ_CHUNK_BYTES):
                data += chunk
                if len(data) > max_bytes:
                    raise SourceRefused(f"{url} is larger than {max_bytes} bytes.")
                if time.monotonic() > deadline:
                    raise SourceRefused(f"{url} took longer than {timeout:g} seconds.")
    except (OSError, urllib.error.URLError, http.client.HTTPException, ValueError) as error:
        if isinstance(error, SourceRefused):
            raise
        raise SourceRefused(f"Cannot read {url}: {error}") from error
    return _parse(bytes(data), url)


def read_local_json(path: str, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> dict:
    """A JSON object from a file the operator named; refused past ``max_bytes``."""
    try:
        with Path(path).open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as error:
        raise SourceRefused(f"Cannot read {path}: {error}") from error
    if len(data) > max_bytes:
        raise SourceRefused(f"{path} is larger than {max_bytes} bytes.")
    return _parse(data, path)


def load_operator_json(source: str) -> dict:
    """A document the operator named on the command line: an http(s) URL or a local file."""
    return fetch_json(source) if is_http_url(source) else read_local_json(source)
