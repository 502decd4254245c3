#!/usr/bin/env python3
"""Runs the real examguard binary and checks exit codes and --json output against the JSON
Schemas in schemas/cli/. Usage: cli_contract_test.py EXAMGUARD SOURCE_DIR [SHARED_DATA_DIR]"""
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest

import jsonschema

EXAMGUARD = sys.argv[1] if len(sys.argv) > 1 else "examguard"
SOURCE = sys.argv[2] if len(sys.argv) > 2 else "."
DATA = sys.argv[3] if len(sys.argv) > 3 else os.path.join(SOURCE, "..", "shared", "data")


def schema(name):
    with open(os.path.join(SOURCE, "schemas", "cli", name), encoding="utf-8") as f:
        return json.load(f)


def run(*args, stdin=None):
    env = dict(os.environ, EXAMGUARD_LANG="en")
    p = subprocess.run([EXAMGUARD, *args], input=stdin, capture_output=True, text=True, env=env,
                       timeout=120)
    return p.returncode, p.stdout, p.stderr


class CliContract(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="examguard-cli-")
        self.db = os.path.join(self.dir, "demo", "station.db")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def demo(self):
        code, out, err = run("demo", "--out", os.path.join(self.dir, "demo"), "--json")
        self.assertEqual(code, 0, err)
        return json.loads(out)

    def test_version_help_and_usage_errors(self):
        code, out, _ = run("--version")
        self.assertEqual(code, 0)
        self.assertTrue(out.startswith("examguard "))
        code, out, _ = run("--help")
        self.assertEqual(code, 0)
        self.assertIn("period", out)
        code, _, err = run("--no-such-option")
        self.assertEqual(code, 2)
        self.assertIn("--help", err)
        code, _, _ = run("--db", self.db, "user", "add", "x", "--role", "emperor")
        self.assertEqual(code, 2)

    def test_demo_and_log_verify(self):
        summary = self.demo()
        jsonschema.validate(summary, schema("demo.schema.json"))
        self.assertEqual(summary["import"]["candidates"], 12)
        self.assertEqual([(c["decision"], c["liveness"]) for c in summary["checkins"]],
                         [("pass", "live"), ("refuse", "live"), ("refuse", "spoof")])
        self.assertIn("face_mismatch_card", summary["checkins"][1]["reasons"])
        # The planted problems of schemas/examples/demo-period/make_demo_capture.py.
        found = {(f["kind"], f["ip"], f["app"]) for f in summary["netaudit"]["findings"]}
        for expected in [("missing_device", "10.20.1.112", None),
                         ("unregistered_device", "10.20.1.200", None),
                         ("mac_ip_mismatch", "10.20.1.107", None),
                         ("remote_control", "10.20.1.103", "vnc"),
                         ("remote_control", "10.20.1.109", "teamviewer")]:
            self.assertIn(expected, found)
        # Step 5: the drawn clip, recorded as T1-FRONT during the theory sitting. Its lens is
        # covered from 8 s to 14 s (demo_recording.h): that, and nothing else, is found.
        recording = summary["recording"]
        self.assertEqual(recording["camera"], "T1-FRONT")
        self.assertEqual(recording["filmed_at"], "2026-11-25T01:05:00Z")  # 09:05 in Jinan
        self.assertEqual(recording["segments"], 2)  # 20 s in 10 s segments
        self.assertAlmostEqual(recording["frames_analysed"], 100, delta=2)  # 5 fps
        self.assertEqual([e["kind"] for e in recording["events"]], ["covered"])
        self.assertAlmostEqual(recording["events"][0]["start_s"], 8.0, delta=2.0)
        self.assertAlmostEqual(recording["events"][0]["end_s"], 14.0, delta=2.0)
        con = sqlite3.connect(self.db)
        segments = con.execute("SELECT path, sha256, bytes FROM recording_segment ORDER BY "
                               "start_at").fetchall()
        logged = [json.loads(p) for (p,) in con.execute(
            "SELECT payload FROM event_log WHERE kind = 'recording.segment' ORDER BY seq")]
        con.close()
        self.assertEqual(len(segments), 2)
        for (path, sha, size), entry in zip(segments, logged):
            with open(path, "rb") as f:
                data = f.read()
            self.assertEqual(hashlib.sha256(data).hexdigest(), sha)
            self.assertEqual(len(data), size)
            self.assertEqual(entry["sha256"], sha)
        code, out, _ = run("--db", self.db, "log", "verify", "--json")
        self.assertEqual(code, 0)
        doc = json.loads(out)
        jsonschema.validate(doc, schema("log-verify.schema.json"))
        self.assertTrue(doc["intact"])
        # Sealing the archive (step 7) logged one more entry after the verified head.
        self.assertEqual(doc["entries"], summary["log"]["entries"] + 1)
        # The demo's archive verifies offline against the certificate it wrote, and its sealed
        # log ends where step 6 verified it.
        self.assertTrue(summary["archive"]["valid"])
        code, out, err = run("--json", "archive", "verify", summary["archive"]["path"], "--trust",
                             summary["archive"]["certificate"])
        self.assertEqual(code, 0, err)
        archive = json.loads(out)
        jsonschema.validate(archive, schema("archive-verify.schema.json"))
        self.assertTrue(archive["trusted"])
        self.assertEqual(archive["event_log"]["head"], summary["log"]["head"])
        with open(summary["archive"]["report"], encoding="utf-8") as f:
            report = f.read()
        # The planted LAN problems reach the inspector's report with their evidence.
        self.assertIn("10.20.1.109", report)
        self.assertIn("data/lan-findings.json#id=", report)
        # ... and so does the covered camera.
        self.assertIn("data/camera-events.json#", report)

    def test_tampered_log_names_the_entry(self):
        self.demo()
        con = sqlite3.connect(self.db)
        con.executescript("DROP TRIGGER event_log_no_update;"
                          "UPDATE event_log SET payload = '{}' WHERE seq = 1;")
        con.close()
        code, out, _ = run("--db", self.db, "log", "verify", "--json")
        self.assertEqual(code, 1)
        doc = json.loads(out)
        jsonschema.validate(doc, schema("log-verify.schema.json"))
        self.assertEqual(doc["first_bad"]["seq"], 1)
        self.assertEqual(doc["first_bad"]["problem"], "edited")

    def test_refused_import_exit_3_with_issues(self):
        self.demo()
        plan_dir = os.path.join(self.dir, "demo", "plan")
        roster = os.path.join(plan_dir, "roster.csv")
        with open(roster, encoding="utf-8-sig") as f:
            text = f.read()
        with open(roster, "w", encoding="utf-8-sig") as f:
            f.write(text.replace("370105199809286798", "370105199809286799"))
        code, out, err = run("--db", self.db, "period", "import",
                             os.path.join(plan_dir, "plan.json"), "--json")
        self.assertEqual(code, 3, err)
        doc = json.loads(out)
        jsonschema.validate(doc, schema("period-import.schema.json"))
        self.assertFalse(doc["imported"])
        codes = {(i["file"], i["line"], i["field"], i["code"]) for i in doc["issues"]}
        self.assertIn(("roster.csv", 2, "id_number", "bad_id_number.bad_checksum"), codes)
        self.assertNotIn("370105199809286799", out + err, "full ID number printed")

    def test_users_and_lockout(self):
        self.demo()
        code, _, err = run("--db", self.db, "user", "add", "li", "--role", "proctor",
                           "--password-stdin", stdin="good-password\n")
        self.assertEqual(code, 0, err)
        code, out, _ = run("--db", self.db, "user", "login", "li", "--password-stdin", "--json",
                           stdin="good-password\n")
        self.assertEqual(code, 0)
        self.assertEqual(json.loads(out)["role"], "proctor")
        for _ in range(5):
            code, out, _ = run("--db", self.db, "user", "login", "li", "--password-stdin",
                               "--json", stdin="bad-password\n")
            self.assertEqual(code, 1)
            jsonschema.validate(json.loads(out), schema("error.schema.json"))
        code, out, _ = run("--db", self.db, "user", "login", "li", "--password-stdin", "--json",
                           stdin="good-password\n")
        self.assertEqual(code, 1)
        self.assertEqual(json.loads(out)["error"]["code"], "locked")
        code, out, _ = run("--db", self.db, "user", "list", "--json")
        self.assertEqual(code, 0)
        users = {u["login"]: u for u in json.loads(out)["users"]}
        self.assertIsNotNone(users["li"]["locked_until"])
        code, out, _ = run("--db", self.db, "log", "show", "--json")
        self.assertNotIn("bad-password", out)
        self.assertNotIn("good-password", out)

    def test_newer_database_is_refused(self):
        self.demo()
        con = sqlite3.connect(self.db)
        con.execute("PRAGMA user_version = 999")
        con.close()
        code, out, err = run("--db", self.db, "log", "verify", "--json")
        self.assertEqual(code, 3)
        doc = json.loads(out)
        jsonschema.validate(doc, schema("error.schema.json"))
        self.assertEqual(doc["error"]["code"], "schema_too_new")

    def test_platform_settings_errors_and_queue_status(self):
        self.demo()
        code, _, err = run("--db", self.db, "platform", "drain")
        self.assertEqual(code, 1, err)
        self.assertIn("not enabled", err)
        config = os.path.join(self.dir, "bad.toml")
        with open(config, "w", encoding="utf-8") as f:
            f.write("[platform]\nenabled = true\ntimeout_ms = \"soon\"\n")
        code, out, err = run("--db", self.db, "--config", config, "--json", "platform", "drain")
        self.assertEqual(code, 3, err)
        doc = json.loads(out)
        jsonschema.validate(doc, schema("error.schema.json"))
        self.assertIn("bad.toml:3", doc["error"]["detail"])
        code, out, err = run("--db", self.db, "--json", "platform", "status")
        self.assertEqual(code, 0, err)
        self.assertEqual(json.loads(out), {"items": []})

    def test_netaudit_pcap_report_exit_codes_and_storage(self):
        pcaps = os.path.join(DATA, "pcap")
        code, out, err = run("--json", "netaudit", "pcap", os.path.join(pcaps, "ndpi-anydesk.pcapng"))
        self.assertEqual(code, 1, err)
        doc = json.loads(out)
        jsonschema.validate(doc, schema("netaudit-report.schema.json"))
        self.assertEqual({f["app"] for f in doc["findings"]}, {"anydesk"})
        code, out, err = run("--json", "netaudit", "pcap", os.path.join(pcaps, "ndpi-dns.pcap"))
        self.assertEqual(code, 0, err)
        self.assertEqual(json.loads(out)["findings"], [])
        broken = os.path.join(self.dir, "broken.pcap")
        with open(os.path.join(pcaps, "ndpi-teamviewer.pcap"), "rb") as src:
            data = src.read()
        with open(broken, "wb") as dst:
            dst.write(data[:24 + 16 + 74 + 16 + 10])
        code, out, err = run("--json", "netaudit", "pcap", broken)
        self.assertEqual(code, 3, err)
        self.assertIn("after packet 1", json.loads(out)["error"]["detail"])
        code, out, err = run("netaudit", "pcap", os.path.join(pcaps, "ndpi-teamviewer.pcap"), "--csv")
        self.assertEqual(code, 1, err)
        self.assertTrue(out.startswith("kind,ip,mac,app,packet,first_seen,last_seen,evidence\n"))
        self.assertIn("teamviewer", out)
        # With --period the filed machines are the registry and the findings are stored.
        self.demo()
        with sqlite3.connect(self.db) as db:
            before = db.execute("SELECT count(*) FROM lan_finding").fetchone()[0]
            logged_before = db.execute(
                "SELECT count(*) FROM event_log WHERE kind = 'netaudit.audit'").fetchone()[0]
        code, out, err = run("--db", self.db, "--json", "netaudit", "pcap",
                             os.path.join(pcaps, "ndpi-teamviewer.pcap"), "--period", "2026-DG-011")
        self.assertEqual(code, 1, err)
        kinds = {f["kind"] for f in json.loads(out)["findings"]}
        self.assertIn("missing_device", kinds)
        self.assertIn("remote_control", kinds)
        with sqlite3.connect(self.db) as db:
            stored = db.execute("SELECT count(*) FROM lan_finding").fetchone()[0]
            logged = db.execute("SELECT count(*) FROM event_log WHERE kind = 'netaudit.audit'").fetchone()[0]
        self.assertEqual(stored - before, len(json.loads(out)["findings"]))
        self.assertEqual(logged - logged_before, 1)
        code, _, err = run("--db", self.db, "log", "verify")
        self.assertEqual(code, 0, err)

    def test_chinese_is_the_default(self):
        self.demo()
        env = {k: v for k, v in os.environ.items() if k not in ("EXAMGUARD_LANG", "LANG", "LC_ALL",
                                                               "LC_MESSAGES")}
        p = subprocess.run([EXAMGUARD, "--db", self.db, "log", "verify"], capture_output=True,
                           text=True, env=env, timeout=60)
        self.assertEqual(p.returncode, 0)
        self.assertIn("事件日志完整", p.stdout)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
