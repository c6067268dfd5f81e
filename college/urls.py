from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from candidates.views import account as candidate_views
from college import views
from college.core.views import account as account_views
from college.core.views import audit as audit_views
from college.core.views import mfa as mfa_views
from college.core.views import site as site_views
from college.guidance.urls import caseload as caseload_urls
from college.guidance.urls import paths as path_urls
from college.insights.views import dashboard as dashboard_views
from college.insights.views import fairness as fairness_views
from college.insights.views import observatory as observatory_views
from college.intake import urls as intake_urls
from college.reference import views as role_views
from college.training.urls import catalogue as catalogue_urls
from college.training.urls import certificates as certificate_urls
from college.training.urls import enrolment as enrolment_urls

admin.site.site_header = _("Passerelle administration")
admin.site.site_title = _("Passerelle")
admin.site.index_title = _("College staff")

account_patterns = [
    path("", account_views.account, name="account"),
    path("password/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path("sign-out-everywhere/", account_views.sign_out_everywhere, name="sign_out_everywhere"),
    path("login/", site_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", candidate_views.sign_up, name="signup"),
    path("mfa/", mfa_views.mfa_status, name="mfa_status"),
    path("mfa/setup/", mfa_views.mfa_setup, name="mfa_setup"),
    path("mfa/verify/", mfa_views.mfa_verify, name="mfa_verify"),
    path("mfa/recovery-codes/", mfa_views.mfa_recovery_codes_renew, name="mfa_recovery_codes"),
    path("mfa/remove/", mfa_views.mfa_remove, name="mfa_remove"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            email_template_name="emails/password_reset.txt",
            subject_template_name="emails/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.start, name="start"),
    path("healthz", site_views.healthz, name="healthz"),
    # The API and the employers' routes (the public board among them: most of the traffic)
    # come before the other apps' includes with an empty prefix: Django tries the patterns in
    # order and, for each include that does not match, lists its patterns among those tried,
    # which cost the board and the API about a sixth of their CPU when they came last. No path
    # is matched by two of these includes (tests/test_url_order.py), so the order changes no
    # route.
    path("api/v1/", include(("college.api_urls", "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api_docs"),
    path("", include("employers.urls")),
    path("privacy/", site_views.privacy_notice, name="privacy_notice"),
    path("accounts/", include(account_patterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("roles/", role_views.role_list, name="role_list"),
    path("roles/<slug:slug>/", role_views.role_detail, name="role_detail"),
    path("staff/", dashboard_views.staff_dashboard, name="staff_dashboard"),
    path("staff/fairness/", fairness_views.fairness_report, name="fairness_report"),
    path("staff/observatory/", observatory_views.staff_observatory, name="staff_observatory"),
    path(
        "staff/observatory.csv",
        observatory_views.staff_observatory_csv,
        name="staff_observatory_csv",
    ),
    path("observatory/", observatory_views.public_observatory, name="public_observatory"),
    path("staff/audit/", audit_views.audit_log, name="audit_log"),
    path("staff/tests/", include("assessments.urls.staff")),
    path("", include(catalogue_urls)),
    path("", include(enrolment_urls)),
    path("", include(certificate_urls)),
    path("", include(path_urls)),
    path("", include(caseload_urls)),
    path("", include(intake_urls)),
    path("", include("candidates.urls")),
    path("", include("assessments.urls.practice")),
    path("admin/", admin.site.urls),
]

# JSON under /api/, pages elsewhere (college/core/views/errors.py).
handler400 = "college.core.views.errors.bad_request"
handler403 = "college.core.views.errors.permission_denied"
handler404 = "college.core.views.errors.page_not_found"
handler500 = "college.core.views.errors.server_error"
