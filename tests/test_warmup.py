from django.template import engines
from django.urls import get_resolver
from django.utils import translation
from django.utils.translation import trans_real

from college.core import warmup


def test_the_warm_up_loads_every_language_the_urls_and_the_templates():
    trans_real._translations.clear()
    loader = engines["django"].engine.template_loaders[0]
    loader.reset()
    warmup.warm_up()
    assert {"fr", "nl", "en"} <= set(trans_real._translations)
    assert {"fr", "nl", "en"} <= set(get_resolver()._reverse_dict)
    assert translation.get_language() == "fr"  # the active language is left as it was
    assert set(warmup.TEMPLATES) <= set(loader.get_template_cache)


def test_a_worker_leaves_its_startup_objects_out_of_the_collector():
    import gc

    threshold = gc.get_threshold()
    try:
        warmup.freeze_startup_objects()
        assert gc.get_freeze_count() > 1000
        assert gc.get_threshold()[0] == warmup.YOUNG_GENERATION_THRESHOLD
        assert gc.get_threshold()[1:] == threshold[1:]
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
