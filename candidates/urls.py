from django.urls import path

from . import views

app_name = "candidates"

urlpatterns = [
    path("me/", views.dashboard, name="dashboard"),
]
