"""French typography that formats cannot express: "1er février", "d’Amal", counts that read."""

import datetime

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from college.core.typography import date_format, elide, first_of_month
from college.models import Commune
from employers.models import Employer, Vacancy
from employers.views.editor import vacancy_status_counts
from tests import factories

pytestmark = pytest.mark.django_db


def in_language(language, function, *args):
    with translation.override(language):
        return function(*args)


def render(source, language, **context):
    with translation.override(language):
        return Template(source).render(Context(context))


def test_the_first_of_the_month_is_an_ordinal_in_french_only():
    first = datetime.date(2027, 2, 1)
    assert render('{{ day|date:"DATE_FORMAT" }}', "fr", day=first) == "1er février 2027"
    assert render('{{ day|date:"l j F Y" }}', "fr", day=first) == "lundi 1er février 2027"
    assert render('{{ day|date:"DATE_FORMAT" }}', "nl", day=first) == "1 februari 2027"
    assert render('{{ day|date:"DATE_FORMAT" }}', "en", day=first) == "Feb. 1, 2027"
    assert in_language("fr", date_format, datetime.date(2027, 12, 1), "j M") == "1er Déc"


def test_other_days_and_numbers_are_left_alone():
    assert render('{{ day|date:"DATE_FORMAT" }}', "fr", day=datetime.date(2027, 2, 11)) == (
        "11 février 2027"
    )
    assert render('{{ day|date:"SHORT_DATE_FORMAT" }}', "fr", day=datetime.date(2027, 2, 1)) == (
        "01/02/2027"
    )
    assert in_language("fr", first_of_month, "21 mars, 1 000 places, 1 mai") == (
        "21 mars, 1 000 places, 1er mai"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Résultat de Aylin", "Résultat d’Aylin"),
        ("Parcours de formation de Amal Benali", "Parcours de formation d’Amal Benali"),
        ("Les offres que Ixelles publie", "Les offres qu’Ixelles publie"),
        ("Score de Émile (%)", "Score d’Émile (%)"),
        ("Résultat de Yasmine", "Résultat de Yasmine"),
        ("Passeport de Hugo, de Haren", "Passeport de Hugo, de Haren"),
        ("Du niveau de A2 au niveau de B1", "Du niveau de A2 au niveau de B1"),
    ],
)
def test_de_and_que_are_elided_before_a_name_starting_with_a_vowel(text, expected):
    assert in_language("fr", elide, text) == expected
    assert render("{{ text|elide }}", "fr", text=text) == expected


def test_elision_is_french_only_and_keeps_safe_text_safe():
    assert in_language("nl", elide, "Résultat de Aylin") == "Résultat de Aylin"
    html = render(
        "{% filter elide %}Résultat de <b>{{ name }}</b>{% endfilter %}", "fr", name="Ann & Co"
    )
    assert html == "Résultat de <b>Ann &amp; Co</b>"
    assert render("{% filter elide %}de {{ name }}{% endfilter %}", "fr", name="Ann") == "d’Ann"


@given(st.text(max_size=40))
def test_elision_only_ever_removes_an_e_and_a_space_for_an_apostrophe(text):
    with translation.override("fr"):
        elided = elide(text)
    assert elided.replace("’", "e ") == text.replace("’", "e ")
    assert len(text) - len(elided) == elided.count("’") - text.count("’")


def test_the_staff_results_form_elides_the_persons_name(cast, reference_data):
    from college.training.forms import ResultsForm

    cohort = factories.CohortFactory()
    cast.candidate.full_name = "Aylin Test"
    cast.candidate.save(update_fields=["full_name"])
    enrolment = factories.EnrolmentFactory(cohort=cohort, candidate=cast.candidate)
    with translation.override("fr"):
        form = ResultsForm(enrolments=[enrolment], module=cohort.module)
        assert form.fields[f"result_{enrolment.pk}"].label == "Résultat d’Aylin Test"


def test_the_employer_dashboard_counts_vacancies_in_words(client, cast, reference_data):
    employer = cast.employer_member.membership.employer
    for _number in range(4):
        factories.VacancyFactory(employer=employer)
    factories.VacancyFactory(employer=employer, status=Vacancy.Status.DRAFT, published_at=None)
    with translation.override("fr"):
        counted = {item["status"]: item["counted"] for item in vacancy_status_counts(employer)}
    assert counted == {
        "draft": "1 brouillon",
        "published": "4 offres publiées",
        "closed": "0 offre clôturée",
        "filled": "0 offre pourvue",
    }
    client.force_login(cast.employer_member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    page = client.get(reverse("employers:dashboard")).content.decode()
    assert "4 gepubliceerde vacatures" in page


def test_the_licence_select_says_no_licence_is_required_not_no_diploma(client, cast):
    employer = cast.employer_member.membership.employer
    employer.kind = Employer.Kind.OTHER
    employer.save(update_fields=["kind"])
    employer.communes.add(Commune.objects.order_by("pk").first())
    client.force_login(cast.employer_member)
    url = reverse("employers:vacancy_create", kwargs={"role_slug": "peace-guard"})
    for language, empty_choice in (("fr", "Aucun permis exigé"), ("nl", "Geen rijbewijs vereist")):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        page = client.get(url).content.decode()
        licence = page[page.index('name="driving_licence"') :]
        assert f'<option value="" selected>{empty_choice}</option>' in licence[:300]


def test_a_label_put_together_in_a_template_gets_the_french_colon():
    source = "{{ name }}{% colon %} B1"
    assert render(source, "fr", name="Néerlandais") == "Néerlandais\u00a0: B1"
    assert render(source, "nl", name="Nederlands") == "Nederlands: B1"


def test_items_listed_on_one_line_are_separated_the_french_way():
    source = (
        "{% for x in items %}{{ x }}{% if not forloop.last %}{% list_separator %}{% endif %}"
        "{% endfor %}"
    )
    assert render(source, "fr", items=["A1", "B2"]) == "A1\u00a0; B2"
    assert render(source, "nl", items=["A1", "B2"]) == "A1; B2"


def test_a_counsellor_reads_the_training_path_of_amal_elided(client, cast, reference_data):
    cast.candidate.full_name = "Amal Test"
    cast.candidate.save(update_fields=["full_name"])
    client.force_login(cast.counsellor)
    url = reverse("counsellor_path", kwargs={"profile_id": cast.candidate.candidate_profile.pk})
    page = client.get(url).content.decode()
    assert "Parcours de formation d’Amal Test" in page
    assert "de Amal" not in page
