"""The PostgreSQL backend the site runs on (`ENGINE = "training.postgresql"`): Django's, with a health
check that needs no round trip when a kept connection plainly lives (base.py)."""
