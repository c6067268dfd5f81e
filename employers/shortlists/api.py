"""`GET /api/v1/vacancies/{id}/shortlist/`: a vacancy's blind, ranked and explained shortlist.

For members of the vacancy's organisation only. Anyone else signed in gets a 404 (another
organisation's vacancy, and candidates, counsellors or staff, for whom no vacancy has a
shortlist); without credentials, a 401. A candidate is named by a pseudonymous
`candidate_ref` until the organisation invites them (on the shortlist page); from then on
`revealed` holds their name and contact details.
"""

from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers

from college.matching import ELIGIBLE, ELIGIBLE_VIA_ALTERNATIVE, NOT_YET
from college.reference.api import LANG_PARAMETER
from employers.access import get_vacancy_for_member
from employers.models import Vacancy
from employers.shortlists.selectors import ShortlistSequence


def _enum_field(name, values, description):
    """A ChoiceField whose enum stays inline (no shared component named after the field)."""
    schema = {"allOf": [{"type": "string", "enum": list(values)}], "description": description}
    return extend_schema_field(schema)(type(name, (serializers.CharField,), {}))


ShortlistEligibilityStatusField = _enum_field(
    "ShortlistEligibilityStatusField",
    [ELIGIBLE, ELIGIBLE_VIA_ALTERNATIVE, NOT_YET],
    "eligible; eligible_via_alternative (a legal route replaces the diploma the law asks); "
    "not_yet (a legal condition is missing or to confirm, listed in `missing`).",
)
ShortlistImportanceField = _enum_field(
    "ShortlistImportanceField",
    ["essential", "important", "nice_to_have"],
    "How much the vacancy needs the skill.",
)
ShortlistEvidenceField = _enum_field(
    "ShortlistEvidenceField",
    ["self_declared", "counsellor_validated", "test_verified", "training_certified"],
    "How the candidate's level is known, weakest first; null when the skill is not held.",
)


class ShortlistEligibilitySerializer(serializers.Serializer):
    status = ShortlistEligibilityStatusField()
    label = serializers.CharField(source="*", help_text="The status, in the request's language.")
    missing = serializers.ListField(
        child=serializers.CharField(),
        help_text=(
            "Legal conditions missing or to confirm, as sentences. Before the invitation, "
            "never age or nationality: those are checked at the invitation, for everyone."
        ),
    )
    alternative_route = serializers.CharField(
        help_text="The legal route replacing a diploma, when it is used; else empty."
    )
    to_check_at_selection = serializers.ListField(
        child=serializers.CharField(),
        help_text=(
            "Conditions checked later, the same words for every candidate: a clean record "
            "(the employer checks it) and, before the invitation, age and nationality."
        ),
    )

    def to_representation(self, instance):
        from employers.shortlists.selectors import ELIGIBILITY_LABELS

        return {
            "status": instance.status,
            "label": str(ELIGIBILITY_LABELS[instance.status]),
            "missing": [str(item) for item in instance.missing],
            "alternative_route": instance.alternative_route,
            "to_check_at_selection": [str(item) for item in instance.to_check_at_selection],
        }


class ShortlistSkillSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="skill_id")
    label = serializers.CharField(help_text="In the request's language.")
    esco_uri = serializers.CharField()


class ShortlistSkillLineSerializer(serializers.Serializer):
    skill = ShortlistSkillSerializer(source="*")
    importance = ShortlistImportanceField()
    required_level = serializers.IntegerField(help_text="The level the vacancy asks, 1 to 4.")
    held_level = serializers.IntegerField(
        allow_null=True, help_text="The candidate's level, 1 to 4; null when not held."
    )
    evidence = ShortlistEvidenceField(allow_null=True)

    def to_representation(self, line):
        # What the declared fields give, built directly: a page of 50 rows has some 800 lines,
        # and DRF's field-by-field walk was a third of the response's time. A test holds the
        # two equal.
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


class ShortlistLanguageLineSerializer(serializers.Serializer):
    language = serializers.CharField(source="code", help_text="ISO 639-1 code.")
    name = serializers.CharField()
    min_cefr = serializers.CharField(help_text="The CEFR level asked, A1 to C2.")
    held_cefr = serializers.CharField(
        allow_null=True, help_text="The candidate's CEFR level; null when not declared."
    )
    certificate = serializers.CharField(
        help_text="The Brussels language certificate accepted instead, or empty."
    )
    via_certificate = serializers.BooleanField(help_text="Met by that certificate.")
    is_alternative = serializers.BooleanField(
        help_text="Languages marked so form one group: one of them is enough."
    )
    met = serializers.BooleanField()

    def to_representation(self, line):
        # As for the skill lines: what the declared fields give, built directly.
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


class ShortlistRevealedSerializer(serializers.Serializer):
    full_name = serializers.CharField()
    email = serializers.EmailField()
    phone = serializers.CharField(help_text="Empty when the candidate gave none.")


class ShortlistRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField(help_text="1 for the best score.")
    candidate_ref = serializers.CharField(
        help_text=(
            "A pseudonym: stable for this vacancy, different for every vacancy, revealing "
            "nothing about the person."
        )
    )
    score = serializers.IntegerField(min_value=0, max_value=100, help_text="0 to 100.")
    eligibility = ShortlistEligibilitySerializer(
        help_text="Legal conditions, kept apart from the score: they never change it."
    )
    matched = ShortlistSkillLineSerializer(
        many=True, help_text="Skills held at the level asked, with evidence above self-declared."
    )
    partial = ShortlistSkillLineSerializer(
        many=True, help_text="Skills held, but the level is short or only self-declared."
    )
    missing = ShortlistSkillLineSerializer(many=True, help_text="Skills asked and not held.")
    languages_met = ShortlistLanguageLineSerializer(many=True)
    languages_short = ShortlistLanguageLineSerializer(many=True)
    applied = serializers.BooleanField(
        help_text="The candidate applied to this vacancy (and has not withdrawn)."
    )
    application_url = serializers.SerializerMethodField(
        help_text="The application in the organisation's pipeline, when the candidate applied."
    )
    invited = serializers.BooleanField()
    invited_at = serializers.DateTimeField(source="invitation.invited_at", allow_null=True)
    revealed = ShortlistRevealedSerializer(
        allow_null=True,
        help_text="Name and contact details, once the organisation invited the candidate; "
        "null while the shortlist is blind.",
    )

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_application_url(self, row):
        if row.application is None:
            return None
        url = reverse("employers:application_detail", args=[row.application.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


@extend_schema(
    parameters=[LANG_PARAMETER],
    summary="A vacancy's blind shortlist",
    description=(
        "Job-seekers who opted in to blind shortlists or applied to the vacancy, best score "
        "first, with their eligibility (kept apart from the score) and the explanation of "
        "the score. Blind: a candidate is a `candidate_ref` only, with no name, e-mail, phone, "
        "photo, age, address or nationality, until the organisation invites them (legal "
        "conditions of age and nationality are checked only then); `revealed` "
        "then holds their name and contact details. The ranking helps the recruiter decide; "
        "it never rejects anyone by itself. For members of the vacancy's organisation; a 404 "
        "for anyone else."
    ),
    responses={
        200: ShortlistRowSerializer(many=True),
        401: OpenApiResponse(description="No credentials."),
        404: OpenApiResponse(description="Not a vacancy of the caller's organisation."),
    },
)
class VacancyShortlistApi(generics.ListAPIView):
    serializer_class = ShortlistRowSerializer
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return Vacancy.objects.none()
        vacancy = get_vacancy_for_member(self.request.user, self.kwargs["pk"])
        return ShortlistSequence(vacancy)
