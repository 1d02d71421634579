"""Starts a private PostgreSQL and the real service binaries once per test run,
and gives tests small helpers to talk HTTP to the gateway like a client would."""
import contextlib
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid

import pytest
import requests

import openapi_check
from targets import Targets

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PASSWORD = "Correct-horse-42!"
# The gateway's deadline for one call to a service (SW_IT_RPC_TIMEOUT_MS overrides).
RPC_TIMEOUT_MS = int(os.environ.get("SW_IT_RPC_TIMEOUT_MS", "1500"))
# API calls per tenant and minute in the test stacks, unless a test asks for the defaults.
API_LIMIT_RAISED = "1000000000"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Stack:
    def __init__(self, var_dir, base_url, database_url, proc):
        self.var_dir = var_dir
        self.base_url = base_url
        self.database_url = database_url
        self.proc = proc

    def pid(self, name, kind=""):
        # The supervisor may be rewriting the file: an empty read is retried.
        for _ in range(50):
            with open(os.path.join(self.var_dir, "run", f"{name}{kind}.pid")) as f:
                text = f.read().strip()
            if text:
                return int(text)
            time.sleep(0.02)
        raise RuntimeError(f"no pid in {name}{kind}.pid")

    def ops_url(self, name):
        """The address of a service's operations port (/metrics, /health), from the
        port scripts/run.sh wrote to var/run/<name>.metrics_port."""
        with open(os.path.join(self.var_dir, "run", f"{name}.metrics_port")) as f:
            return f"http://127.0.0.1:{f.read().strip()}"

    def sql(self, query):
        """Runs SQL as the superuser and returns the rows as lists of strings."""
        out = subprocess.run(["psql", self.database_url, "-v", "ON_ERROR_STOP=1", "-tAF", "\t",
                              "-c", query], check=True, capture_output=True, text=True).stdout
        return [line.split("\t") for line in out.splitlines() if line]

    def wait_ready(self, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                if requests.get(self.base_url + "/health/ready/", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError("the stack exited; see " + self.var_dir + "/stack.log")
            time.sleep(0.2)
        raise RuntimeError("the stack did not become ready; see " + self.var_dir + "/stack.log")


# Billing settings of the test stack; fake_stripe.py stands in for api.stripe.com.
STRIPE_SECRET_KEY = "sk_test_statuswatch"
STRIPE_WEBHOOK_SECRET = "whsec_statuswatch_test"
STRIPE_PRICE_PRO = "price_pro_test"
FRONTEND_URL = "http://app.statuswatch.test"
STRIPE_RETRIES = 2
BILLING_VARS = ("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_PRICE_PRO", "FRONTEND_URL",
                "STRIPE_API_BASE", "SW_BILLING_STRIPE_RETRIES", "SW_BILLING_STRIPE_TIMEOUT_MS",
                "SW_BILLING_PRO_PRICE_CENTS")


# The processes with an operations port of their own (the gateway's is its HTTP port).
OPS_SERVICES = ("auth", "tenants", "monitors", "billing", "notify", "checker")


# Tests that failed so far; a stack that saw failures prints its services' warnings.
FAILED_TESTS = []


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    if outcome.get_result().failed:
        FAILED_TESTS.append(item.nodeid)


def print_warnings(text, limit=150):
    """The services' warnings and errors, so a failure on CI can be read from its output."""
    lines = [l for l in text.splitlines() if '"level":"info"' not in l and '"level":"debug"' not in l]
    # sys.__stderr__: pytest captures the teardown of a passing test's output.
    sys.__stderr__.write("---- services' warnings and errors (last %d) ----\n" % limit)
    sys.__stderr__.write("\n".join(lines[-limit:]) + "\n")


@contextlib.contextmanager
def running_stack(extra_env=None):
    """A private PostgreSQL and the whole stack (scripts/run.sh) in a temporary
    var folder; stops and checks the services' output for sanitizer reports."""
    bin_dir = os.environ.get("SW_BIN_DIR", os.path.join(ROOT, "build", "test", "bin"))
    var_dir = tempfile.mkdtemp(prefix="sw-it-", dir="/tmp")
    os.chmod(var_dir, 0o755)
    database_url = subprocess.run([os.path.join(ROOT, "scripts", "pg.sh"), "start", var_dir],
                                  check=True, capture_output=True, text=True,
                                  env={**os.environ, "SW_PG_FAST": "1"}).stdout.strip()
    port = free_port()
    # Billing settings come only from extra_env, never from the caller's environment.
    env = {k: v for k, v in os.environ.items() if k not in BILLING_VARS}
    env.update({
        "SW_BIN_DIR": bin_dir,
        "SW_VAR_DIR": var_dir,
        "SW_HTTP_PORT": str(port),
        "DATABASE_URL": database_url,
        "SW_TRUSTED_PROXIES": "127.0.0.1/32",
        "SW_RPC_TIMEOUT_MS": str(RPC_TIMEOUT_MS),
        "SW_WEB_ROOT": os.path.join(var_dir, "web"),
        # Checks may reach 127.0.0.1 (the local targets) and nothing else private:
        # 127.0.0.2 and ::1 stay forbidden.
        "SW_CHECKER_ALLOW_CIDRS": "127.0.0.1/32",
        "SW_CHECKER_LEASE_SECONDS": "3",
        "SW_CHECKER_POLL_MS": "100",
        "ASAN_OPTIONS": "detect_leaks=1:abort_on_error=0:exitcode=66",
        # What libnng loses of a listener it stopped serving is not ours (the file says why).
        "LSAN_OPTIONS": "suppressions=" + os.path.join(ROOT, "scripts", "lsan-suppressions.txt"),
        "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1",
        # The per-tenant API limit (120/min on Free) raised, so that tests that make
        # many calls are not throttled; test_api_rate_limit.py runs with the real ones.
        "SW_RATE_LIMIT_API_PER_MINUTE_FREE": API_LIMIT_RAISED,
        "SW_RATE_LIMIT_API_PER_MINUTE_PRO": API_LIMIT_RAISED,
    })
    # Free operations ports, so that stacks started at once never race for the defaults.
    env.update({f"SW_{name.upper()}_METRICS_PORT": str(free_port()) for name in OPS_SERVICES})
    # A value of None in extra_env removes the setting (the binaries' default applies).
    for name, value in (extra_env or {}).items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    log = open(os.path.join(var_dir, "stack.log"), "w")
    proc = subprocess.Popen([os.path.join(ROOT, "scripts", "run.sh")], env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    st = Stack(var_dir, f"http://127.0.0.1:{port}", database_url, proc)
    failed_before = len(FAILED_TESTS)
    try:
        try:
            st.wait_ready()
        except RuntimeError:
            with open(os.path.join(var_dir, "stack.log")) as f:
                print_warnings(f.read())
            raise
        yield st
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()
        subprocess.run([os.path.join(ROOT, "scripts", "pg.sh"), "destroy", var_dir], check=False)
        with open(os.path.join(var_dir, "stack.log")) as f:
            text = f.read()
        reports = [m for m in ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                               "runtime error:") if m in text]
        if len(FAILED_TESTS) > failed_before:
            print_warnings(text)
        if reports:
            print(text[-20000:])
            pytest.fail("sanitizer reports in the services' output: " + ", ".join(reports))
        if os.environ.get("SW_IT_KEEP"):
            print("keeping " + var_dir)
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


def start_gateway(stack, extra_env=None, port=None):
    """Starts another sw-gateway process of the same stack (same services, same keys) on
    port (a free one if None) and waits until it is ready; returns (process, its URL)."""
    port = port or free_port()
    env = {**os.environ, "SW_VAR_DIR": stack.var_dir, "SW_HTTP_PORT": str(port),
           "DATABASE_URL": stack.database_url, "SW_TRUSTED_PROXIES": "127.0.0.1/32",
           "SW_TLS_DIR": os.path.join(stack.var_dir, "tls"),
           "SW_WEB_ROOT": os.path.join(stack.var_dir, "web"), **(extra_env or {})}
    bin_dir = os.environ.get("SW_BIN_DIR", os.path.join(ROOT, "build", "test", "bin"))
    with open(os.path.join(stack.var_dir, f"gateway-{port}.log"), "a") as log:
        proc = subprocess.Popen([os.path.join(bin_dir, "sw-gateway")], env=env, stdout=log,
                                stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            if requests.get(base + "/health/ready/", timeout=2).status_code == 200:
                break
        except requests.RequestException:
            pass
        time.sleep(0.2)
    return proc, base


@contextlib.contextmanager
def extra_gateway(stack, extra_env=None):
    """Another sw-gateway process of the same stack; yields its URL."""
    proc, base = start_gateway(stack, extra_env)
    try:
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(scope="session")
def fake_stripe():
    """The local Stripe (fake_stripe.py) the test stack's sw-billing talks to."""
    from fake_stripe import FakeStripe
    fake = FakeStripe(api_key=STRIPE_SECRET_KEY).start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def smtp_sink():
    """The local SMTP server the test stack's sw-notify sends e-mail to."""
    from receivers import SmtpSink
    sink = SmtpSink().start()
    yield sink
    sink.stop()


# sw-notify's timings in the test stack: quick storms, retries and polls.
NOTIFY_HOLD_MS = 1000
NOTIFY_RETRY_MAX_MS = 2000
# A debounce or storm "minute" of the test stack, so that windows close within a test.
NOTIFY_MINUTE_MS = 3000


@pytest.fixture(scope="session")
def stack(fake_stripe, smtp_sink):
    with running_stack({
        "SW_SMTP_URL": smtp_sink.url,
        "SW_SMTP_FROM": "StatusWatch <alerts@statuswatch.test>",
        "SW_NOTIFY_HOLD_MS": str(NOTIFY_HOLD_MS),
        "SW_NOTIFY_RETRY_MAX_MS": str(NOTIFY_RETRY_MAX_MS),
        "SW_NOTIFY_POLL_MS": "300",
        "SW_NOTIFY_MINUTE_MS": str(NOTIFY_MINUTE_MS),
        "STRIPE_SECRET_KEY": STRIPE_SECRET_KEY,
        "STRIPE_WEBHOOK_SECRET": STRIPE_WEBHOOK_SECRET,
        "STRIPE_PRICE_PRO": STRIPE_PRICE_PRO,
        "FRONTEND_URL": FRONTEND_URL,
        "STRIPE_API_BASE": fake_stripe.base_url,
        "SW_BILLING_STRIPE_RETRIES": str(STRIPE_RETRIES),
    }) as st:
        st.fake_stripe = fake_stripe
        st.smtp = smtp_sink
        yield st


@pytest.fixture(scope="module")
def unconfigured_stack():
    """A second stack (its own PostgreSQL) with no STRIPE_* settings: billing is
    not configured. Started only for the modules that ask for it."""
    with running_stack() as st:
        yield st


class Client:
    """One HTTP client with its own (forwarded) address, so rate limits are per test."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.ip = "10.%d.%d.%d" % (random.randint(0, 255), random.randint(0, 255),
                                   random.randint(1, 254))
        self.access = None
        self.refresh = None
        # Long-lived clients (module fixtures) renew their 5-minute access token.
        self.auto_refresh = False

    def _renew_if_expiring(self):
        import jwt
        claims = jwt.decode(self.access, options={"verify_signature": False})
        if claims.get("exp", 0) - time.time() > 30:
            return
        r = requests.post(self.base_url + "/api/auth/token/refresh/", json={"refresh": self.refresh},
                          headers={"X-Forwarded-For": self.ip}, timeout=15)
        assert r.status_code == 200, r.text
        self.access, self.refresh = r.json()["access"], r.json()["refresh"]

    def request(self, method, path, json=None, headers=None, data=None, auth=True):
        if auth and self.auto_refresh and self.access and self.refresh:
            self._renew_if_expiring()
        h = {"X-Forwarded-For": self.ip}
        if auth and self.access:
            h["Authorization"] = "Bearer " + self.access
        h.update(headers or {})
        r = requests.request(method, self.base_url + path, json=json, data=data, headers=h,
                             timeout=15)
        openapi_check.check(method, self.base_url + path, r)  # docs/openapi.yaml
        return r

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, json=None, **kw):
        return self.request("POST", path, json=json, **kw)

    def put(self, path, json=None, **kw):
        return self.request("PUT", path, json=json, **kw)

    def patch(self, path, json=None, **kw):
        return self.request("PATCH", path, json=json, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def register(self, org=None, email=None, password=PASSWORD):
        org = org or "Org " + uuid.uuid4().hex[:10]
        email = email or f"user-{uuid.uuid4().hex[:10]}@example.com"
        return self.post("/api/auth/register/", {"organization_name": org, "email": email,
                                                 "password": password,
                                                 "password_confirm": password})

    def login(self, email, password=PASSWORD, tenant_schema=None):
        body = {"email": email, "password": password}
        if tenant_schema:
            body["tenant_schema"] = tenant_schema
        r = self.post("/api/auth/token/", body)
        if r.status_code == 200 and "access" in r.json():
            self.access = r.json()["access"]
            self.refresh = r.json()["refresh"]
        return r

    def signed_up(self):
        """Registers a new organisation and logs its owner in; returns the registration."""
        r = self.register()
        assert r.status_code == 201, r.text
        body = r.json()
        assert self.login(body["user"]["email"]).status_code == 200
        return body


@pytest.fixture
def client(stack):
    return Client(stack.base_url)


@pytest.fixture
def new_client(stack):
    return lambda: Client(stack.base_url)


@pytest.fixture
def signed_up_client(stack):
    """A factory: each call registers a new tenant and returns its logged-in
    Client (a new Client each time, so the auth rate limit is per tenant), with
    the registration in .reg and the tenant schema in .schema."""
    def make():
        return signed_up_client_for(stack)
    return make


def signed_up_client_for(stack, verified=True):
    c = Client(stack.base_url)
    c.reg = c.signed_up()
    c.schema = c.reg["tenant"]["schema"]
    c.auto_refresh = True
    if verified:
        mark_verified(stack, c.reg["user"]["id"])
    return c


def mark_verified(stack, user_id):
    """What following the verification link does (auth_identity_join), done in SQL so
    that fixtures need not wait for the e-mail; test_identity.py covers the real path."""
    stack.sql(f"""WITH u AS (UPDATE auth.users SET email_verified = true WHERE id = '{user_id}'
                      RETURNING email),
                  own AS (DELETE FROM auth.credentials WHERE user_id = '{user_id}'
                      RETURNING password_hash)
                  INSERT INTO auth.identities (email, password_hash)
                  SELECT u.email, (SELECT password_hash FROM own) FROM u
                  WHERE (SELECT password_hash FROM own) IS NOT NULL
                  ON CONFLICT (email) DO NOTHING""")


@pytest.fixture(scope="session")
def targets():
    t = Targets()
    yield t
    t.close()


def wait_for(predicate, timeout=30, interval=0.2):
    """Polls until predicate() returns something truthy; returns it (or None)."""
    deadline = time.time() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.time() >= deadline:
            return None
        time.sleep(interval)


def assert_error(resp, status, code=None, fields=()):
    """The contract's error shape: detail, code, and errors only for field faults."""
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert isinstance(body.get("detail"), str) and body["detail"]
    assert isinstance(body.get("code"), str) and body["code"]
    if code:
        assert body["code"] == code, body
    for field in fields:
        assert field in body.get("errors", {}), body
        assert all(isinstance(m, str) for m in body["errors"][field])
    return body
