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

from college.matching.serializers import (
    MatchEligibilitySerializer,
    MatchLanguageLineSerializer,
    MatchSkillLineSerializer,
)
from college.reference.api import LANG_PARAMETER
from employers.access import get_vacancy_for_member
from employers.models import Vacancy
from employers.shortlists.selectors import ELIGIBILITY_LABELS, ShortlistSequence


class EligibilityLabelField(serializers.CharField):
    """The eligibility's status in words, in the request's language."""

    def __init__(self, **kwargs):
        super().__init__(source="status", **kwargs)

    def to_representation(self, status):
        return str(ELIGIBILITY_LABELS[status])


class ShortlistEligibilitySerializer(MatchEligibilitySerializer):
    label = EligibilityLabelField(help_text="The status, in the request's language.")

    def to_representation(self, eligibility):
        data = super().to_representation(eligibility)
        return {"status": data.pop("status"), "label": data.pop("label"), **data}


# The shortlist shows the engine's lines as they are.
ShortlistSkillLineSerializer = MatchSkillLineSerializer
ShortlistLanguageLineSerializer = MatchLanguageLineSerializer


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
        help_text=(
            "Legal conditions, kept apart from the score: they never change it. Before the "
            "invitation, age and nationality are never in `missing`: they are checked at the "
            "invitation, for everyone, and `to_check_at_selection` says so in the same words "
            "for every candidate."
        )
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
