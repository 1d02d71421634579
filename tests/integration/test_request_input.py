"""What the gateway takes from the request itself: the client address behind a
trusted proxy (every X-Forwarded-For header, however long) and bodies sent
without a Content-Length (chunked)."""
import http.client
import json
import random

# The test stack trusts 127.0.0.1/32 (conftest.py) and allows 8 logins a minute per address.
# Failed logins allowed per client address and per e-mail in an hour (sw-auth's default).
LOGIN_FAILURES = 10


def random_ip():
    return "198.51.%d.%d" % (random.randint(0, 255), random.randint(1, 254))


def post_raw(stack, path, body, headers):
    """POST with headers given as (name, value) pairs, repeats allowed; (status, json)."""
    host, port = stack.base_url.rsplit("//", 1)[1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=15)
    try:
        conn.putrequest("POST", path)
        for name, value in headers:
            conn.putheader(name, value)
        if isinstance(body, list):  # chunks
            conn.putheader("Transfer-Encoding", "chunked")
            conn.endheaders()
            for chunk in body:
                conn.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            conn.send(b"0\r\n\r\n")
        else:
            conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
        resp = conn.getresponse()
        return resp.status, json.loads(resp.read() or b"{}")
    finally:
        conn.close()


def failed_login(stack, xff_headers):
    """A failed login for an e-mail nobody else uses: only the address is counted."""
    email = f"nobody-{random.getrandbits(64):x}@example.com"
    body = json.dumps({"email": email, "password": "wrong"}).encode()
    headers = [("Content-Type", "application/json")] + [("X-Forwarded-For", v) for v in xff_headers]
    return post_raw(stack, "/api/auth/token/", body, headers)[0]


def test_the_client_is_the_last_hop_of_the_last_x_forwarded_for_header(stack):
    # Both clients' first header names the same address; only the last one is theirs.
    shared, first, second = random_ip(), random_ip(), random_ip()
    statuses = [failed_login(stack, [shared, first]) for _ in range(LOGIN_FAILURES + 1)]
    assert statuses[:LOGIN_FAILURES] == [401] * LOGIN_FAILURES and statuses[-1] == 429, statuses
    assert failed_login(stack, [shared, second]) == 401


def test_a_long_x_forwarded_for_is_read_to_its_last_hop(stack):
    # 600 spoofed hops (about 10 kB) before the address the trusted proxy added.
    spoofed = ", ".join(random_ip() for _ in range(600))
    client = random_ip()
    statuses = [failed_login(stack, [f"{spoofed}, {client}"]) for _ in range(LOGIN_FAILURES + 1)]
    assert statuses[-1] == 429, statuses
    assert failed_login(stack, [f"{spoofed}, {random_ip()}"]) == 401


def test_a_chunked_json_body_is_read(stack):
    email = f"nobody-{random.getrandbits(64):x}@example.com"
    body = json.dumps({"email": email, "password": "wrong"}).encode()
    chunks = [body[i:i + 5] for i in range(0, len(body), 5)]
    status, doc = post_raw(stack, "/api/auth/token/", chunks,
                           [("Content-Type", "application/json"),
                            ("X-Forwarded-For", random_ip())])
    assert status == 401 and doc["code"] == "invalid_credentials", doc


def test_a_chunked_body_over_the_cap_is_413(stack):
    chunks = [b'{"email": "', b"a" * 40000, b"a" * 40000, b'", "password": "x"}']
    status, doc = post_raw(stack, "/api/auth/token/", chunks,
                           [("Content-Type", "application/json"),
                            ("X-Forwarded-For", random_ip())])
    assert status == 413 and doc["code"] == "request_too_large", doc


def test_a_body_shorter_than_its_content_length_is_400(stack):
    host, port = stack.base_url.rsplit("//", 1)[1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=15)
    try:
        conn.putrequest("POST", "/api/auth/token/")
        conn.putheader("Content-Type", "application/json")
        conn.putheader("Content-Length", "100")
        conn.putheader("X-Forwarded-For", random_ip())
        conn.endheaders(b'{"email": ')
        conn.sock.shutdown(1)  # no more bytes will come
        resp = conn.getresponse()
        assert resp.status == 400
        assert json.loads(resp.read())["code"] == "incomplete_body"
    finally:
        conn.close()

