"""Deny by default: role pages for their role; profiles for their owner and counsellors."""

import pytest
from django.http import Http404

from candidates.access import get_profile_for, profiles_visible_to
from employers.access import get_membership_for
from tests import factories

pytestmark = pytest.mark.django_db

ROLE_PAGES = {
    "candidate": "/me/",
    "counsellor": "/caseload/",
    "employer_member": "/employer/",
    "staff": "/staff/",
}


@pytest.mark.parametrize("url", [*ROLE_PAGES.values(), "/start/"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("owner", ROLE_PAGES)
@pytest.mark.parametrize("visitor", ROLE_PAGES)
def test_each_start_page_is_for_its_own_role_only(client, cast, owner, visitor):
    client.force_login(getattr(cast, visitor))
    response = client.get(ROLE_PAGES[owner])
    assert response.status_code == (200 if owner == visitor else 403)


def test_the_candidate_start_page_shows_their_own_skills_and_languages(client, cast):
    profile = cast.candidate.candidate_profile
    factories.CandidateSkillFactory(profile=profile, skill__label_fr="patrouiller une zone")
    factories.CandidateSkillFactory(
        profile=cast.other_candidate.candidate_profile, skill__label_fr="compétence d’un autre"
    )
    factories.CandidateLanguageFactory(
        profile=profile, language__name_fr="néerlandais test", cefr="B2"
    )
    client.force_login(cast.candidate)
    page = client.get("/me/").content.decode()
    assert "patrouiller une zone" in page
    assert "Néerlandais test" in page and "B2" in page
    assert "compétence d’un autre" not in page
    assert "Marc Test" in page  # their counsellor


def test_the_caseload_lists_only_the_counsellors_own_job_seekers(client, cast):
    client.force_login(cast.counsellor)
    page = client.get("/caseload/").content.decode()
    assert "Yasmine Test" in page
    assert "Other Test" not in page


def test_an_ended_guidance_leaves_the_caseload(client, cast):
    from django.utils import timezone

    cast.counsellor.guidances_given.update(ended_at=timezone.now())
    client.force_login(cast.counsellor)
    assert "Yasmine Test" not in client.get("/caseload/").content.decode()


def test_the_caseload_query_count_does_not_grow_with_its_size(
    client, cast, django_assert_max_num_queries
):
    client.force_login(cast.counsellor)
    # Nine: the two flags that need action now (an open invitation, a missed session) read
    # one query each, for the whole page.
    with django_assert_max_num_queries(9) as first:
        client.get("/caseload/")
    for _ in range(10):
        guided = factories.GuidanceFactory(counsellor=cast.counsellor).candidate
        factories.CandidateSkillFactory(profile=guided.candidate_profile)
    with django_assert_max_num_queries(len(first.captured_queries)):
        page = client.get("/caseload/")
    assert len(page.context["rows"]) == 11


def test_the_employer_page_shows_the_members_own_organisation(client, cast):
    client.force_login(cast.employer_member)
    page = client.get("/employer/").content.decode()
    assert "Zone de police Test" in page
    assert "Service Prévention Autre" not in page


def test_profiles_are_visible_to_their_owner_and_active_counsellors_only(cast):
    own = cast.candidate.candidate_profile
    other = cast.other_candidate.candidate_profile
    assert list(profiles_visible_to(cast.candidate)) == [own]
    assert list(profiles_visible_to(cast.counsellor)) == [own]
    assert list(profiles_visible_to(cast.other_counsellor)) == [other]
    assert list(profiles_visible_to(cast.employer_member)) == []
    assert list(profiles_visible_to(cast.staff)) == []


def test_a_profile_the_user_may_not_see_is_a_404(cast):
    other = cast.other_candidate.candidate_profile
    assert get_profile_for(cast.other_counsellor, other.pk) == other
    for outsider in (cast.candidate, cast.counsellor, cast.employer_member, cast.staff):
        with pytest.raises(Http404):
            get_profile_for(outsider, other.pk)


def test_only_employer_members_have_a_membership(cast):
    assert get_membership_for(cast.employer_member).employer.name == "Zone de police Test"
    for outsider in (cast.candidate, cast.counsellor, cast.staff):
        with pytest.raises(Http404):
            get_membership_for(outsider)


def test_the_administration_is_for_college_staff_only(client, cast):
    for outsider in (cast.candidate, cast.counsellor, cast.employer_member):
        client.force_login(outsider)
        assert client.get("/admin/").status_code == 302
    client.force_login(cast.staff)
    assert client.get("/admin/").status_code == 200


def test_a_job_seeker_account_made_in_the_admin_gets_its_profile_on_first_visit(client):
    user = factories.UserFactory(role="candidate")
    client.force_login(user)
    assert client.get("/me/").status_code == 200
    assert user.candidate_profile.pk
