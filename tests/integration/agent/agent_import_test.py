#!/usr/bin/env python3
"""The station's side of the agent: `examguard agent enroll|import` with real signed reports.

The exam PC is a network namespace holding a veth adapter with a filed seat's MAC and IP, so
the agent's report (made inside it) names that adapter exactly; a renamed copy of a real program
runs as the remote-control tool. Checks the stored findings, refusals of replayed, altered and
unenrolled reports (each on record in the event log) and that the log still verifies.
Delivery over mutual TLS: `agent serve` and the agent (one-shot, `send` and `service`) both run
inside the namespace, on its loopback; replays, altered reports, a report signed by another key
than the connection's certificate, a certificate the station's CA did not issue and a station
the agent's CA does not vouch for are all refused.
Needs root for `ip netns` (CI runs as root); without it the test fails, it does not skip.
Usage: agent_import_test.py EXAMGUARD EXAMGUARD_AGENT SOURCE_DIR"""
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import unittest
import uuid

import jsonschema

from process_lines import Lines

EXAMGUARD, AGENT, SOURCE = (sys.argv[1:4] if len(sys.argv) > 3
                            else ("examguard", "examguard-agent", "."))
PERIOD = "2026-DG-011"


def run(*args, netns=None):
    prefix = ["ip", "netns", "exec", netns] if netns else []
    env = dict(os.environ, EXAMGUARD_LANG="en")
    return subprocess.run(prefix + list(args), capture_output=True, text=True, env=env,
                          timeout=120)


def sh(*args):
    subprocess.run(args, check=True, capture_output=True, text=True)


class AgentImport(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="agent-import-")
        cls.db = os.path.join(cls.dir, "demo", "station.db")
        r = run(EXAMGUARD, "demo", "--out", os.path.join(cls.dir, "demo"), "--json")
        assert r.returncode == 0, r.stderr
        with sqlite3.connect(cls.db) as db:
            cls.filed = {seat: (mac, ip) for seat, mac, ip in
                         db.execute("SELECT seat, mac, ip FROM machine WHERE seat IN ('A02', 'A03')")}
        cls.netns = "eg-agent-" + uuid.uuid4().hex[:8]
        sh("ip", "netns", "add", cls.netns)
        sh("ip", "-n", cls.netns, "link", "set", "lo", "up")  # agent serve listens on it
        cls.tool = os.path.join(cls.dir, "SunloginClient.exe")
        shutil.copy("/bin/sleep", cls.tool)
        cls.proc = subprocess.Popen([cls.tool, "300"])
        with open(os.path.join(SOURCE, "schemas", "cli", "agent-import.schema.json"),
                  encoding="utf-8") as f:
            cls.schema = json.load(f)

    @classmethod
    def tearDownClass(cls):
        cls.proc.kill()
        cls.proc.wait()
        subprocess.run(["ip", "netns", "delete", cls.netns], capture_output=True)
        shutil.rmtree(cls.dir, ignore_errors=True)

    def pc_as(self, seat, ip=None):
        """Gives the namespace's one adapter the filed MAC of `seat` (and its IP unless given)."""
        mac, filed_ip = self.filed[seat]
        subprocess.run(["ip", "-n", self.netns, "link", "delete", "eg0"], capture_output=True)
        # A veth pair (this kernel has no dummy driver); its peer is an unfiled second adapter.
        sh("ip", "-n", self.netns, "link", "add", "eg0", "type", "veth", "peer", "name", "eg1")
        sh("ip", "-n", self.netns, "link", "set", "eg0", "address", mac, "up")
        sh("ip", "-n", self.netns, "addr", "add", (ip or filed_ip) + "/24", "dev", "eg0")

    def keypair(self, name):
        key, pub = (os.path.join(self.dir, name + ext) for ext in (".pem", ".pub"))
        r = run(AGENT, "keygen", "--key", key, "--public-key", pub)
        self.assertEqual(r.returncode, 0, r.stderr)
        return key, pub

    def report(self, key, name):
        path = os.path.join(self.dir, name + ".json")
        r = run(AGENT, "report", "--out", path, "--key", key, "--no-hash", netns=self.netns)
        self.assertEqual(r.returncode, 1, r.stderr)  # 1: it detected the running tool
        return path

    def start(self, *args):
        """A long-running program inside the PC's namespace, killed and closed after the test."""
        p = subprocess.Popen(["ip", "netns", "exec", self.netns, *args], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True,
                             env=dict(os.environ, EXAMGUARD_LANG="en"))

        def stop():
            if p.poll() is None:
                p.kill()
                p.wait()
            p.stdout.close()
            p.stderr.close()
        self.addCleanup(stop)
        return p

    def station(self, *args):
        return run(EXAMGUARD, "--db", self.db, "--json", "agent", *args)

    def count(self, sql):
        with sqlite3.connect(self.db) as db:
            return db.execute(sql).fetchone()[0]

    def test_delivery_over_mutual_tls(self):
        key, pub = self.keypair("a03")
        cert = os.path.join(self.dir, "a03.crt")
        r = self.station("enroll", "--period", PERIOD, "--seat", "A03", "--public-key", pub,
                         "--cert-out", cert)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["certificate"], cert)
        ca = os.path.join(self.dir, "agent-ca.crt")
        r = self.station("ca-cert", "--period", PERIOD, "--out", ca)
        self.assertEqual(r.returncode, 0, r.stderr)
        ca_sha = json.loads(r.stdout)["sha256"]
        # The issued certificate chains to that CA, for client authentication, for A03's key.
        sh("openssl", "verify", "-CAfile", ca, "-purpose", "sslclient", cert)
        cert_key = subprocess.run(["openssl", "x509", "-in", cert, "-noout", "-pubkey"],
                                  capture_output=True, text=True, check=True).stdout
        with open(pub, encoding="utf-8") as f:
            self.assertEqual(cert_key.strip(), f.read().strip())

        self.pc_as("A03")
        serve = self.start(EXAMGUARD, "--db", self.db, "--json", "agent", "serve", "--period",
                           PERIOD, "--listen", "127.0.0.1:0")
        events = Lines(serve)
        started = events.next()
        self.assertEqual(started["ca_sha256"], ca_sha)
        to = started["listening"]
        self.assertTrue(to.startswith("127.0.0.1:"), started)
        tls = ["--to", to, "--cert", cert, "--ca", ca]

        def agent(*args, extra=()):
            return run(AGENT, "--json", *args, "--key", key, *tls, *extra, netns=self.netns)

        imports_before = self.count("SELECT count(*) FROM event_log WHERE kind = 'agent.import'")
        delivered = os.path.join(self.dir, "delivered.json")
        r = agent("report", "--no-hash", "--out", delivered)
        self.assertEqual(r.returncode, 1, r.stderr)  # imported, with findings
        answer = json.loads(r.stdout)["answer"]
        jsonschema.validate(answer, self.schema)
        self.assertEqual(answer["seat"], "A03")
        self.assertIn("sunlogin", {f["app"] for f in answer["findings"]
                                   if f["kind"] == "remote_control"})
        record = events.next()
        self.assertEqual((record["peer"], record["seat"], record["nonce"]),
                         ("127.0.0.1", "A03", answer["nonce"]))
        self.assertEqual(self.count("SELECT count(*) FROM event_log WHERE kind = 'agent.import'"),
                         imports_before + 1)

        refused_before = self.count(
            "SELECT count(*) FROM event_log WHERE kind = 'agent.import_refused'")
        # The same report again: a replay.
        r = agent("send", delivered)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("replay", json.loads(r.stdout)["answer"]["error"]["detail"].lower())
        self.assertIn("replay", events.next()["refused"].lower())
        # Altered after signing.
        with open(delivered, encoding="utf-8") as f:
            envelope = json.load(f)
        envelope["report"]["detections"] = []
        envelope["report"]["nonce"] = "1" * 32
        altered = os.path.join(self.dir, "altered-tls.json")
        with open(altered, "w", encoding="utf-8") as f:
            json.dump(envelope, f)
        r = agent("send", altered)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertEqual(json.loads(r.stdout)["answer"]["error"]["code"], "invalid")
        self.assertIn("refused", events.next())
        # Signed by another key than the one A03's certificate certifies.
        other_key, _ = self.keypair("other")
        other_report = self.report(other_key, "other")
        r = agent("send", other_report)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("another key", json.loads(r.stdout)["answer"]["error"]["detail"])
        self.assertIn("another key", events.next()["refused"])
        # A certificate the station's CA did not issue: the handshake is refused, on record.
        forged = os.path.join(self.dir, "forged.crt")
        sh("openssl", "req", "-x509", "-key", other_key, "-subj", "/CN=seat A03", "-days", "1",
           "-out", forged)
        r = run(AGENT, "--json", "send", other_report, "--key", other_key, "--to", to,
                "--cert", forged, "--ca", ca, netns=self.netns)
        self.assertEqual(r.returncode, 3, r.stdout)
        self.assertIn("certificate refused", events.next()["refused"])
        self.assertEqual(self.count(
            "SELECT count(*) FROM event_log WHERE kind = 'agent.import_refused'"),
            refused_before + 4)
        # A station the agent's CA does not vouch for: the agent sends nothing.
        r = run(AGENT, "--json", "send", delivered, "--key", key, "--to", to, "--cert", cert,
                "--ca", forged, netns=self.netns)
        self.assertEqual(r.returncode, 3, r.stdout)
        self.assertIn("not trusted", json.loads(r.stdout)["error"]["detail"])
        self.assertIn("failed", events.next())  # the station saw a handshake abandoned

        # The service: a report at start-up, another on SIGUSR1, stopped by SIGTERM.
        service = self.start(AGENT, "--json", "service", "--key", key, "--no-hash", *tls)
        first_nonce = events.next()["nonce"]
        service.send_signal(signal.SIGUSR1)
        second_nonce = events.next()["nonce"]
        self.assertNotEqual(first_nonce, second_nonce)
        service.send_signal(signal.SIGTERM)
        self.assertEqual(service.wait(timeout=60), 0, service.stderr.read())

        serve.send_signal(signal.SIGTERM)
        summary = events.next()
        self.assertEqual((summary["stopped"], summary["imported"], summary["refused"]),
                         (True, 3, 4), summary)
        self.assertEqual(serve.wait(timeout=60), 0, serve.stderr.read())
        self.assertEqual(self.count(
            "SELECT count(*) FROM agent_report r JOIN machine m ON m.id = r.machine_id "
            "WHERE m.seat = 'A03'"), 3)
        r = run(EXAMGUARD, "--db", self.db, "log", "verify")
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_enroll_import_and_refusals(self):
        key, pub = self.keypair("a02")
        r = self.station("enroll", "--period", PERIOD, "--seat", "A02", "--public-key", pub)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(json.loads(r.stdout)["fingerprint"]), 64)
        # One key per seat, one seat per key, and only filed seats.
        r = self.station("enroll", "--period", PERIOD, "--seat", "A02", "--public-key", pub)
        self.assertEqual((r.returncode, json.loads(r.stdout)["error"]["code"]), (1, "conflict"))
        _, other_pub = self.keypair("nowhere")
        r = self.station("enroll", "--period", PERIOD, "--seat", "Z99", "--public-key", other_pub)
        self.assertEqual((r.returncode, json.loads(r.stdout)["error"]["code"]), (1, "not_found"))
        r = self.station("enroll", "--period", PERIOD, "--seat", "A03", "--public-key", self.db)
        self.assertEqual(r.returncode, 3, r.stderr)

        # The PC at A02 as filed, running a renamed remote-control tool.
        self.pc_as("A02")
        first = self.report(key, "first")
        findings_before = self.count("SELECT count(*) FROM lan_finding WHERE source = 'agent'")
        r = self.station("import", first, "--period", PERIOD)
        self.assertEqual(r.returncode, 1, r.stderr)  # findings present
        doc = json.loads(r.stdout)
        jsonschema.validate(doc, self.schema)
        self.assertEqual(doc["seat"], "A02")
        remote = [f for f in doc["findings"] if f["kind"] == "remote_control"]
        self.assertIn("sunlogin", {f["app"] for f in remote}, doc)
        self.assertTrue(all(f["seat"] == "A02" and f["mac"] == self.filed["A02"][0]
                            for f in remote), remote)
        self.assertNotIn("mac_ip_mismatch", {f["kind"] for f in doc["findings"]})
        self.assertNotIn("unregistered_device", {f["kind"] for f in doc["findings"]})
        self.assertEqual(self.count("SELECT count(*) FROM lan_finding WHERE source = 'agent'"),
                         findings_before + len(doc["findings"]))

        # The same file again is a replay: refused, on record, nothing stored.
        refused_before = self.count("SELECT count(*) FROM event_log WHERE kind = 'agent.import_refused'")
        r = self.station("import", first, "--period", PERIOD)
        self.assertEqual(r.returncode, 1)
        self.assertIn("replay", json.loads(r.stdout)["error"]["detail"].lower())
        # An altered report (a detection removed) fails its signature.
        with open(first, encoding="utf-8") as f:
            envelope = json.load(f)
        envelope["report"]["detections"] = []
        envelope["report"]["nonce"] = "0" * 32
        altered = os.path.join(self.dir, "altered.json")
        with open(altered, "w", encoding="utf-8") as f:
            json.dump(envelope, f)
        r = self.station("import", altered, "--period", PERIOD)
        self.assertEqual((r.returncode, json.loads(r.stdout)["error"]["code"]), (1, "invalid"))
        # A report signed by a key no seat is enrolled with.
        stranger_key, _ = self.keypair("stranger")
        r = self.station("import", self.report(stranger_key, "stranger"), "--period", PERIOD)
        self.assertEqual((r.returncode, json.loads(r.stdout)["error"]["code"]), (1, "invalid"))
        self.assertIn("enroll", json.loads(r.stdout)["error"]["detail"])
        self.assertEqual(self.count("SELECT count(*) FROM event_log WHERE kind = 'agent.import_refused'"),
                         refused_before + 3)
        self.assertEqual(self.count("SELECT count(*) FROM lan_finding WHERE source = 'agent'"),
                         findings_before + len(doc["findings"]))
        # Not JSON at all: unreadable input, exit 3.
        junk = os.path.join(self.dir, "junk.json")
        with open(junk, "wb") as f:
            f.write(b"\x00{not json")
        r = self.station("import", junk, "--period", PERIOD)
        self.assertEqual(r.returncode, 3, r.stdout)

        # A02's key on a PC with A03's MAC: the machine was swapped.
        self.pc_as("A03")
        r = self.station("import", self.report(key, "swapped"), "--period", PERIOD)
        self.assertEqual(r.returncode, 1, r.stderr)
        mismatch = [f for f in json.loads(r.stdout)["findings"] if f["kind"] == "mac_ip_mismatch"]
        self.assertEqual(len(mismatch), 1, r.stdout)
        self.assertIn("A02", mismatch[0]["evidence"])
        # A02's MAC with another address than filed.
        self.pc_as("A02", ip="10.20.1.250")
        r = self.station("import", self.report(key, "readdressed"), "--period", PERIOD)
        mismatch = [f for f in json.loads(r.stdout)["findings"] if f["kind"] == "mac_ip_mismatch"]
        self.assertEqual([f["ip"] for f in mismatch], ["10.20.1.250"], r.stdout)

        r = run(EXAMGUARD, "--db", self.db, "log", "verify")
        self.assertEqual(r.returncode, 0, r.stderr)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
