"""Lesson content blocks: what a trainer can put in a lesson body, leaf blocks first.

Each block has an icon, a label, a template that reads `value`, and a preview value for the
block picker in the admin. The quiz question blocks are in `courses.quizzes.blocks`.
"""

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.embeds.embeds import get_embed
from wagtail.embeds.exceptions import EmbedException
from wagtail.images.blocks import ImageChooserBlock

# Rich text in lessons: enough to write clearly, nothing that breaks the page layout.
LESSON_RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]

VIDEO_EXTENSIONS = {"mp4", "webm"}
CAPTION_EXTENSIONS = {"vtt"}


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Section heading")), ("h3", _("Subheading"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "blocks/heading_block.html"
        description = _("A heading that divides the lesson into sections.")
        preview_value = {"text": _("What a volunteer does"), "level": "h2"}


class LessonRichTextBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        super().__init__(features=LESSON_RICH_TEXT_FEATURES, **kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Text")
        template = "blocks/rich_text_block.html"
        description = _("Paragraphs with bold, italic, links and lists.")
        preview_value = format_lazy(
            "<p>{}</p>", _("A volunteer listens first, believes the person and explains the options.")
        )


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=250,
        help_text=_("Describe the image for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), max_length=250, required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blocks/figure_block.html"
        description = _("An image with alternative text and an optional caption.")

    def get_preview_value(self):
        from wagtail.images import get_image_model

        image = get_image_model().objects.order_by("-created_at").first()
        return self.to_python(
            {"image": image.pk if image else None, "alt_text": _("An example image"), "caption": ""}
        )


class VideoBlock(blocks.StructBlock):
    video = DocumentChooserBlock(
        label=_("Video file"), help_text=_("An uploaded MP4 or WebM file from the documents library.")
    )
    captions = DocumentChooserBlock(
        label=_("Captions"), required=False, help_text=_("A WebVTT (.vtt) captions file.")
    )
    captions_language = blocks.ChoiceBlock(
        label=_("Captions language"),
        choices=[("th", "ไทย"), ("en", "English")],
        default="th",
    )
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    transcript = blocks.RichTextBlock(
        label=_("Transcript"), features=LESSON_RICH_TEXT_FEATURES, required=False
    )

    class Meta:
        icon = "media"
        label = _("Video")
        template = "blocks/video_block.html"
        description = _("An uploaded video that plays on the page and can be seeked on a phone.")

    def clean(self, value):
        errors = {}
        video = value.get("video")
        if video and video.file_extension.lower() not in VIDEO_EXTENSIONS:
            errors["video"] = ValidationError(_("Choose an MP4 or WebM video file."))
        captions = value.get("captions")
        if captions and captions.file_extension.lower() not in CAPTION_EXTENSIONS:
            errors["captions"] = ValidationError(_("Choose a WebVTT (.vtt) captions file."))
        if errors:
            raise blocks.StructBlockValidationError(block_errors=errors)
        return super().clean(value)

    def get_preview_value(self):
        from wagtail.documents import get_document_model

        video = get_document_model().objects.filter(file__iendswith=".mp4").order_by("-created_at").first()
        return self.to_python(
            {"video": video.pk if video else None, "title": _("An example video"), "captions_language": "th"}
        )


def embed_player(embed_value) -> str:
    """The provider's player for an embed, or "" for an address shown as a link only (one no oEmbed
    provider knows: courses/authoring/embeds.py) or one that cannot be fetched now."""
    if not embed_value:
        return ""
    try:
        embed = get_embed(embed_value.url, embed_value.max_width, embed_value.max_height)
    except EmbedException:
        return ""
    # Wagtail's own markup for it (what EmbedValue.html renders), from the one lookup.
    return render_to_string("wagtailembeds/embed_frontend.html", {"embed": embed}) if embed.html else ""


class ExternalEmbedBlock(blocks.StructBlock):
    url = EmbedBlock(label=_("Address of the external content"))
    title = blocks.CharBlock(label=_("Title"), max_length=200)

    class Meta:
        icon = "link-external"
        label = _("External embed")
        template = "blocks/external_embed_block.html"
        description = _("Content from another site, such as a video platform, with a link to it.")
        preview_value = {"url": "", "title": _("An external resource")}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["player"] = embed_player(value["url"])
        return context


class DownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    description = blocks.CharBlock(label=_("Description"), max_length=300, required=False)

    class Meta:
        icon = "doc-full"
        label = _("Download")
        template = "blocks/download_block.html"
        description = _("A document the reader can download, such as a form or a handout.")

    def get_preview_value(self):
        from wagtail.documents import get_document_model

        document = get_document_model().objects.order_by("-created_at").first()
        return self.to_python(
            {"document": document.pk if document else None, "title": _("An example handout")}
        )


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Kind"), choices=[("info", _("Information")), ("warning", _("Warning"))], default="info"
    )
    title = blocks.CharBlock(label=_("Title"), max_length=200, required=False)
    text = blocks.RichTextBlock(label=_("Text"), features=LESSON_RICH_TEXT_FEATURES)

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "blocks/callout_block.html"
        description = _("A highlighted box for information or a warning.")
        preview_value = {
            "kind": "warning",
            "title": _("Safety first"),
            "text": format_lazy("<p>{}</p>", _("Never confront an abuser yourself.")),
        }


class HelpLinesBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200, default=_("Where to get help"))
    intro = blocks.CharBlock(label=_("Introduction"), max_length=300, required=False)

    class Meta:
        icon = "help"
        label = _("Help lines")
        template = "blocks/help_lines_block.html"
        description = _("Help lines kept by staff, for the reader's country of residence when it is known.")
        preview_value = {"title": _("Where to get help"), "intro": ""}

    def get_context(self, value, parent_context=None):
        from courses.authoring.selectors import help_lines_for, reader_country

        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        country = reader_country(request)
        context["help_lines"] = help_lines_for(country=country)
        context["reader_country"] = country
        return context


class KeyPointsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200, default=_("Key points"))
    points = blocks.ListBlock(blocks.CharBlock(label=_("Point"), max_length=300), label=_("Points"))

    class Meta:
        icon = "list-ul"
        label = _("Key points")
        template = "blocks/key_points_block.html"
        description = _("A short list of the points to remember.")
        preview_value = {
            "title": _("Key points"),
            "points": [_("Listen without judging."), _("Keep what you hear confidential.")],
        }


class QuestionAnswerBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=300)
    answer = blocks.RichTextBlock(label=_("Answer"), features=LESSON_RICH_TEXT_FEATURES)


class AccordionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200, required=False)
    items = blocks.ListBlock(QuestionAnswerBlock(), label=_("Questions and answers"))

    class Meta:
        icon = "list-ol"
        label = _("Questions and answers")
        template = "blocks/accordion_block.html"
        description = _("Questions whose answers open on a tap, also without JavaScript.")
        preview_value = {
            "title": _("Common questions"),
            "items": [
                {
                    "question": _("Can I tell anyone what I hear?"),
                    "answer": format_lazy("<p>{}</p>", _("Only with consent, or when a life is in danger.")),
                }
            ],
        }


class ReflectionBlock(blocks.StructBlock):
    prompt = blocks.TextBlock(label=_("Prompt"), max_length=600)

    class Meta:
        icon = "comment"
        label = _("Reflection")
        template = "blocks/reflection_block.html"
        description = _("A question for the reader to think about before going on.")
        preview_value = {"prompt": _("Think of a time someone listened to you well. What did they do?")}


class LessonBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    text = LessonRichTextBlock()
    image = FigureBlock()
    video = VideoBlock()
    embed = ExternalEmbedBlock()
    download = DownloadBlock()
    callout = CalloutBlock()
    help_lines = HelpLinesBlock()
    key_points = KeyPointsBlock()
    accordion = AccordionBlock()
    reflection = ReflectionBlock()
