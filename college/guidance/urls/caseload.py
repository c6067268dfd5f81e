"""The caseload pages and API ; included by college/urls.py and api_urls.py."""

from django.urls import path

from college.guidance.api import caseload as caseload_api
from college.guidance.views import caseload as caseload_views

urlpatterns = [  # pages
    path("caseload/", caseload_views.caseload_list, name="caseload"),
    path("caseload/export.csv", caseload_views.caseload_csv, name="caseload_csv"),
    path(
        "caseload/<id:profile_id>/report.pdf",
        caseload_views.caseload_report,
        name="caseload_report",
    ),
    path(
        "caseload/<id:profile_id>/notes/",
        caseload_views.caseload_note_add,
        name="caseload_note_add",
    ),
    path(
        "caseload/<id:profile_id>/actions/",
        caseload_views.caseload_action_add,
        name="caseload_action_add",
    ),
    path(
        "caseload/<id:profile_id>/actions/<id:pk>/done/",
        caseload_views.caseload_action_done,
        name="caseload_action_done",
    ),
    path("me/actions/", caseload_views.my_action_plan, name="my_action_plan"),
    path("me/actions/<id:pk>/done/", caseload_views.my_action_done, name="my_action_done"),
]
api_urlpatterns = [  # under /api/v1/, in the "api" namespace
    path("caseload/", caseload_api.CaseloadApi.as_view(), name="caseload"),
]
