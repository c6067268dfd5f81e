"""The intake endpoints of API.md.

`GET /api/v1/intakes/`, `POST /api/v1/intakes/{id}/applications/`,
`GET /api/v1/me/intake-applications/`, `GET /api/v1/intakes/{id}/ranking/`,
`POST /api/v1/intakes/{id}/decisions/`, `GET /api/v1/intakes/{id}/fairness/`.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from college.core.audit import audit_record
from college.core.pagination import PagePagination
from college.intake.fairness import intake_fairness
from college.intake.questions import QUESTION_KEYS
from college.intake.ranking import AGREEMENT_GAP, intake_ranking
from college.intake.selectors import (
    get_intake,
    get_intake_for_staff,
    intake_steps,
    my_application_files,
    open_intakes,
)
from college.intake.services import intake_apply, intake_decide
from college.models import AuditEvent, IntakeApplication, IntakeDecision, User
from college.reference.api import LANG_PARAMETER


class IsCandidate(BasePermission):
    message = gettext_lazy("Applying to an intake is for job-seekers' accounts.")

    def has_permission(self, request, view):
        return request.user.is_authenticated and request.user.role == User.Role.CANDIDATE


class IsCollegeStaff(BasePermission):
    message = gettext_lazy("For college staff.")

    def has_permission(self, request, view):
        return request.user.is_authenticated and request.user.role == User.Role.STAFF


def _enum(name, values, description, *, nullable=False):
    # Inline enums: a shared component named "status" or "decision" would clash with other
    # endpoints' fields of the same name and other values.
    schema = {"allOf": [{"type": "string", "enum": list(values)}], "description": description}
    if nullable:
        schema["nullable"] = True
    return extend_schema_field(schema)(type(name, (serializers.CharField,), {}))


IntakeStepKindField = _enum(
    "IntakeStepKindField", ["test", "motivation", "interview"], "The kind of step."
)
IntakeFileStatusField = _enum(
    "IntakeFileStatusField",
    ["submitted", "in_review", "interview", "decided", "withdrawn"],
    "submitted (the intake is open), in_review (closed, no decision yet), interview, decided "
    "or withdrawn.",
)
IntakeDecisionField = _enum(
    "IntakeDecisionField",
    IntakeDecision.Decision.values,
    "The latest decision; null while there is none.",
    nullable=True,
)
DecisionChoice = _enum(
    "IntakeDecisionChoiceField", IntakeDecision.Decision.values, "The decision to record."
)
EligibilityField = _enum(
    "IntakeEligibilityField",
    ["eligible", "eligible_via_alternative", "not_yet"],
    "The legal and age conditions, apart from the score.",
)


def _bad_request(error):
    if hasattr(error, "message_dict"):
        body = error.message_dict
    else:
        body = {"non_field_errors": error.messages}
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


# GET /api/v1/intakes/ ---------------------------------------------------------------------------


class IntakeStepSerializer(serializers.Serializer):
    kind = IntakeStepKindField()
    title = serializers.CharField()
    text = serializers.CharField(help_text="The step in plain words.")


class IntakeProgrammeSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField(help_text="In the request's language.")


class IntakeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    programme = IntakeProgrammeSerializer()
    places = serializers.IntegerField()
    opens_on = serializers.DateField()
    closes_on = serializers.DateField()
    starts_on = serializers.DateField()
    languages = serializers.SerializerMethodField()
    min_age = serializers.IntegerField(allow_null=True)
    weights = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_languages(self, intake):
        return [language.code for language in intake.languages.all()]

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "aptitude": {"type": "integer"},
                "motivation": {"type": "integer"},
                "readiness": {"type": "integer"},
            },
            "description": "The weights of the score's components, the same for everyone.",
        }
    )
    def get_weights(self, intake):
        return {
            "aptitude": intake.aptitude_weight,
            "motivation": intake.motivation_weight,
            "readiness": intake.readiness_weight if intake.role_id else 0,
        }

    @extend_schema_field(IntakeStepSerializer(many=True))
    def get_steps(self, intake):
        return IntakeStepSerializer(intake_steps(intake), many=True).data


class IntakeListApi(generics.ListAPIView):
    """Paginated as every list of API.md: `{"count", "next", "previous", "results"}`."""

    permission_classes = [AllowAny]
    serializer_class = IntakeSerializer
    pagination_class = PagePagination
    filter_backends = []

    def get_queryset(self):
        return open_intakes()

    @extend_schema(
        parameters=[LANG_PARAMETER],
        summary="Open intakes",
        description=(
            "The intakes of oversubscribed programmes taking applications today, the one "
            "closing first first, with their selection steps in plain words; paginated."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


# POST /api/v1/intakes/{id}/applications/ ----------------------------------------------------


class IntakeNextStepSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="module, test, intake or start.")
    title = serializers.CharField()
    url = serializers.CharField(allow_blank=True)


class IntakeApplicationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="application.pk")
    intake = serializers.IntegerField(source="application.intake_id")
    programme = IntakeProgrammeSerializer(source="application.intake.programme")
    closes_on = serializers.DateField(source="application.intake.closes_on")
    created_at = serializers.DateTimeField(source="application.created_at")
    status = IntakeFileStatusField()
    decision = IntakeDecisionField(allow_null=True)
    outcome = serializers.CharField(help_text="The outcome in one sentence.")
    message = serializers.CharField(allow_blank=True, help_text="The college's message.")
    reasons = serializers.ListField(child=serializers.CharField())
    steps_done = serializers.ListField(child=serializers.CharField())
    steps_left = serializers.ListField(child=serializers.CharField())
    next_steps = IntakeNextStepSerializer(many=True)


class IntakeApplyApi(APIView):
    permission_classes = [IsAuthenticated, IsCandidate]

    class IntakeApplicationInputSerializer(serializers.Serializer):
        motivation = serializers.DictField(
            child=serializers.CharField(allow_blank=True, max_length=5000),
            help_text="The answers, keyed " + ", ".join(QUESTION_KEYS) + ".",
        )
        consent = serializers.BooleanField(
            help_text="The college may use my profile and test results for this selection."
        )

    @extend_schema(
        request=IntakeApplicationInputSerializer,
        parameters=[LANG_PARAMETER],
        responses={
            201: IntakeApplicationSerializer,
            200: OpenApiResponse(IntakeApplicationSerializer, description="Applied already."),
            400: OpenApiResponse(
                description="Field errors: a question's key, consent, or intake (not open)."
            ),
            401: OpenApiResponse(description="No credentials."),
            403: OpenApiResponse(description="Not a job-seeker."),
            404: OpenApiResponse(description="No such intake."),
        },
        summary="Apply to an intake",
        description=(
            "One application per person and intake: applying again returns the same "
            "application with 200, unchanged. Parallel requests make one application."
        ),
    )
    def post(self, request, pk):
        intake = get_intake(pk)
        existing = IntakeApplication.objects.filter(intake=intake, candidate=request.user).first()
        if existing is None:
            serializer = self.IntakeApplicationInputSerializer(data=request.data)
            if not serializer.is_valid():
                return Response(serializer.errors, status=status.HTTP_400_BAD_REQUEST)
            try:
                application, created = intake_apply(
                    intake=intake,
                    candidate=request.user,
                    motivation=serializer.validated_data["motivation"],
                    consent=serializer.validated_data["consent"],
                )
            except DjangoValidationError as error:
                return _bad_request(error)
        else:
            application, created = existing, False
        files = [
            item
            for item in my_application_files(request.user)
            if item.application.pk == application.pk
        ]
        return Response(
            IntakeApplicationSerializer(files[0]).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class MyIntakeApplicationListApi(generics.ListAPIView):
    """Paginated as every list of API.md: `{"count", "next", "previous", "results"}`."""

    permission_classes = [IsAuthenticated, IsCandidate]
    serializer_class = IntakeApplicationSerializer
    pagination_class = PagePagination
    filter_backends = []

    def get_queryset(self):
        return my_application_files(self.request.user)

    @extend_schema(
        parameters=[LANG_PARAMETER],
        responses={
            200: IntakeApplicationSerializer(many=True),
            401: OpenApiResponse(description="No credentials."),
            403: OpenApiResponse(description="Not a job-seeker."),
        },
        summary="My intake applications",
        description=(
            "My applications, the latest intake first: where each stands, the decision, the "
            "reasons in words and the next steps (for a person not admitted: a personal path, "
            "the tests to practise and the next intake); paginated."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


# Staff: ranking and decisions ---------------------------------------------------------------


class RankingComponentSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="aptitude, motivation or readiness.")
    weight = serializers.IntegerField()
    value = serializers.FloatField(source="display", help_text="0–100, one decimal.")
    detail = serializers.SerializerMethodField()

    @extend_schema_field(
        {
            "type": "object",
            "description": "aptitude: tests (title, weight, value or null, on_irt_scale); "
            "motivation: ratings and agreement (agree, differ or null); readiness: role.",
        }
    )
    def get_detail(self, component):
        detail = dict(component.detail)
        if "tests" in detail:
            detail["tests"] = [
                {
                    "title": test.title,
                    "weight": test.weight,
                    "value": None if test.value is None else round(float(test.value), 1),
                    "on_irt_scale": test.on_irt_scale,
                }
                for test in detail["tests"]
            ]
        if "ratings" in detail:
            detail["ratings"] = list(detail["ratings"])
            detail["agreement_gap"] = AGREEMENT_GAP
        return detail


class RankingEligibilitySerializer(serializers.Serializer):
    status = EligibilityField(source="eligibility")
    missing = serializers.ListField(child=serializers.CharField(), source="eligibility_missing")


class RankingRowSerializer(serializers.Serializer):
    candidate_ref = serializers.CharField(source="ref")
    rank = serializers.IntegerField()
    score = serializers.FloatField(source="score_display", help_text="0–100, one decimal.")
    status = serializers.CharField(help_text="submitted or the latest decision.")
    components = RankingComponentSerializer(many=True)
    eligibility = serializers.SerializerMethodField()
    reasons = serializers.ListField(child=serializers.CharField())

    @extend_schema_field(RankingEligibilitySerializer)
    def get_eligibility(self, row):
        return RankingEligibilitySerializer(row).data


class IntakeRankingApi(generics.ListAPIView):
    """Paginated as every list of API.md: `{"count", "next", "previous", "results"}`."""

    permission_classes = [IsAuthenticated, IsCollegeStaff]
    serializer_class = RankingRowSerializer
    pagination_class = PagePagination
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return []
        intake = get_intake_for_staff(self.request.user, self.kwargs["pk"])
        rows = intake_ranking(intake)
        audit_record(
            actor=self.request.user,
            action=AuditEvent.Action.INTAKE_RANKING_VIEWED,
            object_type="intake",
            object_id=intake.pk,
            request=self.request,
        )
        return rows

    @extend_schema(
        parameters=[LANG_PARAMETER],
        responses={
            200: RankingRowSerializer(many=True),
            401: OpenApiResponse(description="No credentials."),
            403: OpenApiResponse(description="Not college staff."),
            404: OpenApiResponse(description="No such intake."),
        },
        summary="An intake's blind ranking",
        description=(
            "Every applicant as a blind reference, best first: score, its components with "
            "the intake's weights, eligibility apart from the score, and the reasons in "
            "words; paginated. Ties: higher aptitude, then higher motivation, then by lot. "
            "Each read is logged."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class IntakeDecisionApi(APIView):
    permission_classes = [IsAuthenticated, IsCollegeStaff]

    class IntakeDecisionInputSerializer(serializers.Serializer):
        candidate_ref = serializers.CharField(max_length=20)
        decision = serializers.ChoiceField(choices=IntakeDecision.Decision.values)
        message = serializers.CharField(allow_blank=True, required=False, max_length=2000)

    class IntakeDecisionOutputSerializer(serializers.Serializer):
        candidate_ref = serializers.CharField(source="ref")
        status = DecisionChoice()
        decided_at = serializers.DateTimeField()

    @extend_schema(
        request=IntakeDecisionInputSerializer,
        responses={
            200: IntakeDecisionOutputSerializer,
            400: OpenApiResponse(
                description="Field errors: unknown candidate_ref, intake still open, every "
                "place taken, no interview step."
            ),
            401: OpenApiResponse(description="No credentials."),
            403: OpenApiResponse(description="Not college staff."),
            404: OpenApiResponse(description="No such intake."),
        },
        summary="Decide on an applicant",
        description=(
            "Admit, wait-list, invite to an interview or decline, with a message to the "
            "person (e-mailed). Logged with its author. A place given up goes to the first "
            "on the waiting list in rank order until the programme starts."
        ),
    )
    def post(self, request, pk):
        intake = get_intake_for_staff(request.user, pk)
        serializer = self.IntakeDecisionInputSerializer(data=request.data)
        if not serializer.is_valid():
            return Response(serializer.errors, status=status.HTTP_400_BAD_REQUEST)
        data = serializer.validated_data
        try:
            application = intake_decide(
                intake=intake,
                ref=data["candidate_ref"],
                decision=data["decision"],
                message=data.get("message", ""),
                author=request.user,
                request=request,
            )
        except DjangoValidationError as error:
            return _bad_request(error)
        return Response(self.IntakeDecisionOutputSerializer(application).data)


# Staff: fairness ----------------------------------------------------------------------------


class FairnessGroupSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    suppressed = serializers.BooleanField(help_text="Fewer than 10 people: no figure at all.")
    applicants = serializers.IntegerField(allow_null=True)
    admitted = serializers.IntegerField(allow_null=True)
    rate = serializers.FloatField(allow_null=True, source="rate_value")
    ratio = serializers.FloatField(
        allow_null=True,
        source="ratio_value",
        help_text="The rate divided by the highest rate shown (rounded down, 2 decimals).",
    )
    is_reference = serializers.BooleanField()
    below_four_fifths = serializers.BooleanField(source="flagged")


class FairnessDimensionSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    groups = FairnessGroupSerializer(many=True, source="rows")


class FairnessSerializer(serializers.Serializer):
    intake = serializers.IntegerField(source="intake_id")
    min_group_size = serializers.IntegerField()
    dimensions = FairnessDimensionSerializer(many=True, source="tables")
    programme = FairnessDimensionSerializer(
        many=True,
        source="programme_tables",
        help_text="The same over every intake of the programme.",
    )


class IntakeFairnessApi(APIView):
    permission_classes = [IsAuthenticated, IsCollegeStaff]

    @extend_schema(
        parameters=[LANG_PARAMETER],
        responses={
            200: FairnessSerializer,
            401: OpenApiResponse(description="No credentials."),
            403: OpenApiResponse(description="Not college staff."),
            404: OpenApiResponse(description="No such intake."),
        },
        summary="An intake's admission rates by group",
        description=(
            "Admission rates by sex, age band, commune group, diploma level, nationality "
            "group and language, each with its ratio to the highest rate (the four-fifths "
            "rule: under 0.8 is flagged), for the intake and for every intake of its "
            "programme. Groups of fewer than 10 applicants are suppressed."
        ),
    )
    def get(self, request, pk):
        intake = get_intake_for_staff(request.user, pk)
        return Response(FairnessSerializer(intake_fairness(intake)).data)
