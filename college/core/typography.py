"""French typography a format string cannot express: "1er février", "d’Amal".

Django's French formats write the first of the month as "1 février", and a translated
"Résultat de %(name)s" cannot know whether the name starts with a vowel. These helpers fix
the text once it is formatted, and only when the active language is French.
"""

import re

from django.utils import dates, formats, translation

# A given name or a place starting with a vowel: "Amal", "Ixelles", "Evere", "Uccle". Not "Y"
# (de Yasmine, de Yolande), not a mute-or-not "h" (de Haren), not a code such as "A2".
_ELIDABLE = re.compile(r"\b([Dd]e|[Qq]ue) (?=[AEIOUÂÀÉÈÊÎÏÔÛÜaeiouâàéèêîïôûü][^\W\d_])")
_APOSTROPHE = "\u2019"


def is_french():
    return (translation.get_language() or "").split("-")[0] == "fr"


def elide(text):
    """ "de Amal" → "d’Amal", "que Ixelles" → "qu’Ixelles", in French; other text unchanged.

    Meant for a translated sentence with a name put in it, where the translation says "de"
    or "que" before the name.
    """
    if not is_french() or not text:
        return text
    return _ELIDABLE.sub(lambda match: match.group(1)[:-1] + _APOSTROPHE, str(text))


def _month_names():
    names = set()
    for table in (dates.MONTHS, dates.MONTHS_3, dates.MONTHS_AP, dates.MONTHS_ALT):
        names.update(str(name) for name in table.values())
    return sorted(names, key=len, reverse=True)


def first_of_month(text):
    """ "1 février" → "1er février" in French (an ordinal for the first day only)."""
    if not is_french() or not text:
        return text
    months = "|".join(re.escape(name) for name in _month_names())
    pattern = rf"(?<![\w,.])1 (?=(?:{months})(?![^\W\d_]))"
    return re.sub(pattern, "1er ", str(text), flags=re.IGNORECASE)


def date_format(value, format_name):
    """django.utils.formats.date_format, with "1er" for the first of the month in French."""
    return first_of_month(formats.date_format(value, format_name))


def colon():
    """ ":" as the active language writes it after a label: "\u00a0:" in French, ":" otherwise."""
    return "\u00a0:" if is_french() else ":"


def list_separator():
    """ "; " between the items of a list written as one line: "\u00a0; " in French."""
    return "\u00a0; " if is_french() else "; "
