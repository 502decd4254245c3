#!/usr/bin/env python3
"""examguard monitor discover against a simulated ONVIF camera in a network namespace: the
WS-Discovery probe goes out by real UDP multicast (239.255.255.250:3702 on the namespace's
loopback), the camera answers a ProbeMatch, and its device and media services (HTTP, SOAP 1.2)
check the WS-Security UsernameToken digest before giving profiles and stream URIs.
Alongside it, hostile neighbours: garbage datagrams, an answer to another probe, and a forged
ProbeMatch pointing the station at another host (which must not be contacted).
Needs root for `ip netns` (CI runs as root); without it the test fails, it does not skip.
Usage: onvif_discover_test.py EXAMGUARD SOURCE_DIR"""
import base64
import hashlib
import http.server
import json
import os
import re
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import unittest
import uuid

import jsonschema

EXAMGUARD = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "examguard"
SOURCE = sys.argv[2] if len(sys.argv) > 2 else "."
USER, PASSWORD = "admin", "s3cret-ONVIF"
GROUP = "239.255.255.250"


def soap(body):
    return ('<?xml version="1.0" encoding="UTF-8"?><s:Envelope '
            'xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
            'xmlns:tds="http://www.onvif.org/ver10/device/wsdl" '
            'xmlns:trt="http://www.onvif.org/ver10/media/wsdl" '
            'xmlns:tt="http://www.onvif.org/ver10/schema">'
            f'<s:Body>{body}</s:Body></s:Envelope>').encode()


def fault(reason):
    return soap('<s:Fault><s:Code><s:Value>s:Sender</s:Value></s:Code>'
                f'<s:Reason><s:Text xml:lang="en">{reason}</s:Text></s:Reason></s:Fault>')


def authorised(request):
    """Checks the UsernameToken PasswordDigest as a camera does."""
    def field(name):
        m = re.search(rf"<wsse:{name}[^>]*>([^<]*)</wsse:{name}>", request)
        return m.group(1) if m else None
    created = re.search(r"<wsu:Created>([^<]*)</wsu:Created>", request)
    if not (field("Username") == USER and field("Nonce") and created and field("Password")):
        return False
    nonce = base64.b64decode(field("Nonce"))
    digest = hashlib.sha1(nonce + created.group(1).encode() + PASSWORD.encode()).digest()
    return base64.b64encode(digest).decode() == field("Password")


class Camera(http.server.BaseHTTPRequestHandler):
    requests = []

    def do_POST(self):
        request = self.rfile.read(int(self.headers["Content-Length"])).decode()
        Camera.requests.append((self.path, request))
        port = self.server.server_port
        if not authorised(request):
            status, body = 400, fault("Sender not authorized")
        elif "GetCapabilities" in request:
            status, body = 200, soap(
                '<tds:GetCapabilitiesResponse><tds:Capabilities><tt:Media>'
                f'<tt:XAddr>http://127.0.0.1:{port}/onvif/media_service</tt:XAddr>'
                '</tt:Media></tds:Capabilities></tds:GetCapabilitiesResponse>')
        elif "GetProfiles" in request:
            profiles = "".join(
                f'<trt:Profiles token="{token}" fixed="true"><tt:Name>{name}</tt:Name>'
                '<tt:VideoEncoderConfiguration token="v"><tt:Encoding>H264</tt:Encoding>'
                f'<tt:Resolution><tt:Width>{w}</tt:Width><tt:Height>{h}</tt:Height>'
                '</tt:Resolution></tt:VideoEncoderConfiguration></trt:Profiles>'
                for token, name, w, h in [("main", "mainStream", 1920, 1080),
                                          ("sub", "subStream", 640, 360)])
            status, body = 200, soap(f"<trt:GetProfilesResponse>{profiles}</trt:GetProfilesResponse>")
        elif "GetStreamUri" in request:
            token = re.search(r"<trt:ProfileToken>([^<]*)<", request).group(1)
            # Some cameras put credentials into the URI; the station must not show them.
            uri = f"rtsp://{USER}:{PASSWORD}@127.0.0.1:554/Streaming/Channels/{token}"
            status, body = 200, soap('<trt:GetStreamUriResponse><trt:MediaUri>'
                                     f'<tt:Uri>{uri}</tt:Uri></trt:MediaUri>'
                                     '</trt:GetStreamUriResponse>')
        else:
            status, body = 400, fault("unknown action")
        self.send_response(status)
        self.send_header("Content-Type", "application/soap+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def probe_match(relates_to, address, xaddrs, name):
    return ('<?xml version="1.0"?><e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope" '
            'xmlns:w="http://schemas.xmlsoap.org/ws/2004/08/addressing" '
            'xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery">'
            f'<e:Header><w:RelatesTo>{relates_to}</w:RelatesTo></e:Header><e:Body>'
            '<d:ProbeMatches><d:ProbeMatch><w:EndpointReference>'
            f'<w:Address>{address}</w:Address></w:EndpointReference>'
            '<d:Types>dn:NetworkVideoTransmitter</d:Types>'
            f'<d:Scopes>onvif://www.onvif.org/name/{name} '
            'onvif://www.onvif.org/hardware/DS-2CD2T47 onvif://www.onvif.org/location/room1</d:Scopes>'
            f'<d:XAddrs>{xaddrs}</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion>'
            '</d:ProbeMatch></d:ProbeMatches></e:Body></e:Envelope>').encode()


def serve_discovery(http_port, probes):
    """Answers every probe on the group: the camera, a forged match, and noise."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("", 3702))
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                    struct.pack("4s4s", socket.inet_aton(GROUP), socket.inet_aton("127.0.0.1")))

    def loop():
        while True:
            data, peer = sock.recvfrom(65536)
            text = data.decode(errors="replace")
            m = re.search(r"<w:MessageID>([^<]*)</w:MessageID>", text)
            if not m or "NetworkVideoTransmitter" not in text:
                continue
            probes.append(text)
            mid = m.group(1)
            for answer in [
                    b"\x00\xffnot xml at all",
                    b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaaaaaaaa'>"
                    b"<!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>]><x>&b;</x>",
                    probe_match("urn:uuid:someone-else", "urn:uuid:other-probe",
                                f"http://127.0.0.1:{http_port}/onvif/device_service", "Other"),
                    probe_match(mid, "urn:uuid:forged-0001",
                                "http://10.99.0.1/onvif/device_service", "Forged"),
                    probe_match(mid, "urn:uuid:cam-0001",
                                f"http://127.0.0.1:{http_port}/onvif/device_service",
                                "Exam%20room%201%20front")]:
                sock.sendto(answer, peer)

    threading.Thread(target=loop, daemon=True).start()


def inside():
    """Runs in the namespace: the camera, the neighbours, and examguard against them."""
    server = http.server.HTTPServer(("127.0.0.1", 0), Camera)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    probes = []
    serve_discovery(server.server_port, probes)
    env = dict(os.environ, EXAMGUARD_LANG="en")
    results = {}
    with tempfile.TemporaryDirectory() as d:
        pw = os.path.join(d, "onvif-password")
        with open(pw, "w") as f:
            f.write(PASSWORD + "\n")
        wrong = os.path.join(d, "wrong")
        with open(wrong, "w") as f:
            f.write("guess\n")
        for name, extra in [("ok", ["--password-file", pw]), ("wrong", ["--password-file", wrong]),
                            ("nouser", [])]:
            user = ["--user", USER] if extra else []
            p = subprocess.run([EXAMGUARD, "--json", "monitor", "discover", "--wait", "1500",
                                *user, *extra], capture_output=True, text=True, env=env,
                               timeout=60)
            results[name] = {"code": p.returncode, "stdout": p.stdout, "stderr": p.stderr}
        p = subprocess.run([EXAMGUARD, "monitor", "discover", "--wait", "1500", "--user", USER,
                            "--password-file", pw], capture_output=True, text=True, env=env,
                           timeout=60)
        results["text"] = {"code": p.returncode, "stdout": p.stdout, "stderr": p.stderr}
    results["probes"] = probes
    results["paths"] = sorted({path for path, _ in Camera.requests})
    print(json.dumps(results))


class OnvifDiscover(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        ns = "eg-onvif-" + uuid.uuid4().hex[:8]
        setup = [["ip", "netns", "add", ns],
                 ["ip", "-n", ns, "link", "set", "lo", "up", "multicast", "on"],
                 ["ip", "-n", ns, "route", "add", "224.0.0.0/4", "dev", "lo"]]
        try:
            for command in setup:
                subprocess.run(command, check=True, capture_output=True)
            p = subprocess.run(["ip", "netns", "exec", ns, sys.executable, __file__, EXAMGUARD,
                                SOURCE, "--inside"], capture_output=True, text=True, timeout=240)
        finally:
            subprocess.run(["ip", "netns", "delete", ns], capture_output=True)
        assert p.returncode == 0, p.stderr
        cls.results = json.loads(p.stdout)
        with open(os.path.join(SOURCE, "schemas", "cli", "monitor-discover.schema.json"),
                  encoding="utf-8") as f:
            cls.schema = json.load(f)

    def cameras(self, run):
        r = self.results[run]
        self.assertEqual(r["code"], 0, r["stderr"])
        doc = json.loads(r["stdout"])
        jsonschema.validate(doc, self.schema)
        return {c["address"]: c for c in doc["cameras"]}

    def test_camera_found_with_its_streams_and_no_credentials_shown(self):
        cams = self.cameras("ok")
        # Only answers to this probe count: not the other probe's, not the garbage.
        self.assertEqual(set(cams), {"urn:uuid:cam-0001", "urn:uuid:forged-0001"})
        cam = cams["urn:uuid:cam-0001"]
        self.assertIsNone(cam["error"])
        self.assertEqual((cam["from"], cam["name"], cam["hardware"]),
                         ("127.0.0.1", "Exam room 1 front", "DS-2CD2T47"))
        self.assertEqual([(p["token"], p["encoding"], p["width"], p["height"], p["stream_uri"])
                          for p in cam["profiles"]],
                         [("main", "H264", 1920, 1080,
                           "rtsp://127.0.0.1:554/Streaming/Channels/main"),
                          ("sub", "H264", 640, 360, "rtsp://127.0.0.1:554/Streaming/Channels/sub")])
        for run in ("ok", "wrong", "text"):
            self.assertNotIn(PASSWORD, self.results[run]["stdout"] + self.results[run]["stderr"])
        self.assertIn("rtsp://127.0.0.1:554/Streaming/Channels/sub", self.results["text"]["stdout"])
        self.assertIn("NetworkVideoTransmitter", self.results["probes"][0])

    def test_forged_answer_is_listed_but_not_contacted(self):
        forged = self.cameras("ok")["urn:uuid:forged-0001"]
        self.assertEqual(forged["profiles"], [])
        self.assertIn("not contacted", forged["error"])
        self.assertEqual(self.results["paths"], ["/onvif/device_service", "/onvif/media_service"])

    def test_wrong_or_missing_credentials_are_named(self):
        for run in ("wrong", "nouser"):
            cam = self.cameras(run)["urn:uuid:cam-0001"]
            self.assertEqual(cam["profiles"], [])
            self.assertIn("not authorized", cam["error"])


if __name__ == "__main__":
    if "--inside" in sys.argv:
        inside()
    else:
        unittest.main(argv=sys.argv[:1], verbosity=2)
