"""Completion certificates: issue, the PDF and who may download it, the public code check."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from pypdf import PdfReader

from college.core.check_codes import (
    ALPHABET,
    VERIFY_LIMIT,
    certificate_code_display,
    certificate_code_normalise,
)
from college.models import Certificate, Enrolment
from college.training.certificates import certificate_issue
from tests import factories

pytestmark = pytest.mark.django_db

VERIFY_URL = "/certificates/verify/"


def pdf_text(response):
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def passed(cast):
    """Yasmine passed a first-aid test module in an English-speaking account."""
    cast.candidate.preferred_language = "en"
    cast.candidate.save(update_fields=["preferred_language"])
    module = factories.ModuleFactory(
        title_en="First aid test module", title_nl="EHBO testmodule", hours=14
    )
    factories.ModuleSkillFactory(module=module, skill__label_en="give first aid", level=3)
    cohort = factories.CohortFactory(
        module=module,
        starts_on=timezone.localdate() - timezone.timedelta(days=40),
        ends_on=timezone.localdate() - timezone.timedelta(days=30),
        enrolment_closes_on=timezone.localdate() - timezone.timedelta(days=45),
    )
    return factories.EnrolmentFactory(
        cohort=cohort, candidate=cast.candidate, result=Enrolment.Result.PASSED, score=82
    )


@pytest.fixture
def certificate(passed):
    return certificate_issue(enrolment=passed)


def pdf_url(certificate):
    return reverse("certificate_pdf", args=[certificate_code_display(certificate.code)])


# Issuing ----------------------------------------------------------------------------------


def test_a_passed_enrolment_gets_a_certificate_with_a_12_character_crockford_code(passed):
    certificate = certificate_issue(enrolment=passed)
    assert len(certificate.code) == 12
    assert set(certificate.code) <= set(ALPHABET)
    assert not set(certificate.code) & set("ILOU")
    assert certificate.holder_name == "Yasmine Test"
    assert certificate.language == "en"
    assert re.fullmatch(
        r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", certificate_code_display(certificate.code)
    )


def test_issuing_twice_returns_the_same_certificate(passed):
    first = certificate_issue(enrolment=passed)
    assert certificate_issue(enrolment=passed) == first
    assert Certificate.objects.filter(enrolment=passed).count() == 1


def test_the_holder_name_stays_as_it_was_at_issue(passed):
    issued = certificate_issue(enrolment=passed)
    passed.candidate.full_name = "Yasmine Renamed"
    passed.candidate.save()
    again = certificate_issue(enrolment=passed)
    assert again.pk == issued.pk
    assert again.holder_name == "Yasmine Test"


@pytest.mark.parametrize("result", [Enrolment.Result.FAILED, Enrolment.Result.PENDING])
def test_an_enrolment_without_a_pass_gets_no_certificate(passed, result):
    passed.result = result
    passed.save()
    with pytest.raises(ValueError):
        certificate_issue(enrolment=passed)
    assert not Certificate.objects.exists()


def test_codes_are_read_whatever_the_case_dashes_spaces_and_lookalike_letters():
    assert certificate_code_normalise("7kq2-m9xd-4trb") == "7KQ2M9XD4TRB"
    assert certificate_code_normalise(" 7KQ2 M9XD 4TRB ") == "7KQ2M9XD4TRB"
    assert certificate_code_normalise("OKQ2-M9XD-4TRl") == "0KQ2M9XD4TR1"
    for malformed in ["", "7KQ2-M9XD", "7KQ2-M9XD-4TRB-1", "7KQ2-M9XD-4TR!", "UUUU-UUUU-UUUU"]:
        assert certificate_code_normalise(malformed) == ""


# The PDF ------------------------------------------------------------------------------------


def test_the_holder_downloads_the_certificate_in_the_certificates_language(
    client, cast, certificate
):
    client.force_login(cast.candidate)
    response = client.get(pdf_url(certificate), {"lang": "fr"})  # the page language is ignored
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    display = certificate_code_display(certificate.code)
    assert response["Content-Disposition"] == f'attachment; filename="certificate-{display}.pdf"'
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response)
    with translation.override("en"):
        issued = date_format(timezone.localdate(), "DATE_FORMAT")
    for expected in (
        "Brusafe",
        "Yasmine Test",
        "First aid test module",
        "14",
        "Give first aid",
        "Experienced: I handle difficult situations",
        "Passed (82 %)",
        issued,
        display,
        f"http://testserver/certificates/verify/?code={display}",
    ):
        assert expected in text, expected


def test_a_dutch_speakers_certificate_is_printed_in_dutch(client, cast, passed):
    cast.candidate.preferred_language = "nl"
    cast.candidate.save(update_fields=["preferred_language"])
    certificate = certificate_issue(enrolment=passed)
    assert certificate.language == "nl"
    client.force_login(cast.candidate)
    text = pdf_text(client.get(pdf_url(certificate), {"lang": "en"}))
    assert "EHBO testmodule" in text
    assert "First aid test module" not in text


def test_the_code_in_the_address_is_read_like_a_typed_code(client, cast, certificate):
    client.force_login(cast.candidate)
    lower = certificate_code_display(certificate.code).lower()
    assert client.get(f"/me/certificates/{lower}.pdf").status_code == 200
    assert client.get(f"/me/certificates/{certificate.code}.pdf").status_code == 200


def test_the_holders_counsellor_and_college_staff_download_the_certificate(
    client, cast, certificate
):
    for user in (cast.counsellor, cast.staff):
        client.force_login(user)
        response = client.get(pdf_url(certificate))
        assert response.status_code == 200, user.role
        assert response.content.startswith(b"%PDF")


def test_an_anonymous_visitor_is_sent_to_log_in(client, certificate):
    response = client.get(pdf_url(certificate))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_nobody_else_can_download_a_certificate(client, cast, certificate):
    ended = factories.CounsellorFactory()
    factories.GuidanceFactory(counsellor=ended, candidate=cast.candidate, ended_at=timezone.now())
    for user in (
        cast.other_candidate,
        cast.other_counsellor,
        cast.employer_member,
        ended,
    ):
        client.force_login(user)
        assert client.get(pdf_url(certificate)).status_code == 404, user.email


def test_an_unknown_code_is_a_404(client, cast, certificate):
    client.force_login(cast.staff)
    assert client.get("/me/certificates/0000-0000-0000.pdf").status_code == 404
    assert client.get("/me/certificates/not-a-code.pdf").status_code == 404


# The public check -----------------------------------------------------------------------------


def test_the_check_page_shows_an_empty_form(client):
    response = client.get(VERIFY_URL, {"lang": "en"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="code"' in page
    assert "Check a certificate" in page
    assert "Genuine" not in page


def test_a_genuine_code_shows_only_the_name_the_module_and_the_date(client, certificate):
    holder = certificate.enrolment.candidate
    profile = holder.candidate_profile
    profile.birth_year = 1997
    profile.save()
    display = certificate_code_display(certificate.code)
    response = client.get(VERIFY_URL, {"code": display.lower(), "lang": "en"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Genuine certificate" in page
    assert "Yasmine Test" in page
    assert "First aid test module" in page
    with translation.override("en"):
        assert date_format(timezone.localtime(certificate.issued_at), "DATE_FORMAT") in page
    for secret in ("82 %", "yasmine@example.org", "1997", "Give first aid", "Passed"):
        assert secret not in page, secret


def test_a_code_typed_with_spaces_and_without_dashes_is_found(client, certificate):
    spaced = " ".join(certificate.code[index : index + 3] for index in range(0, 12, 3))
    response = client.get(VERIFY_URL, {"code": spaced, "lang": "en"})
    assert response.status_code == 200
    assert "Genuine certificate" in response.content.decode()


def test_an_unknown_code_is_not_found(client, certificate):
    other = "0000-0000-0000" if certificate.code != "000000000000" else "1111-1111-1111"
    response = client.get(VERIFY_URL, {"code": other, "lang": "en"})
    assert response.status_code == 404
    page = response.content.decode()
    assert "Certificate not found" in page
    assert "Yasmine" not in page


def test_a_malformed_code_is_an_error_at_the_field(client, certificate):
    response = client.get(VERIFY_URL, {"code": "hello", "lang": "en"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "This is not a certificate code" in page
    assert 'class="errorlist"' in page
    assert "Genuine" not in page


def test_lookups_are_limited_per_client_so_codes_cannot_be_enumerated(client, certificate):
    for _number in range(VERIFY_LIMIT):
        assert client.get(VERIFY_URL, {"code": "0000-0000-0000"}).status_code == 404
    response = client.get(
        VERIFY_URL, {"code": certificate_code_display(certificate.code), "lang": "en"}
    )
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many checks" in page
    assert "Yasmine" not in page
    # Another client is not held back.
    other = client.get(
        VERIFY_URL, {"code": certificate.code, "lang": "en"}, REMOTE_ADDR="192.0.2.7"
    )
    assert other.status_code == 200


def test_the_empty_form_does_not_count_against_the_limit(client):
    for _number in range(VERIFY_LIMIT + 5):
        assert client.get(VERIFY_URL).status_code == 200


def test_the_check_page_runs_a_constant_number_of_queries(
    client, certificate, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        client.get(VERIFY_URL, {"code": certificate.code})
