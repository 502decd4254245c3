#!/usr/bin/env python3
"""`cmake --install` of a built tree into a fresh prefix: the installed examguard runs, finds the
face models installed beside it under <prefix>/share/examguard/assets (not the build's own copy),
and the console, schemas and docs are there.

Usage: install_test.py BUILD_DIR SHARED_DATA_DIR"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

BUILD = sys.argv[1] if len(sys.argv) > 1 else "build/ci"
DATA = sys.argv[2] if len(sys.argv) > 2 else "../shared/data"
FACE = os.path.join(DATA, "faces/east-asian/nuaa_client_0013/0013_01_07_03_263.jpg")


class InstallTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.prefix = tempfile.mkdtemp(prefix="examguard-install-")
        done = subprocess.run(["cmake", "--install", BUILD, "--prefix", cls.prefix],
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.prefix, ignore_errors=True)

    def run_installed(self, *args):
        env = {k: v for k, v in os.environ.items() if k != "EXAMGUARD_ASSETS_DIR"}
        env["EXAMGUARD_LANG"] = "en"
        return subprocess.run([os.path.join(self.prefix, "bin", "examguard"), *args],
                              capture_output=True, text=True, env=env, timeout=300,
                              stdin=subprocess.DEVNULL)

    def test_1_everything_a_site_needs_is_installed(self):
        for path in ("bin/examguard", "bin/examguard-console",
                     "share/examguard/assets/models/fr_feature.onnx",
                     "share/examguard/assets/models/face_recognition_model.bin",
                     "share/examguard/assets/models/LICENSE.faceplugin",
                     "share/examguard/schemas/cli"):
            self.assertTrue(os.path.exists(os.path.join(self.prefix, path)), path)
        self.assertTrue(os.access(os.path.join(self.prefix, "bin/examguard"), os.X_OK))

    def test_2_the_installed_program_uses_the_installed_models(self):
        done = self.run_installed("face", "embed", FACE, "--json")
        self.assertEqual(done.returncode, 0, done.stderr)
        doc = json.loads(done.stdout)
        self.assertEqual(len(doc["images"][0]["faces"]), 1)
        # Without the installed model the installed program fails and names that file: it did
        # not fall back to the build tree's models.
        model = os.path.join(self.prefix, "share/examguard/assets/models/fr_feature.onnx")
        os.rename(model, model + ".away")
        try:
            done = self.run_installed("face", "embed", FACE, "--json")
            self.assertNotEqual(done.returncode, 0)
            self.assertIn(model, done.stderr + done.stdout)
        finally:
            os.rename(model + ".away", model)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
