"""The public catalogue pages: the modules grouped by programme, and one module."""

from itertools import groupby

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from college.models import Module
from college.models.slugs import get_by_any_slug
from college.training.catalogue import PageModuleFilter, catalogue_modules, upcoming_cohorts


@require_GET
def module_list(request):
    filterset = PageModuleFilter(request.GET or None, queryset=catalogue_modules())
    modules = list(filterset.qs) if filterset.is_bound else list(catalogue_modules())
    groups = [
        (programme, list(items))
        for programme, items in groupby(modules, key=lambda module: module.programme)
    ]
    context = {
        "form": filterset.form,
        "groups": groups,
        "module_count": len(modules),
        "is_filtered": filterset.is_bound and filterset.form.is_valid(),
    }
    return render(request, "college/training/module_list.html", context)


def _active_module(slug):
    module = get_by_any_slug(Module.objects.active().with_outcomes(), slug)
    if module is None:
        raise Http404
    return module


@require_GET
def module_detail(request, slug):
    module = _active_module(slug)
    context = {
        "module": module,
        "outcomes": list(module.outcomes.all()),
        "prerequisites": [item for item in module.prerequisites.all() if item.is_active],
        "unlocks": list(module.unlocks.active().order_by("position", "slug")),
        "languages": list(module.languages.all()),
        "cohorts": list(upcoming_cohorts(module)),
        "certifications": module.certification_names,
    }
    return render(request, "college/training/module_detail.html", context)
