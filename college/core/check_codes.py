"""Check codes printed on documents (certificates, skills passports) and typed back to verify them.

A code is 12 characters of Crockford's base32 (no I, L, O or U: nothing to misread), drawn
from `secrets`: 60 bits, so codes cannot be guessed. It is stored without dashes and shown as
``XXXX-XXXX-XXXX``; a typed code is read whatever its case, dashes or spaces, and with the
letters Crockford reads as digits (O as 0, I and L as 1).
"""

import secrets

from django.core.cache import cache

from college.core.login_throttle import client_address

# Codes must not be enumerable: a client may check this many codes per window.
VERIFY_LIMIT = 30
VERIFY_WINDOW_SECONDS = 60

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12
GROUP = 4
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def certificate_code_new():
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def certificate_code_normalise(text):
    """The stored form of a typed code, or "" when it cannot be one."""
    code = "".join((text or "").split()).replace("-", "").upper().translate(_READ_AS)
    if len(code) != CODE_LENGTH or any(char not in ALPHABET for char in code):
        return ""
    return code


def certificate_code_display(code):
    return "-".join(code[index : index + GROUP] for index in range(0, len(code), GROUP))


def verify_lookup_allowed(request, kind="certificate"):
    """Counts this client's lookups of `kind` in the window; False once past the limit.

    The skills passport's public check counts the same way (kind "passport")."""
    key = f"{kind}-verify:{client_address(request) or 'unknown'}"
    cache.add(key, 0, timeout=VERIFY_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:
        # The key expired between add() and incr(): start counting again.
        cache.set(key, 1, timeout=VERIFY_WINDOW_SECONDS)
        count = 1
    return count <= VERIFY_LIMIT
