"""The Latin-script words the admin may show in Thai (tests/journeys/test_admin_in_thai.py) that are
neither a name or code from the site's data nor left untranslated. Each says why. At most 40: a
longer list would be a way round the test rather than a record of exceptions."""

ALLOWED = {
    # Names of software and services, which Thai writes in Latin script.
    "Wagtail": "the name of the software (its version in the Settings menu, 'What's new in Wagtail')",
    "Google": "a calendar and meeting service named in the live-session help",
    "Meet": "Google Meet, a meeting service the live-session help names",
    "Microsoft": "Microsoft Teams, a meeting service the live-session help names",
    "Teams": "Microsoft Teams, a meeting service the live-session help names",
    "Zoom": "a meeting service the live-session help names",
    "Authenticator": "Google and Microsoft Authenticator, apps the two-step set-up names",
    "FreeOTP": "an authenticator app the two-step set-up names",
    # File formats and units, written in Latin script in Thai software.
    "CSV": "a file format (exports, imports)",
    "XLSX": "a file format (exports, the question template)",
    "PDF": "a file format (certificates)",
    "PNG": "an image format the upload accepts",
    "JPEG": "an image format the upload accepts",
    "JPG": "an image format's file extension the upload accepts",
    "GIF": "an image format the upload accepts",
    "WEBP": "an image format the upload accepts",
    "AVIF": "an image format the upload accepts",
    "KB": "a file size unit",
    "MB": "a file size unit",
    "UTF": "UTF-8, the text encoding an imported CSV file must use",
    "PO": "Gettext's translation file format, which the translation editor downloads and uploads",
    "URL": "a web address, as Thai software names it",
    "https": "the scheme of a web address in an example",
    # The question formats the question bank imports, named as Moodle names them.
    "Moodle": "the learning platform whose question formats (GIFT, Aiken) the question bank imports",
    "GIFT": "a question file format of Moodle's that the question bank imports",
    "Aiken": "a question file format of Moodle's that the question bank imports",
    # Codes and standards.
    "UTC": "the time standard beside times stored in UTC",
    "ISO": "ISO 3166, the standard of the country codes a help line takes",
    "SHA": "SHA-256, the fingerprint of a certificate's PDF",
    "OTP": "one-time password, as Thai banking and government apps name the two-step code",
    "ID": "an identifier, as Thai software names it",
    "MSDHS": "the ministry's English initials, part of every certificate code",
    # Keys, as keyboards print them.
    "Ctrl": "the Control key in the editor's keyboard shortcuts (Ctrl + B)",
    "Alt": "the Alt key in the editor's keyboard shortcuts (Ctrl + Alt + M)",
    # Languages named in their own language, so a reader of that language finds theirs.
    "English": "the English language, named in English in the language choices",
}
