"""The public vacancy board, the vacancy page with its JobPosting JSON-LD, and the Atom feeds."""

import datetime
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from college.models import Commune, Language, Role
from employers.models import Contract, Vacancy
from employers.services import vacancy_refresh_search_text
from tests import factories

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def make_vacancy(**fields):
    vacancy = factories.VacancyFactory(**fields)
    vacancy_refresh_search_text(vacancy=vacancy)
    return vacancy


def commune(nis_code):
    return Commune.objects.get(nis_code=nis_code)


def role(slug):
    return Role.objects.get(slug=slug)


def police_inspector_vacancy(**fields):
    return make_vacancy(
        role=role("police-inspector"),
        diploma_required=True,
        required_diploma="upper_secondary",
        **fields,
    )


def board_ids(client, query=""):
    response = client.get(f"/vacancies/{query}", **ENGLISH)
    assert response.status_code == 200
    return {vacancy.pk for vacancy in response.context["vacancies"]}


def hidden_vacancies():
    """One vacancy for each reason the public must not see it."""
    today = timezone.localdate()
    return {
        "draft": make_vacancy(status=Vacancy.Status.DRAFT, published_at=None),
        "closed": make_vacancy(status=Vacancy.Status.CLOSED),
        "filled": make_vacancy(status=Vacancy.Status.FILLED),
        "past closing date": make_vacancy(closes_on=today - datetime.timedelta(days=1)),
        "unverified employer": make_vacancy(employer=factories.EmployerFactory(is_verified=False)),
    }


# The board: who appears.


def test_the_board_shows_only_open_published_vacancies_of_verified_employers(
    client, reference_data
):
    visible = make_vacancy()
    hidden_vacancies()
    response = client.get("/vacancies/", **ENGLISH)
    assert {vacancy.pk for vacancy in response.context["vacancies"]} == {visible.pk}
    assert response.context["paginator"].count == 1
    assert "1 vacancy" in response.content.decode()


def test_a_vacancy_closing_today_is_still_on_the_board(client, reference_data):
    today = make_vacancy(closes_on=timezone.localdate())
    assert board_ids(client) == {today.pk}
    assert "closes today" in client.get("/vacancies/", **ENGLISH).content.decode()


# Each filter alone.


def test_the_role_filter_keeps_that_roles_vacancies(client, reference_data):
    inspector = police_inspector_vacancy()
    make_vacancy()
    assert board_ids(client, "?role=police-inspector") == {inspector.pk}


def test_the_employer_filter_keeps_that_organisations_vacancies(client, reference_data):
    ours = make_vacancy()
    make_vacancy()
    assert board_ids(client, f"?employer={ours.employer.slug}") == {ours.pk}


def test_the_sector_filter_follows_the_role_sector(client, reference_data):
    police = police_inspector_vacancy()
    make_vacancy()  # peace guard: municipal prevention
    assert board_ids(client, "?sector=police") == {police.pk}


def test_the_commune_filter_takes_a_postcode_or_a_nis_code(client, reference_data):
    schaerbeek = make_vacancy()
    ixelles = make_vacancy(commune=commune("21009"))
    brussels = make_vacancy(commune=commune("21004"))
    assert board_ids(client, "?commune=1030") == {schaerbeek.pk}
    assert board_ids(client, "?commune=21009") == {ixelles.pk}
    # Brussels city has several postcodes; any of them finds it.
    assert board_ids(client, "?commune=1020") == {brussels.pk}


def test_the_commune_select_offers_the_19_communes_by_main_postcode(client, reference_data):
    page = client.get("/vacancies/", **ENGLISH).content.decode()
    select = re.search(r'<select name="commune".*?</select>', page, re.S).group(0)
    values = re.findall(r'<option value="(\d+)"', select)
    assert len(values) == 19
    assert "1030" in values and "1000" in values


def test_the_contract_filter(client, reference_data):
    student = make_vacancy(contract=Contract.STUDENT)
    make_vacancy(contract=Contract.PERMANENT)
    assert board_ids(client, "?contract=student") == {student.pk}


def test_the_language_filter_keeps_vacancies_asking_that_language(client, reference_data):
    dutch = factories.VacancyLanguageFactory(vacancy=make_vacancy()).vacancy
    make_vacancy()
    assert board_ids(client, "?language=nl") == {dutch.pk}


def test_my_level_keeps_vacancies_asking_that_level_or_lower(client, reference_data):
    b1 = factories.VacancyLanguageFactory(vacancy=make_vacancy(), min_cefr="B1").vacancy
    a2 = factories.VacancyLanguageFactory(vacancy=make_vacancy(), min_cefr="A2").vacancy
    factories.VacancyLanguageFactory(vacancy=make_vacancy(), min_cefr="B2")
    assert board_ids(client, "?language=nl&cefr=B1") == {b1.pk, a2.pk}


def test_no_diploma_required_hides_vacancies_that_require_one(client, reference_data):
    open_to_all = make_vacancy()
    inspector = police_inspector_vacancy()
    assert board_ids(client, "?diploma_required=false") == {open_to_all.pk}
    assert board_ids(client, "?diploma_required=true") == {inspector.pk}


def test_closing_within_two_weeks(client, reference_data):
    today = timezone.localdate()
    soon = make_vacancy(closes_on=today + datetime.timedelta(days=10))
    make_vacancy(closes_on=today + datetime.timedelta(days=40))
    assert board_ids(client, "?closing_soon=true") == {soon.pk}
    page = client.get("/vacancies/", **ENGLISH).content.decode()
    assert "closes in 10 days" in page


def test_closing_on_or_before_a_date(client, reference_data):
    today = timezone.localdate()
    soon = make_vacancy(closes_on=today + datetime.timedelta(days=5))
    make_vacancy(closes_on=today + datetime.timedelta(days=50))
    limit = (today + datetime.timedelta(days=6)).isoformat()
    assert board_ids(client, f"?closing_before={limit}") == {soon.pk}


def test_no_diploma_dutch_b1_in_schaerbeek(client, reference_data):
    wanted = make_vacancy()
    factories.VacancyLanguageFactory(vacancy=wanted, min_cefr="B1")
    with_diploma = police_inspector_vacancy()
    factories.VacancyLanguageFactory(vacancy=with_diploma, min_cefr="B1")
    higher_dutch = make_vacancy()
    factories.VacancyLanguageFactory(vacancy=higher_dutch, min_cefr="B2")
    in_ixelles = make_vacancy(commune=commune("21009"))
    factories.VacancyLanguageFactory(vacancy=in_ixelles, min_cefr="B1")
    make_vacancy()  # no Dutch asked

    response = client.get(
        "/vacancies/?diploma_required=false&language=nl&cefr=B1&commune=1030", **ENGLISH
    )
    assert {vacancy.pk for vacancy in response.context["vacancies"]} == {wanted.pk}
    page = response.content.decode()
    assert "1 vacancy" in page
    # Each active filter is a link that removes it (and only it).
    chips = dict(
        re.findall(
            r'<a href="([^"]+)"><span aria-hidden="true">× </span>.*?</span>([^<]+)</a>', page
        )
    )
    assert set(chips.values()) == {"Schaerbeek", "Dutch", "My level: B1", "No diploma required"}
    by_label = {
        label: parse_qs(urlsplit(url.replace("&amp;", "&")).query) for url, label in chips.items()
    }
    assert by_label["Schaerbeek"] == {
        "diploma_required": ["false"],
        "language": ["nl"],
        "cefr": ["B1"],
    }
    # Without the language, the level means nothing: removing Dutch removes it too.
    assert by_label["Dutch"] == {"diploma_required": ["false"], "commune": ["1030"]}


# Search.


def test_search_ignores_accents_and_case_in_every_language(client, reference_data):
    guard = make_vacancy(
        title_fr="Agent de sécurité de nuit",
        title_nl="Nachtbewaker",
        title_en="Night security guard",
        employer=factories.EmployerFactory(name="Sécuritas Bruxelles"),
    )
    other = make_vacancy(title_nl="Wijkpatrouilleur Noord")
    assert board_ids(client, "?q=SECURITE") == {guard.pk}
    assert board_ids(client, "?q=nachtbewaker") == {guard.pk}
    assert board_ids(client, "?q=Night+Guard") == {guard.pk}
    assert board_ids(client, "?q=WIJKPATROUILLEUR") == {other.pk}
    assert board_ids(client, "?q=s%C3%A9curit%C3%A9+wijkpatrouilleur") == set()


def test_search_also_finds_skills_and_communes(client, reference_data):
    vacancy = make_vacancy(commune=commune("21009"))
    factories.VacancySkillFactory(vacancy=vacancy, skill__label_fr="Gérer les conflits")
    vacancy_refresh_search_text(vacancy=vacancy)
    make_vacancy()
    assert board_ids(client, "?q=gerer+conflits") == {vacancy.pk}
    assert board_ids(client, "?q=elsene") == {vacancy.pk}  # Ixelles in Dutch


# Sorting.


def test_sorting_by_closing_date_title_and_posts(client, reference_data):
    today = timezone.localdate()
    now = timezone.now()
    late = make_vacancy(
        title_en="Alpha",
        posts=1,
        closes_on=today + datetime.timedelta(days=60),
        published_at=now - datetime.timedelta(days=1),
    )
    early = make_vacancy(
        title_en="Charlie",
        posts=5,
        closes_on=today + datetime.timedelta(days=3),
        published_at=now - datetime.timedelta(days=3),
    )
    middle = make_vacancy(
        title_en="Bravo",
        posts=3,
        closes_on=today + datetime.timedelta(days=20),
        published_at=now,
    )

    def order(query):
        response = client.get(f"/vacancies/{query}", **ENGLISH)
        return [vacancy.pk for vacancy in response.context["vacancies"]]

    assert order("") == [middle.pk, late.pk, early.pk]
    assert order("?ordering=-published_at") == [middle.pk, late.pk, early.pk]
    assert order("?ordering=closes_on") == [early.pk, middle.pk, late.pk]
    assert order("?ordering=title") == [late.pk, middle.pk, early.pk]
    assert order("?ordering=-posts") == [early.pk, middle.pk, late.pk]


def test_sort_links_keep_the_filters(client, reference_data):
    make_vacancy()
    make_vacancy()
    page = client.get("/vacancies/?contract=permanent", **ENGLISH).content.decode()
    assert 'href="/vacancies/?contract=permanent&amp;ordering=closes_on"' in page


# Pagination.


def test_the_board_pages_twenty_at_a_time_and_keeps_the_filters(client, reference_data):
    factories.VacancyFactory.create_batch(25)
    first = client.get("/vacancies/?contract=permanent", **ENGLISH)
    assert len(first.context["vacancies"]) == 20
    assert first.context["paginator"].count == 25
    page = first.content.decode()
    assert "25 vacancies" in page
    assert 'href="/vacancies/?contract=permanent&amp;page=2" rel="next"' in page
    assert "Page 1 of 2" in page

    second = client.get("/vacancies/?contract=permanent&page=2", **ENGLISH)
    assert len(second.context["vacancies"]) == 5
    page = second.content.decode()
    assert 'href="/vacancies/?contract=permanent&amp;page=1" rel="prev"' in page
    assert 'rel="next"' not in page
    # Filter links start again from the first page.
    sector_links = re.search(r'aria-label="Vacancies by sector".*?</nav>', page, re.S).group(0)
    assert 'href="/vacancies/?contract=permanent&amp;sector=police"' in sector_links
    assert "page=" not in sector_links
    first_ids = {vacancy.pk for vacancy in first.context["vacancies"]}
    assert first_ids.isdisjoint(vacancy.pk for vacancy in second.context["vacancies"])


@pytest.mark.parametrize(
    ("page", "expected"),
    [("99", 2), ("abc", 1), ("0", 2), ("-3", 2), ("", 1), ("99999999999999999999999", 2)],
)
def test_a_page_number_out_of_range_or_not_a_number_never_fails(
    client, reference_data, page, expected
):
    factories.VacancyFactory.create_batch(21)
    response = client.get(f"/vacancies/?page={page}")
    assert response.status_code == 200
    assert response.context["page"].number == expected


# Bad filter values: an error at the field, the rest still applies, never a 500.


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("role=astronaut", "role"),
        ("employer=nobody", "employer"),
        ("sector=space", "sector"),
        ("commune=9999", "commune"),
        ("commune=abc", "commune"),
        ("commune=123456", "commune"),
        ("contract=forever", "contract"),
        ("language=zz", "language"),
        ("cefr=Z9&language=nl", "cefr"),
        ("cefr=B1", "cefr"),
        ("diploma_required=maybe", "diploma_required"),
        ("closing_before=2026-13-45", "closing_before"),
        ("closing_soon=perhaps", "closing_soon"),
        ("ordering=password", "ordering"),
        ("q=" + "x" * 300, "q"),
    ],
)
def test_a_bad_filter_value_is_shown_at_its_field_and_ignored(client, reference_data, query, field):
    student = make_vacancy(contract=Contract.STUDENT)
    permanent = make_vacancy()
    for vacancy in (student, permanent):  # both ask Dutch: "language=nl" keeps both
        factories.VacancyLanguageFactory(vacancy=vacancy, min_cefr="C1")
    response = client.get(f"/vacancies/?{query}", **ENGLISH)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert response.context["paginator"].count == 2
    page = response.content.decode()
    assert "Please correct the following" in page
    assert f'id="id_{field}_error"' in page
    # The other filters still apply.
    filtered = client.get(f"/vacancies/?{query}&contract=student", **ENGLISH)
    assert {vacancy.pk for vacancy in filtered.context["vacancies"]} == {student.pk}


def test_repeated_and_odd_parameters_do_not_break_the_board(client, reference_data):
    make_vacancy()
    for query in ("?q=a%0Bb", "?role=&role=", "?q=<script>", "?commune=+", "?page=1&page=x"):
        assert client.get(f"/vacancies/{query}").status_code == 200
    # NUL is never text: the request is refused before the board reads it.
    assert client.get("/vacancies/?q=%00").status_code == 400


def test_an_empty_result_explains_and_offers_to_clear_the_filters(client, reference_data):
    make_vacancy()
    page = client.get("/vacancies/?contract=internship&q=pilot", **ENGLISH).content.decode()
    assert "0 vacancies" in page
    assert "No vacancy matches all these filters" in page
    assert 'href="/vacancies/">Clear all filters' in page


# The page itself.


def test_the_board_is_a_plain_get_form_with_filter_links(client, reference_data):
    page = client.get("/vacancies/", **ENGLISH).content.decode()
    assert '<form method="get" action="/vacancies/"' in page
    assert "<script" not in page.split("</head>")[1]
    assert 'href="/vacancies/?sector=police"' in page
    assert 'href="/vacancies/?diploma_required=false"' in page
    assert 'rel="alternate" type="application/atom+xml" href="/vacancies/feed/"' in page


def test_the_main_navigation_links_to_the_board(client, reference_data):
    board = client.get("/vacancies/", **ENGLISH).content.decode()
    assert '<a href="/vacancies/" aria-current="page">Vacancies</a>' in board
    roles = client.get("/roles/", **ENGLISH).content.decode()
    assert '<a href="/vacancies/">Vacancies</a>' in roles


def test_a_card_shows_the_essentials(client, reference_data):
    vacancy = police_inspector_vacancy(contract=Contract.FIXED_TERM)
    factories.VacancyLanguageFactory(vacancy=vacancy, min_cefr="B2")
    make_vacancy()
    page = client.get("/vacancies/", **ENGLISH).content.decode()
    assert f'href="/vacancies/{vacancy.pk}/"' in page
    assert vacancy.employer.name in page
    assert "Police inspector" in page
    assert "Schaerbeek" in page
    assert "Fixed term" in page
    assert "Dutch B2" in page
    assert "Diploma required by law – alternative route exists" in page
    assert "No diploma required" in page


def test_the_board_keeps_a_constant_number_of_queries(client, reference_data):
    def count(query=""):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/vacancies/{query}").status_code == 200
        return len(queries)

    vacancy = make_vacancy()
    factories.VacancyLanguageFactory(vacancy=vacancy)
    one = count()
    for _ in range(24):
        vacancy = factories.VacancyFactory(
            employer=factories.EmployerFactory(), commune=commune("21009")
        )
        factories.VacancyLanguageFactory(vacancy=vacancy)
    assert count() == one
    assert count("?page=2") == one
    filtered = count("?diploma_required=false&language=nl&cefr=B1&commune=1030")
    assert filtered == count("?diploma_required=false&language=nl&cefr=B1&commune=1050")


# The vacancy page.


def test_a_hidden_vacancy_has_no_page(client, reference_data):
    for reason, vacancy in hidden_vacancies().items():
        assert client.get(f"/vacancies/{vacancy.pk}/").status_code == 404, reason
    assert client.get("/vacancies/999999/").status_code == 404
    assert client.get("/vacancies/99999999999999999999999/").status_code == 404


def test_the_vacancy_page_says_the_requirements_in_plain_words(client, reference_data):
    vacancy = make_vacancy(
        hours_per_week=19,
        nights=True,
        weekends=True,
        salary_scale="D1",
        salary_min=2500,
        salary_max=3100,
        posts=3,
        address="Place Colignon 1",
        min_age=18,
        nationality="eea",
        clean_record_required=True,
        driving_licence="B",
    )
    factories.VacancySkillFactory(
        vacancy=vacancy, skill__label_en="handle conflicts", importance="essential", min_level=3
    )
    factories.VacancySkillFactory(
        vacancy=vacancy, skill__label_en="write reports", importance="nice_to_have", min_level=1
    )
    factories.VacancyLanguageFactory(
        vacancy=vacancy, min_cefr="B1", certificate="art9_1", is_alternative=True
    )
    factories.VacancyLanguageFactory(
        vacancy=vacancy,
        language=Language.objects.get(code="fr"),
        min_cefr="B1",
        is_alternative=True,
    )
    page = client.get(f"/vacancies/{vacancy.pk}/", **ENGLISH).content.decode()
    assert f'href="/roles/{vacancy.role.slug}/"' in page
    assert "Place Colignon 1, 1030 Schaerbeek" in page
    assert "19 hours per week" in page
    assert "Night work" in page and "Weekend work" in page
    assert "Scale D1" in page and "€2,500 to €3,100 gross a month" in page
    assert "3 posts" in page
    assert "Handle conflicts" in page
    assert "3 – Experienced: I handle difficult situations" in page
    assert "Nice to have" in page and "1 – Basic: I have done it with help" in page
    assert "Either one of these:" in page
    assert "at least B1 – I deal with most situations at work" in page
    assert "Article 9 §1" in page
    assert "EEA or Swiss national" in page
    assert "18 years" in page
    assert "A clean record is required." in page
    assert "Licence B required." in page
    assert "No diploma required: your skills count." in page
    assert f'href="/vacancies/{vacancy.pk}/apply/"' in page
    assert f'href="/vacancies/feed/employer/{vacancy.employer.slug}/"' in page
    assert f'href="/vacancies/feed/role/{vacancy.role.slug}/"' in page


def test_a_diploma_required_by_law_comes_with_the_alternative_route(client, reference_data):
    vacancy = police_inspector_vacancy(nationality="belgian")
    page = client.get(f"/vacancies/{vacancy.pk}/", **ENGLISH).content.decode()
    assert "Required by law: Upper secondary (CESS)." in page
    assert "Without this diploma" in page
    assert "police agent" in page
    assert "Belgian nationality" in page


def test_anyone_sees_the_apply_button(client, reference_data, cast):
    vacancy = make_vacancy()
    for user in (None, cast.candidate, cast.employer_member):
        if user:
            client.force_login(user)
        page = client.get(f"/vacancies/{vacancy.pk}/").content.decode()
        assert f'href="/vacancies/{vacancy.pk}/apply/"' in page


# JSON-LD.


class _JsonLdParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.blocks = []
        self._inside = None

    def handle_starttag(self, tag, attrs):
        if tag == "script" and dict(attrs).get("type") == "application/ld+json":
            self._inside = dict(attrs)
            self.blocks.append({"attrs": self._inside, "text": ""})

    def handle_data(self, data):
        if self._inside is not None:
            self.blocks[-1]["text"] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._inside = None


def json_ld_of(response):
    parser = _JsonLdParser()
    parser.feed(response.content.decode())
    assert len(parser.blocks) == 1
    return json.loads(parser.blocks[0]["text"]), parser.blocks[0]["attrs"]


def test_the_vacancy_page_carries_a_valid_job_posting(client, reference_data):
    employer = factories.EmployerFactory(name="Zone Nord", website="https://www.polbruno.be/")
    vacancy = make_vacancy(
        employer=employer, address="Rue Royale Sainte-Marie 2", hours_per_week=38, posts=4
    )
    requirement = factories.VacancySkillFactory(vacancy=vacancy)
    response = client.get(f"/vacancies/{vacancy.pk}/", **ENGLISH)
    data, attrs = json_ld_of(response)

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "JobPosting"
    assert data["title"] == vacancy.title_en
    assert "Foot patrols" in data["description"]
    assert data["identifier"] == {
        "@type": "PropertyValue",
        "name": "Zone Nord",
        "value": str(vacancy.pk),
    }
    assert datetime.date.fromisoformat(data["datePosted"]) == timezone.localdate(
        vacancy.published_at
    )
    valid_through = datetime.datetime.fromisoformat(data["validThrough"])
    assert valid_through.tzinfo is not None
    assert timezone.localtime(valid_through).date() == vacancy.closes_on
    assert data["hiringOrganization"] == {
        "@type": "Organization",
        "name": "Zone Nord",
        "sameAs": "https://www.polbruno.be/",
    }
    address = data["jobLocation"]["address"]
    assert data["jobLocation"]["@type"] == "Place"
    assert address == {
        "@type": "PostalAddress",
        "streetAddress": "Rue Royale Sainte-Marie 2",
        "addressLocality": "Schaerbeek",
        "postalCode": "1030",
        "addressRegion": "Brussels-Capital Region",
        "addressCountry": "BE",
    }
    assert data["employmentType"] == "FULL_TIME"
    assert data["directApply"] is True
    assert data["url"] == f"http://127.0.0.1:8000/vacancies/{vacancy.pk}/"
    assert "inLanguage" not in data  # not a JobPosting property
    assert data["totalJobOpenings"] == 4
    assert data["occupationalCategory"]["@id"] == vacancy.role.esco_uri
    assert data["skills"] == [
        {
            "@type": "DefinedTerm",
            "@id": requirement.skill.esco_uri,
            "name": requirement.skill.label_en,
            "url": requirement.skill.esco_uri,
            "termCode": requirement.skill.esco_uri,
            "inDefinedTermSet": "http://data.europa.eu/esco/concept-scheme/skills",
        }
    ]
    assert requirement.skill.esco_uri.startswith("http://data.europa.eu/esco/skill/")
    # Open without a diploma: no educationRequirements, skills stand in for it.
    assert "educationRequirements" not in data
    assert data["experienceInPlaceOfEducation"] is True
    assert isinstance(data["experienceRequirements"], str)
    # No salary given, none announced.
    assert "baseSalary" not in data
    # The block carries the page's CSP nonce.
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    assert attrs["nonce"] == nonce


def test_json_ld_lists_education_only_where_the_law_requires_a_diploma(client, reference_data):
    vacancy = police_inspector_vacancy()
    data, _attrs = json_ld_of(client.get(f"/vacancies/{vacancy.pk}/", **ENGLISH))
    assert data["educationRequirements"] == {
        "@type": "EducationalOccupationalCredential",
        "credentialCategory": "high school",
        "name": "Upper secondary (CESS)",
    }
    # The law offers another way in (the police agent route): experience can still count.
    assert data["experienceInPlaceOfEducation"] is True
    assert "experienceRequirements" not in data


def test_json_ld_salary_appears_only_when_known(client, reference_data):
    ranged = make_vacancy(salary_min=2400, salary_max=3000)
    single = make_vacancy(salary_min=2600)
    data, _attrs = json_ld_of(client.get(f"/vacancies/{ranged.pk}/"))
    assert data["baseSalary"] == {
        "@type": "MonetaryAmount",
        "currency": "EUR",
        "value": {
            "@type": "QuantitativeValue",
            "unitText": "MONTH",
            "minValue": 2400,
            "maxValue": 3000,
        },
    }
    data, _attrs = json_ld_of(client.get(f"/vacancies/{single.pk}/"))
    assert data["baseSalary"]["value"] == {
        "@type": "QuantitativeValue",
        "unitText": "MONTH",
        "minValue": 2600,
    }


@pytest.mark.parametrize(
    ("contract", "hours", "expected"),
    [
        (Contract.PERMANENT, 38, "FULL_TIME"),
        (Contract.PERMANENT, 19, "PART_TIME"),
        (Contract.FIXED_TERM, 36, ["FULL_TIME", "TEMPORARY"]),
        (Contract.INTERNSHIP, None, "INTERN"),
        (Contract.STUDENT, 12, ["PART_TIME", "OTHER"]),
        (Contract.PERMANENT, None, None),
    ],
)
def test_json_ld_employment_type(client, reference_data, contract, hours, expected):
    vacancy = make_vacancy(contract=contract, hours_per_week=hours)
    data, _attrs = json_ld_of(client.get(f"/vacancies/{vacancy.pk}/"))
    assert data.get("employmentType") == expected


def test_json_ld_follows_the_page_language(client, reference_data):
    vacancy = make_vacancy()
    data, _attrs = json_ld_of(client.get(f"/vacancies/{vacancy.pk}/?lang=nl"))
    assert data["title"] == vacancy.title_nl
    assert "Voetpatrouilles" in data["description"]


@pytest.mark.parametrize(
    ("title_fr", "title_nl", "expected_fr", "expected_nl"),
    [
        (
            "Gardien de la paix – Schaerbeek",
            "Gemeenschapswacht – Schaarbeek",
            "Gardien de la paix",
            "Gemeenschapswacht",
        ),
        ("Steward (Schaerbeek)", "Steward, Schaarbeek", "Steward", "Steward"),
        ("Agent de gardiennage", "Bewakingsagent", "Agent de gardiennage", "Bewakingsagent"),
        ("Schaerbeek", "Schaarbeek", "Schaerbeek", "Schaarbeek"),
    ],
)
def test_json_ld_gives_the_plain_job_title_without_the_commune(
    client, reference_data, title_fr, title_nl, expected_fr, expected_nl
):
    vacancy = make_vacancy(title_fr=title_fr, title_nl=title_nl, commune=commune("21015"))
    data, _attrs = json_ld_of(client.get(f"/vacancies/{vacancy.pk}/?lang=fr"))
    assert data["title"] == expected_fr
    assert data["jobLocation"]["address"]["addressLocality"] == "Schaerbeek"
    data, _attrs = json_ld_of(client.get(f"/vacancies/{vacancy.pk}/?lang=nl"))
    assert data["title"] == expected_nl


def test_a_title_cannot_close_the_json_ld_script(client, reference_data):
    evil = '</script><script>alert("x")</script> & <!--'
    vacancy = make_vacancy(title_en=evil, description_en=evil)
    response = client.get(f"/vacancies/{vacancy.pk}/", **ENGLISH)
    html = response.content.decode()
    head = html.split("</head>")[0]
    assert "<script>alert" not in head
    assert head.count("</script>") == 1
    data, _attrs = json_ld_of(response)
    assert data["title"] == evil
    assert "<script>" not in data["description"]  # the description is escaped HTML
    assert "&lt;script&gt;" in data["description"]


# Atom feeds.


def parse_feed(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def entry_links(feed):
    return [
        entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        for entry in feed.findall(f"{ATOM}entry")
    ]


def test_the_feed_is_valid_atom(client, reference_data):
    vacancy = make_vacancy(description_fr="Une mission de terrain. " * 30)
    feed = parse_feed(client.get("/vacancies/feed/"))
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id")
    assert feed.findtext(f"{ATOM}title")
    assert datetime.datetime.fromisoformat(feed.findtext(f"{ATOM}updated"))
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links["self"] == "http://127.0.0.1:8000/vacancies/feed/"
    assert links["alternate"] == "http://127.0.0.1:8000/vacancies/"

    (entry,) = feed.findall(f"{ATOM}entry")
    url = f"http://127.0.0.1:8000/vacancies/{vacancy.pk}/"
    assert entry.findtext(f"{ATOM}id") == url
    assert entry.findtext(f"{ATOM}title") == vacancy.title_fr
    assert entry.find(f"{ATOM}link").get("href") == url
    updated = datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}updated"))
    assert abs(updated - vacancy.updated_at) < datetime.timedelta(seconds=1)
    published = datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}published"))
    assert abs(published - vacancy.published_at) < datetime.timedelta(seconds=1)
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == vacancy.employer.name
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert "Schaerbeek" in summary.text
    assert len(summary.text) < 600  # the description is cut at 300 characters
    terms = {category.get("term") for category in entry.findall(f"{ATOM}category")}
    assert terms == {
        "Gardien de la paix",
        "Prévention communale",
        "Filière prévention et sécurité",
        "Schaerbeek",
    }


def test_the_feed_leaves_out_what_the_public_must_not_see(client, reference_data):
    visible = make_vacancy()
    hidden = hidden_vacancies()
    for path in (
        "/vacancies/feed/",
        "/vacancies/feed/role/peace-guard/",
        f"/vacancies/feed/employer/{visible.employer.slug}/",
    ):
        links = entry_links(parse_feed(client.get(path)))
        assert links == [f"http://127.0.0.1:8000/vacancies/{visible.pk}/"], path
    unverified = hidden["unverified employer"].employer
    assert client.get(f"/vacancies/feed/employer/{unverified.slug}/").status_code == 404


def test_the_employer_and_role_feeds_keep_their_own_vacancies(client, reference_data):
    peace_guard = make_vacancy()
    inspector = police_inspector_vacancy()
    by_employer = parse_feed(client.get(f"/vacancies/feed/employer/{inspector.employer.slug}/"))
    assert entry_links(by_employer) == [f"http://127.0.0.1:8000/vacancies/{inspector.pk}/"]
    assert inspector.employer.name in by_employer.findtext(f"{ATOM}title")
    self_link = by_employer.find(f"{ATOM}link[@rel='self']").get("href")
    assert self_link.endswith(f"/vacancies/feed/employer/{inspector.employer.slug}/")

    by_role = parse_feed(client.get("/vacancies/feed/role/peace-guard/"))
    assert entry_links(by_role) == [f"http://127.0.0.1:8000/vacancies/{peace_guard.pk}/"]
    assert (
        by_role.find(f"{ATOM}link[@rel='self']")
        .get("href")
        .endswith("/vacancies/feed/role/peace-guard/")
    )


def test_unknown_feeds_are_404(client, reference_data):
    assert client.get("/vacancies/feed/employer/nobody/").status_code == 404
    assert client.get("/vacancies/feed/role/astronaut/").status_code == 404


def test_an_empty_feed_is_still_valid_atom(client, reference_data):
    feed = parse_feed(client.get("/vacancies/feed/role/steward/"))
    assert feed.findtext(f"{ATOM}id") and feed.findtext(f"{ATOM}updated")
    assert feed.findall(f"{ATOM}entry") == []


def test_the_feed_keeps_a_constant_number_of_queries(client, reference_data):
    def count(path):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    first = make_vacancy()
    one = count("/vacancies/feed/")
    one_by_employer = count(f"/vacancies/feed/employer/{first.employer.slug}/")
    for _ in range(24):
        factories.VacancyFactory(employer=first.employer)
    assert count("/vacancies/feed/") == one
    assert count(f"/vacancies/feed/employer/{first.employer.slug}/") == one_by_employer
    assert len(entry_links(parse_feed(client.get("/vacancies/feed/")))) == 25
