"""In-process benchmarks: certificate PDF rendering and credential signing, warm, in one process.

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
            }
        )
    )


if __name__ == "__main__":
    main()
