"""Sign-up, login, logout, password reset and login throttling on the site's pages."""

import re

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.core import mail

from candidates.models import CandidateProfile
from college.models import User
from tests import factories

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "a sentence I remember 2026"


def sign_up(client, headers=None, **overrides):
    data = {
        "full_name": "Ilyas Amrani",
        "email": "ilyas@example.org",
        "password": GOOD_PASSWORD,
        "accepts_privacy_notice": "on",
        **overrides,
    }
    return client.post("/accounts/signup/", data, headers=headers or {})


def test_a_job_seeker_signs_up_gets_a_profile_and_lands_in_their_space(client):
    response = sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == "/me/"
    user = User.objects.get(email="ilyas@example.org")
    assert user.role == User.Role.CANDIDATE
    assert CandidateProfile.objects.filter(user=user).exists()
    assert client.get("/me/").status_code == 200


def test_sign_up_keeps_the_language_the_person_was_using(client):
    sign_up(client, email="nl@example.org")
    assert User.objects.get(email="nl@example.org").preferred_language == "fr"
    client.logout()
    client.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    sign_up(client, email="nl2@example.org")
    assert User.objects.get(email="nl2@example.org").preferred_language == "nl"


def test_passwords_shorter_than_twelve_characters_are_refused_at_the_field(client):
    response = sign_up(client, password="short-pw1")
    assert response.status_code == 200
    assert "password" in response.context["form"].errors
    assert "12" in str(response.context["form"].errors["password"])
    assert not User.objects.filter(email="ilyas@example.org").exists()


def test_an_address_already_in_use_is_refused_whatever_its_case(client):
    factories.CandidateFactory(email="ilyas@example.org")
    response = sign_up(client, email="ILYAS@example.org")
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert User.objects.filter(email__iexact="ilyas@example.org").count() == 1


def test_the_privacy_notice_must_be_acknowledged(client):
    response = sign_up(client, accepts_privacy_notice="")
    assert "accepts_privacy_notice" in response.context["form"].errors
    assert not User.objects.exists()


def test_sign_up_errors_are_translated(client):
    response = sign_up(client, password="kort", headers={"accept-language": "nl"})
    page = response.content.decode()
    assert 'lang="nl"' in page
    assert "Corrigeer" in page


def test_new_passwords_are_hashed_with_argon2(client, settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    sign_up(client)
    user = User.objects.get(email="ilyas@example.org")
    assert identify_hasher(user.password).algorithm == "argon2"


def test_people_already_signed_in_are_sent_to_their_space_instead_of_signing_up(client):
    client.force_login(factories.CandidateFactory())
    assert client.get("/accounts/signup/")["Location"] == "/start/"


@pytest.mark.parametrize(
    ("factory", "start_page"),
    [
        (factories.CandidateFactory, "/me/"),
        (factories.CounsellorFactory, "/caseload/"),
        (factories.EmployerMemberFactory, "/employer/"),
        (factories.StaffFactory, "/staff/"),
    ],
)
def test_login_leads_each_role_to_its_own_start_page(client, factory, start_page):
    factory(email="someone@example.org")
    response = client.post(
        "/accounts/login/",
        {"username": "Someone@Example.org", "password": "a-long-enough-password"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == start_page
    assert response.status_code == 200


def test_a_wrong_password_gives_a_clear_message_and_no_session(client):
    factories.CandidateFactory(email="someone@example.org")
    response = client.post(
        "/accounts/login/", {"username": "someone@example.org", "password": "wrong password!!"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session


def test_logins_are_refused_with_429_after_five_failures_even_with_the_right_password(
    client, settings
):
    settings.LOGIN_FAILURE_LIMIT = 5
    factories.CandidateFactory(email="someone@example.org")
    for _attempt in range(5):
        client.post(
            "/accounts/login/", {"username": "someone@example.org", "password": "guess-guess-guess"}
        )
    response = client.post(
        "/accounts/login/",
        {"username": "someone@example.org", "password": "a-long-enough-password"},
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_another_account_is_not_blocked_by_someone_elses_failures(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    factories.CandidateFactory(email="victim@example.org")
    factories.CandidateFactory(email="other@example.org")
    for _attempt in range(3):
        client.post(
            "/accounts/login/", {"username": "victim@example.org", "password": "nope-nope-nope"}
        )
    response = client.post(
        "/accounts/login/", {"username": "other@example.org", "password": "a-long-enough-password"}
    )
    assert response.status_code == 302


def test_logout_ends_the_session(client):
    client.force_login(factories.CandidateFactory())
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/me/").status_code == 302


def test_password_reset_mails_a_link_that_sets_a_new_password(client):
    factories.CandidateFactory(email="someone@example.org", full_name="Nora Peeters")
    response = client.post("/accounts/password-reset/", {"email": "someone@example.org"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["someone@example.org"]
    assert "Nora Peeters" in message.body
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    set_password_url = form_page.redirect_chain[-1][0]
    new_password = "another sentence for 2027"
    done = client.post(
        set_password_url, {"new_password1": new_password, "new_password2": new_password}
    )
    assert done["Location"] == "/accounts/password-reset/done/"
    assert client.login(username="someone@example.org", password=new_password)


def test_password_reset_mail_is_in_the_language_of_the_page(client):
    factories.CandidateFactory(email="someone@example.org")
    client.post(
        "/accounts/password-reset/", {"email": "someone@example.org"}, HTTP_ACCEPT_LANGUAGE="nl"
    )
    assert "Passerelle" in mail.outbox[0].subject
    assert "wachtwoord" in mail.outbox[0].body.lower()


def test_password_reset_for_an_unknown_address_reveals_nothing(client):
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert mail.outbox == []


def test_password_rules_are_explained_in_dutch_on_dutch_pages(client):
    # Django's own Dutch catalogue lacks this message; without ours it would fall back to French.
    response = sign_up(client, password="kort-kort", headers={"accept-language": "nl"})
    errors = " ".join(response.context["form"].errors["password"])
    assert "te kort" in errors
    assert "trop court" not in errors
