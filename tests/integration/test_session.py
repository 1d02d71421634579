"""Login, refresh rotation, logout and /api/auth/me/ over HTTP."""
import time
import uuid

import jwt
import pytest

from conftest import PASSWORD, assert_error
from identity_helpers import verify_all


def dev_private_key(stack):
    with open(f"{stack.var_dir}/keys/jwt-private.pem") as f:
        return f.read()


def forge(stack, claims, key=None, alg="ES256"):
    return jwt.encode(claims, key or dev_private_key(stack), algorithm=alg)


def test_login_returns_tokens_user_and_tenant(client):
    reg = client.register().json()
    r = client.login(reg["user"]["email"].upper())
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"access", "refresh", "user", "tenant"}
    assert body["user"] == reg["user"]
    assert body["tenant"] == reg["tenant"]
    claims = jwt.decode(body["access"], options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 300
    refresh = jwt.decode(body["refresh"], options={"verify_signature": False})
    assert refresh["exp"] - refresh["iat"] == 7 * 24 * 3600


def test_login_refuses_wrong_password_and_unknown_email_alike(client, new_client):
    reg = client.register().json()
    wrong = client.login(reg["user"]["email"], password=PASSWORD + "x")
    unknown = new_client().login(f"nobody-{uuid.uuid4().hex}@example.com")
    assert_error(wrong, 401, code="invalid_credentials")
    assert_error(unknown, 401, code="invalid_credentials")
    assert wrong.json() == unknown.json()


def test_login_requires_both_fields(client):
    body = assert_error(client.post("/api/auth/token/", {}), 400)
    assert set(body["errors"]) == {"email", "password"}


def test_login_with_several_tenants_asks_which_one(stack, client, new_client):
    email = f"multi-{uuid.uuid4().hex[:8]}@example.com"
    first = client.register(email=email).json()["tenant"]
    second = new_client().register(email=email).json()["tenant"]
    # Only verified memberships (and the oldest unverified one) count at login.
    verify_all(client, stack, email, count=2)
    r = client.login(email)
    assert r.status_code == 200
    body = r.json()
    assert body["multiple_tenants"] is True
    assert isinstance(body["message"], str)
    assert sorted(body["tenants"], key=lambda t: t["id"]) == sorted([first, second],
                                                                    key=lambda t: t["id"])
    assert "access" not in body

    chosen = client.login(email, tenant_schema=second["schema"])
    assert chosen.status_code == 200
    assert chosen.json()["tenant"] == second
    me = client.get("/api/auth/me/").json()
    assert me["tenant"]["id"] == second["id"]

    assert_error(client.login(email, tenant_schema="t_" + "0" * 32), 401,
                 code="invalid_credentials")


def test_login_with_several_tenants_only_offers_matching_passwords(client, new_client):
    email = f"split-{uuid.uuid4().hex[:8]}@example.com"
    mine = client.register(email=email).json()["tenant"]
    new_client().register(email=email, password="Another-secret-99?")
    r = client.login(email)
    assert r.status_code == 200 and r.json()["tenant"] == mine


def test_login_is_rate_limited(client):
    statuses = [client.login(f"nobody-{uuid.uuid4().hex}@example.com").status_code
                for _ in range(12)]
    assert statuses == [401] * 10 + [429] * 2


def test_refresh_rotates_and_spends_the_old_token(client):
    client.signed_up()
    old = client.refresh
    r = client.post("/api/auth/token/refresh/", {"refresh": old})
    assert r.status_code == 200, r.text
    assert set(r.json()) == {"access", "refresh"}
    assert r.json()["refresh"] != old
    client.access = r.json()["access"]
    assert client.get("/api/auth/me/").status_code == 200


def test_refresh_reuse_revokes_the_whole_login(client):
    client.signed_up()
    old = client.refresh
    rotated = client.post("/api/auth/token/refresh/", {"refresh": old}).json()
    assert_error(client.post("/api/auth/token/refresh/", {"refresh": old}), 401)
    # The token issued by the legitimate rotation is now dead too, and so is the access token.
    assert_error(client.post("/api/auth/token/refresh/", {"refresh": rotated["refresh"]}), 401)
    client.access = rotated["access"]
    assert_error(client.get("/api/auth/me/"), 401)


def test_refresh_refuses_expired_forged_and_wrong_type_tokens(stack, client):
    client.signed_up()
    claims = jwt.decode(client.refresh, options={"verify_signature": False})
    expired = forge(stack, {**claims, "iat": int(time.time()) - 100, "exp": int(time.time()) - 1})
    assert_error(client.post("/api/auth/token/refresh/", {"refresh": expired}), 401)
    assert_error(client.post("/api/auth/token/refresh/", {"refresh": client.access}), 401)
    assert_error(client.post("/api/auth/token/refresh/", {"refresh": "garbage"}), 401)
    hs = forge(stack, claims, key="secret-key-for-hs256-algorithm!", alg="HS256")
    assert_error(client.post("/api/auth/token/refresh/", {"refresh": hs}), 401)
    assert_error(client.post("/api/auth/token/refresh/", {}), 400, fields=["refresh"])


def test_logout_blacklists_the_refresh_token(stack, client):
    client.signed_up()
    r = client.post("/api/auth/logout/", {"refresh": client.refresh})
    assert r.status_code == 200, r.text
    jti = jwt.decode(client.refresh, options={"verify_signature": False})["jti"]
    assert stack.sql(f"SELECT reason FROM auth.token_blacklist WHERE jti = '{jti}'") == [["logout"]]
    assert_error(client.post("/api/auth/token/refresh/", {"refresh": client.refresh}), 401)
    assert_error(client.post("/api/auth/logout/", {"refresh": client.refresh}), 401)
    assert_error(client.get("/api/auth/me/"), 401)


def test_logout_refuses_bad_tokens(client):
    assert_error(client.post("/api/auth/logout/", {"refresh": "nope"}), 401)
    assert_error(client.post("/api/auth/logout/", {}), 400, fields=["refresh"])


def test_me_describes_user_and_tenant(client):
    reg = client.signed_up()
    r = client.get("/api/auth/me/")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["user"] == {**reg["user"], "email_verified": False, "two_factor_enabled": False}
    assert body["tenant"] == {**reg["tenant"], "plan": "free", "subscription_status": "free",
                              "account_status": "active", "endpoint_limit": 3,
                              "endpoint_count": 0}


def test_me_shows_an_unlimited_plan_as_a_null_endpoint_limit(stack, client):
    reg = client.signed_up()
    stack.sql(f"UPDATE tenancy.tenants SET plan = 'pro' WHERE id = '{reg['tenant']['id']}'")
    tenant = client.get("/api/auth/me/").json()["tenant"]
    assert tenant["plan"] == "pro"
    assert "endpoint_limit" in tenant and tenant["endpoint_limit"] is None


def test_me_requires_a_valid_access_token(stack, client):
    assert_error(client.get("/api/auth/me/"), 401, code="not_authenticated")
    client.signed_up()
    claims = jwt.decode(client.access, options={"verify_signature": False})
    cases = [
        "Bearer garbage",
        "Bearer " + forge(stack, {**claims, "exp": int(time.time()) - 1}),
        "Bearer " + forge(stack, claims, key="another-secret-for-hs256-tokens", alg="HS256"),
        "Bearer " + client.refresh,
        "Token " + client.access,
    ]
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives import serialization
    other = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())
    cases.append("Bearer " + forge(stack, claims, key=other))
    for header in cases:
        assert_error(client.get("/api/auth/me/", headers={"Authorization": header}), 401)


def test_me_shows_only_the_callers_tenant(client, new_client):
    a = client.signed_up()
    other = new_client()
    b = other.signed_up()
    assert client.get("/api/auth/me/").json()["tenant"]["id"] == a["tenant"]["id"]
    assert other.get("/api/auth/me/").json()["tenant"]["id"] == b["tenant"]["id"]


# Session rules: a refresh re-reads who the login belongs to, a login has an
# absolute lifetime, and logging out with a spent token still ends the login.

def claims_of(token):
    return jwt.decode(token, options={"verify_signature": False})


def refresh(client, token=None):
    return client.post("/api/auth/token/refresh/", {"refresh": token or client.refresh})


def test_refresh_carries_a_changed_role_into_the_new_tokens(stack, client):
    reg = client.signed_up()
    assert claims_of(client.access)["role"] == "owner"
    stack.sql(f"UPDATE auth.users SET role = 'member' WHERE id = '{reg['user']['id']}'")
    r = refresh(client)
    assert r.status_code == 200, r.text
    assert claims_of(r.json()["access"])["role"] == "member"
    assert claims_of(r.json()["refresh"])["role"] == "member"
    client.access = r.json()["access"]
    assert client.get("/api/auth/me/").json()["user"]["role"] == "member"


def test_refresh_refuses_a_deactivated_user(stack, client):
    reg = client.signed_up()
    stack.sql(f"UPDATE auth.users SET is_active = false WHERE id = '{reg['user']['id']}'")
    assert_error(refresh(client), 401, code="token_not_valid")


def test_refresh_refuses_a_removed_user(stack, client):
    reg = client.signed_up()
    stack.sql(f"DELETE FROM auth.users WHERE id = '{reg['user']['id']}'")
    assert_error(refresh(client), 401, code="token_not_valid")


def test_refresh_refuses_a_tenant_that_no_longer_exists(stack, client):
    reg = client.signed_up()
    stack.sql(f"DELETE FROM tenancy.tenants WHERE id = '{reg['tenant']['id']}'")
    assert_error(refresh(client), 401, code="token_not_valid")


def test_refresh_reads_the_tenant_status_and_keeps_a_suspended_account_logged_in(stack, client):
    """api.md: a suspended account may still refresh, read /me and reach billing, so the
    customer can pay; the status it sees is the one sw-tenants has now."""
    reg = client.signed_up()
    tid = reg["tenant"]["id"]
    stack.sql(f"UPDATE tenancy.tenants SET account_status = 'suspended' WHERE id = '{tid}'")
    r = refresh(client)
    assert r.status_code == 200, r.text
    client.access, client.refresh = r.json()["access"], r.json()["refresh"]
    assert client.get("/api/auth/me/").json()["tenant"]["account_status"] == "suspended"
    stack.sql(f"UPDATE tenancy.tenants SET account_status = 'active' WHERE id = '{tid}'")
    assert refresh(client).status_code == 200


def age_login(stack, token, age):
    sid = claims_of(token)["sid"]
    stack.sql(f"UPDATE auth.sessions SET created_at = now() - interval '{age}' WHERE id = '{sid}'")


def test_a_login_ends_after_30_days_however_fresh_its_refresh_token(stack, client):
    client.signed_up()
    r = refresh(client)  # a freshly rotated token of the same login
    assert r.status_code == 200
    client.access, client.refresh = r.json()["access"], r.json()["refresh"]
    age_login(stack, client.refresh, "30 days 1 minute")
    assert_error(refresh(client), 401, code="token_not_valid")
    # The access token has not expired, but its login has.
    assert_error(client.get("/api/auth/me/"), 401)


def test_a_refresh_near_the_end_of_a_login_expires_with_it(stack, client):
    client.signed_up()
    age_login(stack, client.refresh, "29 days")
    r = refresh(client)
    assert r.status_code == 200, r.text
    new = claims_of(r.json()["refresh"])
    assert 24 * 3600 - 60 <= new["exp"] - new["iat"] <= 24 * 3600 + 60
    jti = new["jti"]
    left = stack.sql("SELECT extract(epoch from expires_at - issued_at)::int"
                     f" FROM auth.refresh_tokens WHERE jti = '{jti}'")
    assert abs(int(left[0][0]) - 24 * 3600) <= 60


def test_logout_with_a_spent_refresh_token_ends_the_login(stack, client):
    client.signed_up()
    spent = client.refresh
    rotated = refresh(client).json()
    r = client.post("/api/auth/logout/", {"refresh": spent})
    assert r.status_code == 200, r.text
    sid = claims_of(spent)["sid"]
    assert stack.sql(f"SELECT revoke_reason FROM auth.sessions WHERE id = '{sid}'") == [["logout"]]
    # The login's other refresh token and its access token are dead too.
    assert_error(refresh(client, rotated["refresh"]), 401, code="token_not_valid")
    client.access = rotated["access"]
    assert_error(client.get("/api/auth/me/"), 401)
