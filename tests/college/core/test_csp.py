"""The Content Security Policy: no 'unsafe-inline', and pages that need none."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db

INLINE_STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(?:src|nonce)=)[^>]*>", re.IGNORECASE)


def assert_strict_policy(response):
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "default-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    body = response.content.decode()
    assert not INLINE_STYLE_ATTRIBUTE.search(body)
    assert not STYLE_ELEMENT.search(body)
    assert not INLINE_SCRIPT.search(body)


@pytest.mark.parametrize(
    "url",
    ["/", "/accounts/login/", "/accounts/signup/", "/roles/", "/api/docs/", "/admin/login/"],
)
def test_public_pages_carry_the_strict_policy_and_need_nothing_inline(client, reference_data, url):
    assert_strict_policy(client.get(url))


def test_the_api_docs_load_their_styles_from_a_file(client):
    body = client.get("/api/docs/").content.decode()
    assert "css/swagger.css" in body
    assert '<html lang="en">' in body


def test_signed_in_pages_carry_the_strict_policy(client, cast, settings):
    settings.MFA_ENFORCED = False
    client.force_login(cast.staff)
    for url in ("/staff/", "/staff/audit/", "/admin/", "/admin/college/user/"):
        assert_strict_policy(client.get(url))
    client.force_login(cast.candidate)
    assert_strict_policy(client.get("/me/"))


def test_the_mfa_setup_page_draws_its_qr_code_without_inline_styles(client, cast, settings):
    settings.MFA_ENFORCED = True
    client.force_login(cast.employer_member)
    assert_strict_policy(client.get("/accounts/mfa/setup/"))


# Uploads ----------------------------------------------------------------------------------------


def test_request_bodies_and_uploads_are_limited_in_size(settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2 * 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES <= 10


def test_a_body_above_the_limit_is_refused_without_a_500(client, cast, settings):
    settings.MFA_ENFORCED = False
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(cast.candidate)
    response = client.post("/me/profile/about/", {"headline": "x" * 5000})
    assert response.status_code == 400


def test_the_vacancy_import_checks_the_content_not_the_name():
    from employers.forms.imports import VacancyImportForm

    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    form = VacancyImportForm(
        data={}, files={"file": SimpleUploadedFile("vacancies.csv", png, "text/csv")}
    )
    assert not form.is_valid()
    assert form.errors["file"]
    big = SimpleUploadedFile("vacancies.csv", b"title\n" + b"a" * (1024 * 1024 + 1), "text/csv")
    form = VacancyImportForm(data={}, files={"file": big})
    assert not form.is_valid()
    assert form.has_error("file", "too_big")
