"""`GET /api/v1/vacancies/{id}/shortlist/`: a vacancy's blind, ranked and explained shortlist;
`GET /api/v1/vacancies/{id}/pool/`: its pool insight, every count suppressed under 10.

For members of the vacancy's organisation only. Anyone else signed in gets a 404 (another
organisation's vacancy, and candidates, counsellors or staff, for whom no vacancy has a
shortlist); without credentials, a 401. A candidate is named by a pseudonymous
`candidate_ref` until the organisation invites them (on the shortlist page); from then on
`revealed` holds their name and contact details.
"""

import json
import secrets

from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from college.core import suppression
from college.matching.serializers import (
    MatchEligibilitySerializer,
    MatchLanguageLineSerializer,
    MatchSkillLineSerializer,
)
from college.reference.api import LANG_PARAMETER
from employers.access import get_vacancy_for_member
from employers.models import Vacancy
from employers.shortlists.pool import insight_data, pool_insight
from employers.shortlists.selectors import (
    ELIGIBILITY_LABELS,
    ShortlistRanks,
    shortlist_kept,
    shortlist_rows,
    shortlist_vacancy_for,
    shortlist_window,
)

KEPT_FORMAT = 2  # moves on when what is kept changes shape


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


class KeptRows:
    """A page's rows as the JSON renderer wrote them (bytes), kept as they are: a kept read
    neither loads nor writes them again (see KeptRowsJSONRenderer)."""

    def __init__(self, text):
        self.text = text


class KeptRowsJSONRenderer(JSONRenderer):
    """DRF's JSON renderer; kept rows (`results`) go into the page as they were written. The
    rows alone and within the page are the same bytes: compact JSON, no indent (an indented
    page has its rows loaded and written again)."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        rows = data.get("results") if isinstance(data, dict) else None
        if not isinstance(rows, KeptRows):
            return super().render(data, accepted_media_type, renderer_context)
        if self.get_indent(accepted_media_type, renderer_context or {}) is not None:
            data = {**data, "results": json.loads(rows.text)}
            return super().render(data, accepted_media_type, renderer_context)
        marker = f"kept-rows-{secrets.token_hex(16)}"
        page = super().render({**data, "results": marker}, accepted_media_type, renderer_context)
        before, after = page.split(json.dumps(marker).encode())
        return before + rows.text + after


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
    renderer_classes = [KeptRowsJSONRenderer, BrowsableAPIRenderer]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return Vacancy.objects.none()
        self.vacancy, _is_published = shortlist_vacancy_for(self.request.user, self.kwargs["pk"])
        return ShortlistRanks(self.vacancy)

    def list(self, request, *args, **kwargs):
        # The paginator pages the ranks; only the page's rows are read, explained, serialized and
        # written as JSON, once for every member of the organisation, then kept
        # (selectors.shortlist_kept) until anything they show changes. Absolute links: the scheme
        # and host are in the key.
        ranks = self.paginate_queryset(self.get_queryset())
        vacancy = self.vacancy
        window = shortlist_window(vacancy, limit=len(ranks), offset=ranks[0] if ranks else 0)
        text = shortlist_kept(
            window,
            "api",
            lambda window: KeptRowsJSONRenderer().render(
                self.get_serializer(shortlist_rows(vacancy, window=window), many=True).data
            ),
            extra=(KEPT_FORMAT, request.build_absolute_uri("/"), len(ranks)),
        )
        if isinstance(request.accepted_renderer, KeptRowsJSONRenderer):
            return self.get_paginated_response(KeptRows(text))
        return self.get_paginated_response(json.loads(text))


# The pool insight ------------------------------------------------------------------------------

COUNT_SCHEMA = {
    "oneOf": [
        {"type": "integer", "minimum": suppression.THRESHOLD, "multipleOf": suppression.THRESHOLD},
        {"type": "string", "enum": [suppression.FEWER]},
    ],
    "description": 'A count rounded down to a multiple of 10, or "<10" under 10.',
}


@extend_schema_field(COUNT_SCHEMA)
class SuppressedCountField(serializers.Field):
    """A count already suppressed (`college.core.suppression.shown`): an integer or "<10".
    Output only."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value


class PoolBandSerializer(serializers.Serializer):
    band = serializers.CharField(help_text="ready, close, good_start or far.")
    label = serializers.CharField(help_text="The band's words, in the request's language.")
    floor = serializers.IntegerField(help_text="The lowest score of the band.")
    count = SuppressedCountField(help_text="Considered job-seekers scoring in this band.")


class PoolWhatIfSerializer(serializers.Serializer):
    change = serializers.CharField(help_text="What would be asked instead, in words.")
    more = SuppressedCountField(help_text="How many more job-seekers would be reached.")
    following = SuppressedCountField(
        help_text="Of those, how many follow a college course teaching it now."
    )


class PoolRequirementSerializer(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.ChoiceField(
        choices=["skill", "language", "availability", "commune", "legal"]
    )
    label = serializers.CharField()
    asked = serializers.CharField(help_text="What the vacancy asks, in words.")
    is_legal = serializers.BooleanField(help_text="A legal condition: never suggested.")
    met = SuppressedCountField(help_text="Considered job-seekers meeting it.")
    if_relaxed = PoolWhatIfSerializer(
        allow_null=True, help_text="Relaxed by one step; null when no step is left."
    )
    if_training = PoolWhatIfSerializer(
        allow_null=True, help_text='A skill made "learned in training"; null otherwise.'
    )


class PoolSuggestionSerializer(serializers.Serializer):
    requirement = serializers.CharField(help_text="The key of the requirement to change.")
    change = serializers.ChoiceField(choices=["relaxed", "training"])
    more = SuppressedCountField()
    following = SuppressedCountField()
    text = serializers.CharField(help_text="The suggestion in plain words.")


class PoolTrainingSerializer(serializers.Serializer):
    module = serializers.CharField()
    url = serializers.CharField()
    cohort = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    places = serializers.IntegerField()
    requirements = serializers.ListField(child=serializers.CharField())
    teaches = serializers.CharField()


class PoolInsightSerializer(serializers.Serializer):
    threshold = serializers.IntegerField(help_text='Counts under it are given as "<10".')
    considered = SuppressedCountField(
        help_text="Job-seekers the engine considers (consenting, or applied)."
    )
    eligible = SuppressedCountField(help_text="Of those, meeting every legal condition.")
    reached = SuppressedCountField(help_text='Eligible and "Close" or better (score ≥ 60).')
    bands = PoolBandSerializer(many=True)
    requirements = PoolRequirementSerializer(many=True)
    suggestions = PoolSuggestionSerializer(many=True)
    training = PoolTrainingSerializer(
        many=True, help_text="College cohorts teaching a requirement, ending by the closing date."
    )
    closes_on = serializers.DateField()


@extend_schema(
    parameters=[LANG_PARAMETER],
    summary="A vacancy's pool insight",
    description=(
        "How many consenting job-seekers the engine considers for the vacancy, how many are "
        "eligible, how many reach each score band; per requirement how many meet it and how "
        "many more would be reached if it were relaxed by one step or learned in training; the "
        "changes that would widen the pool most (never a legal condition) and the college's "
        "cohorts that end by the closing date. Every count is rounded down to a multiple of "
        '10, and under 10 given as "<10". For members of the vacancy\'s organisation, draft '
        "or published; a 404 for anyone else."
    ),
    responses={
        200: PoolInsightSerializer,
        401: OpenApiResponse(description="No credentials."),
        404: OpenApiResponse(description="Not a vacancy of the caller's organisation."),
    },
)
class VacancyPoolApi(APIView):
    def get(self, request, pk):
        vacancy = get_vacancy_for_member(request.user, pk)
        data = insight_data(pool_insight(vacancy=vacancy))
        return Response(PoolInsightSerializer(data).data)
