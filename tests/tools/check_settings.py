#!/usr/bin/env python3
"""Every setting the C code reads must reach the Kubernetes pods and the
compose stack: each name the sources read (sw_env_str/sw_env_int/getenv and
the per-service address names of sw_config.c) appears in the rendered
manifests (the ConfigMap, or an env entry, which secretKeyRefs are) and, where
a container sets it, in compose/docker-compose.yml. Also checks that the
Dockerfile copies every service's binary. Fails naming what is missing.
  check_settings.py RENDERED.yaml [more rendered files]
"""
import glob
import os
import re
import sys

import yaml

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
SERVICES = ["auth", "tenants", "monitors", "billing", "notify"]
# Read by the code but deliberately not set in a cluster.
NOT_IN_CLUSTER = {
    "SW_CHECKER_ALLOW_CIDRS": "refused in production (tests and private deployments only)",
    "SW_CHECKER_ID": "defaults to <hostname>-<pid>: the pod's name",
    "SW_TENANT_MIGRATIONS_DIR": "sw-admin migrate's test and benchmark migrations",
}
NOT_IN_COMPOSE = set(NOT_IN_CLUSTER) | {"SW_JWT_PRIVATE_KEY_FILE"}


def settings_in_code():
    names = set()
    for path in glob.glob(os.path.join(ROOT, "libcommon", "*.c")) + glob.glob(os.path.join(ROOT, "services", "*", "*.c")):
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        names.update(re.findall(r'"((?:SW|STRIPE|SENTRY)_[A-Z0-9_]+|DATABASE_URL|FRONTEND_URL)"', text))
    # Names built with snprintf in sw_config.c ("SW_%s_RPC_URL", …).
    names = {n for n in names if "%" not in n}
    for svc in SERVICES:
        up = svc.upper()
        names.update({f"SW_{up}_RPC_URL", f"SW_{up}_PUBLIC_RPC_URL"})
        if svc != "notify":  # notify publishes nothing
            names.add(f"SW_{up}_PUB_URL")
    names.add("SW_MONITORS_CHECKER_RPC_URL")
    # The operations ports of sw_ops_http.c ("SW_%s_METRICS_ADDR", …), the checker's too.
    for svc in SERVICES + ["checker"]:
        names.update({f"SW_{svc.upper()}_METRICS_ADDR", f"SW_{svc.upper()}_METRICS_PORT"})
    return names


def names_in_manifests(files):
    found = set()
    for path in files:
        with open(path, encoding="utf-8") as f:
            for doc in yaml.safe_load_all(f):
                if not doc:
                    continue
                if doc.get("kind") == "ConfigMap":
                    found.update(doc.get("data", {}))
                for spec in pod_specs(doc):
                    for c in spec.get("containers", []) + spec.get("initContainers", []):
                        found.update(e["name"] for e in c.get("env", []))
    return found


def pod_specs(doc):
    spec = doc.get("spec") or {}
    if doc.get("kind") in ("Deployment", "Job", "StatefulSet", "DaemonSet"):
        yield spec["template"]["spec"]


def main(argv):
    problems = []
    code = settings_in_code()
    k8s = names_in_manifests(argv)
    for name in sorted(code - k8s - set(NOT_IN_CLUSTER)):
        problems.append(f"{name}: read by the code, set nowhere in deploy/k8s")
    with open(os.path.join(ROOT, "compose", "docker-compose.yml"), encoding="utf-8") as f:
        compose = f.read()
    # Compose sets what it must (addresses, TLS, keys, the secrets); defaults do the rest.
    must_in_compose = {n for n in code if n.endswith("_URL") or n in (
        "SW_ENV", "SW_TLS_DIR", "SW_JWT_PUBLIC_KEY_FILE", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET",
        "SW_SMTP_FROM", "SENTRY_DSN", "SW_API_KEY_SECRET")} - NOT_IN_COMPOSE - {"STRIPE_API_BASE"}
    for name in sorted(must_in_compose):
        if not re.search(rf"\b{name}\b", compose):
            problems.append(f"{name}: not set in compose/docker-compose.yml")
    with open(os.path.join(ROOT, "Dockerfile"), encoding="utf-8") as f:
        dockerfile = f.read()
    for d in sorted(glob.glob(os.path.join(ROOT, "services", "*", "CMakeLists.txt"))):
        with open(d, encoding="utf-8") as f:
            for exe in re.findall(r"add_executable\((sw-[a-z-]+)", f.read()):
                if f"build/bin/{exe}" not in dockerfile:
                    problems.append(f"{exe}: built by {os.path.relpath(d, ROOT)} but not copied into the image")
    for p in problems:
        print(f"settings: {p}", file=sys.stderr)
    if problems:
        return 1
    print(f"settings: all {len(code)} settings the code reads reach deploy/k8s and compose")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
