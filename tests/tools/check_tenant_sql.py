#!/usr/bin/env python3
"""Enforces what Citus schema-based sharding needs of StatusWatch's SQL
(docs/OPERATIONS.md, "PostgreSQL past one machine"): no statement touches
two tenant schemas, so every statement about a tenant can be routed to the
one node that holds its schema.

Checked, over every C string literal in libcommon/ and services/ (adjacent
literals joined, as the compiler does) and every SQL migration:

  C1  a statement names at most one tenant schema: the template placeholder
      {s} (tenant_sql.c / sw_pg_prepared replace every {s} of a statement with
      the same quoted schema) counts once, every printf qualifier (%s.table)
      once more;
  C2  no statement spells a tenant schema's name (t_<32 hex>);
  S1  a tenant migration (services/*/tenant_migrations/, run with search_path
      set to one tenant) qualifies no name with another tenant schema and
      builds no dynamic SQL over schemas;
  S2  a dynamic statement built in a migration's PL/pgSQL (format('…%I…'))
      names at most one schema.

It also lists the global tables that share a statement with a tenant schema:
under Citus those must be reference tables (or the statement changes).
  check_tenant_sql.py [--self-test] [--list] [repo root]
Exit 1 on a violation. --self-test proves each rule catches what it should.
"""
import os
import re
import sys

TENANT_NAME = re.compile(r"\bt_[0-9a-f]{32}\b")
QUALIFIER = re.compile(r"%s\s*\.\s*[A-Za-z_\"]")
SQL_WORDS = re.compile(r"\b(SELECT|INSERT\s+INTO|UPDATE|DELETE\s+FROM|CREATE|ALTER|DROP|WITH)\b")
GLOBAL_TABLE = re.compile(r"\b(tenancy|auth|monitors|billing|notify|audit|public)\.([a-z_][a-z0-9_]*)\b")
FORMAT_CALL = re.compile(r"format\s*\(\s*'((?:[^']|'')*)'", re.S)


def c_literals(text):
    """Yields (line, joined literal) for each run of adjacent C string literals."""
    i, n, line = 0, len(text), 1
    run, run_line, last_end = None, 0, 0
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            line += text.count("\n", i, j)
            i = j
        elif c == "'":
            j = i + 1
            while j < n and text[j] != "'":
                j += 2 if text[j] == "\\" else 1
            i = j + 1
        elif c == '"':
            j, buf = i + 1, []
            while j < n and text[j] != '"':
                if text[j] == "\\" and j + 1 < n:
                    buf.append({"n": "\n", "t": "\t", '"': '"', "\\": "\\"}.get(text[j + 1], text[j + 1]))
                    j += 2
                else:
                    buf.append(text[j])
                    j += 1
            s = "".join(buf)
            between = text[last_end:i]
            if run is not None and re.fullmatch(r"\s*", between):
                run += s
            else:
                if run is not None:
                    yield run_line, run
                run, run_line = s, line
            line += text.count("\n", i, j)
            last_end = i = j + 1
        elif c.isspace():
            i += 1
        else:
            if run is not None:
                yield run_line, run
                run = None
            i += 1
    if run is not None:
        yield run_line, run


TENANT_TABLES = set()  # filled from the tenant migrations by scan()
UNQUALIFIED = re.compile(r"\b(?:FROM|JOIN|UPDATE|INTO)\s+(?!\S*\.)([a-z_][a-z0-9_]*)\b", re.I)


def check_c(path, text, problems, mixed):
    for line, lit in c_literals(text):
        if not SQL_WORDS.search(lit):
            continue
        # A tenant table named without a schema runs under the tenant's search_path.
        by_path = any(t in TENANT_TABLES for t in UNQUALIFIED.findall(lit))
        slots = (1 if "{s}" in lit else 0) + len(QUALIFIER.findall(lit)) + (1 if by_path else 0)
        if slots > 1:
            problems.append(f"{path}:{line}: C1 one statement names {slots} tenant schemas: {lit[:120]!r}")
        if TENANT_NAME.search(lit):
            problems.append(f"{path}:{line}: C2 a tenant schema spelt out: {lit[:120]!r}")
        if slots:
            for schema, table in GLOBAL_TABLE.findall(lit):
                mixed.setdefault(f"{schema}.{table}", set()).add(f"{path}:{line}")


def check_sql(path, text, tenant, problems):
    if TENANT_NAME.search(text):
        problems.append(f"{path}: C2 a tenant schema spelt out")
    for m in FORMAT_CALL.finditer(text):
        fmt = m.group(1)
        n = len(re.findall(r"%I\s*\.", fmt))
        if tenant and n:
            problems.append(f"{path}: S1 a tenant migration builds SQL over schemas: {fmt[:100]!r}")
        elif n > 1:
            problems.append(f"{path}: S2 one dynamic statement names {n} schemas: {fmt[:100]!r}")


def scan(root):
    problems, mixed, files = [], {}, 0
    for dirpath, _, names in os.walk(os.path.join(root, "services")):
        if os.path.basename(dirpath) == "tenant_migrations":
            for name in names:
                with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                    TENANT_TABLES.update(re.findall(r"CREATE TABLE (?:IF NOT EXISTS )?([a-z_][a-z0-9_]*)", f.read(), re.I))
    for top in ("libcommon", "services"):
        for dirpath, _, names in os.walk(os.path.join(root, top)):
            for name in sorted(names):
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, root)
                if name.endswith((".c", ".h")):
                    with open(path, encoding="utf-8", errors="replace") as f:
                        check_c(rel, f.read(), problems, mixed)
                    files += 1
                elif name.endswith(".sql"):
                    with open(path, encoding="utf-8", errors="replace") as f:
                        check_sql(rel, f.read(), "tenant_migrations" in rel, problems)
                    files += 1
    return problems, mixed, files


def self_test():
    """Each rule must fire on a statement that breaks it, and stay quiet on a good one."""
    TENANT_TABLES.update({"endpoints", "check_results"})
    cases = [
        ('x = "SELECT * FROM {s}.endpoints e JOIN %s.endpoints o USING (id)";', "C1"),
        ('x = "INSERT INTO %s.check_results SELECT * FROM %s.check_results";', "C1"),
        ('x = "SELECT 1 FROM {s}.a"\n      " JOIN %s.b ON true";', "C1"),
        ('x = "SELECT * FROM t_0123456789abcdef0123456789abcdef.endpoints";', "C2"),
        ('x = "SELECT * FROM {s}.endpoints e JOIN {s}.check_results c ON c.endpoint_id = e.id";', None),
        ('x = "UPDATE %s.endpoints SET x = 1 WHERE id = $1";', None),
        ('x = "%s.Health";', None),
        ('x = "UPDATE endpoints SET n = 1 FROM %s.endpoints o WHERE o.id = endpoints.id";', "C1"),
        ('x = "UPDATE endpoints SET n = 1 FROM monitors.schedule s WHERE s.endpoint_id = endpoints.id";', None),
    ]
    failed = 0
    for src, rule in cases:
        problems = []
        check_c("case.c", src, problems, {})
        fired = {p.split(": ")[1].split(" ")[0] for p in problems}
        if (rule is None and fired) or (rule is not None and rule not in fired):
            print(f"self-test: {rule or 'no rule'} expected for {src!r}, got {sorted(fired)}", file=sys.stderr)
            failed += 1
    sql_cases = [
        ("EXECUTE format('SELECT * FROM %I.a JOIN %I.b USING (id)', s1, s2);", False, "S2"),
        ("EXECUTE format('SELECT count(*) FROM %I.endpoints', s);", True, "S1"),
        ("EXECUTE format('SELECT count(*) FROM %I.endpoints', s);", False, None),
    ]
    for src, tenant, rule in sql_cases:
        problems = []
        check_sql("case.sql", src, tenant, problems)
        fired = {p.split(": ")[1].split(" ")[0] for p in problems}
        if (rule is None and fired) or (rule is not None and rule not in fired):
            print(f"self-test: {rule or 'no rule'} expected for {src!r}, got {sorted(fired)}", file=sys.stderr)
            failed += 1
    return failed


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    root = args[0] if args else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    if "--self-test" in argv:
        failed = self_test()
        if failed:
            return 1
    problems, mixed, files = scan(root)
    for p in problems:
        print(f"tenant-sql: {p}", file=sys.stderr)
    if "--list" in argv:
        for table in sorted(mixed):
            print(f"{table}: {len(mixed[table])} statement(s) with a tenant schema")
    if problems:
        print(f"tenant-sql: {len(problems)} violation(s)", file=sys.stderr)
        return 1
    print(f"tenant-sql: {files} files, no statement touches two tenant schemas"
          f" ({len(mixed)} global tables or functions share statements with one)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
