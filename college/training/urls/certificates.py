"""The certificate pages and API ; included by college/urls.py and api_urls.py."""

from django.urls import path

from college.training.views import certificates as certificate_views

urlpatterns = [  # pages
    path(
        "me/certificates/<str:code>.pdf",
        certificate_views.certificate_pdf_download,
        name="certificate_pdf",
    ),
    path("certificates/verify/", certificate_views.certificate_verify, name="certificate_verify"),
]
api_urlpatterns = []  # under /api/v1/, in the "api" namespace
