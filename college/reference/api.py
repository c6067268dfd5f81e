"""The shared vocabulary in the public API: skills, roles, communes and languages, read-only,
in three languages, answered from the public cache."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny

from college.core.public_cache import AnonymousReadCacheMixin
from college.models import (
    Commune,
    Language,
    RequirementStage,
    Role,
    Skill,
    Track,
    active_language,
)

LANG_PARAMETER = OpenApiParameter(
    "lang",
    str,
    enum=["fr", "nl", "en"],
    description="Language of labels (overrides Accept-Language).",
)


class TranslatedLabelsField(serializers.Field):
    """All three labels of a reference item, whatever the request's language."""

    def __init__(self, field_name, **kwargs):
        self.base_name = field_name
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, instance):
        return {code: getattr(instance, f"{self.base_name}_{code}") for code in ("fr", "nl", "en")}


LABELS_SCHEMA = {
    "type": "object",
    "properties": {code: {"type": "string"} for code in ("fr", "nl", "en")},
}
extend_schema_field(LABELS_SCHEMA)(TranslatedLabelsField)


class SkillSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)
    labels = TranslatedLabelsField("label")

    class Meta:
        model = Skill
        fields = ["id", "label", "esco_uri", "skill_type", "is_transversal", "labels"]


@extend_schema(
    parameters=[
        OpenApiParameter(
            "q", str, description="Words to find in the French, Dutch or English labels."
        ),
        LANG_PARAMETER,
    ],
    summary="Search the skills framework",
)
class SkillListApi(AnonymousReadCacheMixin, generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = SkillSerializer

    def get_queryset(self):
        query = self.request.query_params.get("q", "").strip()[:200]
        if query:
            return Skill.objects.search(query, active_language())
        return Skill.objects.order_by(f"label_{active_language()}", "id")


@extend_schema(parameters=[LANG_PARAMETER], summary="One skill")
class SkillDetailApi(AnonymousReadCacheMixin, generics.RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = SkillSerializer
    queryset = Skill.objects.all()


class SkillReferenceSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = Skill
        fields = ["id", "label", "esco_uri"]


class RoleSerializer(serializers.ModelSerializer):
    class RequirementSerializer(serializers.Serializer):
        skill = SkillReferenceSerializer()
        importance = serializers.CharField()
        target_level = serializers.IntegerField()
        stage = serializers.ChoiceField(
            choices=RequirementStage.choices,
            help_text="entry: required of applicants, counted in score and gaps; training: "
            "learned after hiring in the employer's school, never missing.",
        )
        source = serializers.CharField(
            source="source_label",
            help_text="Where this requirement comes from, in the request's language.",
        )
        sources = serializers.SerializerMethodField(
            help_text="The source in French, Dutch and English."
        )

        @extend_schema_field(LABELS_SCHEMA)
        def get_sources(self, requirement):
            r = requirement
            return {"fr": r.source_fr, "nl": r.source_nl, "en": r.source}

    class LanguageRequirementSerializer(serializers.Serializer):
        language = serializers.CharField(source="language.code")
        cefr = serializers.CharField(source="min_cefr")
        one_of_group = serializers.BooleanField(source="is_alternative")

    class LegalConditionsSerializer(serializers.Serializer):
        diploma_required_by_law = serializers.BooleanField()
        required_diploma = serializers.CharField()
        alternative_route = serializers.CharField()
        min_age = serializers.IntegerField(allow_null=True)
        nationality = serializers.CharField()
        clean_record_required = serializers.BooleanField()
        driving_licence = serializers.CharField()
        other_conditions = serializers.CharField()

    class FrameworksSerializer(serializers.Serializer):
        class EscoOccupationSerializer(serializers.Serializer):
            uri = serializers.CharField()
            labels = serializers.DictField(child=serializers.CharField())

        class EcsfProfileSerializer(serializers.Serializer):
            id = serializers.CharField(help_text="The ECSF profile's key, such as pentester.")
            title = serializers.CharField(
                source="profile", help_text="The ECSF role profile, as ENISA names it."
            )
            entry_variant = serializers.CharField(
                help_text="The entry-level variant of the profile, in the request's language."
            )
            entry_variants = serializers.SerializerMethodField(
                help_text="The entry-level variant in French, Dutch and English."
            )

            @extend_schema_field(LABELS_SCHEMA)
            def get_entry_variants(self, profile):
                return profile["entry_variants"]

        class EcfCompetenceSerializer(serializers.Serializer):
            code = serializers.CharField(help_text="e-CF (EN 16234-1) code, such as B.3.")
            name = serializers.CharField()
            level = serializers.IntegerField(help_text="e-CF proficiency level, 1 to 5.")

        esco_occupation = EscoOccupationSerializer()
        ecsf_profile = EcsfProfileSerializer(
            allow_null=True, help_text="ENISA's ECSF role profile; null outside cyber-security."
        )
        ecf = EcfCompetenceSerializer(many=True, help_text="The ECSF profile's e-CF competences.")

    title = serializers.CharField(read_only=True)
    titles = TranslatedLabelsField("title")
    summary = serializers.CharField(read_only=True)
    track = serializers.ChoiceField(
        choices=Track.choices,
        read_only=True,
        help_text="digital: the digital and cyber track (the digital sector); security: the "
        "prevention and security track (every other sector).",
    )
    frameworks = serializers.SerializerMethodField(
        help_text="The ESCO occupation, and for cyber roles the ECSF profile (with its entry "
        "variant) and its e-CF competences with levels."
    )
    next_roles = serializers.SlugRelatedField(
        many=True,
        read_only=True,
        slug_field="slug",
        help_text="The ladder: slugs of the roles one usually moves on to from this one.",
    )
    previous_roles = serializers.SlugRelatedField(
        many=True,
        read_only=True,
        slug_field="slug",
        help_text="The ladder: slugs of the roles that usually lead to this one.",
    )
    requirements = RequirementSerializer(many=True, read_only=True)
    languages = LanguageRequirementSerializer(
        source="language_requirements", many=True, read_only=True
    )
    language_note = serializers.CharField(read_only=True)
    legal_conditions = LegalConditionsSerializer(source="*", read_only=True)
    selection = serializers.CharField(read_only=True)
    training = serializers.CharField(read_only=True)

    @extend_schema_field(FrameworksSerializer)
    def get_frameworks(self, role):
        stored = role.frameworks or {}
        esco = stored.get("esco") or {}
        ecsf = stored.get("ecsf")
        profile = None
        if ecsf:
            current = role.ecsf
            profile = {
                "id": current["id"],
                "profile": current["profile"],
                "entry_variant": current["entry_variant"],
                "entry_variants": dict(ecsf.get("entry_variant") or {}),
            }
        value = {
            "esco_occupation": {
                "uri": esco.get("uri") or role.esco_uri,
                "labels": dict(esco.get("labels") or {}),
            },
            "ecsf_profile": profile,
            "ecf": role.ecf_competences,
        }
        return self.FrameworksSerializer(value).data

    class Meta:
        model = Role
        fields = [
            "id",
            "slug",
            "title",
            "titles",
            "esco_uri",
            "sector",
            "track",
            "frameworks",
            "next_roles",
            "previous_roles",
            "summary",
            "diploma_required_by_law",
            "legal_conditions",
            "requirements",
            "languages",
            "language_note",
            "selection",
            "training",
        ]


@extend_schema(
    parameters=[
        OpenApiParameter("sector", str),
        OpenApiParameter(
            "track",
            str,
            enum=Track.values,
            description="digital: the digital and cyber track; security: prevention and security.",
        ),
        LANG_PARAMETER,
    ],
    summary="Roles with their requirement profile and legal conditions",
)
class RoleListApi(AnonymousReadCacheMixin, generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = RoleSerializer

    def get_queryset(self):
        roles = Role.objects.with_profile().with_ladder().order_by("sector", "slug")
        sector = self.request.query_params.get("sector")
        if sector:
            roles = roles.filter(sector=sector)
        track = self.request.query_params.get("track")
        if track:
            if track not in Track.values:
                raise ValidationError(
                    {
                        "track": [
                            _("Choose one of: %(values)s.") % {"values": ", ".join(Track.values)}
                        ]
                    }
                )
            roles = roles.in_track(track)
        return roles


@extend_schema(parameters=[LANG_PARAMETER], summary="One role")
class RoleDetailApi(AnonymousReadCacheMixin, generics.RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = RoleSerializer
    queryset = Role.objects.with_profile().with_ladder()


class CommuneSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    postcodes = serializers.ListField(source="postcode_list", child=serializers.CharField())
    police_zone = serializers.IntegerField(source="police_zone.number")

    class Meta:
        model = Commune
        fields = ["id", "nis_code", "name", "name_fr", "name_nl", "postcodes", "police_zone"]


@extend_schema(parameters=[LANG_PARAMETER], summary="The 19 communes of Brussels")
class CommuneListApi(AnonymousReadCacheMixin, generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = CommuneSerializer
    queryset = Commune.objects.select_related("police_zone").order_by("name_fr")


class LanguageSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Language
        fields = ["code", "name", "is_national"]


@extend_schema(parameters=[LANG_PARAMETER], summary="Languages a profile or a role can name")
class LanguageListApi(AnonymousReadCacheMixin, generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = LanguageSerializer
    queryset = Language.objects.order_by("position", "code")
