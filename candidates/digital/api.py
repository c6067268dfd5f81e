"""The digital and cyber track's API: the job-seeker's DigComp self-assessment
(`/api/v1/me/digital-self-assessment/`) and external certifications
(`/api/v1/me/certifications/`), the certifications' reference list and their check by a
counsellor guiding the person or by staff (`/api/v1/certifications/<id>/check/`)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from candidates.access import get_own_profile
from candidates.digital.selectors import (
    area_results,
    certification_rows,
    self_assessment_state,
)
from candidates.digital.services import (
    ANSWER_VALUES,
    digital_self_assessment_save,
    external_certification_add,
    external_certification_delete,
    external_certification_reject,
    external_certification_verify,
)
from candidates.models import ExternalCertification
from college.core.serializers import errors_by_field
from college.models import Guidance, User
from college.reference.api import LANG_PARAMETER
from college.reference.digital import (
    DIGCOMP_TO_PROFILE_LEVEL,
    certification_type,
    certification_types,
    digcomp_codes,
)

# The self-assessment ---------------------------------------------------------------------------


class AreaResultSerializer(serializers.Serializer):
    slug = serializers.CharField(source="area.slug")
    title = serializers.CharField(source="area.title")
    mean = serializers.DecimalField(
        max_digits=2, decimal_places=1, help_text="Mean level 0–6 (not done counts 0)."
    )
    band = serializers.CharField(help_text="foundation, intermediate or advanced, translated.")
    answered = serializers.IntegerField()
    total = serializers.IntegerField()


class SelfAssessmentTakeSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.IntegerField(),
        help_text='DigComp competence number ("1.1"…"5.4") → level 1–6; 0: not done.',
    )
    started_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)


class SelfAssessmentSerializer(serializers.Serializer):
    open = SelfAssessmentTakeSerializer(allow_null=True, help_text="The take being filled in.")
    latest = SelfAssessmentTakeSerializer(allow_null=True, help_text="The last completed take.")
    areas = AreaResultSerializer(many=True, help_text="The last completed take, by area.")
    history = serializers.ListField(
        child=serializers.DateTimeField(), help_text="When each completed take was completed."
    )
    profile_levels = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="How a DigComp level (1–6) is written on the profile's 1–4 scale.",
    )


def _self_assessment_data(profile):
    state = self_assessment_state(profile=profile)
    return SelfAssessmentSerializer(
        {
            "open": state.open,
            "latest": state.latest,
            "areas": area_results(state.latest.answers) if state.latest else [],
            "history": [take.completed_at for take in state.history],
            "profile_levels": {str(k): v for k, v in DIGCOMP_TO_PROFILE_LEVEL.items()},
        }
    ).data


class SelfAssessmentAnswersSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.IntegerField(min_value=min(ANSWER_VALUES), max_value=max(ANSWER_VALUES)),
        allow_empty=False,
        help_text='Some or all of the 21 competences ("1.1"…"5.4") → 1–6, or 0: not done.',
    )

    def validate_answers(self, answers):
        known = set(digcomp_codes())
        unknown = [code for code in answers if code not in known]
        if unknown:
            raise serializers.ValidationError(
                _("There is no DigComp competence with this number: %(code)s.")
                % {"code": unknown[0][:10]}
            )
        return answers


class SelfAssessmentApi(APIView):
    """The signed-in job-seeker's DigComp self-assessment."""

    @extend_schema(
        parameters=[LANG_PARAMETER],
        responses={200: SelfAssessmentSerializer},
        summary="My digital skills self-assessment",
    )
    def get(self, request):
        profile = get_own_profile(request.user)
        return Response(_self_assessment_data(profile))

    @extend_schema(
        parameters=[LANG_PARAMETER],
        request=SelfAssessmentAnswersSerializer,
        responses={200: SelfAssessmentSerializer},
        summary="Save answers of my digital skills self-assessment",
        description=(
            "Saves the answers sent into the open take (made if none is open); answers not "
            "sent keep what was saved. Once all 21 competences are answered the take is "
            "completed and its levels are written on the profile as self-declared skills "
            "(a skill with stronger evidence keeps it). Any invalid answer is a 400 and "
            "nothing is saved."
        ),
    )
    def put(self, request):
        profile = get_own_profile(request.user)
        serializer = SelfAssessmentAnswersSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            digital_self_assessment_save(
                profile=profile, answers=serializer.validated_data["answers"]
            )
        except DjangoValidationError as error:  # pragma: no cover (the serializer checked)
            return Response(errors_by_field(error, "answers"), status=status.HTTP_400_BAD_REQUEST)
        return Response(_self_assessment_data(profile))


# External certifications ----------------------------------------------------------------------


class CertificationTypeSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    issuer = serializers.CharField()
    covers = serializers.CharField()
    exam = serializers.CharField()
    validity_years = serializers.IntegerField(allow_null=True)
    level = serializers.IntegerField(help_text="The profile level (1–4) it certifies.")
    skill_uris = serializers.ListField(child=serializers.CharField())
    source = serializers.CharField()
    url = serializers.CharField()


class CertificationTypeListApi(APIView):
    """The external certifications a job-seeker can record (reference data, public)."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[LANG_PARAMETER],
        responses={200: CertificationTypeSerializer(many=True)},
        summary="External certifications",
    )
    def get(self, request):
        return Response(
            CertificationTypeSerializer(list(certification_types().values()), many=True).data
        )


class ExternalCertificationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    certification = serializers.ChoiceField(choices=(), help_text="A certification's slug.")
    title = serializers.SerializerMethodField()
    issuer = serializers.SerializerMethodField()
    obtained_on = serializers.DateField()
    credential_id = serializers.CharField(max_length=100)
    verification_url = serializers.URLField(max_length=300, allow_blank=True, default="")
    status = serializers.CharField(read_only=True)
    checked_at = serializers.DateTimeField(read_only=True, allow_null=True)
    check_note = serializers.CharField(read_only=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certification"].choices = list(certification_types())

    def get_title(self, record) -> str:
        kind = certification_type(record.certification)
        return kind.title if kind else record.certification

    def get_issuer(self, record) -> str:
        kind = certification_type(record.certification)
        return kind.issuer if kind else ""


class MyCertificationListApi(APIView):
    """The signed-in job-seeker's external certifications."""

    @extend_schema(
        responses={200: ExternalCertificationSerializer(many=True)},
        summary="My external certifications",
    )
    def get(self, request):
        profile = get_own_profile(request.user)
        records = [row.record for row in certification_rows(profile=profile)]
        return Response(ExternalCertificationSerializer(records, many=True).data)

    @extend_schema(
        request=ExternalCertificationSerializer,
        responses={201: ExternalCertificationSerializer},
        summary="Record an external certification",
        description=(
            "Recorded as waiting for a check; a date in the future, an unknown certification, "
            "an identifier over 100 characters or one already recorded is a 400."
        ),
    )
    def post(self, request):
        profile = get_own_profile(request.user)
        serializer = ExternalCertificationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            record = external_certification_add(
                profile=profile,
                certification=data["certification"],
                obtained_on=data["obtained_on"],
                credential_id=data["credential_id"],
                verification_url=data["verification_url"],
            )
        except DjangoValidationError as error:
            return Response(errors_by_field(error, "certification"), status=400)
        return Response(ExternalCertificationSerializer(record).data, status=201)


class MyCertificationDetailApi(APIView):
    """One of the signed-in job-seeker's certifications; another person's is a 404."""

    def _get(self, request, pk):
        profile = get_own_profile(request.user)
        return get_object_or_404(ExternalCertification, profile=profile, pk=pk)

    @extend_schema(
        responses={200: ExternalCertificationSerializer}, summary="My external certification"
    )
    def get(self, request, pk):
        return Response(ExternalCertificationSerializer(self._get(request, pk)).data)

    @extend_schema(
        responses={204: None},
        summary="Withdraw an external certification",
        description="The skills it certified give back what the profile held before.",
    )
    def delete(self, request, pk):
        external_certification_delete(certification=self._get(request, pk))
        return Response(status=204)


def get_certification_to_check(user, pk):
    """A certification a counsellor guiding its holder, or staff, may check; a 404 otherwise."""
    records = ExternalCertification.objects.select_related("profile__user")
    if user.role == User.Role.STAFF:
        return get_object_or_404(records, pk=pk)
    if user.role == User.Role.COUNSELLOR:
        guided = records.filter(Exists(Guidance.objects.guiding(user, OuterRef("profile__user"))))
        return get_object_or_404(guided, pk=pk)
    return get_object_or_404(records.none(), pk=pk)


class CertificationCheckSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["verify", "reject"])
    note = serializers.CharField(
        max_length=1000,
        allow_blank=True,
        default="",
        help_text="Seen by the job-seeker; required to reject.",
    )


class CertificationCheckApi(APIView):
    """A counsellor guiding the holder, or staff, verifies or rejects a certification."""

    @extend_schema(
        request=CertificationCheckSerializer,
        responses={200: ExternalCertificationSerializer},
        summary="Check an external certification",
        description=(
            "verify: its skills are certified on the profile (twice is once); reject: a note "
            "says why, and a verified certification's evidence is withdrawn."
        ),
    )
    def post(self, request, pk):
        if request.user.role not in (User.Role.COUNSELLOR, User.Role.STAFF):
            return Response(
                {"detail": _("Only counsellors and staff check certifications.")}, status=403
            )
        record = get_certification_to_check(request.user, pk)
        serializer = CertificationCheckSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            if data["decision"] == "verify":
                record = external_certification_verify(
                    certification=record, by=request.user, note=data["note"]
                )
            else:
                record = external_certification_reject(
                    certification=record, by=request.user, reason=data["note"]
                )
        except DjangoValidationError as error:
            return Response(errors_by_field(error, "note"), status=400)
        return Response(ExternalCertificationSerializer(record).data)
