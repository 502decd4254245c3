#!/usr/bin/env python3
"""examguard keys / archive seal / archive verify on a real demo period: the round trip, every
kind of tampering the issue names, and hostile archives. Archives are real ZIP files written by
the binary; tampered copies are made with Python's zipfile, as a forger would.
Usage: archive_test.py EXAMGUARD SOURCE_DIR"""
import hashlib
import io
import json
import os
import random
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import unittest
import zipfile

import jsonschema

EXAMGUARD = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "examguard"
SOURCE = sys.argv[2] if len(sys.argv) > 2 else "."
PERIOD = "2026-DG-011"


def schema(name):
    with open(os.path.join(SOURCE, "schemas", *name.split("/")), encoding="utf-8") as f:
        return json.load(f)


def run(*args, cwd=None):
    env = dict(os.environ, EXAMGUARD_LANG="en")
    p = subprocess.run([EXAMGUARD, *args], capture_output=True, text=True, env=env, timeout=300,
                       cwd=cwd)
    return p.returncode, p.stdout, p.stderr


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True)


class Station:
    """A demo station with a signing key, built once per test class."""

    def __init__(self, root):
        self.root = root
        self.db = os.path.join(root, "demo", "station.db")
        code, _, err = run("demo", "--out", os.path.join(root, "demo"))
        assert code == 0, err
        code, _, err = run("--db", self.db, "keys", "init", "--replace", "--org", "测试考点")
        assert code == 0, err
        self.cert = os.path.join(root, "demo", "keys", "signing.crt")

    def seal(self, out, *extra):
        code, stdout, err = run("--db", self.db, "--json", "archive", "seal", "--period", PERIOD,
                                "--out", out, *extra)
        return code, (json.loads(stdout) if stdout.strip() else None), err


def verify(path, *extra):
    code, out, err = run("--json", "archive", "verify", path, *extra)
    doc = json.loads(out) if out.strip() else None
    if doc is not None:
        jsonschema.validate(doc, schema("cli/archive-verify.schema.json"))
    return code, doc, err


def codes(doc):
    return {e["code"] for e in doc["errors"]}


def rewrite(src, dst, transform):
    """Copies a ZIP member by member through transform(list of (ZipInfo, bytes)) -> list."""
    with zipfile.ZipFile(src) as z:
        items = [(info, z.read(info)) for info in z.infolist()]
        comment = z.comment
    items = transform(items)
    with zipfile.ZipFile(dst, "w") as out:
        for info, data in items:
            out.writestr(info, data)
        out.comment = comment  # a forger keeps the seal; it no longer matches


class ArchiveRoundTrip(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="examguard-archive-")
        cls.station = Station(cls.dir)
        cls.archive = os.path.join(cls.dir, "period.zip")
        code, cls.sealed, err = cls.station.seal(cls.archive)
        assert code == 0, err

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def test_seal_output_and_bag_layout(self):
        jsonschema.validate(self.sealed, schema("cli/archive-seal.schema.json"))
        self.assertEqual(self.sealed["personal_data"], "omitted")
        self.assertEqual(self.sealed["keep_until"], "2032-11-26")  # six years after the last sitting
        with open(self.archive, "rb") as f:
            self.assertEqual(hashlib.sha256(f.read()).hexdigest(), self.sealed["sha256"])
        with zipfile.ZipFile(self.archive) as z:
            names = z.namelist()
            self.assertEqual(names[-5:], ["bagit.txt", "bag-info.txt", "manifest-sha256.txt",
                                          "tagmanifest-sha256.txt",
                                          "tagmanifest-sha256.txt.p7s"])
            for required in ["data/plan.json", "data/roster.json", "data/checkins.json",
                             "data/impersonation-alerts.json", "data/lan-findings.json",
                             "data/camera-events.json", "data/recordings/index.json",
                             "data/reports/record-reports.json",
                             "data/reports/score-summary.json", "data/event-log.jsonl",
                             "data/summary.json"]:
                self.assertIn(required, names)
            summary = json.loads(z.read("data/summary.json"))
            jsonschema.validate(summary, schema("archive-summary.schema.json"))
            self.assertEqual(summary["period"]["code"], PERIOD)
            info = z.read("bag-info.txt").decode()
            self.assertIn("ExamGuard-Keep-Until: 2032-11-26", info)
            self.assertIn("ExamGuard-Retention-Class: special_operations", info)
            # The manifest is what sha256sum would say about each payload member.
            for line in z.read("manifest-sha256.txt").decode().splitlines():
                digest, name = line.split(None, 1)
                self.assertEqual(hashlib.sha256(z.read(name)).hexdigest(), digest, name)
            # Nothing of a candidate in the clear: roster and check-ins carry masked ID numbers.
            roster = json.loads(z.read("data/roster.json"))
            self.assertEqual(len(roster), 12)
            for row in roster:
                self.assertRegex(row["id_number_masked"], r"^\d{6}\*{8}[\dX]{4}$")
            reports = json.loads(z.read("data/reports/record-reports.json"))
            self.assertEqual({(r["subject"], r["round"]) for r in reports},
                             {("theory", "main"), ("theory", "retake"),
                              ("practical", "main"), ("practical", "retake")})
        # The seal itself is logged.
        con = sqlite3.connect(self.station.db)
        kinds = [r[0] for r in con.execute("SELECT kind FROM event_log ORDER BY seq")]
        con.close()
        self.assertEqual(kinds[-1], "archive.sealed")

    def test_round_trip_verifies_against_station_certificate(self):
        code, doc, err = verify(self.archive, "--trust", self.station.cert)
        self.assertEqual(code, 0, doc)
        self.assertTrue(doc["valid"])
        self.assertTrue(doc["trusted"])
        self.assertEqual(doc["errors"], [])
        self.assertIn("测试考点", doc["signer"])
        self.assertEqual(doc["event_log"]["head"], self.sealed["event_log_head"])
        self.assertEqual(doc["files"], self.sealed["files"])

    def test_without_trust_anchor_is_intact_but_warns(self):
        code, doc, _ = verify(self.archive)
        self.assertEqual(code, 0)
        self.assertFalse(doc["trusted"])
        self.assertTrue(any("trust anchor" in w for w in doc["warnings"]))

    def test_wrong_trust_anchor_fails(self):
        other = os.path.join(self.dir, "other")
        os.makedirs(other)
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", os.path.join(other, "k.pem"), "-out",
                os.path.join(other, "c.pem"), "-subj", "/CN=Someone else", "-days", "30")
        code, doc, _ = verify(self.archive, "--trust", os.path.join(other, "c.pem"))
        self.assertEqual(code, 1)
        self.assertEqual(codes(doc), {"trust"})

    def test_every_sampled_byte_flip_is_caught(self):
        with open(self.archive, "rb") as f:
            original = f.read()
        rng = random.Random(20261123)
        # Evenly spread over the whole file (headers, data, central directory, end record and
        # seal), plus random positions.
        positions = sorted(set([i * len(original) // 48 for i in range(48)] +
                               [len(original) - 1 - i for i in range(0, 30, 3)] +
                               rng.sample(range(len(original)), 40)))
        tampered = os.path.join(self.dir, "flip.zip")
        for pos in positions:
            data = bytearray(original)
            data[pos] ^= 1 << rng.randrange(8)
            with open(tampered, "wb") as f:
                f.write(data)
            code, doc, err = verify(tampered, "--trust", self.station.cert)
            self.assertEqual(code, 1, f"flip at byte {pos} of {len(original)} passed: {err}")
            self.assertFalse(doc["valid"])
            self.assertTrue(doc["errors"], pos)

    def test_deleted_member_is_named(self):
        out = os.path.join(self.dir, "deleted.zip")
        rewrite(self.archive, out,
                lambda items: [i for i in items if i[0].filename != "data/lan-findings.json"])
        code, doc, _ = verify(out, "--trust", self.station.cert)
        self.assertEqual(code, 1)
        self.assertIn({"code": "member_missing", "member": "data/lan-findings.json"},
                      [{"code": e["code"], "member": e["member"]} for e in doc["errors"]])
        self.assertIn("container_seal", codes(doc))

    def test_added_member_is_named(self):
        out = os.path.join(self.dir, "added.zip")

        def add(items):
            info = zipfile.ZipInfo("data/extra-evidence.json")
            return items[:3] + [(info, b"{}")] + items[3:]
        rewrite(self.archive, out, add)
        code, doc, _ = verify(out, "--trust", self.station.cert)
        self.assertEqual(code, 1)
        extra = [e for e in doc["errors"] if e["code"] == "member_extra"]
        self.assertEqual([e["member"] for e in extra], ["data/extra-evidence.json"])

    def test_renamed_member_is_named(self):
        out = os.path.join(self.dir, "renamed.zip")

        def rename(items):
            for info, _ in items:
                if info.filename == "data/checkins.json":
                    info.filename = "data/checkins-old.json"
            return items
        rewrite(self.archive, out, rename)
        code, doc, _ = verify(out, "--trust", self.station.cert)
        found = {(e["code"], e["member"]) for e in doc["errors"]}
        self.assertEqual(code, 1)
        self.assertIn(("member_missing", "data/checkins.json"), found)
        self.assertIn(("member_extra", "data/checkins-old.json"), found)

    def test_reordered_members_are_named(self):
        out = os.path.join(self.dir, "reordered.zip")
        rewrite(self.archive, out, lambda items: [items[1], items[0]] + items[2:])
        code, doc, _ = verify(out, "--trust", self.station.cert)
        self.assertEqual(code, 1)
        self.assertIn("member_order", codes(doc))
        # Same bytes in every member: only the order and the seal betray it.
        self.assertEqual(codes(doc), {"member_order", "container_seal"})

    def test_member_content_altered_and_resealed_by_forger_is_named(self):
        # A forger who edits a member and fixes the manifest still breaks the signed tag manifest.
        out = os.path.join(self.dir, "edited.zip")

        def edit(items):
            result = []
            manifest = None
            for info, data in items:
                if info.filename == "data/lan-findings.json":
                    data = b"[]\n"
                result.append((info, data))
            for idx, (info, data) in enumerate(result):
                if info.filename == "manifest-sha256.txt":
                    lines = []
                    for line in data.decode().splitlines():
                        digest, name = line.split(None, 1)
                        if name == "data/lan-findings.json":
                            digest = hashlib.sha256(b"[]\n").hexdigest()
                        lines.append(f"{digest}  {name}")
                    manifest = ("\n".join(lines) + "\n").encode()
                    result[idx] = (info, manifest)
            return result
        rewrite(self.archive, out, edit)
        code, doc, _ = verify(out, "--trust", self.station.cert)
        self.assertEqual(code, 1)
        self.assertIn(("member_hash", "manifest-sha256.txt"),
                      {(e["code"], e["member"]) for e in doc["errors"]})

    def test_malformed_signature(self):
        with zipfile.ZipFile(self.archive) as z:
            items = [(i, z.read(i)) for i in z.infolist()]
        path = os.path.join(self.dir, "sig.zip")
        with zipfile.ZipFile(path, "w") as out:
            for info, data in items:
                if info.filename == "tagmanifest-sha256.txt.p7s":
                    data = b"\x30\x82\xff\xff" + data[4:40]
                out.writestr(info, data)
        code, doc, _ = verify(path, "--trust", self.station.cert)
        self.assertEqual(code, 1)
        self.assertIn(("signature", "tagmanifest-sha256.txt.p7s"),
                      {(e["code"], e["member"]) for e in doc["errors"]})

    def test_writes_nothing(self):
        work = tempfile.mkdtemp(dir=self.dir)
        hostile = os.path.join(self.dir, "hostile-write.zip")
        with zipfile.ZipFile(hostile, "w") as z:
            z.writestr("../escaped.txt", b"x")
            z.writestr("data/ok.json", b"{}")
        before = set(os.listdir(self.dir))
        code, doc, _ = run("--json", "archive", "verify", hostile, cwd=work)
        self.assertEqual(code, 1)
        self.assertEqual(os.listdir(work), [])
        self.assertEqual(set(os.listdir(self.dir)), before)


class EditedLogBeforeSealing(unittest.TestCase):
    def test_chain_check_catches_edit(self):
        root = tempfile.mkdtemp(prefix="examguard-archive-log-")
        try:
            station = Station(root)
            con = sqlite3.connect(station.db)
            con.execute("DROP TRIGGER event_log_no_update")
            con.execute("UPDATE event_log SET payload = replace(payload, 'refuse', 'pass') "
                        "WHERE seq = (SELECT min(seq) FROM event_log WHERE kind = "
                        "'checkin.attempt' AND payload LIKE '%refuse%')")
            self.assertEqual(con.total_changes, 1)
            con.commit()
            con.close()
            out = os.path.join(root, "edited-log.zip")
            code, sealed, err = station.seal(out)
            self.assertEqual(code, 1, err)  # sealed as found, with a warning
            self.assertFalse(sealed["event_log_intact"])
            self.assertTrue(os.path.exists(out))
            code, doc, _ = verify(out, "--trust", station.cert)
            self.assertEqual(code, 1)
            self.assertEqual(codes(doc), {"event_log"})
            self.assertIn("edited", doc["errors"][0]["message"])
        finally:
            shutil.rmtree(root, ignore_errors=True)


class RecordingsAndPersonalData(unittest.TestCase):
    def test_recordings_checked_and_personal_data_encrypted(self):
        root = tempfile.mkdtemp(prefix="examguard-archive-rec-")
        try:
            station = Station(root)
            con = sqlite3.connect(station.db)
            # The demo recorded its own clip (demo_recording.h); these go beside its segments.
            demo_paths = [p for (p,) in con.execute("SELECT path FROM recording_segment")]
            demo_segments = len(demo_paths)
            self.assertEqual(demo_segments, 2)
            store = os.path.dirname(os.path.dirname(demo_paths[0]))  # <store>/T1-FRONT/x.ts
            rng = random.Random(7)
            for i in range(3):
                path = os.path.join(store, "T1-FRONT", f"seg-{i}.ts")
                data = bytes(rng.randrange(256) for _ in range(50000 + i))
                with open(path, "wb") as f:
                    f.write(data)
                con.execute("INSERT INTO recording_segment (camera_id, start_at, end_at, path, "
                            "sha256, bytes, keep_until) VALUES (1, ?, ?, ?, ?, ?, '2032-11-26')",
                            (f"2026-11-25T01:0{i}:00.000Z", f"2026-11-25T01:0{i + 1}:00.000Z",
                             path, hashlib.sha256(data).hexdigest(), len(data)))
            con.commit()
            con.close()
            authority = os.path.join(root, "authority")
            os.makedirs(authority)
            key, cert = os.path.join(authority, "k.pem"), os.path.join(authority, "c.pem")
            openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out",
                    cert, "-subj", "/CN=Inspector authority", "-days", "30")
            out = os.path.join(root, "with-recordings.zip")
            code, sealed, err = station.seal(out, "--include-recordings", "--authority-cert", cert)
            self.assertEqual(code, 0, err)
            self.assertEqual(sealed["personal_data"], "encrypted")
            with zipfile.ZipFile(out) as z:
                names = z.namelist()
                self.assertIn("data/recordings/T1-FRONT/seg-1.ts", names)
                index = json.loads(z.read("data/recordings/index.json"))
                self.assertEqual(len(index), 3 + demo_segments)
                personal = z.read("data/personal.cms")
            # Only the authority's key opens the personal data.
            enc = os.path.join(root, "personal.cms")
            with open(enc, "wb") as f:
                f.write(personal)
            plain = subprocess.run(["openssl", "cms", "-decrypt", "-inform", "DER", "-in", enc,
                                    "-inkey", key, "-recip", cert], capture_output=True,
                                   check=True).stdout
            people = json.loads(plain)
            self.assertEqual(len(people["candidates"]), 12)
            self.assertRegex(people["candidates"][0]["id_number"], r"^\d{17}[\dX]$")
            self.assertNotIn(people["candidates"][0]["name"].encode(), personal)

            code, doc, _ = verify(out, "--trust", station.cert, "--recordings", store)
            self.assertEqual(code, 0, doc)
            self.assertEqual(doc["recordings_checked"], 3 + demo_segments)
            with open(os.path.join(store, "T1-FRONT", "seg-1.ts"), "r+b") as f:
                f.seek(100)
                f.write(b"\x00\x01")
            os.remove(os.path.join(store, "T1-FRONT", "seg-2.ts"))
            code, doc, _ = verify(out, "--trust", station.cert, "--recordings", store)
            self.assertEqual(code, 1)
            self.assertEqual({(e["code"], e["member"]) for e in doc["errors"]},
                             {("recording_hash", "T1-FRONT/seg-1.ts"),
                              ("recording_missing", "T1-FRONT/seg-2.ts")})
            # Retention: the deleted segment is missing before its time; after keep-until all
            # are due (the demo's two too) and nothing counts as missing.
            code, out_json, _ = run("--db", station.db, "--json", "archive", "retention")
            doc = json.loads(out_json)
            self.assertEqual(code, 1)
            self.assertEqual((doc["missing"], doc["due"]), (1, 0))
            self.assertEqual([s["path"].endswith("seg-2.ts") for s in doc["segments"]
                              if s["missing"]], [True])
            self.assertIn(PERIOD, [a["period"] for a in doc["archives"]])
            code, out_json, _ = run("--db", station.db, "--json", "archive", "retention",
                                    "--today", "2033-01-01")
            doc = json.loads(out_json)
            self.assertEqual(code, 0)
            self.assertEqual((doc["missing"], doc["due"]), (0, 3 + demo_segments))
            # Sealing again refuses a recording that no longer matches its logged hash.
            code, _, err = station.seal(os.path.join(root, "again.zip"), "--include-recordings")
            self.assertNotEqual(code, 0)
            self.assertIn("seg-", err)
            self.assertFalse(os.path.exists(os.path.join(root, "again.zip")))
            self.assertEqual([n for n in os.listdir(root) if n.endswith(".partial")], [])
        finally:
            shutil.rmtree(root, ignore_errors=True)


class InspectorReport(unittest.TestCase):
    def test_planted_problems_reach_the_report_with_evidence(self):
        root = tempfile.mkdtemp(prefix="examguard-archive-report-")
        try:
            station = Station(root)
            con = sqlite3.connect(station.db)
            period_id, site_id, institution = con.execute(
                "SELECT id, site_id, institution FROM period").fetchone()
            sitting_id, start = con.execute(
                "SELECT id, planned_start FROM sitting WHERE subject = 'theory' AND round = "
                "'main'").fetchone()
            cands = [r[0] for r in con.execute("SELECT candidate_id FROM enrollment LIMIT 2")]
            # A refusal overridden with a reason, signed in after the sitting started.
            cur = con.execute(
                "INSERT INTO checkin (sitting_id, candidate_id, id_number_masked, attempted_at, "
                "decision, reason, override_decision, override_reason, overridden_at) VALUES "
                "(?, ?, '370102********1234', ?, 'refuse', 'face_mismatch_card', 'pass', "
                "'ID card photo 12 years old; confirmed by the chief examiner', ?)",
                (sitting_id, cands[0], "2026-11-25T01:20:00.000Z", "2026-11-25T01:21:00.000Z"))
            late_checkin = cur.lastrowid
            cur = con.execute("INSERT INTO face_descriptor (candidate_id, source, model, "
                              "vector_enc, created_at) VALUES (?, 'roster', 'm', x'00', "
                              "'2026-11-25T00:00:00Z')", (cands[1],))
            alert = con.execute(
                "INSERT INTO impersonation_alert (checkin_id, presented_candidate_id, "
                "matched_candidate_id, matched_descriptor_id, matched_source, kind, "
                "distance_own, distance_other, created_at) VALUES (?, ?, ?, ?, 'roster', "
                "'closer_to_other', 1.2, 0.6, '2026-11-25T01:20:00Z')",
                (late_checkin, cands[0], cands[1], cur.lastrowid)).lastrowid
            staff = con.execute("INSERT INTO staff (site_id, name, role, affiliation) VALUES "
                                "(?, '王监考', 'proctor', ?)", (site_id, institution)).lastrowid
            assignment = con.execute("INSERT INTO staff_assignment (period_id, staff_id, "
                                     "sitting_id) VALUES (?, ?, ?)",
                                     (period_id, staff, sitting_id)).lastrowid
            covered = con.execute(
                "INSERT INTO camera_event (camera_id, sitting_id, kind, start_at, end_at, "
                "confidence) VALUES (1, ?, 'covered', '2026-11-25T01:30:00Z', "
                "'2026-11-25T01:34:00Z', 0.97)", (sitting_id,)).lastrowid
            con.commit()
            con.close()
            out = os.path.join(root, "planted.zip")
            code, _, err = station.seal(out)
            self.assertEqual(code, 0, err)
            html = os.path.join(root, "report.html")
            code, stdout, err = run("--json", "archive", "inspect", out, "--report", html,
                                    "--trust", station.cert)
            self.assertEqual(code, 0, err)
            checks = {c["id"]: c for c in json.loads(stdout)["checks"]}
            refs = lambda cid: {(e["member"], e["locator"]) for e in checks[cid]["evidence"]}
            self.assertIn(("data/checkins.json", f"id={late_checkin}"),
                          refs("refusals_overrides"))
            self.assertIn(("data/checkins.json", f"id={late_checkin}"), refs("late_sign_ins"))
            self.assertEqual(checks["late_sign_ins"]["verdict"], "problem")
            self.assertEqual(checks["impersonation"]["verdict"], "problem")
            self.assertIn(("data/impersonation-alerts.json", f"id={alert}"),
                          refs("impersonation"))
            self.assertEqual(checks["training_separation"]["verdict"], "problem")
            self.assertIn(("data/staff.json", f"id={assignment}"), refs("training_separation"))
            self.assertEqual(checks["cameras"]["verdict"], "problem")
            self.assertIn(("data/camera-events.json", f"id={covered}"), refs("cameras"))
            self.assertEqual(checks["remote_control"]["verdict"], "problem")  # the demo's VNC
            with open(html, encoding="utf-8") as f:
                page = f.read()
            for planted in [f"data/checkins.json#id={late_checkin}",
                            f"data/impersonation-alerts.json#id={alert}",
                            f"data/staff.json#id={assignment}",
                            f"data/camera-events.json#id={covered}", "王监考",
                            "confirmed by the chief examiner"]:
                self.assertIn(planted, page)
            self.assertNotIn("<script", page)
            # A failed archive still gets a report, which says so, and exit 1.
            broken = os.path.join(root, "broken.zip")
            data = bytearray(open(out, "rb").read())
            data[len(data) // 2] ^= 0xff
            open(broken, "wb").write(data)
            code, _, _ = run("archive", "inspect", broken, "--report", html)
            self.assertEqual(code, 1)
            self.assertIn("NOT VALID", open(html, encoding="utf-8").read())
            # The same report as PDF (Qt's renderer): text extracted with poppler's pdftotext.
            pdf = os.path.join(root, "报告.pdf")
            code, _, err = run("archive", "inspect", out, "--report", pdf, "--trust", station.cert)
            self.assertEqual(code, 0, err)
            self.assertEqual(err, "")  # nothing from Qt on the terminal
            with open(pdf, "rb") as f:
                self.assertEqual(f.read(5), b"%PDF-")
            text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True,
                                  text=True, check=True).stdout
            for planted in [f"data/impersonation-alerts.json#id={alert}", "王监考",
                            "Remote-control software", PERIOD]:
                self.assertIn(planted, text.replace("\n", " "))
            code, _, err = run("archive", "inspect", out, "--report", "r.txt")
            self.assertEqual(code, 2, err)
            self.assertFalse(os.path.exists("r.txt"))
        finally:
            shutil.rmtree(root, ignore_errors=True)


class HostileArchives(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="examguard-hostile-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def make(self, name, members, compression=zipfile.ZIP_STORED):
        path = os.path.join(self.dir, name)
        with zipfile.ZipFile(path, "w", compression) as z:
            for member in members:
                if isinstance(member, zipfile.ZipInfo):
                    z.writestr(member, b"target")
                else:
                    z.writestr(member[0], member[1])
        return path

    def expect(self, path, code, member=None):
        rc, doc, err = verify(path)
        self.assertEqual(rc, 1, err)
        self.assertFalse(doc["valid"])
        hits = [e for e in doc["errors"] if e["code"] == code]
        self.assertTrue(hits, f"{code} not in {doc['errors']}")
        if member is not None:
            self.assertIn(member, [e["member"] for e in hits])

    def test_path_traversal(self):
        self.expect(self.make("t.zip", [("data/../../etc/passwd", b"x")]), "unsafe_name",
                    "data/../../etc/passwd")

    def test_absolute_path(self):
        self.expect(self.make("a.zip", [("/etc/cron.d/x", b"x")]), "unsafe_name",
                    "/etc/cron.d/x")

    def test_symlink(self):
        info = zipfile.ZipInfo("data/link.json")
        info.create_system = 3
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        self.expect(self.make("s.zip", [info]), "not_a_file", "data/link.json")

    def test_duplicate_and_case_colliding_names(self):
        path = os.path.join(self.dir, "d.zip")
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile warns about the duplicate, as it should
            with zipfile.ZipFile(path, "w") as z:
                z.writestr("data/a.json", b"1")
                z.writestr("data/a.json", b"2")
                z.writestr("data/B.json", b"3")
                z.writestr("data/b.json", b"4")
        rc, doc, _ = verify(path)
        self.assertEqual(rc, 1)
        dup = {e["member"] for e in doc["errors"] if e["code"] == "duplicate_name"}
        self.assertEqual(dup, {"data/a.json", "data/b.json"})

    def test_zip_bomb(self):
        path = os.path.join(self.dir, "bomb.zip")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
            with z.open("data/bomb.json", "w") as member:
                chunk = b"\0" * (1 << 20)
                for _ in range(300):
                    member.write(chunk)
        self.assertLess(os.path.getsize(path), 1 << 20)
        self.expect(path, "limit", "data/bomb.json")

    def test_huge_and_malformed_manifests(self):
        garbage = b"not a checksum line\n" * 10
        self.expect(self.make("m.zip", [("data/x.json", b"{}"), ("manifest-sha256.txt", garbage),
                                        ("bagit.txt", b"BagIt-Version: 1.0\n")]), "manifest",
                    "manifest-sha256.txt")
        lines = b"".join(b"%064x  data/f%d\n" % (i, i) for i in range(210000))
        self.expect(self.make("big.zip", [("manifest-sha256.txt", lines)],
                              zipfile.ZIP_DEFLATED), "manifest", "manifest-sha256.txt")

    def test_not_a_zip_and_missing_file(self):
        path = os.path.join(self.dir, "junk.zip")
        with open(path, "wb") as f:
            f.write(os.urandom(5000))
        rc, doc, _ = verify(path)
        self.assertEqual(rc, 1)
        self.assertIn("container_seal", codes(doc))
        self.assertIn("structure", codes(doc))
        rc, _, err = run("archive", "verify", os.path.join(self.dir, "absent.zip"))
        self.assertEqual(rc, 3)
        self.assertIn("absent.zip", err)
        empty = os.path.join(self.dir, "empty.zip")
        open(empty, "wb").close()
        rc, doc, _ = verify(empty)
        self.assertEqual(rc, 1)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
