"""`GET /api/v1/me/matches/`: published vacancies ranked for the signed-in job-seeker.

Each row explains its score (matched, partial and missing skills, languages), states the
eligibility apart from it (never a reason to leave a vacancy out) and lists the next steps
that close the gaps, with what each one adds to the score.
"""

from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers

from candidates.access import get_own_profile
from candidates.matches.selectors import target_role_vacancy_ids, vacancy_matches
from college import matching
from college.core.pagination import PagePagination
from college.matching.serializers import (
    MatchEligibilitySerializer,
    MatchLanguageLineSerializer,
    MatchSkillLineSerializer,
    SkillStateField,
    StepKindField,
)
from college.models import RequirementStage
from college.reference.api import LANG_PARAMETER
from employers.api import VacancyCommuneSerializer, VacancyEmployerSerializer

STEP_PAGES = {"test": "assessments:battery_detail", "module": "module_detail"}


class MatchRowVacancySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField(help_text="In the request's language.")
    employer = VacancyEmployerSerializer()
    commune = VacancyCommuneSerializer()
    closes_on = serializers.DateField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(
        {"type": "string", "format": "uri", "description": "The vacancy's public page."}
    )
    def get_url(self, vacancy):
        path = reverse("employers:vacancy_detail", args=[vacancy.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class MatchRowSkillSerializer(MatchSkillLineSerializer):
    state = SkillStateField()
    stage = serializers.SerializerMethodField()

    @extend_schema_field(
        serializers.ChoiceField(
            choices=RequirementStage.choices,
            help_text="Always entry here: required of applicants, counted in score and gaps.",
        )
    )
    def get_stage(self, line):
        return _line_stage(line)

    def to_representation(self, line):
        data = super().to_representation(line)
        # The keys in the order this API always gave them.
        return {
            "skill": data.pop("skill"),
            "state": str(line.state),
            **data,
            "stage": self.get_stage(line),
        }


def _line_stage(line):
    return RequirementStage.TRAINING if line.state == matching.TAUGHT else RequirementStage.ENTRY


class MatchRowTrainingSkillSerializer(MatchSkillLineSerializer):
    """A skill the employer's own school teaches after hiring: shown, never scored or missing."""

    stage = serializers.SerializerMethodField()

    @extend_schema_field(
        serializers.ChoiceField(
            choices=RequirementStage.choices,
            help_text="Always training here: learned after hiring, never missing.",
        )
    )
    def get_stage(self, line):
        return _line_stage(line)

    def to_representation(self, line):
        return {**super().to_representation(line), "stage": self.get_stage(line)}


class MatchRowNextStepSerializer(serializers.Serializer):
    kind = StepKindField()
    id = serializers.IntegerField(source="object_id")
    slug = serializers.CharField(help_text="The practice test's or the module's slug.")
    title = serializers.CharField()
    url = serializers.SerializerMethodField()
    skills = serializers.SerializerMethodField()
    languages = serializers.ListField(
        source="language_ids",
        child=serializers.IntegerField(),
        help_text="Ids of the languages short of the level asked that it addresses.",
    )
    hours = serializers.IntegerField(help_text="A module's hours (0 for a practice test).")
    gain = serializers.IntegerField(help_text="Points it adds to the score (0 when none).")
    score_after = serializers.IntegerField(help_text="The score once it is done (what-if).")

    @extend_schema_field({"type": "string", "format": "uri", "description": "Where to do it."})
    def get_url(self, entry):
        # The API names a step by its English slug, as it always has; the pages write the
        # reader's language and answer to both.
        path = entry.url
        if entry.slug and entry.kind in STEP_PAGES:
            path = reverse(STEP_PAGES[entry.kind], args=[entry.slug])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    @extend_schema_field(
        {
            "type": "array",
            "description": "The partial or missing skills it addresses.",
            "items": {
                "type": "object",
                "properties": {"id": {"type": "integer"}, "label": {"type": "string"}},
                "required": ["id", "label"],
            },
        }
    )
    def get_skills(self, entry):
        labels = self.context["skill_labels"]
        return [{"id": skill_id, "label": labels.get(skill_id, "")} for skill_id in entry.skill_ids]


class MatchRowSerializer(serializers.Serializer):
    vacancy = MatchRowVacancySerializer()
    score = serializers.IntegerField(source="match.score", help_text="0–100: how well I fit.")
    eligibility = MatchEligibilitySerializer(source="match.eligibility")
    matched = MatchRowSkillSerializer(source="match.matched", many=True)
    partial = MatchRowSkillSerializer(source="match.partial", many=True)
    missing = MatchRowSkillSerializer(source="match.missing", many=True)
    learned_in_training = MatchRowTrainingSkillSerializer(
        source="match.taught",
        many=True,
        help_text="Skills the employer's own school teaches after hiring: never missing, "
        "never lowering the score.",
    )
    languages = MatchLanguageLineSerializer(source="match.languages", many=True)
    next_steps = serializers.SerializerMethodField()
    has_applied = serializers.BooleanField()
    fit_band = serializers.CharField(
        source="fit.key",
        help_text="The score's band, the same on every page: ready (80+), close (60–79), "
        "good_start (40–59) or far (under 40).",
    )
    fit_words = serializers.CharField(source="fit.words", help_text="The band in words.")
    is_target_role = serializers.BooleanField(
        help_text="The vacancy is for one of my target roles (the pages list those first)."
    )

    @extend_schema_field(MatchRowNextStepSerializer(many=True))
    def get_next_steps(self, row):
        context = {
            **self.context,
            "skill_labels": {line.skill_id: line.label for line in row.match.skills},
        }
        return MatchRowNextStepSerializer(row.steps, many=True, context=context).data


class MatchListApi(generics.ListAPIView):
    serializer_class = MatchRowSerializer
    pagination_class = PagePagination
    filter_backends = []

    @extend_schema(
        parameters=[LANG_PARAMETER],
        responses={
            200: MatchRowSerializer,
            401: OpenApiResponse(description="No credentials."),
            403: OpenApiResponse(description="Not a job-seeker."),
            404: OpenApiResponse(description="No such page."),
        },
        summary="Vacancies ranked for me",
        description=(
            "Every published, open vacancy, best fit first (ties by vacancy id), with its "
            "score, the skills matched, partial and missing (each with its stage, entry), the "
            "skills learned in training after hiring (stage training; never missing, never "
            "lowering the score), the languages, the eligibility "
            "(legal conditions, kept apart from the score: a vacancy is never left out for "
            "them) and the next steps — practice tests, later college modules — that close "
            "the gaps, best gain first. `is_target_role` marks the vacancies of my target "
            "roles, which the matches page lists first; `fit_band` and `fit_words` say the "
            "score in words, on the one scale every page uses."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        profile = get_own_profile(request.user)
        # Ranked in one statement; only the page's vacancies are then explained.
        page = self.paginate_queryset(matching.matches_for(profile=profile))
        ids = [pk for pk, _score in page]
        targeted = target_role_vacancy_ids(profile, ids)
        rows = vacancy_matches(profile=profile, vacancy_ids=ids, target_vacancy_ids=targeted)
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)
