"""Employers and vacancies in the public API: `/api/v1/employers/` and `/api/v1/vacancies/`.

Anyone reads verified employers and published vacancies; members of an employer organisation
also read their own organisation's drafts and closed vacancies (`?mine=true`), create vacancies
and change them. Another organisation's vacancy is a 404, never a 403.
"""

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from candidates.api.profile import RoleReferenceSerializer
from candidates.models import DrivingLicence
from college.core.converters import MAX_ID
from college.core.parsers import SafeJSONParser
from college.core.public_cache import AnonymousReadCacheMixin, cache_anonymous_api
from college.core.serializers import errors_by_field, with_required
from college.core.text import MULTI_LINE
from college.models import (
    CEFR,
    CertificateLevel,
    Commune,
    Diploma,
    Importance,
    Language,
    Level,
    RequirementStage,
    Role,
    Skill,
)
from college.reference.api import LANG_PARAMETER, SkillReferenceSerializer, TranslatedLabelsField
from employers import vacancy_cache
from employers.access import (
    get_application_for,
    get_published_vacancy,
    get_vacancy_for_member,
    membership_of,
    vacancies_managed_by,
    vacancies_visible_to,
)
from employers.filters import VacancyFilter
from employers.models import Application, Contract, Employer, Vacancy
from employers.services import (
    application_move,
    vacancy_check_closes_on,
    vacancy_check_diploma,
    vacancy_check_role,
    vacancy_check_salary_range,
    vacancy_check_status,
    vacancy_create,
    vacancy_update,
)

# The European working-time directive's weekly maximum.
MAX_HOURS_PER_WEEK = 48
MAX_POSTS = 500
MAX_SALARY = 100_000
MAX_REQUIREMENTS = 60
MAX_LANGUAGES = 20
# Brussels' language certificates (the language laws) exist for French and Dutch only.
CERTIFICATE_LANGUAGES = {"fr", "nl"}
TRUE_VALUES = {"true", "1", "yes"}
FALSE_VALUES = {"false", "0", "no", ""}
BOOLEAN_FILTER_VALUES = {"true", "false", "True", "False"}
SLUG_PATTERN = re.compile(r"[-a-zA-Z0-9_]{1,50}")
URI_PATTERN = re.compile(r"https?://[!-~]+")


def _inline_choice_field(name, choices, description, *, blank=False):
    """A ChoiceField whose enum stays inline in the schema, under `allOf`.

    drf-spectacular names enum components after the field ("status", "kind", "nationality");
    other APIs' fields of the same names hold other choices, which makes a schema warning.
    """
    values = [str(value) for value in choices.values] + ([""] if blank else [])
    # The description keeps the allOf: a lone allOf would be unwrapped.
    schema = {"allOf": [{"type": "string", "enum": values}], "description": description}
    return extend_schema_field(schema)(type(name, (serializers.ChoiceField,), {}))


CERTIFICATE_HELP = (
    "A Brussels language certificate accepted instead of the CEFR level (French and Dutch "
    "only), or empty."
)
VacancyStatusField = _inline_choice_field(
    "VacancyStatusField", Vacancy.Status, "Where the vacancy is in its workflow."
)
EmployerKindField = _inline_choice_field(
    "EmployerKindField", Employer.Kind, "The kind of organisation."
)
NationalityField = _inline_choice_field(
    "NationalityField",
    Role.Nationality,
    "The nationality the law requires: any, eea (a European Economic Area country or "
    "Switzerland) or belgian.",
)
DrivingLicenceField = _inline_choice_field(
    "DrivingLicenceField", DrivingLicence, "A driving licence category, or empty.", blank=True
)
CertificateField = _inline_choice_field(
    "CertificateField", CertificateLevel, CERTIFICATE_HELP, blank=True
)


class IsEmployerMemberToWrite(BasePermission):
    """Anyone reads; only members of an employer organisation write."""

    message = gettext_lazy(
        "Only members of an employer organisation can create or change vacancies."
    )

    def has_permission(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return membership_of(request.user) is not None


# --- Employers -------------------------------------------------------------------------------


class EmployerCommuneSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    postcodes = serializers.ListField(source="postcode_list", child=serializers.CharField())

    class Meta:
        model = Commune
        fields = ["id", "nis_code", "name", "postcodes"]


class EmployerNamesSerializer(serializers.Serializer):
    fr = serializers.CharField(source="name_fr")
    nl = serializers.CharField(source="name_nl", help_text="Empty when it has only one name.")
    en = serializers.CharField(source="name_en", help_text="Empty when it is the French one.")


EMPLOYER_NAME_HELP = "In the caller's language (Accept-Language or ?lang=), else French."


class EmployerSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text=EMPLOYER_NAME_HELP)
    names = EmployerNamesSerializer(
        source="*",
        read_only=True,
        help_text="The official names: Brussels public bodies have a French and a Dutch one.",
    )
    kind = EmployerKindField(choices=Employer.Kind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    communes = EmployerCommuneSerializer(
        many=True, help_text="The Brussels communes the organisation serves."
    )
    police_zone = serializers.IntegerField(
        source="police_zone.number", allow_null=True, help_text="The zone number, if any."
    )
    open_vacancies = serializers.IntegerField(help_text="Published vacancies still open.")

    class Meta:
        model = Employer
        fields = [
            "id",
            "name",
            "names",
            "slug",
            "kind",
            "kind_label",
            "communes",
            "website",
            "police_zone",
            "open_vacancies",
        ]


def verified_employers():
    open_vacancy = Q(
        vacancies__status=Vacancy.Status.PUBLISHED,
        vacancies__closes_on__gte=timezone.localdate(),
    )
    return (
        Employer.objects.verified()
        .select_related("police_zone")
        .prefetch_related(Prefetch("communes", queryset=Commune.objects.order_by("name_fr")))
        .annotate(open_vacancies=Count("vacancies", filter=open_vacancy, distinct=True))
        .order_by("name_fr", "pk")
    )


@extend_schema(parameters=[LANG_PARAMETER], summary="Verified employer organisations")
class EmployerListApi(AnonymousReadCacheMixin, generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = EmployerSerializer
    filter_backends = []

    def get_queryset(self):
        return verified_employers()


@extend_schema(parameters=[LANG_PARAMETER], summary="One verified employer organisation")
class EmployerDetailApi(AnonymousReadCacheMixin, generics.RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = EmployerSerializer
    filter_backends = []
    lookup_field = "slug"

    def get_queryset(self):
        return verified_employers()


# --- Vacancies: what is read -----------------------------------------------------------------


class VacancyEmployerSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text=EMPLOYER_NAME_HELP)

    class Meta:
        model = Employer
        fields = ["id", "name", "slug"]


class VacancyCommuneSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    postcode = serializers.CharField(source="main_postcode", read_only=True)

    class Meta:
        model = Commune
        fields = ["id", "nis_code", "name", "postcode"]


class VacancyLegalConditionsSerializer(serializers.Serializer):
    min_age = serializers.IntegerField(allow_null=True)
    nationality = NationalityField(choices=Role.Nationality.choices)
    clean_record_required = serializers.BooleanField()
    driving_licence = DrivingLicenceField(
        choices=DrivingLicence.choices, allow_blank=True, help_text="A licence category, or empty."
    )


class VacancyRequirementSerializer(serializers.Serializer):
    skill = SkillReferenceSerializer()
    importance = serializers.ChoiceField(choices=Importance.choices)
    min_level = serializers.IntegerField(help_text="1 (basic) to 4 (expert).")
    stage = serializers.ChoiceField(
        choices=RequirementStage.choices,
        help_text="entry: required of applicants, counted in score and gaps; training: learned "
        "after hiring in the employer's own school, never missing.",
    )


class VacancyLanguageSerializer(serializers.Serializer):
    language = serializers.CharField(source="language.code", help_text="ISO 639-1 code.")
    name = serializers.CharField(source="language.name")
    cefr = serializers.ChoiceField(source="min_cefr", choices=CEFR.choices)
    certificate = CertificateField(
        choices=CertificateLevel.choices, allow_blank=True, help_text=CERTIFICATE_HELP
    )
    is_alternative = serializers.BooleanField(
        help_text="Languages marked so form one group: one of them is enough."
    )


class VacancySerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True, help_text="In the request's language.")
    titles = TranslatedLabelsField("title")
    description = serializers.CharField(read_only=True, help_text="In the request's language.")
    descriptions = TranslatedLabelsField("description")
    employer = VacancyEmployerSerializer(read_only=True)
    role = RoleReferenceSerializer(read_only=True)
    commune = VacancyCommuneSerializer(read_only=True)
    alternative_route = serializers.SerializerMethodField()
    legal_conditions = VacancyLegalConditionsSerializer(source="*", read_only=True)
    requirements = VacancyRequirementSerializer(
        source="skill_requirements", many=True, read_only=True
    )
    languages = VacancyLanguageSerializer(source="language_requirements", many=True, read_only=True)
    status = VacancyStatusField(choices=Vacancy.Status.choices, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Vacancy
        fields = [
            "id",
            "title",
            "titles",
            "description",
            "descriptions",
            "employer",
            "role",
            "commune",
            "address",
            "contract",
            "hours_per_week",
            "shifts",
            "nights",
            "weekends",
            "salary_scale",
            "salary_min",
            "salary_max",
            "posts",
            "status",
            "published_at",
            "closes_on",
            "diploma_required",
            "required_diploma",
            "alternative_route",
            "legal_conditions",
            "requirements",
            "languages",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(
        {
            "type": "string",
            "nullable": True,
            "description": "How to qualify without the diploma; null when none is required.",
        }
    )
    def get_alternative_route(self, vacancy):
        return vacancy.role.alternative_route if vacancy.diploma_required else None

    @extend_schema_field(
        {"type": "string", "format": "uri", "description": "The vacancy's public page."}
    )
    def get_url(self, vacancy):
        path = reverse("employers:vacancy_detail", args=[vacancy.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class _Origin:
    """What `VacancySerializer` asks of a request: an absolute address, from `origin`."""

    def __init__(self, origin):
        self.origin = origin.removesuffix("/")

    def build_absolute_uri(self, path):
        return self.origin + path


def vacancy_shared_data(vacancy, origin):
    """A published vacancy's representation for anyone (employers/vacancy_cache.py), its `url`
    starting from `origin` (the scheme and host of `request.build_absolute_uri("/")`)."""
    return VacancySerializer(vacancy, context={"request": _Origin(origin)}).data


# --- Vacancies: what is written --------------------------------------------------------------


@extend_schema_field(
    {
        "oneOf": [{"type": "integer"}, {"type": "string", "format": "uri"}],
        "description": "A skill's id, or its ESCO URI.",
    }
)
class SkillInputField(serializers.Field):
    """A skill named by its id or its ESCO URI; resolved in bulk by the list's validation."""

    default_error_messages = {
        "invalid": gettext_lazy("Give a skill's id (a number) or its ESCO URI."),
    }

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (int, str)):
            self.fail("invalid")
        if isinstance(data, str):
            data = data.strip()
            if data.startswith(("http://", "https://")) and len(data) <= 200:
                if not URI_PATTERN.fullmatch(data):
                    self.fail("invalid")
                return ("esco_uri", data)
            if not data.isdigit():
                self.fail("invalid")
            data = int(data)
        # Out of range ids exist nowhere: the list's validation says so at the item.
        return ("id", data if 1 <= data <= MAX_ID else None)

    def to_representation(self, value):
        return value


@extend_schema_field(
    {
        "type": "string",
        "maxLength": 5,
        "description": "A Brussels postcode (such as 1030) or a commune's NIS code (21015).",
    }
)
class CommuneInputField(serializers.Field):
    default_error_messages = {
        "invalid": gettext_lazy("Give a Brussels postcode (such as 1030) or a commune's NIS code."),
        "does_not_exist": gettext_lazy("No Brussels commune has this postcode or NIS code."),
    }

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (int, str)):
            self.fail("invalid")
        code = str(data).strip()
        if not code.isdigit() or len(code) not in (4, 5):
            self.fail("invalid")
        for commune in Commune.objects.all():
            if code == commune.nis_code or code in commune.postcode_list:
                return commune
        self.fail("does_not_exist")

    def to_representation(self, value):
        return value.main_postcode


@extend_schema_field({"type": "string", "maxLength": 50, "pattern": "^[-a-zA-Z0-9_]+$"})
class RoleSlugField(serializers.SlugRelatedField):
    def to_internal_value(self, data):
        # Checked before the query: PostgreSQL refuses some characters (NUL) outright.
        if not isinstance(data, str) or not SLUG_PATTERN.fullmatch(data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return super().to_internal_value(data)


class VacancyRequirementInputSerializer(serializers.Serializer):
    skill = SkillInputField()
    importance = serializers.ChoiceField(choices=Importance.choices)
    min_level = serializers.IntegerField(
        min_value=Level.BASIC, max_value=Level.EXPERT, help_text="1 (basic) to 4 (expert)."
    )
    stage = serializers.ChoiceField(
        choices=RequirementStage.choices,
        required=False,
        default=RequirementStage.ENTRY,
        help_text="entry (default) or training.",
    )

    def validate(self, attrs):
        return with_required(self, attrs, ("skill", "importance", "min_level"))


class VacancyLanguageInputSerializer(serializers.Serializer):
    language = serializers.CharField(max_length=3, help_text="ISO 639-1 code, such as nl.")
    cefr = serializers.ChoiceField(choices=CEFR.choices, help_text="The minimum CEFR level.")
    certificate = CertificateField(
        choices=CertificateLevel.choices, allow_blank=True, default="", help_text=CERTIFICATE_HELP
    )
    is_alternative = serializers.BooleanField(
        default=False, help_text="Languages marked so form one group: one of them is enough."
    )

    def validate(self, attrs):
        return with_required(self, attrs, ("language", "cefr"))


class VacancyLegalConditionsInputSerializer(serializers.Serializer):
    min_age = serializers.IntegerField(min_value=16, max_value=65, allow_null=True, required=False)
    nationality = NationalityField(choices=Role.Nationality.choices, required=False)
    clean_record_required = serializers.BooleanField(required=False)
    driving_licence = DrivingLicenceField(
        choices=DrivingLicence.choices, allow_blank=True, required=False
    )


class VacancyInputSerializer(serializers.Serializer):
    """The writable fields of a vacancy.

    Create: `role`, `title_fr`, `title_nl`, `description_fr`, `description_nl` and `contract`
    are required; left out, the commune is the organisation's first, the closing date 30 days
    ahead, the legal conditions, requirements and languages the role's. Update (PATCH): only
    the fields sent change; a `requirements` or `languages` list sent replaces the stored one.
    """

    role = RoleSlugField(
        slug_field="slug",
        queryset=Role.objects.all(),
        help_text="The role's slug, such as peace-guard (see /api/v1/roles/): one the "
        "organisation's kind recruits for (a police zone police and civilian police roles, a "
        "prevention service prevention roles…), else a 400 on `role`.",
        error_messages={"does_not_exist": gettext_lazy("There is no role with this slug.")},
    )
    title_fr = serializers.CharField(max_length=200)
    title_nl = serializers.CharField(max_length=200)
    title_en = serializers.CharField(max_length=200, allow_blank=True, required=False)
    # The textarea style marks multi-line text for `college.core.text.clean_text`.
    description_fr = serializers.CharField(max_length=10_000, style=MULTI_LINE)
    description_nl = serializers.CharField(max_length=10_000, style=MULTI_LINE)
    description_en = serializers.CharField(
        max_length=10_000, allow_blank=True, required=False, style=MULTI_LINE
    )
    commune = CommuneInputField(required=False)
    address = serializers.CharField(max_length=200, allow_blank=True, required=False)
    contract = serializers.ChoiceField(choices=Contract.choices)
    hours_per_week = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        min_value=1,
        max_value=MAX_HOURS_PER_WEEK,
        allow_null=True,
        required=False,
    )
    shifts = serializers.BooleanField(required=False)
    nights = serializers.BooleanField(required=False)
    weekends = serializers.BooleanField(required=False)
    salary_scale = serializers.CharField(max_length=60, allow_blank=True, required=False)
    salary_min = serializers.IntegerField(
        min_value=0, max_value=MAX_SALARY, allow_null=True, required=False
    )
    salary_max = serializers.IntegerField(
        min_value=0, max_value=MAX_SALARY, allow_null=True, required=False
    )
    posts = serializers.IntegerField(min_value=1, max_value=MAX_POSTS, required=False)
    closes_on = serializers.DateField(
        required=False, help_text="Today or later; 30 days ahead when left out on create."
    )
    legal_conditions = VacancyLegalConditionsInputSerializer(required=False)
    diploma_required = serializers.BooleanField(
        required=False,
        help_text="true only where the law requires a diploma for the role (see the role's "
        "diploma_required_by_law); otherwise a 400.",
    )
    required_diploma = serializers.ChoiceField(choices=Diploma.choices, required=False)
    requirements = VacancyRequirementInputSerializer(
        many=True, max_length=MAX_REQUIREMENTS, required=False
    )
    languages = VacancyLanguageInputSerializer(many=True, max_length=MAX_LANGUAGES, required=False)
    status = VacancyStatusField(
        choices=Vacancy.Status.choices,
        required=False,
        help_text="Create: draft (the default) or published. Update: a step of the workflow "
        "draft → published → closed or filled (closed → published again).",
    )

    def _stored(self, field, default=None):
        return getattr(self.instance, field) if self.instance is not None else default

    def validate_closes_on(self, value):
        vacancy_check_closes_on(closes_on=value, stored_closes_on=self._stored("closes_on"))
        return value

    def validate_requirements(self, items):
        ids = [item["skill"][1] for item in items if item["skill"][0] == "id"]
        uris = [item["skill"][1] for item in items if item["skill"][0] == "esco_uri"]
        by_id = Skill.objects.in_bulk([pk for pk in ids if pk is not None])
        by_uri = Skill.objects.in_bulk(uris, field_name="esco_uri") if uris else {}
        errors, seen, resolved = {}, set(), []
        for index, item in enumerate(items):
            kind, key = item["skill"]
            skill = (by_id if kind == "id" else by_uri).get(key)
            if skill is None:
                errors[index] = {"skill": [_("There is no skill with this id or ESCO URI.")]}
            elif skill.pk in seen:
                errors[index] = {"skill": [_("This skill is already in the list.")]}
            else:
                seen.add(skill.pk)
                resolved.append({**item, "skill": skill})
        if errors:
            raise serializers.ValidationError(errors)
        return resolved

    def validate_languages(self, items):
        codes = [item["language"].strip().lower() for item in items]
        known = {language.code: language for language in Language.objects.filter(code__in=codes)}
        errors, seen, resolved = {}, set(), []
        for index, (code, item) in enumerate(zip(codes, items, strict=True)):
            if code not in known:
                errors[index] = {"language": [_("There is no language with this code.")]}
            elif code in seen:
                errors[index] = {"language": [_("This language is already in the list.")]}
            elif item.get("certificate") and code not in CERTIFICATE_LANGUAGES:
                errors[index] = {
                    "certificate": [
                        _("Brussels language certificates exist for French and Dutch only.")
                    ]
                }
            else:
                resolved.append(
                    {
                        "language": known[code],
                        "min_cefr": item["cefr"],
                        # In a PATCH, DRF leaves the items' defaults out.
                        "certificate": item.get("certificate", ""),
                        "is_alternative": item.get("is_alternative", False),
                    }
                )
            seen.add(code)
        if errors:
            raise serializers.ValidationError(errors)
        return resolved

    def validate(self, attrs):
        employer = self.context["employer"]
        role = attrs.get("role") or self._stored("role")
        errors = {}
        if self.instance is None and "commune" not in attrs:
            if not employer.communes.exists():
                errors["commune"] = [self.fields["commune"].error_messages["required"]]
        if "role" in attrs and attrs["role"] != self._stored("role"):
            try:
                vacancy_check_role(employer=employer, role=role)
            except DjangoValidationError as error:
                errors.update(error.message_dict)
        try:
            vacancy_check_salary_range(
                salary_min=attrs.get("salary_min", self._stored("salary_min")),
                salary_max=attrs.get("salary_max", self._stored("salary_max")),
            )
        except DjangoValidationError as error:
            errors.update(error.message_dict)
        diploma_required = attrs.get(
            "diploma_required", self._stored("diploma_required", role.diploma_required_by_law)
        )
        try:
            vacancy_check_diploma(role=role, diploma_required=diploma_required)
        except DjangoValidationError as error:
            errors.update(error.message_dict)
        if diploma_required and attrs.get("required_diploma") == Diploma.NONE:
            errors["required_diploma"] = [_("Name the diploma the law requires.")]
        errors.update(self._status_errors(attrs, employer))
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def _status_errors(self, attrs, employer):
        # The service checks the same again under a lock; checked here first so that every
        # error shows in one answer.
        wanted = attrs.get("status")
        current = self._stored("status")
        if wanted is None or wanted == current:
            return {}
        try:
            vacancy_check_status(
                employer=employer,
                current=current,
                wanted=wanted,
                closes_on=attrs.get("closes_on", self._stored("closes_on")),
            )
        except DjangoValidationError as error:
            return errors_by_field(error, "status")
        return {}

    def service_arguments(self):
        """The validated data as `vacancy_create` and `vacancy_update` take it."""
        data = dict(self.validated_data)
        arguments = {
            "skills": data.pop("requirements", None),
            "languages": data.pop("languages", None),
        }
        if "status" in data:
            arguments["status"] = data.pop("status")
        data.update(data.pop("legal_conditions", {}))
        return {"data": data, **arguments}


class VacancyApiFilter(VacancyFilter):
    """The board's filters, with the language parameter typed for the schema."""

    def filter_language(self, queryset, name, value: str):
        # The hint names the parameter's type in the schema: a language code.
        return super().filter_language(queryset, name, value)


def _vacancy_with_requirements(pk):
    return Vacancy.objects.for_list().with_requirements().get(pk=pk)


MINE_PARAMETER = OpenApiParameter(
    "mine",
    OpenApiTypes.BOOL,
    description=(
        "true: the caller's own organisation's vacancies, drafts, closed and filled ones "
        "included (employer members only: 401 without credentials, 403 for anyone else)."
    ),
)
ERROR_RESPONSE = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description='Invalid values: `{"field": ["message"]}`; nothing is saved.',
)

# IsEmployerMemberToWrite lets anyone read, which drf-spectacular cannot see: say so for GETs.
PUBLIC_READ_AUTH = [{"tokenAuth": []}, {"cookieAuth": []}, {}]


class VacancyListApi(AnonymousReadCacheMixin, generics.ListAPIView):
    """Published vacancies; members also create their organisation's vacancies here."""

    permission_classes = [IsEmployerMemberToWrite]
    parser_classes = [SafeJSONParser]
    serializer_class = VacancySerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = VacancyApiFilter

    def _is_mine(self):
        value = self.request.query_params.get("mine", "").strip().lower()
        if value in TRUE_VALUES:
            return True
        if value in FALSE_VALUES:
            return False
        raise serializers.ValidationError({"mine": [_("Use true or false.")]})

    def get_queryset(self):
        if self._is_mine():
            if membership_of(self.request.user) is None:
                self.permission_denied(
                    self.request,
                    message=_(
                        "Only members of an employer organisation can list their own "
                        "vacancies (mine=true)."
                    ),
                )
            vacancies = vacancies_managed_by(self.request.user)
        else:
            vacancies = Vacancy.objects.published()
        return vacancies.for_list().with_requirements()

    @extend_schema(
        parameters=[MINE_PARAMETER, LANG_PARAMETER],
        auth=PUBLIC_READ_AUTH,
        responses={
            200: VacancySerializer,
            403: OpenApiResponse(description="mine=true from a caller who is not a member."),
        },
        summary="Published vacancies",
        description=(
            "Published, open vacancies of verified organisations, newest first. Every filter "
            "is optional; an invalid value is a 400 naming the parameter. `commune` takes a "
            "postcode (or a NIS code); `role` and `employer` take slugs; `language` an ISO "
            "code, with `cefr` to keep vacancies asking at most that level."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        parameters=[LANG_PARAMETER],
        request=VacancyInputSerializer,
        responses={
            201: VacancySerializer,
            400: ERROR_RESPONSE,
            401: OpenApiResponse(description="No credentials."),
            403: OpenApiResponse(description="Not a member of an employer organisation."),
        },
        summary="Create a vacancy of my organisation",
        description=(
            'Creates a draft (or publishes at once with `"status": "published"`) for the '
            "caller's organisation, starting from the role's template: requirements, languages "
            "and legal conditions left out are the role's. `role` is a slug; `commune` a "
            "postcode or NIS code; requirement skills an id or an ESCO URI. Any invalid value "
            "is a 400 and nothing is saved."
        ),
    )
    def post(self, request, *args, **kwargs):
        membership = membership_of(request.user)
        serializer = VacancyInputSerializer(
            data=request.data, context={"employer": membership.employer, "request": request}
        )
        serializer.is_valid(raise_exception=True)
        try:
            vacancy = vacancy_create(
                employer=membership.employer,
                author=request.user,
                **serializer.service_arguments(),
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(errors_by_field(error, "status")) from None
        output = VacancySerializer(
            _vacancy_with_requirements(vacancy.pk), context=self.get_serializer_context()
        )
        return Response(output.data, status=status.HTTP_201_CREATED)


class VacancyDetailApi(APIView):
    """One vacancy: published ones for anyone, every one of theirs for the organisation."""

    permission_classes = [IsEmployerMemberToWrite]
    parser_classes = [SafeJSONParser]

    def _context(self):
        return {"request": self.request, "view": self}

    @extend_schema(
        parameters=[LANG_PARAMETER],
        responses={200: VacancySerializer, 404: OpenApiResponse(description="Not found.")},
        auth=PUBLIC_READ_AUTH,
        summary="One vacancy",
        description=(
            "A published vacancy, for anyone. Members of the owning organisation also read "
            "its drafts, closed and filled vacancies; for anyone else those are a 404."
        ),
    )
    @cache_anonymous_api
    def get(self, request, pk):
        is_json = getattr(request.accepted_renderer, "format", None) == "json"
        user = request.user
        if (user.is_authenticated and user.is_employer_member) or not is_json:
            # A member also reads their organisation's drafts (vacancies_visible_to); the
            # browsable API renders from the serializer itself: neither is kept.
            vacancies = vacancies_visible_to(request.user).for_list().with_requirements()
            vacancy = get_object_or_404(vacancies, pk=pk)
            return Response(VacancySerializer(vacancy, context=self._context()).data)
        # Anyone else reads the published vacancy, the same JSON for all; its `url` starts with
        # the request's scheme and host.
        origin = request.build_absolute_uri("/")
        data = vacancy_cache.kept(
            "api",
            pk,
            lambda: get_published_vacancy(pk, Vacancy.objects.for_list()),
            lambda vacancy: vacancy_shared_data(vacancy, origin),
            extra=[origin],
        )
        return Response(data)

    @extend_schema(
        parameters=[LANG_PARAMETER],
        request=VacancyInputSerializer,
        responses={
            200: VacancySerializer,
            400: ERROR_RESPONSE,
            401: OpenApiResponse(description="No credentials."),
            403: OpenApiResponse(description="Not a member of an employer organisation."),
            404: OpenApiResponse(description="Not a vacancy of the caller's organisation."),
        },
        summary="Change a vacancy of my organisation",
        description=(
            "Changes only the fields sent; a `requirements` or `languages` list replaces the "
            "stored one; `status` moves the vacancy through its workflow. Any invalid value "
            "is a 400 and nothing is saved."
        ),
    )
    def patch(self, request, pk):
        membership = membership_of(request.user)
        vacancy = get_vacancy_for_member(request.user, pk)
        serializer = VacancyInputSerializer(
            vacancy,
            data=request.data,
            partial=True,
            context={"employer": membership.employer, "request": request},
        )
        serializer.is_valid(raise_exception=True)
        try:
            vacancy = vacancy_update(
                employer=membership.employer, vacancy=vacancy, **serializer.service_arguments()
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(errors_by_field(error, "status")) from None
        vacancy = _vacancy_with_requirements(vacancy.pk)
        return Response(VacancySerializer(vacancy, context=self._context()).data)


# --- Applications: the stage move -----------------------------------------------------------


class ApplicationStageInputSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(
        choices=[
            choice
            for choice in Application.Stage.choices
            if choice[0] != Application.Stage.RECEIVED
        ],
        help_text="A later stage, or `not_retained`.",
    )
    reason = serializers.ChoiceField(
        choices=[
            choice
            for choice in Application.Reason.choices
            if choice[0] != Application.Reason.WITHDRAWN
        ],
        required=False,
        allow_blank=True,
        default="",
        help_text="Required with `not_retained`; the candidate sees it.",
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=1000,
        style=MULTI_LINE,
        help_text="A message to the candidate, for any stage.",
    )
    appointment_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Required with `invited_to_tests` and `interview`: in the future.",
    )
    appointment_place = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=200,
        help_text="Required with `invited_to_tests` and `interview`: the address, the room.",
    )
    appointment_instructions = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=1000,
        style=MULTI_LINE,
        help_text="What to bring and how to get there; in the e-mail and the .ics invitation.",
    )


class ApplicationStageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    stage = serializers.CharField(help_text="The stage now.")
    reason = serializers.CharField(help_text="The reason of a refusal, else empty.")
    note = serializers.CharField(
        source="reason_note", help_text="The message sent to the candidate, or empty."
    )
    appointment_at = serializers.DateTimeField(allow_null=True)
    appointment_place = serializers.CharField()
    appointment_instructions = serializers.CharField()
    stage_changed_at = serializers.DateTimeField()


class ApplicationStageApi(APIView):
    """Moves an application of the caller's organisation, as the applicants page does."""

    parser_classes = [SafeJSONParser]

    @extend_schema(
        request=ApplicationStageInputSerializer,
        responses={
            200: ApplicationStageSerializer,
            400: ERROR_RESPONSE,
            401: OpenApiResponse(description="No credentials."),
            403: OpenApiResponse(description="Not a member of an employer organisation."),
            404: OpenApiResponse(description="Not an application to the caller's organisation."),
        },
        summary="Move an application to its next stage",
        description=(
            "The candidate is e-mailed. `invited_to_tests` and `interview` need "
            "`appointment_at` (in the future) and `appointment_place`; the e-mail then carries "
            "an .ics invitation. `not_retained` needs a `reason`. Stages only move forward."
        ),
    )
    def post(self, request, pk):
        if membership_of(request.user) is None:
            raise PermissionDenied(_("Only members of an employer organisation move applications."))
        application = get_application_for(request.user, pk)
        serializer = ApplicationStageInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            application = application_move(
                application=application, user=request.user, **serializer.validated_data
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(errors_by_field(error, "stage")) from None
        return Response(ApplicationStageSerializer(application).data)
