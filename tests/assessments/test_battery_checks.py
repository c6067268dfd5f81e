"""A battery that fails its checks verifies no skill until staff clear it; the result says which
skills an attempt verified, or why none; item review refuses options whose form gives the key
away."""

import pytest
from django.urls import reverse

from assessments import checks, services
from assessments.models import Battery, BatteryClearance, Item, Option, Section
from assessments.statistics import BatteryStatistics
from candidates.models import CandidateSkill
from tests import factories
from tests.assessments.test_attempts import answer_in_order, candidate_client, tiny_battery
from tests.assessments.test_item_admin import draft, run_action, staff_client  # noqa: F401

pytestmark = pytest.mark.django_db


def single_role_battery(skill, role="sac_officer"):
    """A battery drawing from one role's scenarios only: one item, whose key is the longest
    option, so the longest-option strategy finds the key every time."""
    battery = tiny_battery(
        "one-role", sections=(("situational", 1, 5),), evidence_threshold=60, skills=[skill]
    )
    Section.objects.filter(battery=battery).update(role=role)
    return battery


def test_a_battery_flagged_by_the_cue_checks_verifies_no_skill_and_says_why(cast, item_bank):
    skill = factories.SkillFactory()
    battery = single_role_battery(skill)
    findings = checks.battery_checks_refresh(battery)
    assert any(f["code"] == "cue" and f["strategy"] == "longest" for f in findings)
    attempt = services.attempt_start(
        user=cast.candidate, battery=battery, mode="exam", language="fr"
    )
    answer_in_order(attempt, [True])
    attempt = services.attempt_finish(attempt=attempt)
    assert attempt.score_percent == 100.0
    assert attempt.evidence_outcome == "battery_flagged" and attempt.evidence_skills == []
    assert not CandidateSkill.objects.filter(skill=skill).exists()
    page = candidate_client(cast.candidate).get(
        reverse("assessments:attempt_result", args=[attempt.pk])
    )
    assert "No skill became verified by this attempt" in page.content.decode()


def test_staff_clear_a_flagged_battery_with_a_reason_and_it_verifies_again(cast, item_bank):
    skill = factories.SkillFactory()
    battery = single_role_battery(skill)
    checks.battery_checks_refresh(battery)
    client = candidate_client(cast.staff)
    url = reverse("assessments_staff:clear", args=[battery.slug])
    assert client.post(url, {"note": "  "}).status_code == 400
    assert not BatteryClearance.objects.exists()
    assert client.post(url, {"note": "One scenario, reviewed by hand."}).status_code == 302
    clearance = BatteryClearance.objects.get()
    assert clearance.cleared_by == cast.staff and clearance.findings
    battery.refresh_from_db()
    assert not checks.battery_is_blocked(battery)
    attempt = services.attempt_start(
        user=cast.candidate, battery=battery, mode="exam", language="fr"
    )
    answer_in_order(attempt, [True])
    attempt = services.attempt_finish(attempt=attempt)
    assert attempt.evidence_outcome == "verified" and attempt.evidence_skills == [skill.pk]
    assert CandidateSkill.objects.filter(skill=skill, evidence="test_verified").exists()


def test_a_clearance_covers_only_the_findings_it_saw(cast, item_bank):
    battery = single_role_battery(factories.SkillFactory())
    checks.battery_clear(battery=battery, user=cast.staff, note="Seen.")
    assert not checks.battery_is_blocked(battery)
    Section.objects.filter(battery=battery).update(role="steward")
    checks.battery_checks_refresh(battery)
    assert checks.battery_is_blocked(battery)


def test_a_calibrated_battery_below_the_reliability_floor_is_flagged(item_bank):
    battery = Battery.objects.get(slug="peace-guard-exam")
    unreliable = BatteryStatistics(attempt_count=checks.CALIBRATED_ATTEMPTS, reliability=0.4)
    assert [f["code"] for f in checks.battery_findings(battery, summary=unreliable)] == [
        "reliability"
    ]
    too_few = BatteryStatistics(attempt_count=checks.CALIBRATED_ATTEMPTS - 1, reliability=0.4)
    assert checks.battery_findings(battery, summary=too_few) == []


def test_the_shipped_batteries_pass_their_cue_checks(item_bank):
    for battery in Battery.objects.all():
        empty = BatteryStatistics()
        assert checks.battery_findings(battery, summary=empty) == [], battery.slug


def test_the_result_says_the_score_was_below_the_threshold(cast, item_bank):
    skill = factories.SkillFactory()
    battery = tiny_battery(sections=(("verbal", 2, 5),), evidence_threshold=75, skills=[skill])
    attempt = services.attempt_start(
        user=cast.candidate, battery=battery, mode="exam", language="en"
    )
    answer_in_order(attempt, [True, False])
    attempt = services.attempt_finish(attempt=attempt)
    assert attempt.evidence_outcome == "below_threshold"
    page = candidate_client(cast.candidate).get(
        reverse("assessments:attempt_result", args=[attempt.pk])
    )
    assert "the score is below 75 %" in page.content.decode()


def test_review_refuses_an_item_whose_option_lengths_give_the_key_away(staff_client):  # noqa: F811
    cued = draft("cue-001", status=Item.Status.REVIEWED)
    long_key = "Vous restez calme et vous appelez la police en donnant une description précise."
    Option.objects.filter(item=cued, key="a").update(label_fr=long_key, label_nl=long_key)
    Option.objects.filter(item=cued).exclude(key="a").update(
        label_fr="Vous partez tout de suite.", label_nl="Je vertrekt meteen, zonder meer."
    )
    response = run_action(staff_client, "put_live", [cued])
    assert "the form of their options gives the key away" in response.content.decode()
    cued.refresh_from_db()
    assert cued.status == Item.Status.REVIEWED


def test_the_staff_page_shows_the_cue_report_of_each_part(cast, item_bank):
    client = candidate_client(cast.staff)
    page = client.get(reverse("assessments_staff:battery", args=["peace-guard-exam"]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Form cues by part" in text and "Choose the longest option" in text
    assert "within chance" in text
