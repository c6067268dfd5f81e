from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from college.core.public_cache import public_data_changed
from employers.models import (
    Application,
    ApplicationEvent,
    Employer,
    Invitation,
    Membership,
    Vacancy,
    VacancyLanguage,
    VacancySkill,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ["name_fr", "name_nl", "kind", "police_zone", "is_verified", "verified_at"]
    list_filter = ["kind", "is_verified"]
    search_fields = ["name_fr", "name_nl", "name_en"]
    prepopulated_fields = {"slug": ["name_fr"]}
    filter_horizontal = ["communes"]
    inlines = [MembershipInline]
    actions = ["verify"]

    @admin.action(description=_("Verify the selected employers"))
    def verify(self, request, queryset):
        updated = queryset.filter(is_verified=False).update(
            is_verified=True, verified_at=timezone.now()
        )
        if updated:
            # A bulk update sends no signal: their vacancies join the board and the feeds now,
            # not when the public cache's entries expire.
            public_data_changed()
        self.message_user(
            request,
            ngettext("%(count)d employer verified.", "%(count)d employers verified.", updated)
            % {"count": updated},
        )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "employer", "is_admin", "joined_at"]
    list_select_related = ["user", "employer"]
    raw_id_fields = ["user"]
    search_fields = ["user__email", "employer__name_fr", "employer__name_nl"]


class VacancySkillInline(admin.TabularInline):
    model = VacancySkill
    autocomplete_fields = ["skill"]
    extra = 0


class VacancyLanguageInline(admin.TabularInline):
    model = VacancyLanguage
    extra = 0


@admin.register(Vacancy)
class VacancyAdmin(admin.ModelAdmin):
    list_display = ["title_fr", "employer", "role", "commune", "status", "closes_on"]
    list_filter = ["status", "contract", "employer__kind", "role"]
    list_select_related = ["employer", "role", "commune"]
    search_fields = ["title_fr", "title_nl", "employer__name_fr", "employer__name_nl"]
    raw_id_fields = ["created_by"]
    date_hierarchy = "published_at"
    readonly_fields = ["published_at", "closed_at", "filled_at", "created_at", "updated_at"]
    inlines = [VacancySkillInline, VacancyLanguageInline]


class ApplicationEventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    can_delete = False
    fields = ["stage", "reason", "changed_by", "changed_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Staff follow the pipelines; the profile itself is read in its own (logged) admin page."""

    list_display = ["pk", "vacancy", "stage", "is_erased", "created_at", "stage_changed_at"]
    list_filter = ["stage", "vacancy__employer"]
    list_select_related = ["vacancy"]
    raw_id_fields = ["vacancy", "profile"]
    readonly_fields = ["consent", "created_at", "stage_changed_at"]
    inlines = [ApplicationEventInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "employer", "created_at", "expires_at", "accepted_at"]
    list_select_related = ["employer"]
    search_fields = ["email", "employer__name_fr", "employer__name_nl"]
    exclude = ["token"]
    readonly_fields = ["invited_by", "created_at", "accepted_at"]
