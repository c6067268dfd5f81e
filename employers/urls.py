from django.urls import path

from candidates.matches import views as match_views
from college.core.public_cache import cache_anonymous_page
from employers import feeds
from employers.shortlists import views as shortlist_views
from employers.views import applications as application_views
from employers.views import awareness as awareness_views
from employers.views import board as board_views
from employers.views import dashboard as views
from employers.views import editor as editor_views
from employers.views import imports as import_views

app_name = "employers"

urlpatterns = [
    # The organisation's own space: its vacancies, members and applicants.
    path("employer/", views.dashboard, name="dashboard"),
    path("employer/staff-awareness/", awareness_views.staff_awareness, name="staff_awareness"),
    path("employer/vacancies/", editor_views.vacancy_list, name="vacancy_list"),
    path("employer/vacancies/new/", editor_views.vacancy_new, name="vacancy_new"),
    path(
        "employer/vacancies/new/<slug:role_slug>/",
        editor_views.vacancy_create,
        name="vacancy_create",
    ),
    path("employer/vacancies/<id:pk>/", editor_views.vacancy_edit, name="vacancy_edit"),
    path(
        "employer/vacancies/<id:pk>/skills/add/",
        editor_views.vacancy_skill_add,
        name="vacancy_skill_add",
    ),
    path(
        "employer/vacancies/<id:pk>/pool/",
        shortlist_views.vacancy_pool,
        name="vacancy_pool",
    ),
    path(
        "employer/vacancies/<id:pk>/status/",
        editor_views.vacancy_status,
        name="vacancy_status",
    ),
    path("employer/vacancies/import/", import_views.vacancy_import, name="vacancy_import"),
    path(
        "employer/vacancies/import/template.csv",
        import_views.vacancy_import_template,
        name="vacancy_import_template",
    ),
    path("employer/members/invite/", editor_views.member_invite, name="member_invite"),
    path(
        "invitations/<str:token>/",
        editor_views.invitation_accept,
        name="invitation_accept",
    ),
    path(
        "employer/vacancies/<id:pk>/applications/",
        shortlist_views.pipeline,
        name="pipeline",
    ),
    path(
        "employer/applications/<id:pk>/",
        application_views.application_detail,
        name="application_detail",
    ),
    path(
        "employer/applications/<id:pk>/stage/",
        application_views.application_stage,
        name="application_stage",
    ),
    path(
        "employer/applications/<id:pk>/notes/",
        application_views.application_note,
        name="application_note",
    ),
    # Blind shortlists: ranked candidates, and the invitation that reveals one.
    path(
        "employer/vacancies/<id:pk>/shortlist/",
        shortlist_views.shortlist,
        name="shortlist",
    ),
    path(
        "employer/vacancies/<id:pk>/shortlist/<str:ref>/invite/",
        shortlist_views.shortlist_invite_view,
        name="shortlist_invite",
    ),
    # The public board and its feeds.
    path("vacancies/", board_views.board, name="board"),
    path("vacancies/feed/", cache_anonymous_page(feeds.LatestVacanciesFeed()), name="feed"),
    path(
        "vacancies/feed/employer/<slug:slug>/",
        cache_anonymous_page(feeds.EmployerVacanciesFeed()),
        name="feed_employer",
    ),
    path(
        "vacancies/feed/role/<slug:slug>/",
        cache_anonymous_page(feeds.RoleVacanciesFeed()),
        name="feed_role",
    ),
    path("vacancies/<id:pk>/", board_views.vacancy_detail, name="vacancy_detail"),
    # Job-seekers' applications.
    path("vacancies/<id:pk>/apply/", match_views.apply, name="apply"),
    path("me/applications/", application_views.my_applications, name="my_applications"),
    path(
        "me/applications/<id:pk>/withdraw/",
        application_views.withdraw,
        name="application_withdraw",
    ),
]
