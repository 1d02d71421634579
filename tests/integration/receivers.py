"""Local stand-ins that speak the wire protocols sw-notify talks to: an SMTP
sink (Debian's python3-aiosmtpd) and HTTP receivers shaped like a Slack
incoming webhook or a generic webhook. They record what arrived; a receiver
can be told what to answer next, to redirect, or to refuse connections."""
import email
import email.policy
import http.server
import socket
import sys
import threading
import time

from aiosmtpd.controller import Controller


def free_port(host="127.0.0.1"):
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class SmtpSink:
    """Accepts every message; keeps (envelope from, recipients, parsed message)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages = []
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), msg))
        return "250 OK"

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()

    @property
    def url(self):
        return f"smtp://127.0.0.1:{self.port}"

    def to(self, address):
        with self.lock:
            return [m for (_, rcpt, m) in self.messages if address in rcpt]


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256  # sw-notify opens up to 64 connections at once

    def __init__(self, host, port, receiver):
        self.receiver = receiver
        super().__init__((host, port), _Handler)

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a sender killed mid-transfer
            super().handle_error(request, client_address)

    def get_request(self):
        conn, addr = super().get_request()
        with self.receiver.lock:
            self.receiver.connections += 1
        return conn, addr


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        r = self.server.receiver
        status, location = r.next_answer()
        r.record(self.path, dict(self.headers), body, status)
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    do_GET = do_PUT = do_POST


class Receiver:
    """An HTTP receiver: records every request (path, headers, body, answered status)."""

    def __init__(self, host="127.0.0.1"):
        self.lock = threading.Lock()
        self.connections = 0
        self.requests = []
        self.answers = []        # statuses to answer next, in order; then 200
        self.redirect_to = None  # answer 302 to this URL
        self.host = host
        self.server = None
        self.port = 0
        self._serve()
        self.url = f"http://{host}:{self.port}/hook"

    def _serve(self):
        self.server = _Server(self.host, self.port, self)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True,
                                       kwargs={"poll_interval": 0.05})
        self.thread.start()

    def go_down(self):
        """Stops listening: connections to the port are refused until come_back()."""
        self.close()

    def come_back(self):
        self._serve()

    def next_answer(self):
        with self.lock:
            if self.redirect_to:
                return 302, self.redirect_to
            return (self.answers.pop(0) if self.answers else 200), None

    def record(self, path, headers, body, status):
        with self.lock:
            self.requests.append({"time": time.time(), "path": path, "headers": headers,
                                  "body": body, "status": status})

    def received(self, status=None):
        with self.lock:
            return [r for r in self.requests if status is None or r["status"] == status]

    def close(self):
        self.server.shutdown()
        self.server.server_close()
