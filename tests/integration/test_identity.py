"""Identity over HTTP (api.md "Identity"): e-mail verification, password reset
and two-factor, with the e-mails read from the SMTP sink the stack sends to,
and the login cost bounded however many organisations share an e-mail."""
import statistics
import time
import uuid

import jwt

from conftest import FRONTEND_URL, PASSWORD, Client, assert_error
from identity_helpers import (RESET_SUBJECT, tokens_in, totp, verification_tokens, verify_all,
                              wait_mails)
from metrics_helpers import samples, scrape, value

NEW_PASSWORD = "Brand-new-secret-77#"


def email():
    return f"id-{uuid.uuid4().hex[:10]}@example.com"


def registered(stack, address=None, password=PASSWORD):
    c = Client(stack.base_url)
    r = c.register(email=address or email(), password=password)
    assert r.status_code == 201, r.text
    c.reg = r.json()
    return c


# --- verification -------------------------------------------------------------------------

def test_registration_mails_a_link_that_verifies_once(stack):
    c = registered(stack)
    address = c.reg["user"]["email"]
    assert c.login(address).status_code == 200
    assert c.get("/api/auth/me/").json()["user"]["email_verified"] is False

    [msg] = wait_mails(stack, address, "Confirm your e-mail address")
    assert c.reg["tenant"]["name"] in msg.get_content()
    assert FRONTEND_URL + "/verify-email?token=" in msg.get_content()
    [token] = tokens_in(msg, "/verify-email")
    r = c.post("/api/auth/verify-email/", {"token": token}, auth=False)
    assert r.status_code == 200 and r.json() == {"email_verified": True}
    assert c.get("/api/auth/me/").json()["user"]["email_verified"] is True
    assert_error(c.post("/api/auth/verify-email/", {"token": token}, auth=False), 400,
                 code="invalid_token")


def test_unknown_or_missing_tokens_are_refused(stack, client):
    assert_error(client.post("/api/auth/verify-email/", {"token": "x" * 43}, auth=False), 400,
                 code="invalid_token")
    assert_error(client.post("/api/auth/verify-email/", {}, auth=False), 400, fields=("token",))


def test_resend_mails_a_new_link_and_is_limited_to_3_an_hour(stack):
    c = registered(stack)
    address = c.reg["user"]["email"]
    assert_error(c.post("/api/auth/verify-email/resend/"), 401)
    c.login(address)
    for i in range(3):
        r = c.post("/api/auth/verify-email/resend/")
        assert r.status_code == 202, r.text
        assert r.headers["RateLimit-Limit"] == "3"
    r = c.post("/api/auth/verify-email/resend/")
    assert_error(r, 429, code="rate_limited")
    assert int(r.headers["Retry-After"]) > 0
    tokens = verification_tokens(stack, address, count=4)
    assert len(set(tokens)) == 4
    r = c.post("/api/auth/verify-email/", {"token": tokens[-1]}, auth=False)
    assert r.status_code == 200
    other = registered(stack)
    other.login(other.reg["user"]["email"])
    verify_all(other, stack, other.reg["user"]["email"])
    assert_error(other.post("/api/auth/verify-email/resend/"), 409, code="already_verified")


# --- password reset -----------------------------------------------------------------------

def test_password_reset_changes_the_password_and_ends_every_login(stack):
    c = registered(stack)
    address = c.reg["user"]["email"]
    assert c.login(address).status_code == 200
    old_refresh = c.refresh
    r = c.post("/api/auth/password-reset/", {"email": address.upper()}, auth=False)
    assert r.status_code == 202, r.text
    [msg] = wait_mails(stack, address, RESET_SUBJECT)
    [token] = tokens_in(msg, "/reset-password")
    assert c.reg["tenant"]["name"] in msg.get_content()

    weak = c.post("/api/auth/password-reset/confirm/",
                  {"token": token, "password": "short", "password_confirm": "short"}, auth=False)
    assert_error(weak, 400, fields=("password",))
    r = c.post("/api/auth/password-reset/confirm/",
               {"token": token, "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
               auth=False)
    assert r.status_code == 200, r.text
    assert_error(c.post("/api/auth/password-reset/confirm/",
                        {"token": token, "password": NEW_PASSWORD,
                         "password_confirm": NEW_PASSWORD}, auth=False), 400, code="invalid_token")

    assert_error(c.post("/api/auth/token/refresh/", {"refresh": old_refresh}, auth=False), 401)
    fresh = Client(stack.base_url)
    assert_error(fresh.login(address), 401, code="invalid_credentials")
    assert fresh.login(address, password=NEW_PASSWORD).status_code == 200
    # The link proved the mailbox: the e-mail now counts as verified.
    assert fresh.get("/api/auth/me/").json()["user"]["email_verified"] is True


def test_password_reset_answers_alike_for_unknown_emails_and_sends_nothing(stack, client):
    address = email()
    r = client.post("/api/auth/password-reset/", {"email": address}, auth=False)
    assert r.status_code == 202
    time.sleep(1.5)
    assert stack.smtp.to(address) == []
    assert_error(client.post("/api/auth/password-reset/", {"email": "not-an-email"}, auth=False),
                 400, fields=("email",))


def test_password_reset_names_each_organisation_with_its_own_link(stack):
    address = email()
    first, second = registered(stack, address), registered(stack, address)
    r = first.post("/api/auth/password-reset/", {"email": address}, auth=False)
    assert r.status_code == 202
    [msg] = wait_mails(stack, address, RESET_SUBJECT)
    text = msg.get_content()
    assert first.reg["tenant"]["name"] in text and second.reg["tenant"]["name"] in text
    assert len(set(tokens_in(msg, "/reset-password"))) == 2


# --- two-factor ---------------------------------------------------------------------------

def enable_two_factor(c):
    r = c.post("/api/auth/2fa/setup/")
    assert r.status_code == 200, r.text
    secret, url = r.json()["secret"], r.json()["otpauth_url"]
    assert url.startswith("otpauth://totp/StatusWatch%3A")
    assert f"secret={secret}" in url and "digits=6" in url and "period=30" in url
    assert_error(c.post("/api/auth/2fa/confirm/", {"code": "000000" if totp(secret) != "000000"
                                                   else "111111"}), 400, code="invalid_code")
    r = c.post("/api/auth/2fa/confirm/", {"code": totp(secret)})
    assert r.status_code == 200, r.text
    codes = r.json()["recovery_codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    return secret, codes


def challenge_of(c, address, password=PASSWORD):
    r = c.post("/api/auth/token/", {"email": address, "password": password}, auth=False)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["two_factor_required"] is True and "access" not in body
    return body["challenge"]


def test_two_factor_set_up_then_login_with_a_code_and_with_a_recovery_code(stack):
    c = registered(stack)
    address = c.reg["user"]["email"]
    c.login(address)
    secret, codes = enable_two_factor(c)
    assert_error(c.post("/api/auth/2fa/setup/"), 409, code="already_enabled")
    assert c.get("/api/auth/me/").json()["user"]["two_factor_enabled"] is True

    # The code used to confirm is spent; the next time step's code is accepted.
    challenge = challenge_of(c, address)
    assert_error(c.post("/api/auth/token/2fa/", {"challenge": challenge, "code": totp(secret)},
                        auth=False), 401, code="invalid_code")
    r = c.post("/api/auth/token/2fa/",
               {"challenge": challenge, "code": totp(secret, at=time.time() + 30)}, auth=False)
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"access", "refresh", "user", "tenant"}
    assert body["tenant"] == c.reg["tenant"]
    assert jwt.decode(body["access"], options={"verify_signature": False})["sub"] == \
        c.reg["user"]["id"]
    # A used challenge is dead.
    assert_error(c.post("/api/auth/token/2fa/", {"challenge": challenge, "code": codes[0]},
                        auth=False), 401, code="invalid_challenge")

    # A recovery code works once (any case, with or without the dash).
    challenge = challenge_of(c, address)
    r = c.post("/api/auth/token/2fa/",
               {"challenge": challenge, "code": codes[0].upper().replace("-", "")}, auth=False)
    assert r.status_code == 200, r.text
    challenge = challenge_of(c, address)
    assert_error(c.post("/api/auth/token/2fa/", {"challenge": challenge, "code": codes[0]},
                        auth=False), 401, code="invalid_code")
    assert c.post("/api/auth/token/2fa/", {"challenge": challenge, "code": codes[1]},
                  auth=False).status_code == 200


def test_five_wrong_codes_kill_the_challenge(stack):
    c = registered(stack)
    address = c.reg["user"]["email"]
    c.login(address)
    secret, _ = enable_two_factor(c)
    challenge = challenge_of(c, address)
    for _ in range(5):
        assert_error(c.post("/api/auth/token/2fa/", {"challenge": challenge, "code": "12345a"},
                            auth=False), 401, code="invalid_code")
    assert_error(c.post("/api/auth/token/2fa/",
                        {"challenge": challenge, "code": totp(secret, at=time.time() + 30)},
                        auth=False), 401, code="invalid_challenge")
    assert_error(c.post("/api/auth/token/2fa/", {"challenge": "nope", "code": "123456"},
                        auth=False), 401, code="invalid_challenge")


def test_wrong_codes_are_limited_to_20_an_hour_per_address(stack):
    c = registered(stack)
    address = c.reg["user"]["email"]
    c.login(address)
    enable_two_factor(c)
    for _ in range(4):
        challenge = challenge_of(c, address)
        for _ in range(5):
            assert c.post("/api/auth/token/2fa/", {"challenge": challenge, "code": "00000a"},
                          auth=False).status_code == 401
    r = c.post("/api/auth/token/2fa/", {"challenge": challenge_of(c, address), "code": "00000a"},
               auth=False)
    assert_error(r, 429, code="rate_limited")
    assert int(r.headers["Retry-After"]) > 0


def test_two_factor_disable_needs_the_password_and_a_code(stack):
    c = registered(stack)
    address = c.reg["user"]["email"]
    c.login(address)
    secret, codes = enable_two_factor(c)
    assert_error(c.post("/api/auth/2fa/disable/", {"password": PASSWORD + "x", "code": codes[2]}),
                 401)
    assert_error(c.post("/api/auth/2fa/disable/", {"password": PASSWORD, "code": "00000a"}), 400,
                 code="invalid_code")
    r = c.post("/api/auth/2fa/disable/", {"password": PASSWORD, "code": codes[2]})
    assert r.status_code == 200, r.text
    assert c.get("/api/auth/me/").json()["user"]["two_factor_enabled"] is False
    assert "access" in Client(stack.base_url).login(address).json()
    assert_error(c.post("/api/auth/2fa/disable/", {"password": PASSWORD, "code": codes[3]}), 400,
                 code="invalid_code")


def test_two_factor_routes_need_a_login(client):
    for path in ("/api/auth/2fa/setup/", "/api/auth/2fa/confirm/", "/api/auth/2fa/disable/"):
        assert_error(client.post(path, {}), 401)


# --- the cost of a login ------------------------------------------------------------------

def wrong_logins(stack, address, times=3):
    """Wrong-password logins of the e-mail: the median seconds one took (information
    only: speed is never asserted by timing) and the password hashes sw-auth verified
    for each, from its sw_auth_password_verifications_total."""
    metrics = stack.ops_url("auth") + "/metrics"
    spent, hashes = [], []
    for _ in range(times):
        c = Client(stack.base_url)
        before = value(samples(scrape(metrics)), "sw_auth_password_verifications_total")
        started = time.perf_counter()
        r = c.login(address, password=PASSWORD + "-wrong")
        spent.append(time.perf_counter() - started)
        assert r.status_code == 401, r.text
        hashes.append(value(samples(scrape(metrics)), "sw_auth_password_verifications_total")
                      - before)
    return statistics.median(spent), hashes


def test_many_memberships_of_one_email_cost_a_login_at_most_two_hashes(stack):
    """20 organisations under one e-mail (10 verified, 10 not): a wrong password
    verifies two hashes (the identity's, once for the 10 verified memberships, and
    the oldest unverified membership's), not 20; one for an e-mail of one
    organisation, and one (the dummy) for an unknown e-mail."""
    crowded, single = email(), email()
    clients = [registered(stack, crowded) for _ in range(20)]
    registered(stack, single)
    for c in clients[:10]:
        [token] = [t for m in wait_mails(stack, crowded, "Confirm your e-mail address", 20)
                   for t in tokens_in(m, "/verify-email")
                   if c.reg["tenant"]["name"] in m.get_content()]
        assert c.post("/api/auth/verify-email/", {"token": token}, auth=False).status_code == 200
    one, one_hashes = wrong_logins(stack, single)
    many, many_hashes = wrong_logins(stack, crowded)
    unknown, unknown_hashes = wrong_logins(stack, email())
    print(f"wrong-password login: {many * 1000:.0f} ms with 20 memberships,"
          f" {one * 1000:.0f} ms with one, {unknown * 1000:.0f} ms for an unknown e-mail")
    assert one_hashes == [1, 1, 1]
    assert many_hashes == [2, 2, 2]  # the bound (at most two), reached
    assert unknown_hashes == [1, 1, 1]  # the dummy: an unknown e-mail costs the same

    # The tenant selector still offers every organisation that counts at login:
    # the 10 verified ones and the oldest unverified one.
    r = Client(stack.base_url).login(crowded)
    assert r.status_code == 200 and r.json()["multiple_tenants"] is True
    offered = {t["id"] for t in r.json()["tenants"]}
    assert offered == {c.reg["tenant"]["id"] for c in clients[:11]}
    chosen = Client(stack.base_url).login(crowded, tenant_schema=clients[15].reg["tenant"]["schema"])
    assert_error(chosen, 401, code="invalid_credentials")  # unverified, beyond the first


def test_an_email_holds_at_most_50_memberships(stack):
    address = email()
    for _ in range(50):
        registered(stack, address)
    r = Client(stack.base_url).register(email=address)
    assert_error(r, 400, fields=("email",))


# --- what waits for a verified owner ------------------------------------------------------

def test_checkout_and_channels_wait_for_the_owner_to_verify(stack):
    c = registered(stack)
    address = c.reg["user"]["email"]
    c.login(address)
    channel = {"kind": "email", "name": "Ops", "target": "ops@example.com"}
    assert_error(c.post("/api/billing/create-checkout-session/", {"plan": "pro"}), 403,
                 code="email_not_verified")
    assert_error(c.post("/api/notifications/channels/", channel), 403, code="email_not_verified")
    # Everything else works meanwhile.
    assert c.get("/api/endpoints/").status_code == 200
    assert c.get("/api/notifications/channels/").status_code == 200

    verify_all(c, stack, address)
    assert c.post("/api/billing/create-checkout-session/", {"plan": "pro"}).status_code == 200
    r = c.post("/api/notifications/channels/", channel)
    assert r.status_code == 201, r.text
    assert c.post(f"/api/notifications/channels/{r.json()['id']}/test/").status_code == 202
