"""SW_ENV=production refuses what only development may use, and says which
variable is wrong: a process started that way exits at once with a message
naming it (the database is the test stack's; nothing else is touched)."""
import os
import subprocess
import tempfile

import pytest

from conftest import ROOT

BIN = os.environ.get("SW_BIN_DIR", os.path.join(ROOT, "build", "test", "bin"))


def start(stack, binary, **env):
    var = tempfile.mkdtemp(prefix="sw-prod-", dir="/tmp")
    full = {"PATH": os.environ["PATH"], "SW_ENV": "production", "SW_VAR_DIR": var,
            "DATABASE_URL": stack.database_url,
            "ASAN_OPTIONS": "detect_leaks=0", **env}
    return subprocess.run([os.path.join(BIN, binary)], env=full, capture_output=True, text=True,
                          timeout=30)


@pytest.mark.parametrize("binary", ["sw-checker", "sw-monitors", "sw-notify"])
def test_allowing_private_ranges_is_refused(stack, binary):
    r = start(stack, binary, SW_CHECKER_ALLOW_CIDRS="127.0.0.1/32")
    assert r.returncode != 0 and "SW_CHECKER_ALLOW_CIDRS" in r.stderr, r.stderr[-2000:]


def test_plain_tcp_rpc_is_refused(stack):
    r = start(stack, "sw-tenants", SW_TENANTS_RPC_URL="tcp://127.0.0.1:1")
    assert r.returncode != 0 and "SW_TENANTS_RPC_URL" in r.stderr, r.stderr[-2000:]


def test_missing_jwt_keys_are_refused(stack):
    r = start(stack, "sw-auth")
    assert r.returncode != 0 and "SW_JWT_PRIVATE_KEY_FILE" in r.stderr, r.stderr[-2000:]


def test_a_private_key_readable_by_others_is_refused(stack, tmp_path):
    key = tmp_path / "jwt.pem"
    subprocess.run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-out", str(key)], check=True, capture_output=True)
    pub = tmp_path / "jwt.pub"
    subprocess.run(["openssl", "pkey", "-in", str(key), "-pubout", "-out", str(pub)], check=True,
                   capture_output=True)
    key.chmod(0o644)
    r = start(stack, "sw-auth", SW_JWT_PRIVATE_KEY_FILE=str(key), SW_JWT_PUBLIC_KEY_FILE=str(pub))
    assert r.returncode != 0 and "SW_JWT_PRIVATE_KEY_FILE" in r.stderr, r.stderr[-2000:]
    assert "readable" in r.stderr


STRIPE = {"STRIPE_WEBHOOK_SECRET": "whsec_x", "STRIPE_PRICE_PRO": "price_x"}


def test_a_stripe_test_key_is_refused_unless_allowed(stack):
    r = start(stack, "sw-billing", STRIPE_SECRET_KEY="sk_test_x", **STRIPE)
    assert r.returncode != 0 and "STRIPE_SECRET_KEY" in r.stderr, r.stderr[-2000:]
    r = start(stack, "sw-billing", STRIPE_SECRET_KEY="sk_test_x", SW_ALLOW_STRIPE_TEST="1",
              STRIPE_API_BASE="http://stripe.example.com", **STRIPE)
    assert r.returncode != 0 and "STRIPE_API_BASE" in r.stderr, r.stderr[-2000:]


def test_an_unknown_sw_env_is_refused(stack):
    env = {"PATH": os.environ["PATH"], "SW_VAR_DIR": tempfile.mkdtemp(dir="/tmp"),
           "DATABASE_URL": stack.database_url, "SW_ENV": "staging"}
    r = subprocess.run([os.path.join(BIN, "sw-tenants")], env=env, capture_output=True,
                       text=True, timeout=30)
    assert r.returncode != 0 and "SW_ENV" in r.stderr


def test_without_sw_env_a_service_says_it_runs_in_development(stack):
    env = {"PATH": os.environ["PATH"], "SW_VAR_DIR": tempfile.mkdtemp(dir="/tmp"),
           "DATABASE_URL": stack.database_url, "ASAN_OPTIONS": "detect_leaks=0",
           "SW_MONITORS_CHECKER_RPC_URL": "ipc:///tmp/sw-prod-nobody.ipc"}
    proc = subprocess.Popen([os.path.join(BIN, "sw-checker")], env=env, stderr=subprocess.PIPE,
                            text=True)
    try:
        proc.wait(timeout=2)
    except subprocess.TimeoutExpired:
        proc.terminate()
    err = proc.communicate(timeout=30)[1]
    assert "SW_ENV is not set: development mode" in err, err[-2000:]
