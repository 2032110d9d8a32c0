"""The container's health check: GET /healthz from inside the container, as the site's host name.

Exit 0 when the site answers 200 (the database, the cache and both storages answer), 1 otherwise.
Plain HTTP on the container's own port: production exempts /healthz from the redirect to HTTPS
(SECURE_REDIRECT_EXEMPT), and the Host header is the site's, as ALLOWED_HOSTS expects.
"""

import http.client
import os
import sys
import urllib.parse

host = urllib.parse.urlsplit(os.environ.get("SITE_URL", "http://localhost")).netloc
port = int(os.environ.get("GUNICORN_BIND", "0.0.0.0:8000").rsplit(":", 1)[1])
try:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=4)
    connection.request("GET", "/healthz", headers={"Host": host})
    sys.exit(0 if connection.getresponse().status == 200 else 1)
except OSError:
    sys.exit(1)
