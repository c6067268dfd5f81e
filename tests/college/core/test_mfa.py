"""Two-step verification (TOTP): required for staff and employers, offered to counsellors."""

import datetime

import pyotp
import pytest
import time_machine
from django.utils import timezone, translation
from rest_framework.authtoken.models import Token

from college.core import mfa
from college.demo.data import DEMO_MFA_SECRET, print_demo_logins
from college.models import AuditEvent, MfaDevice

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-enough-password"
TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def mfa_enforced(settings):
    settings.MFA_ENFORCED = True


@pytest.fixture
def english(client):
    client.cookies["passerelle_language"] = "en"


def log_in(client, user, next_url=""):
    data = {"username": user.email, "password": PASSWORD}
    url = "/accounts/login/" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data)


def confirmed_device_for(user, *, secret=None):
    return MfaDevice.objects.create(
        user=user, secret=secret or pyotp.random_base32(), confirmed_at=timezone.now()
    )


def code_of(device, *, seconds_from_now=0):
    moment = timezone.now() + datetime.timedelta(seconds=seconds_from_now)
    return pyotp.TOTP(device.secret).at(moment)


def test_staff_after_the_password_must_set_up_an_authenticator_before_any_page(client, cast):
    response = log_in(client, cast.staff)
    assert response.status_code == 302
    response = client.get(response.url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/mfa/setup/?next=")
    assert client.get("/staff/").url.startswith("/accounts/mfa/setup/")
    assert client.get("/admin/").url.startswith("/accounts/mfa/setup/")


def test_the_setup_page_shows_an_inline_qr_code_and_the_key_as_text(client, cast, english):
    client.force_login(cast.staff)
    response = client.get("/accounts/mfa/setup/")
    device = MfaDevice.objects.get(user=cast.staff)
    body = response.content.decode()
    assert response.status_code == 200
    assert '<svg role="img" aria-label="QR code to scan with your app"' in body
    assert device.secret[:4] in body
    assert device.confirmed_at is None
    assert "<img" not in body and "http" not in body.split("<main", 1)[1].split("</main>")[0]


def test_a_right_code_turns_it_on_and_shows_ten_single_use_recovery_codes(client, cast, english):
    log_in(client, cast.staff)
    client.get("/accounts/mfa/setup/")
    device = MfaDevice.objects.get(user=cast.staff)
    response = client.post(
        "/accounts/mfa/setup/", {"code": code_of(device), "next": "/staff/fairness/"}
    )
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    device.refresh_from_db()
    assert device.is_confirmed
    assert len(device.recovery_code_hashes) == 10
    assert not any(code in str(device.recovery_code_hashes) for code in codes)
    assert 'href="/staff/fairness/"' in response.content.decode()
    assert client.get("/staff/").status_code == 200
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.MFA_ENABLED, actor=cast.staff
    ).exists()


def test_a_wrong_code_at_setup_is_an_error_at_the_field_and_nothing_is_turned_on(
    client, cast, english
):
    client.force_login(cast.staff)
    client.get("/accounts/mfa/setup/")
    response = client.post("/accounts/mfa/setup/", {"code": "000000"})
    assert response.status_code == 200
    assert "This code is not the right one" in str(response.context["form"].errors["code"])
    assert not MfaDevice.objects.get(user=cast.staff).is_confirmed
    assert client.get("/staff/").status_code == 302


def test_each_login_asks_for_a_current_code_then_goes_where_the_person_was_going(client, cast):
    device = confirmed_device_for(cast.employer_member)
    response = client.get(log_in(client, cast.employer_member, "/employer/").url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/mfa/verify/")
    response = client.post(response.url, {"code": code_of(device), "next": "/employer/"})
    assert response.status_code == 302 and response.url == "/employer/"
    assert client.get("/employer/").status_code == 200


def test_the_second_step_rotates_the_session_key(client, cast):
    device = confirmed_device_for(cast.staff)
    log_in(client, cast.staff)
    before = client.session.session_key
    client.post("/accounts/mfa/verify/", {"code": code_of(device)})
    assert client.session.session_key != before


def test_a_code_already_used_is_refused(client, cast, english):
    device = confirmed_device_for(cast.staff)
    code = code_of(device)
    log_in(client, cast.staff)
    client.post("/accounts/mfa/verify/", {"code": code})
    client.post("/accounts/logout/")
    log_in(client, cast.staff)
    response = client.post("/accounts/mfa/verify/", {"code": code})
    assert response.status_code == 200
    assert "already used" in str(response.context["form"].errors["code"])


def test_a_wrong_code_is_refused_and_the_pages_stay_closed(client, cast):
    confirmed_device_for(cast.staff)
    log_in(client, cast.staff)
    response = client.post("/accounts/mfa/verify/", {"code": "123456"})
    assert response.status_code == 200 and response.context["form"].errors
    assert client.get("/staff/").url.startswith("/accounts/mfa/verify/")


def test_the_next_code_works_after_the_previous_one(client, cast):
    device = confirmed_device_for(cast.staff)
    log_in(client, cast.staff)
    client.post("/accounts/mfa/verify/", {"code": code_of(device)})
    client.post("/accounts/logout/")
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=31), tick=False):
        log_in(client, cast.staff)
        response = client.post("/accounts/mfa/verify/", {"code": code_of(device)})
        assert response.status_code == 302


def test_a_recovery_code_works_once(client, cast):
    log_in(client, cast.staff)
    client.get("/accounts/mfa/setup/")
    device = MfaDevice.objects.get(user=cast.staff)
    codes = client.post("/accounts/mfa/setup/", {"code": code_of(device)}).context["codes"]
    client.post("/accounts/logout/")
    log_in(client, cast.staff)
    assert client.post("/accounts/mfa/verify/", {"code": codes[3].upper()}).status_code == 302
    client.post("/accounts/logout/")
    log_in(client, cast.staff)
    assert client.post("/accounts/mfa/verify/", {"code": codes[3]}).status_code == 200
    device.refresh_from_db()
    assert len(device.recovery_code_hashes) == 9
    assert AuditEvent.objects.filter(action=AuditEvent.Action.RECOVERY_CODE_USED).count() == 1


def test_new_recovery_codes_replace_the_old_ones(client, cast):
    device = confirmed_device_for(cast.staff)
    device.recovery_code_hashes = ["old"]
    device.save()
    log_in(client, cast.staff)
    client.post("/accounts/mfa/verify/", {"code": code_of(device)})
    response = client.post("/accounts/mfa/recovery-codes/")
    device.refresh_from_db()
    assert len(response.context["codes"]) == 10
    assert "old" not in device.recovery_code_hashes


def test_the_admin_login_is_held_at_the_second_step_too(client, cast):
    confirmed_device_for(cast.staff)
    client.post("/admin/login/", {"username": cast.staff.email, "password": PASSWORD})
    response = client.get("/admin/college/user/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/mfa/verify/")


def test_a_session_api_call_before_the_second_step_is_refused(client, cast):
    confirmed_device_for(cast.employer_member)
    log_in(client, cast.employer_member)
    with translation.override("en"):
        response = client.get("/api/v1/vacancies/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert response.json()["detail"]


def test_counsellors_need_no_second_step_until_they_set_one_up(client, cast, english):
    response = client.get(log_in(client, cast.counsellor).url, follow=True)
    assert response.status_code == 200
    assert client.get("/caseload/").status_code == 200
    status = client.get("/accounts/mfa/")
    assert b"Set up two-step verification" in status.content
    client.get("/accounts/mfa/setup/")
    device = MfaDevice.objects.get(user=cast.counsellor)
    client.post("/accounts/mfa/setup/", {"code": code_of(device)})
    client.post("/accounts/logout/")
    log_in(client, cast.counsellor)
    assert client.get("/caseload/").url.startswith("/accounts/mfa/verify/")


def test_a_counsellor_may_turn_it_off_with_a_code(client, cast):
    device = confirmed_device_for(cast.counsellor)
    log_in(client, cast.counsellor)
    client.post("/accounts/mfa/verify/", {"code": code_of(device)})
    assert client.post("/accounts/mfa/remove/", {"code": "000000"}).status_code == 400
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=31), tick=False):
        response = client.post("/accounts/mfa/remove/", {"code": code_of(device)})
    assert response.status_code == 302
    assert not MfaDevice.objects.filter(user=cast.counsellor).exists()


def test_staff_and_employers_cannot_turn_it_off(client, cast):
    device = confirmed_device_for(cast.staff)
    log_in(client, cast.staff)
    client.post("/accounts/mfa/verify/", {"code": code_of(device)})
    assert client.post("/accounts/mfa/remove/", {"code": "000000"}).status_code == 403
    assert MfaDevice.objects.filter(user=cast.staff).exists()


def test_job_seekers_are_not_offered_the_pages_and_anonymous_visitors_log_in_first(client, cast):
    for url in ("/accounts/mfa/", "/accounts/mfa/setup/", "/accounts/mfa/verify/"):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    client.force_login(cast.candidate)
    for url in ("/accounts/mfa/", "/accounts/mfa/setup/", "/accounts/mfa/verify/"):
        assert client.get(url).status_code == 403
    assert client.get("/me/").status_code in (200, 302)


def test_an_outside_next_address_is_ignored(client, cast):
    device = confirmed_device_for(cast.staff)
    log_in(client, cast.staff)
    response = client.post(
        "/accounts/mfa/verify/", {"code": code_of(device), "next": "https://evil.example/"}
    )
    assert response.url == "/start/"


def test_the_check_is_off_when_mfa_is_not_enforced(client, cast, settings):
    settings.MFA_ENFORCED = False
    log_in(client, cast.staff)
    assert client.get("/staff/").status_code == 200


# The API token ---------------------------------------------------------------------------------


def token_request(api_client, user, **extra):
    return api_client.post(
        TOKEN_URL, {"email": user.email, "password": PASSWORD, **extra}, format="json"
    )


def test_a_token_for_staff_needs_the_current_code(api_client, cast):
    device = confirmed_device_for(cast.staff)
    with translation.override("en"):
        missing = token_request(api_client, cast.staff)
        wrong = token_request(api_client, cast.staff, otp="000000")
    assert (missing.status_code, wrong.status_code) == (400, 400)
    assert missing.json()["otp"] and wrong.json()["otp"]
    assert not Token.objects.exists()
    response = token_request(api_client, cast.staff, otp=code_of(device))
    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=cast.staff).key}


def test_a_token_for_an_employer_without_an_authenticator_is_refused(api_client, cast):
    response = token_request(api_client, cast.employer_member, otp="123456")
    assert response.status_code == 400
    assert "otp" in response.json()


def test_a_job_seeker_gets_a_token_without_a_code(api_client, cast):
    assert token_request(api_client, cast.candidate).status_code == 200


def test_wrong_codes_count_as_failed_logins(api_client, cast, settings):
    confirmed_device_for(cast.staff)
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT):
        token_request(api_client, cast.staff, otp="000000")
    assert token_request(api_client, cast.staff, otp="000000").status_code == 429


# Demo -----------------------------------------------------------------------------------------


def test_the_demo_logins_name_the_authenticator_key():
    lines = []
    print_demo_logins("passerelle-demo", lines.append)
    assert any(DEMO_MFA_SECRET in line for line in lines)
    assert pyotp.TOTP(DEMO_MFA_SECRET).now().isdigit()


def test_mfa_is_required_of_staff_and_employers_and_offered_to_counsellors(cast):
    assert mfa.mfa_is_required(cast.staff) and mfa.mfa_is_required(cast.employer_member)
    assert not mfa.mfa_is_required(cast.counsellor) and mfa.mfa_is_offered(cast.counsellor)
    assert not mfa.mfa_is_offered(cast.candidate)


def test_production_refuses_to_start_with_the_second_step_turned_off():
    from tests.college.test_settings import PRODUCTION, read_settings

    refused = read_settings({**PRODUCTION, "MFA_ENFORCED": "0"}, "MFA_ENFORCED")
    assert refused.returncode != 0
    assert "MFA_ENFORCED" in refused.stderr
    allowed = read_settings({**PRODUCTION, "MFA_ENFORCED": "1"}, "MFA_ENFORCED")
    assert allowed.returncode == 0, allowed.stderr


def test_anyone_who_can_open_the_admin_must_use_it_whatever_their_role(cast):
    cast.counsellor.is_staff = True
    assert mfa.mfa_is_required(cast.counsellor)
