"""Ending a person's credentials: every API token and every other session, at once.

Called after a password reset, a password change and "sign out everywhere" (the account pages
of college/core/views/account.py). Erasure deletes the user, which deletes their tokens by
cascade and makes every session point at nobody.

Sessions may live in Redis alone (SESSION_STORE=cache), where they cannot be listed, so they are
not looked for: the user's `session_epoch` is moved on, and the epoch is part of
`User.get_session_auth_hash()`; Django's authentication middleware logs out, on its next
request, every session whose stored hash no longer matches. The session of `keep_request`, when
given, is signed again with the new hash (and given a new key) so that the person stays signed
in where they acted.
"""

from django.contrib.auth import update_session_auth_hash
from django.db import transaction
from django.db.models import F
from rest_framework.authtoken.models import Token

from college.core.audit import audit_record
from college.models import AuditEvent, User


@transaction.atomic
def user_credentials_revoke(*, user, reason, keep_request=None, actor=None):
    """Deletes every API token of `user` and logs out every session but `keep_request`'s.

    `reason` is a short code recorded in the audit log (``password_reset``,
    ``password_changed``, ``sign_out_everywhere``, ``password_set_by_staff``): no personal data.
    `actor` is who acted, when not the person themselves (a staff member in the admin).
    Returns the number of tokens deleted.
    """
    tokens_deleted, _by_model = Token.objects.filter(user=user).delete()
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch", "password"])
    if keep_request is not None and getattr(keep_request, "user", None) == user:
        keep_request.user = user
        update_session_auth_hash(keep_request, user)
    audit_record(
        actor=actor or user,
        action=AuditEvent.Action.CREDENTIALS_REVOKED,
        object_type="user",
        object_id=user.pk,
        detail=f"{reason}; {tokens_deleted} token(s)",
        request=keep_request,
        actor_role=(actor or user).role,
    )
    return tokens_deleted
