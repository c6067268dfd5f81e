from django.contrib import admin

from candidates.models import (
    CandidateLanguage,
    CandidateProfile,
    CandidateSkill,
    Consent,
    Education,
    Experience,
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
