#!/usr/bin/env python3
"""The Windows agent (examguard-agent.exe, cross-compiled with mingw-w64 by the normal build)
running for real under Wine (Debian wine64), in a fresh Wine prefix with its own X display
(Xvfb: Wine's programs open windows).

A renamed copy of a real Windows program — Wine's winver.exe, a PE with a VS_VERSIONINFO
resource (OriginalFilename winver.exe), started as C:\\exam\\rc-helper.exe — must be caught by
its version-info, not its name; an Authenticode-signed copy of Wine's notepad.exe (signed here by
a test CA's code-signing certificate) running as C:\\exam\\helpdesk.exe must be caught by its
signer alone. No real remote-control binary can be used here (none is redistributable in
Debian), so the test's catalogue is the built-in one plus two stand-in entries, one naming
winver.exe, one naming the test signer; the matching code is the same for TeamViewer. Windows has no Ed25519 in CNG,
so the report is signed with the PC's RSA key (RSASSA-PSS, SHA-256): the station's OpenSSL must
verify it and refuse it altered. The station then enrols the PC's key and imports the report
like any other; installed as a Windows service (Wine's sc.exe), the agent reports at start-up
and on `report-now`.
Delivery over mutual TLS through SChannel: `examguard agent serve` on loopback, the agent's
`report --to`, `send` and `service --to` under Wine; a replay is refused, and an agent given
another CA, or dialling a name the station is not certified for, sends nothing. A key of an
earlier version (ECDSA P-256) still signs files and is refused for TLS with a clear reason.
Usage: agent_wine_test.py AGENT_EXE EXAMGUARD_AGENT EXAMGUARD SOURCE_DIR"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import hashlib
import signal
import time
import unittest

import jsonschema

from process_lines import Lines

EXE, LINUX_AGENT, EXAMGUARD, SOURCE = (os.path.abspath(a) for a in sys.argv[1:5])
WINE = shutil.which("wine64") or "/usr/lib/wine/wine64"
WINE_PROGRAMS = "/usr/lib/x86_64-linux-gnu/wine/x86_64-windows"
PERIOD = "2026-DG-011"
SIGNER = "Stand-in Remote Software GmbH"


class WindowsAgentUnderWine(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="agent-wine-")
        cls.env = dict(os.environ, WINEPREFIX=os.path.join(cls.dir, "prefix"), WINEDEBUG="-all",
                       EXAMGUARD_LANG="en")
        # Xvfb says which display it took once it is ready (-displayfd): no waiting by time.
        read_end, write_end = os.pipe()
        cls.xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-nolisten", "tcp"],
                                    pass_fds=(write_end,), stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write_end)
        cls.addClassCleanup(cls.stop)
        with os.fdopen(read_end) as f:
            cls.env["DISPLAY"] = ":" + f.readline().strip()
        # The first run creates the prefix (wineboot) and returns when it is ready.
        r = cls.wine(EXE, "--version")
        assert r.returncode == 0 and "examguard-agent" in r.stdout, r.stdout + r.stderr
        exam = os.path.join(cls.env["WINEPREFIX"], "drive_c", "exam")
        os.makedirs(exam)
        shutil.copy(os.path.join(WINE_PROGRAMS, "winver.exe"), os.path.join(exam, "rc-helper.exe"))
        cls.helper = subprocess.Popen([WINE, "C:\\exam\\rc-helper.exe", "/remote", "7070"],
                                      env=cls.env,
                                      stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL)
        # A second stand-in, caught by its Authenticode signer alone: Wine's notepad.exe signed
        # here with osslsigncode by a code-signing certificate of a test CA (no signed Windows
        # program that runs under Wine is in Debian), run as C:\\exam\\helpdesk.exe.
        signed = cls.sign_with_test_certificate(os.path.join(WINE_PROGRAMS, "notepad.exe"))
        shutil.copy(signed, os.path.join(exam, "helpdesk.exe"))
        cls.signed_helper = subprocess.Popen([WINE, "C:\\exam\\helpdesk.exe"], env=cls.env,
                                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                             stderr=subprocess.DEVNULL)
        with open(os.path.join(SOURCE, "schemas", "remote_control_catalogue.json"),
                  encoding="utf-8") as f:
            catalogue = json.load(f)
        catalogue["apps"].append({
            "app": "test_stand_in", "name": "Stand-in remote-control tool (Wine's winver.exe)",
            "process_names": ["winver.exe"], "original_filenames": ["winver.exe"],
            "product_names": [], "signers": [], "install_names": [], "packages": [],
            "services": [], "ports": []})
        catalogue["apps"].append({
            "app": "test_signed_stand_in", "name": "Stand-in signed tool (Wine's notepad.exe)",
            "process_names": [], "original_filenames": [], "product_names": [],
            "signers": [SIGNER], "install_names": [], "packages": [], "services": [],
            "ports": []})
        cls.catalogue = os.path.join(cls.dir, "catalogue.json")
        with open(cls.catalogue, "w", encoding="utf-8") as f:
            json.dump(catalogue, f)
        with open(os.path.join(SOURCE, "schemas", "agent-report.schema.json"),
                  encoding="utf-8") as f:
            cls.schema = json.load(f)
        # The station the reports go to: the demo period, its machine registry and agent CA.
        cls.demo = os.path.join(cls.dir, "demo")
        r = subprocess.run([EXAMGUARD, "demo", "--out", cls.demo, "--json"], capture_output=True,
                           text=True, env=cls.env, timeout=300)
        assert r.returncode == 0, r.stderr

    @classmethod
    def sign_with_test_certificate(cls, program):
        """An Authenticode-signed copy of `program`: a test CA, a code-signing certificate for
        SIGNER, osslsigncode."""
        def openssl(*args):
            subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=cls.dir)
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "sign-ca.key",
                "-out", "sign-ca.crt", "-subj", "/CN=Stand-in Code Signing CA", "-days", "2")
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "sign.key", "-out",
                "sign.csr", "-subj", f"/O={SIGNER}/CN={SIGNER}")
        with open(os.path.join(cls.dir, "sign.ext"), "w", encoding="utf-8") as f:
            f.write("extendedKeyUsage=codeSigning\nkeyUsage=critical,digitalSignature\n")
        openssl("x509", "-req", "-in", "sign.csr", "-CA", "sign-ca.crt", "-CAkey", "sign-ca.key",
                "-CAcreateserial", "-out", "sign.crt", "-days", "2", "-extfile", "sign.ext")
        with open(os.path.join(cls.dir, "sign-chain.crt"), "w", encoding="utf-8") as out:
            for name in ("sign.crt", "sign-ca.crt"):
                with open(os.path.join(cls.dir, name), encoding="utf-8") as f:
                    out.write(f.read())
        signed = os.path.join(cls.dir, "signed.exe")
        subprocess.run(["osslsigncode", "sign", "-certs", "sign-chain.crt", "-key", "sign.key",
                        "-n", "Stand-in helpdesk", "-h", "sha256", "-in", program, "-out",
                        signed], check=True, capture_output=True, cwd=cls.dir)
        return signed

    @classmethod
    def stop(cls):
        """Runs even when setUpClass fails half-way."""
        for helper in (getattr(cls, "helper", None), getattr(cls, "signed_helper", None)):
            if helper:
                helper.kill()
                helper.wait()
        # Ends every Wine process of this prefix (the server waits for them).
        subprocess.run([shutil.which("wineserver") or "/usr/lib/wine/wineserver64", "-k"],
                       env=cls.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=60)
        cls.xvfb.kill()
        cls.xvfb.wait()
        shutil.rmtree(cls.dir, ignore_errors=True)

    @classmethod
    def wine(cls, *args):
        # Output through files, not pipes: the Wine processes a first run starts (wineserver,
        # services.exe) inherit the descriptors and would keep a pipe open forever.
        with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
            p = subprocess.run([WINE, *args], stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                               env=cls.env, cwd=cls.dir, timeout=300)
            out.seek(0)
            err.seek(0)
            return subprocess.CompletedProcess(p.args, p.returncode, out.read(), err.read())

    def station(self, *args):
        return subprocess.run([EXAMGUARD, "--db", os.path.join(self.demo, "station.db"), "--json",
                               *args], capture_output=True, text=True, env=self.env, timeout=120)

    def report_until_helper_runs(self, *extra):
        """Reports until both helpers' processes are in the list (they start asynchronously);
        the deadline, not a fixed wait, bounds it."""
        deadline = time.monotonic() + 120
        while True:
            out = os.path.join(self.dir, "report.json")
            r = self.wine(EXE, "--json", "report", "--out", "report.json", "--key", "agent.pem",
                          "--catalogue", "catalogue.json", *extra)
            self.assertIn(r.returncode, (0, 1), r.stdout + r.stderr)
            with open(out, encoding="utf-8") as f:
                envelope = json.load(f)
            names = {p["name"] for p in envelope["report"]["processes"]}
            if {"rc-helper.exe", "helpdesk.exe"} <= names or time.monotonic() > deadline:
                return r, envelope

    def test_renamed_program_is_caught_by_its_version_info_and_the_report_verifies(self):
        r = self.wine(EXE, "keygen", "--key", "agent.pem", "--public-key", "agent.pub")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        # The private key is standard PKCS#8 the station's OpenSSL reads (RSA, 3072 bits).
        text = subprocess.run(["openssl", "pkey", "-in", os.path.join(self.dir, "agent.pem"),
                               "-noout", "-text"], capture_output=True, text=True, check=True)
        self.assertIn("Private-Key: (3072 bit, 2 primes)", text.stdout)

        r, envelope = self.report_until_helper_runs()
        jsonschema.validate(envelope, self.schema)
        report = envelope["report"]
        helper = [p for p in report["processes"] if p["name"] == "rc-helper.exe"]
        self.assertEqual(len(helper), 1, [p["name"] for p in report["processes"]])
        self.assertEqual(helper[0]["image"], "C:\\exam\\rc-helper.exe")
        self.assertEqual(helper[0]["version_info"]["OriginalFilename"], "winver.exe")
        # Its command line, read from its PEB and split as Windows splits it.
        self.assertEqual(helper[0]["cmdline"][1:], ["/remote", "7070"])
        self.assertTrue(helper[0]["cmdline"][0].lower().endswith("rc-helper.exe"), helper[0])
        self.assertEqual(len(helper[0]["sha256"]), 64)  # hashed through CNG
        with open(os.path.join(WINE_PROGRAMS, "winver.exe"), "rb") as f:
            self.assertEqual(helper[0]["sha256"], hashlib.sha256(f.read()).hexdigest())
        # Wine's own processes are listed too, with their version-info where they have one.
        names = {p["name"] for p in report["processes"]}
        self.assertTrue({"services.exe", "explorer.exe", "examguard-agent.exe"} <= names, names)
        # Caught by version-info, flagged as renamed; exit 1 because something was found.
        self.assertEqual(r.returncode, 1, r.stdout)
        caught = [d for d in report["detections"] if d["app"] == "test_stand_in"]
        self.assertEqual(len(caught), 1, report["detections"])
        self.assertTrue(caught[0]["renamed"])
        self.assertIn({"by": "original_filename", "value": "winver.exe"}, caught[0]["reasons"])
        # The signed copy is caught by its Authenticode signer alone (crypt32 under Wine).
        signed = [p for p in report["processes"] if p["name"] == "helpdesk.exe"]
        self.assertEqual(len(signed), 1, [p["name"] for p in report["processes"]])
        self.assertEqual(signed[0]["signers"],
                         [{"subject_cn": SIGNER, "subject_o": SIGNER,
                           "issuer_cn": "Stand-in Code Signing CA"}])
        by_signer = [d for d in report["detections"] if d["app"] == "test_signed_stand_in"]
        self.assertEqual(len(by_signer), 1, report["detections"])
        self.assertTrue(by_signer[0]["renamed"])
        self.assertEqual(by_signer[0]["reasons"], [{"by": "signer", "value": SIGNER}])
        # usb.ids ships beside the .exe (the build copies it there): USB names come from it.
        self.assertFalse([w for w in report["warnings"] if "usb.ids" in w], report["warnings"])
        # The host: Windows, its adapters and the NET-4 baseline lines.
        self.assertTrue(report["host"]["hostname"])
        self.assertIn("Windows", report["host"]["os_name"])
        self.assertTrue(report["adapters"])
        self.assertEqual({b["item"] for b in report["baseline"]},
                         {"os", "cpu", "memory", "disk", "nic", "camera"})

        # Signed with RSA-PSS through CNG; the station (OpenSSL) verifies it…
        self.assertEqual(envelope["signature"]["algorithm"], "rsa-pss-sha256")
        v = subprocess.run([LINUX_AGENT, "verify", os.path.join(self.dir, "report.json"),
                            "--public-key", os.path.join(self.dir, "agent.pub")],
                           capture_output=True, text=True, env=self.env)
        self.assertEqual(v.returncode, 0, v.stdout + v.stderr)
        # …and refuses it altered.
        envelope["report"]["detections"] = []
        altered = os.path.join(self.dir, "altered.json")
        with open(altered, "w", encoding="utf-8") as f:
            json.dump(envelope, f)
        v = subprocess.run([LINUX_AGENT, "verify", altered, "--public-key",
                            os.path.join(self.dir, "agent.pub")], capture_output=True, text=True,
                           env=self.env)
        self.assertEqual(v.returncode, 1, v.stdout + v.stderr)

        # The station enrols the PC's key and imports the (unaltered) report.
        r = self.station("agent", "enroll", "--period", PERIOD, "--seat", "A04", "--public-key",
                         os.path.join(self.dir, "agent.pub"))
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(json.loads(r.stdout)["fingerprint"],
                         envelope["signature"]["public_key_sha256"])
        r = self.station("agent", "import", os.path.join(self.dir, "report.json"), "--period",
                         PERIOD)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)  # imported, with findings
        findings = json.loads(r.stdout)["findings"]
        self.assertIn(("remote_control", "test_stand_in"),
                      {(f["kind"], f["app"]) for f in findings})
        r = subprocess.run([EXAMGUARD, "--db", os.path.join(self.demo, "station.db"), "log",
                            "verify"], capture_output=True, text=True, env=self.env, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)

    def wait_for(self, what, condition, timeout=120):
        """Polls `condition` until it holds; the deadline, not a fixed wait, bounds it."""
        deadline = time.monotonic() + timeout
        while not condition():
            self.assertLess(time.monotonic(), deadline, f"timed out waiting for {what}")
            time.sleep(0.2)

    def test_service_reports_at_start_up_and_on_demand(self):
        drive = os.path.join(self.env["WINEPREFIX"], "drive_c")
        shutil.copy(EXE, os.path.join(drive, "exam", "examguard-agent.exe"))
        r = self.wine("C:\\exam\\examguard-agent.exe", "keygen", "--key",
                      "C:\\exam\\svc.pem", "--public-key", "C:\\exam\\svc.pub")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        reports = os.path.join(drive, "reports")
        os.makedirs(reports)
        r = self.wine("sc", "create", "ExamGuardAgent", "binpath=",
                      "C:\\exam\\examguard-agent.exe service --key C:\\exam\\svc.pem "
                      "--out-dir C:\\reports --no-hash")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.addCleanup(self.wine, "sc", "delete", "ExamGuardAgent")
        r = self.wine("sc", "start", "ExamGuardAgent")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.addCleanup(self.wine, "sc", "stop", "ExamGuardAgent")
        listing = lambda: sorted(f for f in os.listdir(reports) if f.endswith(".json"))
        self.wait_for("the start-up report", lambda: len(listing()) >= 1)
        self.assertEqual(len(listing()), 1)
        r = self.wine("C:\\exam\\examguard-agent.exe", "report-now")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.wait_for("the requested report", lambda: len(listing()) >= 2)
        for name in listing():
            self.assertRegex(name, r"^report-\d{8}T\d{6}Z-[0-9a-f]{8}\.json$")
            v = subprocess.run([LINUX_AGENT, "verify", os.path.join(reports, name),
                                "--public-key", os.path.join(drive, "exam", "svc.pub")],
                               capture_output=True, text=True, env=self.env)
            self.assertEqual(v.returncode, 0, v.stdout + v.stderr)
        r = self.wine("sc", "stop", "ExamGuardAgent")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.wait_for("the service to stop",
                      lambda: "STOPPED" in self.wine("sc", "query", "ExamGuardAgent").stdout)
        # This copy has no usb.ids beside it: its reports say so, and still come.
        with open(os.path.join(reports, listing()[0]), encoding="utf-8") as f:
            warnings = json.load(f)["report"]["warnings"]
        self.assertTrue([w for w in warnings if w.startswith("usb.ids: ")], warnings)
        # Outside the service manager it says how to run it.
        r = self.wine("C:\\exam\\examguard-agent.exe", "service", "--key",
                      "C:\\exam\\svc.pem", "--out-dir", "C:\\reports")
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("sc create", r.stdout + r.stderr)

    def test_the_built_in_catalogue_does_not_name_the_stand_in(self):
        r = self.wine(EXE, "--json", "scan", "--no-hash")
        self.assertIn(r.returncode, (0, 1), r.stderr)
        scan = json.loads(r.stdout)
        self.assertNotIn("test_stand_in", {d["app"] for d in scan["detections"]})
        self.assertTrue(scan["interfaces"])

    def start_serve(self):
        """`examguard agent serve` on loopback, stopped after the test; returns its events and
        the address it listens on."""
        serve = subprocess.Popen([EXAMGUARD, "--db", os.path.join(self.demo, "station.db"),
                                  "--json", "agent", "serve", "--period", PERIOD, "--listen",
                                  "127.0.0.1:0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 stdin=subprocess.DEVNULL, text=True, env=self.env)

        def stop():
            if serve.poll() is None:
                serve.kill()
                serve.wait()
            serve.stdout.close()
            serve.stderr.close()
        self.addCleanup(stop)
        events = Lines(serve)
        return serve, events, events.next()["listening"]

    def test_delivers_over_mutual_tls_through_schannel(self):
        drive = os.path.join(self.env["WINEPREFIX"], "drive_c")
        exam = os.path.join(drive, "exam")
        r = self.wine(EXE, "keygen", "--key", "C:\\exam\\tls.pem", "--public-key",
                      "C:\\exam\\tls.pub")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        r = self.station("agent", "enroll", "--period", PERIOD, "--seat", "A05", "--public-key",
                         os.path.join(exam, "tls.pub"), "--cert-out", os.path.join(exam, "tls.crt"))
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        r = self.station("agent", "ca-cert", "--period", PERIOD, "--out",
                         os.path.join(exam, "ca.crt"))
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        serve, events, to = self.start_serve()
        tls = ["--key", "C:\\exam\\tls.pem", "--to", to, "--cert", "C:\\exam\\tls.crt",
               "--ca", "C:\\exam\\ca.crt"]

        # One report, written and delivered: SChannel's TLS 1.2 with the RSA client key.
        r = self.wine(EXE, "--json", "report", "--no-hash", "--catalogue", "catalogue.json",
                      "--out", "delivered.json", *tls)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)  # imported, with findings
        answer = json.loads(r.stdout)["answer"]
        self.assertEqual((answer["imported"], answer["seat"]), (True, "A05"), answer)
        record = events.next()
        self.assertEqual((record["peer"], record["seat"], record["nonce"]),
                         ("127.0.0.1", "A05", answer["nonce"]))

        # The same report again is a replay, refused on record.
        r = self.wine(EXE, "--json", "send", "delivered.json", *tls)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("replay", json.loads(r.stdout)["answer"]["error"]["detail"].lower())
        self.assertIn("replay", events.next()["refused"].lower())

        # A station the agent's CA does not vouch for gets no report.
        other_ca = os.path.join(exam, "other-ca.crt")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                        os.path.join(self.dir, "other-ca.key"), "-subj", "/CN=Another CA",
                        "-days", "1", "-out", other_ca], check=True, capture_output=True)
        r = self.wine(EXE, "--json", "send", "delivered.json", *tls[:-1],
                      "C:\\exam\\other-ca.crt")
        self.assertEqual(r.returncode, 3, r.stdout + r.stderr)
        self.assertIn("not issued by the agent CA", json.loads(r.stdout)["error"]["detail"])
        self.assertIn("failed", events.next())  # a handshake, then nothing
        # Nor does a station certified for other names than the one dialled.
        port = to.rsplit(":", 1)[1]
        r = self.wine(EXE, "--json", "send", "delivered.json", *tls[:3], "localhost:" + port,
                      *tls[4:])
        self.assertEqual(r.returncode, 3, r.stdout + r.stderr)
        self.assertIn("not certified for localhost", json.loads(r.stdout)["error"]["detail"])
        self.assertIn("failed", events.next())

        # The Windows service delivers too: at start-up, then on `report-now`.
        shutil.copy(EXE, os.path.join(exam, "examguard-agent.exe"))
        r = self.wine("sc", "create", "ExamGuardAgent", "binpath=",
                      "C:\\exam\\examguard-agent.exe service --no-hash " + " ".join(tls))
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.addCleanup(self.wine, "sc", "delete", "ExamGuardAgent")
        r = self.wine("sc", "start", "ExamGuardAgent")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.addCleanup(self.wine, "sc", "stop", "ExamGuardAgent")
        first = events.next(timeout=120)
        self.assertEqual(first["seat"], "A05", first)
        r = self.wine("C:\\exam\\examguard-agent.exe", "report-now")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        second = events.next(timeout=120)
        self.assertEqual(second["seat"], "A05", second)
        self.assertNotEqual(first["nonce"], second["nonce"])
        r = self.wine("sc", "stop", "ExamGuardAgent")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

        serve.send_signal(signal.SIGTERM)
        summary = events.next()
        self.assertEqual((summary["stopped"], summary["imported"], summary["refused"]),
                         (True, 3, 1), summary)
        self.assertEqual(serve.wait(timeout=60), 0, serve.stderr.read())
        # The key containers were made where SChannel reads them (Wine's CryptoAPI keeps them
        # under this key), and none is left behind.
        r = self.wine("reg", "query", "HKCU\\Software\\Wine\\Crypto\\RSA", "/s")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertNotIn("ExamGuard agent TLS", r.stdout)
        r = subprocess.run([EXAMGUARD, "--db", os.path.join(self.demo, "station.db"), "log",
                            "verify"], capture_output=True, text=True, env=self.env, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_an_earlier_p256_key_signs_files_but_cannot_deliver(self):
        key = os.path.join(self.dir, "p256.pem")
        subprocess.run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt",
                        "ec_paramgen_curve:P-256", "-out", key], check=True, capture_output=True)
        subprocess.run(["openssl", "pkey", "-in", key, "-pubout", "-out",
                        os.path.join(self.dir, "p256.pub")], check=True, capture_output=True)
        r = self.wine(EXE, "report", "--no-hash", "--key", "p256.pem", "--out", "p256.json")
        self.assertIn(r.returncode, (0, 1), r.stdout + r.stderr)
        with open(os.path.join(self.dir, "p256.json"), encoding="utf-8") as f:
            self.assertEqual(json.load(f)["signature"]["algorithm"], "ecdsa-p256-sha256")
        v = subprocess.run([LINUX_AGENT, "verify", os.path.join(self.dir, "p256.json"),
                            "--public-key", os.path.join(self.dir, "p256.pub")],
                           capture_output=True, text=True, env=self.env)
        self.assertEqual(v.returncode, 0, v.stdout + v.stderr)
        r = self.wine(EXE, "--json", "send", "p256.json", "--key", "p256.pem", "--to",
                      "127.0.0.1:9", "--cert", "p256.pub", "--ca", "p256.pub")
        self.assertEqual(r.returncode, 3, r.stdout + r.stderr)
        self.assertIn("is not an RSA key", json.loads(r.stdout)["error"]["detail"])


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
