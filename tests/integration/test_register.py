"""POST /api/auth/register/ — every success and failure listed in the contract."""
import uuid

import pytest

from conftest import PASSWORD, assert_error


def test_register_creates_tenant_schema_and_owner(stack, client):
    org = "Acme " + uuid.uuid4().hex[:8]
    email = f"Owner-{uuid.uuid4().hex[:6]}@Example.com"
    r = client.register(org=org, email=email)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["tenant"]["name"] == org
    assert body["tenant"]["schema"] == "t_" + body["tenant"]["id"].replace("-", "")
    assert body["user"] == {"id": body["user"]["id"], "email": email.lower(), "role": "owner"}
    uuid.UUID(body["tenant"]["id"])
    uuid.UUID(body["user"]["id"])

    tid = body["tenant"]["id"]
    assert stack.sql(f"SELECT count(*) FROM tenancy.tenants WHERE id = '{tid}'") == [["1"]]
    assert stack.sql("SELECT count(*) FROM information_schema.schemata WHERE schema_name = "
                     f"'{body['tenant']['schema']}'") == [["1"]]
    assert stack.sql(f"SELECT role FROM auth.users WHERE tenant_id = '{tid}'") == [["owner"]]
    assert stack.sql(f"SELECT count(*) FROM tenancy.domains WHERE tenant_id = '{tid}'") == [["1"]]
    # The password is stored as an argon2id hash, never as given.
    hashes = stack.sql("SELECT c.password_hash FROM auth.credentials c JOIN auth.users u"
                       f" ON u.id = c.user_id WHERE u.tenant_id = '{tid}'")
    assert hashes[0][0].startswith("$argon2id$") and PASSWORD not in hashes[0][0]


@pytest.mark.parametrize("password,why", [
    ("Short-1!", "too short"),
    ("alllowercase-123!", "no upper-case letter"),
    ("ALLUPPERCASE-123!", "no lower-case letter"),
    ("No-Digits-Here!!", "no digit"),
    ("NoSymbols12345", "no symbol"),
])
def test_register_refuses_weak_passwords(client, password, why):
    r = client.register(password=password)
    assert_error(r, 400, fields=["password"])


def test_register_refuses_mismatched_confirmation(client):
    r = client.post("/api/auth/register/", {"organization_name": "Mismatch Co",
                                            "email": "m@example.com", "password": PASSWORD,
                                            "password_confirm": PASSWORD + "x"})
    body = assert_error(r, 400, fields=["password_confirm"])
    assert "password" not in body["errors"]


@pytest.mark.parametrize("email", ["not-an-email", "a@b", "two@@example.com", "sp ace@example.com",
                                   "@example.com", "x@.example.com"])
def test_register_refuses_bad_email(client, email):
    assert_error(client.register(email=email), 400, fields=["email"])


@pytest.mark.parametrize("name", ["A", " B ", "x" * 101])
def test_register_refuses_bad_organization_name_length(client, name):
    assert_error(client.register(org=name), 400, fields=["organization_name"])


def test_register_accepts_name_limits(client):
    assert client.register(org="Ab").status_code == 201
    assert client.register(org=("n" * 92) + uuid.uuid4().hex[:8]).status_code == 201


def test_register_reports_every_missing_field(client):
    body = assert_error(client.post("/api/auth/register/", {}), 400)
    assert set(body["errors"]) == {"organization_name", "email", "password", "password_confirm"}


def test_register_refuses_wrong_types(client):
    r = client.post("/api/auth/register/", {"organization_name": 12, "email": ["x"],
                                            "password": PASSWORD, "password_confirm": PASSWORD})
    assert_error(r, 400, fields=["organization_name", "email"])


def test_register_refuses_duplicate_name_case_insensitively(stack, client, new_client):
    org = "Globex " + uuid.uuid4().hex[:8]
    assert client.register(org=org).status_code == 201
    r = new_client().register(org=org.upper())
    assert_error(r, 409, code="duplicate_organization_name")
    assert stack.sql(f"SELECT count(*) FROM tenancy.tenants WHERE lower(name) = lower('{org}')") \
        == [["1"]]


def test_register_is_rate_limited_per_client(client):
    # Every attempt counts, failed ones too: 5 an hour per address.
    statuses = [client.register(password="weak").status_code for _ in range(7)]
    assert statuses == [400] * 5 + [429] * 2
    r = client.register()
    assert_error(r, 429, code="rate_limited")
    assert r.headers.get("Retry-After")


def test_failed_registration_after_schema_leaves_nothing_behind(stack, client):
    """Storing the owner is made to fail after sw-tenants created the tenant and
    its schema; the registration must then remove all three again."""
    email = f"doomed-{uuid.uuid4().hex[:8]}@example.com"
    org = "Doomed " + uuid.uuid4().hex[:8]
    stack.sql(f"""
        CREATE OR REPLACE FUNCTION auth.fail_for_test() RETURNS trigger AS $$
        BEGIN
          IF NEW.email = '{email}' THEN RAISE EXCEPTION 'forced failure'; END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql;
        CREATE TRIGGER fail_for_test BEFORE INSERT ON auth.users
          FOR EACH ROW EXECUTE FUNCTION auth.fail_for_test();""")
    schemas_before = stack.sql("SELECT count(*) FROM information_schema.schemata"
                               " WHERE schema_name LIKE 't\\_%'")
    try:
        r = client.register(org=org, email=email)
        assert r.status_code >= 500, r.text
        assert "forced" not in r.text and "SQL" not in r.text
        assert set(r.json()) >= {"detail", "code"}
    finally:
        stack.sql("DROP TRIGGER fail_for_test ON auth.users; DROP FUNCTION auth.fail_for_test()")
    assert stack.sql(f"SELECT count(*) FROM tenancy.tenants WHERE name = '{org}'") == [["0"]]
    assert stack.sql(f"SELECT count(*) FROM auth.users WHERE email = '{email}'") == [["0"]]
    assert stack.sql("SELECT count(*) FROM information_schema.schemata"
                     " WHERE schema_name LIKE 't\\_%'") == schemas_before
    # The same organisation can register once the fault is gone.
    assert client.register(org=org, email=email).status_code == 201
