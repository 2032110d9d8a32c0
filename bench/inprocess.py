"""In-process benchmarks: certificate PDF rendering and credential signing, warm, in one process;
and the sizing facts operators plan with (database size, people, certificates, PDF size).

Run by bench/run.py with the bench settings; prints one JSON line.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "training.settings.bench")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    import django

    django.setup()
    from certificates import credentials
    from certificates.models import Certificate
    from certificates.services import _sign_credential, certificate_pdf_bytes

    certificate = Certificate.objects.filter(status="valid").select_related("volunteer").first()
    if certificate is None:
        raise SystemExit("The dataset has no certificate.")
    certificate_pdf_bytes(certificate)  # warm: fonts, templates, imports
    pdf_ms = []
    for _ in range(30):
        started = time.perf_counter()
        certificate_pdf_bytes(certificate)
        pdf_ms.append((time.perf_counter() - started) * 1000)
    _sign_credential(certificate)
    sign_ms = []
    for _ in range(200):
        started = time.perf_counter()
        _sign_credential(certificate)
        sign_ms.append((time.perf_counter() - started) * 1000)
    key = credentials.generate_private_key()
    raw_ms = []
    for _ in range(500):
        started = time.perf_counter()
        credentials.sign(
            certificate.credential, key, verification_method="x#key-1", created="2026-01-01T00:00:00Z"
        )
        raw_ms.append((time.perf_counter() - started) * 1000)
    print(
        "INPROCESS_JSON "
        + json.dumps(
            {
                "pdf_p50_ms": statistics.median(pdf_ms),
                "pdf_p95_ms": percentile(pdf_ms, 0.95),
                "sign_p50_ms": statistics.median(sign_ms),
                "sign_p95_ms": percentile(sign_ms, 0.95),
                "raw_sign_p50_ms": statistics.median(raw_ms),
                **sizing(),
            }
        )
    )


def sizing() -> dict:
    """What the dataset occupies: the database's size, the people and certificates in it, and the
    mean size of a certificate's PDF over twenty different certificates (names and courses)."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from certificates.models import Certificate
    from certificates.services import certificate_pdf_bytes
    from courses.models import CourseCompletion

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            database_bytes = cursor.fetchone()[0]
        else:
            cursor.execute("PRAGMA page_count")
            pages = cursor.fetchone()[0]
            cursor.execute("PRAGMA page_size")
            database_bytes = pages * cursor.fetchone()[0]
    sample = list(Certificate.objects.select_related("volunteer").order_by("?")[:20])
    pdf_bytes = [len(certificate_pdf_bytes(certificate)) for certificate in sample]
    return {
        "database_mb": database_bytes / 1e6,
        "people": get_user_model().objects.count(),
        "completions": CourseCompletion.objects.count(),
        "certificates": Certificate.objects.count(),
        "pdf_kb": statistics.mean(pdf_bytes) / 1e3 if pdf_bytes else 0.0,
    }


if __name__ == "__main__":
    main()
