"""Authoring items in the admin: the bank's rules, the draft → reviewed → live workflow, and
items candidates have answered staying as they are."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from assessments.admin import item_problems, option_problems
from assessments.models import Attempt, Battery, Competency, Item, Option, Passage, Trait
from tests import factories
from tests.assessments.test_statistics import make_battery, make_item, record_attempt

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/assessments/item/add/"
LIST_URL = "/admin/assessments/item/"


def change_url(item):
    return f"/admin/assessments/item/{item.pk}/change/"


def option(key, *, correct=False, effectiveness="", fr=None, nl=None, svg=""):
    return {
        "key": key,
        "position": "abcdef".index(key),
        "label_fr": f"Réponse {key}" if fr is None else fr,
        "label_nl": f"Antwoord {key}" if nl is None else nl,
        "label_en": f"Answer {key}",
        "is_correct": correct,
        "effectiveness": effectiveness,
        "svg": svg,
    }


def item_data(options=(), **fields):
    """The admin's add form, filled: a valid single-choice item unless told otherwise."""
    data = {
        "key": "new-001",
        "competency": Competency.NUMERICAL,
        "type": Item.Type.SINGLE_CHOICE,
        "difficulty": "easy",
        "passage": "",
        "stem_fr": "Combien font 2 + 2 ?",
        "stem_nl": "Hoeveel is 2 + 2?",
        "stem_en": "What is 2 + 2?",
        "explanation_fr": "",
        "explanation_nl": "",
        "explanation_en": "",
        "alt_fr": "",
        "alt_nl": "",
        "alt_en": "",
        "unit_fr": "",
        "unit_nl": "",
        "unit_en": "",
        "sequence": "[]",
        "answer_value": "",
        "answer_tolerance": "0",
        "trait": "",
        "_save": "Save",
    }
    data.update(fields)
    if fields.get("reverse"):
        data["reverse"] = "on"
    else:
        data.pop("reverse", None)
    data.update(
        {
            "options-TOTAL_FORMS": str(len(options)),
            "options-INITIAL_FORMS": "0",
            "options-MIN_NUM_FORMS": "0",
            "options-MAX_NUM_FORMS": "1000",
        }
    )
    for index, entry in enumerate(options):
        for name, value in entry.items():
            if name == "is_correct":
                if value:
                    data[f"options-{index}-is_correct"] = "on"
            else:
                data[f"options-{index}-{name}"] = value
    return data


FOUR = [option("a", correct=True), option("b"), option("c"), option("d")]


@pytest.fixture
def staff_client(client, cast, settings):
    client.force_login(cast.staff)
    # English, for the messages; ?lang= would be taken for a filter by the admin's lists.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def refused(response, message):
    """The add form came back with `message`, and nothing was saved."""
    assert response.status_code == 200, response.status_code
    assert message in response.content.decode()
    assert not Item.objects.filter(key="new-001").exists()
    return True


def test_a_valid_item_is_saved_as_a_draft_with_its_options(staff_client, reference_data):
    response = staff_client.post(ADD_URL, item_data(FOUR))
    assert response.status_code == 302
    item = Item.objects.get(key="new-001")
    assert item.status == Item.Status.DRAFT
    assert [(o.key, o.is_correct) for o in item.options.order_by("position")] == [
        ("a", True),
        ("b", False),
        ("c", False),
        ("d", False),
    ]


def test_the_status_cannot_be_set_in_the_form(staff_client, reference_data):
    staff_client.post(ADD_URL, item_data(FOUR, status="live"))
    assert Item.objects.get(key="new-001").status == Item.Status.DRAFT


def test_a_single_choice_item_needs_exactly_one_correct_option(staff_client, reference_data):
    message = "A single-choice item needs exactly one correct option."
    two = [option("a", correct=True), option("b", correct=True), option("c")]
    none = [option("a"), option("b"), option("c")]
    assert refused(staff_client.post(ADD_URL, item_data(two)), message)
    assert refused(staff_client.post(ADD_URL, item_data(none)), message)
    assert refused(
        staff_client.post(ADD_URL, item_data([option("a", correct=True)])),
        "A single-choice item needs at least two options.",
    )


def test_a_multiple_response_item_needs_two_correct_and_one_wrong_option(
    staff_client, reference_data
):
    message = "A multiple-response item needs at least two correct options and one wrong one."
    one_right = [option("a", correct=True), option("b"), option("c")]
    all_right = [option("a", correct=True), option("b", correct=True), option("c", correct=True)]
    for options in (one_right, all_right):
        data = item_data(options, type=Item.Type.MULTIPLE_RESPONSE)
        assert refused(staff_client.post(ADD_URL, data), message)
    good = [option("a", correct=True), option("b", correct=True), option("c")]
    response = staff_client.post(ADD_URL, item_data(good, type=Item.Type.MULTIPLE_RESPONSE))
    assert response.status_code == 302


def sjt(*ratings):
    return [option("abcdef"[n], effectiveness=rating) for n, rating in enumerate(ratings)]


def test_a_situational_item_needs_four_options_rated_1_to_4_with_one_best(
    staff_client, reference_data
):
    fields = {"type": Item.Type.SJT, "competency": Competency.SITUATIONAL}
    cases = [
        (sjt(4, 3, 1), "A situational-judgement item has exactly four options."),
        (sjt(4, 3, 2, 1, 1), "A situational-judgement item has exactly four options."),
        (sjt(4, 3, "", 1), "Rate the effectiveness of every option from 1 to 4."),
        (sjt(4, 5, 2, 1), "Rate the effectiveness of every option from 1 to 4."),
        (sjt(4, 0, 2, 1), "Rate the effectiveness of every option from 1 to 4."),
        (sjt(4, 4, 2, 1), "Exactly one option is the most effective (4)."),
        (sjt(3, 3, 2, 1), "Exactly one option is the most effective (4)."),
    ]
    for options, message in cases:
        assert refused(staff_client.post(ADD_URL, item_data(options, **fields)), message)
    assert staff_client.post(ADD_URL, item_data(sjt(1, 4, 2, 3), **fields)).status_code == 302


def test_a_numeric_item_needs_its_answer_and_no_options(staff_client, reference_data):
    fields = {"type": Item.Type.NUMERIC}
    assert refused(
        staff_client.post(ADD_URL, item_data(**fields)), "A numeric item needs its answer."
    )
    assert refused(
        staff_client.post(ADD_URL, item_data(FOUR, answer_value="4", **fields)),
        "A numeric item or a work-style statement has no options: remove them.",
    )
    assert refused(
        staff_client.post(ADD_URL, item_data(answer_value="4", answer_tolerance="-1", **fields)),
        "The tolerance cannot be negative.",
    )
    response = staff_client.post(ADD_URL, item_data(answer_value="4", **fields))
    assert response.status_code == 302
    assert str(Item.objects.get(key="new-001").answer_value) == "4.0000"


@pytest.fixture
def trait(db):
    return Trait.objects.create(
        code="admin-trait",
        label_fr="Calme",
        label_nl="Kalmte",
        label_en="Calm",
        **{
            f"feedback_{side}_{code}": "-"
            for side in ("low", "high")
            for code in ("fr", "nl", "en")
        },
    )


def test_a_work_style_statement_needs_a_trait_and_no_options(staff_client, reference_data, trait):
    fields = {"type": Item.Type.LIKERT, "competency": Competency.WORK_STYLE}
    assert refused(
        staff_client.post(ADD_URL, item_data(**fields)),
        "A work-style statement needs the trait it measures.",
    )
    assert refused(
        staff_client.post(ADD_URL, item_data(FOUR, trait=trait.pk, **fields)),
        "A numeric item or a work-style statement has no options: remove them.",
    )
    assert refused(
        staff_client.post(ADD_URL, item_data(type=Item.Type.LIKERT, trait=trait.pk)),
        "A work-style statement measures work style.",
    )
    response = staff_client.post(ADD_URL, item_data(trait=trait.pk, reverse=True, **fields))
    assert response.status_code == 302
    assert Item.objects.get(key="new-001").reverse is True


def test_an_item_needs_its_question_in_french_and_dutch(staff_client, reference_data):
    assert refused(
        staff_client.post(ADD_URL, item_data(FOUR, stem_nl="  ")), "Write the question in Dutch."
    )
    assert refused(
        staff_client.post(ADD_URL, item_data(FOUR, stem_fr="")), "Write the question in French."
    )
    # English is welcome, not required.
    assert staff_client.post(ADD_URL, item_data(FOUR, stem_en="")).status_code == 302


def test_options_need_labels_in_the_same_languages(staff_client, reference_data):
    options = [option("a", correct=True), option("b", nl="")]
    assert refused(
        staff_client.post(ADD_URL, item_data(options)), "Option b needs a label in Dutch."
    )


@pytest.fixture
def dutch_passage(db):
    return Passage.objects.create(
        key="adm-p1", language="nl", title="Parkeerverbod", text="Zaterdag geldt een verbod."
    )


def test_a_comprehension_item_is_written_in_its_passages_language_only(
    staff_client, reference_data, dutch_passage
):
    fields = {"competency": Competency.READING_NL, "stem_fr": "", "stem_en": ""}
    dutch_options = [option("a", correct=True, fr=""), option("b", fr="")]
    assert refused(
        staff_client.post(ADD_URL, item_data(dutch_options, **fields)),
        "A comprehension item needs the text it asks about.",
    )
    assert refused(
        staff_client.post(
            ADD_URL, item_data(dutch_options, passage=dutch_passage.pk, stem_nl="", **fields)
        ),
        "Write the question in Dutch.",
    )
    assert refused(
        staff_client.post(
            ADD_URL,
            item_data(
                dutch_options,
                passage=dutch_passage.pk,
                competency=Competency.READING_FR,
                stem_fr="",
                stem_en="",
            ),
        ),
        "This passage is in Dutch; the item tests French.",
    )
    response = staff_client.post(
        ADD_URL, item_data(dutch_options, passage=dutch_passage.pk, **fields)
    )
    assert response.status_code == 302


def test_the_section_only_competency_is_refused_for_an_item(staff_client, reference_data):
    assert refused(
        staff_client.post(ADD_URL, item_data(FOUR, competency=Competency.READING)),
        "is for sections only",
    )


def test_figures_with_script_or_foreign_elements_are_refused(staff_client, reference_data):
    bad = '["<svg viewBox=\\"0 0 60 60\\"><script>alert(1)</script></svg>"]'
    assert refused(
        staff_client.post(ADD_URL, item_data(FOUR, sequence=bad)),
        "Figures are a list of SVG documents",
    )
    options = [
        option("a", correct=True, svg='<svg viewBox="0 0 60 60" onload="alert(1)"></svg>'),
        option("b"),
    ]
    assert refused(
        staff_client.post(ADD_URL, item_data(options)),
        "The figure of option a may hold only g, circle, rect, polygon, line and path",
    )
    good = '["<svg viewBox=\\"0 0 60 60\\"><circle cx=\\"30\\" cy=\\"30\\" r=\\"9\\" fill=\\"none\\" stroke=\\"#1a1d21\\"/></svg>"]'  # noqa: E501
    assert staff_client.post(ADD_URL, item_data(FOUR, sequence=good)).status_code == 302


def test_every_item_of_the_starter_bank_meets_the_rules(item_bank):
    for item in Item.objects.select_related("passage").prefetch_related("options"):
        assert item_problems(item) == [], item.key
        assert option_problems(item, list(item.options.all())) == [], item.key


# The workflow -------------------------------------------------------------------------------


def run_action(client, action, items):
    return client.post(
        LIST_URL,
        {"action": action, "_selected_action": [item.pk for item in items], "index": "0"},
        follow=True,
    )


def draft(key, status=Item.Status.DRAFT, **fields):
    item = make_item(key, **fields)
    Item.objects.filter(pk=item.pk).update(status=status)
    item.status = status
    return item


def test_drafts_are_marked_as_reviewed_and_others_are_left_as_they_are(
    staff_client, reference_data
):
    first, second = draft("wf-001"), draft("wf-002")
    live = draft("wf-003", status=Item.Status.LIVE)
    response = run_action(staff_client, "mark_reviewed", [first, second, live])
    text = response.content.decode()
    assert "2 items marked as reviewed." in text
    assert "Unchanged, because they are not drafts: wf-003." in text
    statuses = dict(Item.objects.filter(key__startswith="wf-").values_list("key", "status"))
    assert statuses == {"wf-001": "reviewed", "wf-002": "reviewed", "wf-003": "live"}


def test_only_reviewed_items_go_live_and_drafts_are_refused_with_a_message(
    staff_client, reference_data
):
    reviewed = draft("wf-010", status=Item.Status.REVIEWED)
    waiting = draft("wf-011")
    response = run_action(staff_client, "put_live", [reviewed, waiting])
    text = response.content.decode()
    assert "1 item put live." in text
    assert "Drafts cannot go live before they are reviewed: wf-011." in text
    reviewed.refresh_from_db()
    waiting.refresh_from_db()
    assert reviewed.status == Item.Status.LIVE
    assert waiting.status == Item.Status.DRAFT


def test_an_item_breaking_the_rules_is_neither_reviewed_nor_put_live(staff_client, reference_data):
    # Written outside the admin with two correct options: the actions check the rules again.
    broken = draft("wf-020", correct=("a", "b"))
    response = run_action(staff_client, "mark_reviewed", [broken])
    assert "Not reviewed, because they break the item rules" in response.content.decode()
    Item.objects.filter(pk=broken.pk).update(status=Item.Status.REVIEWED)
    response = run_action(staff_client, "put_live", [broken])
    assert "Not put live, because they break the item rules" in response.content.decode()
    broken.refresh_from_db()
    assert broken.status == Item.Status.REVIEWED


def test_a_live_item_can_be_withdrawn_to_draft(staff_client, reference_data):
    live = draft("wf-030", status=Item.Status.LIVE)
    run_action(staff_client, "back_to_draft", [live])
    live.refresh_from_db()
    assert live.status == Item.Status.DRAFT


# Items candidates have answered -------------------------------------------------------------


@pytest.fixture
def answered_item(reference_data):
    battery, (section,) = make_battery("admin-answered")
    item = make_item("ans-001")
    record_attempt(battery, factories.CandidateFactory(), [(item, section, 1.0, "a")])
    return item


def test_an_answered_item_cannot_be_deleted(staff_client, answered_item):
    response = staff_client.get(f"/admin/assessments/item/{answered_item.pk}/delete/")
    assert response.status_code == 403
    delete_url = f"/admin/assessments/item/{answered_item.pk}/delete/"
    assert staff_client.post(delete_url, {"post": "yes"}).status_code == 403
    # Nor through the list's bulk delete.
    run_action(staff_client, "delete_selected", [answered_item])
    staff_client.post(
        LIST_URL,
        {"action": "delete_selected", "_selected_action": [answered_item.pk], "post": "yes"},
    )
    assert Item.objects.filter(pk=answered_item.pk).exists()
    request = RequestFactory().get("/")
    request.user = factories.StaffFactory()
    assert site._registry[Item].has_delete_permission(request, answered_item) is False


def test_an_item_nobody_answered_can_still_be_deleted(staff_client, reference_data):
    item = draft("del-001")
    response = staff_client.post(f"/admin/assessments/item/{item.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Item.objects.filter(pk=item.pk).exists()


def existing_options(item):
    """The change form's options, as posted back unchanged."""
    data = {}
    options = list(item.options.order_by("position"))
    data.update(
        {
            "options-TOTAL_FORMS": str(len(options)),
            "options-INITIAL_FORMS": str(len(options)),
            "options-MIN_NUM_FORMS": "0",
            "options-MAX_NUM_FORMS": "1000",
        }
    )
    for index, entry in enumerate(options):
        data.update(
            {
                f"options-{index}-id": entry.pk,
                f"options-{index}-item": item.pk,
                f"options-{index}-key": entry.key,
                f"options-{index}-position": entry.position,
                f"options-{index}-label_fr": entry.label_fr,
                f"options-{index}-label_nl": entry.label_nl,
                f"options-{index}-label_en": entry.label_en,
                f"options-{index}-svg": entry.svg,
            }
        )
        if entry.is_correct:
            data[f"options-{index}-is_correct"] = "on"
    return data


def test_an_answered_item_keeps_its_key_answer_and_options_but_texts_can_be_fixed(
    staff_client, answered_item
):
    data = item_data(
        key="renamed",
        type=Item.Type.MULTIPLE_RESPONSE,
        stem_fr="Question corrigée",
        stem_nl="Vraag ans-001",
    )
    data.update(existing_options(answered_item))
    # Try to make b the key and to delete d.
    data["options-1-is_correct"] = "on"
    data.pop("options-0-is_correct", None)
    data["options-3-DELETE"] = "on"
    data["options-0-label_en"] = "Answer a, corrected"
    response = staff_client.post(change_url(answered_item), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    answered_item.refresh_from_db()
    assert answered_item.key == "ans-001"
    assert answered_item.type == Item.Type.SINGLE_CHOICE
    assert answered_item.stem_fr == "Question corrigée"
    options = list(answered_item.options.order_by("position"))
    assert [(o.key, o.is_correct) for o in options] == [
        ("a", True),
        ("b", False),
        ("c", False),
        ("d", False),
    ]
    assert options[0].label_en == "Answer a, corrected"


def test_the_change_page_of_an_answered_item_shows_it_locked(staff_client, answered_item):
    response = staff_client.get(change_url(answered_item))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="key"' not in html
    assert 'name="options-0-is_correct"' not in html
    assert "See how candidates answer it" in html


# The other admins ---------------------------------------------------------------------------


def test_attempts_are_read_only_in_the_admin(staff_client, answered_item):
    attempt = Attempt.objects.get(attempt_items__item=answered_item)
    url = f"/admin/assessments/attempt/{attempt.pk}/change/"
    response = staff_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "ans-001" in html
    assert 'name="_save"' not in html
    assert staff_client.post(url, {"status": "in_progress"}).status_code == 403
    assert staff_client.get("/admin/assessments/attempt/add/").status_code == 403
    assert staff_client.get(f"/admin/assessments/attempt/{attempt.pk}/delete/").status_code == 403
    listing = staff_client.get("/admin/assessments/attempt/?status__exact=finished")
    assert listing.status_code == 200
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.FINISHED


def test_the_other_assessment_admins_open(staff_client, item_bank, cast):
    battery = Battery.objects.get(slug="police-cognitive")
    urls = [
        "/admin/assessments/item/",
        "/admin/assessments/item/?competency__exact=abstract&q=abs",
        f"/admin/assessments/item/{Item.objects.get(key='abs-001').pk}/change/",
        "/admin/assessments/passage/",
        "/admin/assessments/trait/",
        "/admin/assessments/battery/",
        f"/admin/assessments/battery/{battery.pk}/change/",
        "/admin/assessments/timeaccommodation/",
        "/admin/assessments/timeaccommodation/add/",
        "/admin/assessments/attempt/",
        "/admin/assessments/batteryclearance/",
        ADD_URL,
    ]
    for url in urls:
        assert staff_client.get(url).status_code == 200, url


def test_extra_time_set_in_the_admin_records_who_set_it(staff_client, cast, reference_data):
    response = staff_client.post(
        "/admin/assessments/timeaccommodation/add/",
        {"user": cast.candidate.pk, "multiplier": "1.25", "note": "Dyslexie"},
    )
    assert response.status_code == 302
    assert cast.candidate.time_accommodation.set_by == cast.staff


def test_options_keep_unique_keys(staff_client, reference_data):
    response = staff_client.post(
        ADD_URL, item_data([option("a", correct=True), {**option("b"), "key": "a"}])
    )
    assert response.status_code == 200
    assert "Please correct the duplicate data for key." in response.content.decode()
    assert not Item.objects.filter(key="new-001").exists()
    assert not Option.objects.filter(item__key="new-001").exists()
