from django.contrib import admin

from .models import CandidateLanguage, CandidateProfile, CandidateSkill


class CandidateSkillInline(admin.TabularInline):
    model = CandidateSkill
    autocomplete_fields = ["skill"]
    raw_id_fields = ["validated_by"]
    extra = 0


class CandidateLanguageInline(admin.TabularInline):
    model = CandidateLanguage
    extra = 0


@admin.register(CandidateProfile)
class CandidateProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "commune", "is_visible_in_shortlists", "updated_at"]
    list_select_related = ["user", "commune"]
    list_filter = ["is_visible_in_shortlists", "commune"]
    search_fields = ["user__email", "user__full_name"]
    raw_id_fields = ["user"]
    filter_horizontal = ["target_roles"]
    inlines = [CandidateSkillInline, CandidateLanguageInline]
