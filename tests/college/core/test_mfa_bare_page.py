"""Before the second step, the header offers only the logo, the language switch and the way
out: no link to a page the person cannot reach yet."""

import re

import pyotp
import pytest
from django.urls import reverse
from django.utils import timezone

from college.models import MfaDevice

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-enough-password"


@pytest.fixture(autouse=True)
def mfa_enforced(settings):
    settings.MFA_ENFORCED = True


def header_of(response):
    page = response.content.decode()
    return page[page.index("<header") : page.index("</header>")]


def links_and_forms(header):
    links = set(re.findall(r'<a [^>]*href="([^"]+)"', header))
    forms = set(re.findall(r'<form [^>]*action="([^"]+)"', header))
    return links, forms


def log_in(client, user):
    client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})


def test_the_verification_page_shows_only_the_logo_the_languages_and_log_out(client, cast):
    device = MfaDevice.objects.create(
        user=cast.employer_member, secret=pyotp.random_base32(), confirmed_at=timezone.now()
    )
    log_in(client, cast.employer_member)
    response = client.get(reverse("mfa_verify"))
    assert response.status_code == 200
    links, forms = links_and_forms(header_of(response))
    assert links == {reverse("home")}
    assert forms == {reverse("set_language"), reverse("logout")}

    client.post(reverse("mfa_verify"), {"code": pyotp.TOTP(device.secret).now()})
    links, _forms = links_and_forms(header_of(client.get(reverse("home"))))
    assert reverse("account") in links and reverse("start") in links


def test_the_setup_page_held_before_the_second_step_is_bare_too(client, cast):
    log_in(client, cast.staff)
    response = client.get(reverse("mfa_setup"))
    assert response.status_code == 200
    links, forms = links_and_forms(header_of(response))
    assert links == {reverse("home")}
    assert forms == {reverse("set_language"), reverse("logout")}


def test_a_counsellor_setting_it_up_by_choice_keeps_the_whole_navigation(client, cast):
    log_in(client, cast.counsellor)
    response = client.get(reverse("mfa_setup"))
    links, _forms = links_and_forms(header_of(response))
    assert reverse("caseload") in links


def test_the_readme_says_which_demo_accounts_need_the_demo_key_and_how_to_get_the_code():
    from pathlib import Path

    from college.core.mfa import REQUIRED_ROLES
    from college.demo.data import DEMO_ACCOUNTS, DEMO_MFA_SECRET

    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text()
    assert f"pyotp.TOTP('{DEMO_MFA_SECRET}').now()" in readme
    for account in DEMO_ACCOUNTS:
        row = next(line for line in readme.splitlines() if line.startswith(f"| `{account.email}`"))
        assert ("**yes**, demo key" in row) == (account.role in REQUIRED_ROLES), account.email
