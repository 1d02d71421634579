"""Driver of bench/endpoints_scale.sh: creates N endpoints in one tenant over
one kept-alive connection and prints the create latency of the first and the
last 1,000, then times the list (first and a deep page) and one endpoint.

  endpoints_scale.py BASE_URL EMAIL PASSWORD N
"""
import http.client
import json
import statistics
import sys
import time
import urllib.parse

PAGE_SIZE = 50
WINDOW = 1000
TOKEN_RENEW_S = 240  # access tokens live 5 minutes


class Api:
    def __init__(self, base, email, password):
        url = urllib.parse.urlsplit(base)
        self.conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        self.email, self.password = email, password
        self.token, self.token_at = None, 0.0

    def call(self, method, path, body=None, auth=True):
        headers = {"Content-Type": "application/json"}
        if auth:
            if time.time() - self.token_at > TOKEN_RENEW_S:
                self.login()
            headers["Authorization"] = "Bearer " + self.token
        data = json.dumps(body).encode() if body is not None else None
        started = time.perf_counter()
        self.conn.request(method, path, body=data, headers=headers)
        resp = self.conn.getresponse()
        payload = resp.read()
        elapsed = time.perf_counter() - started
        return resp.status, payload, elapsed

    def login(self):
        status, payload, _ = self.call("POST", "/api/auth/token/",
                                       {"email": self.email, "password": self.password},
                                       auth=False)
        assert status == 200, payload
        self.token, self.token_at = json.loads(payload)["access"], time.time()


def ms(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] * 1000


def timed(api, path, repeat=20):
    """The median of `repeat` GETs of path (ms), after one warm-up."""
    status, payload, _ = api.call("GET", path)
    assert status == 200, (path, status, payload[:300])
    times = []
    for _ in range(repeat):
        status, _, elapsed = api.call("GET", path)
        assert status == 200
        times.append(elapsed)
    return statistics.median(times) * 1000, json.loads(payload)


def main():
    base, email, password, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    api = Api(base, email, password)
    latencies, last_id = [], None
    started = time.time()
    for i in range(1, n + 1):
        body = {"url": f"http://127.0.0.1:9/scale/{i}", "name": f"scale {i}",
                "interval_seconds": 86400}
        status, payload, elapsed = api.call("POST", "/api/endpoints/", body)
        if status != 201:
            sys.exit(f"creating endpoint {i} failed: {status} {payload[:300]!r}")
        latencies.append(elapsed)
        if i == n:
            last_id = json.loads(payload)["id"]
        if i % 10000 == 0:
            rate = i / (time.time() - started)
            recent = latencies[-WINDOW:]
            print(f"  {i:>7} created, {rate:6.0f}/s overall, last {len(recent)}: "
                  f"p50 {ms(recent, 0.5):.2f} ms p99 {ms(recent, 0.99):.2f} ms", flush=True)
    total_s = time.time() - started
    first, last = latencies[:WINDOW], latencies[-WINDOW:]
    print(f"created {n} endpoints in {total_s:.0f} s ({n / total_s:.0f}/s), one connection")
    print(f"POST /api/endpoints/ first {len(first)}: p50 {ms(first, 0.5):.2f} ms"
          f"  p99 {ms(first, 0.99):.2f} ms")
    print(f"POST /api/endpoints/ last  {len(last)}: p50 {ms(last, 0.5):.2f} ms"
          f"  p99 {ms(last, 0.99):.2f} ms")

    first_ms, page = timed(api, f"/api/endpoints/?page_size={PAGE_SIZE}")
    assert page["count"] == n, page["count"]
    deep = max(1, n // PAGE_SIZE)
    deep_ms, deep_page = timed(api, f"/api/endpoints/?page_size={PAGE_SIZE}&page={deep}")
    assert deep_page["results"], "the deep page is empty"
    mid = max(1, deep // 2)
    mid_ms, _ = timed(api, f"/api/endpoints/?page_size={PAGE_SIZE}&page={mid}")
    one_ms, _ = timed(api, f"/api/endpoints/{last_id}/")
    me_ms, me = timed(api, "/api/auth/me/")
    assert me["tenant"]["endpoint_count"] == n, me["tenant"]
    print(f"GET /api/endpoints/?page_size={PAGE_SIZE} (page 1, count {page['count']}):"
          f" {first_ms:.2f} ms (median of 20)")
    print(f"GET /api/endpoints/?page_size={PAGE_SIZE}&page={mid}: {mid_ms:.2f} ms")
    print(f"GET /api/endpoints/?page_size={PAGE_SIZE}&page={deep} (the last): {deep_ms:.2f} ms")
    print(f"GET /api/endpoints/{{id}}/: {one_ms:.2f} ms")
    print(f"GET /api/auth/me/ (endpoint_count {me['tenant']['endpoint_count']}): {me_ms:.2f} ms")


if __name__ == "__main__":
    main()
