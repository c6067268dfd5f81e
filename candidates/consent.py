"""The consent texts a job-seeker agrees to, each with a version.

Change a text's wording → give it a new version: stored consents keep the version and the
exact words the person saw, so an old agreement is never read as agreement to a new text.
"""

from django.utils.translation import gettext as _

SHORTLISTS_VERSION = "shortlists-2026-11"
APPLICATION_VERSION = "application-2026-11"


def shortlists_text():
    return _(
        "I agree that employers using Passerelle may see my profile in their shortlists "
        "without my name, contact details, age, address or nationality: my skills with their "
        "evidence, my languages, my experience and my conditions. They learn who I am only "
        "if they invite me to the next step. I can withdraw this at any time, and employers "
        "then stop seeing my profile."
    )


def application_text(employer_name):
    return _(
        "I agree to share my full profile (name, contact details, skills with their evidence, "
        "languages, experience, diplomas and conditions) with %(employer)s for this "
        "application. I can withdraw my application at any time."
    ) % {"employer": employer_name}
