"""Generated: hostile text stored straight in the database never breaks an output.

Rows written before the input rule, by a migration, the admin or a bulk loader, skip every
form and serializer; so the strings go in with `QuerySet.update`. Each output is then read
by a real parser: an XML parser for the Atom feeds, an HTML5 parser (tinyhtml5, the WHATWG
parser WeasyPrint uses) for the pages, `json` for the JSON-LD block and the API, the csv
reader for the caseload export, RFC 5545 unfolding for the calendar and pypdf for the
passport. No output may answer 5xx or fail to parse, no `<script>` element or event
handler may appear beyond the page's own, and JSON keeps the stored text exactly.

Two characters are left out of the stored strings because no database row can hold them:
NUL (PostgreSQL refuses it in text) and unpaired surrogates (no UTF-8 encoding exists).
"""

import csv
import io
import json
import xml.dom.minidom

import pytest
import tinyhtml5
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from candidates.services import candidate_shortlist_consent_set
from college.core.check_codes import certificate_code_display
from college.core.text import LINE_BREAKS, UNSAFE_OUTPUT, csv_cell, xml_safe
from college.models import Enrolment, Module, Role, User
from college.training.certificates import certificate_issue
from employers.jsonld import plain_job_title
from employers.models import Employer, Vacancy
from employers.shortlists.alerts import _alert_email
from employers.tasks import send_application_stage_email
from tests import factories
from tests.college.training.test_enrolment_calendar import unescape, unfold

pytestmark = pytest.mark.django_db

HTML = "{http://www.w3.org/1999/xhtml}"
FRAGMENTS = [
    "\x01",
    "\x08",
    "\x0b",
    "\x0c",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\x9b",
    "\ufffe",
    "\uffff",
    "\ufdd0",
    "\U0001fffe",
    "\U0010ffff",
    "\u202e",
    "\u202d",
    "\u2066",
    "\u2069",
    "\u2028",
    "\u2029",
    "\r\n",
    "\r",
    "\n",
    "\t",
    "e\u0301",
    "\u0300\u0301\u0302\u0303",
    "Z\u0351\u0352\u0353\u0354",
    "👮🏽\u200d♀️",
    "🇧🇪",
    "مرحبا بكم",
    "שלום",
    "</script><script>alert(1)</script>",
    "<script>alert(2)</script>",
    '<img src=x onerror="alert(3)">',
    "<!--",
    "-->",
    "]]>",
    "<![CDATA[",
    "&amp;",
    "&#0;",
    "\"'`",
    "{{ x }}{% now 'Y' %}",
    '=HYPERLINK("http://evil.example")',
    "+1",
    "-1",
    "@SUM(A1)",
    "\\",
    ";,",
]
# Every fragment at once: run first by every generated test, whatever hypothesis draws.
WORST = "".join(FRAGMENTS)
hostile_text = st.lists(
    st.sampled_from(FRAGMENTS)
    | st.text(
        alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=12
    ),
    min_size=1,
    max_size=12,
).map("".join)
long_text = st.builds(lambda text: (text * 10_000)[:10_000], hostile_text)
stored_text = hostile_text | long_text
HYPOTHESIS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _fit(model, name, value):
    """`value` cut to the column's length: a database holds no more, whatever wrote it."""
    limit = model._meta.get_field(name).max_length
    return value[:limit] if limit else value


def _store(instance, **values):
    model = type(instance)
    values = {name: _fit(model, name, value) for name, value in values.items()}
    model.objects.filter(pk=instance.pk).update(**values)
    cache.clear()
    return values


def _parse_html(response, *, scripts):
    """The page parsed as HTML5; it holds its own `scripts` script elements and no handler."""
    assert response.status_code == 200, response.status_code
    document = tinyhtml5.parse(response.content.decode("utf-8"))
    found = [element for element in document.iter() if element.tag == f"{HTML}script"]
    assert len(found) == scripts
    for element in document.iter():
        assert not any(name.lower().startswith("on") for name in element.attrib), element.tag
    return document


def _script_count(client, url):
    document = tinyhtml5.parse(client.get(url).content.decode("utf-8"))
    return sum(1 for element in document.iter() if element.tag == f"{HTML}script")


def _parse_feed(response):
    assert response.status_code == 200, response.status_code
    return xml.dom.minidom.parseString(response.content)


def _entry_titles(feed):
    return [
        "".join(node.data for node in entry.getElementsByTagName("title")[0].childNodes)
        for entry in feed.getElementsByTagName("entry")
    ]


@pytest.fixture
def public_world(cast, reference_data):
    """A published vacancy of the cast's employer, and a job-seeker in its shortlist."""
    vacancy = factories.VacancyFactory(employer=cast.employer_member.membership.employer)
    requirement = factories.VacancySkillFactory(vacancy=vacancy)
    profile = cast.candidate.candidate_profile
    profile.is_visible_in_shortlists = True
    profile.save()
    candidate_shortlist_consent_set(profile=profile, given=True)
    factories.CandidateSkillFactory(profile=profile, skill=requirement.skill, level=3)
    return vacancy


def test_a_hostile_vacancy_employer_and_role_leave_every_public_output_well_formed(
    client, api_client, cast, public_world
):
    vacancy = public_world
    member = Client()
    member.force_login(cast.employer_member)
    api_client.force_authenticate(cast.employer_member)
    member_pages = ("/employer/vacancies/", f"/employer/vacancies/{vacancy.pk}/shortlist/")
    member_scripts = [_script_count(member, url) for url in member_pages]
    employer, role = vacancy.employer, vacancy.role
    board, detail = "/vacancies/", f"/vacancies/{vacancy.pk}/"
    board_scripts, detail_scripts = _script_count(client, board), _script_count(client, detail)

    @HYPOTHESIS
    @given(
        title=stored_text,
        description=stored_text,
        address=hostile_text,
        employer_name=hostile_text,
        role_title=hostile_text,
        summary=stored_text,
    )
    @example(
        title=WORST,
        description=(WORST * 41)[:10_000],
        address=WORST,
        employer_name=WORST,
        role_title=WORST,
        summary=WORST,
    )
    def check(title, description, address, employer_name, role_title, summary):
        stored = _store(
            vacancy,
            title_fr=title,
            title_nl=title,
            title_en=title,
            description_fr=description,
            description_nl=description,
            description_en=description,
            address=address,
            salary_scale=address,
        )
        employer_stored = _store(
            employer,
            name_fr=employer_name,
            name_nl=f"NL {employer_name}",
            description=description,
        )
        _store(role, title_fr=role_title, title_nl=role_title, summary_fr=summary)
        for url in (
            "/vacancies/feed/",
            f"/vacancies/feed/employer/{employer.slug}/",
            f"/vacancies/feed/role/{role.slug}/",
        ):
            feed = _parse_feed(client.get(url))
            # An XML parser reads every CR and CRLF as LF (XML 1.0, 2.11).
            expected = xml_safe(stored["title_fr"]).replace("\r\n", "\n").replace("\r", "\n")
            assert expected in _entry_titles(feed)

        _parse_html(client.get(board), scripts=board_scripts)
        document = _parse_html(client.get(detail), scripts=detail_scripts)
        (block,) = [
            element.text
            for element in document.iter(f"{HTML}script")
            if element.get("type") == "application/ld+json"
        ]
        posting = json.loads(block)
        # The JSON-LD title is the stored title without a commune appended and without the
        # white space around it (employers.jsonld.plain_job_title), character for character.
        assert posting["title"] == plain_job_title(Vacancy.objects.get(pk=vacancy.pk))
        assert posting["hiringOrganization"]["name"] == employer_stored["name_fr"]
        assert employer_stored["name_nl"] in posting["hiringOrganization"]["alternateName"]
        # An empty address is left out of the PostalAddress rather than given as "".
        assert posting["jobLocation"]["address"].get("streetAddress", "") == stored["address"]

        listing = client.get("/api/v1/vacancies/")
        assert listing.status_code == 200
        json.loads(listing.content)
        item = client.get(f"/api/v1/vacancies/{vacancy.pk}/")
        assert item.status_code == 200
        assert stored["title_fr"] in json.loads(item.content).values()

        for url, scripts in zip(member_pages, member_scripts, strict=True):
            _parse_html(member.get(url), scripts=scripts)
        shortlist = api_client.get(f"/api/v1/vacancies/{vacancy.pk}/shortlist/")
        assert shortlist.status_code == 200
        json.loads(shortlist.content)

    check()


@pytest.fixture
def candidate_world(cast, reference_data):
    profile = cast.candidate.candidate_profile
    factories.CandidateSkillFactory(profile=profile, evidence_note="Vu en stage.")
    profile.target_roles.set([Role.objects.get(slug="peace-guard")])
    cohort = factories.CohortFactory()
    factories.EnrolmentFactory(cohort=cohort, candidate=cast.candidate)
    session = factories.CohortSessionFactory(cohort=cohort)
    passed = factories.EnrolmentFactory(
        cohort=factories.CohortFactory(module=cohort.module),
        candidate=cast.candidate,
        result=Enrolment.Result.PASSED,
        score=80,
    )
    certificate = certificate_issue(enrolment=passed)
    note = factories.CounsellorNoteFactory(candidate=cast.candidate, author=cast.counsellor)
    action = factories.ActionItemFactory(candidate=cast.candidate, author=cast.counsellor)
    return cast, profile, cohort, session, certificate, note, action


def test_a_hostile_job_seeker_and_module_leave_the_csv_calendar_and_passport_well_formed(
    client, candidate_world
):
    cast, profile, cohort, session, certificate, counsellor_note, action = candidate_world
    certificate_url = reverse("certificate_pdf", args=[certificate_code_display(certificate.code)])
    counsellor_pages = ("/caseload/", f"/caseload/{profile.pk}/")
    candidate_pages = ("/me/", "/me/actions/")
    # Script elements on the pages before any hostile text is stored.
    client.force_login(cast.counsellor)
    scripts = {url: _script_count(client, url) for url in counsellor_pages}
    client.force_login(cast.candidate)
    scripts.update({url: _script_count(client, url) for url in candidate_pages})

    @HYPOTHESIS
    @given(name=hostile_text, headline=hostile_text, note=stored_text, module_title=hostile_text)
    @example(name=WORST, headline=WORST, note=(WORST * 41)[:10_000], module_title=WORST)
    def check(name, headline, note, module_title):
        user_stored = _store(cast.candidate, full_name=name)
        _store(profile, headline=headline, phone=headline)
        profile.skills.update(evidence_note=note)
        module_stored = _store(
            cohort.module, title_fr=module_title, title_nl=module_title, title_en=module_title
        )
        _store(cohort, place="")
        _store(certificate, holder_name=name)
        _store(counsellor_note, body=note)
        _store(action, text=headline)
        session_stored = _store(session, topic=note, place=headline)

        client.force_login(cast.counsellor)
        export = client.get("/caseload/export.csv")
        assert export.status_code == 200
        rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
        for row in rows[1:]:
            for cell in row:
                assert not UNSAFE_OUTPUT.search(cell)
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "\n"))
        names = [row[0] for row in rows[1:]]
        assert csv_cell(user_stored["full_name"]) in names or not user_stored["full_name"]

        for url in counsellor_pages:
            _parse_html(client.get(url), scripts=scripts[url])
        for url in (f"/caseload/{profile.pk}/passport.pdf", f"/caseload/{profile.pk}/report.pdf"):
            document = client.get(url)
            assert document.status_code == 200
            reader = PdfReader(io.BytesIO(document.content))
            assert reader.pages
            assert all(isinstance(page.extract_text(), str) for page in reader.pages)

        client.force_login(cast.candidate)
        document = client.get(certificate_url)
        assert document.status_code == 200
        reader = PdfReader(io.BytesIO(document.content))
        assert reader.pages and all(isinstance(page.extract_text(), str) for page in reader.pages)

        calendar = client.get("/me/training/calendar.ics")
        assert calendar.status_code == 200
        lines = unfold(calendar.content.decode("utf-8"))
        for line in lines:
            assert not UNSAFE_OUTPUT.search(line.replace("\t", ""))
        summaries = [unescape(line[len("SUMMARY:") :]) for line in lines if "SUMMARY:" in line]
        title = module_stored[f"title_{cast.candidate.preferred_language}"]
        assert summaries == [xml_safe(LINE_BREAKS.sub("\n", title))]
        locations = [unescape(line[len("LOCATION:") :]) for line in lines if "LOCATION:" in line]
        assert locations == [xml_safe(LINE_BREAKS.sub("\n", session_stored["place"]))]

        for url in candidate_pages:
            _parse_html(client.get(url), scripts=scripts[url])

    check()


def test_a_title_with_line_breaks_still_makes_one_line_subjects(reference_data, cast):
    vacancy = factories.VacancyFactory()
    _store(vacancy, title_fr="Agent\r\nBcc: victim@example.org\x0b\u2028fin\x01")
    vacancy.refresh_from_db()
    application = factories.ApplicationFactory(
        vacancy=vacancy, profile=cast.candidate.candidate_profile
    )
    send_application_stage_email.enqueue(application.pk)
    subject, body = _alert_email(vacancy=vacancy, profile=application.profile, score=90)
    (sent,) = mail.outbox
    for text in (sent.subject, subject):
        assert "\n" not in text and "\r" not in text and not UNSAFE_OUTPUT.search(text)
        assert "Agent Bcc: victim@example.org fin" in text
    assert sent.to == [cast.candidate.email] and sent.bcc == []
    assert not UNSAFE_OUTPUT.search(sent.body) and not UNSAFE_OUTPUT.search(body)


def test_the_stored_strings_reach_the_fields_the_outputs_show():
    # The models written above are those the outputs read; a rename must break this test.
    for model, names in (
        (Vacancy, ["title_fr", "description_fr", "address", "salary_scale"]),
        (Employer, ["name_fr", "name_nl", "description"]),
        (Role, ["title_fr", "summary_fr"]),
        (Module, ["title_fr"]),
        (User, ["full_name"]),
    ):
        for name in names:
            assert model._meta.get_field(name).get_internal_type() in ("CharField", "TextField")


def test_a_hostile_skill_and_module_leave_the_observatory_page_csv_and_api_well_formed(
    client, api_client, cast, reference_data
):
    skill = factories.SkillFactory()
    for _ in range(2):
        factories.VacancySkillFactory(skill=skill)
    factories.CandidateSkillFactory(skill=skill, profile__is_visible_in_shortlists=True)
    module = factories.ModuleFactory()
    factories.ModuleSkillFactory(module=module, skill=skill, level=2)
    client.force_login(cast.staff)
    scripts = {url: _script_count(client, url) for url in ("/observatory/", "/staff/observatory/")}

    @HYPOTHESIS
    @given(label=hostile_text, title=hostile_text)
    @example(label=WORST, title=WORST)
    def check(label, title):
        stored = _store(skill, label_fr=label, label_nl=label, label_en=label)
        _store(module, title_fr=title, title_nl=title, title_en=title)
        client.force_login(cast.staff)
        for url, count in scripts.items():
            _parse_html(client.get(url), scripts=count)
        export = client.get("/staff/observatory.csv")
        assert export.status_code == 200
        rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
        for row in rows[1:]:
            for cell in row:
                assert not UNSAFE_OUTPUT.search(cell)
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "\n"))
        assert csv_cell(stored["label_fr"]) in [row[0] for row in rows[1:]]
        response = api_client.get("/api/v1/observatory/skills/")
        assert response.status_code == 200
        assert stored["label_fr"] in [item["skill"]["label"] for item in response.json()["skills"]]

    check()
