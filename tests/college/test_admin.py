"""College staff keep every model in the Django admin."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, reference_data):
    client.force_login(factories.StaffFactory())
    return client


def test_every_model_of_passerelle_is_in_the_admin():
    registered = {model._meta.label for model in admin.site._registry}
    for label in (
        "college.User",
        "college.Skill",
        "college.Role",
        "college.Commune",
        "college.PoliceZone",
        "college.Language",
        "college.Guidance",
        "candidates.CandidateProfile",
        "employers.Employer",
        "employers.Membership",
    ):
        assert label in registered


@pytest.mark.parametrize(
    "model", [model for model in admin.site._registry], ids=lambda model: model._meta.label
)
def test_staff_can_open_every_admin_list(staff_client, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert staff_client.get(url).status_code == 200


def test_staff_can_search_skills_in_the_admin(staff_client):
    url = reverse("admin:college_skill_changelist")
    response = staff_client.get(url, {"q": "eerste hulp"})
    assert "eerste hulp verlenen" in response.content.decode()


def test_staff_can_open_a_role_with_its_requirement_profile(staff_client):
    from college.models import Role

    role = Role.objects.get(slug="peace-guard")
    response = staff_client.get(reverse("admin:college_role_change", args=[role.pk]))
    assert response.status_code == 200


def test_staff_verify_employers_with_an_admin_action(staff_client):
    employer = factories.EmployerFactory(is_verified=False, verified_at=None)
    staff_client.post(
        reverse("admin:employers_employer_changelist"),
        {"action": "verify", "_selected_action": [employer.pk]},
    )
    employer.refresh_from_db()
    assert employer.is_verified and employer.verified_at


def test_the_verify_action_says_how_many_in_a_sentence(staff_client):
    employers = [factories.EmployerFactory(is_verified=False, verified_at=None) for _ in range(2)]
    said = []
    for chosen, language in ((employers[:1], "fr"), (employers[1:], "nl")):
        response = staff_client.post(
            reverse("admin:employers_employer_changelist"),
            {"action": "verify", "_selected_action": [employer.pk for employer in chosen]},
            headers={"accept-language": language},
            follow=True,
        )
        said += [str(message) for message in response.context["messages"]]
    assert "1 employeur vérifié." in said and "1 werkgever geverifieerd." in said
