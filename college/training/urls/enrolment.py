"""The enrolment pages and API ; included by college/urls.py and api_urls.py."""

from django.urls import path

from college.training.api import enrolment as enrolment_api
from college.training.views import awareness as awareness_views
from college.training.views import enrolment as enrolment_views

urlpatterns = [  # pages
    path("training/cohorts/<slug:code>/", enrolment_views.cohort_detail, name="cohort_detail"),
    path(
        "training/cohorts/<slug:code>/enrol/",
        enrolment_views.cohort_enrol_view,
        name="cohort_enrol",
    ),
    path("me/training/", enrolment_views.my_training, name="my_training"),
    path("me/training/calendar.ics", enrolment_views.my_training_ics, name="my_training_ics"),
    path(
        "me/training/<id:pk>/cancel/",
        enrolment_views.my_enrolment_cancel,
        name="my_enrolment_cancel",
    ),
    path("staff/cohorts/", enrolment_views.staff_cohort_list, name="staff_cohort_list"),
    path("staff/awareness/", awareness_views.staff_awareness, name="staff_awareness"),
    path("staff/cohorts/<slug:code>/", enrolment_views.staff_cohort, name="staff_cohort"),
    path(
        "staff/cohorts/<slug:code>/results/",
        enrolment_views.staff_cohort_results,
        name="staff_cohort_results",
    ),
    path(
        "staff/cohorts/<slug:code>/capacity/",
        enrolment_views.staff_cohort_capacity,
        name="staff_cohort_capacity",
    ),
    path(
        "staff/cohorts/<slug:code>/enrol/",
        enrolment_views.staff_cohort_enrol,
        name="staff_cohort_enrol",
    ),
]
api_urlpatterns = [  # under /api/v1/, in the "api" namespace
    path("me/enrolments/", enrolment_api.MyEnrolmentListApi.as_view(), name="me_enrolments"),
    path(
        "cohorts/<slug:code>/enrol/",
        enrolment_api.CohortEnrolApi.as_view(),
        name="cohort_enrol",
    ),
    path(
        "enrolments/<id:pk>/cancel/",
        enrolment_api.EnrolmentCancelApi.as_view(),
        name="enrolment_cancel",
    ),
]
