"""Tests and training raise evidence on skills; nothing ever lowers it."""

import pytest

from candidates.models import CandidateSkill, Evidence
from candidates.services import candidate_skills_verify
from college.models import Skill
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_passed_test_verifies_held_skills_and_adds_missing_ones(cast, reference_data):
    profile = cast.candidate.candidate_profile
    held = factories.CandidateSkillFactory(profile=profile, level=3)
    missing = Skill.objects.exclude(pk=held.skill_id).first()
    changed = candidate_skills_verify(
        profile=profile, skills=[held.skill, missing], evidence=Evidence.TEST_VERIFIED
    )
    assert len(changed) == 2
    held.refresh_from_db()
    assert held.evidence == Evidence.TEST_VERIFIED and held.level == 3
    added = CandidateSkill.objects.get(profile=profile, skill=missing)
    assert added.evidence == Evidence.TEST_VERIFIED and added.level == 2


def test_training_certified_is_never_lowered_by_a_test(cast, reference_data):
    profile = cast.candidate.candidate_profile
    certified = factories.CandidateSkillFactory(
        profile=profile, evidence=Evidence.TRAINING_CERTIFIED
    )
    assert (
        candidate_skills_verify(
            profile=profile, skills=[certified.skill], evidence=Evidence.TEST_VERIFIED
        )
        == []
    )
    certified.refresh_from_db()
    assert certified.evidence == Evidence.TRAINING_CERTIFIED


def test_a_counsellor_validation_gives_way_to_a_test(cast, reference_data):
    profile = cast.candidate.candidate_profile
    validated = factories.CandidateSkillFactory(
        profile=profile,
        evidence=Evidence.COUNSELLOR_VALIDATED,
        validated_by=cast.counsellor,
        evidence_note="Seen at work",
    )
    candidate_skills_verify(
        profile=profile, skills=[validated.skill], evidence=Evidence.TEST_VERIFIED, note="Test"
    )
    validated.refresh_from_db()
    assert validated.evidence == Evidence.TEST_VERIFIED
    assert validated.validated_by is None and validated.evidence_note == "Test"
