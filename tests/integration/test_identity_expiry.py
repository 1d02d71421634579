"""Expired links, with short lifetimes set on a stack of its own
(SW_AUTH_VERIFY_TTL_S, SW_AUTH_RESET_TTL_S): a verification or reset link used
after its time is 400 token_expired, and stays refused."""
import time

import pytest

from conftest import PASSWORD, Client, assert_error, running_stack
from identity_helpers import RESET_SUBJECT, tokens_in, verification_tokens, wait_mails
from receivers import SmtpSink

TTL_S = 2


@pytest.fixture(scope="module")
def short_stack():
    sink = SmtpSink().start()
    try:
        with running_stack({"SW_SMTP_URL": sink.url, "SW_NOTIFY_POLL_MS": "200",
                            "SW_AUTH_VERIFY_TTL_S": str(TTL_S),
                            "SW_AUTH_RESET_TTL_S": str(TTL_S)}) as st:
            st.smtp = sink
            yield st
    finally:
        sink.stop()


def test_an_expired_verification_link_is_token_expired(short_stack):
    c = Client(short_stack.base_url)
    r = c.register()
    assert r.status_code == 201, r.text
    [token] = verification_tokens(short_stack, r.json()["user"]["email"])
    time.sleep(TTL_S + 1)
    for _ in range(2):
        assert_error(c.post("/api/auth/verify-email/", {"token": token}, auth=False), 400,
                     code="token_expired")
    c.login(r.json()["user"]["email"])
    assert c.get("/api/auth/me/").json()["user"]["email_verified"] is False


def test_an_expired_reset_link_is_token_expired(short_stack):
    c = Client(short_stack.base_url)
    r = c.register()
    address = r.json()["user"]["email"]
    assert c.post("/api/auth/password-reset/", {"email": address}, auth=False).status_code == 202
    [token] = tokens_in(wait_mails(short_stack, address, RESET_SUBJECT)[0], "/reset-password")
    time.sleep(TTL_S + 1)
    new = "Too-late-for-this-1!"
    assert_error(c.post("/api/auth/password-reset/confirm/",
                        {"token": token, "password": new, "password_confirm": new}, auth=False),
                 400, code="token_expired")
    assert c.login(address, password=PASSWORD).status_code == 200
