"""A vacancy's shared part kept under the data it shows (employers/vacancy_cache.py): read again
when the public data's version moves on elsewhere, rendered again when anything it shows
changes, never kept for a vacancy the public may no longer see, never carrying a person's frame.

Changes are written with `update()` on purpose: no signal, no `updated_at`, no version moved on;
the key must see them by itself. Each read moves the public cache's version on, as any edit
elsewhere does, so that what is measured is this cache, not the public one.
"""

import datetime
import re

import pytest
import time_machine
from django.db.models import Prefetch, Q
from django.test import Client
from django.utils import timezone, translation

from college.core import cache_versions, public_cache
from college.models import Commune, Language, Role, Skill
from employers import vacancy_cache
from employers.api import VacancySerializer
from employers.models import Employer, Vacancy, VacancyLanguage, VacancySkill
from employers.views.board import vacancy_shared_page
from tests import factories

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
NONCE = re.compile(r'nonce="[^"]+"')
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture(autouse=True)
def _caches_on(settings):
    settings.PUBLIC_CACHE_SECONDS = 600


@pytest.fixture
def vacancy(reference_data):
    vacancy = factories.VacancyFactory(
        title_en="Community warden at Colignon", employer__name_fr="Zone de police Polbru"
    )
    factories.VacancySkillFactory(vacancy=vacancy, skill__label_en="handle conflicts")
    factories.VacancyLanguageFactory(vacancy=vacancy)
    return vacancy


def page(vacancy, client=None, **headers):
    """The page as an anonymous reader gets it after an edit elsewhere."""
    cache_versions.move_on(public_cache.VERSION_KEY)
    response = (client or Client()).get(f"/vacancies/{vacancy.pk}/", **(headers or ENGLISH))
    return response


def api(vacancy, **headers):
    cache_versions.move_on(public_cache.VERSION_KEY)
    return Client().get(f"/api/v1/vacancies/{vacancy.pk}/", **(headers or ENGLISH))


def vacancy_requirement_rows(vacancy):
    """The skills `vacancy` asks for, as a filter of skills."""
    return Q(pk__in=VacancySkill.objects.filter(vacancy=vacancy).values("skill_id"))


def text(response):
    return TOKEN.sub("", NONCE.sub("", response.content.decode()))


def test_a_vacancy_read_after_an_edit_elsewhere_is_not_rendered_again(
    vacancy, django_assert_num_queries, monkeypatch
):
    first = page(vacancy)
    assert first.status_code == 200
    renders = []
    monkeypatch.setattr(
        "employers.views.board.vacancy_shared_page",
        lambda loaded, site_url: renders.append(loaded) or {},
    )
    # Its rows and its requirements, compiled once: the vacancy itself is not loaded.
    with django_assert_num_queries(3):
        second = page(vacancy)
    assert renders == []
    assert text(second) == text(first)


def test_the_api_read_after_an_edit_elsewhere_is_the_same_json_from_three_queries(
    vacancy, django_assert_num_queries
):
    first = api(vacancy)
    with django_assert_num_queries(3):
        second = api(vacancy)
    assert second.content == first.content
    assert second.json()["requirements"][0]["skill"]["label"] == "handle conflicts"


def test_a_first_read_loads_the_vacancy_and_its_requirements_once(
    vacancy, django_assert_num_queries
):
    # The key's three queries, then the vacancy and its two requirement lists to render.
    with django_assert_num_queries(6):
        assert page(vacancy).status_code == 200


@pytest.mark.parametrize(
    ("change", "before", "after"),
    [
        (
            lambda v: Vacancy.objects.filter(pk=v.pk).update(title_en="Night steward"),
            "Community warden at Colignon",
            "Night steward",
        ),
        (
            lambda v: Vacancy.objects.filter(pk=v.pk).update(posts=7),
            "1 post",
            "7 posts",
        ),
        (
            lambda v: Employer.objects.filter(pk=v.employer_id).update(name_fr="Zone Nord"),
            "Zone de police Polbru",
            "Zone Nord",
        ),
        (
            lambda v: Role.objects.filter(pk=v.role_id).update(title_en="Town warden"),
            "Community warden (gardien de la paix)",
            "Town warden",
        ),
        (
            lambda v: Commune.objects.filter(pk=v.commune_id).update(name_en="Schaarbeek city"),
            "Schaerbeek",
            "Schaarbeek city",
        ),
        (
            lambda v: Skill.objects.filter(vacancy_requirement_rows(v)).update(
                label_en="calm disputes"
            ),
            "Handle conflicts",
            "Calm disputes",
        ),
        (
            lambda v: VacancySkill.objects.filter(vacancy=v).update(min_level=4),
            "Level 2 of 4",
            "Level 4 of 4",
        ),
        (
            lambda v: Language.objects.filter(code="nl").update(name_en="netherlandic"),
            "Dutch",
            "Netherlandic",
        ),
        (
            lambda v: VacancyLanguage.objects.filter(vacancy=v).update(min_cefr="C1"),
            "at least B1",
            "at least C1",
        ),
    ],
    ids=[
        "vacancy",
        "vacancy-posts",
        "employer",
        "role",
        "commune",
        "skill-label",
        "skill-level",
        "language-name",
        "language-level",
    ],
)
def test_the_page_shows_each_change_to_what_it_shows(vacancy, change, before, after):
    assert before in text(page(vacancy))
    change(vacancy)
    shown = text(page(vacancy))
    assert after in shown
    assert before not in shown.replace(after, "")


def test_the_api_shows_a_changed_skill_label_and_employer_name(vacancy):
    assert api(vacancy).json()["requirements"][0]["skill"]["label"] == "handle conflicts"
    Skill.objects.filter(vacancy_requirement_rows(vacancy)).update(label_en="calm disputes")
    Employer.objects.filter(pk=vacancy.employer_id).update(name_en="Zone Nord")
    read = api(vacancy).json()
    assert read["requirements"][0]["skill"]["label"] == "calm disputes"
    assert read["employer"]["name"] == "Zone Nord"


def test_each_language_gets_its_own_page_and_json(vacancy):
    english = text(page(vacancy))
    dutch = text(page(vacancy, HTTP_ACCEPT_LANGUAGE="nl"))
    assert vacancy.title_en in english
    assert vacancy.title_nl in dutch and vacancy.title_en not in dutch
    assert api(vacancy).json()["title"] == vacancy.title_en
    assert api(vacancy, HTTP_ACCEPT_LANGUAGE="nl").json()["title"] == vacancy.title_nl


def just_before_midnight():
    """Today at 23:58 in Brussels: four minutes later is another day, well within the time
    anything is kept (so that only the key can tell the days apart)."""
    zone = timezone.get_default_timezone()
    return datetime.datetime.combine(timezone.localdate(), datetime.time(23, 58), tzinfo=zone)


def test_the_days_left_follow_the_date(vacancy):
    late = just_before_midnight()
    Vacancy.objects.filter(pk=vacancy.pk).update(
        closes_on=late.date() + datetime.timedelta(days=10)
    )
    with time_machine.travel(late, tick=False):
        assert "closes in 10 days" in text(page(vacancy))
    with time_machine.travel(late + datetime.timedelta(minutes=4), tick=False):
        assert "closes in 9 days" in text(page(vacancy))


def test_the_links_start_from_the_site_and_the_request(vacancy, settings):
    settings.ALLOWED_HOSTS = ["testserver", "one.example", "two.example"]
    settings.SITE_URL = "https://first.example"
    assert "https://first.example/vacancies/" in text(page(vacancy))
    settings.SITE_URL = "https://second.example"
    assert "https://second.example/vacancies/" in text(page(vacancy))
    assert api(vacancy, HTTP_HOST="one.example").json()["url"].startswith("http://one.example/")
    assert api(vacancy, HTTP_HOST="two.example").json()["url"].startswith("http://two.example/")


@pytest.mark.parametrize(
    "change",
    [
        lambda v: Vacancy.objects.filter(pk=v.pk).update(status=Vacancy.Status.CLOSED),
        lambda v: Vacancy.objects.filter(pk=v.pk).update(status=Vacancy.Status.DRAFT),
        lambda v: Employer.objects.filter(pk=v.employer_id).update(is_verified=False),
        lambda v: Vacancy.objects.filter(pk=v.pk).update(
            closes_on=timezone.localdate() - datetime.timedelta(days=1)
        ),
    ],
    ids=["closed", "unpublished", "employer-unverified", "past-closing-date"],
)
def test_a_vacancy_the_public_may_no_longer_see_is_a_404_though_it_was_kept(vacancy, change):
    assert page(vacancy).status_code == 200
    assert api(vacancy).status_code == 200
    change(vacancy)
    assert page(vacancy).status_code == 404
    assert api(vacancy).status_code == 404


def test_a_vacancy_past_its_closing_day_is_a_404_the_next_day(vacancy):
    late = just_before_midnight()
    Vacancy.objects.filter(pk=vacancy.pk).update(closes_on=late.date())
    with time_machine.travel(late, tick=False):
        assert "closes today" in text(page(vacancy))
        assert api(vacancy).status_code == 200
    with time_machine.travel(late + datetime.timedelta(minutes=4), tick=False):
        assert page(vacancy).status_code == 404
        assert api(vacancy).status_code == 404


def test_a_signed_in_reader_gets_their_own_frame_around_the_shared_part(vacancy, cast):
    anonymous = page(vacancy)  # kept
    candidate = Client()
    candidate.force_login(cast.candidate)
    signed_in = page(vacancy, client=candidate)
    assert "My space" in signed_in.content.decode()
    assert "Log out" in signed_in.content.decode()
    assert "Log out" not in anonymous.content.decode()
    # The shared part is the same for both; the frame is each reader's.
    body = re.compile(r"<main.*</main>", re.DOTALL)
    assert body.search(text(signed_in)).group() == body.search(text(anonymous)).group()
    # And back: the signed-in reading kept nothing personal for the next anonymous reader.
    again = page(vacancy)
    assert "Log out" not in again.content.decode()
    assert cast.candidate.full_name not in again.content.decode()


def test_a_member_still_reads_a_draft_on_the_api(vacancy):
    member = factories.EmployerMemberFactory(membership__employer=vacancy.employer)
    Vacancy.objects.filter(pk=vacancy.pk).update(status=Vacancy.Status.DRAFT)
    reader = Client()
    reader.force_login(member)
    response = reader.get(f"/api/v1/vacancies/{vacancy.pk}/", **ENGLISH)
    assert response.status_code == 200
    assert response.json()["status"] == "draft"
    assert api(vacancy).status_code == 404


def test_a_write_between_the_key_and_the_render_keeps_nothing(vacancy):
    def load():
        # Another request changes the skill's label after the key was read.
        Skill.objects.filter(vacancy_requirement_rows(vacancy)).update(label_en="calm disputes")
        return Vacancy.objects.for_list().get(pk=vacancy.pk)

    def render(loaded):
        return [item.skill.label for item in loaded.skill_requirements.all()]

    assert vacancy_cache.kept("test", vacancy.pk, load, render) == ["calm disputes"]
    Skill.objects.filter(vacancy_requirement_rows(vacancy)).update(label_en="handle conflicts")
    # The data is the first key's again: had the newer rendering been kept under it, it would
    # show here.
    assert vacancy_cache.kept(
        "test", vacancy.pk, lambda: Vacancy.objects.for_list().get(pk=vacancy.pk), render
    ) == ["handle conflicts"]


def test_an_unpublished_vacancy_answers_the_access_helpers_own_404(vacancy, settings):
    Vacancy.objects.filter(pk=vacancy.pk).update(status=Vacancy.Status.DRAFT)
    kept_on = api(vacancy)
    settings.PUBLIC_CACHE_SECONDS = 0
    kept_off = api(vacancy)
    assert kept_on.status_code == kept_off.status_code == 404
    assert kept_on.content == kept_off.content
    assert kept_on.json() == {"detail": "Not found."}


def only(columns):
    return [column.removesuffix("_id") for column in columns]


def test_the_key_holds_every_requirement_column_the_page_and_the_api_show(
    vacancy, rf, django_assert_num_queries
):
    requirements = (
        ("skill_requirements", VacancySkill, "skill", vacancy_cache.SKILL_COLUMNS),
        ("language_requirements", VacancyLanguage, "language", vacancy_cache.LANGUAGE_COLUMNS),
    )
    loaded = (
        Vacancy.objects.for_list()
        .prefetch_related(
            *(
                Prefetch(
                    name,
                    queryset=model.objects.select_related(related).only("vacancy", *only(columns)),
                )
                for name, model, related, columns in requirements
            )
        )
        .get(pk=vacancy.pk)
    )
    # A column left out of the key's lists would be read now, one query each.
    with django_assert_num_queries(0), translation.override("en"):
        assert "handle conflicts" in vacancy_shared_page(loaded, "")["json_ld"]
        data = VacancySerializer(loaded, context={"request": rf.get("/")}).data
        assert data["languages"][0]["name"] == "Dutch"
