#!/usr/bin/env python3
"""`examguard monitor run` against a real RTSP camera on loopback (GStreamer's RTSP server,
rtsp_camera.py) serving the real clip of ../shared/data/video re-encoded as cameras send it
(H.264, no B-frames, a keyframe every 2.5 s). Records about 30 s into 5 s segments, kills the
camera, restarts it on the same port, and checks: every segment row's file exists, its SHA-256
and size match the row and the `recording.segment` log entry, it decodes with ffmpeg and
ffprobe gives it a sane duration; `examguard log verify` passes; the outage is one signal_lost
camera_event (and log entry) whose time range covers it; recording resumes after it; the
camera's password appears nowhere; SIGTERM ends the service with exit code 0.
No sleeps: every wait polls a condition against a deadline.
Usage: monitor_run_test.py EXAMGUARD SOURCE_DIR SHARED_DATA_DIR"""
import base64
import datetime
import hashlib
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
import unittest

import jsonschema

EXAMGUARD = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "examguard"
SOURCE = sys.argv[2] if len(sys.argv) > 2 else "."
DATA = sys.argv[3] if len(sys.argv) > 3 else os.path.join(SOURCE, "..", "shared", "data")
CLIP = os.path.join(DATA, "video", "one-by-one-person-detection.mp4")
CAMERA_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rtsp_camera.py")
PASSWORD = "s3cretPa55"


def load_schema(name):
    with open(os.path.join(SOURCE, "schemas", "cli", name), encoding="utf-8") as f:
        return json.load(f)


RUN_SCHEMA = load_schema("monitor-run.schema.json")
ERROR_SCHEMA = load_schema("error.schema.json")
SEGMENT_S = 5


def gst_python():
    """A Python that has GStreamer's bindings (Debian's python3-gi is for /usr/bin/python3)."""
    for candidate in (sys.executable, "/usr/bin/python3"):
        probe = subprocess.run([candidate, "-c", "import gi; gi.require_version('GstRtspServer',"
                                " '1.0'); from gi.repository import GstRtspServer"],
                               capture_output=True)
        if probe.returncode == 0:
            return candidate
    raise RuntimeError("no python3 with gir1.2-gst-rtsp-server-1.0 (scripts/packages/monitor.txt)")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what, condition, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)  # polling interval of a condition with a deadline, not a synchronisation
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def cut_clip(out, video_filter=None):
    """40 s of the real clip from 45 s, H.264 with an IDR every 20 frames, filtered if asked."""
    extra = ["-vf", video_filter] if video_filter else []
    subprocess.run(["ffmpeg", "-loglevel", "error", "-nostdin", "-y", "-ss", "45", "-t", "40",
                    "-i", CLIP, *extra, "-c:v", "libx264", "-preset", "ultrafast", "-bf", "0",
                    "-g", "20", "-an", out], check=True, timeout=120)


# Grey card over the whole picture from 10 s to 18 s.
COVER_10_TO_18 = "drawbox=x=0:y=0:w=iw:h=ih:color=0x8c7a6e@1:t=fill:enable='between(t,10,18)'"


def utc(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def now_utc():
    return datetime.datetime.now(datetime.timezone.utc)


def read_text(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class Camera:
    def __init__(self, python, port, video, log):
        self.proc = subprocess.Popen([python, CAMERA_SCRIPT, str(port), video],
                                     stdout=subprocess.PIPE, stderr=log, text=True)
        line = self.proc.stdout.readline()  # blocks until the server is bound (or died)
        assert line.strip() == "ready", f"RTSP camera did not start: {line!r}"
        wait_for("the camera's port", lambda: self.accepts(port), 10)

    @staticmethod
    def accepts(port):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            return False

    def kill(self):
        self.proc.kill()
        self.proc.wait(10)

    def stop(self):
        if self.proc.poll() is None:
            self.kill()
        self.proc.stdout.close()


class MonitorRun(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # What an IP camera sends: H.264 without B-frames, a keyframe every 25 frames (2.5 s).
        cls.videoDir = tempfile.mkdtemp(prefix="examguard-monitor-video-")
        cls.video = os.path.join(cls.videoDir, "camera.mp4")
        subprocess.run(["ffmpeg", "-loglevel", "error", "-nostdin", "-y", "-i", CLIP, "-t", "100", "-an",
                        "-c:v", "libx264", "-preset", "ultrafast", "-bf", "0", "-g", "25",
                        "-pix_fmt", "yuv420p", cls.video], check=True, timeout=120)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.videoDir, True)

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="examguard-monitor-run-")
        if not os.environ.get("EXAMGUARD_KEEP_TEST_DIR"):  # set it to look at a failure
            self.addCleanup(shutil.rmtree, self.dir, True)
        self.env = dict(os.environ, EXAMGUARD_LANG="en")
        demo = os.path.join(self.dir, "demo")
        subprocess.run([EXAMGUARD, "demo", "--out", demo], check=True, capture_output=True,
                       env=self.env, timeout=120)
        self.db = os.path.join(demo, "station.db")
        self.python = gst_python()
        self.port = free_port()

    def query(self, sql, *args):
        with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=10) as c:
            c.row_factory = sqlite3.Row
            return [dict(r) for r in c.execute(sql, args)]

    def analysed_camera_config(self, code, url, **settings):
        """A monitor config recording one file camera of room T1 in 10 s segments, analysed at
        2 fps; `settings` are more keys of its [[camera]] table."""
        analysis = code.lower() + "-analysis.toml"
        with open(os.path.join(self.dir, analysis), "w", encoding="utf-8") as f:
            f.write("[camera]\nanalysis_fps = 2\n")
        extra = "".join(f'{key} = "{value}"\n' for key, value in settings.items())
        config = os.path.join(self.dir, code.lower() + "-monitor.toml")
        with open(config, "w", encoding="utf-8") as f:
            f.write(f"""[recording]
directory = "recordings"
segment_s = 10
min_free_mb = 1

[[camera]]
code = "{code}"
room = "T1"
url = "{url}"
analysis = "{analysis}"
{extra}""")
        return config

    def run_monitor(self, config):
        """`monitor run --config CONFIG` to the end of its files: the summary, schema-checked."""
        p = subprocess.run([EXAMGUARD, "--db", self.db, "--json", "monitor", "run", "--config",
                            config], capture_output=True, text=True, env=self.env, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        summary = json.loads(p.stdout)
        jsonschema.validate(summary, RUN_SCHEMA)
        return summary

    def segments(self):
        return self.query("SELECT g.* FROM recording_segment g JOIN camera c ON c.id = g.camera_id"
                          " WHERE c.code = 'T1-RTSP' ORDER BY g.start_at")

    def test_records_survives_a_camera_restart_and_logs_verifiable_segments(self):
        config = os.path.join(self.dir, "monitor.toml")
        url = f"rtsp://admin:{PASSWORD}@127.0.0.1:{self.port}/cam"
        with open(config, "w", encoding="utf-8") as f:
            f.write(f"""[recording]
directory = "{self.dir}/recordings"
segment_s = {SEGMENT_S}
min_free_mb = 1
io_timeout_s = 5
reconnect_max_s = 1

[[camera]]
code = "T1-RTSP"
room = "T1"
name = "theory room 1, test camera"
url = "{url}"
""")
        camera_log = open(os.path.join(self.dir, "camera.log"), "w")
        self.addCleanup(camera_log.close)
        camera = Camera(self.python, self.port, self.video, camera_log)
        self.addCleanup(lambda: camera.stop())
        service_err = os.path.join(self.dir, "service.err")
        with open(service_err, "w") as err:
            service = subprocess.Popen([EXAMGUARD, "--db", self.db, "--json", "-v", "monitor",
                                        "run", "--config", config, "--duration", "150"],
                                       stdout=subprocess.PIPE, stderr=err, text=True,
                                       env=self.env)
        self.addCleanup(lambda: service.poll() is None and service.kill())

        # About 30 s of recording: six whole 5 s segments.
        wait_for("six segments", lambda: len(self.segments()) >= 6, 60)
        killed_at = now_utc()
        camera.stop()
        wait_for("the service to notice the drop",
                 lambda: "stream dropped" in read_text(service_err), 20)
        restarted_at = now_utc()
        camera = Camera(self.python, self.port, self.video, camera_log)
        events = wait_for("a signal_lost event", lambda: self.query(
            "SELECT * FROM camera_event WHERE kind = 'signal_lost'"), 30)
        gap_end = utc(events[0]["end_at"])
        wait_for("two segments after the gap", lambda: len(
            [s for s in self.segments() if utc(s["start_at"]) >= gap_end]) >= 2, 40)
        service.send_signal(signal.SIGTERM)
        out, _ = service.communicate(timeout=30)
        stderr = read_text(service_err)
        self.assertEqual(service.returncode, 0, stderr)
        summary = json.loads(out)
        jsonschema.validate(summary, RUN_SCHEMA)
        self.assertEqual(summary["stopped_by"], "signal")
        self.assertEqual(summary["store_failures"], 0)

        # The outage: one event, its time range covering the kill and the restart.
        self.assertEqual(len(events), 1, events)
        gap_start = utc(events[0]["start_at"])
        self.assertLessEqual(gap_start, killed_at + datetime.timedelta(seconds=1))
        self.assertGreaterEqual(gap_start, killed_at - datetime.timedelta(seconds=5))
        self.assertGreaterEqual(gap_end, restarted_at)
        self.assertEqual(events[0]["confidence"], 1.0)
        self.assertEqual(summary["cameras"][0]["signal_lost"], 1)

        # Segments: rows, files, hashes, log entries, playback.
        segments = self.segments()
        self.assertEqual(summary["cameras"][0]["segments"], len(segments))
        before = [s for s in segments if utc(s["end_at"]) <= gap_start + datetime.timedelta(seconds=1)]
        after = [s for s in segments if utc(s["start_at"]) >= gap_end]
        self.assertGreaterEqual(len(before), 6)
        self.assertGreaterEqual(len(after), 2)
        self.assertEqual(len(before) + len(after), len(segments), segments)
        logged = {}
        signal_entries = []
        for row in self.query("SELECT kind, payload FROM event_log ORDER BY seq"):
            payload = json.loads(row["payload"])
            if row["kind"] == "recording.segment" and payload["camera"] == "T1-RTSP":
                logged[payload["path"]] = payload  # (the demo recorded its own camera)
            elif row["kind"] == "camera.signal_lost":
                signal_entries.append(payload)
        self.assertEqual(len(signal_entries), 1)
        self.assertEqual(signal_entries[0]["start_at"], events[0]["start_at"])
        self.assertEqual(signal_entries[0]["end_at"], events[0]["end_at"])
        self.assertEqual(set(logged), {s["path"] for s in segments})
        for i, s in enumerate(segments):
            with self.subTest(segment=s["path"]):
                self.assertTrue(os.path.isabs(s["path"]))
                self.assertEqual(os.path.getsize(s["path"]), s["bytes"])
                self.assertEqual(sha256(s["path"]), s["sha256"])
                self.assertEqual(logged[s["path"]]["sha256"], s["sha256"])
                self.assertEqual(logged[s["path"]]["bytes"], s["bytes"])
                self.assertEqual(s["keep_until"][:4], str(utc(s["end_at"]).year + 3))
                probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries",
                                        "format=duration:stream=codec_name", "-of", "json",
                                        s["path"]], capture_output=True, text=True, timeout=30)
                self.assertEqual(probe.returncode, 0, probe.stderr)
                info = json.loads(probe.stdout)
                self.assertEqual(info["streams"][0]["codec_name"], "h264")
                duration = float(info["format"]["duration"])
                span = (utc(s["end_at"]) - utc(s["start_at"])).total_seconds()
                # Whole segments hold 5 s (two keyframe intervals); the ones cut by the outage
                # or the stop are shorter. The file's own duration matches the logged range.
                last_of_run = s is before[-1] or s is segments[-1]
                if not last_of_run:
                    self.assertAlmostEqual(duration, SEGMENT_S, delta=0.6)
                    self.assertAlmostEqual(span, SEGMENT_S, delta=0.6)
                self.assertGreater(duration, 0)
                self.assertAlmostEqual(duration, span, delta=0.6)
                decode = subprocess.run(["ffmpeg", "-v", "error", "-i", s["path"], "-f", "null",
                                         "-"], capture_output=True, text=True, timeout=60)
                self.assertEqual(decode.returncode, 0, decode.stderr)
                self.assertEqual(decode.stderr.strip(), "", decode.stderr)

        verify = subprocess.run([EXAMGUARD, "--db", self.db, "log", "verify"],
                                capture_output=True, text=True, env=self.env, timeout=60)
        self.assertEqual(verify.returncode, 0, verify.stdout + verify.stderr)

        # The camera's password reached no log, row or file name.
        self.assertNotIn(PASSWORD, stderr)
        self.assertNotIn(PASSWORD, out)
        with open(self.db, "rb") as f:
            self.assertNotIn(PASSWORD.encode(), f.read())
        uri = self.query("SELECT stream_uri FROM camera WHERE code = 'T1-RTSP'")[0]["stream_uri"]
        self.assertEqual(uri, f"rtsp://***@127.0.0.1:{self.port}/cam")

    def test_analyses_the_stream_it_records(self):
        # The real clip with a grey card held over the lens from 10 s to 18 s, recorded as a
        # file camera with the tamper analysis at 2 fps: one `covered` event at those times
        # (relative to the first segment's start), with its snapshot, and nothing else.
        tampered = os.path.join(self.dir, "tampered.mp4")
        cut_clip(tampered, COVER_10_TO_18)
        summary = self.run_monitor(self.analysed_camera_config("T1-TAMPER", tampered))
        self.assertEqual(summary["stopped_by"], "end_of_input")
        camera = summary["cameras"][0]
        self.assertEqual(camera["segments"], 4)
        self.assertAlmostEqual(camera["frames_analysed"], 80, delta=2)  # 40 s at 2 fps
        self.assertEqual(camera["events"], 1)
        # This camera's only: the demo recorded and analysed a clip of its own (T1-FRONT).
        camera_id = self.query("SELECT id FROM camera WHERE code = 'T1-TAMPER'")[0]["id"]
        origin = utc(self.query("SELECT min(start_at) AS t FROM recording_segment WHERE "
                                "camera_id = ?", camera_id)[0]["t"])
        events = self.query("SELECT * FROM camera_event WHERE camera_id = ?", camera_id)
        self.assertEqual([e["kind"] for e in events], ["covered"])
        e = events[0]
        self.assertAlmostEqual((utc(e["start_at"]) - origin).total_seconds(), 10, delta=2)
        self.assertAlmostEqual((utc(e["end_at"]) - origin).total_seconds(), 18, delta=2)
        self.assertGreater(e["confidence"], 0.5)
        # The snapshot shows the room and its people: encrypted at rest, never a bare JPEG.
        self.assertGreater(len(e["snapshot"]), 200)
        self.assertFalse(bytes(e["snapshot"]).startswith(b"\xff\xd8"))
        entries = [p for p in (json.loads(r["payload"]) for r in self.query(
            "SELECT payload FROM event_log WHERE kind = 'camera.event'")) if p["camera"] ==
            "T1-TAMPER"]
        self.assertEqual(len(entries), 1)
        self.assertEqual(entries[0]["kind"], "covered")
        self.assertEqual(entries[0]["event_id"], e["id"])
        self.assertEqual(entries[0]["start_at"], e["start_at"])
        # Sealed into the period's archive (the event placed in a sitting of it), the snapshot
        # comes out of personal.cms, decrypted with the inspector authority's key, as the JPEG.
        with sqlite3.connect(self.db) as c:
            c.execute("UPDATE camera_event SET sitting_id = (SELECT min(id) FROM sitting) WHERE "
                      "camera_id = ?", (camera_id,))
        demo = os.path.dirname(self.db)
        authority = os.path.join(demo, "inspector-authority")
        archive = os.path.join(self.dir, "period.zip")
        p = subprocess.run([EXAMGUARD, "--db", self.db, "--json", "archive", "seal", "--period",
                            "2026-DG-011", "--out", archive, "--authority-cert",
                            os.path.join(authority, "signing.crt")],
                           capture_output=True, text=True, env=self.env, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        with zipfile.ZipFile(archive) as z:
            cms = z.read("data/personal.cms")
        plain = subprocess.run(["openssl", "cms", "-decrypt", "-inform", "DER", "-inkey",
                                os.path.join(authority, "signing.key"), "-recip",
                                os.path.join(authority, "signing.crt")], input=cms,
                               capture_output=True, check=True).stdout
        snapshots = json.loads(plain)["camera_snapshots"]
        ours = [x for x in snapshots if x["camera_event_id"] == e["id"]]
        self.assertEqual(len(ours), 1)
        self.assertTrue(base64.b64decode(ours[0]["jpeg_base64"]).startswith(b"\xff\xd8"))

    def test_analyses_the_sub_stream_while_recording_the_main_stream(self):
        # The main stream (recorded) is the clean clip; the sub-stream (analysed: analysis_url)
        # is a 384-pixel copy whose lens is covered from 10 s to 18 s. The cover is found, so
        # the analysers read the sub-stream; the segments are the main stream's, and only its.
        main = os.path.join(self.dir, "main.mp4")
        sub = os.path.join(self.dir, "sub.mp4")
        cut_clip(main)
        cut_clip(sub, "scale=384:-2," + COVER_10_TO_18)
        summary = self.run_monitor(
            self.analysed_camera_config("T1-SUB", main, analysis_url=sub))
        camera = summary["cameras"][0]
        self.assertEqual(camera["segments"], 4)
        self.assertAlmostEqual(camera["frames_analysed"], 80, delta=2)  # the sub-stream's
        camera_id = self.query("SELECT id FROM camera WHERE code = 'T1-SUB'")[0]["id"]
        events = self.query("SELECT * FROM camera_event WHERE camera_id = ?", camera_id)
        self.assertEqual([e["kind"] for e in events], ["covered"])
        segments = self.query("SELECT path FROM recording_segment WHERE camera_id = ?", camera_id)
        self.assertEqual(len(segments), 4)
        for s in segments:  # the main stream's pictures, full size
            probe = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0",
                                    "-show_entries", "stream=width", "-of", "csv=p=0",
                                    s["path"]], capture_output=True, text=True, check=True)
            self.assertEqual(probe.stdout.split()[0], "768")
        self.assertEqual(sorted(os.listdir(os.path.join(self.dir, "recordings"))), ["T1-SUB"])
        started = [json.loads(r["payload"]) for r in self.query(
            "SELECT payload FROM event_log WHERE kind = 'recording.started'")][-1]
        self.assertEqual(started["cameras"][0]["analysis_stream"], sub)

    def test_refuses_to_start_below_the_free_space_minimum(self):
        config = os.path.join(self.dir, "full.toml")
        with open(config, "w", encoding="utf-8") as f:
            f.write(f"""[recording]
directory = "{self.dir}/recordings"
min_free_mb = 1000000000

[[camera]]
code = "T1-FULL"
room = "T1"
url = "{CLIP}"
""")
        p = subprocess.run([EXAMGUARD, "--db", self.db, "--json", "monitor", "run", "--config",
                            config], capture_output=True, text=True, env=self.env, timeout=60)
        self.assertEqual(p.returncode, 1, p.stderr)
        jsonschema.validate(json.loads(p.stdout), ERROR_SCHEMA)
        self.assertIn("below the configured minimum", json.loads(p.stdout)["error"]["detail"])
        entries = self.query("SELECT payload FROM event_log WHERE kind = 'recording.disk_low'")
        self.assertEqual(len(entries), 1)
        self.assertTrue(json.loads(entries[0]["payload"])["refused"])
        self.assertEqual(self.query("SELECT g.* FROM recording_segment g JOIN camera c ON c.id = "
                                    "g.camera_id WHERE c.code = 'T1-FULL'"), [])

    def test_unknown_room_and_malformed_settings_are_refused(self):
        config = os.path.join(self.dir, "bad.toml")
        for text, code, words in [
            (f'[recording]\ndirectory = "r"\n[[camera]]\ncode = "X"\nroom = "NOPE"\nurl = "{CLIP}"\n',
             1, "room NOPE"),
            ('[recording]\ndirectory = "r"\n[[camera]]\ncode = "../x"\nroom = "T1"\nurl = "a"\n',
             3, "code"),
            ('[recording]\ndirectory = "r"\nsegment_s = 0\n[[camera]]\ncode = "X"\nroom = "T1"\n'
             'url = "a"\n', 3, "segment_s"),
            ("[recording\n", 3, "bad.toml"),
        ]:
            with self.subTest(text=text):
                with open(config, "w", encoding="utf-8") as f:
                    f.write(text)
                p = subprocess.run([EXAMGUARD, "--db", self.db, "--json", "monitor", "run",
                                    "--config", config], capture_output=True, text=True,
                                   env=self.env, timeout=60)
                self.assertEqual(p.returncode, code, p.stdout + p.stderr)
                jsonschema.validate(json.loads(p.stdout), ERROR_SCHEMA)
                self.assertIn(words, json.loads(p.stdout)["error"]["detail"])


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
