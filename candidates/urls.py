from django.urls import path

from . import views

app_name = "candidates"

urlpatterns = [
    path("me/", views.dashboard, name="dashboard"),
    path("me/data/", views.my_data, name="my_data"),
    path("me/data/erase/", views.erase_account, name="erase_account"),
    path("me/passport.pdf", views.passport, name="passport"),
    path(
        "caseload/<int:profile_id>/passport.pdf",
        views.counsellor_passport,
        name="counsellor_passport",
    ),
]
