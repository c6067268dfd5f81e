"""A signed-in session's start: its clocks and whether it still owes the second step.

Every way in (the login page, the admin's, tests' force_login) goes through Django's login(),
so the receiver below starts the session's clocks in the session login() saves. It is connected
in CollegeConfig.ready(), not from the models, so that no model module imports the middleware.
"""

import time

from college.core import mfa

SESSION_STARTED_KEY = "session_started_at"
SESSION_LAST_SEEN_KEY = "session_last_seen_at"


def session_start(request, user):
    """Starts a signed-in session's clocks; a person with no second step owes none."""
    now = int(time.time())
    request.session[SESSION_STARTED_KEY] = now
    request.session[SESSION_LAST_SEEN_KEY] = now
    if not mfa.mfa_is_offered(user) or not mfa.mfa_is_expected(user):
        request.session[mfa.SESSION_KEY] = user.pk


def on_user_logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        session_start(request, user)
