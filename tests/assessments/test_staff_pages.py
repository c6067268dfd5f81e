"""The staff's item statistics pages and PDF report: who may see them, what they show."""

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from assessments.models import Battery, Item, Response
from tests import factories
from tests.assessments.test_statistics import (
    WORKED,
    WORKED_CHOICES,
    make_battery,
    make_item,
    record_attempt,
)

pytestmark = pytest.mark.django_db

LIST_URL = "/staff/tests/"


def battery_url(slug):
    return f"/staff/tests/{slug}/"


def report_url(slug):
    return f"/staff/tests/{slug}/report.pdf"


def item_url(key):
    return f"/staff/tests/items/{key}/"


@pytest.fixture
def worked(reference_data):
    """The worked example of test_statistics: five attempts at four items."""
    battery, (section,) = make_battery()
    items = [make_item(f"tst-{n:03d}") for n in range(1, 5)]
    for row, chosen in zip(WORKED, WORKED_CHOICES, strict=True):
        record_attempt(
            battery,
            factories.CandidateFactory(),
            [
                (item, section, score, key)
                for item, score, key in zip(items, row, chosen, strict=True)
            ],
        )
    return battery, items


@pytest.fixture
def flagged(reference_data):
    """30 attempts at five items: f1 everyone right, f2 right for the weak half only."""
    battery, (section,) = make_battery("stats-flags", position=5)
    items = [make_item(f"flg-{n}") for n in range(1, 6)]
    user = factories.CandidateFactory()
    for index in range(30):
        strong = index % 2 == 0
        row = [1, 0 if strong else 1, *([1 if strong else 0] * 3)]
        record_attempt(
            battery,
            user,
            [
                (item, section, float(score), "a" if score else "d")
                for item, score in zip(items, row, strict=True)
            ],
        )
    return battery, items


def page_text(response):
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def pdf_text(response):
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


# Access -------------------------------------------------------------------------------------


def all_urls(battery, item):
    return [LIST_URL, battery_url(battery.slug), report_url(battery.slug), item_url(item.key)]


def test_staff_open_every_statistics_page(client, cast, worked):
    battery, items = worked
    client.force_login(cast.staff)
    for url in all_urls(battery, items[0]):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ["candidate", "counsellor", "employer_member"])
def test_other_roles_get_403_on_every_statistics_page(client, cast, worked, role):
    battery, items = worked
    client.force_login(getattr(cast, role))
    for url in all_urls(battery, items[0]):
        assert client.get(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_the_login_page(client, worked):
    battery, items = worked
    for url in all_urls(battery, items[0]):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_unknown_batteries_and_items_are_404(client, cast, reference_data):
    client.force_login(cast.staff)
    assert client.get(battery_url("no-such-test")).status_code == 404
    assert client.get(report_url("no-such-test")).status_code == 404
    assert client.get(item_url("no-such-item")).status_code == 404


def test_the_pages_only_answer_get(client, cast, worked):
    battery, _items = worked
    client.force_login(cast.staff)
    assert client.post(battery_url(battery.slug)).status_code == 405


def test_the_staff_dashboard_links_to_the_item_statistics(client, cast, reference_data):
    client.force_login(cast.staff)
    assert 'href="/staff/tests/"' in client.get("/staff/").content.decode()


# The list of batteries ----------------------------------------------------------------------


def test_the_list_shows_each_battery_with_its_figures(client, cast, worked, item_bank):
    battery, _items = worked
    client.force_login(cast.staff)
    response = client.get(LIST_URL, {"lang": "en"})
    text = page_text(response)
    assert "Statistics test stats-test" in text
    # Every battery is listed, the bank's without attempts too.
    for slug in Battery.objects.values_list("slug", flat=True):
        assert battery_url(slug) in response.content.decode()
    # Attempts, mean, SD, KR-20 = 8/39, SEM, flagged items, with the battery's kind.
    assert "Statistics test stats-test Fixed form 5 60.0 % 28.5 0.21 KR-20 25.4 0" in text


def test_the_list_takes_the_same_queries_for_few_and_many_attempts(client, cast, worked):
    battery, items = worked
    client.force_login(cast.staff)
    client.get(LIST_URL)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST_URL)
    section = battery.sections.get()
    for _ in range(20):
        record_attempt(
            battery, factories.CandidateFactory(), [(item, section, 1.0, "a") for item in items]
        )
    with CaptureQueriesContext(connection) as many:
        client.get(LIST_URL)
    assert len(few) == len(many)


# A battery ----------------------------------------------------------------------------------


def test_the_battery_page_shows_the_summary_the_histogram_and_the_items(client, cast, worked):
    battery, items = worked
    client.force_login(cast.staff)
    response = client.get(battery_url(battery.slug), {"lang": "en"})
    html = response.content.decode()
    text = page_text(response)
    assert "Attempts analysed 5" in text
    assert "Mean score 60.0 %" in text
    assert "Standard deviation (SD) 28.5" in text
    assert "Reliability 0.21 (KR-20)" in text
    assert "Standard error of measurement (SEM) 25.4" in text
    # The histogram: an SVG image with its title and description, and the table beside it.
    assert re.search(r'<svg role="img" aria-labelledby="histogram-title histogram-desc"', html)
    assert "Total scores of the attempts" in html
    assert "over 5 attempts" in text
    assert "50 to under 60 % 2" in text
    # Items with p, r, flags as text and a link each.
    for item in items:
        assert f'href="{item_url(item.key)}"' in html
    assert "tst-004 Numerical reasoning Single choice 5 0.40 -0.37" in text
    assert "Too few answers to judge" in text
    assert f'href="{report_url(battery.slug)}"' in html


def test_the_items_table_sorts_by_the_chosen_column(client, cast, worked):
    battery, _items = worked
    client.force_login(cast.staff)

    def order(sort):
        html = client.get(battery_url(battery.slug), {"sort": sort}).content.decode()
        return re.findall(r'<th scope="row"><a href="/staff/tests/items/([^/]+)/">', html)

    assert order("key") == ["tst-001", "tst-002", "tst-003", "tst-004"]
    assert order("-key") == ["tst-004", "tst-003", "tst-002", "tst-001"]
    assert order("p") == ["tst-004", "tst-002", "tst-003", "tst-001"]
    assert order("-discrimination") == ["tst-001", "tst-002", "tst-003", "tst-004"]
    # Anything else sorts by key, never an error.
    assert order("nonsense") == ["tst-001", "tst-002", "tst-003", "tst-004"]
    assert order("-__class__") == ["tst-001", "tst-002", "tst-003", "tst-004"]
    html = client.get(battery_url(battery.slug), {"sort": "p"}).content.decode()
    assert 'aria-sort="ascending"><a class="sort-link" href="?sort=-p">' in html


def test_the_battery_page_flags_items_in_words(client, cast, flagged):
    battery, _items = flagged
    client.force_login(cast.staff)
    text = page_text(client.get(battery_url(battery.slug), {"lang": "en"}))
    assert "Flagged items 5" in text
    assert "Very easy" in text
    assert "Discriminates poorly" in text
    assert "An option nobody chooses" in text


def test_a_battery_without_attempts_shows_no_figures_and_no_error(client, cast, item_bank):
    client.force_login(cast.staff)
    response = client.get(battery_url("police-cognitive"), {"lang": "en"})
    assert response.status_code == 200
    text = page_text(response)
    assert "Attempts analysed 0" in text
    assert "No finished attempt yet" in text
    assert "No item has been answered in this test yet." in text
    assert report_url("police-cognitive") not in response.content.decode()
    # The report still works, empty.
    assert client.get(report_url("police-cognitive")).status_code == 200


def test_one_item_and_equal_scores_give_dashes_not_errors(client, cast, reference_data):
    battery, (section,) = make_battery("stats-single")
    item = make_item("one-001")
    for _ in range(3):
        record_attempt(battery, factories.CandidateFactory(), [(item, section, 1.0, "a")])
    client.force_login(cast.staff)
    response = client.get(battery_url(battery.slug), {"lang": "en"})
    assert response.status_code == 200
    text = page_text(response)
    assert "Standard deviation (SD) 0.0" in text
    assert "Reliability —" in text
    assert "one-001 Numerical reasoning Single choice 3 1.00 —" in text
    assert client.get(report_url(battery.slug)).status_code == 200
    assert client.get(item_url(item.key)).status_code == 200


def test_the_battery_page_takes_the_same_queries_for_5_and_50_attempts(client, cast, worked):
    battery, items = worked
    section = battery.sections.get()
    client.force_login(cast.staff)
    client.get(battery_url(battery.slug))
    with CaptureQueriesContext(connection) as five:
        client.get(battery_url(battery.slug))
    for index in range(45):
        record_attempt(
            battery,
            factories.CandidateFactory(),
            [(item, section, float(index % 2), "a") for item in items],
        )
    with CaptureQueriesContext(connection) as fifty:
        response = client.get(battery_url(battery.slug), {"lang": "en"})
    assert "Attempts analysed 50" in page_text(response)
    assert len(five) == len(fifty)


# An item ------------------------------------------------------------------------------------


def test_the_item_page_shows_the_texts_the_options_with_rates_and_the_statistics(
    client, cast, worked
):
    _battery, items = worked
    item = items[3]
    item.irt_a, item.irt_b = 1.25, -0.5
    item.save()
    client.force_login(cast.staff)
    response = client.get(item_url(item.key), {"lang": "en"})
    html = response.content.decode()
    text = page_text(response)
    assert "Question tst-004" in text  # French
    assert "Vraag tst-004" in text  # Dutch
    assert "Question tst-004 in English" in text
    assert 'lang="nl"' in html
    # Options: the chart and the table, the key marked in words.
    assert 'aria-labelledby="option-chart-title"' in html
    assert "a Answer a ✓ correct 2 40 %" in text
    assert "b Answer b wrong 1 20 %" in text
    assert "d Answer d wrong 0 0 %" in text
    # Statistics for the battery, and the IRT parameters.
    assert "Statistics test stats-test 5 0.40 -0.37" in text
    assert "IRT discrimination (a) 1.25" in text
    assert "IRT difficulty (b) -0.50" in text
    assert f'href="/admin/assessments/item/{item.pk}/change/"' in html


def test_an_item_nobody_answered_has_a_page_too(client, cast, item_bank):
    item = Item.objects.get(key="abs-001")
    client.force_login(cast.staff)
    response = client.get(item_url(item.key), {"lang": "en"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nobody has answered this item in a finished attempt yet." in html
    assert "Not calibrated yet" in html
    # Abstract figures are drawn, without anything but shapes.
    assert "<svg viewBox=" in html
    assert "<script" not in html.split("</main>")[0]


def test_a_work_style_statement_shows_the_agreement_scale(client, cast, item_bank):
    item = Item.objects.filter(type=Item.Type.LIKERT, reverse=True).first()
    battery, (section,) = make_battery("stats-ws", sections=("work_style",))
    for agreement in (4, 4, 5, 1):
        attempt = record_attempt(
            battery, factories.CandidateFactory(), [(item, section, 6 - agreement, None)]
        )
        Response.objects.filter(attempt_item__attempt=attempt).update(value=str(agreement))
    client.force_login(cast.staff)
    response = client.get(item_url(item.key), {"lang": "en"})
    text = page_text(response)
    assert item.trait.label_en in text
    assert "(reverse-scored)" in text
    # The answers as given, not the reversed scores: 1 once, 4 twice, 5 once.
    assert "1 – Strongly disagree 1 25 %" in text
    assert "4 – Agree 2 50 %" in text
    assert "5 – Strongly agree 1 25 %" in text
    assert "Mean agreement (1–5)" in text
    assert "stats-ws 4 3.50" in text
    assert 'aria-labelledby="scale-chart-title"' in response.content.decode()


def test_a_comprehension_item_shows_its_passage_and_its_language_only(client, cast, item_bank):
    item = Item.objects.filter(competency="reading_nl").select_related("passage").first()
    client.force_login(cast.staff)
    response = client.get(item_url(item.key), {"lang": "en"})
    html = response.content.decode()
    assert item.passage.title in html
    assert 'id="version-nl"' in html
    assert 'id="version-fr"' not in html


def test_item_texts_are_escaped(client, cast, reference_data):
    item = make_item("xss-001")
    item.stem_fr = "<script>alert(1)</script>"
    item.sequence = ['<svg viewBox="0 0 60 60"><script>alert(2)</script></svg>']
    item.save()
    client.force_login(cast.staff)
    html = client.get(item_url(item.key)).content.decode()
    assert "&lt;script&gt;alert(1)" in html
    assert "alert(2)" not in html


# The PDF ------------------------------------------------------------------------------------


def test_the_report_is_a_pdf_attachment_with_the_title_and_every_item(client, cast, worked):
    battery, items = worked
    client.force_login(cast.staff)
    response = client.get(report_url(battery.slug), {"lang": "en"})
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="passerelle-item-statistics-stats-test.pdf"'
    )
    text = pdf_text(response)
    assert "Statistics test stats-test" in text
    for item in items:
        assert item.key in text
    assert "Attempts analysed 5" in text
    assert "KR-20" in text


def test_the_report_puts_the_flagged_items_first(client, cast, flagged):
    battery, _items = flagged
    client.force_login(cast.staff)
    text = pdf_text(client.get(report_url(battery.slug), {"lang": "en"}))
    flagged_part, all_part = text.split("All items", 1)
    assert "flg-2" in flagged_part and "Discriminates poorly" in flagged_part
    assert "flg-2" in all_part


def test_the_report_is_in_the_staff_members_language(client, cast, worked):
    battery, _items = worked
    client.force_login(cast.staff)
    text = pdf_text(client.get(report_url(battery.slug), {"lang": "nl"}))
    assert "Test stats-test" in text
    assert "Statistics test stats-test" not in text
