"""Every document Passerelle prints goes through `college.core.pdf.html_to_pdf`: whatever text is
stored, it gives a PDF whose text can be read back."""

import io

from hypothesis import example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from college.core.pdf import html_to_pdf

BREAKS = ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\r", "\r\n", "\n", "\t", " "]
# Text with every kind of line break between words, as rows written before the input rule hold.
stored = st.lists(
    st.sampled_from(BREAKS) | st.text(alphabet="abcé ", min_size=1, max_size=6), max_size=12
).map("".join)


@settings(max_examples=25, deadline=None)
@given(text=stored)
@example(text=" \u2029")
@example(text="word \u2029 word \u2028\x85\x0c\x0b end")
def test_stored_breaks_print_as_readable_lines(text):
    html = (
        f"<html lang='fr'><body><p>{text}</p><p style='white-space: pre-line'>{text}</p>"
        f"<p style='width: 2cm'>{text}</p></body></html>"
    )
    reader = PdfReader(io.BytesIO(html_to_pdf(html)))
    assert reader.pages
    printed = "".join(page.extract_text() for page in reader.pages)
    # The three paragraphs' letters, in order: no word lost or garbled by the breaks.
    assert [c for c in printed if c.isalpha()] == [c for c in text if c.isalpha()] * 3
