"""The contract's rate limits, held where every replica sees them (sw-auth's
PostgreSQL): registrations 5/hour and failed logins 10/hour per client
address, failed logins 10/hour per e-mail, IPv6 clients per /64, RateLimit-*
headers, Retry-After — and the same count through two gateways."""
import uuid

import pytest
import requests

from conftest import PASSWORD, Client, assert_error, extra_gateway


def random_ip():
    return "10.%d.%d.%d" % tuple(uuid.uuid4().bytes[:3])


def post(base, path, body, ip):
    return requests.post(base + path, json=body, headers={"X-Forwarded-For": ip}, timeout=15)


def register_body():
    tag = uuid.uuid4().hex[:10]
    return {"organization_name": "Org " + tag, "email": f"u-{tag}@example.com",
            "password": PASSWORD, "password_confirm": PASSWORD}


def assert_limited(r):
    assert_error(r, 429, code="rate_limited")
    assert int(r.headers["Retry-After"]) > 0
    assert r.headers["RateLimit-Remaining"] == "0"


@pytest.fixture(scope="module")
def second_gateway(stack):
    """Another sw-gateway process of the same stack (same services, same keys)."""
    with extra_gateway(stack) as base:
        yield base


def test_the_11th_failed_login_of_an_address_is_429_across_two_gateways(stack, second_gateway):
    ip = random_ip()
    statuses = []
    for i in range(11):
        base = stack.base_url if i % 2 == 0 else second_gateway
        r = post(base, "/api/auth/token/", {"email": f"x{i}@example.com", "password": "wrong"}, ip)
        statuses.append(r.status_code)
        if i < 10:
            assert r.headers["RateLimit-Limit"] == "10"
            assert r.headers["RateLimit-Remaining"] == str(9 - i)
    assert statuses[:10] == [401] * 10
    assert_limited(r)


def test_failed_logins_of_one_email_are_limited_whatever_the_address(stack):
    email = f"victim-{uuid.uuid4().hex[:8]}@example.com"
    for _ in range(10):
        r = post(stack.base_url, "/api/auth/token/", {"email": email, "password": "wrong"},
                 random_ip())
        assert r.status_code == 401
    assert_limited(post(stack.base_url, "/api/auth/token/",
                        {"email": email, "password": "wrong"}, random_ip()))


def test_successful_logins_do_not_count(stack):
    c = Client(stack.base_url)
    reg = c.signed_up()
    for _ in range(12):
        assert c.login(reg["user"]["email"]).status_code == 200


def test_the_6th_registration_of_an_address_is_429_across_two_gateways(stack, second_gateway):
    ip = random_ip()
    for i in range(5):
        r = post(stack.base_url if i % 2 else second_gateway, "/api/auth/register/",
                 register_body(), ip)
        assert r.status_code == 201, r.text
        assert r.headers["RateLimit-Remaining"] == str(4 - i)
    r = post(stack.base_url, "/api/auth/register/", register_body(), ip)
    assert_limited(r)
    assert int(r.headers["Retry-After"]) <= 3600


def test_ipv6_clients_are_limited_per_64(stack):
    for i in range(5):
        r = post(stack.base_url, "/api/auth/register/", register_body(), f"2001:db8:7:{i}::1")
        assert r.status_code == 201  # different /64s
    net = f"2001:db8:{uuid.uuid4().int % 65536:x}:1"
    for i in range(5):
        assert post(stack.base_url, "/api/auth/register/", register_body(),
                    f"{net}::{i + 1:x}").status_code == 201
    assert_limited(post(stack.base_url, "/api/auth/register/", register_body(),
                        f"{net}:ffff:ffff:ffff:ffff"))


def test_checkout_and_portal_sessions_are_limited_per_user(stack, signed_up_client):
    c = signed_up_client()
    for i in range(10):
        r = c.post("/api/billing/create-checkout-session/", {"plan": "pro"})
        assert r.status_code == 200, r.text
        assert r.headers["RateLimit-Remaining"] == str(9 - i)
    assert_limited(c.post("/api/billing/create-checkout-session/", {"plan": "pro"}))
    assert_limited(c.post("/api/billing/create-portal-session/", {}))
    other = signed_up_client()
    assert other.post("/api/billing/create-checkout-session/", {"plan": "pro"}).status_code == 200


def test_the_4th_password_reset_of_an_address_is_429_across_two_gateways(stack, second_gateway):
    ip = random_ip()
    bases = [stack.base_url, second_gateway]
    for i in range(3):
        r = post(bases[i % 2], "/api/auth/password-reset/",
                 {"email": f"nobody-{uuid.uuid4().hex[:8]}@example.com"}, ip)
        assert r.status_code == 202, r.text
        assert r.headers["RateLimit-Limit"] == "3"
        assert r.headers["RateLimit-Remaining"] == str(2 - i)
    assert_limited(post(bases[1], "/api/auth/password-reset/",
                        {"email": "someone@example.com"}, ip))
    # Another address is not affected.
    assert post(bases[0], "/api/auth/password-reset/", {"email": "someone@example.com"},
                random_ip()).status_code == 202
