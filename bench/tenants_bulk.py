#!/usr/bin/python3
"""SQL for bench/tenants.sh's bulk tenants, on standard output.

What a registration and the tenant's first request store, written directly,
one transaction per tenant: the rows of tenants.CreateTenant
(tenancy.tenants, tenancy.domains, tenancy.audit_log) and its CREATE SCHEMA,
the owner of sw-auth's auth.Register (auth.users, auth.credentials, with one
given password hash), and what sw-monitors' provisioning stores on first use:
every tenant migration of MIGRATIONS_DIR run under the tenant's search_path
and the monitors.tenant_schemas record. It skips only the HTTP, RPC and
argon2 path, which the timed registrations take.

    tenants_bulk.py FIRST COUNT MIGRATIONS_DIR PASSWORD_HASH | psql ...
"""
import os
import sys
import uuid


def quote(text):
    return "'" + text.replace("'", "''") + "'"


def main():
    first, count, migrations_dir, password_hash = (
        int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4])
    names = sorted(n for n in os.listdir(migrations_dir) if n.endswith(".sql"))
    scripts = [open(os.path.join(migrations_dir, n), encoding="utf-8").read() for n in names]
    out = sys.stdout
    out.write("\\set ON_ERROR_STOP 1\nSET client_min_messages = warning;\n")
    for i in range(first, first + count):
        tenant = uuid.uuid4()
        user = uuid.uuid4()
        schema = "t_" + tenant.hex
        out.write("BEGIN;\n")
        out.write(
            "INSERT INTO tenancy.tenants (id, name, schema_name) VALUES"
            f" ('{tenant}', 'Bulk organisation {i}', '{schema}');\n"
            "INSERT INTO tenancy.domains (tenant_id, domain) VALUES"
            f" ('{tenant}', '{schema}.tenants.statuswatch.local');\n"
            f"CREATE SCHEMA {schema};\n"
            "INSERT INTO tenancy.audit_log (tenant_id, action, detail)"
            f" VALUES ('{tenant}', 'tenant.created', '{{}}');\n"
            "INSERT INTO auth.users (id, tenant_id, email, role, email_verified) VALUES"
            f" ('{user}', '{tenant}', 'bulk{i}@example.com', 'owner', false);\n"
            "INSERT INTO auth.credentials (user_id, password_hash) VALUES"
            f" ('{user}', {quote(password_hash)});\n"
            f"SET LOCAL search_path = {schema};\n")
        for script in scripts:
            out.write(script)
            out.write("\n")
        out.write(
            "INSERT INTO monitors.tenant_schemas (schema_name, tenant_id, version) VALUES"
            f" ('{schema}', '{tenant}', {quote(names[-1])});\n"
            "COMMIT;\n")


if __name__ == "__main__":
    main()
