"""The skills passport's file name, contact line and check code, checked on a public page.

A printed passport carries a code; anyone can check it on /passports/verify/ and sees only
what the passport shows (name, skills, languages), and only while it still holds: a changed
skill, or an erased account, makes the printed passport stop checking.
"""

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from candidates.models import CandidateProfile, Evidence
from candidates.services import candidate_erase
from college.core.check_codes import certificate_code_display
from tests import factories
from tests.candidates.test_passport import pdf_text

pytestmark = pytest.mark.django_db

URL = "/me/passport.pdf"
VERIFY = "/passports/verify/"


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()


@pytest.fixture
def holder(cast):
    profile = cast.candidate.candidate_profile
    profile.phone = "+32 470 12 34 56"
    profile.save()
    factories.CandidateSkillFactory(
        profile=profile,
        skill__label_en="calm a conflict",
        skill__label_nl="een conflict bedaren",
        level=3,
        evidence=Evidence.TEST_VERIFIED,
    )
    return cast.candidate


def printed_code(client, **query):
    response = client.get(URL, query)
    assert response.status_code == 200
    code = CandidateProfile.objects.get(user__email="yasmine@example.org").passport_code
    return certificate_code_display(code), pdf_text(response)


@pytest.mark.parametrize(
    ("language", "filename"),
    [
        ("fr", "passeport-competences-yasmine-test.pdf"),
        ("nl", "competentiepaspoort-yasmine-test.pdf"),
        ("en", "skills-passport-yasmine-test.pdf"),
    ],
)
def test_the_passports_file_name_is_in_the_readers_language(client, holder, language, filename):
    client.force_login(holder)
    response = client.get(URL, {"lang": language})
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'


def test_the_contact_line_prints_only_what_the_person_chose(client, holder):
    client.force_login(holder)
    email, phone = "yasmine@example.org", "+32 470 12 34 56"
    _code, by_default = printed_code(client, lang="en")
    assert email in by_default and phone not in by_default
    _code, both = printed_code(client, lang="en", contact="both")
    assert email in both and phone in both
    _code, phone_only = printed_code(client, lang="en", contact="phone")
    assert phone in phone_only and email not in phone_only
    for choice in ("none", "anything-else"):
        _code, nothing = printed_code(client, lang="en", contact=choice)
        assert email not in nothing and phone not in nothing and "Contact" not in nothing


def test_a_counsellors_copy_prints_no_contact_details(client, cast, holder):
    client.force_login(cast.counsellor)
    text = pdf_text(client.get(f"/caseload/{holder.candidate_profile.pk}/passport.pdf"))
    assert "yasmine@example.org" not in text and "+32 470 12 34 56" not in text


def test_the_printed_code_checks_on_the_public_page_with_only_what_the_passport_shows(
    client, holder
):
    client.force_login(holder)
    code, text = printed_code(client, lang="en")
    assert code in text and f"/passports/verify/?code={code}" in text
    client.logout()
    response = client.get(VERIFY, {"code": code.lower().replace("-", " "), "lang": "en"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Valid skills passport" in page and "Yasmine Test" in page
    assert "Calm a conflict" in page and "Verified by a test" in page
    for private in ("yasmine@example.org", "+32 470 12 34 56", "Schaerbeek"):
        assert private not in page
    assert "no-store" in response["Cache-Control"]


def test_the_same_passport_again_keeps_its_code_and_a_changed_one_gets_a_new_one(client, holder):
    client.force_login(holder)
    first, _text = printed_code(client)
    again, _text = printed_code(client, contact="none")  # the contact line is not checked
    assert again == first
    factories.CandidateSkillFactory(profile=holder.candidate_profile, level=1)
    changed, _text = printed_code(client)
    assert changed != first
    assert client.get(VERIFY, {"code": first}).status_code == 404
    assert client.get(VERIFY, {"code": changed}).status_code == 200


def test_a_passport_stops_checking_once_a_skill_changes_even_before_a_new_one_is_printed(
    client, holder
):
    client.force_login(holder)
    code, _text = printed_code(client)
    holder.candidate_profile.skills.update(level=4)
    response = client.get(VERIFY, {"code": code, "lang": "en"})
    assert response.status_code == 404
    page = response.content.decode()
    assert "No valid passport with this code" in page and "Yasmine Test" not in page


def test_an_erased_persons_passport_no_longer_checks(client, holder):
    client.force_login(holder)
    code, _text = printed_code(client)
    candidate_erase(user=holder, erased_by=holder)
    response = client.get(VERIFY, {"code": code, "lang": "en"})
    assert response.status_code == 404
    assert "Yasmine Test" not in response.content.decode()


def test_the_dutch_check_page_speaks_dutch(client, holder):
    client.force_login(holder)
    code, _text = printed_code(client)
    page = client.get(VERIFY, {"code": code, "lang": "nl"}).content.decode()
    assert "Een conflict bedaren" in page


def test_a_malformed_code_is_told_at_the_field(client):
    response = client.get(VERIFY, {"code": "not a code", "lang": "en"})
    assert response.status_code == 200
    assert "This is not a skills passport code" in response.content.decode()


def test_checking_too_many_codes_is_refused_for_a_while(client):
    statuses = [client.get(VERIFY, {"code": "7KQ2-M9XD-4TRB"}).status_code for _ in range(31)]
    assert statuses[:30] == [404] * 30 and statuses[30] == 429


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    code=st.text(max_size=60)
    # Near-codes too, so that well-formed ones reach the lookup.
    | st.text(alphabet="0123456789ABCDEFGHJKMNPQRSTVWXYZiloU- ", min_size=10, max_size=18)
)
def test_any_typed_code_gets_a_clean_page_never_a_server_error(client, code):
    cache.clear()
    response = client.get(VERIFY, {"code": code})
    # 400: a NUL byte, refused by the request hygiene middleware before the view.
    assert response.status_code in (200, 400, 404)


def test_the_persons_export_and_data_page_show_their_passport_code(client, holder):
    client.force_login(holder)
    code, _text = printed_code(client)
    profile = client.get("/api/v1/me/export/").json()["profile"]
    assert profile["passport_code"] == code.replace("-", "")
    assert profile["passport_issued_on"]
    assert code in client.get("/me/data/", {"lang": "en"}).content.decode()
