"""The catalogue pages and API ; included by college/urls.py and api_urls.py."""

from django.urls import path

from college.training.api import catalogue as catalogue_api
from college.training.views import catalogue as catalogue_views

urlpatterns = [
    path("training/", catalogue_views.module_list, name="module_list"),
    path("training/<slug:slug>/", catalogue_views.module_detail, name="module_detail"),
]
api_urlpatterns = [  # under /api/v1/, in the "api" namespace
    path("modules/", catalogue_api.ModuleListApi.as_view(), name="modules"),
    path("modules/<id:pk>/", catalogue_api.ModuleDetailApi.as_view(), name="module"),
]
