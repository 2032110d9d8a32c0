import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "training.settings.dev")

application = get_asgi_application()

# Production refuses to serve with throttle counters kept per worker (training/checks.py).
from training.checks import refuse_per_process_counters  # noqa: E402

refuse_per_process_counters()
