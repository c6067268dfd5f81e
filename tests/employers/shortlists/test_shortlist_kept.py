"""The shortlist's explained rows, kept in the shared cache between reads.

A page's cards and the API's rows are the same for every member of the vacancy's organisation:
they are rendered once and kept under a key that changes with anything they show. These tests
check that a kept read costs fewer queries than a fresh one and as many for 40 candidates as
for 5, that every change a row shows (an invitation, an application, a skill, the vacancy's
requirements) is seen at the next read, that the blind rows stay blind, that each reader gets
their own CSRF token, and that the access check comes before the cache.
"""

# The fixtures come from the shortlist tests: pytest passes them by name (F811).
# ruff: noqa: F811

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from candidates.models import CandidateProfile, CandidateSkill
from employers.models import ShortlistInvitation, Vacancy, VacancyRanking
from employers.shortlists import selectors
from employers.shortlists.selectors import candidate_ref, kept_shortlist_keys
from tests import factories
from tests.employers.shortlists.test_shortlists import (  # noqa: F401 - fixtures
    api_url,
    client,
    grow_pool,
    invite_url,
    login_api,
    make_candidate,
    page_url,
    pool,
    skills,
    vacancy,
    yasmine,
)

pytestmark = pytest.mark.django_db
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def cards(response):
    """The page's ranked cards, without the reader's CSRF token."""
    page = response.content.decode()
    return CSRF_INPUT.sub("", page[page.index('<ol class="item-list shortlist"') :])


def queries(callable_):
    with CaptureQueriesContext(connection) as context:
        response = callable_()
    return len(context.captured_queries), response


def test_a_kept_page_costs_fewer_queries_and_the_same_for_40_candidates_as_for_5(
    client, cast, vacancy, skills
):
    client.force_login(cast.employer_member)
    grow_pool(skills, 5)
    cache.clear()
    fresh, first = queries(lambda: client.get(page_url(vacancy)))
    kept, second = queries(lambda: client.get(page_url(vacancy)))
    assert kept < fresh
    assert cards(first) == cards(second)
    grow_pool(skills, 35)
    client.get(page_url(vacancy))
    kept_large, _response = queries(lambda: client.get(page_url(vacancy)))
    assert kept_large == kept


def test_the_kept_api_rows_cost_fewer_queries_and_the_same_for_40_as_for_5(
    api_client, cast, vacancy, skills
):
    client = login_api(api_client, cast.employer_member)
    grow_pool(skills, 5)
    cache.clear()
    fresh, first = queries(lambda: client.get(api_url(vacancy)))
    kept, second = queries(lambda: client.get(api_url(vacancy)))
    assert kept < fresh
    assert first.json() == second.json()
    grow_pool(skills, 35)
    client.get(api_url(vacancy), {"page_size": 40})
    kept_large, response = queries(lambda: client.get(api_url(vacancy), {"page_size": 40}))
    assert len(response.json()["results"]) == 40
    assert kept_large == kept


def test_a_kept_read_with_nothing_new_takes_a_constant_few_queries(
    client, api_client, cast, vacancy, pool, django_capture_on_commit_callbacks
):
    """Both: the vacancy (with, for the page, whether invitations can be sent), the pool's count,
    the ranking (two, no lock) and what the rows show; the page also its session and user (two:
    the tests keep sessions in the database, production in Redis); the API client here is
    authenticated without a token. (The page took one more before whether invitations can be
    sent was read with the vacancy.)"""
    client.force_login(cast.employer_member)
    api = login_api(api_client, cast.employer_member)
    with django_capture_on_commit_callbacks(execute=True):  # the ranking's re-scoring noted
        client.get(page_url(vacancy))
        api.get(api_url(vacancy))
    page, _response = queries(lambda: client.get(page_url(vacancy)))
    rows, _response = queries(lambda: api.get(api_url(vacancy)))
    assert (page, rows) == (7, 5)


def test_each_reader_gets_their_own_csrf_token_in_the_kept_cards(cast, vacancy, pool):
    colleague = factories.EmployerMemberFactory(
        membership__employer=cast.employer_member.membership.employer
    )
    first = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    first.force_login(cast.employer_member)
    mine = cards(first.get(page_url(vacancy)))
    second = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    second.force_login(colleague)
    response = second.get(page_url(vacancy))
    page = response.content.decode()
    assert "passerelle-csrf-" not in page
    # The same cards for both members of the organisation, read from the cache the second time.
    assert re.findall(r'id="(C-[A-Z2-7]{10})"', mine) == re.findall(r'id="(C-[A-Z2-7]{10})"', page)
    # The colleague's card forms carry a token of their own session: the invitation goes through.
    ref = candidate_ref(vacancy, pool["strong"])
    card = page[page.index(f'id="{ref}"') :]
    token = CSRF_INPUT.search(card).group(1)
    invited = second.post(
        invite_url(vacancy, ref), {"csrfmiddlewaretoken": token, "page": "1"}, follow=False
    )
    assert invited.status_code == 302
    assert ShortlistInvitation.objects.filter(vacancy=vacancy, invited_by=colleague).count() == 1


def test_an_invitation_reveals_the_row_at_the_next_read_and_the_others_stay_blind(
    client, api_client, cast, vacancy, pool
):
    client.force_login(cast.employer_member)
    api = login_api(api_client, cast.employer_member)
    name = pool["yasmine"].user.full_name
    assert name not in client.get(page_url(vacancy)).content.decode()
    assert name not in str(api.get(api_url(vacancy)).json())
    ShortlistInvitation.objects.create(
        vacancy=vacancy, profile=pool["yasmine"], invited_by=cast.employer_member
    )
    page = client.get(page_url(vacancy)).content.decode()
    rows = api.get(api_url(vacancy)).json()["results"]
    assert name in page
    revealed = [row for row in rows if row["revealed"]]
    assert [row["revealed"]["full_name"] for row in revealed] == [name]
    assert revealed[0]["candidate_ref"] == candidate_ref(vacancy, pool["yasmine"])
    for other in ("strong", "middle", "partial"):
        assert pool[other].user.full_name not in page


def test_a_changed_skill_an_application_and_a_changed_requirement_are_seen_at_the_next_read(
    api_client, cast, vacancy, pool, skills, django_capture_on_commit_callbacks
):
    api = login_api(api_client, cast.employer_member)

    def row_of(profile):
        rows = api.get(api_url(vacancy)).json()["results"]
        ref = candidate_ref(vacancy, profile)
        return next(row for row in rows if row["candidate_ref"] == ref)

    middle = pool["middle"]
    assert row_of(middle)["applied"] is False
    # A skill raised (a ProfileChange, as every matching change makes).
    CandidateSkill.objects.filter(profile=middle, skill=skills[0]).update(level=1)
    skill = CandidateSkill.objects.get(profile=middle, skill=skills[0])
    skill.level = 4
    skill.evidence = "test_verified"
    skill.save()
    row = row_of(middle)
    assert [line["held_level"] for line in row["matched"] if line["held_level"] == 4] == [4]
    # An application.
    factories.ApplicationFactory(vacancy=vacancy, profile=middle)
    assert row_of(middle)["applied"] is True
    # The vacancy's requirements change: a skill no longer asked (the public data's version
    # moves on once the change commits).
    assert len(row["matched"] + row["partial"] + row["missing"]) == 3
    with django_capture_on_commit_callbacks(execute=True):
        vacancy.skill_requirements.filter(skill=skills[2]).delete()
    row = row_of(middle)
    assert len(row["matched"] + row["partial"] + row["missing"]) == 2


def test_what_the_kept_page_shows_around_the_cards_is_seen_at_the_next_read(
    client, cast, vacancy, pool, django_capture_on_commit_callbacks
):
    """The page's whole content is kept, not only its cards: the vacancy's title and status,
    the count of candidates, whether invitations can be sent, and the language."""
    client.force_login(cast.employer_member)

    def content(**headers):
        page = client.get(page_url(vacancy), **headers).content.decode()
        return CSRF_INPUT.sub("", page[page.index('<main id="main"') : page.index("</main>")])

    first = content()
    assert content() == first
    assert "5 candidates ranked" in first
    # The vacancy renamed (the public data's version moves on once the change commits).
    with django_capture_on_commit_callbacks(execute=True):
        vacancy.title_en = "Night steward"
        vacancy.save()
    assert "Shortlist: Night steward" in content()
    # One more candidate in the pool.
    make_candidate([], dutch="B1")
    assert "6 candidates ranked" in content()
    # The language of the reader.
    assert "Night steward" not in content(HTTP_ACCEPT_LANGUAGE="fr")
    # The vacancy no longer open, even by a write that no signal reports: no invitation.
    assert ">Invite<" in content()
    Vacancy.objects.filter(pk=vacancy.pk).update(status=Vacancy.Status.DRAFT)
    page = content()
    assert ">Invite<" not in page
    assert "Invitations ask candidates to apply" in page


def test_another_organisation_gets_a_404_even_once_the_rows_are_kept(
    client, api_client, cast, vacancy, pool
):
    client.force_login(cast.employer_member)
    assert client.get(page_url(vacancy)).status_code == 200
    assert login_api(api_client, cast.employer_member).get(api_url(vacancy)).status_code == 200
    client.force_login(cast.other_employer_member)
    assert client.get(page_url(vacancy)).status_code == 404
    other = login_api(api_client, cast.other_employer_member)
    assert other.get(api_url(vacancy)).status_code == 404


def test_an_erased_candidate_leaves_the_kept_page(client, cast, vacancy, pool):
    client.force_login(cast.employer_member)
    ref = candidate_ref(vacancy, pool["partial"])
    assert ref in client.get(page_url(vacancy)).content.decode()
    CandidateProfile.objects.filter(pk=pool["partial"].pk).delete()
    assert ref not in client.get(page_url(vacancy)).content.decode()


def test_erasing_a_job_seeker_forgets_the_kept_pages_that_held_their_row(
    client, api_client, cast, vacancy, pool
):
    """Erasure is total, the shared cache included: the kept pages and API rows of every
    vacancy that ranked the person are dropped at once, not left to expire."""
    cache.clear()
    client.force_login(cast.employer_member)
    client.get(page_url(vacancy))
    login_api(api_client, cast.employer_member).get(api_url(vacancy))
    kept = sorted(kept_shortlist_keys([vacancy.pk]))
    # The page is read in English (the client's language), the API in French (the default).
    assert [key.split(":")[2:4] for key in kept] == [["api", "fr"], ["page", "en"]]
    assert all(cache.get(key) for key in kept)
    CandidateProfile.objects.filter(pk=pool["partial"].pk).delete()
    assert [cache.get(key) for key in kept] == [None, None]


def test_a_job_seeker_who_left_the_ranking_then_is_erased_leaves_no_kept_page(
    client, cast, vacancy, pool
):
    """Erasure finds the vacancies through the rankings: a person who left one (here, who stopped
    sharing their blind profile) is no longer found there, so the pages kept while they were
    ranked are forgotten when they leave it."""
    cache.clear()
    client.force_login(cast.employer_member)
    profile = pool["partial"]
    ref = candidate_ref(vacancy, profile)
    assert ref in client.get(page_url(vacancy)).content.decode()
    shown = kept_shortlist_keys([vacancy.pk])
    assert any(ref in str(cache.get(key)) for key in shown)
    profile.is_visible_in_shortlists = False
    profile.save()
    assert ref not in client.get(page_url(vacancy)).content.decode()
    CandidateProfile.objects.filter(pk=profile.pk).delete()
    everything = shown | kept_shortlist_keys([vacancy.pk])
    assert not any(ref in str(cache.get(key)) for key in everything)


def test_deleting_a_vacancys_ranking_forgets_its_kept_pages(client, cast, vacancy, pool):
    cache.clear()
    client.force_login(cast.employer_member)
    client.get(page_url(vacancy))
    (key,) = kept_shortlist_keys([vacancy.pk])
    assert cache.get(key)
    VacancyRanking.objects.filter(vacancy=vacancy).delete()
    assert cache.get(key) is None


def test_a_profile_the_shortlist_never_showed_leaves_the_kept_pages_alone(
    client, cast, vacancy, pool
):
    cache.clear()
    client.force_login(cast.employer_member)
    client.get(page_url(vacancy))
    (key,) = kept_shortlist_keys([vacancy.pk])
    assert cache.get(key)
    factories.CandidateProfileFactory().delete()
    assert cache.get(key)


def test_every_kept_page_stays_in_its_vacancys_index_even_when_the_index_is_full(
    client, api_client, cast, vacancy, pool, monkeypatch
):
    """The index is a ring: a page whose entry is taken over is dropped with it, so erasure,
    which reads the index, still finds every page kept."""
    monkeypatch.setattr(selectors, "SHORTLIST_INDEX_SLOTS", 2)
    cache.clear()
    client.force_login(cast.employer_member)
    api = login_api(api_client, cast.employer_member)
    client.get(page_url(vacancy))
    api.get(api_url(vacancy))
    first = kept_shortlist_keys([vacancy.pk])
    assert len(first) == 2 and all(cache.get(key) is not None for key in first)
    api.get(api_url(vacancy), {"page_size": 2})  # a third page takes over the first entry
    kept = kept_shortlist_keys([vacancy.pk])
    assert len(kept) == 2 and len(kept - first) == 1
    (dropped,) = first - kept
    assert cache.get(dropped) is None
    CandidateProfile.objects.filter(pk=pool["strong"].pk).delete()
    assert [cache.get(key) for key in kept] == [None, None]
