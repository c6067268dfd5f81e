"""Every page speaks French by default, Dutch and English on request, with the right <html lang>;
the catalogues are complete (every plural form), and French text keeps French typography."""

import re

import pytest

from tests.po import LANGUAGES, LOCALE, po_path, read_catalogue

pytestmark = pytest.mark.django_db


def html_lang(response):
    return re.search(r'<html lang="([a-z-]+)"', response.content.decode()).group(1)


def test_the_home_page_is_in_french_by_default(client, reference_data):
    response = client.get("/")
    assert html_lang(response) == "fr"
    assert "Vos compétences comptent plus que votre diplôme" in response.content.decode()


@pytest.mark.parametrize(
    ("accept", "lang", "headline"),
    [
        ("nl-BE,nl;q=0.9", "nl", "Je vaardigheden tellen meer dan je diploma"),
        ("en-GB,en;q=0.8", "en", "Your skills count more than your diploma"),
    ],
)
def test_the_browser_language_is_followed(client, reference_data, accept, lang, headline):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert html_lang(response) == lang
    assert headline in response.content.decode()
    assert response["Content-Language"] == lang


def test_the_language_switcher_works_without_javascript_and_sticks(client, reference_data):
    response = client.post("/i18n/setlang/", {"language": "nl", "next": "/roles/"})
    assert response.status_code == 302
    assert response["Location"] == "/roles/"
    page = client.get("/roles/")
    assert html_lang(page) == "nl"
    assert "Gemeenschapswacht" in page.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert html_lang(client.get("/")) == "en"


def test_lang_in_the_address_overrides_the_language_for_that_page(client, reference_data):
    response = client.get("/roles/peace-guard/?lang=nl")
    assert html_lang(response) == "nl"
    assert "Gemeenschapswacht" in response.content.decode()


def test_every_page_carries_the_language_switcher(client, reference_data):
    for url in ("/", "/roles/", "/roles/peace-guard/", "/accounts/login/", "/accounts/signup/"):
        page = client.get(url).content.decode()
        assert 'action="/i18n/setlang/"' in page, url
        for code in ("fr", "nl", "en"):
            assert f'value="{code}"' in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_interface_string_is_translated(language):
    catalogue = read_catalogue(language)
    assert len(catalogue.entries) > 100
    untranslated = [entry.msgid for entry in catalogue.entries if not all(entry.forms)]
    assert untranslated == []
    assert [entry.msgid for entry in catalogue.entries if "fuzzy" in entry.flags] == []
    compiled = LOCALE / language / "LC_MESSAGES" / "django.mo"
    assert compiled.exists()
    assert compiled.stat().st_mtime >= po_path(language).stat().st_mtime - 1


@pytest.mark.parametrize(("language", "nplurals"), [("fr", 3), ("nl", 2), ("en", 2)])
def test_every_plural_entry_has_as_many_forms_as_its_language_declares(language, nplurals):
    # French counts 0 and 1 as singular and has a third form for millions: a catalogue
    # that fills two of three forms shows the English msgid_plural for 2 and more.
    catalogue = read_catalogue(language)
    assert catalogue.nplurals == nplurals
    plurals = [entry for entry in catalogue.entries if entry.msgid_plural is not None]
    assert len(plurals) > 10
    wrong = [
        (entry.msgid, len(entry.forms))
        for entry in plurals
        if len(entry.forms) != nplurals or not all(form.strip() for form in entry.forms)
    ]
    assert wrong == []


# What is not French prose in a msgstr: code, addresses, times (10:30), placeholders, markup,
# and tokens such as "nl:B1" or "passerelle:role".
NOT_PROSE = re.compile(
    r"<code>.*?</code>|https?://\S+|\b\d{1,2}:\d{2}\b|%\(\w+\)[sdf]|%[sdf]|\{[^}]*\}"
    r"|<[^>]*>|&\w+;|\w+:\w+",
    re.DOTALL,
)
THIN_SPACES = "\u00a0\u202f"


def french_typography_faults(text):
    """The places where French typography wants a non-breaking space and finds none."""
    prose = NOT_PROSE.sub("X", text)
    faults = [
        prose[max(0, match.start() - 20) : match.end() + 5]
        for match in re.finditer(r"(.)[:;?!]", prose)
        if match.group(1) not in THIN_SPACES
    ]
    # A number and its per cent sign stay on one line: "50 %".
    faults += [
        prose[max(0, match.start() - 20) : match.end() + 5]
        for match in re.finditer(r"[\dX] ?%", prose)
    ]
    faults += [
        prose[max(0, match.start() - 10) : match.end() + 10]
        for match in re.finditer(r"«(.)|(.)»", prose)
        if (match.group(1) or match.group(2)) not in THIN_SPACES
    ]
    # One space, not two: a fix applied twice leaves "«  titre".
    faults += [
        prose[max(0, match.start() - 10) : match.end() + 10]
        for match in re.finditer(
            r"[\u00a0\u202f ]{2,}(?=[:;?!»%])|(?<=«)[\u00a0\u202f ]{2,}", prose
        )
    ]
    return faults


def test_the_typography_check_finds_a_missing_non_breaking_space():
    assert french_typography_faults("Qui les voit : vous") == ["Qui les voit : vous"]
    assert french_typography_faults("Résultat:") != []
    assert french_typography_faults("Le titre « Agent»") != []
    assert french_typography_faults("au moins %(part)s %% dans chaque partie") != []
    assert french_typography_faults("au moins 50\u00a0% ou %(part)s\u00a0%%") == []
    assert french_typography_faults("«\u00a0\u00a0Agent\u00a0» :\u00a0:") != []
    assert french_typography_faults("Qui les voit\u00a0: vous\u202f! «\u00a0Agent\u00a0»") == []
    assert (
        french_typography_faults("De 10:30 à 12:00, https://a.be/?x=1 <code>nl:B1;fr:B2</code>")
        == []
    )


def test_french_strings_have_a_non_breaking_space_before_double_punctuation():
    faults = {
        entry.msgid: fault
        for entry in read_catalogue("fr").entries
        for form in entry.forms
        for fault in french_typography_faults(form)
    }
    assert faults == {}


TEMPLATES = LOCALE.parent / "templates"
# What a template says in a translated string or a comment, and inside an opening HTML tag.
_NOT_TEMPLATE_TEXT = [
    r"\{% ?comment ?%\}.*?\{% ?endcomment ?%\}",
    r"\{#.*?#\}",
    r"<(?:script|style)\b.*?</(?:script|style)>",
    r"<[a-zA-Z](?:[^>{]|\{\{.*?\}\}|\{%.*?%\})*>",
]


def bare_colons(source):
    """Colons (and semicolons) the template writes itself after a label ("{{ language }}: B1"):
    in French they need a non-breaking space before them, which {% colon %} (and
    {% list_separator %}) give."""
    masked = list(source)
    for pattern in _NOT_TEMPLATE_TEXT:
        for match in re.finditer(pattern, source, flags=re.DOTALL):
            masked[match.start() : match.end()] = "#" * (match.end() - match.start())
    # A translated string's own text is the translators' (its closing "%}" stays visible).
    translated = r"\{% ?blocktranslate.*?\{% ?endblocktranslate ?%\}|\{% ?translate .*?%\}"
    for match in re.finditer(translated, source, flags=re.DOTALL):
        masked[match.start() + 2 : match.end() - 2] = "#" * (match.end() - match.start() - 4)
    text = "".join(masked)
    return [
        source[max(0, match.start() - 40) : match.end() + 10]
        # After a tag, a variable, a bracket, a closing or (masked) opening HTML tag.
        for match in re.finditer(r"(%\}|\}\}|\)|</[a-z]+>|#) ?[:;](?=[\s<{])", text)
    ]


def test_the_template_check_finds_bare_colons_and_leaves_translated_ones():
    assert bare_colons("<li>{{ language.name }}: {{ level }}</li>") != []
    assert bare_colons('<p>{% translate "Why" %}:</p>') != []
    assert bare_colons('<p>{% translate "Why" %}{% colon %} {{ why }}</p>') == []
    assert bare_colons('{% translate "Facility (p): the mean" %}') == []
    assert bare_colons("{% blocktranslate %}Score: {{ n }}{% endblocktranslate %}") == []
    assert bare_colons('<a href="{% url "x" %}" title="a: b">{# x: y #}</a>') == []
    assert bare_colons("{% blocktranslate %}Skill {{ n }}{% endblocktranslate %}: x") != []
    assert bare_colons('Done<span class="visually-hidden">: {{ item }}</span>') != []
    assert bare_colons("{% for x in xs %}{{ x }}{% if not forloop.last %}; {% endif %}") != []
    assert bare_colons("{{ x }}{% if not forloop.last %}{% list_separator %}{% endif %}") == []


def test_no_template_writes_a_bare_colon_after_a_label():
    found = {
        str(path.relative_to(TEMPLATES)): bare_colons(path.read_text(encoding="utf-8"))
        for path in TEMPLATES.rglob("*")
        if path.suffix in (".html", ".txt") and "admin" not in path.parts
    }
    assert {path: colons for path, colons in found.items() if colons} == {}
