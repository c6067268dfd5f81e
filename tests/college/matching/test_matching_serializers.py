"""The engine's one JSON shape: the lines built directly equal what the declared fields give."""

import pytest
from rest_framework import serializers

from candidates.matches.api import MatchRowSkillSerializer, MatchRowTrainingSkillSerializer
from college import matching
from college.matching.serializers import (
    MatchEligibilitySerializer,
    MatchLanguageLineSerializer,
    MatchSkillLineSerializer,
)
from employers.shortlists.api import ShortlistEligibilitySerializer

SKILL_LINES = [
    matching.SkillLine(1, "Surveiller", "http://esco/1", "essential", 3, 3, "test_verified", state)
    for state in (matching.MATCHED, matching.PARTIAL)
] + [
    matching.SkillLine(2, "Patrouiller", "http://esco/2", "nice_to_have", 2, None, None, state)
    for state in (matching.MISSING, matching.TAUGHT)
]
LANGUAGE_LINES = [
    matching.LanguageLine(7, "nl", "Dutch", "B1", None, "", False, True, False),
    matching.LanguageLine(8, "fr", "French", "B2", "C1", "selor_2", True, False, True),
]
ELIGIBILITIES = [
    matching.Eligibility(matching.ELIGIBLE),
    matching.Eligibility(
        matching.NOT_YET,
        missing=("Nationality to confirm.",),
        to_check_at_selection=("A clean criminal record.",),
    ),
    matching.Eligibility(matching.ELIGIBLE_VIA_ALTERNATIVE, alternative_route="Equivalence"),
]


@pytest.mark.parametrize(
    "serializer_class, lines",
    [
        (MatchSkillLineSerializer, SKILL_LINES),
        (MatchRowSkillSerializer, SKILL_LINES[:3]),
        (MatchRowTrainingSkillSerializer, SKILL_LINES[3:]),
        (MatchLanguageLineSerializer, LANGUAGE_LINES),
    ],
)
def test_each_line_built_directly_is_what_its_declared_fields_give(serializer_class, lines):
    serializer = serializer_class()
    for line in lines:
        declared = serializers.Serializer.to_representation(serializer, line)
        assert serializer.to_representation(line) == declared


def test_every_api_shows_the_same_eligibility_the_shortlist_with_its_label():
    for eligibility in ELIGIBILITIES:
        common = MatchEligibilitySerializer(eligibility).data
        assert list(common) == ["status", "missing", "alternative_route", "to_check_at_selection"]
        labelled = ShortlistEligibilitySerializer(eligibility).data
        assert list(labelled) == ["status", "label", *list(common)[1:]]
        assert {key: labelled[key] for key in common} == common
        assert labelled["label"] and isinstance(labelled["label"], str)
