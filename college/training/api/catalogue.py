"""The training catalogue API: `GET /api/v1/modules/` and `GET /api/v1/modules/{id}/`."""

from django.db.models import Prefetch
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from college.core.public_cache import AnonymousReadCacheMixin
from college.models import Module
from college.reference.api import LANG_PARAMETER, SkillReferenceSerializer
from college.training.catalogue import ModuleFilter, upcoming_cohorts


class ModuleSerializer(serializers.ModelSerializer):
    class ProgrammeSerializer(serializers.Serializer):
        slug = serializers.CharField()
        title = serializers.CharField()

    class OutcomeSerializer(serializers.Serializer):
        skill = SkillReferenceSerializer()
        level = serializers.IntegerField(help_text="1 (basic) to 4 (expert).")

    title = serializers.CharField(read_only=True)
    summary = serializers.CharField(read_only=True)
    programme = ProgrammeSerializer(read_only=True, allow_null=True)
    languages = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="code", help_text="Languages of instruction."
    )
    skills = OutcomeSerializer(source="outcomes", many=True, read_only=True)
    prerequisites = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="Ids of the modules to pass before this one."
    )
    certificate = serializers.CharField(read_only=True)
    language_taught = serializers.SlugRelatedField(
        read_only=True, slug_field="code", allow_null=True, help_text="For a language course."
    )
    cefr_reached = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Module
        fields = [
            "id",
            "slug",
            "title",
            "summary",
            "hours",
            "programme",
            "languages",
            "skills",
            "prerequisites",
            "certificate",
            "pass_percent",
            "language_taught",
            "cefr_reached",
            "url",
        ]

    @extend_schema_field(
        {
            "type": "string",
            "nullable": True,
            "enum": ["A1", "A2", "B1", "B2", "C1", "C2", None],
            "description": "For a language course: the CEFR level a pass certifies.",
        }
    )
    def get_cefr_reached(self, module):
        return module.cefr_reached or None

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, module):
        path = reverse("module_detail", args=[module.slug])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ModuleDetailSerializer(ModuleSerializer):
    class CohortSerializer(serializers.Serializer):
        code = serializers.CharField()
        starts_on = serializers.DateField()
        ends_on = serializers.DateField()
        language = serializers.CharField(source="language.code")
        place = serializers.CharField()
        capacity = serializers.IntegerField()
        places_left = serializers.IntegerField(help_text="0: new requests join the waiting list.")

    upcoming_cohorts = CohortSerializer(source="upcoming", many=True, read_only=True)

    class Meta(ModuleSerializer.Meta):
        fields = [*ModuleSerializer.Meta.fields, "upcoming_cohorts"]


def _catalogue():
    return (
        Module.objects.active()
        .with_outcomes()
        .select_related("language_taught")
        .order_by("position", "slug")
    )


@extend_schema(
    parameters=[
        OpenApiParameter("q", str, description="Words in a module's title or a skill it teaches."),
        OpenApiParameter("skill", int, description="A skill's id: modules that teach it."),
        OpenApiParameter("programme", str, description="A programme's slug."),
        OpenApiParameter(
            "role", str, description="A role's slug: modules that prepare for it or close a gap."
        ),
        OpenApiParameter("language", str, description="Language of instruction (ISO code)."),
        LANG_PARAMETER,
    ],
    summary="The college's training catalogue",
    description=(
        "Active modules with the skills each teaches and to which level. Every filter is "
        'optional; an invalid value is a 400 naming the parameter: `{"skill": ["…"]}`.'
    ),
)
class ModuleListApi(AnonymousReadCacheMixin, generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = ModuleSerializer
    filterset_class = ModuleFilter

    def get_queryset(self):
        return _catalogue()


@extend_schema(parameters=[LANG_PARAMETER], summary="One module, with its upcoming cohorts")
class ModuleDetailApi(generics.RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = ModuleDetailSerializer

    def get_queryset(self):
        return _catalogue().prefetch_related(
            Prefetch("cohorts", queryset=upcoming_cohorts(), to_attr="upcoming")
        )
