// Cross-check of the dlib ResNet weight conversion against @vladmandic/face-api 1.7.15's own
// TensorFlow.js forward pass (CPU backend), on the same 150x150 chip. Not part of ctest: it needs
// the face-api tarball that scripts/setup.d/50-face-models.sh caches.
//
//   tar -xzf ~/.cache/examguard/npm/vladmandic-face-api-1.7.15.tgz -C /tmp package/dist/face-api.esm.js
//   build/.../tests/bench/vision/make_face_reference /tmp/ref.txt /tmp/chip.rgb
//   node tests/bench/vision/faceapi_crosscheck.mjs /tmp/package/dist/face-api.esm.js \
//        "$EXAMGUARD_ASSETS_DIR/models" /tmp/chip.rgb /tmp/ref.txt
//
// Result on 2026-11-22 (three chips): max component difference 2.0e-4 to 2.4e-4, Euclidean
// 0.0007 to 0.0012 for descriptors of norm ~1.5 — float32 summation-order differences between
// OpenBLAS and TF.js, 350x smaller than the 0.42 decision threshold.
import fs from 'fs';
import path from 'path';

const [bundle, modelsDir, chipFile, refFile] = process.argv.slice(2);
// The ESM bundle targets browsers; hide Node so it does not look for Node's util module, then
// give TF.js a minimal platform and face-api a dummy DOM (only tensors are passed in).
const versions = process.versions;
Object.defineProperty(process, 'versions', {value: {}, configurable: true});
const faceapi = await import(path.resolve(bundle));
Object.defineProperty(process, 'versions', {value: versions});
const tf = faceapi.tf;
tf.env().setPlatform('plain', {
  fetch: (u, o) => fetch(u, o), now: () => performance.now(),
  encode: (t) => new TextEncoder().encode(t), decode: (b, e) => new TextDecoder(e).decode(b),
  isTypedArray: (a) => ArrayBuffer.isView(a) && !(a instanceof DataView)});
await tf.setBackend('cpu');
await tf.ready();
class Dummy {}
faceapi.env.setEnv({Canvas: Dummy, CanvasRenderingContext2D: Dummy, Image: Dummy, ImageData: Dummy, Video: Dummy,
  createCanvasElement: () => ({}), createImageElement: () => ({}), createVideoElement: () => ({}),
  fetch, readFile: async () => null});

const manifest = JSON.parse(fs.readFileSync(path.join(modelsDir, 'face_recognition_model-weights_manifest.json')));
const bin = fs.readFileSync(path.join(modelsDir, 'face_recognition_model.bin'));
const weights = tf.io.decodeWeights(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
                                    manifest.flatMap((g) => g.weights));
const net = new faceapi.FaceRecognitionNet();
net.loadFromWeightMap(weights);
const chip = tf.tensor3d(new Float32Array(fs.readFileSync(chipFile)), [150, 150, 3]);
const theirs = await net.computeFaceDescriptor(chip);

const line = fs.readFileSync(refFile, 'utf8').split('\n').find((l) => l.startsWith('dlib-resnet29'));
const ours = line.trim().split(/\s+/).slice(1).map(Number);
let maxDiff = 0, sq = 0;
for (let i = 0; i < 128; i++) {
  maxDiff = Math.max(maxDiff, Math.abs(theirs[i] - ours[i]));
  sq += (theirs[i] - ours[i]) ** 2;
}
console.log(`face-api vs examguard dlib conversion: max |diff| ${maxDiff.toExponential(2)}, ` +
            `euclidean ${Math.sqrt(sq).toFixed(5)}`);
process.exit(maxDiff < 1e-3 ? 0 : 1);
