"""Erasure leaves nothing that identifies the person, in any table or column, in any state.

The person signs up through the real sign-up page, gets a row of every kind Passerelle can
hold (candidates.data_rights.HOLDINGS), erases their account on /me/data/erase/, and then
every table and every column of the database, cast to text, is searched for their name,
e-mail address, phone number and birth year (the only date of birth Passerelle asks for).
Runs on SQLite and, with DATABASE_URL, on PostgreSQL.
"""

import re

import pytest
from django.apps import apps
from django.contrib.sessions.backends.base import SessionBase
from django.db import connection
from django.http import Http404
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from candidates.data_rights import HOLDINGS, Erasure
from college.models import AuditEvent, Certificate, User
from employers.models import Application
from tests import factories
from tests.candidates.data_rights_support import (
    BIRTH_YEAR,
    EMAIL,
    FULL_NAME,
    PASSWORD,
    PHONE,
    give_every_kind,
    sign_up,
)

pytestmark = pytest.mark.django_db

# What identifies her, as typed: each part of her name, her address, her phone, her birth year.
NEEDLES = {
    "first name": re.compile(r"zéphyrine", re.IGNORECASE),
    "surname": re.compile(r"quokka", re.IGNORECASE),
    "e-mail": re.compile(re.escape(EMAIL), re.IGNORECASE),
    "phone": re.compile(re.escape(PHONE)),
    # A year is four digits: found alone, not inside a longer number or a hexadecimal key.
    "birth year": re.compile(rf"(?<![0-9A-Za-z]){BIRTH_YEAR}(?![0-9A-Za-z])"),
}


def database_texts():
    """(table, column, text) for every non-empty value of every column of every table."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [
                column.name
                for column in connection.introspection.get_table_description(cursor, table)
            ]
            casts = ", ".join(f"CAST({quote(column)} AS TEXT)" for column in columns)
            cursor.execute(f"SELECT {casts} FROM {quote(table)}")  # noqa: S608 (names only)
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if value:
                        yield table, column, str(value)
                if table == "django_session":
                    # Sessions are stored encoded: read them as the site does.
                    data = SessionBase().decode(row[columns.index("session_data")])
                    yield table, "session_data (decoded)", str(data)


def found_in_database():
    found = set()
    for table, column, text in database_texts():
        for what, needle in NEEDLES.items():
            if needle.search(text):
                found.add((what, table, column))
    return found


@pytest.fixture
def zephyrine(client, cast, item_bank):
    person = sign_up(client)
    vacancies = give_every_kind(person, cast)
    return person, vacancies


def rows_of(user):
    """The pks of the person's rows, per registered kind (found through its owner lookup)."""
    return {
        label: set(
            apps.get_model(label)
            .objects.filter(**{holding.owner: user.pk})
            .values_list("pk", flat=True)
        )
        for label, holding in HOLDINGS.items()
        if not apps.get_model(label)._meta.auto_created
    }


def test_erasure_through_the_page_leaves_nothing_identifying_anywhere(client, cast, zephyrine):
    person, vacancies = zephyrine
    user = person.user
    # The export the person downloads first: it also leaves an audit event by them.
    assert client.get("/api/v1/me/export/").status_code == 200
    before = rows_of(user)
    # The fixture is complete: a row of every kind (admin history is about her, not by her).
    assert {label for label, pks in before.items() if not pks} == {"admin.LogEntry"}
    # The search finds every detail before: it cannot pass for want of looking.
    assert {what for what, _table, _column in found_in_database()} == set(NEEDLES)
    token = user.auth_token.key
    other_device = Client()
    assert other_device.login(email=EMAIL, password=PASSWORD)

    response = client.post("/me/data/erase/", {"password": PASSWORD, "understands": "on"})

    assert response.status_code == 302
    assert found_in_database() == set()
    for label, pks in before.items():
        still_there = apps.get_model(label).objects.filter(pk__in=pks).count()
        expected = len(pks) if HOLDINGS[label].erasure == Erasure.ANONYMISED else 0
        assert still_there == expected, label
    # Sessions and token: dead at once.
    assert client.get("/me/")["Location"].startswith("/accounts/login/")
    assert other_device.get("/me/")["Location"].startswith("/accounts/login/")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me/profile/").status_code == 401


def test_applications_become_anonymous_records_that_keep_the_vacancys_counts(
    client, cast, zephyrine
):
    person, vacancies = zephyrine
    client.post("/me/data/erase/", {"password": PASSWORD, "understands": "on"})
    erased = Application.objects.filter(vacancy__in=vacancies).order_by("pk")
    assert [(app.stage, app.is_erased, app.profile_id, app.consent_id) for app in erased] == [
        ("interview", True, None, None),
        ("not_retained", True, None, None),
    ]
    assert {app.motivation + app.reason_note for app in erased} == {""}
    assert [app.events.count() for app in erased] == [2, 2]  # the pipeline's history holds


def test_the_employers_pages_show_nothing_about_an_erased_applicant(client, cast, zephyrine):
    person, vacancies = zephyrine
    application_pk = Application.objects.filter(vacancy=vacancies[0]).get().pk
    client.post("/me/data/erase/", {"password": PASSWORD, "understands": "on"})
    employer = Client()
    employer.force_login(cast.employer_member)
    for url in (
        reverse("employers:pipeline", args=[vacancies[0].pk]),
        reverse("employers:pipeline", args=[vacancies[1].pk]),
        reverse("employers:shortlist", args=[vacancies[2].pk]),
    ):
        response = employer.get(url, headers={"accept-language": "en"})
        assert response.status_code == 200, url
        page = response.content.decode()
        assert not any(needle.search(page) for needle in NEEDLES.values()), url
    pipeline = employer.get(
        reverse("employers:pipeline", args=[vacancies[0].pk]), headers={"accept-language": "en"}
    ).content.decode()
    assert "Erased at the candidate" in pipeline
    assert "1 application" in pipeline  # still counted
    detail = employer.get(reverse("employers:application_detail", args=[application_pk]))
    assert detail.status_code == 404


def test_a_certificate_stays_verifiable_without_a_name(client, cast, zephyrine):
    certificate = Certificate.objects.get(enrolment__candidate=zephyrine[0].user)
    module_title = certificate.module.title_en
    client.post("/me/data/erase/", {"password": PASSWORD, "understands": "on"})
    certificate.refresh_from_db()
    assert (certificate.enrolment, certificate.holder_name) == (None, "")
    response = Client().get(
        reverse("certificate_verify"),
        {"code": certificate.code},
        headers={"accept-language": "en"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Genuine certificate" in page and module_title in page
    assert FULL_NAME not in page and "Holder" not in page


def test_the_audit_log_keeps_the_erasure_and_no_trace_of_the_id(client, cast, zephyrine):
    person, _vacancies = zephyrine
    user_id, profile_id = str(person.user.pk), str(person.profile.pk)
    client.post("/me/data/erase/", {"password": PASSWORD, "understands": "on"})
    events = AuditEvent.objects.all()
    assert not events.filter(object_type="user", object_id=user_id).exists()
    assert not events.filter(object_type="candidate_profile", object_id=profile_id).exists()
    erased = events.get(action=AuditEvent.Action.ACCOUNT_ERASED)
    assert (erased.actor, erased.actor_role) == (None, "candidate")
    assert erased.object_id.startswith("anon-")


@pytest.mark.parametrize(
    "engine",
    [
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cache",
        "django.contrib.sessions.backends.cached_db",
    ],
)
def test_every_session_ends_with_the_erasure_whatever_the_store(client, cast, settings, engine):
    settings.SESSION_ENGINE = engine
    person = sign_up(client)
    other_device = Client()
    assert other_device.login(email=EMAIL, password=PASSWORD)
    assert other_device.get("/me/").status_code == 200

    client.post("/me/data/erase/", {"password": PASSWORD, "understands": "on"})

    assert not User.objects.filter(pk=person.user.pk).exists()
    assert other_device.get("/me/")["Location"].startswith("/accounts/login/")


def test_staff_erase_a_job_seeker_who_applied_by_deleting_the_account_in_the_admin(
    client, cast, zephyrine
):
    person, vacancies = zephyrine
    admin = Client()
    superuser = factories.StaffFactory(is_superuser=True, email="root@example.org")
    admin.force_login(superuser)
    url = reverse("admin:college_user_delete", args=[person.user.pk])
    assert admin.get(url).status_code == 200  # no "protected objects" refusal
    response = admin.post(url, {"post": "yes"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not User.objects.filter(pk=person.user.pk).exists()
    assert found_in_database() == set()
    assert Application.objects.filter(vacancy__in=vacancies, is_erased=True).count() == 2
    erased = AuditEvent.objects.get(action=AuditEvent.Action.ACCOUNT_ERASED)
    assert (erased.actor, erased.detail) == (superuser, "admin")


def test_the_retention_job_erases_an_applicant_through_the_same_service(cast, zephyrine):
    import datetime

    from django.utils import timezone

    from candidates.retention import stale_candidates_purge

    person, vacancies = zephyrine
    long_ago = timezone.now() - datetime.timedelta(days=3 * 365)
    # Everything she did, long ago.
    User.objects.filter(pk=person.user.pk).update(date_joined=long_ago, last_login=long_ago)
    type(person.profile).objects.filter(pk=person.profile.pk).update(updated_at=long_ago)
    person.user.attempts.update(started_at=long_ago)
    person.user.enrolments.update(created_at=long_ago, result_recorded_at=long_ago)
    Application.objects.filter(profile=person.profile).update(
        created_at=long_ago, stage_changed_at=long_ago
    )
    # The cast's own job-seekers are recent: only she is stale.
    assert stale_candidates_purge(months=24) == 1
    assert found_in_database() == set()
    assert Application.objects.filter(vacancy__in=vacancies, is_erased=True).count() == 2


def test_a_stage_e_mail_queued_before_the_erasure_is_not_sent(client, cast, zephyrine, mailoutbox):
    from employers.tasks import send_application_stage_email

    person, vacancies = zephyrine
    application_pk = Application.objects.get(vacancy=vacancies[0]).pk
    client.post("/me/data/erase/", {"password": PASSWORD, "understands": "on"})
    mailoutbox.clear()
    assert send_application_stage_email.call(application_pk) is False
    assert mailoutbox == []


def test_the_fairness_report_and_staff_pages_hold_after_an_applicant_is_erased(
    client, cast, zephyrine
):
    from college.insights.fairness import fairness_report
    from college.training.certificates import get_certificate_for

    person, vacancies = zephyrine
    code = Certificate.objects.get(enrolment__candidate=person.user).code
    client.post("/me/data/erase/", {"password": PASSWORD, "understands": "on"})
    # The erased person is in no pool any more; their anonymous applications break nothing.
    report = fairness_report(shortlist_size=15)
    assert {vacancy.pk for vacancy in vacancies} <= {row.vacancy_id for row in report.vacancies}
    staff = Client()
    staff.force_login(cast.staff)
    assert staff.get(reverse("fairness_report")).status_code == 200
    # Nobody can print a certificate without its holder's name any more, not even staff.
    with pytest.raises(Http404):
        get_certificate_for(cast.staff, code)
