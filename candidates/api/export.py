"""`/api/v1/me/export/`: everything held about the signed-in job-seeker, as one JSON file.

The document's sections are the keys of `candidates.selectors.candidate_export`; every model
that can hold something about a job-seeker names its section in
`candidates.data_rights.HOLDINGS` (a test checks that each one is here).
"""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from candidates.access import get_own_profile
from candidates.api.profile import (
    CandidateLanguageSerializer,
    CandidateProfileSerializer,
    CandidateSkillSerializer,
    RoleReferenceSerializer,
)
from candidates.selectors import candidate_export
from college.core.audit import audit_record
from college.models import AuditEvent
from college.reference.api import LANG_PARAMETER


class ExportAccountSerializer(serializers.Serializer):
    email = serializers.EmailField()
    full_name = serializers.CharField()
    role = serializers.CharField()
    preferred_language = serializers.CharField()
    date_joined = serializers.DateTimeField()
    last_login = serializers.DateTimeField(allow_null=True)


class ExportProfileSerializer(CandidateProfileSerializer):
    match_alert_threshold = serializers.IntegerField(
        allow_null=True, help_text="E-mail alerts for vacancies scoring at least this; null: off."
    )
    conditions_saved_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    passport_code = serializers.CharField(
        allow_null=True, help_text="The check code of the last skills passport made; null: none."
    )
    passport_issued_on = serializers.DateField(allow_null=True)


class ExportSkillSerializer(CandidateSkillSerializer):
    validated_by = serializers.CharField(
        source="validated_by.full_name", allow_null=True, help_text="The counsellor's name."
    )


class ExportCounsellorSerializer(serializers.Serializer):
    full_name = serializers.CharField(source="counsellor.full_name")
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)


class ExportTeamNoteSerializer(serializers.Serializer):
    author = serializers.CharField(source="author.full_name", allow_null=True, default=None)
    body = serializers.CharField()
    created_at = serializers.DateTimeField()


class ExportConsentSerializer(serializers.Serializer):
    purpose = serializers.CharField()
    employer = serializers.CharField(source="employer.name", allow_null=True)
    given = serializers.BooleanField()
    text_version = serializers.CharField()
    text = serializers.CharField(help_text="The words shown, in the language shown.")
    language = serializers.CharField()
    recorded_at = serializers.DateTimeField()


class ExportProfileViewSerializer(serializers.Serializer):
    viewer = serializers.CharField(source="viewer.full_name", allow_null=True)
    viewer_role = serializers.CharField()
    channel = serializers.CharField()
    viewed_at = serializers.DateTimeField()


class ExportVacancySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    employer = serializers.CharField(source="employer.name")


class ExportApplicationStageSerializer(serializers.Serializer):
    stage = serializers.CharField()
    reason = serializers.CharField()
    changed_at = serializers.DateTimeField()


class ExportApplicationNoteSerializer(serializers.Serializer):
    text = serializers.CharField()
    created_at = serializers.DateTimeField()


class ExportApplicationSerializer(serializers.Serializer):
    vacancy = ExportVacancySerializer()
    motivation = serializers.CharField()
    stage = serializers.CharField()
    reason = serializers.CharField(help_text="Why not retained, when it was not.")
    reason_note = serializers.CharField(help_text="The employer's note to the candidate.")
    appointment_at = serializers.DateTimeField(
        allow_null=True, help_text="The appointment of an invitation to tests or an interview."
    )
    appointment_place = serializers.CharField()
    appointment_instructions = serializers.CharField()
    shares_test_results = serializers.BooleanField(
        help_text="Whether the practice-test results are shared with the employer."
    )
    created_at = serializers.DateTimeField()
    stage_changed_at = serializers.DateTimeField()
    stages = ExportApplicationStageSerializer(source="events.all", many=True)
    internal_notes = ExportApplicationNoteSerializer(
        source="notes.all",
        many=True,
        help_text="The employer's internal notes on the application (their authors not named).",
    )


class ExportShortlistInvitationSerializer(serializers.Serializer):
    vacancy = ExportVacancySerializer()
    message = serializers.CharField(help_text="The employer's message.")
    invited_at = serializers.DateTimeField()


class ExportMatchAlertSerializer(serializers.Serializer):
    vacancy = ExportVacancySerializer()
    score = serializers.IntegerField()
    sent_at = serializers.DateTimeField()


class ExportMatchAlertsSerializer(serializers.Serializer):
    threshold = serializers.IntegerField(allow_null=True)
    sent = ExportMatchAlertSerializer(many=True)


class ExportRankingSerializer(serializers.Serializer):
    vacancy = ExportVacancySerializer(source="ranking.vacancy")
    score = serializers.IntegerField(help_text="The matching engine's score, 0–100.")


class ExportResponseSerializer(serializers.Serializer):
    choice = serializers.CharField(source="choice.key", allow_null=True, default=None)
    choices = serializers.JSONField(read_only=True)  # the export is read, never written
    value = serializers.CharField()
    score = serializers.FloatField()
    answered_at = serializers.DateTimeField()


class ExportAttemptItemSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    item = serializers.CharField(source="item.key")
    question = serializers.CharField(source="item.stem")
    section = serializers.CharField(source="section.title")
    # An item drawn but not answered (yet, or before time ran out) has none.
    response = ExportResponseSerializer(allow_null=True, default=None)


class ExportAttemptSerializer(serializers.Serializer):
    test = serializers.CharField(source="battery.title")
    mode = serializers.CharField()
    language = serializers.CharField()
    status = serializers.CharField()
    started_at = serializers.DateTimeField()
    deadline = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    score_percent = serializers.FloatField(allow_null=True)
    passed = serializers.BooleanField(allow_null=True)
    percentile = serializers.FloatField(allow_null=True)
    competency_scores = serializers.JSONField(read_only=True)  # the export is read, never written
    section_scores = serializers.JSONField(read_only=True)  # the export is read, never written
    trait_scores = serializers.JSONField(read_only=True)  # the export is read, never written
    answers = ExportAttemptItemSerializer(source="attempt_items.all", many=True)


class ExportTimeAccommodationSerializer(serializers.Serializer):
    multiplier = serializers.DecimalField(max_digits=3, decimal_places=2)
    note = serializers.CharField()
    updated_at = serializers.DateTimeField()


class ExportAttendanceSerializer(serializers.Serializer):
    session_starts_at = serializers.DateTimeField(source="session.starts_at")
    status = serializers.CharField()


class ExportEnrolmentSerializer(serializers.Serializer):
    cohort = serializers.CharField(source="cohort.code")
    module = serializers.CharField(source="cohort.module.title")
    starts_on = serializers.DateField(source="cohort.starts_on")
    ends_on = serializers.DateField(source="cohort.ends_on")
    status = serializers.CharField()
    created_at = serializers.DateTimeField()
    enrolled_at = serializers.DateTimeField(allow_null=True)
    cancelled_at = serializers.DateTimeField(allow_null=True)
    result = serializers.CharField()
    score = serializers.IntegerField(allow_null=True)
    attendance = ExportAttendanceSerializer(source="attendances.all", many=True)
    certificate = serializers.CharField(
        source="certificate.code", allow_null=True, default=None, help_text="Its code, if any."
    )


class ExportIntakeRatingSerializer(serializers.Serializer):
    score = serializers.IntegerField(help_text="1–5.")
    rated_at = serializers.DateTimeField()


class ExportIntakeDecisionSerializer(serializers.Serializer):
    decision = serializers.CharField()
    message = serializers.CharField()
    created_at = serializers.DateTimeField()


class ExportIntakeApplicationSerializer(serializers.Serializer):
    programme = serializers.CharField(source="intake.programme.title")
    closes_on = serializers.DateField(source="intake.closes_on")
    reference = serializers.CharField(source="ref")
    status = serializers.CharField()
    motivation = serializers.DictField(child=serializers.CharField())
    consent_given_at = serializers.DateTimeField()
    created_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    motivation_ratings = ExportIntakeRatingSerializer(source="ratings.all", many=True)
    decisions = ExportIntakeDecisionSerializer(source="decisions.all", many=True)


class ExportCertificateSerializer(serializers.Serializer):
    code = serializers.CharField()
    module = serializers.CharField(source="module.title", allow_null=True, default=None)
    holder_name = serializers.CharField()
    language = serializers.CharField()
    issued_at = serializers.DateTimeField()


class ExportPathStepSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    kind = serializers.CharField()
    module = serializers.CharField(source="module.title", allow_null=True, default=None)
    test = serializers.CharField(source="battery.title", allow_null=True, default=None)
    note = serializers.CharField()


class ExportPathSerializer(serializers.Serializer):
    role = serializers.CharField(source="role.title")
    explanation = serializers.CharField()
    generated_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)
    steps = ExportPathStepSerializer(source="steps.all", many=True)


class ExportActionSerializer(serializers.Serializer):
    text = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)
    done_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


class ExportTwoStepSerializer(serializers.Serializer):
    created_at = serializers.DateTimeField()
    confirmed_at = serializers.DateTimeField(allow_null=True)


class ExportAuditEventSerializer(serializers.Serializer):
    created_at = serializers.DateTimeField()
    action = serializers.CharField()
    actor = serializers.CharField(source="actor.full_name", allow_null=True, default=None)
    actor_role = serializers.CharField()
    object_type = serializers.CharField()
    detail = serializers.CharField()


class ExportAdminHistorySerializer(serializers.Serializer):
    action_time = serializers.DateTimeField()
    object = serializers.CharField(source="object_repr")
    change = serializers.CharField(source="get_change_message")


class ExportDigitalSelfAssessmentSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="DigComp competence number → level 1–6, 0 for “I have not done this”.",
    )
    started_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)


class ExportExternalCertificationSerializer(serializers.Serializer):
    certification = serializers.CharField(help_text="Slug of the certification.")
    obtained_on = serializers.DateField()
    credential_id = serializers.CharField()
    verification_url = serializers.CharField()
    status = serializers.CharField()
    checked_at = serializers.DateTimeField(allow_null=True)
    check_note = serializers.CharField()
    created_at = serializers.DateTimeField()


class CandidateExportSerializer(serializers.Serializer):
    exported_at = serializers.DateTimeField()
    account = ExportAccountSerializer()
    profile = ExportProfileSerializer()
    skills = ExportSkillSerializer(many=True)
    languages = CandidateLanguageSerializer(many=True)
    target_roles = RoleReferenceSerializer(many=True)
    counsellors = ExportCounsellorSerializer(many=True)
    team_notes = ExportTeamNoteSerializer(many=True)
    consents = ExportConsentSerializer(many=True)
    profile_views = ExportProfileViewSerializer(many=True)
    applications = ExportApplicationSerializer(many=True)
    shortlist_invitations = ExportShortlistInvitationSerializer(many=True)
    match_alerts = ExportMatchAlertsSerializer()
    rankings = ExportRankingSerializer(many=True)
    practice_tests = ExportAttemptSerializer(many=True)
    time_accommodation = ExportTimeAccommodationSerializer(allow_null=True)
    enrolments = ExportEnrolmentSerializer(many=True)
    intake_applications = ExportIntakeApplicationSerializer(many=True)
    certificates = ExportCertificateSerializer(many=True)
    digital_self_assessments = ExportDigitalSelfAssessmentSerializer(many=True)
    external_certifications = ExportExternalCertificationSerializer(many=True)
    training_paths = ExportPathSerializer(many=True)
    action_plan = ExportActionSerializer(many=True)
    two_step_verification = ExportTwoStepSerializer(allow_null=True)
    api_tokens = serializers.IntegerField(help_text="How many API tokens; never their keys.")
    audit_events = ExportAuditEventSerializer(many=True)
    admin_history = ExportAdminHistorySerializer(many=True)


class CandidateExportApi(APIView):
    """Everything Passerelle holds about the signed-in job-seeker, as one JSON file."""

    # A download: the browsable API would wrap it in a page.
    renderer_classes = [JSONRenderer]

    @extend_schema(
        parameters=[
            LANG_PARAMETER,
            OpenApiParameter(
                "Content-Disposition",
                str,
                location=OpenApiParameter.HEADER,
                response=[200],
                description='attachment; filename="passerelle-export-YYYY-MM-DD.json"',
            ),
        ],
        responses={200: OpenApiResponse(CandidateExportSerializer)},
        summary="Export everything held about me",
    )
    def get(self, request):
        profile = get_own_profile(request.user)
        data = CandidateExportSerializer(candidate_export(profile=profile)).data
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.DATA_EXPORTED,
            object_type="candidate_profile",
            object_id=profile.pk,
            detail="personal data export (JSON)",
            request=request,
        )
        filename = f"passerelle-export-{timezone.localdate():%Y-%m-%d}.json"
        return Response(data, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
