"""The consent texts a job-seeker agrees to, each with a version.

Change a text's wording → give it a new version: stored consents keep the version and the
exact words the person saw, so an old agreement is never read as agreement to a new text.

Each text names the privacy notice it was given under (college/core/privacy.py's NOTICE_VERSION),
in its words and in its version, so that a recorded consent says which notice the person
could read: moving the notice on moves every consent text on with it.
"""

from django.utils.translation import gettext as _

from college.core.privacy import NOTICE_VERSION

SHORTLISTS_VERSION = f"shortlists-{NOTICE_VERSION}"
APPLICATION_VERSION = f"application-{NOTICE_VERSION}"


def shortlists_text():
    return _(
        "I agree that employers using Passerelle may see my profile in their shortlists "
        "without my name, contact details, age, address or nationality: my skills with their "
        "evidence, my languages, my experience and my conditions. They learn who I am only "
        "if they invite me to the next step. I can withdraw this at any time, and employers "
        "then stop seeing my profile. Privacy notice, version %(version)s."
    ) % {"version": NOTICE_VERSION}


def application_text(employer_name):
    return _(
        "I agree to share my full profile (name, contact details, skills with their evidence, "
        "languages, experience, diplomas and conditions) with %(employer)s for this "
        "application. I can withdraw my application at any time. Privacy notice, version "
        "%(version)s."
    ) % {"employer": employer_name, "version": NOTICE_VERSION}


def sign_up_acknowledgement_text():
    """The sign-up checkbox's words; the version is stored with the account."""
    return _(
        "I have read how Passerelle uses my data (privacy notice, version %(version)s): only "
        "I, my counsellors and the employers I choose can see my profile."
    ) % {"version": NOTICE_VERSION}
