"""The certificate pages and API (issue 7); included by college/urls.py and api_urls.py."""

urlpatterns = []  # pages
api_urlpatterns = []  # under /api/v1/, in the "api" namespace
