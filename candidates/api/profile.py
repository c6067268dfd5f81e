"""The signed-in job-seeker's own data: `/api/v1/me/profile/` (the export: export_api.py)."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from candidates.access import get_own_profile
from candidates.models import (
    TRAVEL_CHOICES,
    CandidateProfile,
    DrivingLicence,
    Education,
    Evidence,
    Experience,
    LanguageCertificate,
    Nationality,
)
from candidates.selectors import candidate_profile_completeness, candidate_profile_detail
from candidates.services import candidate_profile_update, candidate_skill_evidence_after_update
from candidates.validators import validate_birth_year
from college.core.converters import MAX_ID
from college.core.parsers import SafeJSONParser
from college.core.serializers import with_required
from college.models import CEFR, Commune, Language, Level, Role, Skill
from college.reference.api import LANG_PARAMETER, SkillReferenceSerializer

ONLY_OTHERS_CONFIRM_SKILLS = gettext_lazy(
    "Only a counsellor, a test or a completed training can confirm a skill."
)


class CommuneReferenceSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Commune
        fields = ["id", "nis_code", "name"]


class RoleReferenceSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)

    class Meta:
        model = Role
        fields = ["id", "slug", "title"]


class CandidateSkillSerializer(serializers.Serializer):
    skill = SkillReferenceSerializer()
    level = serializers.IntegerField()
    evidence = serializers.ChoiceField(choices=Evidence.choices)
    evidence_note = serializers.CharField()
    declared_level = serializers.IntegerField(
        allow_null=True,
        help_text="The level the person gave, kept when a counsellor validated another "
        "(`level`, the one matching uses); else null.",
    )
    updated_at = serializers.DateTimeField()


class CandidateLanguageSerializer(serializers.Serializer):
    language = serializers.CharField(source="language.code", help_text="ISO 639-1 code.")
    name = serializers.CharField(source="language.name")
    cefr = serializers.ChoiceField(choices=CEFR.choices)


class LanguageCertificateSerializer(serializers.Serializer):
    language = serializers.CharField(source="language.code", help_text="fr or nl.")
    level = serializers.ChoiceField(choices=LanguageCertificate.Level.choices)
    label = serializers.CharField(source="get_level_display")
    obtained_on = serializers.DateField(allow_null=True)


class ExperienceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Experience.Kind.choices)
    title = serializers.CharField()
    organisation = serializers.CharField()
    description = serializers.CharField()
    started_on = serializers.DateField()
    ended_on = serializers.DateField(allow_null=True, help_text="null while it goes on.")
    skills = SkillReferenceSerializer(many=True, help_text="The skills this experience shows.")


class EducationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    level = serializers.ChoiceField(choices=Education.Level.choices)
    title = serializers.CharField()
    institution = serializers.CharField()
    country = serializers.CharField()
    recognition = serializers.ChoiceField(choices=Education.Recognition.choices)
    year = serializers.IntegerField(allow_null=True)


class CompletenessStepSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    hint = serializers.CharField()
    done = serializers.BooleanField()
    url = serializers.CharField(help_text="The page of this step.")


class CompletenessSerializer(serializers.Serializer):
    percent = serializers.IntegerField(min_value=0, max_value=100)
    next_step = CompletenessStepSerializer(allow_null=True)
    steps = CompletenessStepSerializer(many=True)


class CandidateProfileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField(source="user.full_name")
    email = serializers.EmailField(source="user.email")
    preferred_language = serializers.ChoiceField(
        source="user.preferred_language", choices=settings.LANGUAGES
    )
    commune = CommuneReferenceSerializer(allow_null=True)
    lives_outside_brussels = serializers.BooleanField()
    phone = serializers.CharField()
    birth_year = serializers.IntegerField(allow_null=True)
    gender = serializers.ChoiceField(choices=CandidateProfile.Gender.choices, allow_blank=True)
    headline = serializers.CharField()
    nationality = serializers.ChoiceField(choices=Nationality.choices, allow_blank=True)
    is_visible_in_shortlists = serializers.BooleanField()
    target_roles = RoleReferenceSerializer(many=True)
    skills = CandidateSkillSerializer(many=True)
    languages = CandidateLanguageSerializer(many=True)
    certificates = LanguageCertificateSerializer(many=True)
    experiences = ExperienceSerializer(many=True)
    education = EducationSerializer(many=True)
    has_no_diploma = serializers.BooleanField()
    driving_licences = serializers.ListField(
        child=serializers.ChoiceField(choices=DrivingLicence.choices)
    )
    full_time = serializers.BooleanField()
    part_time = serializers.BooleanField()
    shifts = serializers.BooleanField()
    nights = serializers.BooleanField()
    weekends = serializers.BooleanField()
    max_travel_minutes = serializers.ChoiceField(choices=TRAVEL_CHOICES, allow_null=True)
    available_from = serializers.DateField(allow_null=True)
    completeness = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(CompletenessSerializer)
    def get_completeness(self, profile):
        return CompletenessSerializer(candidate_profile_completeness(profile=profile)).data


MAX_START_DELAY_DAYS = 2 * 366


def _check_available_from(value):
    if value is not None and (value - timezone.localdate()).days > MAX_START_DELAY_DAYS:
        raise serializers.ValidationError(_("Enter a start date within the next two years."))
    return value


class CandidateSkillUpdateSerializer(serializers.Serializer):
    skill = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="A skill's id.")
    level = serializers.IntegerField(
        min_value=Level.BASIC, max_value=Level.EXPERT, help_text="1 (basic) to 4 (expert)."
    )
    evidence = serializers.ChoiceField(
        choices=Evidence.choices,
        required=False,
        help_text=(
            "Optional. Never stronger than the evidence the skill keeps: a new skill or a "
            "raised level is self_declared; an unchanged or lowered level keeps its evidence."
        ),
    )

    def validate(self, attrs):
        return with_required(self, attrs, ("skill", "level"))


class CandidateLanguageUpdateSerializer(serializers.Serializer):
    language = serializers.CharField(max_length=3, help_text="ISO 639-1 code, such as fr.")
    cefr = serializers.ChoiceField(choices=CEFR.choices)

    def validate(self, attrs):
        return with_required(self, attrs, ("language", "cefr"))


class CandidateProfileApi(APIView):
    """The signed-in job-seeker's own profile; other roles get a 403 (they have no profile)."""

    # Lists of objects have no form encoding.
    parser_classes = [SafeJSONParser]

    class CandidateProfileUpdateSerializer(serializers.Serializer):
        """The writable fields.

        PUT: a field left out takes its default (its empty value), except full_name and
        preferred_language, which stay as they are. PATCH: only the fields sent change.
        """

        full_name = serializers.CharField(max_length=150, required=False)
        preferred_language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)
        commune = serializers.PrimaryKeyRelatedField(
            queryset=Commune.objects.all(), allow_null=True, default=None
        )
        lives_outside_brussels = serializers.BooleanField(default=False)
        phone = serializers.CharField(max_length=30, allow_blank=True, default="")
        birth_year = serializers.IntegerField(
            allow_null=True, default=None, validators=[validate_birth_year]
        )
        gender = serializers.ChoiceField(
            choices=CandidateProfile.Gender.choices, allow_blank=True, default=""
        )
        headline = serializers.CharField(max_length=200, allow_blank=True, default="")
        is_visible_in_shortlists = serializers.BooleanField(default=False)
        target_roles = serializers.ListField(
            child=serializers.PrimaryKeyRelatedField(queryset=Role.objects.all()),
            max_length=50,
            default=list,
            help_text="Role ids.",
        )
        skills = CandidateSkillUpdateSerializer(many=True, max_length=500, default=list)
        languages = CandidateLanguageUpdateSerializer(many=True, max_length=50, default=list)
        # Left out of a PUT, these stay as they are: older clients know nothing of them.
        nationality = serializers.ChoiceField(
            choices=Nationality.choices, allow_blank=True, required=False
        )
        has_no_diploma = serializers.BooleanField(required=False)
        driving_licences = serializers.ListField(
            child=serializers.ChoiceField(choices=DrivingLicence.choices),
            max_length=len(DrivingLicence.choices),
            required=False,
        )
        full_time = serializers.BooleanField(required=False)
        part_time = serializers.BooleanField(required=False)
        shifts = serializers.BooleanField(required=False)
        nights = serializers.BooleanField(required=False)
        weekends = serializers.BooleanField(required=False)
        max_travel_minutes = serializers.ChoiceField(
            choices=TRAVEL_CHOICES, allow_null=True, required=False
        )
        available_from = serializers.DateField(
            allow_null=True, required=False, validators=[_check_available_from]
        )

        def validate_driving_licences(self, codes):
            return sorted(set(codes))

        def validate_target_roles(self, roles):
            return list(dict.fromkeys(roles))

        def validate_skills(self, items):
            # Read without a lock, to tell the caller; the service applies the same rule again
            # to the locked rows, so a validation saved in between is never lost.
            known = Skill.objects.in_bulk([item["skill"] for item in items])
            stored = {skill.skill_id: skill for skill in self.context["profile"].skills.all()}
            # Errors keyed by item index, the shape DRF 3.18 gives a list's own item errors.
            errors, seen = {}, set()
            for index, item in enumerate(items):
                if item["skill"] not in known:
                    errors[index] = {"skill": [_("There is no skill with this id.")]}
                elif item["skill"] in seen:
                    errors[index] = {"skill": [_("This skill is already in the list.")]}
                elif "evidence" in item:
                    kept = candidate_skill_evidence_after_update(
                        current=stored.get(item["skill"]), level=item["level"]
                    )
                    if Evidence.strength(item["evidence"]) > Evidence.strength(kept):
                        errors[index] = {"evidence": [ONLY_OTHERS_CONFIRM_SKILLS]}
                seen.add(item["skill"])
            if errors:
                raise serializers.ValidationError(errors)
            return [{"skill": known[item["skill"]], "level": item["level"]} for item in items]

        def validate_languages(self, items):
            codes = [item["language"].lower() for item in items]
            known = {
                language.code: language for language in Language.objects.filter(code__in=codes)
            }
            errors, seen = {}, set()
            for index, code in enumerate(codes):
                if code not in known:
                    errors[index] = {"language": [_("There is no language with this code.")]}
                elif code in seen:
                    errors[index] = {"language": [_("This language is already in the list.")]}
                seen.add(code)
            if errors:
                raise serializers.ValidationError(errors)
            return [
                {"language": known[code], "cefr": item["cefr"]}
                for code, item in zip(codes, items, strict=True)
            ]

        def validate(self, attrs):
            # A PATCH may send one of the two; the profile they leave must still make sense.
            profile = self.context["profile"]
            commune = attrs["commune"] if "commune" in attrs else profile.commune
            lives_outside = attrs.get("lives_outside_brussels", profile.lives_outside_brussels)
            if commune is not None and lives_outside:
                field = "commune" if attrs.get("commune") else "lives_outside_brussels"
                raise serializers.ValidationError(
                    {field: [_("Choose a Brussels commune or living outside Brussels, not both.")]}
                )
            return attrs

    @extend_schema(
        parameters=[LANG_PARAMETER],
        responses={200: CandidateProfileSerializer},
        summary="My profile",
    )
    def get(self, request):
        profile = get_own_profile(request.user)
        return Response(CandidateProfileSerializer(candidate_profile_detail(profile=profile)).data)

    @extend_schema(
        parameters=[LANG_PARAMETER],
        request=CandidateProfileUpdateSerializer,
        responses={200: CandidateProfileSerializer},
        summary="Replace my profile",
        description=(
            "Replaces every writable field; a field left out takes its empty value (null, "
            "false, empty text or list), except full_name, preferred_language, nationality, "
            "has_no_diploma and the conditions (driving_licences, full_time, part_time, "
            "shifts, nights, weekends, max_travel_minutes, available_from), which stay as "
            "they are. Any invalid value is a 400 and nothing is saved."
        ),
    )
    def put(self, request):
        return self._update(request, partial=False)

    @extend_schema(
        parameters=[LANG_PARAMETER],
        request=CandidateProfileUpdateSerializer,
        responses={200: CandidateProfileSerializer},
        summary="Change part of my profile",
        description=(
            "Changes only the fields sent; a skills, languages or target_roles list sent "
            "replaces the stored one. Any invalid value is a 400 and nothing is saved."
        ),
    )
    def patch(self, request):
        return self._update(request, partial=True)

    def _update(self, request, *, partial):
        profile = get_own_profile(request.user)
        serializer = self.CandidateProfileUpdateSerializer(
            data=request.data, partial=partial, context={"profile": profile}
        )
        serializer.is_valid(raise_exception=True)
        candidate_profile_update(profile=profile, data=serializer.validated_data)
        return Response(CandidateProfileSerializer(candidate_profile_detail(profile=profile)).data)
