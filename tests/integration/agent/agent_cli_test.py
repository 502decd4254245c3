#!/usr/bin/env python3
"""Runs the real examguard-agent on this machine and checks the signed report against
schemas/agent-report.schema.json, the detections of a running renamed program, and refusals.
Usage: agent_cli_test.py EXAMGUARD_AGENT SOURCE_DIR"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import jsonschema

AGENT = sys.argv[1] if len(sys.argv) > 1 else "examguard-agent"
SOURCE = sys.argv[2] if len(sys.argv) > 2 else "."


def run(*args, lang="en"):
    env = dict(os.environ, EXAMGUARD_LANG=lang)
    return subprocess.run([AGENT, *args], capture_output=True, text=True, env=env, timeout=60)


class AgentCli(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="agent-cli-")
        cls.key = os.path.join(cls.dir, "agent.pem")
        cls.pub = os.path.join(cls.dir, "agent.pub")
        r = run("keygen", "--key", cls.key, "--public-key", cls.pub)
        assert r.returncode == 0, r.stderr
        # A real program under a remote-control tool's name, alive for the whole class.
        cls.tool = os.path.join(cls.dir, "SunloginClient.exe")
        shutil.copy("/bin/sleep", cls.tool)
        cls.proc = subprocess.Popen([cls.tool, "300"])
        cls.report = os.path.join(cls.dir, "report.json")
        cls.result = run("--json", "report", "--out", cls.report, "--key", cls.key)
        with open(os.path.join(SOURCE, "schemas", "agent-report.schema.json"), encoding="utf-8") as f:
            cls.schema = json.load(f)

    @classmethod
    def tearDownClass(cls):
        cls.proc.kill()
        cls.proc.wait()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def load(self):
        with open(self.report, encoding="utf-8") as f:
            return json.load(f)

    def test_key_file_is_private(self):
        self.assertEqual(os.stat(self.key).st_mode & 0o777, 0o600)

    def test_report_matches_schema_and_finds_the_tool(self):
        self.assertEqual(self.result.returncode, 1, self.result.stderr)  # 1: something found
        envelope = self.load()
        jsonschema.Draft202012Validator(self.schema).validate(envelope)
        report = envelope["report"]
        hits = [d for d in report["detections"]
                if d["app"] == "sunlogin" and d["subject"].startswith(f"pid {self.proc.pid} ")]
        self.assertEqual(len(hits), 1, report["detections"])
        self.assertEqual(hits[0]["kind"], "remote_control")
        self.assertEqual(hits[0]["reasons"][0], {"by": "process_name", "value": "SunloginClient.exe"})
        proc = [p for p in report["processes"] if p["pid"] == self.proc.pid][0]
        self.assertEqual(proc["image"], self.tool)
        self.assertEqual(len(proc["sha256"]), 64)
        self.assertEqual({b["item"] for b in report["baseline"]},
                         {"os", "cpu", "memory", "disk", "nic", "camera"})
        # Not Windows 10: the OS line fails here.
        self.assertEqual([b["result"] for b in report["baseline"] if b["item"] == "os"], ["fail"])
        summary = json.loads(self.result.stdout)
        self.assertEqual(summary["report"], self.report)
        self.assertEqual(len(summary["detections"]), len(report["detections"]))

    def test_scan_matches_the_contract(self):
        # ../shared/ARCHITECTURE.md: examguard-agent scan --json
        r = run("--json", "scan", "--no-hash")
        self.assertEqual(r.returncode, 1, r.stderr)
        doc = json.loads(r.stdout)
        self.assertEqual(set(doc), {"host", "interfaces", "detections", "usb"})
        self.assertIsInstance(doc["host"], str)
        for i in doc["interfaces"]:
            self.assertEqual(set(i), {"name", "mac", "ips"})
        kinds = {"process", "installed", "service", "listening", "wireless_peripheral",
                 "virtual_machine"}
        for d in doc["detections"]:
            self.assertEqual(set(d), {"app", "kind", "evidence"})
            self.assertIn(d["kind"], kinds)
        hits = [d for d in doc["detections"] if d["app"] == "sunlogin"]
        self.assertEqual(len(hits), 1, doc["detections"])
        self.assertEqual(hits[0]["kind"], "process")
        self.assertIn(f"pid {self.proc.pid} {self.tool}", hits[0]["evidence"])
        for u in doc["usb"]:
            self.assertEqual(set(u), {"vid", "pid", "name"})
        text = run("scan", "--no-hash", lang="zh_CN")
        self.assertEqual(text.returncode, 1)
        self.assertIn("个进程", text.stdout)
        self.assertIn("SunloginClient.exe", text.stdout)

    def test_verify_ok(self):
        r = run("--json", "verify", self.report, "--public-key", self.pub)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["nonce"], self.load()["report"]["nonce"])

    def test_tampered_report_refused(self):
        envelope = self.load()
        envelope["report"]["detections"] = []
        bad = os.path.join(self.dir, "tampered.json")
        with open(bad, "w", encoding="utf-8") as f:
            json.dump(envelope, f)
        r = run("--json", "verify", bad, "--public-key", self.pub)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(json.loads(r.stdout)["error"]["code"], "signature_invalid")
        self.assertIn("altered or forged", r.stderr)

    def test_other_key_refused(self):
        k2, p2 = os.path.join(self.dir, "other.pem"), os.path.join(self.dir, "other.pub")
        self.assertEqual(run("keygen", "-k", k2, "-p", p2).returncode, 0)
        r = run("verify", self.report, "-p", p2)
        self.assertEqual(r.returncode, 1)
        self.assertIn("different key", r.stderr)

    def test_keygen_refuses_to_overwrite(self):
        r = run("keygen", "-k", self.key, "-p", os.path.join(self.dir, "x.pub"))
        self.assertEqual(r.returncode, 3)

    def test_missing_key_and_bad_catalogue(self):
        out = os.path.join(self.dir, "none.json")
        r = run("report", "-o", out, "-k", os.path.join(self.dir, "missing.pem"), "--no-hash")
        self.assertEqual(r.returncode, 3)
        self.assertIn("missing.pem", r.stderr)
        self.assertFalse(os.path.exists(out))
        cat = os.path.join(self.dir, "cat.json")
        with open(cat, "w", encoding="utf-8") as f:
            f.write('{"apps": [{"app": "x", "name": "X", "ports": [{"first": 9, "last": 1}]}]}')
        r = run("--json", "report", "-o", out, "-k", self.key, "-c", cat)
        self.assertEqual(r.returncode, 3)
        self.assertEqual(json.loads(r.stdout)["error"]["code"], "malformed_data")
        self.assertIn("port range 9-1 is reversed", r.stderr)
        self.assertFalse(os.path.exists(out))

    def test_usage_and_chinese(self):
        self.assertEqual(run("report").returncode, 2)
        r = run("verify", os.path.join(self.dir, "nope.json"), "-p", self.pub, lang="zh_CN")
        self.assertEqual(r.returncode, 3)
        v = run("--version")
        self.assertEqual(v.returncode, 0)
        self.assertIn("examguard-agent", v.stdout)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
