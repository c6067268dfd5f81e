from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Employer, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "police_zone", "is_verified", "verified_at"]
    list_filter = ["kind", "is_verified"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["communes"]
    inlines = [MembershipInline]
    actions = ["verify"]

    @admin.action(description=_("Verify the selected employers"))
    def verify(self, request, queryset):
        updated = queryset.filter(is_verified=False).update(
            is_verified=True, verified_at=timezone.now()
        )
        self.message_user(request, _("%(count)d employer(s) verified.") % {"count": updated})


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "employer", "is_admin", "joined_at"]
    list_select_related = ["user", "employer"]
    raw_id_fields = ["user"]
    search_fields = ["user__email", "employer__name"]
