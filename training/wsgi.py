import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "training.settings.dev")

application = get_wsgi_application()

# Production refuses to serve with throttle counters kept per worker (training/checks.py).
from training.checks import refuse_per_process_counters  # noqa: E402

refuse_per_process_counters()
