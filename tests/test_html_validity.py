"""The main pages are valid HTML, as the Nu Html Checker (vnu.jar, the W3C's validator) reads them.

The pages are rendered in French for the access matrix's world (tests/test_access_matrix.py),
each as a person who may see it, and checked in one run of the checker (the JVM starts slowly).
The checker comes from the npm package vnu-jar, installed by .ci/run into var/vnu/ (or set
VNU_JAR to a vnu.jar); it needs Java. Without either the test is skipped, saying which is missing.
"""

import datetime
import json
import os
import re
import shutil
import subprocess
import zoneinfo
from pathlib import Path

import pytest
from django.urls import reverse

from college.models import Language
from college.templatetags.passerelle import iso_datetime
from employers.models import VacancyLanguage
from tests.access_matrix import ANONYMOUS, MATRIX
from tests.test_access_matrix import client_for
from tests.test_access_matrix import handler as handler  # the access matrix's fixtures
from tests.test_access_matrix import world as world

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
VNU_JAR = Path(
    os.environ.get("VNU_JAR") or ROOT / "var/vnu/node_modules/vnu-jar/build/dist/vnu.jar"
)

# (URL name in the access matrix, who looks at it)
PAGES = [
    ("home", ANONYMOUS),
    ("role_list", ANONYMOUS),
    ("role_detail", ANONYMOUS),
    ("employers:board", ANONYMOUS),
    ("employers:vacancy_detail", ANONYMOUS),
    ("login", ANONYMOUS),
    ("signup", ANONYMOUS),
    ("module_list", ANONYMOUS),
    ("public_observatory", ANONYMOUS),
    ("candidates:passport_verify", ANONYMOUS),
    ("candidates:dashboard", "candidate"),
    ("candidates:profile", "candidate"),
    ("candidates:profile_about", "candidate"),
    ("candidates:profile_languages", "candidate"),
    ("candidates:profile_skills", "candidate"),
    ("candidates:profile_experience", "candidate"),
    ("candidates:profile_education", "candidate"),
    ("candidates:profile_conditions", "candidate"),
    ("candidates:profile_roles", "candidate"),
    ("candidates:profile_sharing", "candidate"),
    ("candidates:matches", "candidate"),
    ("candidates:digital_self_assessment", "candidate"),
    ("candidates:digital_area", "candidate"),
    ("candidates:digital_profile", "candidate"),
    ("candidates:certifications", "candidate"),
    ("employers:apply", "other_candidate"),  # not applied yet: the whole form and checklist
    ("employers:my_applications", "candidate"),
    ("candidates:my_data", "candidate"),
    ("assessments:battery_list", "candidate"),
    ("my_path", "candidate"),
    ("staff_observatory", "staff"),
    ("staff_awareness", "staff"),
    ("caseload", "counsellor"),
    ("candidates:counsellor_profile", "counsellor"),
    ("employers:dashboard", "employer"),
    ("employers:staff_awareness", "employer"),
    ("employers:vacancy_new", "employer"),
    ("employers:vacancy_edit", "employer"),
    ("employers:vacancy_pool", "employer"),
    ("employers:shortlist", "employer"),
    ("employers:pipeline", "employer"),
]


def checker_missing():
    if shutil.which("java") is None:
        return "Java is not installed: the Nu Html Checker needs it (apt-get install default-jre)."
    if not VNU_JAR.is_file():
        return (
            f"The Nu Html Checker is not installed at {VNU_JAR}: "
            "npm install --prefix var/vnu vnu-jar (as .ci/run does), or set VNU_JAR."
        )
    return None


def run_checker(files):
    """The checker's error messages for the HTML files, in one JVM."""
    result = subprocess.run(
        ["java", "-Xss4m", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(result.stderr or '{"messages": []}')
    return [message for message in report["messages"] if message["type"] in ("error", "fatal")]


def test_the_list_names_pages_the_matrix_lets_each_person_see():
    for name, role in PAGES:
        assert MATRIX[name].get[role] == 200, (name, role)


@pytest.mark.skipif(checker_missing() is not None, reason=str(checker_missing()))
def test_the_main_pages_are_valid_html(handler, world, tmp_path):
    # A vacancy that asks for one of two languages: the apply page's "either" checklist.
    for code in ("nl", "en"):
        VacancyLanguage.objects.update_or_create(
            vacancy=world.vacancy,
            language=Language.objects.get(code=code),
            defaults={"min_cefr": "B1", "is_alternative": True},
        )
    files = {}
    for index, (name, role) in enumerate(PAGES):
        url = reverse(name, kwargs=MATRIX[name].kwargs(world))
        response = client_for(handler, world, name, role).get(url, HTTP_ACCEPT_LANGUAGE="fr")
        assert response.status_code == 200, f"{url} as {role}: {response.status_code}"
        assert response.content.decode().count('<html lang="fr"') == 1
        path = tmp_path / f"{index:02d}-{name.replace(':', '-')}.html"
        path.write_bytes(response.content)
        files[path.as_uri()] = f"{url} as {role}"
    errors = run_checker([str(path) for path in sorted(tmp_path.glob("*.html"))])
    described = [
        f"{files.get(error['url'], error['url'])}, line {error.get('lastLine')}: "
        f"{error['message']} [{error.get('extract', '').strip()}]"
        for error in errors
    ]
    assert not described, "\n".join(described)


def test_the_login_e_mail_field_is_an_email_input_with_one_type(client):
    page = client.get("/accounts/login/").content.decode()
    field = re.search(r'<input[^>]*name="username"[^>]*>', page).group(0)
    assert re.findall(r'\btype="([^"]*)"', field) == ["email"]


def test_time_datetime_values_carry_no_fraction_of_a_second():
    brussels = zoneinfo.ZoneInfo("Europe/Brussels")
    moment = datetime.datetime(2026, 5, 4, 9, 30, 15, 123456, tzinfo=datetime.UTC)
    assert iso_datetime(moment) == "2026-05-04T11:30:15+02:00"
    assert iso_datetime(moment.astimezone(brussels).replace(tzinfo=None)) == "2026-05-04T11:30:15"
    assert iso_datetime(datetime.date(2026, 5, 4)) == "2026-05-04"
    assert iso_datetime(None) == ""


def test_no_template_writes_a_datetime_attribute_without_the_filter():
    """A guard for later templates: `|date:'c'` writes microseconds, which HTML refuses."""
    offenders = [
        f"{path.relative_to(ROOT)}: {match}"
        for path in (ROOT / "templates").rglob("*.html")
        for match in re.findall(r'datetime="\{\{[^}]*\}\}"', path.read_text())
        if "|iso_datetime" not in match
    ]
    assert not offenders, offenders
