"""`GET /api/v1/caseload/`: the people the signed-in counsellor guides, with their flags."""

from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.permissions import BasePermission, IsAuthenticated

from college import matching
from college.guidance.caseload import FLAG_CODES, Severity, caseload_rows
from college.guidance.stages import Stage
from college.models import User
from college.reference.api import LANG_PARAMETER


def _enum_field(name, values, description, *, nullable=False):
    """A CharField documented with its values inline, so that drf-spectacular does not name an
    enum component after the field ("stage", "code"), which other APIs use for other values."""
    schema = {"allOf": [{"type": "string", "enum": list(values)}], "description": description}
    if nullable:
        schema["nullable"] = True
    return extend_schema_field(schema)(type(name, (serializers.CharField,), {}))


CaseloadStageField = _enum_field(
    "CaseloadStageField",
    Stage.values,
    "The furthest milestone reached: new, profile, testing, training, applying, placed.",
)
CaseloadFlagCodeField = _enum_field(
    "CaseloadFlagCodeField",
    FLAG_CODES,
    "Most urgent first. Action: deadline_near (a session start, enrolment closing or vacancy "
    "closing within 7 days), invitation_open (an employer's invitation to apply not yet "
    "answered), session_missed (absent, not excused, from a session in the last 14 days), "
    "repeated_failure (the same test section failed twice or more). Watch: stalled (no "
    "activity for 30 days). Info: consent_missing (no current consent to blind shortlists).",
)
CaseloadSeverityField = _enum_field(
    "CaseloadSeverityField",
    [Severity.ACTION, Severity.WATCH, Severity.INFO],
    "action: something to do now; watch: to keep an eye on; info: for information only "
    "(not counted as needing attention).",
)
CaseloadEligibilityField = _enum_field(
    "CaseloadEligibilityField",
    [matching.ELIGIBLE, matching.ELIGIBLE_VIA_ALTERNATIVE, matching.NOT_YET],
    "Legal eligibility for the target role; null without a target role.",
    nullable=True,
)


class IsCounsellor(BasePermission):
    message = gettext_lazy("The caseload is for counsellors' accounts.")

    def has_permission(self, request, view):
        return request.user.is_authenticated and request.user.role == User.Role.COUNSELLOR


class CaseloadRoleSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField(help_text="In the request's language.")


class CaseloadFlagSerializer(serializers.Serializer):
    code = CaseloadFlagCodeField()
    severity = CaseloadSeverityField()
    label = serializers.CharField(help_text="The flag's name, in the request's language.")
    detail = serializers.CharField(help_text="What raised the flag, in words.")


class CaseloadRowSerializer(serializers.Serializer):
    candidate = serializers.IntegerField(source="profile_id", help_text="The profile's id.")
    name = serializers.CharField()
    stage = CaseloadStageField()
    target_role = CaseloadRoleSerializer(
        allow_null=True, help_text="The first target role chosen; null when none."
    )
    readiness = serializers.IntegerField(
        allow_null=True,
        help_text="The matching score (0–100) against the target role; null without one.",
    )
    eligibility = CaseloadEligibilityField(allow_null=True)
    last_activity = serializers.DateTimeField(allow_null=True)
    needs_attention = serializers.BooleanField(
        help_text="True when a flag asks for action or watching (not only information)."
    )
    flags = CaseloadFlagSerializer(many=True, help_text="Most urgent first.")


class CaseloadFilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    stage = serializers.ChoiceField(choices=Stage.values, required=False)
    flag = serializers.ChoiceField(choices=FLAG_CODES, required=False)


@extend_schema(
    summary="The people I guide, with their flags",
    parameters=[
        LANG_PARAMETER,
        OpenApiParameter(
            "q",
            OpenApiTypes.STR,
            description="Only people whose name contains this text, ignoring case and accents "
            "(at most 100 characters).",
        ),
        OpenApiParameter(
            "stage", OpenApiTypes.STR, enum=Stage.values, description="Only this stage."
        ),
        OpenApiParameter(
            "flag", OpenApiTypes.STR, enum=list(FLAG_CODES), description="Only with this flag."
        ),
    ],
)
class CaseloadApi(generics.ListAPIView):
    """The most urgent flag first (action, watch, info, none), then by name. Counsellors only."""

    permission_classes = [IsAuthenticated, IsCounsellor]
    serializer_class = CaseloadRowSerializer
    filter_backends = []

    def get_queryset(self):
        filters = CaseloadFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return caseload_rows(
            self.request.user,
            stage=filters.validated_data.get("stage", ""),
            flag=filters.validated_data.get("flag", ""),
            q=filters.validated_data.get("q", ""),
        )
