"""Localised, stable addresses: roles, training modules and practice tests have a French and a
Dutch slug; their pages answer to any language's slug and link in the reader's."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from assessments.models import Battery
from college.models import Module, Role
from college.models.slugs import fill_local_slugs, get_by_any_slug, slug_from_title
from tests import factories

pytestmark = pytest.mark.django_db

MODELS = (Role, Module, Battery)
PAGES = {
    "role_detail": Role,
    "candidates:role_gap": Role,
    "module_detail": Module,
    "assessments:battery_detail": Battery,
}


def client_in(client, language, user=None):
    if user is not None:
        client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def hrefs(response):
    return set(re.findall(r'href="([^"]+)"', response.content.decode()))


def canonical(response):
    found = re.findall(r'<link rel="canonical" href="([^"]+)">', response.content.decode())
    assert len(found) == 1, found
    return found[0]


def test_a_slug_is_the_title_without_accents_and_with_apostrophes_as_word_breaks():
    assert slug_from_title("Médiateur de quartier") == "mediateur-de-quartier"
    assert slug_from_title("Préparation à l’épreuve sportive") == "preparation-a-l-epreuve-sportive"
    assert slug_from_title("Agent d'accueil (SNCB)") == "agent-d-accueil-sncb"
    assert slug_from_title("Cœur de métier") == "coeur-de-metier"
    assert slug_from_title("Straathoekwerker") == "straathoekwerker"


def test_every_role_module_and_test_has_a_french_and_a_dutch_slug_from_its_title(reference_data):
    police = Role.objects.get(slug="police-agent")
    assert (police.slug_fr, police.slug_nl) == ("agent-de-police", "politieagent")
    for model in MODELS:
        for item in model.objects.all():
            assert item.slug_fr and item.slug_nl, item
            assert item.slug_fr.startswith(slug_from_title(item.title_fr)[:40]), item
            assert item.slug_nl.startswith(slug_from_title(item.title_nl)[:40]), item


def test_a_slug_names_one_object_of_its_kind_whatever_its_language(reference_data):
    for model in MODELS:
        owners = {}
        for item in model.objects.all():
            for value in {item.slug, item.slug_fr, item.slug_nl}:
                assert owners.setdefault(value, item.pk) == item.pk, (model, value)


def test_a_title_already_taken_gets_a_numbered_slug_and_the_slugs_stay_when_the_title_changes(
    reference_data,
):
    police = Role.objects.get(slug="police-agent")
    twin = factories.RoleFactory(title_fr=police.title_fr, title_nl=police.title_nl)
    assert (twin.slug_fr, twin.slug_nl) == ("agent-de-police-2", "politieagent-2")

    twin.title_fr = "Agent de police de quartier"
    twin.save()
    twin.refresh_from_db()
    assert twin.slug_fr == "agent-de-police-2"  # links already shared keep working


def test_the_loaders_fill_the_slugs_of_rows_that_have_none(reference_data):
    Role.objects.filter(slug="peace-guard").update(slug_fr=None, slug_nl=None)
    role = Role.objects.get(slug="peace-guard")
    fill_local_slugs(role)
    assert (role.slug_fr, role.slug_nl) == ("gardien-de-la-paix", "gemeenschapswacht")


@pytest.mark.parametrize(
    ("language", "field"), [("fr", "slug_fr"), ("nl", "slug_nl"), ("en", "slug")]
)
def test_the_lists_link_each_page_with_the_readers_slug(
    client, cast, reference_data, language, field
):
    client_in(client, language, cast.candidate)
    roles = hrefs(client.get(reverse("role_list")))
    modules = hrefs(client.get(reverse("module_list")))
    tests = hrefs(client.get(reverse("assessments:battery_list")))

    for role in Role.objects.all():
        assert reverse("role_detail", args=[getattr(role, field)]) in roles
    for module in Module.objects.active():
        assert reverse("module_detail", args=[getattr(module, field)]) in modules
    for battery in Battery.objects.filter(is_active=True):
        assert reverse("assessments:battery_detail", args=[getattr(battery, field)]) in tests


@pytest.mark.parametrize(("language", "field"), [("fr", "slug_fr"), ("nl", "slug_nl")])
def test_the_role_pages_link_the_gap_the_board_and_the_tests_in_the_readers_language(
    client, cast, reference_data, language, field
):
    role = Role.objects.get(slug="peace-guard")
    client_in(client, language, cast.candidate)
    detail = client.get(reverse("role_detail", args=[role.slug]))
    gap = client.get(reverse("candidates:role_gap", args=[role.slug]))

    assert canonical(detail) == reverse("role_detail", args=[getattr(role, field)])
    assert canonical(gap) == reverse("candidates:role_gap", args=[getattr(role, field)])
    links = hrefs(gap)
    assert reverse("role_detail", args=[getattr(role, field)]) in links
    assert f"{reverse('employers:board')}?role={getattr(role, field)}" in links
    steps = [re.fullmatch(r"/(training|tests)/([-\w]+)/", link) for link in links]
    steps = [step.groups() for step in steps if step]
    assert steps
    for kind, slug in steps:
        model = Module if kind == "training" else Battery
        assert model.objects.filter(**{field: slug}).exists(), (kind, slug)


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_every_slug_of_every_object_answers_and_names_the_readers_address_as_canonical(
    client, cast, reference_data, name, language
):
    model = PAGES[name]
    client_in(client, language, cast.candidate)
    field = {"fr": "slug_fr", "nl": "slug_nl", "en": "slug"}[language]
    item = model.objects.order_by("pk").first()
    for slug in (item.slug, item.slug_fr, item.slug_nl):
        response = client.get(reverse(name, args=[slug]))
        assert response.status_code == 200, (name, slug)
        assert canonical(response) == reverse(name, args=[getattr(item, field)])


def test_every_old_english_address_still_answers_in_french_and_dutch(client, cast, reference_data):
    for language in ("fr", "nl"):
        client_in(client, language, cast.candidate)
        for name, model in PAGES.items():
            objects = model.objects.all()
            if model is not Role:
                objects = objects.filter(is_active=True)
            for item in objects:
                response = client.get(reverse(name, args=[item.slug]))
                assert response.status_code == 200, (language, name, item.slug)


def test_a_slug_of_another_kind_of_object_is_not_found(client, cast, reference_data):
    client_in(client, "fr", cast.candidate)
    role = Role.objects.get(slug="peace-guard")
    module = Module.objects.get(slug="peace-guard-communication")
    battery = Battery.objects.get(slug="peace-guard-exam")
    for name, slug in [
        ("module_detail", role.slug_fr),
        ("assessments:battery_detail", role.slug_nl),
        ("role_detail", module.slug_fr),
        ("candidates:role_gap", battery.slug_fr),
        ("role_detail", battery.slug_nl),
        ("module_detail", battery.slug_fr),
    ]:
        assert client.get(reverse(name, args=[slug])).status_code == 404, (name, slug)


def test_an_english_slug_wins_over_another_objects_french_one(reference_data):
    police = Role.objects.get(slug="police-agent")
    other = factories.RoleFactory()
    Role.objects.filter(pk=other.pk).update(slug_fr=police.slug)
    assert get_by_any_slug(Role.objects.all(), police.slug) == police
    assert get_by_any_slug(Role.objects.all(), "") is None
    assert get_by_any_slug(Role.objects.all(), None) is None


@pytest.mark.parametrize(("language", "field"), [("fr", "slug_fr"), ("nl", "slug_nl")])
def test_the_board_filters_by_a_role_named_in_any_language_and_writes_the_readers_slug(
    client, reference_data, language, field
):
    role = Role.objects.get(slug="police-agent")
    factories.VacancyFactory(role=role, title_fr="Inspecteur", title_nl="Inspecteur")
    factories.VacancyFactory(title_fr="Gardien", title_nl="Gemeenschapswacht")  # peace guard
    client_in(client, language)
    board = reverse("employers:board")

    pages = [client.get(board, {"role": slug}) for slug in (role.slug, role.slug_fr, role.slug_nl)]

    for page in pages:
        assert page.status_code == 200
        assert page.context["paginator"].count == 1
        assert page.context["vacancies"][0].role == role
        html = page.content.decode()
        assert f'<option value="{getattr(role, field)}" selected>' in html
        chips = [chip["url"] for chip in page.context["chips"]]
        assert chips and all(role.slug not in url for url in chips)


def test_the_api_filter_keeps_the_english_role_slug_alone(api_client, reference_data):
    role = Role.objects.get(slug="police-agent")
    factories.VacancyFactory(role=role)
    url = reverse("api:vacancies")

    assert api_client.get(url, {"role": role.slug}).data["count"] == 1
    assert api_client.get(url, {"role": role.slug_fr}).status_code == 400


SLUGS = st.one_of(
    st.from_regex(r"[-a-zA-Z0-9_]{1,80}", fullmatch=True),
    st.sampled_from(["agent-de-police", "politieagent", "gardien-de-la-paix-examen-entrainement"]),
)


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(slug=SLUGS)
def test_any_slug_is_a_page_or_a_not_found_never_an_error(client, cast, reference_data, slug):
    client_in(client, "nl", cast.candidate)
    for name, model in PAGES.items():
        exists = get_by_any_slug(model.objects.all(), slug) is not None
        status = client.get(reverse(name, args=[slug])).status_code
        assert status == (200 if exists else 404), (name, slug, status)
    assert client.get(reverse("employers:board"), {"role": slug}).status_code == 200


@pytest.mark.parametrize(("language", "field"), [("fr", "slug_fr"), ("nl", "slug_nl")])
def test_the_catalogue_filters_by_a_role_named_in_any_language_and_offers_the_readers_slug(
    client, reference_data, language, field
):
    role = Role.objects.get(slug="peace-guard")
    client_in(client, language)
    every = client.get(reverse("module_list"))
    pages = [
        client.get(reverse("module_list"), {"role": slug})
        for slug in (role.slug, role.slug_fr, role.slug_nl)
    ]

    counts = {page.context["module_count"] for page in pages}
    assert len(counts) == 1 and 0 < counts.pop() < every.context["module_count"]
    for page in pages:
        assert f'<option value="{getattr(role, field)}" selected>' in page.content.decode()
    assert f'<option value="{getattr(role, field)}">' in every.content.decode()


def test_the_catalogue_api_filter_keeps_the_english_role_slug_alone(api_client, reference_data):
    role = Role.objects.get(slug="peace-guard")
    url = reverse("api:modules")

    assert api_client.get(url, {"role": role.slug}).status_code == 200
    assert api_client.get(url, {"role": role.slug_fr}).status_code == 400
