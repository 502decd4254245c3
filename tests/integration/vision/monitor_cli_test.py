#!/usr/bin/env python3
"""Runs the real examguard binary's `monitor analyze` on the real clip of ../shared/data/video
and on copies of it tampered with ffmpeg (a cover, the lights going out), and checks exit codes
and --json output against schemas/cli/monitor-analyze.schema.json.
Usage: monitor_cli_test.py EXAMGUARD SOURCE_DIR SHARED_DATA_DIR"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import jsonschema

EXAMGUARD = sys.argv[1] if len(sys.argv) > 1 else "examguard"
SOURCE = sys.argv[2] if len(sys.argv) > 2 else "."
DATA = sys.argv[3] if len(sys.argv) > 3 else os.path.join(SOURCE, "..", "shared", "data")
CLIP = os.path.join(DATA, "video", "one-by-one-person-detection.mp4")


def load_schema(name):
    with open(os.path.join(SOURCE, "schemas", "cli", name), encoding="utf-8") as f:
        return json.load(f)


SCHEMA = load_schema("monitor-analyze.schema.json")
ERROR_SCHEMA = load_schema("error.schema.json")


def run(*args):
    env = dict(os.environ, EXAMGUARD_LANG="en")
    p = subprocess.run([EXAMGUARD, "--lang", "en", *args], capture_output=True, text=True,
                       env=env, timeout=300)
    return p.returncode, p.stdout, p.stderr


class MonitorAnalyze(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="examguard-monitor-")
        # 40 s of the real clip (people arrive and leave in it), re-encoded as a camera would
        # send it, with a grey card held over the lens from 10 s to 18 s and the lights
        # dimmed to almost nothing from 26 s to 33 s.
        cls.tampered = os.path.join(cls.dir, "tampered.mp4")
        filters = ("drawbox=x=0:y=0:w=iw:h=ih:color=0x8c7a6e@1:t=fill:enable='between(t,10,18)',"
                   "eq=brightness=-0.5:enable='between(t,26,33)'")
        subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-ss", "45", "-t", "40", "-i", CLIP,
                        "-vf", filters, "-c:v", "libx264", "-preset", "ultrafast", "-bf", "0",
                        "-an", cls.tampered], check=True, timeout=300)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def analyze(self, *args, expect):
        code, out, err = run("monitor", "analyze", *args, "--json")
        self.assertEqual(code, expect, err)
        doc = json.loads(out)
        jsonschema.validate(doc, ERROR_SCHEMA if expect in (2, 3) else SCHEMA)
        return doc, err

    def test_clean_clip_raises_no_event(self):
        doc, _ = self.analyze(CLIP, expect=0)
        self.assertEqual(doc["events"], [])
        self.assertEqual(doc["fps"], 2.0)
        self.assertIn(doc["frames_analyzed"], (278, 279, 280))  # 139.4 s at 2 fps

    def test_tampered_copy_names_each_tamper_with_its_time(self):
        snaps = os.path.join(self.dir, "snapshots")
        doc, _ = self.analyze(self.tampered, "--snapshots", snaps, expect=1)
        kinds = [(e["kind"], e["start_s"], e["end_s"]) for e in doc["events"]]
        self.assertEqual([k for k, _, _ in kinds], ["covered", "too_dark"], kinds)
        for (kind, start, end), (want_start, want_end) in zip(kinds, [(10, 18), (26, 33)]):
            self.assertLessEqual(abs(start - want_start), 2.0, kinds)
            self.assertLessEqual(abs(end - want_end), 2.0, kinds)
        for e in doc["events"]:
            self.assertEqual(e["camera"], "camera")
            self.assertGreater(e["confidence"], 0.5)
            self.assertFalse(e["open"])
            with open(e["snapshot"], "rb") as f:
                self.assertEqual(f.read(3), b"\xff\xd8\xff")  # a JPEG

    def test_gap_in_time_stamps_is_signal_lost(self):
        # The stream stops for 10 s after 20 s (time stamps jump from 19.9 s to 30 s), as a
        # recording of a camera that dropped off the network does.
        gap = os.path.join(self.dir, "gap.mp4")
        subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-ss", "45", "-t", "40", "-i", CLIP,
                        "-vf", "setpts='if(gte(T,20),PTS+10/TB,PTS)'", "-fps_mode", "passthrough",
                        "-c:v", "libx264", "-preset", "ultrafast", "-an", gap],
                       check=True, timeout=300)
        doc, _ = self.analyze(gap, expect=1)
        self.assertEqual([(e["kind"], e["start_s"], e["end_s"]) for e in doc["events"]],
                         [("signal_lost", 19.9, 30.0)])

    def test_config_sets_camera_name_rate_and_thresholds(self):
        config = os.path.join(self.dir, "camera.toml")
        with open(config, "w", encoding="utf-8") as f:
            f.write('[camera]\nname = "room-101-front"\nanalysis_fps = 4\n\n'
                    '[tamper]\nonset_s = 1.5\ndark_luma = 10\n')
        doc, _ = self.analyze(self.tampered, "--config", config, expect=1)
        self.assertEqual(doc["fps"], 4)
        self.assertGreater(doc["frames_analyzed"], 150)  # 40 s at 4 fps
        # dark_luma 10: the dimmed stretch (mean grey about 12) is no longer "too dark"; what
        # is left of it is reported by what it lost (texture or sharpness), from about 26 s.
        events = [(e["kind"], e["start_s"]) for e in doc["events"]]
        self.assertEqual(len(events), 2, events)
        self.assertEqual(events[0][0], "covered", events)
        self.assertIn(events[1][0], ("covered", "defocused"), events)
        self.assertLessEqual(abs(events[1][1] - 26), 2.0, events)
        self.assertTrue(all(e["camera"] == "room-101-front" for e in doc["events"]))

    def test_room_regions_give_seat_proctor_and_headcount_events(self):
        # The table of the clip as the one seat, bare floor on the left as the proctor's post
        # (nobody stands there), one candidate checked in. Ground truth of the clip:
        # tests/unit/vision/room_occupancy_test.cpp (nobody at the table 47-50 s and 71-74 s).
        config = os.path.join(self.dir, "room.toml")
        with open(config, "w", encoding="utf-8") as f:
            f.write('[camera]\nname = "room-101"\n\n'
                    '[room]\nseat_empty_s = 3\nproctor_absent_s = 30\nheadcount_s = 3\n'
                    'extra_person_s = 3\n\n'
                    '[[seat]]\nname = "A01"\n'
                    'polygon = [[0.50, 0.30], [0.68, 0.30], [0.68, 0.75], [0.50, 0.75]]\n\n'
                    '[proctor]\nname = "desk"\n'
                    'polygon = [[0.05, 0.55], [0.25, 0.55], [0.25, 0.90], [0.05, 0.90]]\n')
        doc, _ = self.analyze(CLIP, "--config", config, "--checked-in", "1", expect=1)
        kinds = {e["kind"] for e in doc["events"]}
        self.assertEqual(kinds, {"seat_empty", "headcount_mismatch", "proctor_absent"}, doc)
        proctor = [e for e in doc["events"] if e["kind"] == "proctor_absent"]
        self.assertEqual(len(proctor), 1)
        self.assertEqual((proctor[0]["region"], proctor[0]["start_s"], proctor[0]["open"]),
                         ("desk", 0.0, True))
        for kind in ("seat_empty", "headcount_mismatch"):
            spans = [(e["start_s"], e["end_s"]) for e in doc["events"] if e["kind"] == kind]
            for empty in [(47, 50), (71, 74), (88, 92)]:
                self.assertTrue(any(s <= empty[0] and e >= empty[1] for s, e in spans),
                                (kind, empty, spans))
            for occupied in [(9, 18), (26, 42), (53, 67), (78, 84), (96, 117), (127, 133)]:
                self.assertFalse(any(s < occupied[1] and e > occupied[0] for s, e in spans),
                                 (kind, occupied, spans))
        self.assertTrue(all(e.get("region") == "A01" for e in doc["events"]
                            if e["kind"] == "seat_empty"))
        # The head count agrees when nobody is expected at the table only while it is empty:
        # --checked-in overrides the settings.
        code, _, err = run("monitor", "analyze", CLIP, "--config", config, "--checked-in", "-1")
        self.assertEqual(code, 2, err)

    def test_bad_config_names_file_line_and_key(self):
        config = os.path.join(self.dir, "bad.toml")
        for text, needle in [('[tamper]\nonset_s = 1\ncovered_fration = 0.3\n',
                              "bad.toml:3: unknown key [tamper] covered_fration"),
                             ('[camera]\nanalysis_fps = -2\n',
                              "bad.toml:2: [camera] analysis_fps must be a number"),
                             ('[camera\nname = "x"\n', "bad.toml:1:"),
                             ('[[seat]]\nname = "A01"\npolygon = [[0, 0], [1, 0]]\n',
                              "bad.toml:3: [seat] A01: polygon must list 3 to 64 points"),
                             ('[[seat]]\nname = "A01"\npolygon = [[0, 0], [1, 0], [1, 7]]\n',
                              "bad.toml:3: [seat] A01: polygon must list"),
                             ('[[seat]]\nname = "A"\npolygon = [[0, 0], [1, 0], [1, 1]]\n'
                              '[[seat]]\nname = "A"\npolygon = [[0, 0], [1, 0], [1, 1]]\n',
                              "[[seat]] A is named twice"),
                             ('[room]\nchecked_in = 2.5\n',
                              "bad.toml:2: [room] checked_in must be a whole number")]:
            with open(config, "w", encoding="utf-8") as f:
                f.write(text)
            doc, err = self.analyze(CLIP, "--config", config, expect=3)
            self.assertIn(needle, doc["error"]["detail"])
            self.assertIn(needle, err)
        self.analyze(CLIP, "--config", os.path.join(self.dir, "none.toml"), expect=3)

    def test_missing_malformed_and_truncated_videos_exit_3(self):
        self.analyze(os.path.join(self.dir, "no-such.mp4"), expect=3)
        junk = os.path.join(self.dir, "junk.mp4")
        with open(junk, "wb") as f:
            f.write(os.urandom(20000))
        doc, _ = self.analyze(junk, expect=3)
        self.assertIn("junk.mp4", doc["error"]["detail"])
        truncated = os.path.join(self.dir, "truncated.mp4")
        with open(CLIP, "rb") as src, open(truncated, "wb") as dst:
            dst.write(src.read(300000))
        doc, _ = self.analyze(truncated, expect=3)
        self.assertIn("truncated", doc["error"]["detail"])

    def test_usage_errors_exit_2(self):
        code, _, err = run("monitor", "analyze")
        self.assertEqual(code, 2)
        code, _, err = run("monitor", "analyze", CLIP, "--no-such-flag")
        self.assertEqual(code, 2)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
