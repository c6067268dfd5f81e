"""Who sees which vacancy, role by role, through employers.access."""

import pytest
from django.contrib.auth.models import AnonymousUser

from employers.access import membership_of, vacancies_visible_to
from employers.models import Vacancy
from tests import factories

pytestmark = pytest.mark.django_db


def test_only_employer_members_have_a_membership(cast):
    assert membership_of(cast.employer_member).employer.name == "Zone de police Test"
    for outsider in (AnonymousUser(), cast.candidate, cast.counsellor, cast.staff):
        assert membership_of(outsider) is None


def test_a_member_sees_the_published_vacancies_and_every_one_of_their_organisation(
    cast, reference_data
):
    own = cast.employer_member.membership.employer
    published = factories.VacancyFactory()
    own_draft = factories.VacancyFactory(
        employer=own, status=Vacancy.Status.DRAFT, published_at=None
    )
    others_draft = factories.VacancyFactory(status=Vacancy.Status.DRAFT, published_at=None)

    def visible(user):
        return set(vacancies_visible_to(user))

    assert visible(cast.employer_member) == {published, own_draft}
    assert visible(cast.other_employer_member) == {published}
    for outsider in (AnonymousUser(), cast.candidate, cast.counsellor, cast.staff):
        assert visible(outsider) == {published}
    assert others_draft not in visible(cast.employer_member)
