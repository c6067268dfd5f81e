"""The intake pages and API; included by college/urls.py and college/api_urls.py."""

from django.urls import path

from college.intake import api, views

app_name = "intake"

urlpatterns = [  # pages, in the "intake" namespace
    path("intakes/", views.intake_list, name="list"),
    path("intakes/<id:pk>/", views.intake_detail, name="detail"),
    path("intakes/<id:pk>/apply/", views.intake_apply_view, name="apply"),
    path("me/intakes/", views.my_applications, name="my_applications"),
    path("me/intakes/<id:pk>/", views.my_application, name="my_application"),
    path("me/intakes/<id:pk>/withdraw/", views.my_application_withdraw, name="withdraw"),
    path("staff/intakes/", views.staff_intake_list, name="staff_list"),
    path("staff/intakes/<id:pk>/", views.staff_ranking, name="ranking"),
    path("staff/intakes/<id:pk>/rate/", views.staff_rate, name="rate"),
    path("staff/intakes/<id:pk>/decide/", views.staff_decide, name="decide"),
    path("staff/intakes/<id:pk>/fairness/", views.staff_fairness, name="fairness"),
]

api_urlpatterns = [  # under /api/v1/, in the "api" namespace
    path("intakes/", api.IntakeListApi.as_view(), name="intakes"),
    path(
        "intakes/<id:pk>/applications/",
        api.IntakeApplyApi.as_view(),
        name="intake_applications",
    ),
    path(
        "me/intake-applications/",
        api.MyIntakeApplicationListApi.as_view(),
        name="me_intake_applications",
    ),
    path("intakes/<id:pk>/ranking/", api.IntakeRankingApi.as_view(), name="intake_ranking"),
    path("intakes/<id:pk>/decisions/", api.IntakeDecisionApi.as_view(), name="intake_decisions"),
    path("intakes/<id:pk>/fairness/", api.IntakeFairnessApi.as_view(), name="intake_fairness"),
]
