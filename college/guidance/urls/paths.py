"""The path pages and API ; included by college/urls.py and api_urls.py."""

from django.urls import path

from college.guidance.api import paths as path_api
from college.guidance.views import paths as path_views

urlpatterns = [  # pages
    path("me/path/", path_views.my_path, name="my_path"),
    path("me/path/regenerate/", path_views.my_path_regenerate, name="my_path_regenerate"),
    path("caseload/<id:profile_id>/path/", path_views.counsellor_path, name="counsellor_path"),
]
api_urlpatterns = [  # under /api/v1/, in the "api" namespace
    path("me/path/", path_api.MyPathApi.as_view(), name="me_path"),
]
