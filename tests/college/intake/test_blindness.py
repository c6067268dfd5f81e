"""Blindness: two applicants who differ only in protected attributes rank and render the same.

Gender, commune, nationality, birth year (with no age condition), language, name and e-mail
are swapped between two applicants with the same results: every ranking row, the API and the
staff page are unchanged, and neither shows a name or an address.
"""

import re

import pytest

from college.intake.ranking import intake_ranking
from college.models import Commune
from tests import factories
from tests.college.intake.support import api_for, batteries, closed_intake, finished_attempt

pytestmark = pytest.mark.django_db

ATTRIBUTES = ("gender", "commune_id", "nationality", "birth_year")


@pytest.fixture
def pair(item_bank):
    intake = closed_intake()
    battery = batteries(1)[0]
    intake.batteries.create(battery=battery, weight=1)
    communes = list(Commune.objects.order_by("nis_code")[:2])
    people = []
    for ref, gender, commune, nationality, year, language, name in (
        ("A-AAAAAAAA", "woman", communes[0], "other", 1980, "nl", "Fatima El Amrani"),
        ("A-BBBBBBBB", "man", communes[1], "belgian", 2000, "fr", "Pierre Dubois"),
    ):
        user = factories.CandidateFactory(full_name=name, preferred_language=language)
        profile = user.candidate_profile
        profile.gender, profile.commune, profile.nationality = gender, commune, nationality
        profile.birth_year = year
        profile.save()
        application = factories.IntakeApplicationFactory(intake=intake, candidate=user, ref=ref)
        finished_attempt(user, battery, score=64)
        application.ratings.create(rater=factories.StaffFactory(), score=4)
        people.append(user)
    return intake, people


def swap(people):
    first, second = (user.candidate_profile for user in people)
    for attribute in ATTRIBUTES:
        one, other = getattr(first, attribute), getattr(second, attribute)
        setattr(first, attribute, other)
        setattr(second, attribute, one)
    first.save()
    second.save()
    people[0].preferred_language, people[1].preferred_language = (
        people[1].preferred_language,
        people[0].preferred_language,
    )
    people[0].full_name, people[1].full_name = people[1].full_name, people[0].full_name
    for user in people:
        user.save()


def comparable(rows):
    return [
        (row.ref, row.rank, row.score, row.components, row.eligibility, row.reasons) for row in rows
    ]


def test_swapping_protected_attributes_changes_no_row_of_the_ranking(pair):
    intake, people = pair
    before = intake_ranking(intake)
    assert before[0].score == before[1].score
    assert before[0].reasons == before[1].reasons
    swap(people)
    assert comparable(intake_ranking(intake)) == comparable(before)


def main_content(html):
    """The page's main content without its CSRF tokens (new on every request)."""
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", main)


def test_the_staff_page_and_the_api_render_the_same_and_name_nobody(client, cast, pair):
    intake, people = pair
    client.force_login(cast.staff)
    page_before = client.get(f"/staff/intakes/{intake.pk}/").content.decode()
    api_before = api_for(cast.staff).get(f"/api/v1/intakes/{intake.pk}/ranking/").json()
    names = [user.full_name for user in people] + [user.email for user in people]
    swap(people)
    page_after = client.get(f"/staff/intakes/{intake.pk}/").content.decode()
    api_after = api_for(cast.staff).get(f"/api/v1/intakes/{intake.pk}/ranking/").json()
    assert main_content(page_after) == main_content(page_before)
    assert api_after == api_before
    for name in names:
        assert name not in page_after and name not in str(api_after)
