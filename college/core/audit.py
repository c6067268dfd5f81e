"""The audit log of sensitive reads and writes: recording an event, and the staff's search.

Recording never fails the operation it describes for lack of a request: the IP hash is left
empty outside a request (a task, a management command). The hash is keyed with SECRET_KEY so
that the log cannot be matched against a list of addresses.
"""

import hashlib
import hmac

from django.conf import settings

from college.core.login_throttle import client_address
from college.models import AuditEvent


def ip_hash(request):
    address = client_address(request) if request is not None else ""
    if not address:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


def anonymous_reference(kind, pk):
    """A stable reference to an erased subject that does not give back their id."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{kind}:{pk}".encode(), hashlib.sha256
    ).hexdigest()
    return f"anon-{digest[:16]}"


def audit_record(
    *, actor, action, object_type="", object_id="", detail="", request=None, actor_role=""
):
    """Appends one event. `actor` is None for the system (a task, the retention job) and for
    a person whose account is being erased (then `actor_role` still says who they were).
    """
    is_person = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if is_person else None,
        actor_role=actor_role or (actor.role if is_person else "system"),
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        detail=str(detail)[:200],
        ip_hash=ip_hash(request),
    )


def audit_events_search(*, action="", actor_email="", since=None, until=None):
    """Events matching the staff's filters, newest first, with the actor loaded in the query.

    `since` and `until` are dates, both included, in the site's time zone.
    """
    events = AuditEvent.objects.select_related("actor").order_by("-created_at", "-pk")
    if action:
        events = events.filter(action=action)
    if actor_email:
        events = events.filter(actor__email__iexact=actor_email.strip())
    if since:
        events = events.filter(created_at__date__gte=since)
    if until:
        events = events.filter(created_at__date__lte=until)
    return events
