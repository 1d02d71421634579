#!/usr/bin/env python3
"""docs/openapi.yaml describes exactly the routes of services/gateway/router.c:
every {"METHOD", "/path/", …} row has its operation and every operation its
row. Fails naming what is missing on either side."""
import os
import re
import sys

import yaml

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def main():
    with open(os.path.join(ROOT, "services", "gateway", "router.c"), encoding="utf-8") as f:
        routes = {(m.lower(), p) for m, p in re.findall(r'\{"(GET|POST|PUT|PATCH|DELETE)",\s*"([^"]+)"', f.read())}
    with open(os.path.join(ROOT, "docs", "openapi.yaml"), encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    documented = {(m, p) for p, ops in spec["paths"].items() for m in ops
                  if m in ("get", "post", "put", "patch", "delete")}
    problems = [f"{m.upper()} {p}: in router.c, not in docs/openapi.yaml" for m, p in sorted(routes - documented)]
    problems += [f"{m.upper()} {p}: in docs/openapi.yaml, not in router.c" for m, p in sorted(documented - routes)]
    for p in problems:
        print(f"openapi: {p}", file=sys.stderr)
    if problems:
        return 1
    print(f"openapi: the {len(routes)} routes of router.c are exactly the document's operations")
    return 0


if __name__ == "__main__":
    sys.exit(main())
