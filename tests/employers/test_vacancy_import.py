"""Bulk import of vacancies from CSV or schema.org JobPosting JSON, row by row, as drafts."""

import csv
import datetime
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from college.models import Commune, Role, Skill
from employers.forms.imports import CSV_COLUMNS, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS
from employers.models import Employer, Vacancy, VacancyLanguage, VacancySkill
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("employers:vacancy_import") + "?lang=en"
TEMPLATE_URL = reverse("employers:vacancy_import_template")
HEADER = ",".join(CSV_COLUMNS)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"


def in_days(days):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def csv_text(*rows, header=CSV_COLUMNS, delimiter=","):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return buffer.getvalue()


def row(**changes):
    values = {
        "role": "peace-guard",
        "title_fr": "Gardien de la paix",
        "title_nl": "Gemeenschapswacht",
        "description_fr": "Patrouilles dans le quartier Nord.",
        "description_nl": "Patrouilles in de Noordwijk.",
        "commune": "1030",
        "contract": "permanent",
        "closes_on": in_days(21),
    }
    values.update(changes)
    return values


def upload(client, content, name="vacancies.csv"):
    if isinstance(content, str):
        content = content.encode("utf-8")
    return client.post(URL, {"file": SimpleUploadedFile(name, content)})


def refused(response):
    return {item.number: dict(item.errors) for item in response.context["refused"]}


@pytest.fixture
def employer(cast):
    # Of no known kind, so that it may import vacancies for prevention, events and security
    # roles alike (see employers.models.roles_for_employer).
    employer = cast.employer_member.membership.employer
    employer.kind = Employer.Kind.OTHER
    employer.save(update_fields=["kind"])
    return employer


@pytest.fixture
def member(client, cast, reference_data, employer):
    client.force_login(cast.employer_member)
    return client


def test_the_page_explains_the_formats_and_offers_the_template(member):
    response = member.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert TEMPLATE_URL in page
    assert "occupationalCategory" in page
    assert "nl:B1;fr:B2" in page


def test_the_csv_template_imports_as_it_is(member, employer):
    template = member.get(TEMPLATE_URL)

    assert template.status_code == 200
    assert template["Content-Type"].startswith("text/csv")
    assert "attachment" in template["Content-Disposition"]
    content = template.content
    assert content.startswith("\ufeff".encode())
    header = content.decode("utf-8-sig").splitlines()[0]
    assert header == HEADER

    response = upload(member, content)

    assert len(response.context["imported"]) == 1
    vacancy = Vacancy.objects.get(employer=employer)
    assert vacancy.role.slug == "peace-guard"
    assert vacancy.skill_requirements.count() == 3


def test_a_good_csv_is_imported_as_drafts_of_the_members_organisation(member, cast, employer):
    first, second = Skill.objects.order_by("id")[:2]
    role = Role.objects.with_profile().get(slug="steward")
    text = csv_text(
        row(
            title_en="Community warden",
            address="Place Colignon",
            hours_per_week="37,5",
            posts="2",
            salary_min="2 300",
            salary_max="2900",
            salary_scale="D1",
            nights="yes",
            languages="nl:B1; fr:b2",
            skills=f"{first.esco_uri}|essential|3;{second.pk}|nice_to_have|1",
        ),
        row(role="steward", title_fr="Steward", title_nl="Steward", commune="1070"),
    )

    response = upload(member, text)

    assert response.status_code == 200
    assert refused(response) == {}
    assert [row.number for row, _vacancy in response.context["imported"]] == [2, 3]
    first_vacancy, second_vacancy = Vacancy.objects.order_by("pk")
    assert {first_vacancy.employer, second_vacancy.employer} == {employer}
    assert {first_vacancy.status, second_vacancy.status} == {Vacancy.Status.DRAFT}
    assert first_vacancy.created_by == cast.employer_member
    assert first_vacancy.title_en == "Community warden"
    assert str(first_vacancy.hours_per_week) == "37.5"
    assert (first_vacancy.posts, first_vacancy.salary_min, first_vacancy.salary_max) == (
        2,
        2300,
        2900,
    )
    assert first_vacancy.nights is True
    assert sorted(
        VacancySkill.objects.filter(vacancy=first_vacancy).values_list(
            "skill_id", "importance", "min_level"
        )
    ) == sorted([(first.pk, "essential", 3), (second.pk, "nice_to_have", 1)])
    assert sorted(
        VacancyLanguage.objects.filter(vacancy=first_vacancy).values_list(
            "language__code", "min_cefr"
        )
    ) == [("fr", "B2"), ("nl", "B1")]
    # Left empty, requirements and languages are the role's.
    assert second_vacancy.commune == Commune.objects.get(nis_code="21001")
    assert sorted(second_vacancy.skill_requirements.values_list("skill_id", flat=True)) == sorted(
        requirement.skill_id for requirement in role.requirements.all()
    )
    page = response.content.decode()
    assert reverse("employers:vacancy_edit", args=[first_vacancy.pk]) in page


def test_a_semicolon_separated_csv_with_a_byte_order_mark_is_read(member, employer):
    text = csv_text(row(languages="nl:B1;fr:B2"), delimiter=";")

    response = upload(member, "\ufeff" + text)

    assert refused(response) == {}
    vacancy = Vacancy.objects.get(employer=employer)
    assert vacancy.language_requirements.count() == 2


def test_bad_rows_are_refused_with_their_reasons_and_good_rows_imported(member, employer):
    text = csv_text(
        row(title_fr="Bon 1"),
        row(closes_on=in_days(-2)),
        row(posts="0"),
        row(skills="http://data.europa.eu/esco/skill/unknown|essential|2"),
        row(role="astronaut"),
        row(languages="dutch please"),
        row(role="peace-guard", skills="only-a-uri"),
        row(closes_on="31/12/2030", commune="9999"),
        {},
        row(title_fr="Bon 2", title_nl="Goed 2"),
    )

    response = upload(member, text)

    assert response.status_code == 200
    reasons = refused(response)
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9]
    assert reasons[3] == {"closes_on": "The closing date cannot be in the past."}
    assert reasons[4] == {"posts": "Ensure this value is greater than or equal to 1."}
    assert reasons[5] == {"skills, item 1, skill": "There is no skill with this id or ESCO URI."}
    assert list(reasons[6]) == ["role"]
    assert list(reasons[7]) == ["languages"]
    assert list(reasons[8]) == ["skills"]
    assert set(reasons[9]) == {"closes_on", "commune"}
    imported = [row.number for row, _vacancy in response.context["imported"]]
    assert imported == [2, 11]
    assert sorted(Vacancy.objects.filter(employer=employer).values_list("title_fr", flat=True)) == [
        "Bon 1",
        "Bon 2",
    ]
    page = response.content.decode()
    assert "Line 4" in page
    assert "The closing date cannot be in the past." in page


def test_a_csv_whose_columns_do_not_fit_is_refused_whole(member, employer):
    text = "role,title,town\npeace-guard,Gardien,1030\n"

    response = upload(member, text)

    errors = response.context["form"].errors["file"]
    assert "unknown columns: title, town" in errors[0]
    assert "missing columns" in errors[0]
    assert not Vacancy.objects.exists()


def job_posting(**changes):
    posting = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": {"fr": "Steward au stade", "nl": "Steward in het stadion"},
        "description": "<p>Accueil du public &amp; sécurité.</p><p>Week-ends.</p>",
        "validThrough": f"{in_days(14)}T23:59:59+01:00",
        "occupationalCategory": {
            "@type": "CategoryCode",
            "codeValue": Role.objects.get(slug="steward").esco_uri,
        },
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "streetAddress": "Avenue Théo Verbeeck 2",
                "postalCode": "1070",
            },
        },
        "employmentType": ["PART_TIME", "TEMPORARY"],
        "totalJobOpenings": 6,
        "baseSalary": {
            "@type": "MonetaryAmount",
            "currency": "EUR",
            "value": {
                "@type": "QuantitativeValue",
                "minValue": 2100,
                "maxValue": 2400.0,
                "unitText": "MONTH",
            },
        },
        "hiringOrganization": {"@type": "Organization", "name": "Someone else"},
    }
    posting.update(changes)
    return posting


def test_one_job_posting_is_imported_with_its_fields_mapped(member, employer):
    role = Role.objects.with_profile().get(slug="steward")
    asked = role.requirements.all()[0]
    other = Skill.objects.exclude(pk__in=[item.skill_id for item in role.requirements.all()])[0]
    posting = job_posting(
        skills=[
            {"@type": "DefinedTerm", "@id": other.esco_uri, "name": "x"},
            asked.skill.esco_uri,
        ]
    )

    response = upload(member, json.dumps(posting), name="posting.jsonld")

    assert refused(response) == {}
    vacancy = Vacancy.objects.get(employer=employer)
    assert vacancy.status == Vacancy.Status.DRAFT
    assert vacancy.role.slug == "steward"
    assert (vacancy.title_fr, vacancy.title_nl) == ("Steward au stade", "Steward in het stadion")
    assert vacancy.description_fr == "Accueil du public & sécurité.\nWeek-ends."
    assert vacancy.description_nl == vacancy.description_fr
    assert vacancy.closes_on.isoformat() == in_days(14)
    assert vacancy.commune.nis_code == "21001"
    assert vacancy.address == "Avenue Théo Verbeeck 2"
    assert vacancy.contract == "fixed_term"
    assert vacancy.posts == 6
    assert (vacancy.salary_min, vacancy.salary_max) == (2100, 2400)
    # schema.org has no importance or level: the role's where it asks for the skill.
    assert sorted(
        vacancy.skill_requirements.values_list("skill_id", "importance", "min_level")
    ) == sorted(
        [(other.pk, "important", 2), (asked.skill_id, asked.importance, asked.target_level)]
    )


def test_a_list_and_a_graph_of_job_postings_are_imported(member, employer):
    postings = [
        job_posting(title="Steward", **{"passerelle:role": "steward"}),
        job_posting(title="Agent", inLanguage="nl", **{"passerelle:role": "security-guard"}),
        {"@type": "Organization", "name": "not a posting"},
    ]
    graph = {"@context": "https://schema.org", "@graph": [postings[0], postings[2]]}

    listed = upload(member, json.dumps(postings), name="postings.json")
    in_graph = upload(member, json.dumps(graph), name="graph.json")

    assert [row.number for row, _vacancy in listed.context["imported"]] == [1]
    assert refused(listed) == {
        2: {
            "title (fr)": "This field is required.",
            "description (fr)": "This field is required.",
        },
        3: {"@type": "This item is not a schema.org JobPosting."},
    }
    assert [row.number for row, _vacancy in in_graph.context["imported"]] == [1]
    assert refused(in_graph) == {}
    titles = Vacancy.objects.filter(employer=employer).values_list("title_fr", "title_nl")
    assert list(titles) == [("Steward", "Steward"), ("Steward", "Steward")]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"validThrough": "2020-01-01"}, "validThrough"),
        ({"validThrough": "soon"}, "validThrough"),
        (
            {"occupationalCategory": "http://data.europa.eu/esco/occupation/none"},
            "occupationalCategory",
        ),
        ({"occupationalCategory": None}, "occupationalCategory"),
        ({"occupationalCategory": "http://data.europa.eu/\u0000"}, "occupationalCategory"),
        ({"passerelle:role": "steward\u0000"}, "passerelle:role"),
        ({"employmentType": "VOLUNTEER"}, "employmentType"),
        ({"totalJobOpenings": 0}, "totalJobOpenings"),
        ({"baseSalary": {"currency": "USD", "value": 3000}}, "baseSalary"),
        ({"skills": ["first aid"]}, "skills"),
        ({"jobLocation": {"address": {"postalCode": "75001"}}}, "jobLocation.address.postalCode"),
    ],
)
def test_a_bad_job_posting_is_refused_with_the_property_named(member, changes, field):
    response = upload(member, json.dumps([job_posting(**changes)]), name="posting.json")

    assert field in refused(response)[1]
    assert not Vacancy.objects.exists()


def test_imported_vacancies_are_always_drafts_of_the_members_organisation(member, cast, employer):
    other = cast.other_employer_member.membership.employer
    posting = job_posting(
        hiringOrganization={"@type": "Organization", "name": other.name},
        status="published",
    )

    upload(member, json.dumps(posting), name="posting.json")

    assert list(Vacancy.objects.values_list("employer", "status")) == [(employer.pk, "draft")]
    assert not Vacancy.objects.filter(employer=other).exists()


def test_a_file_larger_than_one_megabyte_is_refused(member):
    text = csv_text(row(description_fr="x" * MAX_IMPORT_BYTES))

    response = upload(member, text)

    assert "larger than 1 MB" in response.context["form"].errors["file"][0]
    assert not Vacancy.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (PNG, "not a text file"),
        (csv_text(row(title_fr="Gardien à Forest")).encode("latin-1"), "not UTF-8"),
        (b"", "empty"),
        (b"  \n ", "empty"),
        (b"[]", "no vacancy"),
        (b'{"@type": "JobPosting", ', "cannot be read"),
        (b"[" * 100_000, "nested too deeply"),
        (b"42", "does not fit"),
        (HEADER.encode(), "no vacancy"),
    ],
)
def test_a_file_that_is_not_a_vacancy_list_is_refused_at_the_field(member, content, message):
    response = upload(member, content, name="vacancies.csv")

    assert response.status_code == 200
    assert message in response.context["form"].errors["file"][0]
    assert not Vacancy.objects.exists()


def test_too_many_rows_are_refused(member):
    text = csv_text(*[row() for _index in range(MAX_IMPORT_ROWS + 1)])

    response = upload(member, text)

    assert "more than" in response.context["form"].errors["file"][0]
    assert not Vacancy.objects.exists()


def test_only_employer_members_import(client, cast, reference_data):
    content = csv_text(row()).encode()

    anonymous = client.post(URL, {"file": SimpleUploadedFile("v.csv", content)})
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))
    for user in (cast.candidate, cast.counsellor, cast.staff):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.post(URL, {"file": SimpleUploadedFile("v.csv", content)}).status_code == 403
        assert client.get(TEMPLATE_URL).status_code == 403
    client.force_login(factories.UserFactory(role="employer"))
    assert client.get(URL).status_code == 404
    assert not Vacancy.objects.exists()


def test_a_csv_skill_may_say_it_is_learned_in_training_and_is_asked_at_entry_otherwise(
    member, employer
):
    taught, asked = Skill.objects.order_by("id")[:2]
    text = csv_text(row(skills=f"{taught.esco_uri}|important|2|Training;{asked.pk}|essential|3"))

    response = upload(member, text)

    assert refused(response) == {}
    vacancy = Vacancy.objects.get(employer=employer)
    assert dict(vacancy.skill_requirements.values_list("skill_id", "stage")) == {
        taught.pk: "training",
        asked.pk: "entry",
    }


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "“later” is not a stage: write entry"),
        ("fr", "«\u00a0later\u00a0» n’est pas une étape"),
        ("nl", "‘later’ is geen fase"),
    ],
)
def test_a_csv_skill_with_a_stage_other_than_entry_or_training_refuses_its_row(
    member, employer, language, message
):
    skill = Skill.objects.order_by("id").first()
    text = csv_text(row(skills=f"{skill.esco_uri}|important|2|later"), row(title_fr="Bon"))

    response = member.post(
        reverse("employers:vacancy_import") + f"?lang={language}",
        {"file": SimpleUploadedFile("vacancies.csv", text.encode())},
    )

    reasons = refused(response)
    assert list(reasons) == [2]
    assert message in reasons[2]["skills"]
    assert [row.number for row, _vacancy in response.context["imported"]] == [3]


def test_the_csv_template_carries_each_skills_stage(member, employer):
    template = member.get(TEMPLATE_URL).content.decode("utf-8-sig")
    skills = next(csv.DictReader(io.StringIO(template)))["skills"].split(";")
    role = Role.objects.get(slug="peace-guard")
    stages = dict(role.requirements.values_list("skill__esco_uri", "stage"))

    assert {item.split("|")[3] for item in skills} == {"entry", "training"}
    for item in skills:
        uri, _importance, _level, stage = item.split("|")
        assert stages[uri] == stage

    upload(member, template.encode())

    vacancy = Vacancy.objects.get(employer=employer)
    assert set(vacancy.skill_requirements.values_list("skill__esco_uri", "stage")) == {
        (item.split("|")[0], item.split("|")[3]) for item in skills
    }
