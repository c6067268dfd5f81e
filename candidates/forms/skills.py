"""Forms of the profile builder's skills and target-roles steps."""

from django import forms
from django.utils.translation import gettext_lazy as _

from college.models import Level, Role, Skill

MAX_TARGET_ROLES = 5
MIN_QUERY_LENGTH = 2


class GroupWidgetMixin:
    """A group of radios or checkboxes whose error links point at the group, not at nothing.

    Django gives a radio or checkbox group no id for its label (each option has its own), so
    `includes/form_errors.html` would link to "#". The template puts the field's id on the
    `<fieldset>` of the group instead, and the error summary links there.
    """

    def id_for_label(self, id_, index=None):
        if index is None:
            return id_
        return super().id_for_label(id_, index)


class GroupRadioSelect(GroupWidgetMixin, forms.RadioSelect):
    pass


class GroupCheckboxSelectMultiple(GroupWidgetMixin, forms.CheckboxSelectMultiple):
    pass


def level_field(**kwargs):
    return forms.TypedChoiceField(
        label=_("Your level"),
        choices=Level.choices,
        coerce=int,
        widget=GroupRadioSelect,
        error_messages={
            "required": _("Choose a level"),
            "invalid_choice": _("Choose a level from 1 to 4."),
        },
        **kwargs,
    )


class SkillSearchForm(forms.Form):
    """The plain search of the skills framework, which the autocomplete enhances."""

    q = forms.CharField(
        label=_("Search for a skill"),
        help_text=_("In French, Dutch or English, for example: first aid, conflict, patrol."),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}
        ),
    )

    def query(self):
        """The words to search for, or "" when there are none worth searching."""
        if not self.is_valid():
            return ""
        return self.cleaned_data["q"].strip()


class SkillAddForm(forms.Form):
    """Adds one skill of the framework at a level (or changes its level when already held)."""

    skill = forms.ModelChoiceField(
        label=_("Skill"),
        queryset=Skill.objects.all(),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose a skill from the search results or the suggestions."),
            "invalid_choice": _("This skill is not in the skills framework: search again."),
        },
    )
    level = level_field()
    q = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)


class SkillLevelForm(forms.Form):
    level = level_field()


class TargetRolesForm(forms.Form):
    target_roles = forms.ModelMultipleChoiceField(
        label=_("Roles I aim for"),
        queryset=Role.objects.all(),
        required=False,
        widget=GroupCheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("One of the roles chosen no longer exists: choose again."),
            "invalid_pk_value": _("One of the roles chosen no longer exists: choose again."),
        },
    )

    def clean_target_roles(self):
        roles = self.cleaned_data["target_roles"]
        if len(roles) > MAX_TARGET_ROLES:
            raise forms.ValidationError(
                _("Choose at most %(max)s roles: the ones you want most."),
                code="too_many",
                params={"max": MAX_TARGET_ROLES},
            )
        return list(roles)
