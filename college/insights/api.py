"""The skills observatory in the API: `GET /api/v1/observatory/skills/` and
`GET /api/v1/observatory/trend/`.

Anyone gets the public aggregate; college staff get the detail (supply by evidence kind) and
may narrow the demand with `role`, `sector` and `commune`. Every count is a shown figure of
college/insights/observatory.py: a multiple of 10 rounded down, or "<10".
"""

import django_filters
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from college.core import suppression
from college.core.public_cache import cache_anonymous_api
from college.insights import observatory
from college.models import Commune, Evidence, Role, Sector, User
from college.reference.api import LANG_PARAMETER
from employers.models import Vacancy

COUNT_SCHEMA = {
    "oneOf": [
        {"type": "integer", "minimum": suppression.THRESHOLD, "multipleOf": suppression.THRESHOLD},
        {"type": "string", "enum": [suppression.FEWER]},
    ],
    "description": 'Rounded down to a multiple of 10; under 10 (zero included): "<10".',
}


@extend_schema_field(COUNT_SCHEMA)
class CountField(serializers.Field):
    """A shown count: an integer multiple of 10, or the string "<10"."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value


def counts_by(keys, description):
    return {
        "type": "object",
        "properties": {str(key): COUNT_SCHEMA for key in keys},
        "description": description,
    }


@extend_schema_field(counts_by(observatory.LEVELS, "Per level 1 (basic) to 4 (expert)."))
class LevelCountsField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return {str(level): count for level, count in value.items()}


@extend_schema_field(
    {
        **counts_by(Evidence.values, "Job-seekers by how the skill is known (staff only)."),
        "nullable": True,
    }
)
class EvidenceCountsField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return dict(value) or None


class ObservatorySkillSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    esco_uri = serializers.CharField()


class DemandSerializer(serializers.Serializer):
    vacancies = CountField(help_text="Published vacancies asking the skill at entry.")
    posts = CountField(help_text="Their posts.")
    posts_by_level = LevelCountsField(help_text="Posts by the level asked at entry.")
    training_vacancies = CountField(
        help_text="Published vacancies teaching the skill after hiring (not demand at entry)."
    )


class SupplySerializer(serializers.Serializer):
    people = CountField(help_text="Consenting job-seekers holding the skill, whole region.")
    people_by_level = LevelCountsField(help_text="Of them, those at this level or above.")
    by_evidence = EvidenceCountsField()


class ModuleCoverSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="module.pk")
    title = serializers.CharField(source="module.title")
    level = serializers.IntegerField(help_text="Level taught, 1 to 4.")
    next_cohort = serializers.DateField(
        allow_null=True, help_text="Start of the next cohort not cancelled, if any."
    )


class SkillRowSerializer(serializers.Serializer):
    skill = ObservatorySkillSerializer()
    demand = serializers.SerializerMethodField()
    supply = serializers.SerializerMethodField()
    modules = ModuleCoverSerializer(many=True)

    @extend_schema_field(DemandSerializer)
    def get_demand(self, row):
        return DemandSerializer(row).data

    @extend_schema_field(SupplySerializer)
    def get_supply(self, row):
        return SupplySerializer(row).data


class GapSerializer(serializers.Serializer):
    skill = ObservatorySkillSerializer()
    level = serializers.IntegerField(help_text="Level asked at entry.")
    posts = CountField(help_text="Posts asking the skill at that level.")
    people = CountField(help_text="Job-seekers holding it at that level or above.")
    gap = serializers.IntegerField(help_text='`posts` minus `people` as shown ("<10" as 0).')


class ObservatoryFilter(django_filters.FilterSet):
    """The query: staff may narrow the demand; anyone else gets the whole aggregate. Only its
    form is used (to check the values); the schema lists the values each filter accepts."""

    role = django_filters.ModelChoiceFilter(
        queryset=Role.objects.order_by("slug"), to_field_name="slug"
    )
    sector = django_filters.ChoiceFilter(choices=Sector.choices)
    commune = django_filters.ModelChoiceFilter(
        queryset=Commune.objects.order_by("nis_code"), to_field_name="nis_code"
    )

    class Meta:
        model = Vacancy
        fields = []


class AppliedFiltersSerializer(serializers.Serializer):
    role = serializers.CharField(allow_null=True, help_text="A role's slug.")
    sector = serializers.CharField(allow_null=True)
    commune = serializers.CharField(allow_null=True, help_text="A commune's NIS code.")


class ObservatorySkillsSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(
        choices=["public", "staff"], help_text="`staff`: the detail; `public`: the aggregate."
    )
    threshold = serializers.IntegerField()
    rule = serializers.CharField(help_text="The suppression rule in words.")
    filters = AppliedFiltersSerializer(help_text="The filters applied (staff only).")
    skills = SkillRowSerializer(many=True)
    gaps = GapSerializer(many=True)


class TrendMonthSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="First day of the month.")
    vacancies = CountField(help_text="Vacancies published that month.")
    job_seekers = CountField(help_text="Consenting job-seekers who added or updated a skill.")


class ObservatoryTrendSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=["public", "staff"])
    months = TrendMonthSerializer(many=True)


RULE = (
    'Every count is rounded down to a multiple of 10; a count under 10 is "<10". Totals are '
    "counted and rounded in the same way; a gap is the posts shown minus the people shown."
)
FILTER_PARAMETERS = [
    OpenApiParameter("role", str, description="Staff only: a role's slug."),
    OpenApiParameter(
        "sector", str, enum=Sector.values, description="Staff only: the roles' sector."
    ),
    OpenApiParameter("commune", str, description="Staff only: a commune's NIS code."),
    LANG_PARAMETER,
]


def is_staff(user):
    return user.is_authenticated and user.role == User.Role.STAFF


def _filters(request):
    """(detail, filters) or raises a 400 with field errors; others' filters are ignored."""
    if not is_staff(request.user):
        return False, observatory.Filters()
    form = ObservatoryFilter(data=request.query_params, queryset=Vacancy.objects.none()).form
    if not form.is_valid():
        raise serializers.ValidationError(form.errors)
    data = form.cleaned_data
    return True, observatory.Filters(
        role=data.get("role"), sector=data.get("sector") or None, commune=data.get("commune")
    )


def _filter_ids(filters):
    return {
        "role": filters.role.slug if filters.role else None,
        "sector": filters.sector,
        "commune": filters.commune.nis_code if filters.commune else None,
    }


@extend_schema(
    summary="Skills observatory: demand and supply per skill",
    description=(
        "Demand (published vacancies' skills at entry, by level) against supply (consenting "
        "job-seekers' skills), the largest gaps and the modules that teach each skill. "
        "Anyone gets the aggregate; college staff also get the supply by evidence kind and may "
        "narrow the demand by role, sector and commune (ignored for anyone else). " + RULE
    ),
    parameters=FILTER_PARAMETERS,
    responses=ObservatorySkillsSerializer,
)
class ObservatorySkillsApi(APIView):
    permission_classes = [AllowAny]
    filterset_class = ObservatoryFilter  # read by the schema only (college/core/openapi.py)

    @cache_anonymous_api
    def get(self, request):
        detail, filters = _filters(request)
        result = observatory.skills_observatory(filters=filters, detail=detail)
        data = {
            "scope": "staff" if detail else "public",
            "threshold": suppression.THRESHOLD,
            "rule": RULE,
            "filters": _filter_ids(filters),
            "skills": result.skills,
            "gaps": result.gaps,
        }
        return Response(ObservatorySkillsSerializer(data).data)


@extend_schema(
    summary="Skills observatory: the last 12 months",
    description=(
        "Per month: vacancies published (narrowed by the staff's filters) and consenting "
        "job-seekers who added or updated a skill. " + RULE
    ),
    parameters=FILTER_PARAMETERS,
    responses=ObservatoryTrendSerializer,
)
class ObservatoryTrendApi(APIView):
    permission_classes = [AllowAny]
    filterset_class = ObservatoryFilter  # read by the schema only (college/core/openapi.py)

    @cache_anonymous_api
    def get(self, request):
        detail, filters = _filters(request)
        data = {
            "scope": "staff" if detail else "public",
            "months": observatory.trend(filters=filters, detail=detail),
        }
        return Response(ObservatoryTrendSerializer(data).data)
