from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import (
    Commune,
    Guidance,
    Language,
    PoliceZone,
    Role,
    RoleLanguageRequirement,
    RoleRequirement,
    Skill,
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
