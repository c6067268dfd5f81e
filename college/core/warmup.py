"""What a fresh server process loads before its first request (gunicorn's post_worker_init).

Without it, the first requests of each worker pay for reading the translation catalogues of
every language, compiling the most used templates and building the URL resolver: half a second
of CPU, felt as a slow page after every deployment or worker recycling.
"""

import gc

from django.conf import settings
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation

# Allocations between two collections of the youngest generation (Python's default: 700).
YOUNG_GENERATION_THRESHOLD = 7000
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


def freeze_startup_objects():
    """Leaves what the process has loaded so far out of the garbage collector's passes, and
    makes the youngest generation's passes rarer.

    A worker holds some 200,000 objects once loaded (modules, the URL resolver, compiled
    templates, translation catalogues), living as long as the process, and each full
    collection walked them all: about 100 ms, every few hundred requests. `gc.freeze()` moves
    them to a permanent generation the collector no longer visits. The youngest generation was
    collected every 700 allocations, several times per request; every 7,000 is still a fraction
    of a request's garbage. Measured with bench/views_cpu.py and gc.callbacks over the same 440
    requests (board, vacancy miss, shortlist page, attempt state): 284–302 ms in the collector
    before, 79–105 ms frozen, 36–43 ms frozen with the new threshold.
    Called once, after warm_up(), in the server's worker (deploy/gunicorn.conf.py).
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, *gc.get_threshold()[1:])
