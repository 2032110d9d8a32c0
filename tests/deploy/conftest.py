"""The journey through the deployed stack that `make test-deploy` (scripts/test-deploy.sh) starts:
collected only there, where DEPLOY_SITE_URL names the stack's HTTPS address."""

import os
from urllib.parse import urlsplit

import pytest

collect_ignore_glob = [] if os.environ.get("DEPLOY_SITE_URL") else ["test_*.py"]


@pytest.fixture(scope="session")
def deploy_url() -> str:
    return os.environ["DEPLOY_SITE_URL"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """The stack's host name (a real name for Caddy's certificate) resolves to this machine."""
    host = urlsplit(os.environ["DEPLOY_SITE_URL"]).hostname
    args = [*browser_type_launch_args.get("args", []), f"--host-resolver-rules=MAP {host} 127.0.0.1"]
    return {**browser_type_launch_args, "args": args}
