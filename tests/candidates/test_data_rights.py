"""A job-seeker sees what is held about them, downloads it, and can erase their account."""

import datetime

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from rest_framework.authtoken.models import Token

from candidates.models import (
    CandidateProfile,
    Consent,
    Education,
    ErasedProfileStatistic,
    Evidence,
    Experience,
    ProfileView,
)
from candidates.services import candidate_shortlist_consent_set, profile_view_log
from college.models import Commune, Guidance, Role, Skill, User
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-enough-password"


@pytest.fixture
def person(cast, reference_data):
    """The cast's job-seeker with identifying details in every corner of their profile."""
    user = cast.candidate
    user.full_name = "Zoé Identifiable-Unique"
    user.save()
    profile = user.candidate_profile
    profile.phone = "+32 470 99 88 77"
    profile.headline = "Ancienne animatrice au quartier Nord, prête pour la suite"
    profile.commune = Commune.objects.get(name_fr="Schaerbeek")
    profile.save()
    profile.target_roles.set([Role.objects.get(slug="peace-guard")])
    factories.CandidateSkillFactory(
        profile=profile,
        evidence=Evidence.COUNSELLOR_VALIDATED,
        evidence_note="Vu en stage chez Zoé",
        validated_by=cast.counsellor,
    )
    factories.CandidateSkillFactory(profile=profile)
    factories.CandidateLanguageFactory(profile=profile, cefr="C1")
    experience = Experience.objects.create(
        profile=profile,
        kind=Experience.Kind.CARING,
        title="Aidante de ma grand-mère rue Zoé-Unique",
        started_on=datetime.date(2020, 1, 1),
    )
    experience.skills.set(Skill.objects.all()[:2])
    Education.objects.create(
        profile=profile,
        level=Education.Level.UPPER_SECONDARY,
        institution="Athénée Zoé-Unique",
        country="Maroc",
        recognition=Education.Recognition.PENDING,
    )
    candidate_shortlist_consent_set(profile=profile, given=True)
    profile_view_log(profile=profile, viewer=cast.counsellor, channel=ProfileView.Channel.PAGE)
    Token.objects.create(user=user)
    LogEntry.objects.log_actions(
        user_id=cast.staff.pk, queryset=[user], action_flag=CHANGE, change_message="edited"
    )
    return user


def identifying_values(user):
    return [
        user.email,
        user.full_name,
        "+32 470 99 88 77",
        "quartier Nord",
        "chez Zoé",
        "Zoé-Unique",
    ]


def rows_mentioning(value):
    """Every (model, pk) whose text columns contain `value`, across the whole database."""
    found = []
    for model in apps.get_models():
        text_fields = [
            field.name
            for field in model._meta.get_fields()
            if isinstance(field, models.CharField | models.TextField | models.JSONField)
            and field.concrete
        ]
        condition = models.Q()
        for name in text_fields:
            condition |= models.Q(**{f"{name}__icontains": value})
        if text_fields and model.objects.filter(condition).exists():
            found.append(model._meta.label)
    return found


def test_my_data_page_says_what_is_held_and_offers_both_rights(client, person):
    client.force_login(person)
    page = client.get("/me/data/", headers={"accept-language": "en"}).content.decode()
    assert "Zoé Identifiable-Unique" in page
    assert 'href="/api/v1/me/export/"' in page
    assert 'href="/me/data/erase/"' in page


def test_the_download_link_serves_the_export_to_the_signed_in_candidate(client, person):
    client.force_login(person)
    response = client.get("/api/v1/me/export/")
    assert response.status_code == 200
    assert response.json()["account"]["email"] == person.email


def test_a_wrong_password_erases_nothing(client, person):
    client.force_login(person)
    response = client.post("/me/data/erase/", {"password": "not my password", "understands": "on"})
    assert response.status_code == 200
    assert "password" in response.context["form"].errors
    assert User.objects.filter(pk=person.pk).exists()


def test_erasure_must_be_confirmed(client, person):
    client.force_login(person)
    response = client.post("/me/data/erase/", {"password": PASSWORD})
    assert "understands" in response.context["form"].errors
    assert User.objects.filter(pk=person.pk).exists()


def test_erasure_leaves_nothing_that_identifies_the_person(client, person):
    values = identifying_values(person)
    for value in values:
        assert rows_mentioning(value), value  # the scan does find them before
    client.force_login(person)
    response = client.post("/me/data/erase/", {"password": PASSWORD, "understands": "on"})
    assert response.status_code == 302 and response["Location"] == "/"
    for value in values:
        assert rows_mentioning(value) == [], value
    assert not User.objects.filter(pk=person.pk).exists()
    assert not Token.objects.filter(user_id=person.pk).exists()
    assert not Guidance.objects.filter(candidate_id=person.pk).exists()
    assert not Consent.objects.exists() and not ProfileView.objects.exists()
    assert not Experience.objects.exists() and not Education.objects.exists()
    assert client.get("/me/").status_code == 302  # signed out


def test_erasure_keeps_only_anonymous_figures(client, person):
    client.force_login(person)
    client.post("/me/data/erase/", {"password": PASSWORD, "understands": "on"})
    statistic = ErasedProfileStatistic.objects.get()
    assert statistic.erased_month.day == 1
    assert statistic.commune.name_fr == "Schaerbeek"
    assert statistic.target_role_slugs == ["peace-guard"]
    assert statistic.skill_count == 2
    assert statistic.evidence_counts == {"counsellor_validated": 1, "self_declared": 1}
    assert statistic.language_count == 1 and statistic.had_counsellor


def test_erasing_one_account_leaves_the_others_alone(client, person, cast):
    client.force_login(person)
    client.post("/me/data/erase/", {"password": PASSWORD, "understands": "on"})
    assert CandidateProfile.objects.filter(user=cast.other_candidate).exists()
    assert User.objects.filter(pk=cast.counsellor.pk).exists()
    assert (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(User), object_id=str(person.pk)
        ).count()
        == 0
    )


@pytest.mark.parametrize("url", ["/me/data/", "/me/data/erase/"])
def test_data_rights_pages_are_for_job_seekers_only(client, cast, url):
    assert client.get(url)["Location"].startswith("/accounts/login/")
    for outsider in (cast.counsellor, cast.employer_member, cast.staff):
        client.force_login(outsider)
        assert client.get(url).status_code == 403
        assert client.post(url, {"password": PASSWORD, "understands": "on"}).status_code in (
            403,
            405,
        )
    assert User.objects.filter(pk=cast.counsellor.pk).exists()


def test_the_persons_other_open_sessions_no_longer_let_anyone_in(client, person):
    from django.test import Client

    other_device = Client()
    other_device.force_login(person)
    client.force_login(person)
    client.post("/me/data/erase/", {"password": PASSWORD, "understands": "on"})
    assert other_device.get("/me/")["Location"].startswith("/accounts/login/")
