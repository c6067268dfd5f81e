"""The two item types of the digital and cyber track: marking the suspicious parts of an e-mail or
a log, and short typed answers checked by normalised comparison. Their scoring (with property
tests), the practice flow through the pages without JavaScript, no key in the page or the API
before answering, hostile input refused cleanly, the results' review and the statistics."""

import json
import string
import unicodedata
from html import escape

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from assessments import checks, scoring, simulation
from assessments.models import Attempt, Battery, Item, Option, Response
from assessments.scoring import (
    InvalidAnswer,
    credit_mark,
    credit_typed,
    normalise_typed,
    typed_text,
)
from assessments.statistics import battery_statistics
from tests import factories
from tests.assessments.test_attempt_api import ATTEMPTS, detail, signed_in
from tests.assessments.test_attempts import (
    answer_kwargs,
    candidate_client,
    post_answer,
    start_on_page,
    tiny_battery,
)

SCORING_WORDS = ("correct", "accepted", "suspicious", "explanation", "score")


# Normalisation and credit, without a database ------------------------------------------------


class Typed:
    """An item as the typed scorer reads it."""

    def __init__(self, accepted, ignore_accents=False):
        self.accepted_answers = accepted
        self.ignore_accents = ignore_accents


class Part:
    def __init__(self, pk, is_correct):
        self.pk = pk
        self.is_correct = is_correct


@given(st.text(max_size=80))
def test_normalising_twice_changes_nothing_more(text):
    once = normalise_typed(text)
    assert normalise_typed(once) == once
    accentless = normalise_typed(text, ignore_accents=True)
    assert normalise_typed(accentless, ignore_accents=True) == accentless


@given(st.text(max_size=80))
def test_a_normalised_answer_has_no_outer_space_no_double_space_and_no_capital(text):
    value = normalise_typed(text)
    assert value == value.strip() and "  " not in value
    assert value == value.casefold()
    assert not any(unicodedata.category(char) == "Cf" for char in value)


WORDS = st.text(alphabet=string.ascii_letters + string.digits + "éèàçÉ:-#", min_size=1, max_size=20)


@given(
    answer=WORDS,
    case=st.sampled_from([str.upper, str.lower, str.title, str.swapcase]),
    before=st.sampled_from(["", " ", "  ", "\u00a0", "« ", '"', "'", "\u200f"]),
    after=st.sampled_from(["", " ", ".", " !", " »", '"', "?", "\u200e "]),
)
def test_an_accepted_answer_is_accepted_whatever_its_case_spaces_and_quotes(
    answer, case, before, after
):
    # The bank refuses an accepted answer that normalises to nothing (":" alone, say): the file
    # checks in test_item_bank_files.py.
    assume(normalise_typed(answer))
    item = Typed({"any": [answer]})
    assert credit_typed(item, f"{before}{case(answer)}{after}", "fr") == 1.0


@given(answer=WORDS, typed=st.text(max_size=50))
def test_a_typed_text_earns_credit_exactly_when_it_normalises_to_an_accepted_answer(answer, typed):
    item = Typed({"nl": [answer]})
    expected = normalise_typed(typed) != "" and normalise_typed(typed) == normalise_typed(answer)
    assert (credit_typed(item, typed, "nl") == 1.0) is expected
    # The accepted answers of another language do not count.
    assert credit_typed(item, typed, "fr") == 0.0


def test_accents_count_unless_the_item_says_they_do_not():
    strict, lenient = Typed({"fr": ["sécurité"]}), Typed({"fr": ["sécurité"]}, True)
    assert credit_typed(strict, "SECURITE", "fr") == 0.0
    assert credit_typed(strict, "Sécurité", "fr") == 1.0
    assert credit_typed(lenient, "securite", "fr") == 1.0
    # NFKC: a full-width or ligature form is the same answer.
    assert credit_typed(Typed({"any": ["ff12"]}), "ﬀ１２", "en") == 1.0


def test_signs_that_carry_meaning_are_kept():
    assert normalise_typed(" -5 ") == "-5" and normalise_typed("/24") == "/24"
    assert normalise_typed("« 0xC8 ».") == "0xc8"
    assert credit_typed(Typed({"any": ["C8"]}), "#C8", "fr") == 0.0


@pytest.mark.parametrize(
    "text",
    ["", "   ", "« »", "...", "a\x00b", "a\x07b", "\x1b[31m", "x" * 51, "é" * 10_000, None],
)
def test_a_typed_text_that_cannot_be_an_answer_is_refused_with_a_message(text):
    with pytest.raises(InvalidAnswer) as refused:
        typed_text(text)
    assert str(refused.value.message)


def test_right_to_left_marks_and_inner_spaces_are_taken_out_not_refused():
    assert typed_text("\u200f  23:05 \u200e") == "\u200f 23:05 \u200e"
    assert credit_typed(Typed({"any": ["23:05"]}), "\u200f  23:05 \u200e", "fr") == 1.0


PARTS = st.lists(st.booleans(), min_size=2, max_size=12).filter(lambda f: any(f) and not all(f))


@given(flags=PARTS, data=st.data())
def test_mark_credit_is_hits_minus_false_alarms_between_0_and_1(flags, data):
    parts = [Part(pk, flag) for pk, flag in enumerate(flags, start=1)]
    marked = data.draw(st.sets(st.sampled_from([part.pk for part in parts])))
    credit = credit_mark(parts, marked)
    suspicious = {part.pk for part in parts if part.is_correct}
    harmless = {part.pk for part in parts if not part.is_correct}
    expected = len(marked & suspicious) / len(suspicious) - len(marked & harmless) / len(harmless)
    assert 0.0 <= credit <= 1.0
    assert credit == pytest.approx(max(0.0, expected))
    # Full credit only for exactly the suspicious parts: `is_correct` keeps its meaning.
    assert scoring.is_right(credit) is (marked == suspicious)


@given(flags=PARTS)
def test_marking_every_part_or_none_earns_nothing(flags):
    parts = [Part(pk, flag) for pk, flag in enumerate(flags, start=1)]
    assert credit_mark(parts, [part.pk for part in parts]) == 0.0
    assert credit_mark(parts, []) == 0.0


def test_marking_at_random_earns_little_by_chance():
    parts = [Part(pk, pk <= 2) for pk in range(1, 7)]
    assert 0 < simulation.mark_chance_credit(parts) < 0.25


# The bank in the database -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_bank_loads_the_new_types_with_their_fields(item_bank):
    mark = Item.objects.get(key="cana-007")
    assert mark.type == Item.Type.MARK and mark.exhibit == Item.Exhibit.LOG
    assert mark.options.filter(is_correct=True).count() == 3
    typed = Item.objects.get(key="ccod-010")
    assert typed.type == Item.Type.TYPED and "23:05" in typed.accepted_answers["any"]
    assert not typed.options.exists()
    counts = {
        competency: Item.objects.live().filter(competency=competency).count()
        for competency in ("cyber_analysis", "cyber_codes", "digital_safety")
    }
    assert counts == {"cyber_analysis": 17, "cyber_codes": 17, "digital_safety": 15}


@pytest.mark.django_db
def test_the_two_batteries_load_with_their_sections_and_skills(item_bank):
    aptitude = Battery.objects.get(slug="cyber-aptitude")
    assert [section.competency for section in aptitude.sections.all()] == [
        "cyber_patterns",
        "cyber_detail",
        "cyber_procedure",
        "cyber_codes",
        "cyber_analysis",
    ]
    assert all(section.item_count <= 12 for section in aptitude.sections.all())
    assert aptitude.pass_percent is None and aptitude.evidence_threshold == 70
    safety = Battery.objects.get(slug="digital-safety-check")
    assert safety.total_seconds < 10 * 60
    assert {skill.esco_uri.rsplit("/", 1)[-1][:8] for skill in safety.skills_verified.all()} == {
        "df329d70",
        "33a82b83",
        "f4346299",
    }


def mark_item(key="tst-mark", flags=(True, False, True, False, False)):
    item = Item.objects.create(
        key=key,
        competency="cyber_analysis",
        type=Item.Type.MARK,
        exhibit=Item.Exhibit.LOG,
        status=Item.Status.LIVE,
        difficulty="easy",
        stem_fr="Cochez les lignes suspectes.",
        stem_nl="Vink de verdachte regels aan.",
        stem_en="Tick the suspicious lines.",
        explanation_fr="Parce que.",
        explanation_nl="Omdat.",
        explanation_en="Because the two FAIL lines come from outside.",
    )
    for position, flag in enumerate(flags):
        line = f"2026-03-10 09:0{position}:14 {'FAIL' if flag else 'OK  '} user=u{position} " + (
            "src=203.0.113.45/a-very-long-path-that-must-wrap-inside-its-own-box-" * 3
        )
        Option.objects.create(
            item=item,
            key="abcde"[position],
            position=position,
            label_fr=line,
            label_nl=line,
            label_en=line,
            is_correct=flag,
        )
    return item


def typed_item(key="tst-typed", accepted=None):
    return Item.objects.create(
        key=key,
        competency="cyber_codes",
        type=Item.Type.TYPED,
        status=Item.Status.LIVE,
        difficulty="easy",
        stem_fr="Décodez WUDP.",
        stem_nl="Ontcijfer WUDP.",
        stem_en="Decode WUDP.",
        explanation_fr="TRAM.",
        explanation_nl="TRAM.",
        explanation_en="Each letter moves back three places.",
        accepted_answers=accepted or {"any": ["SECRETWORD"]},
    )


@pytest.fixture
def two_item_battery(item_bank):
    """A practice battery of one mark item then one typed item, in their own competencies."""
    Item.objects.filter(competency__in=["cyber_analysis", "cyber_codes"]).update(
        status=Item.Status.RETIRED
    )
    mark, typed = mark_item(), typed_item()
    battery = tiny_battery(
        "mark-typed", sections=(("cyber_analysis", 1, 10), ("cyber_codes", 1, 10))
    )
    return battery, mark, typed


@pytest.mark.django_db
def test_a_practice_attempt_through_a_mark_and_a_typed_item_without_javascript(
    cast, two_item_battery
):
    battery, mark, typed = two_item_battery
    client = candidate_client(cast.candidate)
    attempt = start_on_page(client, battery)
    url = reverse("assessments:attempt", args=[attempt.pk])

    page = client.get(url).content.decode()
    # The parts in their order, each a labelled checkbox in a fieldset with its legend.
    assert '<legend class="stem">Tick the suspicious lines.</legend>' in page
    assert page.count('type="checkbox" name="choices"') == 5
    positions = [page.index(f'value="{option.pk}"') for option in mark.options.all()]
    assert positions == sorted(positions)
    assert 'class="options exhibit exhibit-log"' in page and "<code>" in page
    assert "Because the two FAIL" not in page and "⚠" not in page and "harmless" not in page
    # Nothing is marked yet: the form comes back with a message at the field.
    refused = client.post(url, {"item": mark.pk})
    assert refused.status_code == 400 and "Mark at least one part." in refused.content.decode()

    suspicious = list(mark.options.filter(is_correct=True).values_list("pk", flat=True))
    harmless = mark.options.filter(is_correct=False).first()
    saved = client.post(url, {"item": mark.pk, "choices": [*suspicious, harmless.pk]})
    assert saved.url == reverse("assessments:attempt_feedback", args=[attempt.pk, 1])
    feedback = client.get(saved.url).content.decode()
    assert "Because the two FAIL lines come from outside." in feedback
    assert feedback.count("you marked it") == 3 and feedback.count("⚠ suspicious") == 2
    response = attempt.attempt_items.get(item=mark).response
    assert response.score == pytest.approx(1 - 1 / 3)  # all hits, 1 of 3 harmless marked

    page = client.get(url).content.decode()
    assert 'name="value"' in page and 'spellcheck="false"' in page
    assert 'autocomplete="off"' in page and 'maxlength="50"' in page
    assert '<label for="id_value">Your answer</label>' in page
    assert "SECRETWORD" not in page.upper() and "Each letter moves" not in page
    for hostile, message in [
        ("", "Type an answer."),
        ("x" * 10_000, "at most 50 characters"),
        ("ab\x07c", "control character"),
        ("« … »", "Type an answer."),
    ]:
        refused = client.post(url, {"item": typed.pk, "value": hostile})
        assert refused.status_code == 400, hostile
        assert message in refused.content.decode(), hostile
    saved = client.post(url, {"item": typed.pk, "value": "  « secretword » "})
    feedback = client.get(saved.url).content.decode()
    assert "Right" in feedback and "Each letter moves back three places." in feedback
    assert attempt.attempt_items.get(item=typed).response.score == 1.0

    result = client.post(reverse("assessments:attempt_finish", args=[attempt.pk]), follow=True)
    assert result.status_code == 200
    attempt.refresh_from_db()
    assert attempt.score_percent == pytest.approx((2 / 3 + 1) / 2 * 100, abs=0.01)


@pytest.mark.django_db
def test_the_exam_review_shows_the_right_marking_and_the_accepted_answer(cast, two_item_battery):
    battery, mark, typed = two_item_battery
    client = candidate_client(cast.candidate)
    attempt = start_on_page(client, battery, mode="exam")
    url = reverse("assessments:attempt", args=[attempt.pk])
    for attempt_item in attempt.attempt_items.order_by("position"):
        client.get(url)
        post_answer(client, attempt, attempt_item, right=False)
    result = client.post(reverse("assessments:attempt_finish", args=[attempt.pk]), follow=True)
    html = result.content.decode()
    assert html.count("⚠ suspicious") == 2 and html.count("harmless") >= 3
    assert "SECRETWORD" in html and escape("not this one") in html


@pytest.mark.django_db
def test_the_api_sends_no_key_and_refuses_hostile_typed_answers_with_a_400(
    api_client, cast, two_item_battery
):
    battery, mark, typed = two_item_battery
    client = signed_in(api_client, cast.candidate)
    created = client.post(ATTEMPTS, {"battery": battery.slug, "mode": "practice"}, format="json")
    attempt = Attempt.objects.get(pk=created.json()["id"])
    payload = client.get(f"{detail(attempt)}next/").json()
    text = json.dumps(payload).lower()
    assert payload["type"] == "mark" and payload["media"]["exhibit"] == "log"
    assert not any(word in text for word in SCORING_WORDS), text
    answered = client.post(
        f"{detail(attempt)}responses/", {"item": mark.pk, **answer_kwargs(mark)}, format="json"
    )
    assert answered.status_code == 201 and answered.json()["correct"] is True

    payload = client.get(f"{detail(attempt)}next/").json()
    text = json.dumps(payload).lower()
    assert payload["type"] == "typed" and payload["respond_with"] == "value"
    assert "secretword" not in text and not any(word in text for word in SCORING_WORDS)
    url = f"{detail(attempt)}responses/"
    for hostile in ["", "x" * 10_000, "a\x00b", "a\x1bb", "\u202etxt.exe", ["list"], {"a": 1}]:
        response = client.post(url, {"item": typed.pk, "value": hostile}, format="json")
        assert response.status_code == 400, (hostile, response.status_code)
        assert "value" in response.json()
    assert not Response.objects.filter(attempt_item__attempt=attempt, attempt_item__item=typed)
    saved = client.post(url, {"item": typed.pk, "value": "\u200fSecretWord\u200e"}, format="json")
    assert saved.status_code == 201 and saved.json()["correct"] is True


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=st.text(max_size=200))
def test_no_typed_answer_is_ever_a_server_error(api_client, cast, item_bank, value):
    Item.objects.filter(competency="cyber_codes").update(status=Item.Status.RETIRED)
    typed = Item.objects.filter(key="tst-typed").first() or typed_item()
    Item.objects.filter(pk=typed.pk).update(status=Item.Status.LIVE)
    battery = Battery.objects.filter(slug="typed-only").first() or tiny_battery(
        "typed-only", sections=(("cyber_codes", 1, 10),)
    )
    Attempt.objects.filter(battery=battery).delete()
    client = api_client
    client.force_authenticate(user=cast.candidate)
    created = client.post(ATTEMPTS, {"battery": battery.slug, "mode": "exam"}, format="json")
    attempt = Attempt.objects.get(pk=created.json()["id"])
    client.get(f"{detail(attempt)}next/")
    response = client.post(
        f"{detail(attempt)}responses/", {"item": typed.pk, "value": value}, format="json"
    )
    assert response.status_code in (201, 400), (value, response.status_code)
    if response.status_code == 400:
        assert "value" in response.json()


@pytest.mark.django_db
def test_statistics_give_facility_discrimination_and_part_rates_for_the_new_types(
    cast, two_item_battery
):
    battery, mark, typed = two_item_battery
    suspicious = list(mark.options.filter(is_correct=True).values_list("pk", flat=True))
    harmless = list(mark.options.filter(is_correct=False).values_list("pk", flat=True))
    answers = [  # (mark choices, typed value): two strong, one mixed, two weak candidates
        (suspicious, "secretword"),
        (suspicious, "SecretWord"),
        (suspicious, "wrong"),
        (harmless[:1], "wrong"),
        (harmless, "wrong"),
    ]
    for choices, value in answers:
        user = factories.CandidateFactory()
        client = candidate_client(user)
        attempt = start_on_page(client, battery, mode="exam")
        url = reverse("assessments:attempt", args=[attempt.pk])
        client.get(url)
        client.post(url, {"item": mark.pk, "choices": choices})
        client.get(url)
        client.post(url, {"item": typed.pk, "value": value})
        client.post(reverse("assessments:attempt_finish", args=[attempt.pk]))
    summary = battery_statistics(battery)
    results = {result.key: result for result in summary.items}
    assert results["tst-mark"].facility == pytest.approx(0.6)
    assert results["tst-typed"].facility == pytest.approx(0.4)
    assert results["tst-mark"].n == results["tst-typed"].n == 5
    # The part rates: each suspicious line marked by 3 of 5.
    rates = {option.key: option.rate for option in results["tst-mark"].options}
    assert rates["a"] == rates["c"] == pytest.approx(0.6)
    assert rates["b"] == pytest.approx(0.4)


@pytest.mark.django_db
def test_the_api_schema_names_the_new_types_and_never_the_accepted_answers(api_client, item_bank):
    schema = api_client.get("/api/schema/", {"format": "json"}).content.decode()
    assert "accepted_answers" not in schema and "ignore_accents" not in schema
    assert "SECRETWORD" not in schema and "23:05" not in schema
    document = json.loads(schema)
    media = document["components"]["schemas"]["ItemMedia"]["properties"]
    assert "exhibit" in media
    assert (
        "mark"
        in document["components"]["schemas"]["CandidateItem"]["properties"]["type"]["description"]
    )


@pytest.mark.django_db
def test_staff_see_the_statistics_and_the_key_of_the_new_items_after_answers(
    client, cast, two_item_battery
):
    battery, mark, typed = two_item_battery
    candidate = candidate_client(cast.candidate)
    attempt = start_on_page(candidate, battery, mode="exam")
    for attempt_item in attempt.attempt_items.order_by("position"):
        candidate.get(reverse("assessments:attempt", args=[attempt.pk]))
        post_answer(candidate, attempt, attempt_item)
    candidate.post(reverse("assessments:attempt_finish", args=[attempt.pk]))
    client.force_login(cast.staff)
    for key in (mark.key, typed.key, "cana-001", "ccod-010", "dsaf-013"):
        page = client.get(reverse("assessments_staff:item", args=[key]))
        assert page.status_code == 200, key
    staff_page = client.get(reverse("assessments_staff:item", args=["ccod-010"])).content.decode()
    assert "Réponses acceptées" in staff_page and "23:05 · 23h05" in staff_page
    mark_page = client.get(reverse("assessments_staff:item", args=["cana-007"])).content.decode()
    assert "Un extrait de journal" in mark_page
    assert client.get(reverse("assessments_staff:battery", args=[battery.slug])).status_code == 200
    for slug in ("cyber-aptitude", "digital-safety-check"):
        assert client.get(reverse("assessments_staff:battery", args=[slug])).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["cyber-aptitude", "digital-safety-check"])
def test_the_new_batteries_have_no_cue_finding(item_bank, slug):
    battery = Battery.objects.get(slug=slug)
    assert checks.battery_findings(battery) == []
    marks = [report for _s, _l, report in checks.section_mark_reports(battery)]
    assert marks and not any(report.is_flagged for report in marks)
