#!/usr/bin/env python3
"""examguard checkin end to end: the real binary, real face models, real photos from
../shared/data/faces, a real station database.
Usage: checkin_cli_test.py EXAMGUARD SOURCE_DIR [SHARED_DATA_DIR]"""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest

EXAMGUARD = sys.argv[1] if len(sys.argv) > 1 else "examguard"
SOURCE = sys.argv[2] if len(sys.argv) > 2 else "."
DATA = sys.argv[3] if len(sys.argv) > 3 else os.path.join(SOURCE, "..", "shared", "data")
FACES = os.path.join(DATA, "faces")
PERIOD = "2026-DG-011"
ZHANG = "370105199809286798"  # seat A01 of the demo roster
WANG = "370112198203267081"   # seat A02


def face(*parts):
    return os.path.join(FACES, *parts)


# Two photos of one NUAA volunteer, one of another, a printed-photo attack.
PERSON_A = [face("east-asian", "nuaa_client_0010", f) for f in
            sorted(os.listdir(face("east-asian", "nuaa_client_0010")))]
PERSON_B = [face("east-asian", "nuaa_client_0012", f) for f in
            sorted(os.listdir(face("east-asian", "nuaa_client_0012")))]
ATTACK = face("spoof", "fake", sorted(os.listdir(face("spoof", "fake")))[0])


def run(*args):
    env = dict(os.environ, EXAMGUARD_LANG="en")
    p = subprocess.run([EXAMGUARD, *args], capture_output=True, text=True, env=env, timeout=300)
    return p.returncode, p.stdout, p.stderr


class CheckinCli(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="examguard-checkin-")
        # The demo period's plan, roster and registry, without the demo's own check-ins.
        self.db = os.path.join(self.dir, "station.db")
        plan = os.path.join(SOURCE, "schemas", "examples", "demo-period", "plan.json")
        code, _, err = run("--db", self.db, "period", "import", plan)
        self.assertEqual(code, 0, err)

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def card(self, id_number, name, gender, photo=None, name_json=None):
        path = os.path.join(self.dir, f"card-{id_number}.json")
        doc = {"id_number": id_number, "name": name, "gender": gender, "nation": "汉",
               "valid_to": "2035.01.01"}
        if photo:
            shutil.copy(photo, os.path.join(self.dir, os.path.basename(photo)))
            doc["photo"] = os.path.basename(photo)
        with open(path, "w", encoding="utf-8") as f:
            f.write(name_json if name_json is not None else json.dumps(doc, ensure_ascii=False))
        return path

    def checkin(self, card, live, *extra):
        code, out, err = run("--db", self.db, "--json", "checkin", "--period", PERIOD,
                             "--sitting", "theory/main", "--card", card, "--live", live, *extra)
        return code, (json.loads(out) if out.strip() else None), err

    def count(self, table):
        with sqlite3.connect(self.db) as db:
            return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def test_genuine_candidate_passes(self):
        code, doc, err = self.checkin(self.card(ZHANG, "张伟", "男", PERSON_A[0]), PERSON_A[1])
        self.assertEqual(code, 0, err)
        self.assertEqual(doc["decision"], "pass", doc)
        self.assertEqual(doc["seat"], "A01")
        self.assertEqual(doc["id_number"], "370105********6798")
        self.assertLessEqual(doc["distance_card"], doc["threshold"])
        self.assertEqual(doc["liveness"]["status"], "live")
        # The stored snapshot is encrypted: no JPEG marker in the row.
        with sqlite3.connect(self.db) as db:
            snap = db.execute("SELECT snapshot_enc FROM checkin").fetchone()[0]
        self.assertNotIn(b"JFIF", snap)

    def test_impostor_with_someone_elses_card_is_refused(self):
        code, doc, err = self.checkin(self.card(ZHANG, "张伟", "男", PERSON_A[0]), PERSON_B[0])
        self.assertEqual(code, 1, err)
        self.assertEqual(doc["decision"], "refuse", doc)
        self.assertIn("face_mismatch_card", doc["reasons"])

    def test_one_face_under_two_identities_raises_an_alert(self):
        code, doc, err = self.checkin(self.card(ZHANG, "张伟", "男", PERSON_A[0]), PERSON_A[1])
        self.assertEqual(doc["decision"], "pass", doc)
        # The same volunteer comes back with Wang's number typed in by hand.
        code, out, err = run("--db", self.db, "--json", "checkin", "--period", PERIOD,
                             "--sitting", "theory/main", "--manual-id", WANG, "--manual-name",
                             "王芳", "--live", PERSON_A[2])
        doc = json.loads(out)
        self.assertEqual(code, 1, err)
        self.assertEqual(doc["decision"], "review")
        self.assertEqual([a["kind"] for a in doc["alerts"]], ["matches_checked_in"])
        self.assertEqual(doc["alerts"][0]["matched_id_number"], "370105********6798")
        self.assertEqual(self.count("impersonation_alert"), 1)

    def test_printed_photo_attack_is_refused(self):
        code, doc, err = self.checkin(self.card(ZHANG, "张伟", "男"), ATTACK)
        self.assertEqual(code, 1, err)
        self.assertEqual(doc["liveness"]["status"], "spoof", doc)
        self.assertIn("liveness_failed", doc["reasons"])
        self.assertEqual(doc["decision"], "refuse")

    def test_still_image_replayed_as_video_fails_the_challenge(self):
        video = os.path.join(self.dir, "still.mp4")
        subprocess.run(["ffmpeg", "-loglevel", "error", "-loop", "1", "-i", PERSON_A[1], "-t", "4",
                        "-r", "10", "-pix_fmt", "yuv420p", "-vf", "scale=640:480", video],
                       check=True)
        code, doc, err = self.checkin(self.card(ZHANG, "张伟", "男", PERSON_A[0]), video,
                                      "--challenge", "blink,left")
        self.assertEqual(code, 1, err)
        self.assertEqual(doc["liveness"]["status"], "spoof", doc)
        self.assertGreater(doc["frames"], 30)
        self.assertEqual(doc["decision"], "refuse")
        # A recorded file at the door is a replay: the log says so.
        code, out, err = run("--db", self.db, "--json", "log", "show")
        attempt = [e for e in json.loads(out)["entries"] if e["kind"] == "checkin.attempt"][-1]
        self.assertEqual(attempt["payload"]["live_source"], "video")
        self.assertEqual(attempt["payload"]["risks"], ["recorded_source"])

    def test_bad_input_is_refused_and_nothing_is_stored(self):
        bad_cards = [
            self.card(ZHANG, "张伟", "男", name_json="{not json"),
            self.card(ZHANG, "张伟", "女"),  # gender contradicts the number
            self.card(ZHANG, "张伟", "男", name_json=json.dumps(
                {"id_number": ZHANG, "name": "张伟", "photo": "../../etc/passwd"})),
        ]
        for card in bad_cards:
            code, doc, err = self.checkin(card, PERSON_A[1])
            self.assertEqual(code, 3, err)
            self.assertEqual(doc["error"]["code"], "bad_input")
        truncated = os.path.join(self.dir, "truncated.jpg")
        with open(PERSON_A[1], "rb") as src, open(truncated, "wb") as dst:
            dst.write(src.read()[:2000])
        not_image = os.path.join(self.dir, "notes.jpg")
        with open(not_image, "w") as f:
            f.write("hello")
        for live in [truncated, not_image, os.path.join(self.dir, "missing.jpg")]:
            code, doc, err = self.checkin(self.card(ZHANG, "张伟", "男"), live)
            self.assertEqual(code, 3, err)
        self.assertEqual(self.count("checkin"), 0)
        code, _, err = run("--db", self.db, "checkin", "--period", PERIOD, "--live", PERSON_A[1])
        self.assertEqual(code, 2, err)

    def test_override_needs_a_reason(self):
        code, doc, _ = self.checkin(self.card(ZHANG, "张伟", "男", PERSON_A[0]), PERSON_B[0])
        checkin_id = str(doc["checkin_id"])
        code, _, err = run("--db", self.db, "checkin", "override", checkin_id, "--decision", "pass",
                           "--reason", "   ")
        self.assertEqual(code, 3, err)
        code, _, err = run("--db", self.db, "checkin", "override", checkin_id, "--decision",
                           "maybe", "--reason", "x")
        self.assertEqual(code, 2, err)
        code, out, err = run("--db", self.db, "--json", "checkin", "override", checkin_id,
                             "--decision", "pass", "--reason", "证件照为旧照，本人核对无误")
        self.assertEqual(code, 0, err)
        with sqlite3.connect(self.db) as db:
            row = db.execute("SELECT decision, override_decision FROM checkin").fetchone()
        self.assertEqual(row, ("refuse", "pass"))


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
