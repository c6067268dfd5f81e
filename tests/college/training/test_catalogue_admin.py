"""College staff keep the catalogue, cohorts, enrolments and paths in the admin; nobody else."""

import pytest
from django.contrib import admin
from django.urls import reverse

from college.models import Certificate, Module, Programme
from college.training.catalogue import load_catalogue
from tests import factories

pytestmark = pytest.mark.django_db

CATALOGUE_MODELS = [
    "programme",
    "module",
    "cohort",
    "enrolment",
    "certificate",
    "trainingpath",
    "actionitem",
]


@pytest.fixture
def catalogue(reference_data):
    if not Module.objects.filter(slug="first-aid").exists():
        load_catalogue()


@pytest.fixture
def staff_client(client, reference_data):
    client.force_login(factories.StaffFactory())
    return client


def test_the_catalogue_models_are_in_the_admin_but_not_counsellor_notes():
    registered = {model._meta.label for model in admin.site._registry}
    for name in CATALOGUE_MODELS:
        assert f"college.{name}" in {label.lower() for label in registered}
    assert "college.CounsellorNote" not in registered


@pytest.mark.parametrize("name", CATALOGUE_MODELS)
def test_staff_list_each_catalogue_model_with_a_row(staff_client, catalogue, name):
    certificate = factories.CertificateFactory()
    factories.CohortSessionFactory(cohort=certificate.enrolment.cohort)
    factories.PathStepFactory()
    factories.ActionItemFactory()
    response = staff_client.get(reverse(f"admin:college_{name}_changelist"))
    assert response.status_code == 200


def test_staff_filter_enrolments_by_status(staff_client, catalogue):
    factories.EnrolmentFactory(status="waitlisted")
    url = reverse("admin:college_enrolment_changelist")
    assert staff_client.get(url, {"status__exact": "waitlisted"}).status_code == 200


def test_staff_open_a_module_with_the_skills_it_teaches(staff_client, catalogue):
    module = Module.objects.get(slug="sac-reports")
    response = staff_client.get(reverse("admin:college_module_change", args=[module.pk]))
    assert response.status_code == 200
    assert "outcomes-TOTAL_FORMS" in response.content.decode()


def test_staff_open_a_cohort_with_its_sessions_and_a_path_with_its_steps(staff_client, catalogue):
    session = factories.CohortSessionFactory()
    step = factories.PathStepFactory()
    cohort_page = staff_client.get(reverse("admin:college_cohort_change", args=[session.cohort.pk]))
    assert "sessions-TOTAL_FORMS" in cohort_page.content.decode()
    path_page = staff_client.get(reverse("admin:college_trainingpath_change", args=[step.path.pk]))
    assert "steps-TOTAL_FORMS" in path_page.content.decode()


def test_staff_edit_a_programme(staff_client, catalogue):
    programme = Programme.objects.get(slug="core-skills")
    url = reverse("admin:college_programme_change", args=[programme.pk])
    response = staff_client.post(
        url,
        {
            "slug": programme.slug,
            "title_fr": "Socle commun",
            "title_nl": programme.title_nl,
            "title_en": programme.title_en,
            "summary_fr": programme.summary_fr,
            "summary_nl": programme.summary_nl,
            "summary_en": programme.summary_en,
            "roles": [role.pk for role in programme.roles.all()],
            "position": 5,
        },
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert (programme.title_fr, programme.position) == ("Socle commun", 5)


def test_staff_retire_a_module_from_the_list(staff_client, catalogue):
    module = Module.objects.get(slug="first-aid")
    response = staff_client.post(
        reverse("admin:college_module_changelist"),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": module.pk,
            "form-0-position": module.position,
            "_save": "Save",
        },
        # The list is filtered to this one module, so the formset has a single row.
        QUERY_STRING=f"q={module.slug}",
    )
    assert response.status_code == 302
    module.refresh_from_db()
    assert module.is_active is False


def test_certificates_are_read_only_in_the_admin(staff_client, catalogue):
    certificate = factories.CertificateFactory()
    change_url = reverse("admin:college_certificate_change", args=[certificate.pk])
    assert staff_client.get(change_url).status_code == 200
    staff_client.post(change_url, {"code": "FORGED-1", "holder_name": "Someone Else"})
    certificate.refresh_from_db()
    assert certificate.code != "FORGED-1"
    assert staff_client.get(reverse("admin:college_certificate_add")).status_code == 403
    delete_url = reverse("admin:college_certificate_delete", args=[certificate.pk])
    assert staff_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Certificate.objects.filter(pk=certificate.pk).exists()


@pytest.mark.parametrize("person", ["anonymous", "candidate", "counsellor", "employer_member"])
@pytest.mark.parametrize("name", ["module", "enrolment", "certificate", "actionitem"])
def test_nobody_but_staff_opens_the_catalogue_admin(client, cast, catalogue, person, name):
    if person != "anonymous":
        client.force_login(getattr(cast, person))
    response = client.get(reverse(f"admin:college_{name}_changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
