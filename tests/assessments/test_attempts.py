"""The attempt runner: drawing, deadlines, resuming, idempotent answers, results, norms,
evidence, extra time and who may open which page."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from assessments import drawing, scoring, selectors, services
from assessments.models import (
    Attempt,
    Battery,
    Competency,
    Item,
    Response,
    Section,
    TimeAccommodation,
)
from candidates.models import CandidateSkill, Evidence
from tests import factories

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


# Helpers shared with the API, concurrency and browser tests ---------------------------------


def tiny_battery(
    slug="tiny",
    sections=(("verbal", 3, 5),),
    *,
    languages=("fr", "nl", "en"),
    kind=Battery.Kind.FIXED,
    pass_percent=None,
    section_pass_percent=None,
    evidence_threshold=None,
    skills=(),
    max_items=30,
):
    """A battery of `sections` given as (competency, items, minutes)."""
    battery = Battery.objects.create(
        slug=slug,
        kind=kind,
        title_fr=f"Test {slug}",
        title_nl=f"Test {slug}",
        title_en=f"Test {slug}",
        description_fr="Un petit test.",
        description_nl="Een kleine test.",
        description_en="A small test.",
        languages=list(languages),
        pass_percent=pass_percent,
        section_pass_percent=section_pass_percent,
        evidence_threshold=evidence_threshold,
        max_items=max_items,
    )
    for position, (competency, count, minutes) in enumerate(sections, start=1):
        Section.objects.create(
            battery=battery,
            position=position,
            title_fr=f"Partie {position}",
            title_nl=f"Deel {position}",
            title_en=f"Part {position}",
            competency=competency,
            item_count=count,
            time_limit_seconds=minutes * 60,
        )
    battery.skills_verified.set(skills)
    return battery


def answer_kwargs(item, *, right=True):
    """The response_save arguments of a right (or a wrong) answer to `item`."""
    options = list(item.options.all())
    if item.type == Item.Type.SINGLE_CHOICE:
        chosen = next(option for option in options if option.is_correct is right)
        return {"choice": chosen.pk}
    if item.type == Item.Type.SJT:
        wanted = 4 if right else 1
        return {"choice": next(o.pk for o in options if o.effectiveness == wanted)}
    if item.type in (Item.Type.MULTIPLE_RESPONSE, Item.Type.MARK):
        return {"choices": [o.pk for o in options if o.is_correct is right]}
    if item.type == Item.Type.TYPED:
        accepted = [*item.accepted_answers.get("en", []), *item.accepted_answers.get("any", [])]
        return {"value": f"  “{accepted[0].lower()}”. " if right else "not this one"}
    if item.type == Item.Type.NUMERIC:
        value = item.answer_value if right else item.answer_value + item.answer_tolerance + 7
        return {"value": format(value.normalize(), "f")}
    return {"value": "4"}


def answer(attempt, attempt_item, *, right=True):
    # The item on screen is served: only a served item can be answered.
    services.attempt_current_item(attempt=attempt)
    return services.response_save(
        attempt=attempt, item=attempt_item, **answer_kwargs(attempt_item.item, right=right)
    )


def answer_in_order(attempt, rights):
    """Answers the attempt's items in order, right or wrong as `rights` says."""
    for attempt_item, right in zip(attempt.attempt_items.order_by("position"), rights, strict=True):
        answer(attempt, attempt_item, right=right)


def candidate_client(user):
    client = Client(**ENGLISH)
    client.force_login(user)
    return client


# Drawing -------------------------------------------------------------------------------------


def test_starting_draws_each_sections_count_from_its_competency_in_the_chosen_language(
    cast, item_bank
):
    battery = Battery.objects.get(slug="police-cognitive")
    attempt = services.attempt_start(
        user=cast.candidate, battery=battery, mode=Attempt.Mode.EXAM, language="nl"
    )
    drawn = list(attempt.attempt_items.select_related("item", "section").order_by("position"))
    assert len(drawn) == 24
    for section in battery.sections.all():
        in_section = [row for row in drawn if row.section_id == section.pk]
        assert len(in_section) == section.item_count
        assert {row.item.competency for row in in_section} == {section.competency}
    assert all(row.item.stem_nl and row.item.status == Item.Status.LIVE for row in drawn)
    assert [row.position for row in drawn] == list(range(1, 25))
    assert attempt.deadline - attempt.started_at == datetime.timedelta(minutes=32)


def test_a_reading_section_draws_in_the_tests_language_grouped_by_passage(cast, item_bank):
    battery = Battery.objects.get(slug="peace-guard-exam")
    for language, competency in (("nl", Competency.READING_NL), ("fr", Competency.READING_FR)):
        draw = drawing.attempt_draw(battery, language, seed=7 if language == "nl" else 8)
        reading = [item for item, section, _order in draw if section.competency == "reading"]
        assert len(reading) == 6
        assert {item.competency for item in reading} == {competency}
        passages = [item.passage_id for item in reading]
        # Each passage's items are next to each other.
        assert passages == sorted(passages, key=passages.index)


def test_the_same_seed_draws_the_same_items_and_option_orders(item_bank):
    battery = Battery.objects.get(slug="police-cognitive")

    def draw(seed):
        return [
            (item.pk, section.pk, order)
            for item, section, order in drawing.attempt_draw(battery, "fr", seed)
        ]

    assert draw(123456) == draw(123456)
    assert draw(123456) != draw(654321)
    orders = {tuple(order) for _item, _section, order in draw(99) if order}
    # Four options shuffled 24 times never all come out in the bank's order.
    assert len(orders) > 1


def test_the_draw_from_the_kept_bank_is_the_draw_from_the_database(item_bank):
    # A start draws from the bank kept in the process; simulations from pools read from the
    # database (`items_available`): the same seed must give the same test either way.
    for battery in Battery.objects.filter(kind=Battery.Kind.FIXED):
        for language in battery.languages:
            for seed in (1, 2, 2**61 + 7):
                kept = drawing.attempt_draw(battery, language, seed)
                read = drawing.attempt_draw(battery, language, seed, pools={})
                assert kept, (battery.slug, language)
                assert [(i.pk, s.pk, order) for i, s, order in kept] == [
                    (i.pk, s.pk, order) for i, s, order in read
                ]


def test_an_item_retired_without_a_signal_is_never_drawn_again(item_bank):
    battery = tiny_battery(sections=(("verbal", 3, 5),))
    drawn = [item.pk for item, _section, _order in drawing.attempt_draw(battery, "fr", 5)]
    # A bulk update (the admin's status actions) sends no signal: the status is read from the
    # database at every draw, whatever the process keeps of the items.
    Item.objects.filter(pk=drawn[0]).update(status=Item.Status.RETIRED)
    for seed in range(30):
        again = drawing.attempt_draw(battery, "fr", seed)
        assert drawn[0] not in [item.pk for item, _section, _order in again]


def test_an_option_added_to_an_item_is_in_the_next_draws_order(item_bank):
    battery = tiny_battery(sections=(("verbal", 3, 5),))
    item, _section, order = drawing.attempt_draw(battery, "fr", 5)[0]
    added = Item.objects.get(pk=item.pk).options.create(key="z", position=9, label_fr="Autre")
    _item, _section, again = drawing.attempt_draw(battery, "fr", 5)[0]
    assert sorted(again) == sorted([*order, added.pk])


def test_option_orders_are_shuffled_per_attempt_and_likert_items_have_none(item_bank):
    item = Item.objects.get(key="sjt-001")
    bank_order = [option.pk for option in item.options.order_by("position")]
    orders = {tuple(drawing.option_order_for(item, seed)) for seed in range(20)}
    assert len(orders) > 1
    assert all(sorted(order) == sorted(bank_order) for order in orders)
    assert drawing.option_order_for(Item.objects.get(key="ws-001"), 5) == []
    assert drawing.option_order_for(Item.objects.get(key="num-001"), 5) == []


def test_starting_again_resumes_the_open_attempt(cast, item_bank):
    battery = tiny_battery()
    first = services.attempt_start(
        user=cast.candidate, battery=battery, mode=Attempt.Mode.PRACTICE, language="fr"
    )
    again = services.attempt_start(
        user=cast.candidate, battery=battery, mode=Attempt.Mode.EXAM, language="nl"
    )
    assert first.is_new and not again.is_new
    assert again.pk == first.pk
    assert Attempt.objects.filter(user=cast.candidate).count() == 1


def test_a_language_the_battery_does_not_offer_is_refused(cast, item_bank):
    battery = Battery.objects.get(slug="peace-guard-exam")
    with pytest.raises(services.StartRefused) as refusal:
        services.attempt_start(
            user=cast.candidate, battery=battery, mode=Attempt.Mode.PRACTICE, language="en"
        )
    assert refusal.value.field == "language"
    assert not Attempt.objects.exists()


# Deadlines and extra time ---------------------------------------------------------------------


def test_an_answer_after_the_deadline_is_refused_and_the_attempt_expires_with_its_results(
    cast, item_bank
):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        battery = tiny_battery(sections=(("verbal", 4, 2),))
        attempt = services.attempt_start(
            user=cast.candidate, battery=battery, mode=Attempt.Mode.EXAM, language="fr"
        )
        items = list(attempt.attempt_items.order_by("position"))
        answer(attempt, items[0], right=True)
    with time_machine.travel(start + datetime.timedelta(seconds=119), tick=False):
        answer(attempt, items[1], right=True)
    with time_machine.travel(start + datetime.timedelta(seconds=120), tick=False):
        with pytest.raises(services.AttemptClosed):
            answer(attempt, items[2], right=True)
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.EXPIRED
    assert attempt.finished_at == attempt.deadline
    # Two of four answered right in time; the late answer was not saved.
    assert attempt.score_percent == 50.0
    assert Response.objects.filter(attempt_item__attempt=attempt).count() == 2


def test_extra_time_of_one_and_a_half_lengthens_the_attempt(cast, item_bank):
    TimeAccommodation.objects.create(
        user=cast.candidate, multiplier=Decimal("1.5"), set_by=cast.counsellor
    )
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        battery = tiny_battery(sections=(("verbal", 2, 10),))
        attempt = services.attempt_start(
            user=cast.candidate, battery=battery, mode=Attempt.Mode.EXAM, language="fr"
        )
    assert attempt.time_multiplier == Decimal("1.5")
    assert attempt.deadline == start + datetime.timedelta(minutes=15)
    first = attempt.attempt_items.order_by("position").first()
    with time_machine.travel(start + datetime.timedelta(minutes=12), tick=False):
        response, created = answer(attempt, first)
    assert created and response.score == 1.0


def test_an_overdue_attempt_shows_its_result_with_time_ran_out_on_any_page(cast, item_bank):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        battery = tiny_battery(sections=(("verbal", 3, 1),))
        attempt = services.attempt_start(
            user=cast.candidate, battery=battery, mode=Attempt.Mode.EXAM, language="en"
        )
        answer(attempt, attempt.attempt_items.order_by("position").first())
    client = candidate_client(cast.candidate)
    with time_machine.travel(start + datetime.timedelta(minutes=5), tick=False):
        for name in ("attempt", "attempt_review"):
            page = client.get(reverse(f"assessments:{name}", args=[attempt.pk]), follow=True)
            assert page.redirect_chain[-1][0] == reverse(
                "assessments:attempt_result", args=[attempt.pk]
            )
            assert "Time ran out." in page.content.decode()
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.EXPIRED
    assert attempt.score_percent == pytest.approx(33.33)


def test_the_expire_command_closes_overdue_attempts(cast, item_bank):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        attempt = services.attempt_start(
            user=cast.candidate,
            battery=tiny_battery(sections=(("verbal", 2, 1),)),
            mode="exam",
            language="fr",
        )
    with time_machine.travel(start + datetime.timedelta(minutes=2), tick=False):
        assert services.attempts_expire_overdue() == 1
        assert services.attempts_expire_overdue() == 0
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.EXPIRED and attempt.score_percent == 0.0


# Answers -------------------------------------------------------------------------------------


def test_answering_the_same_item_twice_keeps_the_first_answer(cast, item_bank):
    attempt = services.attempt_start(
        user=cast.candidate, battery=tiny_battery(), mode="exam", language="fr"
    )
    first = attempt.attempt_items.order_by("position").first()
    response, created = answer(attempt, first, right=False)
    again, created_again = answer(attempt, first, right=True)
    assert created and not created_again
    assert again.pk == response.pk and again.score == 0.0 and again.choice_id == response.choice_id
    assert Response.objects.filter(attempt_item=first).count() == 1


def test_an_item_of_another_attempt_or_an_option_of_another_item_is_refused(cast, item_bank):
    battery = tiny_battery()
    attempt = services.attempt_start(
        user=cast.candidate, battery=battery, mode="exam", language="fr"
    )
    other = services.attempt_start(
        user=cast.other_candidate, battery=battery, mode="exam", language="fr"
    )
    mine = services.attempt_current_item(attempt=attempt)
    theirs = other.attempt_items.exclude(item=mine.item).first()
    with pytest.raises(selectors.ItemNotInAttempt):
        services.response_save(attempt=attempt, item=theirs, choice=theirs.item.options.first().pk)
    not_drawn = Item.objects.live().exclude(pk__in=attempt.attempt_items.values("item")).first()
    with pytest.raises(selectors.ItemNotInAttempt):
        services.response_save(attempt=attempt, item=not_drawn.pk, choice=1)
    foreign_option = Item.objects.get(key="log-001").options.first()
    with pytest.raises(services.InvalidAnswer):
        services.response_save(attempt=attempt, item=mine, choice=foreign_option.pk)
    with pytest.raises(services.InvalidAnswer):
        services.response_save(attempt=attempt, item=mine, value="12")
    assert not Response.objects.exists()


def test_a_numeric_answer_that_is_no_number_is_refused_with_a_message_and_nothing_saved(
    cast, item_bank
):
    attempt = services.attempt_start(
        user=cast.candidate,
        battery=tiny_battery(sections=(("numerical", 48, 60),)),
        mode="exam",
        language="fr",
    )
    # Answered in order up to the first numeric item, which is then on screen.
    numeric = attempt.attempt_items.filter(item__type=Item.Type.NUMERIC).first()
    for earlier in attempt.attempt_items.filter(position__lt=numeric.position):
        answer(attempt, earlier)
    assert services.attempt_current_item(attempt=attempt) == numeric
    Response.objects.all().delete()
    with pytest.raises(services.InvalidAnswer):
        services.response_save(attempt=attempt, item=numeric, value="environ douze")
    assert not Response.objects.exists()
    typed = format(numeric.item.answer_value.normalize(), "f").replace(".", ",")
    response, _created = services.response_save(attempt=attempt, item=numeric, value=f"{typed} ")
    assert response.score == 1.0


# Results -------------------------------------------------------------------------------------


def two_part_battery():
    # Part 1: 4 verbal items; part 2: 6 abstract items; all single choice.
    return tiny_battery(
        "rule",
        sections=(("verbal", 4, 10), ("abstract", 6, 10)),
        pass_percent=60,
        section_pass_percent=50,
    )


@pytest.mark.parametrize(
    ("part_one", "part_two", "score", "passed"),
    [
        ([1, 1, 0, 0], [1, 1, 1, 1, 0, 0], 60.0, True),  # 50 % and 66.7 %: 60 % overall
        ([1, 0, 0, 0], [1, 1, 1, 1, 1, 1], 70.0, False),  # 70 % overall, part one 25 %
        ([1, 1, 0, 0], [1, 1, 1, 0, 0, 0], 50.0, False),  # both parts 50 %, overall 50 %
    ],
)
def test_the_fifty_sixty_rule_decides_pass_or_fail(
    cast, item_bank, part_one, part_two, score, passed
):
    attempt = services.attempt_start(
        user=cast.candidate, battery=two_part_battery(), mode="exam", language="fr"
    )
    answer_in_order(attempt, [bool(value) for value in part_one + part_two])
    attempt = services.attempt_finish(attempt=attempt)
    assert attempt.status == Attempt.Status.FINISHED
    assert attempt.score_percent == score
    assert attempt.passed is passed
    assert attempt.section_scores == {
        "1": scoring.percent(part_one, 4),
        "2": scoring.percent(part_two, 6),
    }
    assert attempt.competency_scores == {
        "verbal": scoring.percent(part_one, 4),
        "abstract": scoring.percent(part_two, 6),
    }


def test_the_percentile_is_the_mid_rank_among_finished_attempts(item_bank):
    battery = tiny_battery(sections=(("verbal", 4, 10),))
    expected = []
    for rights, percentile in (
        ([1, 0, 0, 0], 50.0),  # alone: 50
        ([1, 1, 0, 0], 75.0),  # 50 % vs [25]: (1 + 0.5) / 2
        ([0, 1, 1, 0], 66.7),  # 50 % vs [25, 50]: (1 + 0.5 × 2) / 3
        ([1, 1, 1, 1], 87.5),  # 100 % vs [25, 50, 50]: (3 + 0.5) / 4
    ):
        user = factories.CandidateFactory()
        attempt = services.attempt_start(user=user, battery=battery, mode="exam", language="fr")
        answer_in_order(attempt, [bool(value) for value in rights])
        attempt = services.attempt_finish(attempt=attempt)
        expected.append((attempt.percentile, percentile))
    assert [got for got, _ in expected] == [want for _, want in expected]


def test_finishing_twice_changes_nothing(cast, item_bank):
    attempt = services.attempt_start(
        user=cast.candidate, battery=tiny_battery(), mode="exam", language="fr"
    )
    answer_in_order(attempt, [True, False, True])
    first = services.attempt_finish(attempt=attempt)
    again = services.attempt_finish(attempt=attempt)
    assert (again.finished_at, again.score_percent) == (first.finished_at, first.score_percent)


def test_a_score_at_the_threshold_verifies_the_batterys_skills(cast, item_bank):
    skills = [factories.SkillFactory(), factories.SkillFactory()]
    battery = tiny_battery(sections=(("verbal", 4, 10),), evidence_threshold=75, skills=skills)
    attempt = services.attempt_start(
        user=cast.candidate, battery=battery, mode="exam", language="fr"
    )
    answer_in_order(attempt, [True, True, True, False])
    services.attempt_finish(attempt=attempt)
    rows = CandidateSkill.objects.filter(profile__user=cast.candidate, skill__in=skills)
    assert {row.evidence for row in rows} == {Evidence.TEST_VERIFIED}
    assert all("Test tiny" in row.evidence_note for row in rows)


def test_a_score_below_the_threshold_verifies_nothing(cast, item_bank):
    skill = factories.SkillFactory()
    battery = tiny_battery(sections=(("verbal", 4, 10),), evidence_threshold=75, skills=[skill])
    attempt = services.attempt_start(
        user=cast.candidate, battery=battery, mode="exam", language="fr"
    )
    answer_in_order(attempt, [True, True, False, False])
    services.attempt_finish(attempt=attempt)
    assert not CandidateSkill.objects.filter(skill=skill).exists()


def test_the_work_style_inventory_gives_a_profile_and_never_a_pass_or_fail(cast, item_bank):
    battery = Battery.objects.get(slug="work-style")
    attempt = services.attempt_start(
        user=cast.candidate, battery=battery, mode="exam", language="en"
    )
    for attempt_item in attempt.attempt_items.select_related("item").order_by("position"):
        services.attempt_current_item(attempt=attempt)
        services.response_save(attempt=attempt, item=attempt_item, value="5")
    attempt = services.attempt_finish(attempt=attempt)
    assert attempt.score_percent is None and attempt.passed is None
    assert attempt.percentile is None
    # "Strongly agree" everywhere: 5 on straight statements, 1 on reversed ones.
    for code, values in attempt.trait_scores.items():
        items = Item.objects.filter(attempt_items__attempt=attempt, trait__code=code)
        straight = items.filter(reverse=False).count()
        assert values["mean"] == round(
            (5 * straight + 1 * (items.count() - straight)) / items.count(), 2
        )
        assert values["band"] == scoring.trait_band(values["mean"])
    page = candidate_client(cast.candidate).get(
        reverse("assessments:attempt_result", args=[attempt.pk])
    )
    html = page.content.decode()
    assert "Your work style" in html and "never a pass or a fail" in html
    assert "Passed by the rule" not in html and "Not passed yet" not in html


# Adaptive batteries --------------------------------------------------------------------------


def test_an_adaptive_battery_appends_one_chosen_item_at_a_time(cast, item_bank, monkeypatch):
    import assessments.adaptive

    battery = tiny_battery(
        "cat", sections=(("verbal", 10, 10),), kind=Battery.Kind.ADAPTIVE, max_items=5
    )
    section = battery.sections.get()
    pool = list(Item.objects.live().filter(competency="verbal").order_by("key")[:3])
    calls = []

    def next_item_for(attempt, drawn=None):
        calls.append(attempt.pk)
        shown = {item_id for item_id, _answered, _score in drawn}
        assert shown == set(attempt.attempt_items.values_list("item_id", flat=True))
        remaining = [item for item in pool if item.pk not in shown]
        return (remaining[0], section) if remaining else None

    monkeypatch.setattr(assessments.adaptive, "next_item_for", next_item_for)
    monkeypatch.setattr(assessments.adaptive, "estimate_for", lambda attempt: (1.0, 0.29))
    attempt = services.attempt_start(
        user=cast.candidate, battery=battery, mode="exam", language="fr"
    )
    assert attempt.attempt_items.count() == 0
    for expected in pool:
        current = services.attempt_current_item(attempt=attempt)
        assert current.item == expected
        # Asking again without answering chooses nothing new.
        assert services.attempt_current_item(attempt=attempt).pk == current.pk
        answer(attempt, current)
    assert services.attempt_current_item(attempt=attempt) is None
    assert attempt.attempt_items.count() == 3
    attempt = services.attempt_finish(attempt=attempt)
    assert (attempt.theta, attempt.theta_se) == (1.0, 0.29)
    assert attempt.score_percent == scoring.ability_percent(1.0)
    assert attempt.competency_scores == {"verbal": 100.0}


def test_the_adaptive_battery_runs_on_the_runner_until_the_adaptive_module_stops_it(
    cast, item_bank
):
    battery = Battery.objects.get(slug="adaptive-reasoning")
    client = candidate_client(cast.candidate)
    attempt = start_on_page(client, battery, mode="exam", language="nl")
    url = reverse("assessments:attempt", args=[attempt.pk])
    answered = 0
    while True:
        page = client.get(url)
        if page.status_code == 302:
            assert page.url == reverse("assessments:attempt_review", args=[attempt.pk])
            break
        current = services.attempt_current_item(attempt=attempt)
        assert f"Question {answered + 1}" in page.content.decode()
        assert post_answer(client, attempt, current, right=answered % 3 != 2).status_code == 302
        answered += 1
    assert 5 <= answered <= battery.max_items
    assert attempt.attempt_items.count() == answered
    client.post(reverse("assessments:attempt_finish", args=[attempt.pk]))
    attempt.refresh_from_db()
    assert attempt.theta is not None and attempt.theta_se is not None
    assert attempt.score_percent == scoring.ability_percent(attempt.theta)
    assert set(attempt.competency_scores) <= {"numerical", "verbal", "logical"}


# Pages ---------------------------------------------------------------------------------------


def start_on_page(client, battery, mode="practice", language="en"):
    response = client.post(
        reverse("assessments:battery_detail", args=[battery.slug]),
        {"mode": mode, "language": language},
    )
    assert response.status_code == 302, response.content.decode()
    return Attempt.objects.get(pk=response.url.split("/")[-2])


def post_answer(client, attempt, attempt_item, *, right=True):
    data = {"item": attempt_item.item_id, **answer_kwargs(attempt_item.item, right=right)}
    return client.post(reverse("assessments:attempt", args=[attempt.pk]), data)


def test_a_practice_test_shows_the_explanation_only_after_each_answer(cast, item_bank):
    client = candidate_client(cast.candidate)
    battery = tiny_battery(sections=(("verbal", 3, 10),))
    attempt = start_on_page(client, battery)
    url = reverse("assessments:attempt", args=[attempt.pk])
    for position, attempt_item in enumerate(attempt.attempt_items.order_by("position"), 1):
        page = client.get(url)
        html = page.content.decode()
        assert f"Question {position} of 3" in html
        assert escape(attempt_item.item.explanation_en) not in html
        assert "inputmode" not in html and 'type="radio"' in html
        saved = post_answer(client, attempt, attempt_item, right=position != 2)
        assert saved.url == reverse("assessments:attempt_feedback", args=[attempt.pk, position])
        feedback = client.get(saved.url).content.decode()
        assert escape(attempt_item.item.explanation_en) in feedback
        assert ("Not right" in feedback) is (position == 2)
    review = client.get(url)
    assert review.url == reverse("assessments:attempt_review", args=[attempt.pk])
    result = client.post(reverse("assessments:attempt_finish", args=[attempt.pk]), follow=True)
    html = result.content.decode()
    assert "Score: 67 %" in html
    assert "better than 50 % of the attempts" in html
    assert "Your progress on this test" in html and '<title id="chart-title">' in html


def test_the_item_page_never_holds_the_key_or_explanation_of_any_item_type(cast, item_bank):
    client = candidate_client(cast.candidate)
    battery = tiny_battery(
        "every-type",
        sections=(
            ("numerical", 48, 60),
            ("logical", 34, 60),
            ("situational", 2, 10),
            ("abstract", 2, 10),
            ("reading_nl", 2, 10),
            ("work_style", 2, 10),
            ("cyber_analysis", 17, 60),
            ("cyber_codes", 17, 60),
        ),
    )
    attempt = start_on_page(client, battery, mode="exam")
    types = set()
    url = reverse("assessments:attempt", args=[attempt.pk])
    for attempt_item in attempt.attempt_items.select_related("item").order_by("position"):
        item = attempt_item.item
        html = client.get(url).content.decode()
        assert f'name="item" value="{item.pk}"' in html
        # A reading item's explanation may quote its passage, which the page rightly shows.
        passage = item.passage.text if item.passage_id else ""
        for text in (item.explanation_en, item.explanation_fr, item.explanation_nl):
            assert not text or text in passage or escape(text) not in html
        if item.type == Item.Type.NUMERIC:
            assert 'inputmode="decimal"' in html
        if item.sequence:
            assert 'role="img"' in html and escape(item.alt_en) in html
        if item.type == Item.Type.TYPED:
            assert 'spellcheck="false"' in html and 'autocomplete="off"' in html
            for answers in item.accepted_answers.values():
                assert not any(f'value="{escape(answer)}"' in html for answer in answers)
        if item.type == Item.Type.MARK:
            assert html.count('type="checkbox" name="choices"') == item.options.count()
        types.add(item.type)
        saved = post_answer(client, attempt, attempt_item)
        assert saved.status_code == 302 and saved.url == url
    assert types == set(Item.Type.values)


def test_a_wrong_input_comes_back_with_a_message_and_saves_nothing(cast, item_bank):
    client = candidate_client(cast.candidate)
    attempt = start_on_page(client, tiny_battery(sections=(("numerical", 48, 60),)), "exam")
    url = reverse("assessments:attempt", args=[attempt.pk])
    while (
        current := services.attempt_current_item(attempt=attempt)
    ).item.type != Item.Type.NUMERIC:
        post_answer(client, attempt, current)
    page = client.post(url, {"item": current.item_id, "value": "twelve"})
    assert page.status_code == 400
    assert "Type only a number" in page.content.decode()
    empty = client.post(url, {"item": current.item_id, "value": ""})
    assert empty.status_code == 400 and "Type a number." in empty.content.decode()
    assert not Response.objects.filter(attempt_item=current).exists()


def test_a_new_session_resumes_on_the_first_unanswered_item_and_loses_nothing(cast, item_bank):
    client = candidate_client(cast.candidate)
    attempt = start_on_page(client, tiny_battery(sections=(("verbal", 4, 10),)), "exam")
    items = list(attempt.attempt_items.order_by("position"))
    post_answer(client, attempt, items[0])
    post_answer(client, attempt, items[1], right=False)
    # The phone's connection drops; the job-seeker signs in again on another device.
    other_device = candidate_client(cast.candidate)
    page = other_device.get(reverse("assessments:battery_list"))
    assert "Continue my test" in page.content.decode()
    html = other_device.get(reverse("assessments:attempt", args=[attempt.pk])).content.decode()
    assert "Question 3 of 4" in html and f'value="{items[2].item_id}"' in html
    assert [r.score for r in Response.objects.order_by("attempt_item__position")] == [1.0, 0.0]


def test_an_answer_sent_from_an_old_tab_keeps_the_first_answer(cast, item_bank):
    client = candidate_client(cast.candidate)
    attempt = start_on_page(client, tiny_battery(), "exam")
    first = attempt.attempt_items.order_by("position").first()
    post_answer(client, attempt, first, right=True)
    stale = post_answer(client, attempt, first, right=False)
    assert stale.status_code == 302
    assert Response.objects.get(attempt_item=first).score == 1.0
    page = client.get(stale.url).content.decode()
    assert "already answered" in page and "Question 2 of 3" in page


def test_exam_mode_reviews_at_the_end_and_shows_the_keys_with_the_result(cast, item_bank):
    client = candidate_client(cast.candidate)
    attempt = start_on_page(client, tiny_battery(sections=(("verbal", 2, 10),)), "exam")
    items = list(attempt.attempt_items.select_related("item").order_by("position"))
    saved = post_answer(client, attempt, items[0])
    assert saved.url == reverse("assessments:attempt", args=[attempt.pk])
    review = client.get(reverse("assessments:attempt_review", args=[attempt.pk])).content.decode()
    assert "1 question is not answered yet" in review and "final once saved" in review
    assert escape(items[0].item.explanation_en) not in review
    # The feedback page is for practice mode only.
    feedback = reverse("assessments:attempt_feedback", args=[attempt.pk, 1])
    assert client.get(feedback).status_code == 404
    post_answer(client, attempt, items[1], right=False)
    result = client.post(reverse("assessments:attempt_finish", args=[attempt.pk]), follow=True)
    html = result.content.decode()
    assert "Your answers, with the right answers" in html
    for attempt_item in items:
        assert escape(attempt_item.item.explanation_en) in html


def test_the_results_page_says_the_rule_and_the_evidence_gained(cast, item_bank):
    skill = factories.SkillFactory(label_en="keeping calm")
    battery = tiny_battery(
        "rule-page",
        sections=(("verbal", 2, 10), ("abstract", 2, 10)),
        pass_percent=60,
        section_pass_percent=50,
        evidence_threshold=70,
        skills=[skill],
    )
    attempt = services.attempt_start(
        user=cast.candidate, battery=battery, mode="exam", language="en"
    )
    answer_in_order(attempt, [True, True, True, False])
    services.attempt_finish(attempt=attempt)
    html = (
        candidate_client(cast.candidate)
        .get(reverse("assessments:attempt_result", args=[attempt.pk]))
        .content.decode()
    )
    assert "at least 50 % in each part and 60 % overall" in html
    assert "Passed by the rule of the real test" in html
    assert "Your skill keeping calm is now verified by a test." in html
    assert "Score per part" in html and "Score per competency" in html


# Who may open what ---------------------------------------------------------------------------


def attempt_urls(attempt):
    return [
        reverse("assessments:attempt", args=[attempt.pk]),
        reverse("assessments:attempt_feedback", args=[attempt.pk, 1]),
        reverse("assessments:attempt_review", args=[attempt.pk]),
        reverse("assessments:attempt_result", args=[attempt.pk]),
    ]


def test_another_candidate_gets_a_404_on_every_page_of_an_attempt(cast, item_bank):
    attempt = services.attempt_start(
        user=cast.candidate, battery=tiny_battery(), mode="practice", language="fr"
    )
    answer(attempt, attempt.attempt_items.order_by("position").first())
    owner, outsider = candidate_client(cast.candidate), candidate_client(cast.other_candidate)
    for url in attempt_urls(attempt):
        assert owner.get(url).status_code in (200, 302)
        assert outsider.get(url).status_code == 404
    finish = reverse("assessments:attempt_finish", args=[attempt.pk])
    assert outsider.post(finish).status_code == 404
    assert outsider.post(attempt_urls(attempt)[0], {"item": 1, "choice": 1}).status_code == 404
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.IN_PROGRESS


@pytest.mark.parametrize("role", ["counsellor", "employer_member", "staff"])
def test_other_roles_get_a_403_on_the_test_pages(cast, item_bank, role):
    battery = tiny_battery()
    attempt = services.attempt_start(
        user=cast.candidate, battery=battery, mode="practice", language="fr"
    )
    client = candidate_client(getattr(cast, role))
    urls = [
        reverse("assessments:battery_list"),
        reverse("assessments:battery_detail", args=[battery.slug]),
        *attempt_urls(attempt),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_the_login_page(item_bank):
    response = Client().get(reverse("assessments:battery_list"))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


# Extra time ----------------------------------------------------------------------------------


def test_the_candidates_counsellor_sets_extra_time_for_the_next_attempts(cast, item_bank):
    profile = cast.candidate.candidate_profile
    url = reverse("assessments:extra_time", args=[profile.pk])
    client = candidate_client(cast.counsellor)
    assert client.get(url).status_code == 200
    saved = client.post(url, {"multiplier": "1.33", "note": "Dyslexia"}, follow=True)
    assert "next tests get this time" in saved.content.decode()
    accommodation = TimeAccommodation.objects.get(user=cast.candidate)
    assert (accommodation.multiplier, accommodation.set_by) == (Decimal("1.33"), cast.counsellor)
    bad = client.post(url, {"multiplier": "3"})
    assert bad.status_code == 400
    assert TimeAccommodation.objects.get(user=cast.candidate).multiplier == Decimal("1.33")
    attempt = services.attempt_start(
        user=cast.candidate, battery=tiny_battery(), mode="exam", language="fr"
    )
    assert attempt.deadline - attempt.started_at == datetime.timedelta(seconds=round(300 * 1.33))
    page = candidate_client(cast.candidate).get(reverse("assessments:battery_list"))
    assert "extra time" in page.content.decode()


def test_only_the_candidates_own_counsellors_set_extra_time(cast, item_bank):
    url = reverse("assessments:extra_time", args=[cast.candidate.candidate_profile.pk])
    assert candidate_client(cast.other_counsellor).get(url).status_code == 404
    assert candidate_client(cast.other_counsellor).post(url, {"multiplier": "2"}).status_code == 404
    for role in ("candidate", "employer_member", "staff"):
        assert candidate_client(getattr(cast, role)).get(url).status_code == 403
    assert not TimeAccommodation.objects.exists()


# Speed ---------------------------------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_battery_list_makes_the_same_number_of_queries_for_one_or_many_attempts(
    cast, item_bank
):
    client = candidate_client(cast.candidate)
    url = reverse("assessments:battery_list")
    battery = tiny_battery(sections=(("verbal", 2, 10),))
    attempt = services.attempt_start(
        user=cast.candidate, battery=battery, mode="exam", language="fr"
    )
    services.attempt_finish(attempt=attempt)
    few = count_queries(client, url)
    for index in range(4):
        more = tiny_battery(f"more-{index}", sections=(("verbal", 2, 10), ("abstract", 2, 5)))
        for _ in range(2):
            done = services.attempt_start(
                user=cast.candidate, battery=more, mode="exam", language="fr"
            )
            answer_in_order(done, [True, False, True, False])
            services.attempt_finish(attempt=done)
        services.attempt_start(user=cast.candidate, battery=more, mode="exam", language="fr")
    assert count_queries(client, url) == few


def test_the_result_page_makes_the_same_number_of_queries_for_few_or_many_items(cast, item_bank):
    client = candidate_client(cast.candidate)
    counts = []
    for slug, sizes in (("small", (2, 2)), ("large", (10, 10))):
        battery = tiny_battery(
            slug,
            sections=(("verbal", sizes[0], 10), ("situational", sizes[1], 10)),
            pass_percent=60,
            evidence_threshold=10,
            skills=[factories.SkillFactory()],
        )
        for _ in range(2 if slug == "small" else 5):
            attempt = services.attempt_start(
                user=cast.candidate, battery=battery, mode="exam", language="en"
            )
            answer_in_order(attempt, [True] * sum(sizes))
            services.attempt_finish(attempt=attempt)
        counts.append(
            count_queries(client, reverse("assessments:attempt_result", args=[attempt.pk]))
        )
    assert counts[0] == counts[1]


def test_odd_addresses_and_forms_are_404s_not_errors(cast, item_bank):
    client = candidate_client(cast.candidate)
    attempt = start_on_page(client, tiny_battery(), "practice")
    huge = reverse("assessments:attempt_feedback", args=[attempt.pk, 10**25])
    assert client.get(huge).status_code == 404
    url = reverse("assessments:attempt", args=[attempt.pk])
    foreign = Item.objects.exclude(pk__in=attempt.attempt_items.values("item")).first()
    assert client.post(url, {"item": foreign.pk, "choice": 1}).status_code == 404
    assert client.post(url, {"item": 10**30, "choice": 1}).status_code == 404
    assert client.post(url, {"item": "abc", "choice": 1}).status_code == 404
    current = services.attempt_current_item(attempt=attempt)
    wrong_option = client.post(url, {"item": current.item_id, "choice": 10**30})
    assert wrong_option.status_code == 400
    assert "not one of the question" in wrong_option.content.decode()
    assert not Response.objects.exists()


def test_figures_keep_their_shapes_and_lose_anything_that_could_run():
    markup = (
        '<svg viewBox="0 0 60 60" width="60" onload="alert(1)" style="x">'
        '<script>alert(2)</script><circle cx="30" cy="30" r="5" fill="#1a1d21"/>'
        '<a href="javascript:alert(3)"><rect x="1" y="1" width="5" height="5" fill="url(#p)"/></a>'
        "<foreignObject><p>text</p></foreignObject></svg>"
    )
    assert selectors.svg_clean(markup) == (
        '<svg viewBox="0 0 60 60" width="60" aria-hidden="true" focusable="false">'
        '<circle cx="30" cy="30" r="5" fill="#1a1d21" /></svg>'
    )
