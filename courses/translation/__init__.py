"""Translation: English versions of courses with wagtail-localize, kept in step with the Thai pages,
the editors-only translate views, and the privacy provider for what wagtail-localize keeps about
translators. Uses authoring only.
"""
