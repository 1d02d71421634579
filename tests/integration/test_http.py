"""Gateway behaviour shared by every route: headers, errors, parsing limits,
health, metrics and the web app fallback."""
import os
import uuid

import requests

from conftest import assert_error

SECURITY_HEADERS = ["Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options",
                    "Referrer-Policy", "Permissions-Policy"]


def assert_security_headers(resp):
    for name in SECURITY_HEADERS:
        assert name in resp.headers, name
    assert "'unsafe-inline'" not in resp.headers["Content-Security-Policy"]
    assert "script-src 'self'" in resp.headers["Content-Security-Policy"]
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert resp.headers.get("X-Request-ID")


def test_every_kind_of_response_carries_security_headers(stack, client):
    for resp in [client.get("/health/"), client.get("/api/auth/me/"), client.get("/api/nope/"),
                 client.get("/dashboard"), client.post("/api/auth/token/", {})]:
        assert_security_headers(resp)
        assert "Strict-Transport-Security" not in resp.headers


def test_hsts_is_sent_when_a_trusted_proxy_says_https(client):
    r = client.get("/health/", headers={"X-Forwarded-Proto": "https"})
    assert r.headers["Strict-Transport-Security"].startswith("max-age=")


def test_request_id_is_echoed_when_sane_and_generated_otherwise(client):
    assert client.get("/health/", headers={"X-Request-ID": "abc-123"}).headers["X-Request-ID"] \
        == "abc-123"
    generated = client.get("/health/", headers={"X-Request-ID": "bad id <script>" + "x" * 80})
    uuid.UUID(generated.headers["X-Request-ID"])


def test_unknown_api_path_is_404_in_the_error_shape(client):
    assert_error(client.get("/api/does-not-exist/"), 404, code="not_found")


def test_wrong_method_is_405_with_allow(client):
    r = client.get("/api/auth/register/")
    assert_error(r, 405, code="method_not_allowed")
    assert r.headers["Allow"] == "POST"


def test_paths_without_trailing_slash_are_answered_the_same(client):
    reg = client.register()
    assert reg.status_code == 201
    r = client.post("/api/auth/token", {"email": reg.json()["user"]["email"],
                                        "password": "Correct-horse-42!"})
    assert r.status_code == 200 and "access" in r.json()
    client.access = r.json()["access"]
    assert client.get("/api/auth/me").status_code == 200


def test_body_must_be_json(client):
    r = client.post("/api/auth/token/", data="email=a&password=b",
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_error(r, 415, code="unsupported_media_type")
    r = client.post("/api/auth/token/", data="{not json",
                    headers={"Content-Type": "application/json"})
    assert_error(r, 400, code="parse_error")
    r = client.post("/api/auth/token/", data="[1, 2]", headers={"Content-Type": "application/json"})
    assert_error(r, 400, code="parse_error")
    r = client.post("/api/auth/token/", data='{"email": "a", "email": "b", "password": "x"}',
                    headers={"Content-Type": "application/json"})
    assert_error(r, 400, code="parse_error")


def test_body_size_and_nesting_are_limited(client):
    big = '{"email": "' + "a" * 70000 + '", "password": "x"}'
    assert_error(client.post("/api/auth/token/", data=big,
                             headers={"Content-Type": "application/json"}), 413)
    deep = '{"x": ' + "[" * 100 + "]" * 100 + ', "email": "a", "password": "b"}'
    assert_error(client.post("/api/auth/token/", data=deep,
                             headers={"Content-Type": "application/json"}), 400,
                 code="parse_error")


def test_health_and_readiness(client):
    r = client.get("/health/")
    assert r.status_code == 200 and r.json()["status"] == "ok"
    r = client.get("/health/ready/")
    assert r.status_code == 200
    assert r.json()["checks"] == {"database": "ok", "auth": "ok", "tenants": "ok",
                                  "monitors": "ok", "billing": "ok", "notify": "ok"}


def test_metrics_are_in_prometheus_text_format(client):
    client.get("/health/")
    r = client.get("/metrics/")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/plain")
    text = r.text
    assert "# TYPE sw_http_requests_total counter" in text
    assert 'sw_http_requests_total{route="/health/",status="200"}' in text
    assert "# TYPE sw_http_request_duration_seconds histogram" in text
    assert 'sw_http_request_duration_seconds_bucket{route="/health/",le="+Inf"}' in text
    assert 'sw_rpc_errors_total{service="auth",kind="unavailable"}' in text


def test_web_app_paths_fall_back_to_index_html(stack, client):
    # Without a built app the gateway answers with a placeholder page.
    r = client.get("/dashboard")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    web = os.path.join(stack.var_dir, "web")
    os.makedirs(os.path.join(web, "assets"), exist_ok=True)
    with open(os.path.join(web, "index.html"), "w") as f:
        f.write("<!doctype html><title>app</title><div id=root></div>")
    with open(os.path.join(web, "assets", "app-1234.js"), "w") as f:
        f.write("console.log(1)")
    for path in ["/", "/login", "/endpoints/123", "/deep/link/here"]:
        r = client.get(path)
        assert r.status_code == 200 and "<div id=root>" in r.text, path
        assert_security_headers(r)
    r = client.get("/assets/app-1234.js")
    assert r.status_code == 200 and r.text == "console.log(1)"
    assert "javascript" in r.headers["Content-Type"]
    assert "immutable" in r.headers["Cache-Control"]
    assert requests.get(stack.base_url + "/../../etc/passwd").status_code in (200, 400, 404)
    assert "root:" not in requests.get(stack.base_url + "/../../etc/passwd").text
