"""The board on a phone: results first with the filters folded, pay and hours on each card,
"either … or" language requirements, and an empty result that says which filter to drop."""

import re

import pytest

from college.models import Language
from tests import factories
from tests.employers.test_board import ENGLISH, board_ids, commune, make_vacancy

pytestmark = pytest.mark.django_db

FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr"}


def language(code):
    return Language.objects.get(code=code)


def asks(vacancy, code, level, *, either=False):
    factories.VacancyLanguageFactory(
        vacancy=vacancy, language=language(code), min_cefr=level, is_alternative=either
    )


def test_the_filters_stay_folded_behind_one_control_while_the_results_come_first(
    client, reference_data
):
    sector = make_vacancy().role.sector
    page = client.get(f"/vacancies/?sector={sector}&contract=permanent", **ENGLISH)
    html = page.content.decode()
    assert re.search(
        r'<details class="board-filters">\s*<summary>Filters <span class="badge">2', html
    )
    # The sector and quick-filter chips are inside the folded control, not above the results.
    details_end = html.index("</details>", html.index('<details class="board-filters">'))
    assert html.index('aria-label="Vacancies by sector"') < details_end
    assert details_end < html.index('class="card-list vacancy-list"')
    # The active ones stay in view, each a link that removes it.
    chips = re.findall(r'<ul class="chips filter-chips"[^>]*>(.*?)</ul>', html, re.S)[0]
    assert 'href="/vacancies/?contract=permanent"' in chips
    assert f'href="/vacancies/?sector={sector}"' in chips


def test_a_value_to_correct_opens_the_filters_at_their_error(client, reference_data):
    html = client.get("/vacancies/?cefr=B1", **ENGLISH).content.decode()
    assert '<details class="board-filters" open>' in html
    assert "Choose the language this level is for." in html


def test_each_card_shows_the_hours_and_the_pay(client, reference_data):
    make_vacancy(hours_per_week=19, salary_scale="D1", salary_min=2500, salary_max=3100)
    make_vacancy(hours_per_week=None, salary_scale="", salary_min=None, salary_max=None)
    html = client.get("/vacancies/", **ENGLISH).content.decode()
    assert "<dt>Hours</dt><dd>19 hours per week</dd>" in html
    assert "Scale D1; €2,500 to €3,100 gross a month" in html
    assert html.count("<dt>Salary</dt>") == 1 and html.count("<dt>Hours</dt>") == 1
    french = client.get("/vacancies/", **FRENCH).content.decode()
    assert "<dt>Salaire</dt>" in french and "19 heures par semaine" in french


@pytest.mark.parametrize(
    "requirements, level, shown",
    [
        # "French B2 or Dutch B2": French meets it, so Dutch A2 does not rule it out.
        ([("fr", "B2", True), ("nl", "B2", True)], "A2", True),
        ([("fr", "B2", True), ("nl", "B2", True)], "B2", True),
        # Dutch B2 required on its own: Dutch A2 is not enough.
        ([("nl", "B2", False)], "A2", False),
        ([("nl", "B2", False), ("fr", "B1", False)], "A2", False),
        # A lone "either" with no other language to choose is a plain requirement.
        ([("nl", "B2", True)], "A2", False),
        # Dutch A1 asked: A2 is more than enough.
        ([("nl", "A1", False)], "A2", True),
        # No Dutch asked at all: not a vacancy "asking that language".
        ([("fr", "B1", False)], "A2", False),
    ],
)
def test_the_language_filter_understands_either_or_requirements(
    client, reference_data, requirements, level, shown
):
    vacancy = make_vacancy()
    for code, minimum, either in requirements:
        asks(vacancy, code, minimum, either=either)
    found = board_ids(client, f"?language=nl&cefr={level}")
    assert (vacancy.pk in found) is shown


def test_dutch_a2_without_a_diploma_finds_the_french_or_dutch_vacancies(client, reference_data):
    either = make_vacancy(diploma_required=False)
    asks(either, "fr", "B2", either=True)
    asks(either, "nl", "B2", either=True)
    assert board_ids(client, "?language=nl&cefr=A2&diploma_required=false") == {either.pk}


def test_an_empty_result_says_how_many_each_filter_holds_back_with_a_link(
    client, reference_data, django_assert_max_num_queries
):
    make_vacancy(commune=commune("21009"), contract="fixed_term")  # Ixelles
    make_vacancy()  # permanent, in the factory's commune
    make_vacancy()

    with django_assert_max_num_queries(30):
        response = client.get("/vacancies/?commune=1050&contract=permanent", **ENGLISH)
    assert list(response.context["vacancies"]) == []
    html = response.content.decode()
    suggestions = re.findall(
        r'<li><a href="([^"]+)">Without “([^”]+)”: (\d+) vacanc', html.replace("&amp;", "&")
    )
    # The filter holding back the most comes first; each link drops that filter only.
    assert suggestions == [
        ("/vacancies/?contract=permanent", "Ixelles", "2"),
        ("/vacancies/?commune=1050", "Permanent", "1"),
    ]


def test_an_empty_result_without_a_single_filter_to_blame_says_so(client, reference_data):
    make_vacancy(title_en="Steward")  # permanent: neither filter alone finds it
    html = client.get("/vacancies/?q=zzzz&contract=fixed_term", **ENGLISH).content.decode()
    assert "No vacancy matches all these filters together." in html
    assert "Without “" not in html
    assert "Removing a single filter is not enough" in html
    assert 'href="/vacancies/"' in html  # clear them all
