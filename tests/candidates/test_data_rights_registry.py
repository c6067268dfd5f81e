"""A guard that cannot be forgotten: every model with a path to an account is declared.

Each model that reaches the user model through foreign keys, one-to-ones or many-to-manys
(followed through other models) must be in `candidates.data_rights.HOLDINGS` (shown by the
export, handled by erasure) or in its commented allow-list `NOT_ABOUT_JOB_SEEKERS`. A model
added later therefore fails here until its export section and its erasure are decided.
"""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.test.utils import isolate_apps

from candidates.api.export import CandidateExportSerializer
from candidates.data_rights import HOLDINGS, NOT_ABOUT_JOB_SEEKERS, Erasure


def models_reaching(target, candidates):
    """The models among `candidates` with a path to `target`, following relations forward."""
    reaching = {target}
    grew = True
    while grew:
        grew = False
        for model in candidates:
            if model in reaching:
                continue
            related = [
                field.related_model
                for field in model._meta.get_fields()
                if field.is_relation and field.concrete and field.related_model is not None
            ]
            if any(other in reaching for other in related):
                reaching.add(model)
                grew = True
    return reaching


def labels(found):
    return {model._meta.label for model in found}


def all_models():
    return apps.get_models(include_auto_created=True)


def test_every_model_with_a_path_to_an_account_is_declared_once():
    reaching = labels(models_reaching(get_user_model(), all_models()))
    declared = set(HOLDINGS) | set(NOT_ABOUT_JOB_SEEKERS)
    assert not set(HOLDINGS) & set(NOT_ABOUT_JOB_SEEKERS)
    assert reaching - declared == set(), "declare these in candidates/data_rights.py"
    assert declared - reaching == set(), "these no longer reach an account: remove them"


@isolate_apps("candidates")
def test_a_new_model_holding_a_job_seekers_data_is_caught():
    class Diary(models.Model):  # noqa: DJ008
        author = models.ForeignKey(get_user_model(), on_delete=models.CASCADE)

        class Meta:
            app_label = "candidates"

    class DiaryPage(models.Model):  # noqa: DJ008
        diary = models.ForeignKey(Diary, on_delete=models.CASCADE)

        class Meta:
            app_label = "candidates"

    reaching = labels(models_reaching(get_user_model(), [*all_models(), Diary, DiaryPage]))
    undeclared = reaching - set(HOLDINGS) - set(NOT_ABOUT_JOB_SEEKERS)
    assert undeclared == {"candidates.Diary", "candidates.DiaryPage"}


@pytest.mark.parametrize("label", sorted(HOLDINGS))
def test_each_holding_names_a_section_of_the_export(label):
    section = HOLDINGS[label].export_key.split(".")[0]
    assert section in CandidateExportSerializer().fields


def owner_path(label):
    """The relation fields from the model to the account, along the holding's lookup."""
    model, fields = apps.get_model(label), []
    for name in HOLDINGS[label].owner.split("__"):
        if name == "pk":
            break
        field = model._meta.get_field(name)
        fields.append(field)
        model = field.related_model
    assert model is get_user_model(), f"{label}: {HOLDINGS[label].owner} ends at {model}"
    return fields


@pytest.mark.parametrize("label", sorted(HOLDINGS))
def test_each_holdings_erasure_matches_what_the_database_does(label):
    """Deleted rows cascade all the way from the account; anonymised ones are cut off on the way.

    An anonymised kind must have a SET_NULL link on its way to the account (the service
    empties it first, and nothing cascades past it); a deleted kind must cascade at each step.
    """
    on_delete = [field.remote_field.on_delete for field in owner_path(label)]
    if HOLDINGS[label].erasure == Erasure.DELETED:
        assert all(action is models.CASCADE for action in on_delete), label
    else:
        assert models.SET_NULL in on_delete, label
