"""Staff forms of a cohort's page: attendance grid, results, capacity, enrolling someone."""

from django import forms
from django.utils.translation import gettext_lazy as _

from college.core.typography import elide
from college.models import Attendance, Enrolment, User
from college.training.enrolment import result_errors

NO_MARK = ("", "—")


class AttendanceForm(forms.Form):
    """One select per person × session; the empty choice leaves (or clears) the cell."""

    def __init__(self, *args, enrolments, sessions, marks, **kwargs):
        super().__init__(*args, **kwargs)
        self.enrolments = enrolments
        self.sessions = sessions
        choices = [NO_MARK, *Attendance.Status.choices]
        for enrolment in enrolments:
            name = enrolment.candidate.full_name or enrolment.candidate.email
            for number, session in enumerate(sessions, start=1):
                field = forms.ChoiceField(
                    label=_("%(name)s, session %(number)s") % {"name": name, "number": number},
                    choices=choices,
                    required=False,
                    initial=marks.get((enrolment.pk, session.pk), ""),
                )
                self.fields[self.field_name(enrolment, session)] = field

    @staticmethod
    def field_name(enrolment, session):
        return f"attendance_{enrolment.pk}_{session.pk}"

    def rows(self):
        return [
            (enrolment, [self[self.field_name(enrolment, session)] for session in self.sessions])
            for enrolment in self.enrolments
        ]

    def marks(self):
        return {
            (enrolment.pk, session.pk): self.cleaned_data[self.field_name(enrolment, session)]
            for enrolment in self.enrolments
            for session in self.sessions
        }


class ResultsForm(forms.Form):
    """A result and a score per person holding a place, checked against the pass mark."""

    def __init__(self, *args, enrolments, module, **kwargs):
        super().__init__(*args, **kwargs)
        self.enrolments = enrolments
        self.module = module
        for enrolment in enrolments:
            name = enrolment.candidate.full_name or enrolment.candidate.email
            self.fields[f"result_{enrolment.pk}"] = forms.ChoiceField(
                label=elide(_("Result of %(name)s") % {"name": name}),
                choices=Enrolment.Result.choices,
                required=False,
                initial=enrolment.result,
            )
            self.fields[f"score_{enrolment.pk}"] = forms.IntegerField(
                label=elide(_("Score of %(name)s (%%)") % {"name": name}),
                min_value=0,
                max_value=100,
                required=False,
                initial=enrolment.score,
            )

    def rows(self):
        return [
            (enrolment, self[f"result_{enrolment.pk}"], self[f"score_{enrolment.pk}"])
            for enrolment in self.enrolments
        ]

    def clean(self):
        cleaned = super().clean()
        for enrolment in self.enrolments:
            result_name, score_name = f"result_{enrolment.pk}", f"score_{enrolment.pk}"
            if result_name not in cleaned or score_name not in cleaned:
                continue  # already an error at the field
            errors = result_errors(
                module=self.module, result=cleaned[result_name], score=cleaned[score_name]
            )
            for field, message in errors.items():
                self.add_error(f"{field}_{enrolment.pk}", message)
        return cleaned

    def changes(self):
        """(enrolment, result, score) for each row that differs from what is stored."""
        changed = []
        for enrolment in self.enrolments:
            result = self.cleaned_data[f"result_{enrolment.pk}"]
            score = self.cleaned_data[f"score_{enrolment.pk}"]
            if (result, score) != (enrolment.result, enrolment.score):
                changed.append((enrolment, result, score))
        return changed


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=1000)


class StaffEnrolForm(forms.Form):
    email = forms.EmailField(
        label=_("Job-seeker's e-mail address"),
        help_text=_("Staff may enrol someone without the prerequisites; places still count."),
    )

    def clean_email(self):
        email = self.cleaned_data["email"]
        candidate = User.objects.filter(
            email__iexact=email, role=User.Role.CANDIDATE, is_active=True
        ).first()
        if candidate is None:
            raise forms.ValidationError(_("No job-seeker has this e-mail address."), code="unknown")
        self.candidate = candidate
        return email


class AwarenessCompletionForm(forms.Form):
    """The trainer's record of one booking: how many of its seats completed the module."""

    booking = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    completed = forms.IntegerField(
        label=_("Staff who completed it"),
        min_value=0,
        max_value=500,
        help_text=_("A number, never a name: the service sees totals per module only."),
    )
