"""The caseload pages and API (issue 7); included by college/urls.py and api_urls.py."""

from django.urls import path

from . import views

urlpatterns = [  # pages
    path("caseload/", views.caseload, name="caseload"),
]
api_urlpatterns = []  # under /api/v1/, in the "api" namespace
