"""Load without loss: simulated volunteers against gunicorn, then a count of what the database holds.

`make loadtest` runs `loadtest/run.py`; tests/training/test_loadtest.py runs a short form of it.
"""
