"""The practice test pages: list, start, one item per screen, feedback, review, result."""

from django.urls import path

from assessments.views import practice as views

app_name = "assessments"

urlpatterns = [
    path("tests/", views.battery_list, name="battery_list"),
    path("tests/attempts/<uuid:pk>/", views.attempt_item, name="attempt"),
    path(
        "tests/attempts/<uuid:pk>/answers/<id:position>/",
        views.attempt_feedback,
        name="attempt_feedback",
    ),
    path("tests/attempts/<uuid:pk>/review/", views.attempt_review, name="attempt_review"),
    path("tests/attempts/<uuid:pk>/finish/", views.attempt_finish_view, name="attempt_finish"),
    path("tests/attempts/<uuid:pk>/result/", views.attempt_result_view, name="attempt_result"),
    path("tests/<slug:slug>/", views.battery_detail, name="battery_detail"),
    path("caseload/<id:profile_id>/extra-time/", views.extra_time, name="extra_time"),
]
