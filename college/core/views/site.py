"""The site's own pages that every visitor can reach: signing in, the privacy notice, and the
health check a load balancer calls."""

from django.contrib.auth import views as auth_views
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from college.core import privacy
from college.core.forms.login import ThrottledAuthenticationForm


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.is_throttled:
            response.status_code = 429
        return response


@require_GET
def privacy_notice(request):
    """The privacy notice: public, the same address in every language (?lang= or the switch)."""
    return render(
        request,
        "college/core/privacy_notice.html",
        {
            "notice_version": privacy.NOTICE_VERSION,
            "controller_email": privacy.CONTROLLER_EMAIL,
            "dpo_email": privacy.DPO_EMAIL,
            **privacy.retention_facts(),
        },
    )


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers. One indexed read of a table every migrated database has
    (the first migration, by its primary key): the database and its schema answer. Also the
    minimal view `bench/load.sh` and `bench/views_cpu.py` measure the machine's ceiling with:
    the whole middleware stack and one query, nothing else."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM django_migrations ORDER BY id LIMIT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok"})
