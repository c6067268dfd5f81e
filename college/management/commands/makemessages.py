from django.core.management.commands import makemessages


class Command(makemessages.Command):
    # A guessed ("fuzzy") translation of a new message is worse than none: it shows a wrong text
    # until someone notices, while a missing one fails the catalogue test at once.
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
