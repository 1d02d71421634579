"""Faults on purpose (issue 16), the short run of bench/faults.sh: under API
traffic through two gateways, checks running back to back and status
changes notified by webhook and e-mail,

1. every process is SIGKILLed in turn (the supervised gateway, every
   RPC service, the checker) and scripts/run.sh's supervisor restarts it;
2. PostgreSQL is stopped and started again;
3. every checker is stopped for a while (SW_FAULTS_CHECKERS_DOWN_S);
4. the mail spool's file system (var/mail, where sw-notify writes e-mail
   without SW_SMTP_URL) fills up: sw-notify says so (a warning naming the
   spool and ENOSPC, the delivery `retrying` with that error in the delivery
   log, sw_notify_deliveries_total{status="retrying",kind="email"} on its
   operations port) and sends the held mail once there is room.

After each fault the system converges by itself: the service answers again
and every endpoint is checked after the fault (the time it took is the
fault's recovery figure). At the end nothing stored is lost or duplicated:
every write answered 201 is stored once and none twice, no check slot is
stored twice and every stored result comes from a check that ran, every
status change is one event and one delivery per channel, each sent and
received (a webhook in flight when sw-notify was killed may arrive twice:
delivery is at least once, and the receiver sees the same event id).
Requests may fail while a service is dead (a killed process cannot answer);
they are counted, not hidden.

SW_FAULTS_LONG=1 (bench/faults.sh) makes the pauses and outages longer and
SW_FAULTS_REPORT=<file> writes the figures there as JSON.
"""
import errno
import json
import os
import signal
import subprocess
import time

import pytest
import requests

from conftest import ROOT, running_stack, start_gateway, wait_for
from fault_helpers import (GATEWAY_ENV, REP_SERVICES, STACK_ENV, Checks, Traffic,
                           add_to_report, notify_attempts, pid_or_none, reported_by_checker,
                           restart, traffic_client)
from notify_helpers import add_channel
from receivers import Receiver

LONG = os.environ.get("SW_FAULTS_LONG") == "1"
PAUSE_S = 10.0 if LONG else 1.5               # load between two faults
CHECKERS_DOWN_S = float(os.environ.get("SW_FAULTS_CHECKERS_DOWN_S", "60" if LONG else "4"))
PG_DOWN_S = 5.0 if LONG else 1.0
DISK_FULL_S = 10.0 if LONG else 2.0
THREADS = 4 if LONG else 3
KILLED = 128 + signal.SIGKILL                 # the status bash's wait gives a SIGKILLed child


@pytest.fixture(scope="module")
def faults_stack():
    # Without SW_SMTP_URL: sw-notify writes e-mail to var/mail (the disk-full fault).
    with running_stack({**STACK_ENV, "SW_SMTP_URL": None}) as st:
        yield st


class Faults:
    def __init__(self, stack, traffic, checks):
        self.stack = stack
        self.traffic = traffic
        self.checks = checks
        self.figures = []

    def checked_since(self, since):
        """Endpoints with a result of a check that started after `since` (Unix seconds)."""
        try:
            return int(self.stack.sql(
                f'SELECT count(DISTINCT endpoint_id) FROM "{self.checks.client.schema}".'
                f"check_results WHERE endpoint_id IN ({self.checks.ids})"
                f" AND checked_at > to_timestamp({since})")[0][0])
        except subprocess.CalledProcessError:
            return 0

    def ready(self):
        try:
            return requests.get(self.stack.base_url + "/health/ready/", timeout=3).status_code == 200
        except requests.RequestException:
            return False

    def converge(self, name, since, **figures):
        """Waits until every service answers and every endpoint was checked after `since`;
        records the fault's figures (recovery: seconds from `since`)."""
        before = self.traffic.snapshot()
        ok = wait_for(lambda: self.ready() and self.checked_since(since) == len(self.checks.tags),
                      timeout=60, interval=0.1)
        assert ok, f"{name}: did not converge within 60 s"
        self.figures.append({"fault": name, "recovery_s": round(time.time() - since, 2),
                             **figures})
        time.sleep(PAUSE_S)
        after = self.traffic.snapshot()
        self.figures[-1]["requests_failed_so_far"] = after.get("failed", 0)
        assert after.get("ok", 0) + after.get("retried", 0) > \
            before.get("ok", 0) + before.get("retried", 0), f"{name}: no request succeeded after"

    def kill(self, name):
        since = time.time()
        answering_s, status = restart(self.stack, name, signal.SIGKILL)
        assert status == KILLED, (name, status)
        self.converge(f"SIGKILL {name}", since, answering_s=round(answering_s, 2))

    def restart_postgres(self):
        st = self.stack
        counts = self.stored_counts()
        env = {**os.environ, "SW_PG_FAST": "1"}
        since = time.time()
        subprocess.run([os.path.join(ROOT, "scripts", "pg.sh"), "stop", st.var_dir], check=True,
                       env=env)
        time.sleep(PG_DOWN_S)
        subprocess.run([os.path.join(ROOT, "scripts", "pg.sh"), "start", st.var_dir], check=True,
                       env=env, capture_output=True)
        down_s = time.time() - since
        after = self.stored_counts()
        assert all(after[k] >= counts[k] for k in counts), (counts, after)
        self.converge("PostgreSQL restart", since, down_s=round(down_s, 2))

    def stored_counts(self):
        """What is stored, to compare across the PostgreSQL restart."""
        schema = self.checks.client.schema
        return {"check_results": int(self.stack.sql(
            f'SELECT count(*) FROM "{schema}".check_results')[0][0]),
            "endpoints": int(self.stack.sql(
                f'SELECT count(*) FROM "{self.traffic.client.schema}".endpoints')[0][0]),
            "events": int(self.stack.sql("SELECT count(*) FROM notify.events")[0][0])}

    def stop_checkers(self):
        st = self.stack
        supervisor = st.pid("checker", ".supervisor")
        old = st.pid("checker")
        os.kill(supervisor, signal.SIGSTOP)
        try:
            os.kill(old, signal.SIGTERM)
            stopped = time.time()
            assert wait_for(lambda: not os.path.exists(f"/proc/{old}") or
                            open(f"/proc/{old}/stat").read().split()[2] == "Z", timeout=30)
            time.sleep(CHECKERS_DOWN_S)
            overdue = int(st.sql("SELECT count(*) FROM monitors.schedule WHERE endpoint_id IN"
                                 f" ({self.checks.ids}) AND due_at < now()")[0][0])
        finally:
            os.kill(supervisor, signal.SIGCONT)
        resumed = time.time()
        assert wait_for(lambda: pid_or_none(st, "checker") not in (None, old), timeout=30)
        self.converge("all checkers stopped", resumed, down_s=round(resumed - stopped, 2),
                      overdue_at_resume=overdue)

    def fill_mail_disk(self, email_channel):
        """var/mail on a small tmpfs, filled up; True if it could be mounted (root)."""
        st = self.stack
        mail = os.path.join(st.var_dir, "mail")
        os.makedirs(mail, exist_ok=True)
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k,mode=0777", "tmpfs",
                                  mail], capture_output=True, text=True)
        if mounted.returncode != 0:
            self.figures.append({"fault": "mail spool full",
                                 "skipped": "cannot mount a tmpfs: " + mounted.stderr.strip()})
            return False
        try:
            fill = os.path.join(mail, "fill")
            retrying_before = notify_attempts(st, "retrying", "email")
            started = time.time()
            try:
                with open(fill, "wb") as f:
                    while True:
                        f.write(b"\0" * 65536)
                        f.flush()
            except OSError as e:
                assert e.errno == errno.ENOSPC, e
            query = ("SELECT count(*) FROM notify.deliveries WHERE channel_id = "
                     f"'{email_channel['id']}' AND status = 'retrying'"
                     " AND error LIKE '%No space left on device%'")
            held = wait_for(lambda: int(st.sql(query)[0][0]) > 0, timeout=30)
            assert held, "no e-mail delivery was held for the full disk"
            detected_s = time.time() - started
            # ... and its metrics count the attempts that could not be written.
            assert wait_for(lambda: notify_attempts(st, "retrying", "email") > retrying_before,
                            timeout=10), "sw_notify_deliveries_total{status=retrying} did not move"
            with open(os.path.join(st.var_dir, "stack.log")) as f:
                assert any('"service":"notify"' in line and "mail spool" in line and
                           "No space left on device" in line for line in f), \
                    "sw-notify did not log the full spool"
            time.sleep(DISK_FULL_S)
            os.unlink(fill)
            freed = time.time()
            pending = ("SELECT count(*) FROM notify.deliveries WHERE channel_id = "
                       f"'{email_channel['id']}' AND status <> 'sent'")
            assert wait_for(lambda: int(st.sql(pending)[0][0]) == 0, timeout=30), \
                st.sql("SELECT status, error FROM notify.deliveries WHERE channel_id = "
                       f"'{email_channel['id']}' AND status <> 'sent'")
            sent_s = time.time() - freed
            spooled = len([n for n in os.listdir(mail) if n.endswith(".eml")])
            assert spooled >= 1
            self.figures.append({"fault": "mail spool full", "detected_s": round(detected_s, 2),
                                 "recovery_s": round(sent_s, 2), "held_mails_then_sent": spooled})
        finally:
            subprocess.run(["umount", "-l", mail], check=False)
        return True


def test_faults_under_load_lose_and_duplicate_nothing(faults_stack, targets):
    st = faults_stack
    receiver = Receiver()
    second, base2 = start_gateway(st, GATEWAY_ENV)
    try:
        checks = Checks(st, targets, receiver)
        email = add_channel(checks.client, "email", "ops@example.com",
                            events=["endpoint_down", "endpoint_up"])
        checks.start()
        traffic = Traffic(st, traffic_client(st), [st.base_url, base2], threads=THREADS,
                          resend_writes=False).start()
        faults = Faults(st, traffic, checks)
        time.sleep(PAUSE_S)
        for name in ["gateway"] + REP_SERVICES + ["checker"]:
            faults.kill(name)
        faults.restart_postgres()
        faults.stop_checkers()
        faults.fill_mail_disk(email)
        traffic.stop()
        checks.stop()

        writes = traffic.check_writes(strict=False)
        accounted = checks.account(exact=False)
        stored, duplicates = reported_by_checker(st)
        summary = {"faults": faults.figures, "traffic": traffic.summary(),
                   "writes_stored": writes, "checks_and_notifications": accounted,
                   "checker_reported": {"stored": stored, "duplicates": duplicates}}
        print(json.dumps(summary, indent=1))
        for key, value in summary.items():
            add_to_report(key, value)
        # What the checker was told was stored is stored (a report whose answer was lost
        # is sent again and counted as duplicates then).
        assert stored <= accounted["checks_stored"] <= accounted["checks_ran"], summary
        assert accounted["transitions"] >= 4, summary
    finally:
        second.terminate()
        second.wait(timeout=30)
        receiver.close()
