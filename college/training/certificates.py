"""Completion certificates: issuing them, who may download one, and checking a code
(the code's format is `college.core.check_codes`, shared with the skills passport).
"""

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation

from college.core.check_codes import (
    certificate_code_display,
    certificate_code_new,
    certificate_code_normalise,
)
from college.core.pdf import html_to_pdf
from college.models import Certificate, Enrolment, Guidance, Level, User


def certificate_issue(*, enrolment):
    """The certificate of a passed enrolment, made on the first call (later calls return it).

    Raises ValueError for an enrolment without a pass. The holder's name and language are
    those of the moment of issue: a certificate does not change when the account does.
    """
    if enrolment.result != Enrolment.Result.PASSED:
        raise ValueError("Only a passed enrolment leads to a certificate.")
    existing = Certificate.objects.filter(enrolment=enrolment).first()
    if existing is not None:
        return existing
    candidate = enrolment.candidate
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    enrolment=enrolment,
                    module_id=enrolment.cohort.module_id,
                    code=certificate_code_new(),
                    holder_name=candidate.full_name or candidate.email,
                    language=candidate.preferred_language or "fr",
                    issued_at=timezone.now(),
                )
        except IntegrityError:
            # Another request issued it meanwhile, or (once in 10^18) the code was taken.
            existing = Certificate.objects.filter(enrolment=enrolment).first()
            if existing is not None:
                return existing
    raise RuntimeError("Could not draw a free certificate code.")


def _with_details(certificates):
    return certificates.select_related(
        "module",
        "enrolment__candidate",
        "enrolment__cohort__language",
        "enrolment__cohort__module__language_taught",
    )


def certificates_visible_to(user):
    """Certificates `user` may download: their own; their guided job-seekers'; staff: all.

    Not those of an erased holder: without a name there is no document to print; their
    code is still checked on the public page.
    """
    certificates = _with_details(Certificate.objects.filter(enrolment__isnull=False))
    if not user.is_authenticated:
        return certificates.none()
    if user.role == User.Role.STAFF:
        return certificates
    if user.role == User.Role.CANDIDATE:
        return certificates.filter(enrolment__candidate=user)
    if user.role == User.Role.COUNSELLOR:
        guided = Guidance.objects.guiding(user, OuterRef("enrolment__candidate"))
        return certificates.filter(Exists(guided))
    return certificates.none()


def get_certificate_for(user, code):
    """The certificate with this code if `user` may download it; a 404 otherwise."""
    normalised = certificate_code_normalise(code)
    certificate = (
        certificates_visible_to(user).filter(Q(code=normalised) | Q(code=code)).first()
        if normalised or code
        else None
    )
    if certificate is None:
        raise Http404
    return certificate


def certificate_lookup(code):
    """The certificate with this typed code, for the public check; None when there is none."""
    normalised = certificate_code_normalise(code)
    if not normalised:
        return None
    return _with_details(Certificate.objects.filter(code=normalised)).first()


def certificate_pdf(*, certificate, verify_url):
    """The certificate as PDF bytes, in the certificate's own language."""

    enrolment = certificate.enrolment
    cohort = enrolment.cohort
    module = cohort.module
    with translation.override(certificate.language):
        context = {
            "certificate": certificate,
            "code": certificate_code_display(certificate.code),
            "verify_url": verify_url,
            "module": module,
            "cohort": cohort,
            "enrolment": enrolment,
            "outcomes": [
                {
                    "skill": outcome.skill.label,
                    "level": outcome.level,
                    "level_label": Level(outcome.level).label,
                }
                for outcome in module.outcomes.select_related("skill").order_by("pk")
            ],
            "language_level": (
                {"language": module.language_taught.name, "cefr": module.cefr_reached}
                if module.language_taught_id
                else None
            ),
        }
        html = render_to_string("college/training/pdf/certificate.html", context)
    return html_to_pdf(html)
