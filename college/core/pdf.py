"""HTML to PDF: the one place Passerelle prints, so every document gets one output rule."""

from college.core.text import LINE_BREAKS, xml_safe


def html_to_pdf(html):
    """Tagged PDF bytes (for screen readers) of an HTML string rendered by a template.

    Stored text can hold what forms now refuse (rows written before the rule, a bulk loader):
    `xml_safe` drops what HTML cannot carry, and the line and paragraph separators (U+2028,
    U+2029), next line and the other breaks become newlines, which WeasyPrint's line breaker
    handles (it fails an assertion on a separator met between two lines).
    """
    # Imported here: WeasyPrint takes most of a second to load, and only printing needs it.
    import weasyprint

    html = LINE_BREAKS.sub("\n", xml_safe(html))
    return weasyprint.HTML(string=html, base_url=None).write_pdf(pdf_tags=True)
