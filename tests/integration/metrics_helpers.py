"""Reading a service's /metrics page (Prometheus text, 0.0.4) into numbers."""
import re

import requests

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def scrape(url):
    r = requests.get(url, timeout=10)
    assert r.status_code == 200, (url, r.status_code, r.text)
    assert r.headers["Content-Type"].startswith("text/plain; version=0.0.4"), r.headers
    return r.text


def samples(text):
    """{(name, frozenset(labels)): value} of an exposition page."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        assert m, line
        out[(m.group(1), frozenset(LABEL.findall(m.group(2) or "")))] = float(m.group(3))
    return out


def value(page, name, **labels):
    return page.get((name, frozenset(labels.items())), 0.0)
