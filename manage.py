#!/usr/bin/env python
import os
import sys


def main():
    # Fail early with a clear message rather than with a syntax error deep in Django.
    if sys.version_info < (3, 12):  # noqa: UP036
        sys.exit(f"Passerelle needs Python 3.12 or newer; this is {sys.version.split()[0]}.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "college.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
