"""Every page speaks French by default, Dutch and English on request, with the right <html lang>."""

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db
LOCALE = Path(__file__).resolve().parents[2] / "locale"


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


def parse_po(path):
    """(msgid, msgstr) pairs of a .po file, with plural forms joined and the header skipped."""
    entries, current, field = [], {}, None
    fuzzy = set()
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#,") and "fuzzy" in line:
            current["fuzzy"] = True
        elif line.startswith("msgid "):
            current["msgid"], field = line[6:].strip('"'), "msgid"
        elif line.startswith("msgid_plural"):
            field = "msgid_plural"
        elif line.startswith("msgstr"):
            field = "msgstr"
            current.setdefault("msgstr", []).append(line.split(" ", 1)[1].strip('"'))
        elif line.startswith('"') and field:
            if field == "msgid":
                current["msgid"] += line.strip('"')
            elif field == "msgstr":
                current["msgstr"][-1] += line.strip('"')
        elif not line.strip() and current:
            if current.get("msgid"):
                entries.append(current)
            if current.get("fuzzy") and current.get("msgid"):
                fuzzy.add(current["msgid"])
            current, field = {}, None
    return entries, fuzzy


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_every_interface_string_is_translated(language):
    entries, fuzzy = parse_po(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert len(entries) > 100
    untranslated = [entry["msgid"] for entry in entries if not all(entry["msgstr"])]
    assert untranslated == []
    assert fuzzy == set()
    compiled = LOCALE / language / "LC_MESSAGES" / "django.mo"
    assert compiled.exists()
    assert (
        compiled.stat().st_mtime
        >= (LOCALE / language / "LC_MESSAGES" / "django.po").stat().st_mtime - 1
    )
