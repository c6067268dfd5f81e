"""The three languages of every label: which one is active, and a label in it."""

import unicodedata

from django.utils.translation import get_language

LANGUAGE_CODES = ("fr", "nl", "en")


def active_language():
    """The active UI language reduced to one of ours (fr when anything else is active)."""
    code = (get_language() or "fr").split("-")[0]
    return code if code in LANGUAGE_CODES else "fr"


def normalise_for_search(text):
    """Lower-case, accent-free, apostrophe-free text, so that 'sécurité' finds 'Securite'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    stripped = stripped.replace("’", "'").replace("'", " ")
    return " ".join(stripped.casefold().split())


class Translated:
    """Reads `<field>_<lang>` in the active language, falling back to French, then English."""

    def translated(self, field):
        for code in (active_language(), "fr", "en"):
            value = getattr(self, f"{field}_{code}", "")
            if value:
                return value
        return ""
