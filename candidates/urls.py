from django.urls import path

from candidates.digital import views as digital_views
from candidates.matches import views as match_views
from candidates.views import account as views
from candidates.views import profile as profile_views
from candidates.views import skills as skill_views
from college.guidance.views import dashboard as dashboard_views
from college.guidance.views import paths as path_views
from college.guidance.views import profile as profile_guidance_views

app_name = "candidates"

urlpatterns = [
    path("me/", dashboard_views.dashboard, name="dashboard"),
    # The guided profile builder: one page per step, each saved on its own.
    path("me/profile/", views.profile_builder, name="profile"),
    path("me/profile/about/", profile_views.about, name="profile_about"),
    path("me/profile/languages/", profile_views.languages, name="profile_languages"),
    path(
        "me/profile/languages/certificates/<id:pk>/delete/",
        profile_views.certificate_delete,
        name="profile_certificate_delete",
    ),
    path("me/profile/skills/", skill_views.skills, name="profile_skills"),
    path("me/profile/skills/<id:skill_id>/", skill_views.skill_edit, name="profile_skill_edit"),
    path(
        "me/profile/skills/<id:skill_id>/delete/",
        skill_views.skill_delete,
        name="profile_skill_delete",
    ),
    path("me/profile/experience/", profile_views.experience_list, name="profile_experience"),
    path(
        "me/profile/experience/add/", profile_views.experience_edit, name="profile_experience_add"
    ),
    path(
        "me/profile/experience/<id:pk>/",
        profile_views.experience_edit,
        name="profile_experience_edit",
    ),
    path(
        "me/profile/experience/<id:pk>/delete/",
        profile_views.experience_delete,
        name="profile_experience_delete",
    ),
    path("me/profile/education/", profile_views.education_list, name="profile_education"),
    path("me/profile/education/add/", profile_views.education_edit, name="profile_education_add"),
    path(
        "me/profile/education/<id:pk>/",
        profile_views.education_edit,
        name="profile_education_edit",
    ),
    path(
        "me/profile/education/<id:pk>/delete/",
        profile_views.education_delete,
        name="profile_education_delete",
    ),
    path("me/profile/conditions/", profile_views.conditions, name="profile_conditions"),
    path("me/profile/roles/", match_views.roles, name="profile_roles"),
    path("me/profile/sharing/", views.sharing, name="profile_sharing"),
    # Jobs for me: ranked vacancies, what a role needs, e-mail alerts.
    path("me/matches/", match_views.matches, name="matches"),
    path("me/matches/alerts/", match_views.match_alerts, name="match_alerts"),
    path("me/roles/<slug:slug>/", path_views.role_gap, name="role_gap"),
    # The digital and cyber track: DigComp self-assessment, external certifications.
    path("me/digital/", digital_views.self_assessment, name="digital_self_assessment"),
    path("me/digital/profile/", digital_views.self_assessment_profile, name="digital_profile"),
    path("me/digital/<slug:area>/", digital_views.self_assessment_area, name="digital_area"),
    path("me/certifications/", digital_views.certifications, name="certifications"),
    path(
        "me/certifications/<id:pk>/delete/",
        digital_views.certification_delete,
        name="certification_delete",
    ),
    path("me/data/", views.my_data, name="my_data"),
    path("me/data/erase/", views.erase_account, name="erase_account"),
    path("me/passport.pdf", views.passport, name="passport"),
    path("passports/verify/", views.passport_verify, name="passport_verify"),
    path(
        "caseload/<id:profile_id>/",
        profile_guidance_views.counsellor_profile,
        name="counsellor_profile",
    ),
    path(
        "caseload/<id:profile_id>/skills/<id:skill_id>/validate/",
        profile_guidance_views.counsellor_skill_validate,
        name="counsellor_skill_validate",
    ),
    path(
        "caseload/<id:profile_id>/certifications/<id:pk>/check/",
        profile_guidance_views.counsellor_certification_check,
        name="counsellor_certification_check",
    ),
    path(
        "caseload/<id:profile_id>/passport.pdf",
        views.counsellor_passport,
        name="counsellor_passport",
    ),
]
