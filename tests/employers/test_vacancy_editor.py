"""The organisation's vacancy editor, its workflow and member invitations.

A vacancy starts from a role, which fills in its requirement profile and legal conditions;
bad input comes back at the field with everything typed kept, and nothing is saved. Each
organisation sees and changes only its own vacancies: another's is a 404.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from college.models import Commune, Role, Skill, normalise_for_search
from employers.models import (
    Employer,
    Invitation,
    Membership,
    Vacancy,
    VacancyLanguage,
    VacancySkill,
)
from tests import factories

pytestmark = pytest.mark.django_db

SCHAERBEEK = "21015"


def today():
    return timezone.localdate()


@pytest.fixture(autouse=True)
def english(client, settings):
    """Pages in English, so that assertions on their words hold when translations change."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def member(client, cast, reference_data):
    employer = cast.employer_member.membership.employer
    # Of no known kind, so that every role but the federal police's is offered (see
    # employers.models.roles_for_employer; tests/employers/test_role_pickers.py for each kind).
    employer.kind = Employer.Kind.OTHER
    employer.save(update_fields=["kind"])
    employer.communes.add(Commune.objects.get(nis_code=SCHAERBEEK))
    client.force_login(cast.employer_member)
    return cast.employer_member


@pytest.fixture
def employer(member):
    return member.membership.employer


@pytest.fixture
def admin(member):
    Membership.objects.filter(user=member).update(is_admin=True)
    return member


def role(slug):
    return Role.objects.get(slug=slug)


def draft_of(employer, **kwargs):
    kwargs = {"status": Vacancy.Status.DRAFT, "published_at": None, **kwargs}
    vacancy = factories.VacancyFactory(employer=employer, **kwargs)
    skills = list(Skill.objects.order_by("pk")[:2])
    for skill in skills:
        factories.VacancySkillFactory(vacancy=vacancy, skill=skill, importance="important")
    factories.VacancyLanguageFactory(vacancy=vacancy)
    return vacancy


def _as_post_value(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def post_data(response):
    """What a browser would send back for the editor page as shown, untouched."""
    context = response.context
    data = {}
    forms = [("", context["form"])]
    for formset in (context["skills"], context["languages"]):
        forms.append(("", formset.management_form))
        forms += [("", form) for form in formset.forms]
    for _prefix, form in forms:
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if value is True:
                data[key] = "on"
            elif value is False:
                continue
            else:
                data[key] = _as_post_value(value)
    return data


def counts():
    return (Vacancy.objects.count(), VacancySkill.objects.count(), VacancyLanguage.objects.count())


def errors_of(response):
    """Every error on the page: the vacancy form's, and each requirement row's by its prefix."""
    context = response.context
    found = {name: list(errors) for name, errors in context["form"].errors.items()}
    for formset in (context["skills"], context["languages"]):
        if formset.non_form_errors():
            found[formset.prefix] = list(formset.non_form_errors())
        for form in formset.forms:
            for name, errors in form.errors.items():
                found[form.add_prefix(name)] = list(errors)
    return found


# Starting from a role


def test_the_new_vacancy_page_lists_every_role_by_sector(client, member):
    response = client.get(reverse("employers:vacancy_new"))

    assert response.status_code == 200
    offered = Role.objects.exclude(slug="federal-security-agent")
    for item in offered:
        assert reverse("employers:vacancy_create", args=[item.slug]) in response.content.decode()
    assert sum(len(sector["roles"]) for sector in response.context["sectors"]) == offered.count()
    police = next(sector for sector in response.context["sectors"] if sector["label"] == "Police")
    assert {item.slug for item in police["roles"]} == set(
        offered.filter(sector="police").values_list("slug", flat=True)
    )
    assert "pre-fills" in response.content.decode() or "fills in" in response.content.decode()


def test_a_role_prefills_the_requirement_profile_and_legal_conditions(client, member):
    inspector = Role.objects.with_profile().get(slug="police-inspector")

    response = client.get(reverse("employers:vacancy_create", args=[inspector.slug]))

    assert response.status_code == 200
    form = response.context["form"]
    assert form["title_fr"].value() == inspector.title_fr
    assert form["description_nl"].value() == inspector.summary_nl
    assert form["min_age"].value() == 18
    assert form["driving_licence"].value() == "B"
    assert form["diploma_required"].value() is True
    assert form["required_diploma"].value() == "upper_secondary"
    assert form["commune"].value() == str(Commune.objects.get(nis_code=SCHAERBEEK).pk)
    skills = response.context["skills"]
    assert [row["skill"].value() for row in skills.forms[: skills.initial_form_count()]] == [
        str(requirement.skill_id) for requirement in inspector.requirements.all()
    ]
    assert skills.initial_form_count() == inspector.requirements.count()
    assert len(skills.forms) == skills.initial_form_count() + 3
    assert response.context["languages"].initial_form_count() == 2
    assert escape(inspector.alternative_route_en.split("\n")[0][:40]) in response.content.decode()


def test_an_unknown_role_is_a_404(client, member):
    assert client.get(reverse("employers:vacancy_create", args=["no-such-role"])).status_code == 404


def test_saving_a_role_as_it_is_creates_a_draft_with_its_requirements(client, member, employer):
    url = reverse("employers:vacancy_create", args=["peace-guard"])
    data = post_data(client.get(url))
    data["posts"] = "3"

    response = client.post(url, data)

    vacancy = Vacancy.objects.get(employer=employer)
    assert response.status_code == 302
    assert response["Location"] == reverse("employers:vacancy_edit", args=[vacancy.pk])
    assert vacancy.status == Vacancy.Status.DRAFT
    assert vacancy.created_by == member
    assert vacancy.role.slug == "peace-guard"
    assert vacancy.posts == 3
    assert vacancy.diploma_required is False
    assert vacancy.required_diploma == "none"
    assert vacancy.skill_requirements.count() == role("peace-guard").requirements.count()
    assert vacancy.language_requirements.count() == 2
    assert normalise_for_search(vacancy.role.title_nl) in vacancy.search_text
    page = client.get(response["Location"])
    assert "Draft saved" in page.content.decode()
    assert [action["status"] for action in page.context["actions"]] == ["published"]


# Bad input: an error at the field, nothing saved, nothing typed lost

BAD_INPUT = [
    ("closing date in the past", {"closes_on": "2020-01-01"}, "closes_on"),
    ("closing date not a date", {"closes_on": "next week"}, "closes_on"),
    ("zero posts", {"posts": "0"}, "posts"),
    ("posts not a number", {"posts": "three"}, "posts"),
    ("a huge number of posts", {"posts": "99999999999999999999"}, "posts"),
    ("salary max below min", {"salary_min": "3000", "salary_max": "2500"}, "salary_max"),
    ("salary not a number", {"salary_min": "lots"}, "salary_min"),
    ("hours not a number", {"hours_per_week": "ten"}, "hours_per_week"),
    ("a commune outside Brussels", {"commune": "999999"}, "commune"),
    ("no French title", {"title_fr": ""}, "title_fr"),
    ("unknown contract", {"contract": "forever"}, "contract"),
    ("diploma where the law requires none", {"diploma_required": "on"}, "diploma_required"),
    ("unknown skill id", {"skills-0-skill": "987654"}, "skills-0-skill"),
    ("skill id not a number", {"skills-0-skill": "abc"}, "skills-0-skill"),
    ("level out of range", {"skills-0-min_level": "9"}, "skills-0-min_level"),
    ("level not a number", {"skills-0-min_level": "x"}, "skills-0-min_level"),
    ("unknown importance", {"skills-0-importance": "vital"}, "skills-0-importance"),
    ("unknown language", {"languages-0-language": "xx"}, "languages-0-language"),
    ("unknown CEFR level", {"languages-0-min_cefr": "D9"}, "languages-0-min_cefr"),
    ("tampered row count", {"skills-TOTAL_FORMS": "abc"}, "skills"),
]


@pytest.mark.parametrize(
    ("change", "field"),
    [pytest.param(change, field, id=name) for name, change, field in BAD_INPUT],
)
def test_bad_input_on_a_new_vacancy_is_shown_at_the_field_and_saves_nothing(
    client, member, change, field
):
    url = reverse("employers:vacancy_create", args=["peace-guard"])
    data = post_data(client.get(url))
    data["title_nl"] = "Mijn getypte titel"
    data.update(change)
    before = counts()

    response = client.post(url, data)

    assert response.status_code == 200
    assert field in errors_of(response)
    assert counts() == before
    page = response.content.decode()
    assert "Mijn getypte titel" in page
    assert 'class="error-summary"' in page


def test_a_duplicate_skill_is_refused_at_the_second_row(client, member):
    url = reverse("employers:vacancy_create", args=["peace-guard"])
    data = post_data(client.get(url))
    data["skills-1-skill"] = data["skills-0-skill"]
    before = counts()

    response = client.post(url, data)

    errors = errors_of(response)
    assert "skills-1-skill" in errors
    assert "skills-0-skill" not in errors
    assert "already required" in errors["skills-1-skill"][0]
    assert counts() == before


def test_a_removed_duplicate_row_is_no_longer_a_duplicate(client, member, employer):
    url = reverse("employers:vacancy_create", args=["peace-guard"])
    data = post_data(client.get(url))
    data["skills-1-skill"] = data["skills-0-skill"]
    data["skills-1-DELETE"] = "on"

    response = client.post(url, data)

    assert response.status_code == 302
    vacancy = Vacancy.objects.get(employer=employer)
    assert vacancy.skill_requirements.count() == role("peace-guard").requirements.count() - 1


def test_a_duplicate_language_is_refused(client, member):
    url = reverse("employers:vacancy_create", args=["peace-guard"])
    data = post_data(client.get(url))
    data["languages-1-language"] = data["languages-0-language"]
    before = counts()

    response = client.post(url, data)

    assert "languages-1-language" in errors_of(response)
    assert counts() == before


def test_an_employer_without_communes_must_choose_one(client, member, employer):
    employer.communes.clear()
    url = reverse("employers:vacancy_create", args=["peace-guard"])
    data = post_data(client.get(url))
    assert data["commune"] == ""

    response = client.post(url, data)

    assert "commune" in errors_of(response)
    assert not Vacancy.objects.filter(employer=employer).exists()


def test_editing_with_bad_input_leaves_the_vacancy_unchanged(client, member, employer):
    vacancy = draft_of(employer, posts=2)
    url = reverse("employers:vacancy_edit", args=[vacancy.pk])
    data = post_data(client.get(url))
    data.update(
        {
            "title_fr": "Nouveau titre",
            "posts": "0",
            "closes_on": (today() - datetime.timedelta(days=1)).isoformat(),
            "skills-0-DELETE": "on",
            "skills-2-skill": "987654",
        }
    )
    skills_before = list(vacancy.skill_requirements.values_list("skill_id", "min_level"))

    response = client.post(url, data)

    assert response.status_code == 200
    assert {"posts", "closes_on", "skills-2-skill"} <= set(errors_of(response))
    vacancy.refresh_from_db()
    assert vacancy.title_fr.startswith("Gardien de la paix")
    assert vacancy.posts == 2
    assert list(vacancy.skill_requirements.values_list("skill_id", "min_level")) == skills_before
    assert "Nouveau titre" in response.content.decode()


def test_editing_changes_fields_and_replaces_requirements(client, member, employer):
    vacancy = draft_of(employer)
    url = reverse("employers:vacancy_edit", args=[vacancy.pk])
    data = post_data(client.get(url))
    new_skill = Skill.objects.exclude(pk__in=vacancy.skill_requirements.values("skill_id")).first()
    data.update(
        {
            "title_en": "Neighbourhood warden",
            "salary_min": "2400",
            "salary_max": "2900",
            "hours_per_week": "38",
            "nights": "on",
            "skills-0-DELETE": "on",
            "skills-2-skill": str(new_skill.pk),
            "skills-2-importance": "essential",
            "skills-2-min_level": "3",
            "languages-0-certificate": "art8",
        }
    )

    response = client.post(url, data)

    assert response.status_code == 302
    vacancy.refresh_from_db()
    assert vacancy.title_en == "Neighbourhood warden"
    assert (vacancy.salary_min, vacancy.salary_max, vacancy.nights) == (2400, 2900, True)
    requirements = {item.skill_id: item for item in vacancy.skill_requirements.all()}
    assert len(requirements) == 2
    assert requirements[new_skill.pk].importance == "essential"
    assert requirements[new_skill.pk].min_level == 3
    assert vacancy.language_requirements.get().certificate == "art8"


def test_an_old_past_closing_date_may_stay_while_other_fields_change(client, member, employer):
    vacancy = draft_of(employer, status=Vacancy.Status.CLOSED)
    Vacancy.objects.filter(pk=vacancy.pk).update(closes_on=today() - datetime.timedelta(days=3))
    url = reverse("employers:vacancy_edit", args=[vacancy.pk])
    data = post_data(client.get(url))
    data["address"] = "Place Colignon"

    assert client.post(url, data).status_code == 302
    vacancy.refresh_from_db()
    assert vacancy.address == "Place Colignon"


# The diploma: only where the law requires one


def test_no_diploma_may_be_asked_where_the_law_requires_none(client, member):
    response = client.get(reverse("employers:vacancy_create", args=["peace-guard"]))

    page = response.content.decode()
    assert "No diploma may be required for this role" in page
    assert 'name="diploma_required"' not in page
    assert 'name="required_diploma"' not in page


def test_a_diploma_may_be_asked_where_the_law_requires_one_with_its_alternative_route(
    client, member, employer
):
    inspector = role("police-inspector")
    url = reverse("employers:vacancy_create", args=[inspector.slug])
    response = client.get(url)
    page = response.content.decode()
    assert 'name="diploma_required"' in page
    assert "The legal way in without this diploma" in page
    assert escape(inspector.alternative_route[:30]) in page

    response = client.post(url, post_data(response))

    assert response.status_code == 302
    vacancy = Vacancy.objects.get(employer=employer)
    assert vacancy.diploma_required is True
    assert vacancy.required_diploma == "upper_secondary"


def test_a_diploma_higher_than_the_law_requires_is_refused(client, member):
    url = reverse("employers:vacancy_create", args=["police-inspector"])
    data = post_data(client.get(url))
    data["required_diploma"] = "bachelor"
    before = counts()

    response = client.post(url, data)

    assert "required_diploma" in errors_of(response)
    assert counts() == before


def test_unticking_the_diploma_saves_none(client, member, employer):
    url = reverse("employers:vacancy_create", args=["police-inspector"])
    data = post_data(client.get(url))
    del data["diploma_required"]

    assert client.post(url, data).status_code == 302
    vacancy = Vacancy.objects.get(employer=employer)
    assert (vacancy.diploma_required, vacancy.required_diploma) == (False, "none")


# The workflow


def set_status(client, vacancy, status):
    return client.post(reverse("employers:vacancy_status", args=[vacancy.pk]), {"status": status})


def test_a_vacancy_goes_through_its_workflow_with_dates(client, member, employer):
    vacancy = draft_of(employer)

    assert set_status(client, vacancy, "published").status_code == 302
    vacancy.refresh_from_db()
    assert vacancy.status == "published" and vacancy.published_at is not None
    assert Vacancy.objects.published().filter(pk=vacancy.pk).exists()

    set_status(client, vacancy, "closed")
    vacancy.refresh_from_db()
    assert vacancy.status == "closed" and vacancy.closed_at is not None

    page = client.get(reverse("employers:vacancy_edit", args=[vacancy.pk]))
    labels = [action["label"] for action in page.context["actions"]]
    assert labels == ["Publish again", "Mark as filled"]

    set_status(client, vacancy, "published")
    vacancy.refresh_from_db()
    assert vacancy.status == "published" and vacancy.closed_at is None

    set_status(client, vacancy, "filled")
    vacancy.refresh_from_db()
    assert vacancy.status == "filled" and vacancy.filled_at is not None

    response = set_status(client, vacancy, "published")
    vacancy.refresh_from_db()
    assert vacancy.status == "filled"
    page = client.get(response["Location"])
    assert page.context["actions"] == []
    assert "cannot go from" in page.content.decode()


def test_an_unverified_organisation_cannot_publish_and_sees_why(client, member, employer):
    employer.is_verified = False
    employer.save()
    vacancy = draft_of(employer)

    response = set_status(client, vacancy, "published")

    vacancy.refresh_from_db()
    assert vacancy.status == "draft" and vacancy.published_at is None
    page = client.get(response["Location"]).content.decode()
    assert "must be verified by the college" in page
    assert "the college has not verified it" in page
    assert 'value="published"' not in page


def test_a_past_closing_date_cannot_be_published(client, member, employer):
    vacancy = draft_of(employer)
    Vacancy.objects.filter(pk=vacancy.pk).update(closes_on=today() - datetime.timedelta(days=1))

    response = set_status(client, vacancy, "published")

    vacancy.refresh_from_db()
    assert vacancy.status == "draft"
    assert "closing date is in the past" in client.get(response["Location"]).content.decode()


def test_an_unknown_status_is_refused_with_a_message(client, member, employer):
    vacancy = draft_of(employer)

    response = set_status(client, vacancy, "archived")

    assert response.status_code == 302
    vacancy.refresh_from_db()
    assert vacancy.status == "draft"


def test_the_status_page_takes_only_post(client, member, employer):
    vacancy = draft_of(employer)

    assert client.get(reverse("employers:vacancy_status", args=[vacancy.pk])).status_code == 405


def test_the_edit_page_shows_the_workflow_dates(client, member, employer):
    vacancy = draft_of(employer)
    set_status(client, vacancy, "published")

    page = client.get(reverse("employers:vacancy_edit", args=[vacancy.pk])).content.decode()

    assert "Published on" in page and "Created on" in page and "Not yet" not in page


# Tenant isolation and roles


def test_another_organisation_gets_a_404_and_changes_nothing(client, cast, member, employer):
    vacancy = draft_of(employer)
    edit_url = reverse("employers:vacancy_edit", args=[vacancy.pk])
    data = post_data(client.get(edit_url))
    data["title_fr"] = "Piraté"
    client.force_login(cast.other_employer_member)

    assert client.get(edit_url).status_code == 404
    assert client.post(edit_url, data).status_code == 404
    status_url = reverse("employers:vacancy_status", args=[vacancy.pk])
    assert client.get(status_url).status_code == 404
    assert client.post(status_url, {"status": "published"}).status_code == 404
    pipeline_url = reverse("employers:pipeline", args=[vacancy.pk])
    assert client.get(pipeline_url).status_code == 404
    vacancy.refresh_from_db()
    assert vacancy.status == "draft" and vacancy.title_fr != "Piraté"
    listing = client.get(reverse("employers:vacancy_list"))
    assert vacancy not in list(listing.context["vacancies"])


def _protected_urls(vacancy):
    return [
        ("get", reverse("employers:vacancy_list")),
        ("get", reverse("employers:vacancy_new")),
        ("get", reverse("employers:vacancy_create", args=["peace-guard"])),
        ("get", reverse("employers:vacancy_edit", args=[vacancy.pk])),
        ("post", reverse("employers:vacancy_edit", args=[vacancy.pk])),
        ("post", reverse("employers:vacancy_status", args=[vacancy.pk])),
        ("get", reverse("employers:member_invite")),
        ("post", reverse("employers:member_invite")),
    ]


@pytest.mark.parametrize("who", ["candidate", "counsellor", "staff"])
def test_other_roles_are_refused(client, cast, employer, who):
    vacancy = draft_of(employer)
    client.force_login(getattr(cast, who))

    for method, url in _protected_urls(vacancy):
        assert getattr(client, method)(url, {"status": "published"}).status_code == 403, url
    vacancy.refresh_from_db()
    assert vacancy.status == "draft"


def test_anonymous_visitors_are_sent_to_log_in(client, employer):
    vacancy = draft_of(employer)
    client.logout()

    for method, url in _protected_urls(vacancy):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


# The list and the dashboard


def test_the_list_shows_drafts_with_status_counts_and_filters(client, member, employer):
    draft = draft_of(employer)
    published = factories.VacancyFactory(employer=employer)
    factories.ApplicationFactory(vacancy=published)
    factories.ApplicationFactory(vacancy=published)
    factories.VacancyFactory()  # another organisation's

    response = client.get(reverse("employers:vacancy_list"))

    assert set(response.context["vacancies"]) == {draft, published}
    counts_by_status = {item["status"]: item["count"] for item in response.context["status_counts"]}
    assert counts_by_status == {"draft": 1, "published": 1, "closed": 0, "filled": 0}
    page = response.content.decode()
    assert "2 applications" in page
    assert reverse("employers:pipeline", args=[published.pk]) in page
    assert "?status=draft" in page
    filtered = client.get(reverse("employers:vacancy_list"), {"status": "draft"})
    assert list(filtered.context["vacancies"]) == [draft]
    anything = client.get(reverse("employers:vacancy_list"), {"status": "nonsense"})
    assert anything.status_code == 200 and len(anything.context["vacancies"]) == 2


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("url_name", ["employers:vacancy_list", "employers:dashboard"])
def test_the_list_and_dashboard_take_a_constant_number_of_queries(
    client, member, employer, url_name
):
    url = reverse(url_name)
    factories.ApplicationFactory(vacancy=draft_of(employer))
    one = _queries(client, url)
    for _number in range(7):
        factories.ApplicationFactory(vacancy=factories.VacancyFactory(employer=employer))
    assert Vacancy.objects.filter(employer=employer).count() == 8

    assert _queries(client, url) == one


def test_the_dashboard_shows_counts_latest_vacancies_and_invitations(client, admin, employer):
    draft_of(employer, title_en="The most recent")
    Invitation.objects.create(
        employer=employer,
        email="pending@example.org",
        token="t" * 40,
        expires_at=timezone.now() + datetime.timedelta(days=3),
    )

    page = client.get(reverse("employers:dashboard")).content.decode()

    assert "The most recent" in page
    assert reverse("employers:member_invite") in page
    assert "pending@example.org" in page
    assert f"{reverse('employers:vacancy_list')}?status=draft" in page


# Invitations


def test_an_admin_invites_a_colleague_who_joins_and_is_logged_in(
    client, admin, employer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("employers:member_invite"), {"email": "New.Colleague@Example.org"}
        )

    assert response.status_code == 302
    invitation = Invitation.objects.get(email="new.colleague@example.org")
    assert invitation.employer == employer and invitation.invited_by == admin
    assert len(mailoutbox) == 1
    accept_url = reverse("employers:invitation_accept", args=[invitation.token])
    assert accept_url in mailoutbox[0].body
    assert (
        "new.colleague@example.org"
        in client.get(reverse("employers:member_invite")).content.decode()
    )

    client.logout()
    page = client.get(accept_url)
    assert page.status_code == 200 and employer.name in page.content.decode()
    response = client.post(
        accept_url,
        {
            "full_name": "Nouvelle Collègue",
            "password": "un pont entre deux rives",
            "accepts_terms": "on",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("employers:dashboard")
    membership = Membership.objects.select_related("user").get(user__email=invitation.email)
    assert membership.employer == employer and membership.is_admin is False
    assert membership.user.role == "employer"
    assert client.session["_auth_user_id"] == str(membership.user.pk)
    assert client.get(response["Location"]).status_code == 200

    client.logout()
    assert client.get(accept_url).status_code == 404
    reused = client.post(
        accept_url,
        {"full_name": "Encore", "password": "un pont entre deux rives", "accepts_terms": "on"},
    )
    assert reused.status_code == 404
    assert Membership.objects.filter(employer=employer).count() == 2


def _invitation(employer, **kwargs):
    return Invitation.objects.create(
        employer=employer,
        email=kwargs.pop("email", "someone@example.org"),
        token=kwargs.pop("token", "valid-token-" + "x" * 30),
        expires_at=kwargs.pop("expires_at", timezone.now() + datetime.timedelta(days=14)),
        **kwargs,
    )


def test_an_expired_or_unknown_invitation_is_a_friendly_404(client, employer, settings):
    expired = _invitation(employer, expires_at=timezone.now() - datetime.timedelta(minutes=1))
    client.logout()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # logging out dropped the cookie

    for token in [expired.token, "no-such-token", "x" * 500]:
        response = client.get(reverse("employers:invitation_accept", args=[token]))
        assert response.status_code == 404
        assert "does not work" in response.content.decode()
    response = client.post(
        reverse("employers:invitation_accept", args=[expired.token]),
        {"full_name": "Late", "password": "un pont entre deux rives", "accepts_terms": "on"},
    )
    assert response.status_code == 404
    assert not Membership.objects.filter(user__email=expired.email).exists()


def test_accepting_needs_a_good_password_and_the_terms(client, employer):
    invitation = _invitation(employer)
    client.logout()
    url = reverse("employers:invitation_accept", args=[invitation.token])

    response = client.post(url, {"full_name": "Someone", "password": "short"})

    assert response.status_code == 200
    assert {"password", "accepts_terms"} <= set(response.context["form"].errors)
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_a_signed_in_user_is_asked_to_log_out_first(client, cast, employer):
    invitation = _invitation(employer)
    client.force_login(cast.candidate)

    response = client.post(
        reverse("employers:invitation_accept", args=[invitation.token]),
        {"full_name": "X", "password": "un pont entre deux rives", "accepts_terms": "on"},
    )

    assert response.status_code == 200
    assert "Log out first" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_inviting_an_address_that_has_an_account_is_a_field_error(
    client, admin, cast, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("employers:member_invite"), {"email": cast.candidate.email})

    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_a_bad_address_is_a_field_error(client, admin):
    response = client.post(reverse("employers:member_invite"), {"email": "not an address"})

    assert "email" in response.context["form"].errors
    assert not Invitation.objects.exists()


def test_a_member_who_does_not_manage_members_cannot_invite(client, member):
    Membership.objects.filter(user=member).update(is_admin=False)

    page = client.get(reverse("employers:member_invite"))
    response = client.post(reverse("employers:member_invite"), {"email": "x@example.org"})

    assert page.status_code == 403
    assert "Only the members who manage" in page.content.decode()
    assert response.status_code == 403
    assert not Invitation.objects.exists()


# Each requirement's stage survives the editor


def test_a_role_saved_as_it_is_keeps_the_skills_its_school_teaches_as_learned_in_training(
    client, member, employer
):
    url = reverse("employers:vacancy_create", args=["police-agent"])
    data = post_data(client.get(url))

    assert client.post(url, data).status_code == 302

    vacancy = Vacancy.objects.get(employer=employer)
    expected = dict(role("police-agent").requirements.values_list("skill_id", "stage"))
    assert dict(vacancy.skill_requirements.values_list("skill_id", "stage")) == expected
    assert "training" in expected.values()


def test_editing_a_vacancy_shows_and_keeps_each_requirements_stage(client, member, employer):
    vacancy = draft_of(employer)
    taught = vacancy.skill_requirements.order_by("pk").first()
    taught.stage = "training"
    taught.save(update_fields=["stage"])
    url = reverse("employers:vacancy_edit", args=[vacancy.pk])
    response = client.get(url)
    rows = {
        form["skill"].value(): form["stage"].value() for form in response.context["skills"].forms
    }
    assert rows[str(taught.skill_id)] == "training"

    assert client.post(url, post_data(response)).status_code == 302

    # The editor writes the requirements again: the row is new, its stage the same.
    assert vacancy.skill_requirements.get(skill_id=taught.skill_id).stage == "training"
    assert vacancy.skill_requirements.filter(stage="entry").count() == 1
