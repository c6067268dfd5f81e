"""Access to employer organisations' private pages: their own members only."""

from django.http import Http404

from .models import Membership


def get_membership_for(user):
    """The membership of a signed-in employer member; a 404 for anyone without one."""
    if not user.is_authenticated:
        raise Http404
    try:
        return Membership.objects.select_related("employer", "employer__police_zone").get(user=user)
    except Membership.DoesNotExist:
        raise Http404 from None
