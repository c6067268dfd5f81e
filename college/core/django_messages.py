"""Django's own messages that its Dutch catalogue lacks (Django 6.1).

Django falls back to the default language, French, for a message missing in Dutch, so a Dutch
page would show a French password error. Naming the messages here makes `makemessages` copy
them into our catalogues, which take precedence over Django's. Never called.
"""

from django.utils.translation import gettext_noop, ngettext


def _messages_missing_from_djangos_dutch_catalogue():
    gettext_noop("- Select an option -")
    gettext_noop("No %s matches the given query.")
    gettext_noop("“%(value)s” is not a valid binary value.")
    ngettext(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        1,
    )
    gettext_noop("Filter by %(field_name)s")
    gettext_noop("Forgotten your login credentials?")
    gettext_noop("Logout")
    gettext_noop("Pagination %(name)s")
    gettext_noop("Pagination %(name)s entries")
    gettext_noop("Search %(name)s")
    gettext_noop('The app "%s" could not be found.')
    gettext_noop(
        "Are you sure you want to delete the %(object_name)s “%(escaped_object)s”? "
        "All of the following related items will be deleted:"
    )
    gettext_noop(
        "Deleting the %(object_name)s “%(escaped_object)s” would require deleting the following "
        "protected related objects:"
    )
    ngettext("…and %(count)d more object.", "…and %(count)d more objects.", 1)
