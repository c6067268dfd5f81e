"""The JSON shape of the engine's output, one for every API that shows a match.

The job-seeker's matches (``/api/v1/me/matches/``), an organisation's blind shortlist
(``/api/v1/vacancies/{id}/shortlist/``) and a training path (``/api/v1/me/path/``) show the same
eligibility (:class:`~college.matching.score.Eligibility`), skill lines
(:class:`~college.matching.explain.SkillLine`) and language lines
(:class:`~college.matching.explain.LanguageLine`); each API adds only what is its own.

The line serializers build their representation directly: a shortlist page of 50 rows has some
800 lines, and DRF's field-by-field walk was a third of the response's time. What they build is
what their declared fields (the schema) give; a test holds the two equal.
"""

from rest_framework import serializers

from college.core.api_fields import inline_enum_field
from college.matching.explain import MATCHED, MISSING, PARTIAL
from college.matching.score import ELIGIBLE, ELIGIBLE_VIA_ALTERNATIVE, NOT_YET
from college.models import CEFR, Evidence, Importance

EligibilityStatusField = inline_enum_field(
    "EligibilityStatusField",
    [ELIGIBLE, ELIGIBLE_VIA_ALTERNATIVE, NOT_YET],
    "eligible; eligible_via_alternative (a diploma the law requires is replaced by the legal "
    "alternative route); not_yet (a legal condition is missing or to confirm, listed in "
    "`missing`).",
)
SkillStateField = inline_enum_field(
    "SkillStateField",
    [MATCHED, PARTIAL, MISSING],
    "matched (level reached, evidence above self-declared), partial (level short or only "
    "self-declared) or missing (not held).",
)
ImportanceField = inline_enum_field(
    "MatchImportanceField", Importance.values, "How much the skill counts."
)
HeldEvidenceField = inline_enum_field(
    "HeldEvidenceField",
    Evidence.values,
    "How the level held is known, weakest first; null when the skill is not held.",
    nullable=True,
)
CefrField = inline_enum_field("CefrField", CEFR.values, "The CEFR level asked.")
HeldCefrField = inline_enum_field(
    "HeldCefrField", CEFR.values, "The level held; null when not held.", nullable=True
)
StepKindField = inline_enum_field(
    "StepKindField", ["test", "module"], "test: a practice test; module: a college module."
)


class MatchEligibilitySerializer(serializers.Serializer):
    """The legal conditions, kept apart from the score: they never change it."""

    status = EligibilityStatusField()
    missing = serializers.ListField(
        child=serializers.CharField(), help_text="What is missing or to confirm, in words."
    )
    alternative_route = serializers.CharField(
        help_text="The legal route replacing a required diploma, when it applies; else empty."
    )
    to_check_at_selection = serializers.ListField(
        child=serializers.CharField(),
        help_text="Conditions the employer checks at selection (a clean criminal record).",
    )


class MatchSkillSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="skill_id")
    label = serializers.CharField(help_text="In the request's language.")
    esco_uri = serializers.CharField()


class MatchSkillLineSerializer(serializers.Serializer):
    """A skill requirement against what the person holds."""

    skill = MatchSkillSerializer(source="*")
    importance = ImportanceField()
    required_level = serializers.IntegerField(help_text="The level asked, 1 (basic) to 4 (expert).")
    held_level = serializers.IntegerField(
        allow_null=True, help_text="The level held, 1 to 4; null when not held."
    )
    evidence = HeldEvidenceField(allow_null=True)

    def to_representation(self, line):
        return {
            "skill": {
                "id": int(line.skill_id),
                "label": str(line.label),
                "esco_uri": str(line.esco_uri),
            },
            "importance": str(line.importance),
            "required_level": int(line.required_level),
            "held_level": None if line.held_level is None else int(line.held_level),
            "evidence": None if line.evidence is None else str(line.evidence),
        }


class MatchLanguageLineSerializer(serializers.Serializer):
    """A language requirement against what the person holds."""

    language = serializers.CharField(source="code", help_text="ISO 639-1 code.")
    name = serializers.CharField()
    min_cefr = CefrField()
    held_cefr = HeldCefrField(allow_null=True)
    certificate = serializers.CharField(
        help_text="A Brussels language certificate accepted instead, or empty."
    )
    via_certificate = serializers.BooleanField(help_text="Met by that certificate, held.")
    is_alternative = serializers.BooleanField(
        help_text="Languages marked so form one group: one of them is enough."
    )
    met = serializers.BooleanField()

    def to_representation(self, line):
        return {
            "language": str(line.code),
            "name": str(line.name),
            "min_cefr": str(line.min_cefr),
            "held_cefr": None if line.held_cefr is None else str(line.held_cefr),
            "certificate": str(line.certificate),
            "via_certificate": bool(line.via_certificate),
            "is_alternative": bool(line.is_alternative),
            "met": bool(line.met),
        }
