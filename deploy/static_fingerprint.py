"""Prints a fingerprint of every static file collectstatic would copy (path, size, mtime).

deploy/prod-check.sh runs collectstatic (minutes with compression on a busy machine) only when
this changes or the manifest is missing.
"""

import hashlib
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "college.settings")

import django  # noqa: E402

django.setup()

from django.contrib.staticfiles.finders import get_finders  # noqa: E402

digest = hashlib.sha256()
for finder in get_finders():
    for path, storage in sorted(finder.list([]), key=lambda item: item[0]):
        stat = os.stat(storage.path(path))
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
print(digest.hexdigest())
