from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from candidates.services import candidate_erase
from college.core.audit import audit_record
from college.core.credentials import user_credentials_revoke
from college.models import (
    ActionItem,
    AuditEvent,
    Certificate,
    Cohort,
    CohortSession,
    Commune,
    Enrolment,
    Guidance,
    Intake,
    IntakeBattery,
    Language,
    MfaDevice,
    Module,
    ModuleSkill,
    PathStep,
    PoliceZone,
    Programme,
    Role,
    RoleLanguageRequirement,
    RoleRequirement,
    Skill,
    TrainingPath,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "preferred_language", "is_active", "is_staff"]
    list_filter = ["role", "is_active", "is_staff", "preferred_language"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "role", "preferred_language"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "role", "password1", "password2"],
            },
        )
    ]
    # Changes that widen or narrow what an account may see are written to the audit log.
    AUDITED_FIELDS = ("role", "is_staff", "is_superuser", "is_active")

    def user_change_password(self, request, id, form_url=""):
        """A password set by staff ends the person's tokens and other sessions too: it is what
        staff do for someone whose account was taken over. Django's view answers a 302 only
        once the new password is saved."""
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, unquote(id))
            user_credentials_revoke(
                user=user,
                reason="password_set_by_staff",
                keep_request=request,
                actor=request.user,
            )
        return response

    # Deleting a job-seeker here is their erasure, through the one service that anonymises
    # what must stay (applications, certificates, audit events) before the account goes.
    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if all(obj.role == User.Role.CANDIDATE for obj in objs):
            # The service anonymises what protects the account (applications) and handles
            # the rows no admin may delete by hand (certificates, profile views): erasure is
            # the person's right, not a matter of the staff member's other permissions.
            perms_needed, protected = set(), []
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        if obj.role == User.Role.CANDIDATE:
            self._erase(request, obj)
        else:
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for candidate in queryset.filter(role=User.Role.CANDIDATE):
            self._erase(request, candidate)
        super().delete_queryset(request, queryset.exclude(role=User.Role.CANDIDATE))

    def _erase(self, request, user):
        candidate_erase(user=user, erased_by=request.user, reason="admin", request=request)

    def save_model(self, request, obj, form, change):
        changed = [name for name in self.AUDITED_FIELDS if name in form.changed_data]
        super().save_model(request, obj, form, change)
        if change and changed:
            audit_record(
                actor=request.user,
                action=AuditEvent.Action.ROLE_CHANGED,
                object_type="user",
                object_id=obj.pk,
                detail=", ".join(f"{name}={getattr(obj, name)}" for name in changed),
                request=request,
            )


@admin.register(MfaDevice)
class MfaDeviceAdmin(admin.ModelAdmin):
    """Lets staff reset a person's authenticator (deleting it) when they lost it."""

    list_display = ["user", "confirmed_at", "created_at"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    fields = ["user", "confirmed_at", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        self._record_reset(request, [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        self._record_reset(request, list(queryset))
        super().delete_queryset(request, queryset)

    def _record_reset(self, request, devices):
        for device in devices:
            audit_record(
                actor=request.user,
                action=AuditEvent.Action.MFA_RESET,
                object_type="user",
                object_id=device.user_id,
                request=request,
            )


@admin.register(PoliceZone)
class PoliceZoneAdmin(admin.ModelAdmin):
    list_display = ["number", "short_name", "name_fr", "name_nl"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["name_fr", "name_nl", "nis_code", "postcodes", "police_zone"]
    list_select_related = ["police_zone"]
    search_fields = ["name_fr", "name_nl", "postcodes"]


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fr", "name_nl", "name_en", "is_national", "position"]
    list_editable = ["position"]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["label_en", "label_fr", "label_nl", "skill_type", "is_transversal"]
    list_filter = ["skill_type", "is_transversal", "reuse_level"]
    search_fields = ["label_en", "label_fr", "label_nl", "esco_uri"]
    readonly_fields = ["esco_uri"]


class RoleRequirementInline(admin.TabularInline):
    model = RoleRequirement
    autocomplete_fields = ["skill"]
    extra = 0


class RoleLanguageRequirementInline(admin.TabularInline):
    model = RoleLanguageRequirement
    extra = 0


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["title_fr", "title_nl", "sector", "diploma_required_by_law", "min_age"]
    list_filter = ["sector", "diploma_required_by_law"]
    search_fields = ["title_fr", "title_nl", "title_en", "slug"]
    inlines = [RoleRequirementInline, RoleLanguageRequirementInline]


@admin.register(Guidance)
class GuidanceAdmin(admin.ModelAdmin):
    list_display = ["counsellor", "candidate", "started_at", "ended_at"]
    list_select_related = ["counsellor", "candidate"]
    list_filter = ["ended_at"]
    search_fields = ["counsellor__email", "candidate__email"]
    autocomplete_fields = ["counsellor", "candidate"]


# The training catalogue, cohorts and paths. CounsellorNote is deliberately not here:
# notes are private to the counselling team and read only through the caseload pages.


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["title_fr", "title_nl", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["title_fr", "title_nl", "title_en", "slug"]
    filter_horizontal = ["roles"]
    prepopulated_fields = {"slug": ["title_en"]}


class ModuleSkillInline(admin.TabularInline):
    model = ModuleSkill
    autocomplete_fields = ["skill"]
    extra = 0


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = [
        "title_fr",
        "programme",
        "hours",
        "pass_percent",
        "language_taught",
        "cefr_reached",
        "is_active",
        "position",
    ]
    list_select_related = ["programme", "language_taught"]
    list_filter = ["is_active", "programme", "languages", "language_taught"]
    list_editable = ["is_active", "position"]
    search_fields = ["title_fr", "title_nl", "title_en", "slug"]
    filter_horizontal = ["languages", "prerequisites"]
    prepopulated_fields = {"slug": ["title_en"]}
    inlines = [ModuleSkillInline]


class CohortSessionInline(admin.TabularInline):
    model = CohortSession
    extra = 0


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "module",
        "language",
        "starts_on",
        "ends_on",
        "enrolment_closes_on",
        "capacity",
        "place",
        "is_cancelled",
    ]
    list_select_related = ["module", "language"]
    list_filter = ["is_cancelled", "language", "module__programme", "starts_on"]
    search_fields = ["code", "module__title_fr", "module__title_nl", "module__title_en", "place"]
    autocomplete_fields = ["module"]
    date_hierarchy = "starts_on"
    inlines = [CohortSessionInline]


class IntakeBatteryInline(admin.TabularInline):
    model = IntakeBattery
    extra = 0


@admin.register(Intake)
class IntakeAdmin(admin.ModelAdmin):
    """Staff open an intake here; its applicants are seen blind on the intake's staff pages
    (college/intake/), never by name in the admin."""

    list_display = ["programme", "opens_on", "closes_on", "starts_on", "places"]
    list_select_related = ["programme"]
    list_filter = ["programme"]
    date_hierarchy = "closes_on"
    filter_horizontal = ["languages"]
    autocomplete_fields = ["role", "cohort"]
    inlines = [IntakeBatteryInline]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["candidate", "cohort", "status", "created_at", "result", "score"]
    list_select_related = ["candidate", "cohort"]
    list_filter = ["status", "result", "cohort__module"]
    search_fields = ["candidate__email", "candidate__full_name", "cohort__code"]
    autocomplete_fields = ["candidate", "cohort"]
    readonly_fields = ["result_recorded_at", "result_recorded_by"]
    date_hierarchy = "created_at"


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    """Read-only: certificates are issued by the results service, never typed in."""

    list_display = ["code", "holder_name", "enrolment", "language", "issued_at"]
    list_select_related = ["enrolment__cohort", "enrolment__candidate"]
    search_fields = ["code", "holder_name"]
    date_hierarchy = "issued_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PathStepInline(admin.TabularInline):
    model = PathStep
    autocomplete_fields = ["module"]
    raw_id_fields = ["battery", "added_by"]
    extra = 0


@admin.register(TrainingPath)
class TrainingPathAdmin(admin.ModelAdmin):
    list_display = ["candidate", "role", "generated_at", "edited_at"]
    list_select_related = ["candidate", "role"]
    list_filter = ["role"]
    search_fields = ["candidate__email", "candidate__full_name"]
    autocomplete_fields = ["candidate"]
    raw_id_fields = ["edited_by"]
    inlines = [PathStepInline]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["text", "candidate", "due_on", "done_at", "author"]
    list_select_related = ["candidate", "author"]
    list_filter = ["due_on", "done_at"]
    search_fields = ["text", "candidate__email", "candidate__full_name"]
    autocomplete_fields = ["candidate"]
    raw_id_fields = ["author"]
