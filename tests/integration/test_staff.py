"""Staff (api.md "Staff"): accounts made with the sw-admin command, the staff
login, staff tokens kept apart from tenant credentials both ways, and every
/api/staff/ route — the tenant listing, suspension and reactivation, bank
transfers (idempotent on their external id, Pro for the paid period, the end
of the period), and the revenue, usage and churn reports.

A stack of its own: the bank-transfer expiry job runs every few hundred
milliseconds here (SW_BILLING_BANK_TRANSFER_CHECK_MS) instead of every minute."""
import base64
import datetime
import hashlib
import hmac
import os
import struct
import subprocess
import time
import urllib.parse
import uuid

import jwt
import pytest
import requests

from billing_helpers import (INVOICES, SUBSCRIPTION, cus_id, deliver, me_tenant, sub_event,
                             sub_id, tid, wait_tenant_plan)
from conftest import (FRONTEND_URL, PASSWORD, ROOT, STRIPE_PRICE_PRO, STRIPE_SECRET_KEY,
                      STRIPE_WEBHOOK_SECRET, Client, assert_error, running_stack,
                      signed_up_client_for, wait_for)

BIN_DIR = os.environ.get("SW_BIN_DIR", os.path.join(ROOT, "build", "test", "bin"))
ADMIN = os.path.join(BIN_DIR, "sw-admin")
STAFF_PASSWORD = "Staff-Password-77!"
TOKEN = "/api/staff/token/"
TENANTS = "/api/staff/tenants/"
BANK = "/api/staff/billing/confirm-bank-transfer/"
REVENUE = "/api/staff/reports/revenue/"
USAGE = "/api/staff/reports/usage/"
CHURN = "/api/staff/reports/churn/"
STATUSES = {"trial", "active", "pending_payment", "past_due", "suspended", "cancelled"}


@pytest.fixture(scope="module")
def staff_stack(fake_stripe):
    with running_stack({
        "SW_BILLING_BANK_TRANSFER_CHECK_MS": "300",
        "STRIPE_SECRET_KEY": STRIPE_SECRET_KEY,
        "STRIPE_WEBHOOK_SECRET": STRIPE_WEBHOOK_SECRET,
        "STRIPE_PRICE_PRO": STRIPE_PRICE_PRO,
        "FRONTEND_URL": FRONTEND_URL,
        "STRIPE_API_BASE": fake_stripe.base_url,
    }) as st:
        st.fake_stripe = fake_stripe
        yield st


def admin(stack, *args, stdin="", database_url=None):
    """Runs sw-admin against the stack's database; returns the completed process."""
    env = {**os.environ, "DATABASE_URL": database_url or stack.database_url}
    return subprocess.run([ADMIN, *args], input=stdin, env=env, capture_output=True, text=True,
                          timeout=60)


def new_email():
    return f"staff-{uuid.uuid4().hex[:10]}@statuswatch.test"


def add_staff(stack, email=None, password=STAFF_PASSWORD):
    email = email or new_email()
    out = admin(stack, "staff", "add", email, stdin=password + "\n")
    assert out.returncode == 0, out.stderr
    return email


def listed(stack):
    """sw-admin staff list as {email: row}."""
    out = admin(stack, "staff", "list")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].split("\t") == ["EMAIL", "ID", "TOTP", "CREATED", "LAST LOGIN"]
    rows = [line.split("\t") for line in lines[1:]]
    return {r[0]: dict(zip(("email", "id", "totp", "created", "last_login"), r)) for r in rows}


class Staff(Client):
    """A client that logs in at /api/staff/token/."""

    def staff_login(self, email, password=STAFF_PASSWORD, code=None):
        body = {"email": email, "password": password}
        if code is not None:
            body["code"] = code
        r = self.post(TOKEN, body, auth=False)
        if r.status_code == 200:
            self.access = r.json()["access"]
        return r


@pytest.fixture(scope="module")
def staff(staff_stack):
    s = Staff(staff_stack.base_url)
    s.email = add_staff(staff_stack)
    r = s.staff_login(s.email)
    assert r.status_code == 200, r.text
    return s


def tenant(stack):
    return signed_up_client_for(stack)


def totp(secret, at=None):
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((at if at is not None else time.time()) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return "%06d" % (value % 1000000)


def this_month(offset=0):
    now = datetime.datetime.now(datetime.timezone.utc)
    index = now.year * 12 + now.month - 1 + offset
    return "%04d-%02d" % (index // 12, index % 12 + 1)


# --- sw-admin --------------------------------------------------------------------------

def test_sw_admin_adds_lists_and_removes_staff_accounts(staff_stack):
    email = new_email()
    out = admin(staff_stack, "staff", "add", email.upper(), stdin=STAFF_PASSWORD + "\n")
    assert out.returncode == 0, out.stderr
    rows = listed(staff_stack)
    assert email in rows, rows
    assert rows[email]["totp"] == "off" and rows[email]["last_login"] == "never"
    uuid.UUID(rows[email]["id"])
    again = admin(staff_stack, "staff", "add", email, stdin=STAFF_PASSWORD + "\n")
    assert again.returncode == 1 and "already exists" in again.stderr
    out = admin(staff_stack, "staff", "remove", email)
    assert out.returncode == 0, out.stderr
    assert email not in listed(staff_stack)
    out = admin(staff_stack, "staff", "remove", email)
    assert out.returncode == 1 and "no staff account" in out.stderr


def test_sw_admin_holds_passwords_to_the_registration_policy(staff_stack):
    email = new_email()
    for weak in ("short1!A", "alllowercase-and-long-1", "NoDigitsHere-at-all!"):
        out = admin(staff_stack, "staff", "add", email, stdin=weak + "\n")
        assert out.returncode == 1, (weak, out.stdout)
    out = admin(staff_stack, "staff", "add", email, stdin="")
    assert out.returncode == 1 and "password" in out.stderr
    assert admin(staff_stack, "staff", "add", "not-an-email", stdin=STAFF_PASSWORD).returncode == 1
    assert email not in listed(staff_stack)
    rows = staff_stack.sql(f"SELECT password_hash FROM auth.staff WHERE email = '{email}'")
    assert rows == []


def test_sw_admin_stores_argon2id_hashes_never_the_password(staff_stack):
    email = add_staff(staff_stack)
    [[stored]] = staff_stack.sql(f"SELECT password_hash FROM auth.staff WHERE email = '{email}'")
    assert stored.startswith("$argon2id$") and STAFF_PASSWORD not in stored


def test_sw_admin_usage_and_a_missing_database_url(staff_stack):
    assert subprocess.run([ADMIN], capture_output=True).returncode == 2
    assert subprocess.run([ADMIN, "staff", "frobnicate"], capture_output=True).returncode == 2
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    out = subprocess.run([ADMIN, "staff", "list"], env=env, capture_output=True, text=True)
    assert out.returncode == 1 and "DATABASE_URL" in out.stderr


def test_sw_admin_applies_sw_auths_migrations_to_a_new_database(staff_stack):
    name = "admin_" + uuid.uuid4().hex[:8]
    staff_stack.sql(f"CREATE DATABASE {name}")
    url = staff_stack.database_url.replace("/statuswatch?", f"/{name}?")
    email = new_email()
    out = admin(staff_stack, "staff", "add", email, stdin=STAFF_PASSWORD + "\n", database_url=url)
    assert out.returncode == 0, out.stderr
    versions = subprocess.run(["psql", url, "-tAc",
                               "SELECT version FROM public.sw_migrations WHERE service = 'auth'"
                               " ORDER BY version"], capture_output=True, text=True).stdout.split()
    files = sorted(f for f in os.listdir(os.path.join(ROOT, "services", "auth", "migrations"))
                   if f.endswith(".sql"))
    assert versions == files


# --- login -----------------------------------------------------------------------------

def test_a_staff_login_is_a_15_minute_staff_token_without_refresh(staff_stack):
    s = Staff(staff_stack.base_url)
    email = add_staff(staff_stack)
    r = s.staff_login(email.upper())
    assert r.status_code == 200, r.text
    assert set(r.json()) == {"access"}
    claims = jwt.decode(r.json()["access"], options={"verify_signature": False})
    assert claims["typ"] == "staff" and claims["role"] == "staff"
    assert claims["exp"] - claims["iat"] == 900
    assert claims["sub"] == listed(staff_stack)[email]["id"]
    assert claims["tid"] == "" and claims["tsc"] == ""
    assert listed(staff_stack)[email]["last_login"] != "never"


def test_a_wrong_password_or_an_unknown_email_is_the_same_401(staff_stack):
    s = Staff(staff_stack.base_url)
    email = add_staff(staff_stack)
    wrong = assert_error(s.staff_login(email, "Wrong-Password-99!"), 401,
                         code="invalid_credentials")
    unknown = assert_error(s.staff_login(new_email()), 401, code="invalid_credentials")
    assert wrong == unknown
    assert_error(s.post(TOKEN, {"email": email}), 400, fields=("password",))
    assert_error(s.post(TOKEN, {"email": 5, "password": "x"}), 400, fields=("email",))
    assert_error(s.post(TOKEN, data="nope", headers={"Content-Type": "text/plain"}), 415)


def test_a_tenant_users_password_is_no_staff_login(staff_stack):
    t = tenant(staff_stack)
    s = Staff(staff_stack.base_url)
    assert_error(s.staff_login(t.reg["user"]["email"], PASSWORD), 401, code="invalid_credentials")


def test_failed_staff_logins_are_rate_limited(staff_stack):
    s = Staff(staff_stack.base_url)
    email = add_staff(staff_stack)
    for i in range(10):
        r = s.staff_login(email, "Wrong-Password-99!")
        assert r.status_code == 401, (i, r.text)
        assert r.headers["RateLimit-Limit"] == "10"
    r = s.staff_login(email, "Wrong-Password-99!")
    assert_error(r, 429, code="rate_limited")
    assert int(r.headers["Retry-After"]) > 0
    # The right password waits too, and so does this e-mail from another address.
    assert s.staff_login(email).status_code == 429
    other = Staff(staff_stack.base_url)
    assert other.staff_login(email).status_code == 429
    # Another account from a fresh address is not affected.
    assert Staff(staff_stack.base_url).staff_login(add_staff(staff_stack)).status_code == 200


def set_up_totp(stack, email):
    """sw-admin staff totp: reads the otpauth URL it prints, answers with a code."""
    env = {**os.environ, "DATABASE_URL": stack.database_url}
    proc = subprocess.Popen([ADMIN, "staff", "totp", email], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    url = proc.stdout.readline().strip()
    assert url.startswith("otpauth://totp/"), url
    secret = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)["secret"][0]
    out, err = proc.communicate(totp(secret) + "\n", timeout=30)
    assert proc.returncode == 0, err
    return secret


def test_a_totp_code_is_required_once_set_up(staff_stack):
    s = Staff(staff_stack.base_url)
    email = add_staff(staff_stack)
    secret = set_up_totp(staff_stack, email)
    assert listed(staff_stack)[email]["totp"] == "on"
    assert_error(s.staff_login(email), 401, code="two_factor_required")
    assert_error(s.staff_login(email, code="000000" if totp(secret) != "000000" else "111111"),
                 401, code="invalid_code")
    # The next step's code (the one of the set-up is spent); accepted once only.
    code = totp(secret, time.time() + 30)
    assert s.staff_login(email, code=code).status_code == 200
    assert_error(s.staff_login(email, code=code), 401, code="invalid_code")
    # A wrong password with a good code is still a wrong password.
    assert_error(s.staff_login(email, "Wrong-Password-99!", code=totp(secret)), 401,
                 code="invalid_credentials")


def test_a_failed_totp_set_up_leaves_the_account_as_it_was(staff_stack):
    email = add_staff(staff_stack)
    env = {**os.environ, "DATABASE_URL": staff_stack.database_url}
    out = subprocess.run([ADMIN, "staff", "totp", email], input="12\n", env=env,
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 1 and out.stdout.startswith("otpauth://")
    assert listed(staff_stack)[email]["totp"] == "off"
    assert Staff(staff_stack.base_url).staff_login(email).status_code == 200


# --- tokens kept apart -----------------------------------------------------------------

def test_staff_tokens_work_only_under_api_staff(staff_stack, staff):
    for method, path in (("GET", "/api/endpoints/"), ("GET", "/api/auth/me/"),
                         ("GET", "/api/billing/invoices/"), ("POST", "/api/endpoints/"),
                         ("GET", "/api/members/")):
        r = staff.request(method, path, json={} if method == "POST" else None)
        assert_error(r, 403, code="permission_denied")
    assert staff.get(TENANTS).status_code == 200


def test_tenant_tokens_and_api_keys_never_work_under_api_staff(staff_stack):
    t = tenant(staff_stack)
    r = t.post("/api/api-keys/", {"name": "k", "scope": "write"})
    assert r.status_code == 201, r.text
    key = r.json()["key"]
    for method, path in (("GET", TENANTS), ("GET", USAGE), ("GET", REVENUE), ("GET", CHURN),
                         ("POST", BANK), ("POST", TENANTS + tid(t) + "/suspend/"),
                         ("POST", TENANTS + tid(t) + "/reactivate/")):
        body = {} if method == "POST" else None
        assert_error(t.request(method, path, json=body), 403, code="permission_denied")
        assert_error(t.request(method, path, json=body, auth=False,
                               headers={"Authorization": "Api-Key " + key}),
                     403, code="permission_denied")
        assert_error(t.request(method, path, json=body, auth=False), 401)
        assert_error(t.request(method, path, json=body, auth=False,
                               headers={"Authorization": "Bearer not.a.token"}), 401,
                     code="token_not_valid")
    # The tenant itself was not touched.
    assert t.get("/api/endpoints/").status_code == 200


def test_a_removed_staff_account_loses_its_token_at_once(staff_stack):
    s = Staff(staff_stack.base_url)
    email = add_staff(staff_stack)
    assert s.staff_login(email).status_code == 200
    assert s.get(USAGE).status_code == 200
    assert admin(staff_stack, "staff", "remove", email).returncode == 0
    assert_error(s.get(USAGE), 401, code="token_not_valid")


def test_the_services_answer_staff_methods_only_for_a_staff_caller(staff_stack):
    """Defence in depth: a call on a public listener that does not speak for a
    staff account (here: no identity at all) is refused by the service itself."""
    probe = os.path.join(BIN_DIR, "sw-rpc-probe")
    for service, method in (("auth", "auth.StaffCheck"), ("auth", "auth.StaffCountMembers"),
                            ("tenants", "tenants.StaffUsage"),
                            ("monitors", "monitors.StaffUsage"),
                            ("monitors", "monitors.StaffCountEndpoints"),
                            ("billing", "billing.ConfirmBankTransfer"),
                            ("billing", "billing.StaffRevenue"), ("billing", "billing.StaffChurn")):
        url = "ipc://" + os.path.join(staff_stack.var_dir, "rpc", service + "-public.ipc")
        out = subprocess.run([probe, url, method], capture_output=True, text=True, timeout=30)
        assert out.stdout.strip() == "PERMISSION_DENIED", (method, out.stdout, out.stderr)


# --- tenants ---------------------------------------------------------------------------

def staff_tenant(staff, tenant_id):
    r = staff.get(TENANTS + "?q=" + tenant_id)
    assert r.status_code == 200, r.text
    [row] = r.json()["results"]
    return row


def test_the_tenant_listing_shows_each_tenant_with_its_counts(staff_stack, staff):
    t = tenant(staff_stack)
    r = t.post("/api/endpoints/", {"url": f"https://example.com/{uuid.uuid4().hex[:8]}"})
    assert r.status_code == 201, r.text
    row = staff_tenant(staff, tid(t))
    assert set(row) == {"id", "name", "schema", "plan", "account_status", "subscription_status",
                        "endpoint_count", "members", "created_at", "suspension_reason",
                        "suspended_at"}
    assert row["id"] == tid(t) and row["name"] == t.reg["tenant"]["name"]
    assert row["plan"] == "free" and row["subscription_status"] == "free"
    assert row["account_status"] == "active"
    assert row["endpoint_count"] == 1 and row["members"] == 1
    assert row["suspension_reason"] is None and row["suspended_at"] is None
    datetime.datetime.strptime(row["created_at"], "%Y-%m-%dT%H:%M:%SZ")
    # By part of the name, any case; by schema.
    part = t.reg["tenant"]["name"][4:].upper()
    assert [x["id"] for x in staff.get(TENANTS + "?q=" + part).json()["results"]] == [tid(t)]
    assert staff.get(TENANTS + "?q=" + t.schema).json()["results"][0]["id"] == tid(t)


def test_the_tenant_listing_filters_by_status_and_plan_and_pages(staff_stack, staff):
    a, b = tenant(staff_stack), tenant(staff_stack)
    staff_stack.sql(f"UPDATE tenancy.tenants SET account_status = 'past_due'"
                    f" WHERE id = '{tid(a)}'")
    past_due = staff.get(TENANTS + "?status=past_due&page_size=100").json()
    assert tid(a) in [x["id"] for x in past_due["results"]]
    assert all(x["account_status"] == "past_due" for x in past_due["results"])
    free = staff.get(TENANTS + "?plan=free&page_size=100").json()
    assert all(x["plan"] == "free" for x in free["results"])
    assert tid(b) in [x["id"] for x in free["results"]] or free["count"] > 100
    assert staff.get(TENANTS + "?plan=pro").json()["count"] >= 0
    assert_error(staff.get(TENANTS + "?status=frozen"), 400, fields=("status",))
    assert_error(staff.get(TENANTS + "?plan=gold"), 400, fields=("plan",))
    # Newest first, DRF pages.
    first = staff.get(TENANTS + "?page_size=1").json()
    assert first["results"][0]["id"] == tid(b)
    assert first["count"] >= 2 and first["previous"] is None
    assert "page=2" in first["next"]
    second = staff.get(TENANTS + "?page=2&page_size=1").json()
    assert second["results"][0]["id"] == tid(a)
    assert_error(staff.get(TENANTS + "?page=100000"), 404, code="invalid_page")
    assert staff.get(TENANTS + "?q=" + uuid.uuid4().hex).json() == {
        "count": 0, "next": None, "previous": None, "results": []}


def wait_code(client, status, code=None):
    """Polls the tenant's endpoint list until it answers status (and code): the
    gateway learns an account status within one sync (SW_GATEWAY_TENANT_SYNC_MS)."""
    def ok():
        r = client.get("/api/endpoints/")
        return r.status_code == status and (code is None or r.json().get("code") == code)
    assert wait_for(ok, timeout=15, interval=0.1), (status, code)


def test_suspension_is_seen_by_the_tenant_and_reactivation_lifts_it(staff_stack, staff):
    t = tenant(staff_stack)
    assert t.get("/api/endpoints/").status_code == 200
    r = staff.post(TENANTS + tid(t) + "/suspend/", {"reason": "  Chargeback on the last card.  "})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["id"] == tid(t) and body["account_status"] == "suspended"
    assert body["suspension_reason"] == "Chargeback on the last card."
    assert body["suspended_at"] is not None and body["members"] == 1
    wait_code(t, 403, "account_suspended")
    assert_error(t.post("/api/endpoints/", {"url": "https://example.com/x"}), 403,
                 code="account_suspended")
    # So that the customer can pay: /me and billing still answer.
    assert me_tenant(t)["account_status"] == "suspended"
    assert t.get(INVOICES).status_code == 200
    # Suspending again changes nothing.
    again = staff.post(TENANTS + tid(t) + "/suspend/", {"reason": "Another reason"})
    assert again.status_code == 200 and again.json()["suspended_at"] == body["suspended_at"]

    r = staff.post(TENANTS + tid(t) + "/reactivate/")
    assert r.status_code == 200, r.text
    assert r.json()["account_status"] == "active" and r.json()["suspension_reason"] is None
    wait_code(t, 200)
    assert staff_tenant(staff, tid(t))["account_status"] == "active"
    # The tenant's audit log shows each change once, by the staff account.
    staff_id = jwt.decode(staff.access, options={"verify_signature": False})["sub"]
    log = t.get("/api/audit-log/?action=tenant.suspend")
    assert log.status_code == 200, log.text
    [row] = log.json()["results"]
    assert row["actor"] == {"type": "staff", "id": staff_id, "email": staff.email}
    assert row["target"] == {"type": "tenant", "id": tid(t)}
    assert row["before"]["account_status"] == "active"
    assert row["after"] == {"account_status": "suspended",
                            "suspension_reason": "Chargeback on the last card."}
    log = t.get("/api/audit-log/?action=tenant.reactivate").json()["results"]
    assert [(e["actor"]["type"], e["after"]["account_status"]) for e in log] == [
        ("staff", "active")]


def test_suspension_needs_a_reason_and_a_known_tenant(staff_stack, staff):
    t = tenant(staff_stack)
    assert_error(staff.post(TENANTS + tid(t) + "/suspend/", {}), 400, fields=("reason",))
    assert_error(staff.post(TENANTS + tid(t) + "/suspend/", {"reason": "   "}), 400,
                 fields=("reason",))
    assert_error(staff.post(TENANTS + tid(t) + "/suspend/", {"reason": 5}), 400,
                 fields=("reason",))
    assert_error(staff.post(TENANTS + tid(t) + "/suspend/", {"reason": "x" * 501}), 400,
                 fields=("reason",))
    assert_error(staff.post(TENANTS + str(uuid.uuid4()) + "/suspend/", {"reason": "r"}), 404)
    assert_error(staff.post(TENANTS + "not-a-uuid/suspend/", {"reason": "r"}), 404)
    assert_error(staff.post(TENANTS + str(uuid.uuid4()) + "/reactivate/"), 404)
    assert staff_tenant(staff, tid(t))["account_status"] == "active"


# --- bank transfers --------------------------------------------------------------------

def transfer(tenant_id, external_id=None, amount=5700, months=3, payer="ACME GmbH",
             currency="usd"):
    return {"tenant_id": tenant_id, "external_payment_id": external_id or
            "BT-" + uuid.uuid4().hex[:12], "amount_cents": amount, "currency": currency,
            "payer_name": payer, "period_months": months}


def revenue_now(staff):
    r = staff.get(REVENUE)
    assert r.status_code == 200, r.text
    month = r.json()["months"][-1]
    assert month["month"] == this_month()
    return month


def invoices(client):
    r = client.get(INVOICES)
    assert r.status_code == 200, r.text
    return r.json()


def parse(ts):
    return datetime.datetime.strptime(ts, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.timezone.utc)


def test_a_bank_transfer_makes_the_tenant_pro_for_the_paid_period(staff_stack, staff):
    t = tenant(staff_stack)
    staff_stack.sql(f"UPDATE tenancy.tenants SET account_status = 'pending_payment'"
                    f" WHERE id = '{tid(t)}'")
    before = revenue_now(staff)
    body = transfer(tid(t))
    r = staff.post(BANK, body)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["duplicate"] is False
    p = out["payment"]
    assert {k: p[k] for k in body} == body
    start, end = parse(p["period_start"]), parse(p["period_end"])
    assert abs((start - datetime.datetime.now(datetime.timezone.utc)).total_seconds()) < 60
    assert 89 <= (end - start).days <= 92
    # Pro, account active.
    wait_tenant_plan(t, "pro", "active")
    assert me_tenant(t)["account_status"] == "active"
    sub = t.get(SUBSCRIPTION).json()
    assert sub["plan"] == "pro" and sub["status"] == "active"
    assert sub["current_period_end"] == p["period_end"]
    # One paid invoice for it.
    listed_invoices = invoices(t)
    assert listed_invoices["count"] == 1
    [inv] = listed_invoices["results"]
    assert inv["id"] == p["invoice_id"] and inv["status"] == "paid"
    assert inv["amount_paid"] == inv["amount_due"] == 5700 and inv["currency"] == "usd"
    assert inv["period_start"] == p["period_start"] and inv["period_end"] == p["period_end"]
    # The tenant's audit log names the staff account and the payment.
    log = t.get("/api/audit-log/?action=billing.bank_transfer_confirm").json()["results"]
    assert len(log) == 1 and log[0]["actor"]["type"] == "staff"
    assert log[0]["target"] == {"type": "payment", "id": p["id"]}
    assert log[0]["after"]["external_payment_id"] == body["external_payment_id"]
    # The staff listing shows the new plan.
    row = staff_tenant(staff, tid(t))
    assert row["plan"] == "pro" and row["account_status"] == "active"
    after = revenue_now(staff)
    assert after["revenue_cents"] - before["revenue_cents"] == 5700
    assert after["by_method"]["bank_transfer"] - before["by_method"]["bank_transfer"] == 5700
    assert after["by_plan"]["pro"] - before["by_plan"]["pro"] == 5700


def test_the_same_transfer_again_changes_nothing_and_counts_once(staff_stack, staff):
    t = tenant(staff_stack)
    body = transfer(tid(t), amount=3800, months=2)
    first = staff.post(BANK, body)
    assert first.status_code == 200, first.text
    wait_tenant_plan(t, "pro", "active")
    rev = revenue_now(staff)
    mrr = staff.get(REVENUE).json()["mrr_cents"]
    sub = t.get(SUBSCRIPTION).json()
    again = staff.post(BANK, {**body, "tenant_id": tid(t).upper(),
                              "payer_name": "  " + body["payer_name"] + " "})
    assert again.status_code == 200, again.text
    assert again.json()["duplicate"] is True
    assert again.json()["payment"] == first.json()["payment"]
    assert invoices(t)["count"] == 1
    assert t.get(SUBSCRIPTION).json() == sub
    assert revenue_now(staff) == rev
    assert staff.get(REVENUE).json()["mrr_cents"] == mrr
    rows = staff_stack.sql(f"SELECT count(*) FROM billing.payments"
                           f" WHERE external_payment_id = '{body['external_payment_id']}'")
    assert rows == [["1"]]


@pytest.mark.parametrize("change", [{"amount_cents": 3801}, {"period_months": 3},
                                    {"payer_name": "Someone Else"}, {"tenant_id": None}])
def test_the_same_id_with_other_data_is_409(staff_stack, staff, change):
    t = tenant(staff_stack)
    body = transfer(tid(t), amount=3800, months=2)
    assert staff.post(BANK, body).status_code == 200
    if "tenant_id" in change:
        change = {"tenant_id": tid(tenant(staff_stack))}
    rev = revenue_now(staff)
    assert_error(staff.post(BANK, {**body, **change}), 409, code="payment_conflict")
    assert invoices(t)["count"] == 1
    assert revenue_now(staff) == rev


def test_a_second_transfer_extends_the_period(staff_stack, staff):
    t = tenant(staff_stack)
    first = staff.post(BANK, transfer(tid(t), months=1, amount=1900)).json()["payment"]
    second = staff.post(BANK, transfer(tid(t), months=2, amount=3800))
    assert second.status_code == 200, second.text
    p2 = second.json()["payment"]
    assert p2["period_start"] == first["period_end"]
    assert 58 <= (parse(p2["period_end"]) - parse(p2["period_start"])).days <= 62
    wait_for(lambda: t.get(SUBSCRIPTION).json()["current_period_end"] == p2["period_end"],
             timeout=10)
    assert t.get(SUBSCRIPTION).json()["current_period_end"] == p2["period_end"]
    assert invoices(t)["count"] == 2


def test_a_bank_transfer_is_checked(staff_stack, staff):
    t = tenant(staff_stack)
    body = assert_error(staff.post(BANK, {}), 400)
    assert set(body["errors"]) == {"tenant_id", "external_payment_id", "amount_cents",
                                   "currency", "payer_name", "period_months"}
    assert_error(staff.post(BANK, {**transfer(tid(t)), "amount_cents": "57"}), 400,
                 fields=("amount_cents",))
    assert_error(staff.post(BANK, {**transfer(tid(t)), "amount_cents": 0}), 400,
                 fields=("amount_cents",))
    assert_error(staff.post(BANK, {**transfer(tid(t)), "period_months": 0}), 400,
                 fields=("period_months",))
    assert_error(staff.post(BANK, {**transfer(tid(t)), "period_months": 37}), 400,
                 fields=("period_months",))
    assert_error(staff.post(BANK, {**transfer(tid(t)), "currency": "eur"}), 400,
                 fields=("currency",))
    assert_error(staff.post(BANK, {**transfer(tid(t)), "payer_name": " "}), 400,
                 fields=("payer_name",))
    assert_error(staff.post(BANK, {**transfer(tid(t)), "tenant_id": "nope"}), 400,
                 fields=("tenant_id",))
    assert_error(staff.post(BANK, transfer(str(uuid.uuid4()))), 404)
    # Upper-case currency is the same currency.
    assert staff.post(BANK, transfer(tid(t), currency="USD")).status_code == 200
    assert invoices(t)["count"] == 1


def expire(stack, tenant_id):
    stack.sql(f"UPDATE billing.subscriptions SET current_period_end = now() - interval '1 second'"
              f" WHERE id = 'bank_transfer:{tenant_id}'")


def test_the_tenant_returns_to_free_when_the_paid_period_is_over(staff_stack, staff):
    t = tenant(staff_stack)
    assert staff.post(BANK, transfer(tid(t), months=1, amount=1900)).status_code == 200
    wait_tenant_plan(t, "pro", "active")
    expire(staff_stack, tid(t))
    wait_tenant_plan(t, "free", "canceled")
    sub = t.get(SUBSCRIPTION).json()
    assert sub["plan"] == "free" and sub["status"] == "canceled"
    # The invoice stays; a new transfer starts a new period from now.
    assert invoices(t)["count"] == 1
    p = staff.post(BANK, transfer(tid(t), months=1, amount=1900)).json()["payment"]
    assert abs((parse(p["period_start"]) -
                datetime.datetime.now(datetime.timezone.utc)).total_seconds()) < 60
    wait_tenant_plan(t, "pro", "active")


def test_a_live_stripe_subscription_keeps_pro_after_the_transfer_period(staff_stack, staff):
    t = tenant(staff_stack)
    deliver(staff_stack, sub_event("customer.subscription.created", tid(t), sub_id(), cus_id(),
                                   "active", int(time.time()) - 10))
    wait_tenant_plan(t, "pro", "active")
    assert staff.post(BANK, transfer(tid(t), months=1, amount=1900)).status_code == 200
    expire(staff_stack, tid(t))
    assert wait_for(lambda: staff_stack.sql(
        f"SELECT status FROM billing.subscriptions WHERE id = 'bank_transfer:{tid(t)}'")
        == [["canceled"]], timeout=10)
    time.sleep(1)
    assert me_tenant(t)["plan"] == "pro"


# --- reports ---------------------------------------------------------------------------

def test_the_revenue_report_covers_the_last_12_months_by_default(staff_stack, staff):
    r = staff.get(REVENUE)
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"currency", "mrr_cents", "months"}
    assert body["currency"] == "usd" and isinstance(body["mrr_cents"], int)
    months = [m["month"] for m in body["months"]]
    assert months == [this_month(i) for i in range(-11, 1)]
    for m in body["months"]:
        assert set(m) == {"month", "revenue_cents", "by_plan", "by_method"}
        assert set(m["by_method"]) == {"stripe", "bank_transfer"}
        assert set(m["by_plan"]) == {"free", "pro"}
        assert m["revenue_cents"] == sum(m["by_method"].values()) == sum(m["by_plan"].values())
    ranged = staff.get(REVENUE + f"?from={this_month(-2)}&to={this_month()}").json()
    assert [m["month"] for m in ranged["months"]] == [this_month(i) for i in (-2, -1, 0)]
    one = staff.get(REVENUE + "?from=2020-02&to=2020-02").json()
    assert one["months"] == [{"month": "2020-02", "revenue_cents": 0,
                              "by_plan": {"free": 0, "pro": 0},
                              "by_method": {"stripe": 0, "bank_transfer": 0}}]


@pytest.mark.parametrize("path", [REVENUE, CHURN])
@pytest.mark.parametrize("query,field", [("?from=2025-13", "from"), ("?to=abc", "to"),
                                         ("?from=2025-06&to=2025-01", "from"),
                                         ("?from=2000-01&to=2020-01", "to"),
                                         ("?from=2025-1", "from")])
def test_a_report_range_is_checked(staff, path, query, field):
    assert_error(staff.get(path + query), 400, fields=(field,))


def test_mrr_counts_a_transfer_spread_over_its_months(staff_stack, staff):
    before = staff.get(REVENUE).json()["mrr_cents"]
    t = tenant(staff_stack)
    assert staff.post(BANK, transfer(tid(t), months=4, amount=8000)).status_code == 200
    assert staff.get(REVENUE).json()["mrr_cents"] - before == 2000
    expire(staff_stack, tid(t))
    assert wait_for(lambda: staff.get(REVENUE).json()["mrr_cents"] == before, timeout=10)


def test_the_usage_report_counts_tenants_endpoints_checks_and_api_calls(staff_stack, staff,
                                                                        targets):
    t = tenant(staff_stack)
    r = t.post("/api/endpoints/", {"url": targets.ok.url("/staff-usage")})
    assert r.status_code == 201, r.text
    eid = r.json()["id"]
    assert wait_for(lambda: t.get(f"/api/endpoints/{eid}/checks/").json(), timeout=30)

    def report():
        r = staff.get(USAGE)
        assert r.status_code == 200, r.text
        return r.json()
    body = report()
    assert set(body) == {"tenants_by_plan", "tenants_by_status", "endpoints", "checks_last_24h",
                         "api_calls_last_24h"}
    assert set(body["tenants_by_status"]) == STATUSES
    assert set(body["tenants_by_plan"]) == {"free", "pro"}
    [[n_tenants]] = staff_stack.sql("SELECT count(*) FROM tenancy.tenants")
    assert sum(body["tenants_by_plan"].values()) == int(n_tenants)
    assert sum(body["tenants_by_status"].values()) == int(n_tenants)
    assert body["endpoints"] >= 1 and body["checks_last_24h"] >= 1
    calls = body["api_calls_last_24h"]
    for _ in range(5):
        assert t.get("/api/endpoints/").status_code == 200
    # The gateway's counts reach sw-tenants at its next sync.
    assert wait_for(lambda: report()["api_calls_last_24h"] >= calls + 5, timeout=15)


def test_the_churn_report_counts_started_and_canceled_subscriptions(staff_stack, staff):
    def now_month():
        r = staff.get(CHURN)
        assert r.status_code == 200, r.text
        months = r.json()["months"]
        assert [m["month"] for m in months] == [this_month(i) for i in range(-11, 1)]
        assert all(set(m) == {"month", "started", "canceled", "churn_rate"} for m in months)
        return months[-1]
    before = now_month()
    t = tenant(staff_stack)
    sid, customer, t0 = sub_id(), cus_id(), int(time.time()) - 100
    deliver(staff_stack, sub_event("customer.subscription.created", tid(t), sid, customer,
                                   "active", t0))
    started = now_month()
    assert started["started"] == before["started"] + 1
    assert started["canceled"] == before["canceled"]
    deliver(staff_stack, sub_event("customer.subscription.deleted", tid(t), sid, customer,
                                   "canceled", t0 + 10))
    ended = now_month()
    assert ended["started"] == started["started"]
    assert ended["canceled"] == started["canceled"] + 1
    assert 0 < ended["churn_rate"] <= 1
    # A bank-transfer period counts as a subscription too: it starts, and it ends.
    u = tenant(staff_stack)
    assert staff.post(BANK, transfer(tid(u), months=1, amount=1900)).status_code == 200
    assert now_month()["started"] == ended["started"] + 1
    expire(staff_stack, tid(u))
    assert wait_for(lambda: now_month()["canceled"] == ended["canceled"] + 1, timeout=10)
    old = staff.get(CHURN + "?from=2020-01&to=2020-03").json()["months"]
    assert old == [{"month": f"2020-0{i}", "started": 0, "canceled": 0, "churn_rate": 0.0}
                   for i in (1, 2, 3)]


def test_staff_routes_answer_401_without_a_token(staff_stack):
    c = Client(staff_stack.base_url)
    for path in (TENANTS, USAGE, REVENUE, CHURN):
        assert_error(c.get(path), 401, code="not_authenticated")
    assert_error(c.post(BANK, {}), 401)
