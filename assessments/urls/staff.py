"""Item statistics for college staff, under /staff/tests/ (the tests themselves: practice.py)."""

from django.urls import path

from assessments.views import staff as staff_views

app_name = "assessments_staff"

urlpatterns = [
    path("", staff_views.battery_list, name="batteries"),
    path("items/<str:key>/", staff_views.item_detail, name="item"),
    path("<slug:slug>/", staff_views.battery_detail, name="battery"),
    path("<slug:slug>/report.pdf", staff_views.battery_report, name="report"),
    path("<slug:slug>/clear/", staff_views.battery_clear, name="clear"),
]
