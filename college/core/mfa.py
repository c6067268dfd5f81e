"""Two-step verification with a TOTP authenticator app (RFC 6238) and recovery codes.

Who must use it: college staff and employer members (`mfa_is_required`); counsellors may set
it up, and once they have, it is asked of them too (`mfa_is_expected`). After the password,
the login is complete only when the session carries the verified flag for this user
(`mfa_session_is_verified`), set by the verify view. `settings.MFA_ENFORCED` turns the whole
check off (tests of other features, local development without an authenticator); production
refuses to start without it.
"""

import hashlib
import hmac
import secrets

import pyotp
import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from college.core.audit import audit_record
from college.models import AuditEvent, MfaDevice, User

ISSUER = "Passerelle"
SESSION_KEY = "mfa_verified_user"
RECOVERY_CODE_COUNT = 10
# One step either side: a phone clock 30 seconds off still works.
VALID_WINDOW = 1
REQUIRED_ROLES = {User.Role.STAFF, User.Role.EMPLOYER}
OPTIONAL_ROLES = {User.Role.COUNSELLOR}


def mfa_is_required(user):
    # Whoever can open the admin is held to the same rule as staff, whatever their role.
    return user.role in REQUIRED_ROLES or user.is_staff or user.is_superuser


def mfa_is_offered(user):
    return mfa_is_required(user) or user.role in OPTIONAL_ROLES


def confirmed_device(user):
    return MfaDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def mfa_is_expected(user):
    """Whether this login must pass the second step (required, or chosen by the person)."""
    if not settings.MFA_ENFORCED:
        return False
    return mfa_is_required(user) or confirmed_device(user) is not None


def mfa_session_is_verified(request):
    return request.session.get(SESSION_KEY) == request.user.pk


def mfa_session_mark_verified(request, *, rotate=True):
    # The login already rotated the session key; a second rotation closes the gap between
    # the password step and this one against a session fixed in between.
    if rotate:
        request.session.cycle_key()
    request.session[SESSION_KEY] = request.user.pk


def _hash_recovery_code(code):
    normalised = code.replace("-", "").replace(" ", "").strip().lower()
    return hmac.new(settings.SECRET_KEY.encode(), normalised.encode(), hashlib.sha256).hexdigest()


def _new_recovery_codes():
    codes = []
    for _index in range(RECOVERY_CODE_COUNT):
        raw = secrets.token_hex(5)
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def provisioning_uri(device):
    return pyotp.TOTP(device.secret).provisioning_uri(name=device.user.email, issuer_name=ISSUER)


def qr_code_svg(device):
    """The enrolment QR code as an inline SVG element (no image request, no script)."""
    qr = segno.make(provisioning_uri(device), error="m")
    return qr.svg_inline(scale=5, dark="#000", light="#fff", omitsize=False)


def mfa_device_start(*, user):
    """The device being set up: a fresh secret, unless one is already waiting for its code."""
    device, _created = MfaDevice.objects.get_or_create(
        user=user, defaults={"secret": pyotp.random_base32()}
    )
    return device


def _matching_step(device, code):
    code = (code or "").replace(" ", "").strip()
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(device.secret)
    current = totp.timecode(timezone.now())
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        step = current + offset
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


@transaction.atomic
def mfa_device_confirm(*, device, code, request=None):
    """Confirms a device with its first code; returns the new recovery codes, or None."""
    device = MfaDevice.objects.select_for_update().get(pk=device.pk)
    step = _matching_step(device, code)
    if step is None:
        return None
    codes = _new_recovery_codes()
    device.confirmed_at = timezone.now()
    device.last_used_step = step
    device.recovery_code_hashes = [_hash_recovery_code(item) for item in codes]
    device.save(update_fields=["confirmed_at", "last_used_step", "recovery_code_hashes"])
    audit_record(
        actor=device.user,
        action=AuditEvent.Action.MFA_ENABLED,
        object_type="user",
        object_id=device.user_id,
        request=request,
    )
    return codes


@transaction.atomic
def mfa_verify(*, user, code, request=None):
    """Checks a login's second step: a current code not used before, or a recovery code.

    A recovery code works once: it is removed when used.
    """
    device = MfaDevice.objects.select_for_update().filter(user=user).first()
    if device is None or not device.is_confirmed:
        return False
    step = _matching_step(device, code)
    if step is not None:
        if step <= device.last_used_step:
            return False
        device.last_used_step = step
        device.save(update_fields=["last_used_step"])
        return True
    hashed = _hash_recovery_code(code or "")
    if code and hashed in device.recovery_code_hashes:
        device.recovery_code_hashes = [
            item for item in device.recovery_code_hashes if item != hashed
        ]
        device.save(update_fields=["recovery_code_hashes"])
        audit_record(
            actor=user,
            action=AuditEvent.Action.RECOVERY_CODE_USED,
            object_type="user",
            object_id=user.pk,
            detail=f"{len(device.recovery_code_hashes)} left",
            request=request,
        )
        return True
    return False


@transaction.atomic
def mfa_recovery_codes_renew(*, device):
    codes = _new_recovery_codes()
    device.recovery_code_hashes = [_hash_recovery_code(item) for item in codes]
    device.save(update_fields=["recovery_code_hashes"])
    return codes


def mfa_device_remove(*, user):
    """A counsellor turns the second step off (staff and employers cannot: it is required)."""
    MfaDevice.objects.filter(user=user).delete()
