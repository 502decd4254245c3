#!/usr/bin/env python3
"""RFC 3161 time-stamps on sealed archives, against a real time-stamping authority: OpenSSL's
`openssl ts -reply` behind an HTTP server on loopback, with its own CA. Checks the stamped
archive verifies with the TSA's anchor, that a wrong anchor or a missing stamp fails, and that a
TSA that is down, answers garbage, an HTTP error or a reply to another request fails the seal
with nothing written and nothing logged.
Usage: archive_timestamp_test.py EXAMGUARD SOURCE_DIR"""
import datetime
import http.server
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from archive_test import PERIOD, Station, codes, openssl, run, schema, verify  # noqa: E402

import jsonschema  # noqa: E402

TS_CONFIG = """
[ tsa ]
default_tsa = tsa_config1
[ tsa_config1 ]
dir = {dir}
serial = $dir/tsaserial
crypto_device = builtin
signer_cert = $dir/tsa.crt
certs = $dir/tsa-root.crt
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


class Tsa:
    """An RFC 3161 TSA on 127.0.0.1; `mode` says how it answers the next requests."""

    def __init__(self, root):
        self.dir = os.path.join(root, "tsa")
        os.makedirs(self.dir)
        d = self.dir
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", f"{d}/root.key", "-out", f"{d}/tsa-root.crt", "-subj",
                "/CN=Test TSA Root", "-days", "3650", "-addext",
                "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign")
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", f"{d}/tsa.key", "-out", f"{d}/tsa.csr", "-subj", "/CN=Test TSA")
        with open(f"{d}/ext.cnf", "w") as f:
            f.write("extendedKeyUsage=critical,timeStamping\nkeyUsage=critical,digitalSignature\n")
        openssl("x509", "-req", "-in", f"{d}/tsa.csr", "-CA", f"{d}/tsa-root.crt", "-CAkey",
                f"{d}/root.key", "-CAcreateserial", "-out", f"{d}/tsa.crt", "-days", "3650",
                "-extfile", f"{d}/ext.cnf")
        with open(f"{d}/tsaserial", "w") as f:
            f.write("01\n")
        with open(f"{d}/ts.cnf", "w") as f:
            f.write(TS_CONFIG.format(dir=d))
        self.root_cert = f"{d}/tsa-root.crt"
        self.mode = "ok"
        self.replies = []
        tsa = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                query = self.rfile.read(int(self.headers["Content-Length"]))
                body, status = tsa.answer(query)
                self.send_response(status)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/tsa"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def answer(self, query):
        if self.mode == "http_error":
            return b"busy", 503
        if self.mode == "garbage":
            return b"\x30\x03\x02\x01\x00garbage", 200
        if self.mode == "replay" and self.replies:
            return self.replies[0], 200  # a genuine reply, but to an earlier request
        qfile, rfile = os.path.join(self.dir, "q.tsq"), os.path.join(self.dir, "r.tsr")
        with open(qfile, "wb") as f:
            f.write(query)
        openssl("ts", "-reply", "-config", os.path.join(self.dir, "ts.cnf"), "-queryfile", qfile,
                "-out", rfile)
        with open(rfile, "rb") as f:
            reply = f.read()
        self.replies.append(reply)
        return reply, 200

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def closed_port_url():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}/tsa"  # nothing listens once closed


class ArchiveTimestamp(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="examguard-tsa-")
        cls.station = Station(cls.dir)
        cls.tsa = Tsa(cls.dir)
        cls.stamped = os.path.join(cls.dir, "stamped.zip")
        cls.code, cls.sealed, cls.err = cls.station.seal(cls.stamped, "--tsa", cls.tsa.url)

    @classmethod
    def tearDownClass(cls):
        cls.tsa.close()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def sealed_count(self):
        with sqlite3.connect(self.station.db) as db:
            return db.execute("SELECT count(*) FROM event_log WHERE kind = 'archive.sealed'"
                              ).fetchone()[0]

    def test_stamped_archive_verifies_with_the_tsa_anchor(self):
        self.assertEqual(self.code, 0, self.err)
        jsonschema.validate(self.sealed, schema("cli/archive-seal.schema.json"))
        stamp = self.sealed["timestamp"]
        self.assertIn("Test TSA", stamp["authority"])
        stamped_at = datetime.datetime.fromisoformat(stamp["time"].replace("Z", "+00:00"))
        now = datetime.datetime.now(datetime.timezone.utc)
        self.assertLess(abs((now - stamped_at).total_seconds()), 600)
        code, doc, err = verify(self.stamped, "--trust", self.station.cert, "--tsa-trust",
                                self.tsa.root_cert)
        self.assertEqual(code, 0, (doc, err))
        self.assertEqual(doc["timestamp"], {"time": stamp["time"],
                                            "authority": stamp["authority"], "trusted": True})
        self.assertTrue(doc["trusted"])
        # Without the TSA's anchor the stamp still has to match; the TSA is not vouched for.
        code, doc, err = verify(self.stamped, "--trust", self.station.cert)
        self.assertEqual(code, 0, err)
        self.assertFalse(doc["timestamp"]["trusted"])
        self.assertTrue(any("TSA" in w for w in doc["warnings"]), doc["warnings"])

    def test_wrong_tsa_anchor_and_missing_stamp_fail(self):
        code, doc, _ = verify(self.stamped, "--trust", self.station.cert, "--tsa-trust",
                              self.station.cert)
        self.assertEqual(code, 1)
        self.assertEqual(codes(doc), {"timestamp_trust"})
        plain = os.path.join(self.dir, "plain.zip")
        code, sealed, err = self.station.seal(plain)
        self.assertEqual(code, 0, err)
        self.assertIsNone(sealed["timestamp"])
        code, doc, _ = verify(plain, "--trust", self.station.cert, "--tsa-trust",
                              self.tsa.root_cert)
        self.assertEqual(code, 1)
        self.assertEqual(codes(doc), {"timestamp"})
        self.assertIsNone(doc["timestamp"])

    def test_failing_tsa_fails_the_seal_and_writes_nothing(self):
        before = self.sealed_count()
        cases = [("down", closed_port_url(), 3), ("http_error", self.tsa.url, 3),
                 ("garbage", self.tsa.url, 3), ("replay", self.tsa.url, 1)]
        for mode, url, exit_code in cases:
            with self.subTest(mode=mode):
                self.tsa.mode = mode
                out = os.path.join(self.dir, f"failed-{mode}.zip")
                code, doc, err = self.station.seal(out, "--tsa", url)
                self.tsa.mode = "ok"
                self.assertEqual(code, exit_code, (doc, err))
                self.assertIn("error", doc)
                self.assertFalse(os.path.exists(out), mode)
                self.assertEqual([n for n in os.listdir(self.dir) if n.startswith("failed-")], [])
        self.assertEqual(self.sealed_count(), before)
        code, _, err = run("--db", self.station.db, "log", "verify")
        self.assertEqual(code, 0, err)

    def test_configured_tsa_and_no_timestamp(self):
        config = os.path.join(self.dir, "demo", "station.toml")
        with open(config, "a", encoding="utf-8") as f:
            f.write(f'\n[archive]\ntsa_url = "{self.tsa.url}"\n')
        try:
            code, sealed, err = self.station.seal(os.path.join(self.dir, "configured.zip"))
            self.assertEqual(code, 0, err)
            self.assertIn("Test TSA", sealed["timestamp"]["authority"])
            code, sealed, err = self.station.seal(os.path.join(self.dir, "unstamped.zip"),
                                                  "--no-timestamp")
            self.assertEqual(code, 0, err)
            self.assertIsNone(sealed["timestamp"])
            code, _, err = self.station.seal(os.path.join(self.dir, "bad.zip"), "--tsa",
                                             "ftp://tsa.example")
            self.assertEqual(code, 2, err)
        finally:
            with open(config, encoding="utf-8") as f:
                text = f.read()
            with open(config, "w", encoding="utf-8") as f:
                f.write(text.split("\n[archive]\n")[0])


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
