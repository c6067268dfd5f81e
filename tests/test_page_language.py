"""Every page of the access matrix reads in French and in Dutch, with no English left in it.

Each page is rendered, as a person who may open it, in the access matrix's world
(tests/test_access_matrix.py), in that world crowded so that the candidate's counts are 2
and 5 (skills, applications, actions, cohorts, job-seekers…), and as a newcomer whose counts
are 0, so that every plural form is read. Its visible text (text nodes, and the attributes
people hear or see: alt, title, placeholder, aria-label, button values; not code, not a part
marked lang="en") fails on:

* a distinctive English word, one that is neither French nor Dutch;
* an English msgid of the catalogue, verbatim, where the language's translation differs;
* in French, : ; ? ! without the non-breaking space before them.

Every plural entry of the catalogues is also asked for directly with n in 0, 1, 2 and 5,
and every French and Dutch translation is read for English words.
"""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from college.models import Module, Skill
from tests import factories
from tests.access_matrix import (
    ANONYMOUS,
    CANDIDATE,
    COUNSELLOR,
    EMPLOYER,
    MATRIX,
    OTHER_CANDIDATE,
    STAFF,
)
from tests.browser import a11y
from tests.po import read_catalogue
from tests.test_access_matrix import client_for
from tests.test_access_matrix import handler as handler  # the access matrix's fixtures
from tests.test_access_matrix import world as world

pytestmark = pytest.mark.django_db

LANGUAGES = ("fr", "nl")
COUNTS = (0, 1, 2, 5)
# Who looks at a page: its owner first, anonymous visitors last.
VIEWERS = (CANDIDATE, COUNSELLOR, EMPLOYER, STAFF, ANONYMOUS)
# Django's admin is Django's own (and translated by Django); the API speaks JSON.
NOT_PAGES = ("admin:", "api:")
# PDFs, CSV, feeds…: the browser tests' register says which URLs are not pages (a PDF costs
# a second to render, for nothing here).
NOT_HTML = set(a11y.NOT_PAGES)

# English words that are neither French nor Dutch words: not "in", "is", "of", "was", "we",
# "had", "help", "account", "open", "over", "want", "die", "door" (Dutch), nor "on", "or",
# "an", "me", "but", "items", "section", "application", "candidate", "minutes", "questions",
# "attention", "places" (French), nor "score", "test", "module", "job", "training", "email".
ENGLISH_WORDS = frozenset(
    """
    the and your you yours with without from for this that these those which what when where
    who whose how why there their they them our are were been being has have does did
    will would should could must shall not no yes please all any some every each only also
    than then more less most least very just still already yet ago since until before after
    between about into onto through during here's it's don't can't won't isn't
    skill skills hour hours day days month months year years left need needs needed shown
    show hide ended ending cohort cohorts taught seekers job-seekers seeker job-seeker
    apply applied applications vacancy vacancies employer employers counsellor
    counsellors candidates certificate certificates languages language
    search save saved delete deleted cancel cancelled edit add added remove removed back next
    previous new sign signed logged password settings welcome home
    activity attempt attempts result results passed failed fail level levels
    answer answers
    """.split()
)
# A word runs over letters, digits, underscores and inner apostrophes or hyphens, so that
# "passé" is not "pass" and "candidate_profile" or "application-2026-11" are not words.
WORD = re.compile(r"\w+(?:['’-]\w+)*")
ASCII_SPACES = re.compile(r"[ \t\n\r\f\v]+")
# An address or a path shown as such is not prose.
ADDRESS = re.compile(r"\S*(?:/|://)\S*")


class VisibleText(HTMLParser):
    """The prose a person sees or hears in the page's language.

    Text nodes and the few attributes read aloud; not scripts, not code (column names, field
    keys), and not a part marked as written in another language (lang="en" on the English
    version of a description, say), which is how WCAG asks pages to say so.
    """

    SKIPPED = {"script", "style", "template", "code", "kbd", "samp"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
    SPOKEN = ("alt", "title", "placeholder", "aria-label", "aria-description")

    def __init__(self, language):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.parts = []
        self.skipped_tag = None
        self.skipped_depth = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self.skipped_depth:
            self.skipped_depth += tag == self.skipped_tag
            return
        other_language = attributes.get("lang", self.language).split("-")[0] != self.language
        if tag not in self.VOID and (tag in self.SKIPPED or (other_language and tag != "html")):
            self.skipped_tag, self.skipped_depth = tag, 1
            return
        if other_language:
            return
        for name in self.SPOKEN:
            if attributes.get(name):
                self.parts.append(attributes[name])
        if tag == "input" and attributes.get("type") in ("submit", "button", "reset"):
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if self.skipped_depth and tag == self.skipped_tag:
            self.skipped_depth -= 1

    def handle_data(self, data):
        if not self.skipped_depth:
            self.parts.append(data)


def visible_text(html, language="fr"):
    parser = VisibleText(language)
    parser.feed(html)
    parser.close()
    # ASCII white space only: str.split() would also take the non-breaking spaces away.
    return ASCII_SPACES.sub(" ", " ".join(parser.parts)).strip()


def english_words(text):
    """The distinctive English words of `text`, each with a little context."""
    found = []
    text = ADDRESS.sub(" ", text)
    for match in WORD.finditer(text):
        if match.group().lower().replace("’", "'") in ENGLISH_WORDS:
            start, end = max(0, match.start() - 40), match.end() + 40
            found.append(f"{match.group()!r} in …{text[start:end]}…")
    return found


def english_msgids(language):
    """A pattern of the msgids a page must not show in `language`: English text whose
    translation differs.

    Only text of two words or more, without placeholders (split at them), so that a name or a
    code spelt the same in both languages is not taken for an untranslated string.
    """
    catalogue = read_catalogue(language)
    phrases = set()
    for entry in catalogue.entries:
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        for source in sources:
            if source in entry.forms:
                continue
            for chunk in re.split(r"%\(\w+\)[sdf]|%[sdf]|\{[^}]*\}|<[^>]*>", source):
                chunk = " ".join(chunk.split()).strip(" .,:;!?()«»\"'")
                if len(chunk.split()) >= 2 and len(chunk) >= 8 and chunk not in entry.msgstr:
                    phrases.add(chunk)
    # Whole words only: "Raphaël Bouillon Passerelle" does not say "on Passerelle".
    alternatives = "|".join(re.escape(phrase) for phrase in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def page_cases():
    cases = []
    for key, entry in MATRIX.items():
        if entry.get is None or key.startswith(NOT_PAGES) or key in NOT_HTML:
            continue
        viewer = next((role for role in VIEWERS if entry.get[role] == 200), None)
        if viewer is not None:
            cases.append((key, viewer))
    return cases


def render(handler, world, key, role, language):
    entry = MATRIX[key]
    url = reverse(key.partition("#")[0], kwargs=entry.kwargs(world)) + entry.query
    client = client_for(handler, world, key, role)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200, f"GET {url} as {role}: {response.status_code}"
    if not response["Content-Type"].startswith("text/html"):
        return url, None
    return url, visible_text(response.content.decode(), language)


@pytest.fixture(scope="module")
def forbidden_phrases():
    return {language: english_msgids(language) for language in LANGUAGES}


def french_punctuation_faults(text):
    """: ; ? ! without the non-breaking space French puts before them (times and addresses
    aside), as the page shows them."""
    text = ADDRESS.sub(" ", text)
    text = re.sub(r"\b\d{1,2}:\d{2}\b", " ", text)
    # After a word, a number or a closing bracket or quote; a "?" standing alone (the figure
    # still to find in a sequence) is a glyph, not punctuation.
    return [
        f"no non-breaking space in …{text[max(0, match.start() - 30) : match.end() + 10]}…"
        for match in re.finditer(r"(?:[^\W_]|[)»”]) ?[:;?!](?=\s|$)", text)
    ]


def problems_on(text, phrases, language="fr"):
    problems = english_words(text)
    if language == "fr":
        problems += french_punctuation_faults(text)
    problems += [f"untranslated {match.group()!r}" for match in phrases.finditer(text)]
    return problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_of_the_access_matrix_reads_without_english(
    handler, world, forbidden_phrases, language
):
    rendered, failures = problems_on_every_page(
        handler, world, language, forbidden_phrases[language], page_cases()
    )
    assert rendered > 60
    assert not failures, "\n".join(failures)


def crowd(world):
    """Twos and fives where the access matrix's world has ones: skills, applications, actions,
    cohorts, job-seekers, vacancies, training paths."""
    candidate = world.users["candidate"]
    counsellor = world.users["counsellor"]
    skills = Skill.objects.exclude(pk=world.skill.pk).order_by("pk")[:4]
    for skill in skills:
        factories.CandidateSkillFactory(profile=world.profile, skill=skill, level=3)
    for _number in range(4):
        vacancy = factories.VacancyFactory(employer=world.employer, role=world.role)
        factories.ApplicationFactory(vacancy=vacancy, profile=world.profile)
        factories.ActionItemFactory(candidate=candidate, author=counsellor)
        factories.CounsellorNoteFactory(candidate=candidate, author=counsellor)
        cohort = factories.CohortFactory(module=world.module)
        factories.CohortSessionFactory(cohort=cohort)
        factories.EnrolmentFactory(cohort=cohort, candidate=candidate)
        guided = factories.CandidateFactory()
        factories.GuidanceFactory(counsellor=counsellor, candidate=guided)
        factories.EnrolmentFactory(cohort=world.cohort, candidate=guided)
    factories.ApplicationFactory(
        vacancy=world.vacancy, profile=world.users["other_candidate"].candidate_profile
    )
    path = factories.TrainingPathFactory(candidate=candidate, role=world.role)
    for module in Module.objects.order_by("pk")[:5]:
        factories.PathStepFactory(path=path, module=module)


def problems_on_every_page(handler, world, language, phrases, cases):
    failures = []
    rendered = 0
    for key, role in cases:
        url, text = render(handler, world, key, role, language)
        if text is None:
            continue
        rendered += 1
        failures += [
            f"{url} ({role}): {problem}" for problem in problems_on(text, phrases, language)
        ]
    return rendered, failures


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_counting_two_and_five_things_read_without_english(
    handler, world, forbidden_phrases, language
):
    crowd(world)
    cases = [(key, role) for key, role in page_cases() if role != ANONYMOUS]
    rendered, failures = problems_on_every_page(
        handler, world, language, forbidden_phrases[language], cases
    )
    assert rendered > 50
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_new_job_seekers_pages_counting_nothing_read_without_english(
    handler, world, forbidden_phrases, language
):
    # The candidate's own pages ("me" addresses, no object in the URL), for someone who has
    # nothing yet: no skill, no application, no cohort.
    newcomer = factories.CandidateFactory()
    world.users["newcomer"] = newcomer
    try:
        cases = [
            (key, "newcomer")
            for key, entry in MATRIX.items()
            if entry.get
            and not key.startswith(NOT_PAGES)
            and entry.get[CANDIDATE] == entry.get[OTHER_CANDIDATE] == 200
            and not entry.kwargs(world)
        ]
        rendered, failures = problems_on_every_page(
            handler, world, language, forbidden_phrases[language], cases
        )
    finally:
        del world.users["newcomer"]
    assert rendered > 15
    assert not failures, "\n".join(failures)


def test_the_checks_see_english_words_and_untranslated_msgids():
    text = visible_text(
        "<main><p>8 hours</p><p title='Your skills'>Vos compétences</p>"
        "<script>var the = 1;</script><input type='submit' value='Save'></main>"
    )
    assert [problem.split(" in ")[0] for problem in english_words(text)] == [
        "'hours'",
        "'Your'",
        "'skills'",
        "'Save'",
    ]
    assert english_words("Een test van de module in het Nederlands, of in het Frans") == []
    assert english_words("Les minutes de la séance ; questions à poser, attention") == []
    phrases = re.compile(r"(?<!\w)(?:on Passerelle|Sign in here)(?!\w)")
    assert problems_on("Ouvrir Sign in here", phrases) != []
    assert problems_on("Raphaël Bouillon Passerelle", phrases) == []
    assert french_punctuation_faults("Langues : français. Pourquoi? Ici!") != []
    assert french_punctuation_faults("Langues\u00a0: de 10:30 à 12:00, https://a.be/?x=1") == []
    assert french_punctuation_faults("Figure 3. ? Quelle figure vient ensuite\u00a0?") == []
    assert problems_on("Talen: Frans", phrases, "nl") == []


def plural_cases():
    return list(_plural_cases())


def _plural_cases():
    for language in LANGUAGES:
        for entry in read_catalogue(language).entries:
            if entry.msgid_plural is not None:
                yield pytest.param(language, entry, id=f"{language}-{entry.msgid[:40]}")


@pytest.mark.parametrize(("language", "entry"), plural_cases())
def test_every_plural_string_is_translated_for_0_1_2_and_5(language, entry):
    with translation.override(language):
        for count in COUNTS:
            if entry.msgctxt:
                text = translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, count)
            else:
                text = translation.ngettext(entry.msgid, entry.msgid_plural, count)
            assert text.strip(), (count, entry.msgid)
            english = {entry.msgid, entry.msgid_plural} - set(entry.forms)
            assert text not in english, f"{language}, n={count}: {text!r} is the English"


# Code a msgstr may quote as it is: markup, placeholders, addresses, CODES IN CAPITALS.
NOT_TRANSLATABLE = re.compile(
    r"<code>.*?</code>|%\(\w+\)[sdf]|\{[^}]*\}|<[^>]*>|\S*(?:/|://)\S*|\b[A-Z]{2,}\b", re.DOTALL
)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_translation_in_the_catalogue_keeps_english_words(language):
    # Strings the test world does not show (an e-mail, an error) are read here.
    found = {
        entry.msgid: words
        for entry in read_catalogue(language).entries
        for form in entry.forms
        if (words := english_words(NOT_TRANSLATABLE.sub(" ", form)))
    }
    assert found == {}
