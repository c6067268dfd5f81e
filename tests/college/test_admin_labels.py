"""Every model in the admin has its own, translated name: walks the admin's registry, so that a
model registered later is checked too."""

import pytest
from django.contrib import admin
from django.utils import translation

LANGUAGES = ("fr", "nl")
# Words that are the same in English and the other language, checked by hand.
SAME_AS_ENGLISH = {
    "fr": {
        *("commune", "communes", "programme", "programmes", "module", "modules"),
        *("item", "items", "passage", "passages", "invitation", "invitations", "action"),
        *("option", "options", "section", "sections"),
    },
    "nl": {*("module", "modules", "item", "items"), *("authenticator", "authenticators")},
}
SAME_AS_ENGLISH["nl"] |= {"token", "tokens"}


def labels(model, code):
    with translation.override(code):
        return str(model._meta.verbose_name), str(model._meta.verbose_name_plural)


def registered():
    return sorted(admin.site._registry, key=lambda model: model._meta.label)


def test_the_admin_registers_models_of_every_app_and_of_the_libraries():
    apps = {model._meta.app_label for model in registered()}
    assert {"college", "candidates", "employers", "assessments", "auth"} <= apps
    assert "django_tasks_database" in apps


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_admin_model_name_is_translated(code):
    for model in registered():
        for english, translated in zip(labels(model, "en"), labels(model, code), strict=True):
            assert translated != english or translated.casefold() in SAME_AS_ENGLISH[code], (
                model._meta.label,
                code,
                translated,
            )


@pytest.mark.parametrize("code", ("en", *LANGUAGES))
def test_no_two_admin_models_share_a_name(code):
    seen = {}
    for model in registered():
        plural = labels(model, code)[1].casefold()
        assert plural not in seen, (code, plural, seen.get(plural), model._meta.label)
        seen[plural] = model._meta.label


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_admin_section_is_named_in_the_language(code):
    from django.apps import apps

    for label in {model._meta.app_label for model in registered()}:
        config = apps.get_app_config(label)
        with translation.override("en"):
            english = str(config.verbose_name)
        with translation.override(code):
            translated = str(config.verbose_name)
        assert translated != english or translated.casefold() in SAME_AS_ENGLISH[code], (
            label,
            code,
        )


def test_the_admin_index_shows_training_groups_apart_from_permission_groups(client, db):
    from tests import factories

    client.force_login(factories.StaffFactory(is_superuser=True, is_staff=True))
    client.cookies["passerelle_language"] = "fr"
    page = client.get("/admin/").content.decode()
    assert "Groupes de formation" in page
    assert "Résultats des tâches en arrière-plan" in page
    assert "Task Results" not in page


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_model_of_the_project_declares_translated_names(code):
    from django.apps import apps

    for label in ("college", "candidates", "employers", "assessments"):
        for model in apps.get_app_config(label).get_models():
            declared = model._meta.original_attrs
            assert {"verbose_name", "verbose_name_plural"} <= set(declared), model._meta.label
            english, translated = labels(model, "en")[1], labels(model, code)[1]
            assert translated != english or translated.casefold() in SAME_AS_ENGLISH[code], (
                model._meta.label,
                code,
                translated,
            )
