"""Local HTTP servers that checks are pointed at. Each one counts every TCP
connection it accepts and every request it answers, so a test can prove that a
check did (or did not) reach it.

Routes (any method; HEAD gets the headers only):
  /ok              200 "all good"
  /fail            500
  /status/<code>   that status
  /slow?ms=N       sleeps N ms, then 200
  /keyword         200; "StatusWatch-OK" appears after 1000+ bytes of filler
  /redirect?to=U   302 to U (&code=N: that redirect status instead)
  /switch?t=T      the status the test set with Target.set_status(T, code) [200]
  /flap?t=T        500 and 200 in turn, per T (the first request of a T fails)
Any query string is allowed on every route, so a test makes its URLs unique
(?t=<uuid>) and counts only its own requests.
"""
import http.server
import threading
import time
import urllib.parse

KEYWORD = "StatusWatch-OK"
KEYWORD_BODY = ("filler " * 200 + "\n<p>" + KEYWORD + "</p>\n" + "tail " * 20).encode()
assert KEYWORD_BODY.index(KEYWORD.encode()) > 1000


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, host, target):
        self.target = target
        super().__init__((host, 0), _Handler)

    def get_request(self):
        conn, addr = super().get_request()
        with self.target.lock:
            self.target.connections += 1
        return conn, addr


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "TestTarget/1"

    def log_message(self, *args):
        pass

    def _handle(self):
        target = self.server.target
        parsed = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(parsed.query)
        target.record(self.command, self.path, parsed.path, dict(self.headers))
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)

        status, body, headers = 200, b"all good", {}
        path = parsed.path
        if path == "/ok":
            pass
        elif path == "/fail":
            status, body = 500, b"something broke"
        elif path.startswith("/status/"):
            try:
                status = int(path[len("/status/"):])
            except ValueError:
                status = 400
            body = b"status %d" % status
        elif path == "/slow":
            ms = int(query.get("ms", ["1000"])[0])
            time.sleep(ms / 1000)
            body = b"slow but fine"
        elif path == "/keyword":
            body = KEYWORD_BODY
        elif path == "/switch":
            with target.lock:
                status = target.switches.get(query.get("t", [""])[0], 200)
            body = b"switch %d" % status
        elif path == "/regional":
            # Fails for the regions set_region_status named: the checker's User-Agent
            # ends in "(region <name>)".
            agent = self.headers.get("User-Agent", "")
            region = agent.rsplit("(region ", 1)[-1].rstrip(")") if "(region " in agent else ""
            with target.lock:
                status = target.regional.get((query.get("t", [""])[0], region), 200)
            body = b"regional %d" % status
        elif path == "/flap":
            with target.lock:
                t = query.get("t", [""])[0]
                target.flaps[t] = target.flaps.get(t, 0) + 1
                status = 500 if target.flaps[t] % 2 else 200
            body = b"flap %d" % status
        elif path == "/redirect":
            status, body = int(query.get("code", ["302"])[0]), b"moved"
            headers["Location"] = query.get("to", ["/ok"])[0]
        else:
            status, body = 404, b"no such route"
        try:
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD" and status not in (204, 304) and status >= 200:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the checker gave up (timeout) or was killed

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _handle


class Target:
    """One counting HTTP server in a background thread."""

    def __init__(self, host="127.0.0.1"):
        self.lock = threading.Lock()
        self.connections = 0
        self.requests = []  # (time, method, raw path, path, headers)
        self.switches = {}
        self.flaps = {}
        self.regional = {}
        self.server = _Server(host, self)
        self.host = host
        self.port = self.server.server_address[1]
        self.base = f"http://{host}:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True,
                                       kwargs={"poll_interval": 0.05})
        self.thread.start()

    def record(self, method, raw, path, headers):
        with self.lock:
            self.requests.append((time.time(), method, raw, path, headers))

    def set_status(self, t, code):
        with self.lock:
            self.switches[t] = code

    def set_region_status(self, t, region, code):
        with self.lock:
            self.regional[(t, region)] = code

    def url(self, path):
        return self.base + path

    def hits(self, needle=None, path=None):
        """Requests whose raw path (with query) contains needle (all when None),
        optionally only those to one path (without the query)."""
        with self.lock:
            return [r for r in self.requests if (needle is None or needle in r[2])
                    and (path is None or r[3] == path)]

    def count(self, needle=None, path=None):
        return len(self.hits(needle, path))

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class Targets:
    """The allowed target (127.0.0.1) and the forbidden one (127.0.0.2, outside
    SW_CHECKER_ALLOW_CIDRS: no check may ever connect to it)."""

    def __init__(self):
        self.ok = Target("127.0.0.1")
        self.forbidden = Target("127.0.0.2")

    def close(self):
        self.ok.close()
        self.forbidden.close()
