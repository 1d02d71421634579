"""`sw-admin migrate` (issue 16): the tenant-schema migrations across every
tenant schema, in parallel, each schema in its own transaction, resumable and
with progress on standard error. A private PostgreSQL (no services: sw-admin
applies sw-monitors' global migrations itself) with 30 tenant schemas; a
migration is added through SW_TENANT_MIGRATIONS_DIR, the test-only folder
setting, and made slow (pg_sleep) so that a run can be killed halfway. The
last test uses the shared stack: sw-monitors' background catch-up."""
import glob
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import uuid

import pytest

from conftest import ROOT, wait_for

BIN_DIR = os.environ.get("SW_BIN_DIR", os.path.join(ROOT, "build", "test", "bin"))
ADMIN = os.path.join(BIN_DIR, "sw-admin")
EMBEDDED = os.path.join(ROOT, "services", "monitors", "tenant_migrations")
LATEST_EMBEDDED = sorted(os.listdir(EMBEDDED))[-1]
TENANTS = 30
PROGRESS = re.compile(r"^sw-admin migrate: (\d+)/(\d+) tenant schemas \((\d+)%\), (\d+)/s,"
                      r" ETA (\d+ s|unknown), (\d+) failed$")
SUMMARY = re.compile(r"^sw-admin migrate: (\d+)/(\d+) tenant schemas migrated in [0-9.]+ s"
                     r" \(\d+/s\), (\d+) failed, (\d+) already current$")


class Database:
    def __init__(self, var_dir, url):
        self.var_dir, self.url = var_dir, url

    def sql(self, query):
        out = subprocess.run(["psql", self.url, "-v", "ON_ERROR_STOP=1", "-qtAF", "\t", "-c", query],
                             check=True, capture_output=True, text=True).stdout
        return [line.split("\t") for line in out.splitlines() if line]

    def versions(self):
        return dict(self.sql("SELECT schema_name, version FROM monitors.tenant_schemas"))


def admin_env(db, migrations_dir=None):
    env = {**os.environ, "DATABASE_URL": db.url, "ASAN_OPTIONS": "detect_leaks=1"}
    env.pop("SW_TENANT_MIGRATIONS_DIR", None)
    if migrations_dir:
        env["SW_TENANT_MIGRATIONS_DIR"] = migrations_dir
    return env


def migrate(db, *args, migrations_dir=None):
    out = subprocess.run([ADMIN, "migrate", *args], env=admin_env(db, migrations_dir),
                         capture_output=True, text=True, timeout=120)
    assert "Sanitizer" not in out.stderr, out.stderr
    return out


@pytest.fixture(scope="module")
def db():
    """A private PostgreSQL with 30 tenant schemas at the latest embedded migration."""
    var_dir = tempfile.mkdtemp(prefix="sw-it-migrate-", dir="/tmp")
    os.chmod(var_dir, 0o755)
    pg = os.path.join(ROOT, "scripts", "pg.sh")
    url = subprocess.run([pg, "start", var_dir], check=True, capture_output=True, text=True,
                         env={**os.environ, "SW_PG_FAST": "1"}).stdout.strip()
    d = Database(var_dir, url)
    try:
        # No tenants yet: it applies the global migrations and has nothing else to do.
        first = migrate(d)
        assert first.returncode == 0, first.stderr
        # Empty schemas recorded before the first migration: sw-admin provisions them
        # with the embedded set, exactly as sw-monitors does on a tenant's first use.
        rows = []
        for _ in range(TENANTS):
            tenant = uuid.uuid4()
            d.sql(f"CREATE SCHEMA t_{tenant.hex}")
            rows.append(f"('t_{tenant.hex}', '{tenant}', '000')")
        d.sql("INSERT INTO monitors.tenant_schemas (schema_name, tenant_id, version) VALUES "
              + ", ".join(rows))
        out = migrate(d, "--workers", "3")
        assert out.returncode == 0, out.stderr
        assert set(d.versions().values()) == {LATEST_EMBEDDED}
        yield d
    finally:
        subprocess.run([pg, "destroy", var_dir], check=False, capture_output=True)
        shutil.rmtree(var_dir, ignore_errors=True)


def migrations_with(extra):
    """A temp folder: the embedded tenant migrations plus `extra` ({file name: SQL})."""
    folder = tempfile.mkdtemp(prefix="sw-it-tenant-migrations-")
    for path in glob.glob(os.path.join(EMBEDDED, "*.sql")):
        shutil.copy(path, folder)
    for name, text in extra.items():
        with open(os.path.join(folder, name), "w") as f:
            f.write(text)
    return folder


def has_probe_table(db, schema):
    return db.sql(f"SELECT to_regclass('{schema}.migrate_probe') IS NOT NULL") == [["t"]]


SLOW = {"900_probe.sql": "CREATE TABLE migrate_probe (id int);\nSELECT pg_sleep(0.2);\n"}


def test_a_killed_run_leaves_whole_schemas_and_the_next_run_finishes_the_rest(db):
    folder = migrations_with(SLOW)
    try:
        proc = subprocess.Popen([ADMIN, "migrate", "--workers", "1"], env=admin_env(db, folder),
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            assert wait_for(
                lambda: sum(v == "900_probe.sql" for v in db.versions().values()) >= 5,
                timeout=30, interval=0.05)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.communicate()
        versions = db.versions()
        done = {s for s, v in versions.items() if v == "900_probe.sql"}
        assert 5 <= len(done) < TENANTS
        # Each schema moved in one transaction: its table exists exactly when its record says so.
        for schema, version in versions.items():
            assert has_probe_table(db, schema) == (version == "900_probe.sql"), schema

        out = migrate(db, "--workers", "4", "--progress-ms", "50", migrations_dir=folder)
        assert out.returncode == 0, out.stderr
        lines = out.stderr.splitlines()
        assert lines[0] == "sw-admin migrate: tenant schemas to 900_probe.sql, 4 workers"
        progress = [PROGRESS.match(line) for line in lines[1:-1]]
        assert progress and all(progress), out.stderr
        left = TENANTS - len(done)
        assert all(int(m.group(2)) == left for m in progress)
        counts = [int(m.group(1)) for m in progress]
        assert counts == sorted(counts) and counts[-1] <= left
        summary = SUMMARY.match(lines[-1])
        assert summary, out.stderr
        # Only the rest was migrated; the schemas done before the kill were skipped.
        assert summary.groups() == (str(left), str(left), "0", str(len(done)))
        versions = db.versions()
        assert set(versions.values()) == {"900_probe.sql"}
        assert all(has_probe_table(db, s) for s in versions)

        again = migrate(db, migrations_dir=folder)
        assert again.returncode == 0, again.stderr
        assert again.stderr.splitlines()[-1] == (
            f"sw-admin migrate: nothing to migrate, {TENANTS} tenant schemas already current")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_schema_that_fails_is_reported_and_the_others_are_migrated(db):
    victim = sorted(db.versions())[7]
    failing = {**SLOW, "901_fails_once.sql":
               "DO $$ BEGIN IF current_schema() = '" + victim + "' THEN"
               " RAISE EXCEPTION 'refused'; END IF; END $$;\n"
               "CREATE TABLE migrate_probe_2 (id int);\n"}
    folder = migrations_with(failing)
    try:
        out = migrate(db, "--workers", "2", migrations_dir=folder)
        assert out.returncode == 1
        assert f"tenant schema {victim}: migration to 901_fails_once.sql failed" in out.stderr
        summary = SUMMARY.match(out.stderr.splitlines()[-1])
        assert summary and summary.groups() == (str(TENANTS - 1), str(TENANTS), "1", "0")
        versions = db.versions()
        assert versions.pop(victim) == "900_probe.sql"
        assert set(versions.values()) == {"901_fails_once.sql"}
        # The failed schema kept nothing of the failed migration.
        assert db.sql(f"SELECT to_regclass('{victim}.migrate_probe_2') IS NULL") == [["t"]]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_usage(db):
    for args in (["--workers", "0"], ["--workers"], ["--frobnicate"]):
        out = migrate(db, *args)
        assert out.returncode == 2 and "usage: sw-admin migrate" in out.stderr


def test_sw_monitors_migrates_schemas_left_behind_in_the_background(stack):
    """A schema recorded before the first migration (as one left behind by an
    upgrade whose migration Job did not run): a restarted sw-monitors' background
    catch-up brings it to the latest version by itself, no request needed."""
    tenant = uuid.uuid4()
    schema = f"t_{tenant.hex}"
    stack.sql(f"CREATE SCHEMA {schema}")
    stack.sql("INSERT INTO monitors.tenant_schemas (schema_name, tenant_id, version)"
              f" VALUES ('{schema}', '{tenant}', '000')")
    try:
        old = stack.pid("monitors")
        os.kill(old, signal.SIGTERM)
        assert wait_for(lambda: stack.pid("monitors") != old, timeout=30)
        stack.wait_ready()
        assert wait_for(lambda: stack.sql("SELECT version FROM monitors.tenant_schemas"
                                   f" WHERE schema_name = '{schema}'") == [[LATEST_EMBEDDED]],
                        timeout=30)
        assert stack.sql(f"SELECT to_regclass('{schema}.endpoints') IS NOT NULL") == [["t"]]
    finally:
        stack.sql(f"DROP SCHEMA {schema} CASCADE")
        stack.sql(f"DELETE FROM monitors.tenant_schemas WHERE schema_name = '{schema}'")
