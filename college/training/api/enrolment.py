"""A job-seeker's enrolments: list them, enrol in a cohort, cancel.

`GET /api/v1/me/enrolments/`, `POST /api/v1/cohorts/{code}/enrol/`,
`POST /api/v1/enrolments/{id}/cancel/`.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from college.core.pagination import PagePagination
from college.models import Enrolment, User
from college.reference.api import LANG_PARAMETER
from college.training.enrolment import (
    cohort_enrol,
    enrolment_cancel,
    enrolments_visible_to,
    get_cohort,
    get_enrolment_for,
    waitlist_position,
    with_waitlist_position,
)


class IsCandidate(BasePermission):
    message = gettext_lazy("Enrolment is for job-seekers' accounts.")

    def has_permission(self, request, view):
        return request.user.is_authenticated and request.user.role == User.Role.CANDIDATE


CANDIDATES = [IsAuthenticated, IsCandidate]


def _enum_field(name, values, description, *, nullable=False):
    # Inline enums: a component named after the field ("status", "result") would clash with
    # other endpoints' fields of the same name and other values.
    schema = {"allOf": [{"type": "string", "enum": list(values)}], "description": description}
    if nullable:
        schema["nullable"] = True
    return extend_schema_field(schema)(type(name, (serializers.CharField,), {}))


EnrolmentStatusField = _enum_field(
    "EnrolmentStatusField",
    Enrolment.Status.values,
    "enrolled (holds a place), waitlisted (on the waiting list) or cancelled.",
)
EnrolmentResultField = _enum_field(
    "EnrolmentResultField",
    [Enrolment.Result.PASSED, Enrolment.Result.FAILED],
    "passed or failed; null while no result is recorded.",
    nullable=True,
)


class EnrolmentModuleSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField(help_text="In the request's language.")
    hours = serializers.IntegerField()


class EnrolmentCohortSerializer(serializers.Serializer):
    code = serializers.CharField()
    module = EnrolmentModuleSerializer()
    language = serializers.CharField(source="language.code", help_text="ISO 639-1 code.")
    place = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    enrolment_closes_on = serializers.DateField()
    is_cancelled = serializers.BooleanField()


class EnrolmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    cohort = EnrolmentCohortSerializer()
    status = EnrolmentStatusField()
    waitlist_position = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    enrolled_at = serializers.DateTimeField(allow_null=True)
    cancelled_at = serializers.DateTimeField(allow_null=True)
    result = serializers.SerializerMethodField()
    score = serializers.IntegerField(allow_null=True, help_text="0–100 %, with a result.")
    certificate = serializers.SerializerMethodField()

    @extend_schema_field(
        {
            "type": "integer",
            "nullable": True,
            "description": "1 = the next to get a place; null unless waitlisted.",
        }
    )
    def get_waitlist_position(self, enrolment):
        return waitlist_position(enrolment)

    @extend_schema_field(EnrolmentResultField(allow_null=True))
    def get_result(self, enrolment):
        return enrolment.result or None

    @extend_schema_field(
        {
            "type": "string",
            "nullable": True,
            "description": "The certificate's verification code once a pass issued it.",
        }
    )
    def get_certificate(self, enrolment):
        try:
            return enrolment.certificate.code
        except Enrolment.certificate.RelatedObjectDoesNotExist:
            return None


def _with_details(enrolments):
    return enrolments.select_related("cohort__module", "cohort__language", "certificate")


def _reloaded(enrolment):
    return with_waitlist_position(_with_details(Enrolment.objects.filter(pk=enrolment.pk))).get()


def _bad_request(error):
    return Response(
        {"cohort": [str(message) for message in error.messages]},
        status=status.HTTP_400_BAD_REQUEST,
    )


class MyEnrolmentListApi(generics.ListAPIView):
    permission_classes = CANDIDATES
    serializer_class = EnrolmentSerializer
    pagination_class = PagePagination
    filter_backends = []

    def get_queryset(self):
        return with_waitlist_position(
            _with_details(enrolments_visible_to(self.request.user))
        ).order_by("-cohort__starts_on", "-created_at", "-pk")

    @extend_schema(
        parameters=[LANG_PARAMETER],
        responses={
            200: EnrolmentSerializer,
            401: OpenApiResponse(description="No credentials."),
            403: OpenApiResponse(description="Not a job-seeker."),
        },
        summary="My enrolments",
        description=(
            "My places in cohorts and on waiting lists, cancelled ones included, the latest "
            "cohort first, with my position on the waiting list, my result and score, and the "
            "verification code of the certificate a pass issued."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CohortEnrolApi(APIView):
    permission_classes = CANDIDATES

    @extend_schema(
        request=None,
        parameters=[LANG_PARAMETER],
        responses={
            201: EnrolmentSerializer,
            200: OpenApiResponse(EnrolmentSerializer, description="Already enrolled or waiting."),
            400: OpenApiResponse(
                description="Enrolment closed, cohort cancelled or prerequisites missing: "
                '{"cohort": ["message"]}.'
            ),
            401: OpenApiResponse(description="No credentials."),
            403: OpenApiResponse(description="Not a job-seeker."),
            404: OpenApiResponse(description="No such cohort."),
        },
        summary="Enrol in a cohort",
        description=(
            "Takes a place when one is free, or a place on the waiting list (status "
            "waitlisted, with its position): a place freed later goes to the first waiting, "
            "who is told by e-mail. Enrolling again returns the same enrolment with 200."
        ),
    )
    def post(self, request, code):
        cohort = get_cohort(code)
        existed = (
            Enrolment.objects.filter(cohort=cohort, candidate=request.user)
            .exclude(status=Enrolment.Status.CANCELLED)
            .exists()
        )
        try:
            enrolment = cohort_enrol(cohort=cohort, candidate=request.user)
        except DjangoValidationError as error:
            return _bad_request(error)
        data = EnrolmentSerializer(_reloaded(enrolment), context={"request": request}).data
        return Response(data, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


class EnrolmentCancelApi(APIView):
    permission_classes = CANDIDATES

    @extend_schema(
        request=None,
        parameters=[LANG_PARAMETER],
        responses={
            200: EnrolmentSerializer,
            400: OpenApiResponse(
                description='Cohort ended or result recorded: {"cohort": ["message"]}.'
            ),
            401: OpenApiResponse(description="No credentials."),
            403: OpenApiResponse(description="Not a job-seeker."),
            404: OpenApiResponse(description="No such enrolment of mine."),
        },
        summary="Cancel my enrolment",
        description=(
            "Gives up a place or a place on the waiting list; a freed place goes at once to "
            "the first person waiting (until the cohort starts). Cancelling twice is harmless."
        ),
    )
    def post(self, request, pk):
        enrolment = get_enrolment_for(request.user, pk)
        try:
            enrolment = enrolment_cancel(enrolment=enrolment, by=request.user)
        except DjangoValidationError as error:
            return _bad_request(error)
        return Response(
            EnrolmentSerializer(_reloaded(enrolment), context={"request": request}).data
        )
