from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from candidates.digital.services import external_certification_verify
from candidates.models import (
    CandidateLanguage,
    CandidateProfile,
    CandidateSkill,
    Consent,
    Education,
    Experience,
    ExternalCertification,
    LanguageCertificate,
    ProfileView,
)
from candidates.services import profile_view_log


class CandidateSkillInline(admin.TabularInline):
    model = CandidateSkill
    autocomplete_fields = ["skill"]
    raw_id_fields = ["validated_by"]
    extra = 0


class CandidateLanguageInline(admin.TabularInline):
    model = CandidateLanguage
    extra = 0


class LanguageCertificateInline(admin.TabularInline):
    model = LanguageCertificate
    extra = 0


class ExperienceInline(admin.StackedInline):
    model = Experience
    autocomplete_fields = ["skills"]
    extra = 0


class EducationInline(admin.TabularInline):
    model = Education
    extra = 0


class ConsentInline(admin.TabularInline):
    """Consents are evidence of what a person agreed to: read them, never edit them here."""

    model = Consent
    extra = 0
    can_delete = False
    fields = ["purpose", "employer", "given", "text_version", "language", "recorded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CandidateProfile)
class CandidateProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "commune", "is_visible_in_shortlists", "updated_at"]
    list_select_related = ["user", "commune"]
    list_filter = ["is_visible_in_shortlists", "commune"]
    search_fields = ["user__email", "user__full_name"]
    raw_id_fields = ["user"]
    filter_horizontal = ["target_roles"]
    # Shortlist visibility follows the consent records; staff cannot give consent for someone.
    readonly_fields = ["is_visible_in_shortlists"]
    inlines = [
        CandidateSkillInline,
        CandidateLanguageInline,
        LanguageCertificateInline,
        ExperienceInline,
        EducationInline,
        ConsentInline,
    ]

    def has_delete_permission(self, request, obj=None):
        # A profile alone is never deleted: deleting the account (college.UserAdmin) erases
        # the job-seeker through candidate_erase, which leaves nothing half-done.
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Every opening of a job-seeker's profile by staff is logged and shown to them.
        if request.method == "GET":
            profile = self.get_object(request, object_id)
            if profile is not None:
                profile_view_log(
                    profile=profile, viewer=request.user, channel=ProfileView.Channel.ADMIN
                )
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(ProfileView)
class ProfileViewAdmin(admin.ModelAdmin):
    """The audit trail of who opened whose profile: searchable, never editable."""

    list_display = ["viewed_at", "viewer", "viewer_role", "channel", "profile"]
    list_filter = ["viewer_role", "channel"]
    list_select_related = ["viewer", "profile__user"]
    search_fields = ["viewer__email", "profile__user__email"]
    date_hierarchy = "viewed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExternalCertification)
class ExternalCertificationAdmin(admin.ModelAdmin):
    """Staff check recorded certifications here: read-only rows, verified through the service
    (which certifies the skills); a rejection, which needs a reason, goes through the API or
    the counsellor's page. Opening one is logged like a profile."""

    list_display = ["certification", "profile", "obtained_on", "credential_id", "status"]
    list_filter = ["status", "certification"]
    list_select_related = ["profile__user"]
    search_fields = ["profile__user__email", "credential_id"]
    readonly_fields = [
        "profile",
        "certification",
        "obtained_on",
        "credential_id",
        "verification_url",
        "status",
        "checked_by",
        "checked_at",
        "check_note",
        "created_at",
    ]
    exclude = ["granted"]
    actions = ["verify"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Verify the selected certifications (their skills are certified)"))
    def verify(self, request, queryset):
        for record in queryset:
            external_certification_verify(certification=record, by=request.user)
        count = queryset.count()
        self.message_user(
            request,
            ngettext(
                "%(count)d certification verified.", "%(count)d certifications verified.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            record = self.get_object(request, object_id)
            if record is not None:
                profile_view_log(
                    profile=record.profile, viewer=request.user, channel=ProfileView.Channel.ADMIN
                )
        return super().change_view(request, object_id, form_url, extra_context)
