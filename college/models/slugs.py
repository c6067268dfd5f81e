"""Localised, stable addresses for roles, training modules and practice tests.

Each of these objects has one slug per language: the English one (`slug`, also the API's and
the feeds' identifier, never changed) and a French and a Dutch one (`slug_fr`, `slug_nl`)
derived once from the title in that language. A page answers to any of the three, so a link
shared in any language, and every old English link, keeps working; the links the site writes
use the reader's language (`local_slug`).

A slug is unique across the three columns of its model, so an address names one object
whatever the language it was written in. It is derived once and then kept: correcting a title
later does not break the links already shared.
"""

import unicodedata

import django_filters
from django import forms
from django.db.models import Q
from django.utils.text import slugify

from college.models.language import active_language

LOCAL_LANGUAGES = ("fr", "nl")
SLUG_FIELDS = ("slug", "slug_fr", "slug_nl")
# Leaves room for a "-NN" suffix within the column's 200 characters.
MAX_BASE_LENGTH = 190
# Letters that carry no accent to strip but are not ASCII either: spelled out, not dropped.
LIGATURES = str.maketrans({"œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae", "ß": "ss"})
APOSTROPHES = str.maketrans({"'": " ", "’": " ", "ʼ": " "})


def slug_from_title(title):
    """`title` as an ASCII slug: accents removed, apostrophes as word breaks ("d-accueil")."""
    text = (title or "").translate(LIGATURES).translate(APOSTROPHES)
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return slugify(plain)[:MAX_BASE_LENGTH].strip("-")


def unique_slug(base, taken):
    """`base`, or `base-2`, `base-3`… : the first not in `taken`."""
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def taken_slugs(model, exclude_pk=None):
    """Every slug the other rows of `model` answer to, in any language."""
    rows = model._default_manager.exclude(pk=exclude_pk).values_list(*SLUG_FIELDS)
    return {value for row in rows for value in row if value}


def fill_local_slugs(instance):
    """Gives `instance` the French and Dutch slugs it lacks, from its titles; keeps any it has.

    One query. Also used by the migration that adds the columns, with its historical models.
    """
    missing = [code for code in LOCAL_LANGUAGES if not getattr(instance, f"slug_{code}")]
    if not missing:
        return
    taken = taken_slugs(type(instance), exclude_pk=instance.pk)
    for code in missing:
        base = slug_from_title(getattr(instance, f"title_{code}")) or instance.slug
        value = unique_slug(base, taken)
        setattr(instance, f"slug_{code}", value)
        # The object's own slugs may coincide (a title alike in two languages): one object.
        taken.discard(value)


def any_slug(value):
    """A filter for the object answering to `value` in any language."""
    return Q(slug=value) | Q(slug_fr=value) | Q(slug_nl=value)


def get_by_any_slug(queryset, value):
    """The object of `queryset` whose slug in any language is `value`, or None.

    Slugs are unique across languages; should two rows still share one (a slug typed in by
    hand), the English one wins, then the French: the old English links mean what they meant.
    """
    if not isinstance(value, str) or not value:
        return None
    matches = list(queryset.filter(any_slug(value))[:3])
    for field in SLUG_FIELDS:
        for item in matches:
            if getattr(item, field) == value:
                return item
    return None


class LocalSlugs:
    """For a model with `slug`, `slug_fr` and `slug_nl` and `title_<lang>`: its address words."""

    @property
    def local_slug(self):
        code = active_language()
        if code in LOCAL_LANGUAGES:
            return getattr(self, f"slug_{code}") or self.slug
        return self.slug

    def save(self, *args, **kwargs):
        fill_local_slugs(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "slug_fr", "slug_nl"}
        super().save(*args, **kwargs)


class AnySlugChoiceField(django_filters.fields.ModelChoiceField):
    """A choice of object named by its slug in any language, offered in the reader's.

    For the pages' filters (`?role=`): a link shared in French or Dutch, or an old English one,
    selects the same object; the API's filters keep their documented English slug.
    """

    def to_python(self, value):
        if value in self.empty_values:
            return None
        found = get_by_any_slug(self.queryset, value)
        if found is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return found

    def prepare_value(self, value):
        if isinstance(value, str) and value:
            value = get_by_any_slug(self.queryset, value) or value
        return value.local_slug if isinstance(value, LocalSlugs) else super().prepare_value(value)


class AnySlugChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = AnySlugChoiceField
