"""The document form of the Wagtail admin (WAGTAILDOCS_DOCUMENT_FORM_BASE): lesson files must be
what their names say."""

from django.conf import settings
from wagtail.documents.forms import BaseDocumentForm

from volunteers.uploads import validate_upload


class LessonDocumentForm(BaseDocumentForm):
    """Wagtail's document form, also refusing a file whose content does not match its extension."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data:
            validate_upload(upload, max_bytes=settings.WAGTAILDOCS_MAX_UPLOAD_SIZE)
        return upload
