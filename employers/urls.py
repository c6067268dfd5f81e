from django.urls import path

from . import views

app_name = "employers"

urlpatterns = [
    path("employer/", views.dashboard, name="dashboard"),
]
