"""`GET /api/v1/me/path/`: the signed-in job-seeker's training path toward a target role."""

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from candidates.access import get_own_profile
from college.core.api_fields import inline_enum_field
from college.guidance import paths
from college.matching.serializers import MatchEligibilitySerializer, StepKindField
from college.reference.api import LANG_PARAMETER

StepStatusField = inline_enum_field(
    "PathStepStatusField",
    [paths.DONE, paths.IN_PROGRESS, paths.TODO],
    "done (module passed, or test passed); in_progress (enrolled or on the waiting list of a "
    "cohort of the module, or a test attempt not finished); todo.",
)


class PathRoleSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField(help_text="In the request's language.")


class PathStepSkillSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    level = serializers.IntegerField(
        allow_null=True, help_text="The level a module teaches (1–4); null for a test."
    )


class PathStepSerializer(serializers.Serializer):
    position = serializers.IntegerField(source="number", help_text="1 for the first step.")
    kind = StepKindField()
    id = serializers.IntegerField(source="object_id", help_text="The module's or test's id.")
    slug = serializers.SlugField()
    title = serializers.CharField()
    hours = serializers.IntegerField(help_text="Training hours; 0 for a practice test.")
    status = StepStatusField()
    note = serializers.CharField(help_text="The counsellor's note for this step, or empty.")
    skills = PathStepSkillSerializer(
        many=True, help_text="The skills a module teaches, or a test verifies."
    )
    gain = serializers.IntegerField(
        help_text="Points this step adds to my readiness, after the steps before it."
    )


class PathProgressSerializer(serializers.Serializer):
    steps_done = serializers.IntegerField()
    steps_total = serializers.IntegerField()
    hours_done = serializers.IntegerField()
    hours_total = serializers.IntegerField()
    percent = serializers.IntegerField(help_text="Percent of the steps done.")
    readiness = serializers.IntegerField(help_text="My score for the role now (0–100).")
    readiness_after = serializers.IntegerField(
        help_text="My score for the role once every step is done (0–100)."
    )


class MyPathSerializer(serializers.Serializer):
    role = PathRoleSerializer()
    steps = PathStepSerializer(many=True)
    progress = PathProgressSerializer(source="*")
    explanation = serializers.CharField(
        source="path.explanation", help_text="My counsellor's explanation of the path."
    )
    eligibility = MatchEligibilitySerializer(
        help_text="The role's legal conditions: training cannot change them."
    )
    roles = serializers.SerializerMethodField(help_text="The slugs of all my target roles.")

    def get_roles(self, progress) -> list[str]:
        return [role.slug for role in self.context["roles"]]


class MyPathApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "role",
                str,
                description="The slug of one of my target roles; the first one by default.",
            ),
            LANG_PARAMETER,
        ],
        responses={
            200: MyPathSerializer,
            400: OpenApiResponse(description="The role is not one of my target roles."),
            401: OpenApiResponse(description="No credentials."),
            403: OpenApiResponse(description="Not a job-seeker."),
            404: OpenApiResponse(description="I have no target role yet."),
        },
        summary="My training path",
        description=(
            "The ordered modules and practice tests that lead me to a good score for one of my "
            "target roles (prerequisites first), each with its status and what it brings, and "
            "my progress. Generated from my profile on first use; my counsellor may shape it."
        ),
    )
    def get(self, request):
        profile = get_own_profile(request.user)
        roles = paths.target_roles_of(profile)
        if not roles:
            url = request.build_absolute_uri(reverse("candidates:profile_roles"))
            raise NotFound(
                _("You have not chosen a target role yet: choose one in your profile, %(url)s")
                % {"url": url}
            )
        slug = request.query_params.get("role")
        role = roles[0]
        if slug:
            role = next((item for item in roles if item.slug == slug), None)
            if role is None:
                raise ValidationError({"role": [_("This role is not one of your target roles.")]})
        path = paths.path_get_or_generate(candidate=request.user, role=role)
        progress = paths.path_progress(path, profile=profile)
        return Response(MyPathSerializer(progress, context={"roles": roles}).data)
