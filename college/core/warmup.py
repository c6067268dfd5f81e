"""What a fresh server process loads before its first request (gunicorn's post_worker_init).

Without it, the first requests of each worker pay for reading the translation catalogues of
every language, compiling the most used templates and building the URL resolver: half a second
of CPU, felt as a slow page after every deployment or worker recycling.
"""

from django.conf import settings
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation

# The pages most requested, anonymous and signed in.
TEMPLATES = (
    "base.html",
    "employers/board.html",
    "employers/vacancy_detail.html",
    # Rendered apart, and kept: the first read after a vacancy changes compiles them otherwise.
    "employers/includes/vacancy_head.html",
    "employers/includes/vacancy_body.html",
    "employers/shortlists/shortlist.html",
    "college/guidance/dashboard.html",
    "college/home.html",
    "registration/login.html",
)


def warm_up():
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Vacancies")  # reads the language's catalogues
            get_resolver().reverse_dict  # noqa: B018 - built per language on first access
    for name in TEMPLATES:
        get_template(name)
