"""The image form of the Wagtail admin (WAGTAILIMAGES_IMAGE_FORM_BASE): a picture is accepted only
if it can be decoded, so a file with a valid header and a damaged body is a form error, not a
server error when Wagtail reads it or makes its renditions."""

from django.core.exceptions import ValidationError
from PIL import Image as PillowImage
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

# Pillow decodes a JPEG at an eighth of its size as fast as it reads it; damage shows all the same.
JPEG_DRAFT_SCALE = 8


def decode_picture(upload) -> None:
    """Decode the whole picture (raising what Pillow raises for a damaged file), then rewind."""
    upload.seek(0)
    with PillowImage.open(upload) as picture:
        if picture.format == "JPEG":
            width, height = picture.size
            picture.draft(
                picture.mode, (max(1, width // JPEG_DRAFT_SCALE), max(1, height // JPEG_DRAFT_SCALE))
            )
        picture.load()
    upload.seek(0)


class DecodedImageField(WagtailImageField):
    """Wagtail's image field, refusing any file Pillow cannot read to its end.

    Wagtail turns the errors of opening a file into "Upload a valid image", but not those Pillow
    raises once it reads the header (the size, the frames) or the pixels, which differ by format
    (`UnidentifiedImageError`, `OSError`, `SyntaxError`, `ValueError`, `EOFError`, ...): each of
    them is the same form error here.
    """

    def to_python(self, data):
        try:
            upload = super().to_python(data)
            if upload is not None and upload.image.mime_type != "image/svg+xml":
                decode_picture(upload)
        except ValidationError:
            raise
        except Exception as error:  # whatever a damaged file makes Pillow raise
            raise ValidationError(self.error_messages["invalid_image"], code="invalid_image") from error
        return upload


class LessonImageForm(BaseImageForm):
    """Wagtail's image form (adding, editing, the multiple uploader and the chooser's upload)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Made for each form, as Wagtail makes its own, so the upload limits are read from the
        # settings in force.
        field = self.fields.get("file")  # the multiple uploader's edit form has none
        if field is not None:
            self.fields["file"] = DecodedImageField(label=field.label, required=field.required)
