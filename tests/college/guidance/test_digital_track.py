"""The digital and cyber track on the job-seeker's dashboard and on their counsellor's page: the
self-assessment's state, the track's batteries only once they exist, certifications, the roles;
each in a constant number of queries, the counsellor's view logged."""

import datetime

import pytest
from django.urls import reverse

from assessments.models import Battery
from candidates.digital.services import digital_self_assessment_save, external_certification_add
from candidates.models import ProfileView
from college.reference.digital import digcomp_codes

pytestmark = pytest.mark.django_db


def add_certifications(profile, count, start=0):
    for number in range(start, start + count):
        external_certification_add(
            profile=profile,
            certification="isc2-cc",
            obtained_on=datetime.date(2025, 5, 1),
            credential_id=f"CC-{number}",
        )


def test_the_dashboard_card_before_and_after_the_self_assessment(client, cast, reference_data):
    client.force_login(cast.candidate)
    page = client.get("/me/", headers={"accept-language": "fr"}).content.decode()
    assert "Filière numérique et cyber" in page
    assert 'href="/me/digital/"' in page and 'href="/me/certifications/"' in page
    assert 'href="/roles/?sector=digital"' in page
    # The track's batteries are built elsewhere: no link while they do not exist.
    assert "/tests/cyber-aptitude" not in page
    profile = cast.candidate.candidate_profile
    digital_self_assessment_save(profile=profile, answers={"1.1": 2})
    page = client.get("/me/", headers={"accept-language": "en"}).content.decode()
    assert "1 of 21 questions answered" in page
    digital_self_assessment_save(profile=profile, answers=dict.fromkeys(digcomp_codes(), 3))
    add_certifications(profile, 1)
    page = client.get("/me/", headers={"accept-language": "nl"}).content.decode()
    assert "zelfevaluatie voltooid op" in page and "1 wacht op controle" in page


def test_the_dashboard_links_the_track_batteries_while_they_are_offered(
    client, cast, reference_data
):
    aptitude = Battery.objects.get(slug="cyber-aptitude")
    safety = Battery.objects.get(slug="digital-safety-check")

    def link(battery):
        return f'href="{reverse("assessments:battery_detail", args=[battery.local_slug])}"'

    client.force_login(cast.candidate)
    page = client.get("/me/").content.decode()
    assert link(aptitude) in page and link(safety) in page
    Battery.objects.filter(pk=safety.pk).update(is_active=False)
    page = client.get("/me/").content.decode()
    assert link(aptitude) in page and link(safety) not in page


def test_the_dashboard_reads_in_constant_queries(
    client, cast, reference_data, django_assert_max_num_queries
):
    client.force_login(cast.candidate)
    profile = cast.candidate.candidate_profile
    add_certifications(profile, 1)
    with django_assert_max_num_queries(60) as one:
        client.get("/me/")
    for number in range(5):
        external_certification_add(
            profile=profile,
            certification="comptia-a-plus",
            obtained_on=datetime.date(2025, 5, 1),
            credential_id=f"A-{number}",
        )
    digital_self_assessment_save(profile=profile, answers=dict.fromkeys(digcomp_codes(), 4))
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get("/me/")


def test_the_counsellor_sees_the_area_profile_logged_in_constant_queries(
    client, cast, reference_data, django_assert_max_num_queries
):
    profile = cast.candidate.candidate_profile
    digital_self_assessment_save(profile=profile, answers=dict.fromkeys(digcomp_codes(), 5))
    add_certifications(profile, 1)
    client.force_login(cast.counsellor)
    with django_assert_max_num_queries(80) as one:
        page = client.get(f"/caseload/{profile.pk}/", headers={"accept-language": "en"})
    text = page.content.decode()
    assert "Digital skills by theme" in text and 'role="img"' in text
    assert "level 5.0 of 6 (advanced)" in text
    assert f"/caseload/{profile.pk}/certifications/" in text
    assert ProfileView.objects.filter(profile=profile, viewer=cast.counsellor).count() == 1
    add_certifications(profile, 4, start=1)
    digital_self_assessment_save(profile=profile, answers=dict.fromkeys(digcomp_codes(), 2))
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(f"/caseload/{profile.pk}/")
