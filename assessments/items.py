"""What an item of the bank must be written in and which figures it may hold: the rules the
admin enforces when an item is saved, and the staff pages follow when they show one."""

import xml.etree.ElementTree as ElementTree

from django.utils.translation import gettext_lazy as _

from assessments.models import Competency

LANGUAGE_NAMES = {"fr": _("French"), "nl": _("Dutch"), "en": _("English")}
READING_LANGUAGES = {Competency.READING_FR: "fr", Competency.READING_NL: "nl"}


def item_languages(item):
    """The languages an item must be written in: its passage's for comprehension, else FR and NL."""
    if item.competency in READING_LANGUAGES:
        return [item.passage.language if item.passage else READING_LANGUAGES[item.competency]]
    return ["fr", "nl"]


SVG_ELEMENTS = {"svg", "g", "circle", "rect", "polygon", "line", "path"}
SVG_ATTRIBUTES = {
    "viewBox", "fill", "stroke", "stroke-width", "transform", "points", "d", "cx", "cy", "r",
    "x", "y", "width", "height", "x1", "y1", "x2", "y2",
}  # fmt: skip


def svg_clean(svg):
    """The figure rebuilt from its parsed shapes, or "" when it holds anything the bank does not
    allow (other elements or attributes, text, links): safe to place in a page as it is."""
    try:
        root = ElementTree.fromstring(svg)
    except (ElementTree.ParseError, TypeError):
        return ""
    if root.tag != "svg":
        return ""
    for element in root.iter():
        if (
            element.tag not in SVG_ELEMENTS
            or not set(element.attrib) <= SVG_ATTRIBUTES
            or any("url(" in value.lower() for value in element.attrib.values())
            or (element.text or "").strip()
            or (element is not root and (element.tail or "").strip())
        ):
            return ""
    # Serialising the tree drops comments, doctypes and processing instructions.
    return ElementTree.tostring(root, encoding="unicode", short_empty_elements=True)


def svg_is_safe(svg):
    return bool(svg_clean(svg))
