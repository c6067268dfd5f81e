"""The vacancy editor adds required skills through the job-seeker's skill search: a GET
search on the editor's page, then one small form per result; no JavaScript needed."""

import pytest

from college.models import Skill
from employers.models import Vacancy, VacancySkill
from tests import factories

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}


@pytest.fixture
def vacancy(cast, reference_data):
    return factories.VacancyFactory(employer=cast.employer_member.membership.employer)


@pytest.fixture
def skill(reference_data):
    """A skill of the framework, found by the first word of its English label."""
    return Skill.objects.exclude(label_en="").order_by("pk").first()


def edit_url(vacancy):
    return f"/employer/vacancies/{vacancy.pk}/"


def add_url(vacancy):
    return f"/employer/vacancies/{vacancy.pk}/skills/add/"


def test_the_search_lists_the_skills_with_an_add_form_each(client, cast, vacancy, skill):
    client.force_login(cast.employer_member)
    query = skill.label_en.split()[0]
    response = client.get(edit_url(vacancy), {"q": query}, headers=EN)
    assert response.status_code == 200
    found = [row["skill"] for row in response.context["results"]]
    assert skill in found
    # The same search the job-seeker's profile builder uses.
    assert found == list(Skill.objects.search(query, "en")[: len(found)])
    page = response.content.decode()
    assert f'action="/employer/vacancies/{vacancy.pk}/skills/add/"' in page
    assert f'name="skill" value="{skill.pk}"' in page


def test_a_short_query_asks_for_more_letters(client, cast, vacancy):
    client.force_login(cast.employer_member)
    response = client.get(edit_url(vacancy), {"q": "a"}, headers=EN)
    assert response.context["query_too_short"] and response.context["results"] is None


def test_adding_a_found_skill_requires_it_and_comes_back_to_the_results(
    client, cast, vacancy, skill
):
    client.force_login(cast.employer_member)
    response = client.post(
        add_url(vacancy),
        {"skill": skill.pk, "importance": "essential", "min_level": "3", "q": "first aid"},
    )
    assert response.status_code == 302
    assert response.url == f"/employer/vacancies/{vacancy.pk}/?q=first+aid#skill-search"
    requirement = VacancySkill.objects.get(vacancy=vacancy, skill=skill)
    assert (requirement.importance, requirement.min_level) == ("essential", 3)
    vacancy.refresh_from_db()
    assert skill.label_fr.lower()[:4] in vacancy.search_text
    # Added again at another level: changed, never twice.
    client.post(add_url(vacancy), {"skill": skill.pk, "importance": "important", "min_level": 1})
    requirement = VacancySkill.objects.get(vacancy=vacancy, skill=skill)
    assert (requirement.importance, requirement.min_level) == ("important", 1)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"skill": "987654", "importance": "essential", "min_level": "2"},
        {"skill": "abc", "importance": "essential", "min_level": "2"},
        {"importance": "vital", "min_level": "2"},
        {"min_level": "9", "importance": "essential"},
    ],
)
def test_bad_input_adds_nothing_and_says_why(client, cast, vacancy, skill, data):
    data = {"skill": skill.pk, **data} if "skill" not in data and data else data
    client.force_login(cast.employer_member)
    response = client.post(add_url(vacancy), data, follow=True, headers=EN)
    assert response.status_code == 200
    assert list(response.context["messages"])  # the error, translated, on the editor
    assert not VacancySkill.objects.filter(vacancy=vacancy).exists()


def test_another_organisation_cannot_add_a_skill(client, cast, vacancy, skill):
    client.force_login(cast.other_employer_member)
    data = {"skill": skill.pk, "importance": "essential", "min_level": "2"}
    assert client.post(add_url(vacancy), data).status_code == 404
    assert not VacancySkill.objects.filter(vacancy=vacancy).exists()
    assert Vacancy.objects.get(pk=vacancy.pk).search_text == vacancy.search_text
