"""Settings switch by environment variables alone; production refuses unsafe configuration."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLEAN_ENV_NAMES = (
    "DATABASE_URL",
    "DATABASE_JIT",
    "DATABASE_PREPARED_STATEMENTS",
    "REDIS_URL",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_PRIVATE_STORAGE_BUCKET_NAME",
    "AWS_PRIVATE_LOCATION",
    "PRIVATE_MEDIA_ROOT",
    "SECRET_KEY",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "CERTIFICATE_SIGNING_KEY",
    "CERTIFICATE_SIGNING_KEY_FILE",
)


def run_python(code: str, settings: str, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in CLEAN_ENV_NAMES}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": settings, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def read_settings(settings: str = "training.settings.dev", **env: str) -> dict:
    code = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], "
        "'name': str(s.DATABASES['default']['NAME']), 'options': s.DATABASES['default'].get('OPTIONS', {}), "
        "'cache': s.CACHES['default']['BACKEND'], 'storage': s.STORAGES['default']['BACKEND'], "
        "'storage_options': s.STORAGES['default'].get('OPTIONS', {}), 'private': s.STORAGES['private'], "
        "'session': s.SESSION_ENGINE, 'debug': s.DEBUG}))"
    )
    result = run_python(code, settings, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_variables_the_embedded_default_is_used():
    values = read_settings()
    assert values["engine"] == "django.db.backends.sqlite3"
    assert "journal_mode=WAL" in values["options"]["init_command"]
    assert values["options"]["transaction_mode"] == "IMMEDIATE"
    assert values["options"]["timeout"] >= 5
    assert values["cache"].endswith("LocMemCache")
    assert values["storage"].endswith("FileSystemStorage")
    assert values["private"] == {"BACKEND": "training.storage.PrivateFileSystemStorage"}
    assert values["session"] == "training.session_stores.db"


def test_variables_switch_to_postgresql_redis_and_s3():
    values = read_settings(
        DATABASE_URL="postgres://app:secret@db.internal:5432/training",
        REDIS_URL="redis://cache.internal:6379/0",
        AWS_STORAGE_BUCKET_NAME="media",
    )
    assert values["engine"] == "training.postgresql"  # Django's, with a cheaper health check
    assert values["name"] == "training"
    assert values["cache"] == "training.cache.FailsafeRedisCache"
    assert values["storage"] == "storages.backends.s3.S3Storage"
    assert values["storage_options"]["querystring_auth"] is False  # stable, cacheable media URLs
    assert values["private"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert values["private"]["OPTIONS"]["bucket_name"] == "media"  # no private bucket: a private prefix
    assert values["private"]["OPTIONS"]["location"] == "private"
    assert values["session"] == "training.session_stores.cached_db"


def test_postgresql_connections_turn_the_jit_compiler_off_unless_told_to_keep_the_servers():
    url = "postgres://app:secret@db.internal:5432/training"
    assert read_settings(DATABASE_URL=url)["options"]["options"] == "-c jit=off"
    # Options given in the URL are kept beside it.
    with_timeout = read_settings(DATABASE_URL=url + "?options=-c%20statement_timeout%3D5000")
    assert with_timeout["options"]["options"] == "-c statement_timeout=5000 -c jit=off"
    assert "options" not in read_settings(DATABASE_URL=url, DATABASE_JIT="server")["options"]
    assert "options" not in read_settings(DATABASE_URL="sqlite:////tmp/site.sqlite3")["options"]


def test_postgresql_queries_are_prepared_unless_a_pooler_forbids_it():
    url = "postgres://app:secret@db.internal:5432/training"
    options = read_settings(DATABASE_URL=url)["options"]
    assert (options["server_side_binding"], options["prepare_threshold"]) == (True, 5)
    off = read_settings(DATABASE_URL=url, DATABASE_PREPARED_STATEMENTS="off")["options"]
    assert "server_side_binding" not in off and "prepare_threshold" not in off


@pytest.mark.scaleout
@pytest.mark.django_db
def test_a_query_run_five_times_is_prepared_on_the_server():
    from django.db import connection

    from volunteers.models import User

    for _ in range(6):
        list(User.objects.filter(email="nobody@example.org"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%email%"])
        assert cursor.fetchone()[0] >= 1


@pytest.mark.scaleout
@pytest.mark.django_db
def test_the_sites_postgresql_connection_runs_without_jit():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def test_a_private_bucket_holds_the_private_files():
    values = read_settings(AWS_STORAGE_BUCKET_NAME="media", AWS_PRIVATE_STORAGE_BUCKET_NAME="personal")
    assert values["storage_options"]["bucket_name"] == "media"
    assert values["private"]["OPTIONS"]["bucket_name"] == "personal"


def test_media_behind_the_sites_own_proxy_have_its_origin_and_private_files_keep_signed_urls():
    """deploy/compose.yaml: Caddy passes GETs of /media/ to the media bucket."""
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "from django.core.files.storage import storages; "
        "print(json.dumps([storages['default'].url('images/a b.jpg'), "
        "storages['private'].url('certificates/x.pdf'), s.MEDIA_ORIGINS, "
        "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']]))"
    )
    result = run_python(
        code,
        "training.settings.dev",
        AWS_STORAGE_BUCKET_NAME="training-media",
        AWS_PRIVATE_STORAGE_BUCKET_NAME="training-private",
        AWS_S3_ENDPOINT_URL="http://store:9000",
        AWS_S3_CUSTOM_DOMAIN="training.example.org:8443/media/",
        AWS_ACCESS_KEY_ID="key",
        AWS_SECRET_ACCESS_KEY="secret",
    )
    assert result.returncode == 0, result.stderr
    public, private, origins, img_src = json.loads(result.stdout.strip().splitlines()[-1])
    assert public == "https://training.example.org:8443/media/images/a%20b.jpg"
    assert private.startswith("http://store:9000/training-private/private/certificates/x.pdf?")
    assert "Signature=" in private
    assert origins == ["https://training.example.org:8443"]
    assert "http://store:9000" not in img_src


def test_secrets_can_come_from_files_as_container_secrets_are_mounted(tmp_path):
    (tmp_path / "secret_key").write_text("from-a-file-" + "k" * 50 + "\n")
    (tmp_path / "database_url").write_text("postgres://app:pass@db.internal:5432/training\n")
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "db = s.DATABASES['default']; print(json.dumps([s.SECRET_KEY, db['HOST'], db['PASSWORD']]))"
    )
    result = run_python(
        code,
        "training.settings.production",
        SECRET_KEY_FILE=str(tmp_path / "secret_key"),
        DATABASE_URL_FILE=str(tmp_path / "database_url"),
        CERTIFICATE_SIGNING_KEY_FILE=str(tmp_path / "signing.key"),
        ALLOWED_HOSTS="training.example.org",
    )
    assert result.returncode == 0, result.stderr
    secret_key, host, password = json.loads(result.stdout.strip().splitlines()[-1])
    assert (secret_key, host, password) == ("from-a-file-" + "k" * 50, "db.internal", "pass")

    missing = run_python(
        "import django; django.setup()",
        "training.settings.production",
        SECRET_KEY_FILE=str(tmp_path / "nowhere"),
        CERTIFICATE_SIGNING_KEY_FILE=str(tmp_path / "signing.key"),
    )
    assert missing.returncode != 0
    assert "SECRET_KEY_FILE names" in missing.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = run_python("import django; django.setup()", "training.settings.production")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_a_certificate_signing_key():
    result = run_python("import django; django.setup()", "training.settings.production", SECRET_KEY="s" * 50)
    assert result.returncode != 0
    assert "CERTIFICATE_SIGNING_KEY" in result.stderr


@pytest.mark.parametrize("preload", ["false", "true"])
def test_check_deploy_is_clean_under_production_settings(preload):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in CLEAN_ENV_NAMES},
            "DJANGO_SETTINGS_MODULE": "training.settings.production",
            "SECRET_KEY": "x7#" + "k" * 30 + "Zq!9$vW2&pL0@mN5^bR8*cT3(yU6)eI1-oA4_sD7+fG",
            "ALLOWED_HOSTS": "training.example.org",
            "CERTIFICATE_SIGNING_KEY": "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq",
            "SECURE_HSTS_PRELOAD": preload,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
