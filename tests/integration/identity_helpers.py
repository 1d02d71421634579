"""Reading the account e-mails of sw-auth (verification, reset) from the SMTP sink,
and computing TOTP codes (RFC 6238) the way an authenticator app does."""
import base64
import hashlib
import hmac
import re
import struct
import time

from conftest import wait_for

VERIFY_SUBJECT = "Confirm your e-mail address"
RESET_SUBJECT = "Reset your StatusWatch password"


def _body(msg):
    return msg.get_content() if not msg.is_multipart() else msg.get_body(("plain",)).get_content()


def mails(stack, address, subject):
    return [m for m in stack.smtp.to(address) if m["Subject"] == subject]


def wait_mails(stack, address, subject, count=1, timeout=20):
    found = wait_for(lambda: len(mails(stack, address, subject)) >= count and
                     mails(stack, address, subject), timeout=timeout)
    assert found, f"no {subject!r} e-mail to {address}"
    return found


def tokens_in(msg, path):
    return re.findall(re.escape(path) + r"\?token=([A-Za-z0-9_-]+)", _body(msg))


def verification_tokens(stack, address, count=1):
    msgs = wait_mails(stack, address, VERIFY_SUBJECT, count)
    return [t for m in msgs for t in tokens_in(m, "/verify-email")]


def verify_all(client, stack, address, count=1):
    """Follows every verification link mailed to address (count registrations)."""
    for token in verification_tokens(stack, address, count):
        r = client.post("/api/auth/verify-email/", {"token": token}, auth=False)
        assert r.status_code in (200, 400), r.text


def totp(secret_b32, at=None, digits=6, step=30):
    key = base64.b32decode(secret_b32.upper() + "=" * (-len(secret_b32) % 8))
    counter = int((time.time() if at is None else at) // step)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10 ** digits).zfill(digits)
