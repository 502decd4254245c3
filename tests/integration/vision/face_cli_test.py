#!/usr/bin/env python3
"""Runs the real examguard binary's `face` commands on the shared photos with the real models
and checks exit codes and --json output against schemas/cli/face-*.schema.json.
Usage: face_cli_test.py EXAMGUARD SOURCE_DIR SHARED_DATA_DIR"""
import json
import math
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest
import zlib

import jsonschema

EXAMGUARD = sys.argv[1] if len(sys.argv) > 1 else "examguard"
SOURCE = sys.argv[2] if len(sys.argv) > 2 else "."
DATA = sys.argv[3] if len(sys.argv) > 3 else os.path.join(SOURCE, "..", "shared", "data")
FACES = os.path.join(DATA, "faces")
SAME_A = os.path.join(FACES, "east-asian/nuaa_client_0013/0013_01_07_03_263.jpg")
SAME_B = os.path.join(FACES, "east-asian/nuaa_client_0013/0013_01_07_03_428.jpg")
OTHER = os.path.join(FACES, "east-asian/nuaa_client_0014/0014_01_06_03_251.jpg")
COUPLE = os.path.join(FACES, "deepface/couple.jpg")


def load_schema(name):
    with open(os.path.join(SOURCE, "schemas", "cli", name), encoding="utf-8") as f:
        return inline_refs(json.load(f))


def inline_refs(node):
    """Replaces references to another schema file ("face-embed.schema.json#/$defs/quality") by
    the definition itself, so that any jsonschema version validates without a resolver (Debian
    12's python3-jsonschema 4.10 has no `referencing`)."""
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ".schema.json#/" in ref:
            name, pointer = ref.split("#/", 1)
            target = load_schema(name)
            for part in pointer.split("/"):
                target = target[part]
            return target
        return {k: inline_refs(v) for k, v in node.items()}
    if isinstance(node, list):
        return [inline_refs(v) for v in node]
    return node


def validate(doc, name):
    jsonschema.Draft202012Validator(load_schema(name)).validate(doc)


def run(*args, env_extra=None, lang="en"):
    env = dict(os.environ)
    if lang:
        env["EXAMGUARD_LANG"] = lang
    else:
        env.pop("EXAMGUARD_LANG", None)
        env["LANG"] = env["LC_ALL"] = "zh_CN.UTF-8"
    env.update(env_extra or {})
    p = subprocess.run([EXAMGUARD, *args], capture_output=True, text=True, env=env, timeout=120)
    return p.returncode, p.stdout, p.stderr


def gray_png(path, width=320, height=240):
    """A face-less but valid PNG (uniform grey), written without any imaging library."""
    raw = b"".join(b"\x00" + bytes([128]) * width for _ in range(height))

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


class FaceCli(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="examguard-face-")
        self.text = os.path.join(self.dir, "notes.jpg")
        with open(self.text, "w", encoding="utf-8") as f:
            f.write("not an image\n")
        self.truncated = os.path.join(self.dir, "cut.jpg")
        with open(SAME_A, "rb") as f:
            data = f.read()
        with open(self.truncated, "wb") as f:
            f.write(data[: len(data) // 2])
        self.blank = os.path.join(self.dir, "blank.png")
        gray_png(self.blank)

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def embed(self, *images, model=None):
        args = ["face", "embed", *images, "--json"] + (["--model", model] if model else [])
        code, out, err = run(*args)
        doc = json.loads(out)
        validate(doc, "face-embed.schema.json")
        return code, doc, err

    def test_embed_reports_every_face_and_quality(self):
        code, doc, err = self.embed(COUPLE, SAME_A)
        self.assertEqual(code, 0, err)
        self.assertEqual([len(i["faces"]) for i in doc["images"]], [2, 1])
        self.assertIn("another_person_in_view", doc["images"][0]["quality"]["issues"])
        self.assertTrue(doc["images"][1]["quality"]["ok"], doc["images"][1]["quality"])
        for image in doc["images"]:
            self.assertIsNone(image["error"])
            for face in image["faces"]:
                self.assertEqual(len(face["embedding"]), 512)
                norm = math.sqrt(sum(x * x for x in face["embedding"]))
                self.assertAlmostEqual(norm, 1.0, places=4)  # cosine model, unit length

    def test_compare_agrees_with_embed_for_both_models(self):
        for model, size in (("onnx", 512), ("dlib", 128)):
            _, doc, _ = self.embed(SAME_A, SAME_B, OTHER, model=model)
            e = [img["faces"][0]["embedding"] for img in doc["images"]]
            self.assertEqual(len(e[0]), size)
            for other, expect_match in ((SAME_B, True), (OTHER, False)):
                code, out, err = run("face", "compare", SAME_A, other, "--model", model, "--json")
                cmp = json.loads(out)
                validate(cmp, "face-compare.schema.json")
                self.assertEqual(cmp["model"], doc["model"])
                self.assertEqual(cmp["threshold"], doc["threshold"])
                emb = e[1] if other == SAME_B else e[2]
                d = math.dist(e[0], emb)
                self.assertAlmostEqual(cmp["distance"], d, places=5)
                self.assertEqual(cmp["match"], d <= cmp["threshold"])
                self.assertEqual(cmp["match"], expect_match, (model, other, cmp["distance"]))
                self.assertEqual(code, 0 if expect_match else 1, err)

    def test_liveness_refuses_printed_photos(self):
        fake = os.path.join(FACES, "spoof/fake", sorted(os.listdir(os.path.join(FACES, "spoof/fake")))[0])
        real = os.path.join(FACES, "spoof/real", sorted(os.listdir(os.path.join(FACES, "spoof/real")))[0])
        code, out, err = run("face", "liveness", real, "--json")
        doc = json.loads(out)
        validate(doc, "face-liveness.schema.json")
        self.assertEqual(code, 0, err)
        self.assertTrue(doc["images"][0]["live"])
        code, out, _ = run("face", "liveness", real, fake, "--json")
        doc = json.loads(out)
        validate(doc, "face-liveness.schema.json")
        self.assertEqual(code, 1)
        self.assertEqual([i["live"] for i in doc["images"]], [True, False])
        self.assertLess(doc["images"][1]["score"], 0.5)

    def test_bad_images_are_exit_3_and_do_not_hide_good_ones(self):
        missing = os.path.join(self.dir, "missing.jpg")
        code, doc, _ = self.embed(self.text, SAME_A, self.truncated, missing, self.dir)
        self.assertEqual(code, 3)
        errors = [i["error"] for i in doc["images"]]
        self.assertIsNone(errors[1])
        self.assertEqual(len(doc["images"][1]["faces"]), 1)
        for i in (0, 2, 3, 4):
            self.assertIsNotNone(errors[i])
            self.assertEqual(doc["images"][i]["faces"], [])
        self.assertIn("truncated", errors[2])
        code, out, _ = run("face", "liveness", self.truncated, "--json")
        self.assertEqual(code, 3)
        validate(json.loads(out), "face-liveness.schema.json")
        code, out, _ = run("face", "compare", SAME_A, self.text, "--json")
        self.assertEqual(code, 3)
        validate(json.loads(out), "error.schema.json")

    def test_id_numbers_in_file_names_are_masked_on_screen(self):
        named = os.path.join(self.dir, "110105199001011234.jpg")
        shutil.copy(self.truncated, named)
        code, out, err = run("face", "embed", named)
        self.assertEqual(code, 3)
        self.assertNotIn("110105199001011234", out + err)
        self.assertIn("1234", out)
        code, doc, err = self.embed(named)
        self.assertEqual(doc["images"][0]["path"], named)  # the caller's own path, unchanged
        self.assertNotIn("110105199001011234", doc["images"][0]["error"] + err)

    def test_faceless_image(self):
        code, doc, _ = self.embed(self.blank)
        self.assertEqual(code, 0)
        self.assertEqual(doc["images"][0]["faces"], [])
        self.assertEqual(doc["images"][0]["quality"]["issues"], ["no_face"])
        code, out, _ = run("face", "compare", SAME_A, self.blank, "--json")
        self.assertEqual(code, 1)
        validate(json.loads(out), "error.schema.json")
        code, out, _ = run("face", "liveness", self.blank, "--json")
        self.assertEqual(code, 1)
        doc = json.loads(out)
        validate(doc, "face-liveness.schema.json")
        self.assertFalse(doc["images"][0]["live"])
        self.assertIsNone(doc["images"][0]["score"])

    def test_missing_models_name_the_setup_script(self):
        empty = os.path.join(self.dir, "assets")
        os.mkdir(empty)
        for cmd in (["embed", SAME_A], ["compare", SAME_A, SAME_B], ["liveness", SAME_A]):
            code, out, err = run("face", *cmd, "--json", env_extra={"EXAMGUARD_ASSETS_DIR": empty})
            self.assertEqual(code, 3, cmd)
            validate(json.loads(out), "error.schema.json")
            self.assertIn("scripts/setup.sh", err)

    def test_usage_errors(self):
        self.assertEqual(run("face", "compare", SAME_A)[0], 2)
        self.assertEqual(run("face", "compare", SAME_A, SAME_B, OTHER)[0], 2)
        self.assertEqual(run("face", "embed", SAME_A, "--model", "vgg")[0], 2)
        self.assertEqual(run("face")[0], 2)

    def test_text_output_is_translated(self):
        code, out, _ = run("face", "compare", SAME_A, OTHER, lang=None)
        self.assertEqual(code, 1)
        self.assertIn("不是同一人", out)
        code, out, _ = run("face", "embed", COUPLE, lang=None)
        self.assertIn("其他人", out)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
