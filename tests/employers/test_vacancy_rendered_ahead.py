"""A published vacancy's shared parts rendered ahead of its first reader
(`vacancy_cache.render_ahead`, run by `employers.tasks.render_vacancy_shared_parts` once an
edit, a publication or an added skill is committed): the first read in each language finds them,
and they are byte for byte what that read would have rendered. What no task follows (a change
in the admin, the next day, another release of the code) is still seen by the key at once.
"""

import datetime
import io
import re

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import set_script_prefix
from django.utils import timezone

from college.core import cache_versions, public_cache
from college.models import Skill
from employers import services, vacancy_cache
from employers.models import Employer, Vacancy
from tests import factories

LANGUAGES = ("fr", "nl", "en")
NONCE = re.compile(r'nonce="[^"]+"')
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture(autouse=True)
def _caches_on(settings):
    settings.PUBLIC_CACHE_SECONDS = 600
    # The address a request to the site itself starts from, as in production.
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def vacancy(reference_data):
    vacancy = factories.VacancyFactory(title_en="Community warden at Colignon")
    factories.VacancySkillFactory(vacancy=vacancy, skill__label_en="handle conflicts")
    factories.VacancyLanguageFactory(vacancy=vacancy)
    return vacancy


def read(vacancy, language, *, api=False, **extra):
    """An anonymous reader's response after an edit elsewhere (the public cache missed)."""
    cache_versions.move_on(public_cache.VERSION_KEY)
    path = f"/api/v1/vacancies/{vacancy.pk}/" if api else f"/vacancies/{vacancy.pk}/"
    response = Client().get(path, HTTP_ACCEPT_LANGUAGE=language, **extra)
    assert response.status_code == 200
    return TOKEN.sub("", NONCE.sub("", response.content.decode()))


def every_read(vacancy, django_assert_num_queries, queries):
    """Each language's page and API answer, each read with `queries` queries."""
    reads = {}
    for language in LANGUAGES:
        for api in (False, True):
            with django_assert_num_queries(queries):
                reads[language, api] = read(vacancy, language, api=api)
    return reads


def edit(vacancy, **data):
    services.vacancy_update(employer=vacancy.employer, vacancy=vacancy, data=data)


def test_after_an_edit_the_first_read_in_every_language_renders_nothing_and_is_what_it_would_render(
    vacancy, django_capture_on_commit_callbacks, django_assert_num_queries
):
    with django_capture_on_commit_callbacks(execute=True):
        edit(vacancy, title_en="Night steward", posts=3)
    # The key's three queries: the vacancy is not loaded, nothing is rendered.
    ahead = every_read(vacancy, django_assert_num_queries, 3)
    assert "Night steward" in ahead["en", False] and "3 posts" in ahead["en", False]
    assert '"title":"Night steward"' in ahead["en", True]
    cache.clear()
    # Rendered by the readers themselves: the key's queries, the vacancy, its requirements.
    rendered = every_read(vacancy, django_assert_num_queries, 6)
    assert ahead == rendered


def test_a_publication_is_rendered_ahead(
    vacancy, django_capture_on_commit_callbacks, django_assert_num_queries
):
    Vacancy.objects.filter(pk=vacancy.pk).update(status=Vacancy.Status.DRAFT, published_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.vacancy_set_status(vacancy=vacancy, status=Vacancy.Status.PUBLISHED)
    with django_assert_num_queries(3):
        assert "Community warden at Colignon" in read(vacancy, "en")
    with django_assert_num_queries(3):
        assert "Community warden at Colignon" in read(vacancy, "en", api=True)


def test_an_added_skill_is_rendered_ahead(
    vacancy, django_capture_on_commit_callbacks, django_assert_num_queries
):
    skill = factories.SkillFactory(label_en="write incident reports")
    with django_capture_on_commit_callbacks(execute=True):
        services.vacancy_skill_add(
            vacancy=vacancy, skill=skill, importance="nice_to_have", min_level=3
        )
    with django_assert_num_queries(3):
        assert "Write incident reports" in read(vacancy, "en")


def test_a_drafts_edit_renders_nothing_ahead(
    vacancy, django_capture_on_commit_callbacks, monkeypatch
):
    rendered = []
    monkeypatch.setattr(vacancy_cache, "render_ahead", rendered.append)
    Vacancy.objects.filter(pk=vacancy.pk).update(status=Vacancy.Status.DRAFT)
    vacancy.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        edit(vacancy, title_en="Night steward")
    assert rendered == []
    Vacancy.objects.filter(pk=vacancy.pk).update(status=Vacancy.Status.PUBLISHED)
    vacancy.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        edit(vacancy, title_en="Night steward")
    assert rendered == [vacancy.pk]


def test_the_task_renders_only_what_is_not_kept_and_nothing_for_a_vacancy_not_published(vacancy):
    assert vacancy_cache.render_ahead(vacancy.pk) == 6  # the page and the API, three languages
    assert vacancy_cache.render_ahead(vacancy.pk) == 0
    Vacancy.objects.filter(pk=vacancy.pk).update(status=Vacancy.Status.CLOSED)
    cache.clear()
    assert vacancy_cache.render_ahead(vacancy.pk) == 0


@pytest.mark.parametrize(
    ("change", "before", "after"),
    [
        (
            lambda v: Employer.objects.filter(pk=v.employer_id).update(name_en="Zone North"),
            "Prévention",
            "Zone North",
        ),
        (
            lambda v: Skill.objects.filter(vacancies=v).update(label_en="calm disputes"),
            "Handle conflicts",
            "Calm disputes",
        ),
    ],
    ids=["employer-renamed", "skill-relabelled"],
)
def test_a_change_no_task_follows_shows_at_once(vacancy, change, before, after):
    Employer.objects.filter(pk=vacancy.employer_id).update(name_en="Prévention")
    vacancy_cache.render_ahead(vacancy.pk)
    assert before in read(vacancy, "en")
    change(vacancy)
    shown = read(vacancy, "en")
    assert after in shown and before not in shown


def test_an_employer_no_longer_verified_hides_what_was_rendered_ahead(vacancy):
    vacancy_cache.render_ahead(vacancy.pk)
    Employer.objects.filter(pk=vacancy.employer_id).update(is_verified=False)
    cache_versions.move_on(public_cache.VERSION_KEY)
    assert Client().get(f"/vacancies/{vacancy.pk}/").status_code == 404
    assert Client().get(f"/api/v1/vacancies/{vacancy.pk}/").status_code == 404


def test_the_next_day_renders_its_own_days_left(vacancy):
    zone = timezone.get_default_timezone()
    late = datetime.datetime.combine(timezone.localdate(), datetime.time(23, 58), tzinfo=zone)
    Vacancy.objects.filter(pk=vacancy.pk).update(closes_on=late.date() + datetime.timedelta(3))
    with time_machine.travel(late, tick=False):
        vacancy_cache.render_ahead(vacancy.pk)
        assert "closes in 3 days" in read(vacancy, "en")
    with time_machine.travel(late + datetime.timedelta(minutes=4), tick=False):
        assert "closes in 2 days" in read(vacancy, "en")


def test_another_release_of_the_code_renders_again(vacancy, monkeypatch, django_assert_num_queries):
    vacancy_cache.render_ahead(vacancy.pk)
    with django_assert_num_queries(3):
        read(vacancy, "en")
    monkeypatch.setattr(vacancy_cache, "code_identity", lambda: "another release")
    with django_assert_num_queries(6):
        read(vacancy, "en")


def test_the_code_identity_follows_the_code_the_templates_and_the_translations(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    files = {
        "employers/jsonld.py": b"FULL_TIME_HOURS = 36\n",
        "templates/employers/includes/vacancy_body.html": b"<h1>{{ vacancy.title }}</h1>",
        "locale/nl/LC_MESSAGES/django.mo": b"\x95\x04\x12\xde",
    }
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(content)

    def identity():
        vacancy_cache.code_identity.cache_clear()
        return vacancy_cache.code_identity()

    try:
        first = identity()
        assert identity() == first
        seen = {first}
        for name in files:
            (tmp_path / name).write_bytes((tmp_path / name).read_bytes() + b" ")
            seen.add(identity())
        assert len(seen) == 1 + len(files)
    finally:
        vacancy_cache.code_identity.cache_clear()


def test_what_is_kept_lives_until_the_day_ends_and_at_most_half_a_session(settings):
    settings.SESSION_COOKIE_AGE = 8 * 60 * 60
    zone = timezone.get_default_timezone()
    today = timezone.localdate()
    with time_machine.travel(datetime.datetime.combine(today, datetime.time(9), tzinfo=zone)):
        assert vacancy_cache._seconds() == 4 * 60 * 60
    with time_machine.travel(
        datetime.datetime.combine(today, datetime.time(23, 50), tzinfo=zone), tick=False
    ):
        assert vacancy_cache._seconds() == 10 * 60


def test_a_site_served_under_another_prefix_does_not_get_the_default_prefixs_links(vacancy):
    vacancy_cache.render_ahead(vacancy.pk)  # outside a request: links start from "/"
    # What Django's WSGI handler does for a site mounted at /passerelle/ (the test client
    # leaves the prefix as it is).
    set_script_prefix("/passerelle/")
    try:
        shown = read(vacancy, "en")
    finally:
        set_script_prefix("/")
    assert f'href="/passerelle/vacancies/{vacancy.pk}/apply/"' in shown
    assert f'href="/vacancies/{vacancy.pk}/apply/"' not in shown


def test_after_a_deployment_one_command_renders_every_published_vacancy_ahead(
    vacancy, django_assert_num_queries, monkeypatch
):
    draft = factories.VacancyFactory(status=Vacancy.Status.DRAFT)
    every_read(vacancy, django_assert_num_queries, 6)  # kept for the code running now
    # Another release: nothing kept for it yet.
    vacancy_cache.code_identity.cache_clear()
    monkeypatch.setattr(vacancy_cache, "code_identity", lambda: "the next release")
    out = io.StringIO()
    call_command("render_vacancies_ahead", stdout=out)
    assert out.getvalue().startswith("1 published vacancies, 6 parts rendered ahead")
    ahead = every_read(vacancy, django_assert_num_queries, 3)
    cache.clear()
    assert ahead == every_read(vacancy, django_assert_num_queries, 6)
    # Again: all kept already, nothing rendered; the draft was never rendered for anyone.
    out = io.StringIO()
    call_command("render_vacancies_ahead", stdout=out)
    assert out.getvalue().startswith("1 published vacancies, 0 parts rendered ahead")
    assert vacancy_cache.render_ahead(draft.pk) == 0
