"""Checks real responses against docs/openapi.yaml (the hook in conftest's
Client.request): the status must be one the operation documents (or its
4XX / default error response), and a JSON body must match the schema of that
response. A response that does not is an AssertionError in the test that got
it. Paths outside /api/, /health/ and /metrics/ (the web app) are not checked;
an unknown /api/ path must answer the error shape.

Set SW_OPENAPI_CHECK=0 to switch it off, SW_OPENAPI_CHECK=log:<file> to write
mismatches to a file instead of failing.

Validation is python3-jsonschema (Debian): OpenAPI 3.1 schemas are JSON Schema
2020-12, $refs resolve against the whole document. Validators are built once
per (operation, status) and cached.
"""
import functools
import json
import os
import re
from urllib.parse import urlsplit

import jsonschema
import yaml

SPEC_PATH = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "openapi.yaml")
MODE = os.environ.get("SW_OPENAPI_CHECK", "1")


@functools.lru_cache(maxsize=1)
def _spec():
    with open(SPEC_PATH, encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    routes = []
    for template, ops in spec["paths"].items():
        pattern = "^" + re.sub(r"\{[^/]+\}", "[^/]+", re.escape(template).replace("\\{", "{").replace("\\}", "}")) + "$"
        routes.append((re.compile(pattern), template, ops))
    # A literal segment wins over {id} (/api/invitations/accept/ before /api/invitations/{id}/).
    routes.sort(key=lambda r: r[1].count("{"))
    return spec, routes


def _resolve(spec, node):
    while isinstance(node, dict) and "$ref" in node and node["$ref"].startswith("#/"):
        target = spec
        for part in node["$ref"][2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


@functools.lru_cache(maxsize=None)
def _validator(template, method, status_key):
    spec, _ = _spec()
    op = spec["paths"][template][method] if template else None
    response = _resolve(spec, op["responses"][status_key]) if op else spec["components"]["responses"]["Error"]
    content = response.get("content") or {}
    media = content.get("application/json")
    if not media:
        return None, bool(content)
    resolver = jsonschema.RefResolver.from_schema(spec)
    cls = jsonschema.Draft202012Validator
    return cls(media["schema"], resolver=resolver), True


def _status_key(op, status):
    codes = op["responses"]
    # A success must be documented as such; the error responses cover the rest.
    keys = (str(status),) if status < 400 else (str(status), f"{str(status)[0]}XX", "default")
    for key in keys:
        if key in codes:
            return key
    return None


def _fail(message):
    if MODE.startswith("log:"):
        with open(MODE[4:], "a", encoding="utf-8") as f:
            f.write(message + "\n")
        return
    raise AssertionError(message)


def check(method, url, response):
    """Validates one requests.Response against the document."""
    if MODE == "0":
        return
    path = urlsplit(url).path
    if not (path.startswith("/api/") or path.startswith("/health/") or path.startswith("/metrics/")
            or path in ("/health", "/metrics")):
        return
    if not path.endswith("/"):
        path += "/"  # answered the same as with the slash
    method = method.lower()
    spec, routes = _spec()
    template = None
    for pattern, tmpl, ops in routes:
        if pattern.match(path):
            template = tmpl
            break
    where = f"{method.upper()} {urlsplit(url).path} -> {response.status_code}"
    if template is None or method not in spec["paths"][template]:
        if method == "head" and template and "get" in spec["paths"][template]:
            return
        if response.status_code < 400:
            _fail(f"openapi: {where}: the route is not in docs/openapi.yaml")
            return
        validator, _ = _validator(None, None, None)
    else:
        op = spec["paths"][template][method]
        key = _status_key(op, response.status_code)
        if key is None:
            _fail(f"openapi: {where}: status not documented for {method.upper()} {template}")
            return
        validator, _ = _validator(template, method, key)
    if method == "head" or response.status_code in (204, 304) or validator is None:
        return
    ctype = response.headers.get("Content-Type", "")
    if "json" not in ctype:
        _fail(f"openapi: {where}: Content-Type {ctype!r}, the document says JSON")
        return
    try:
        body = json.loads(response.content)
    except ValueError:
        _fail(f"openapi: {where}: the body is not JSON: {response.text[:200]!r}")
        return
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
    if errors:
        lines = [f"  at /{'/'.join(str(p) for p in e.absolute_path)}: {e.message[:300]}" for e in errors[:5]]
        _fail(f"openapi: {where}: the body does not match docs/openapi.yaml:\n" + "\n".join(lines))
