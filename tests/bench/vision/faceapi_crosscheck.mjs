// Cross-check of the dlib ResNet weight conversion against @vladmandic/face-api 1.7.15's own
// TensorFlow.js forward pass (CPU backend), on the same 150x150 chip. Run by the ctest
// vision.faceapi_crosscheck (tests/integration/vision/faceapi_crosscheck_test.sh) from the
// face-api tarball scripts/setup.d/50-face-models.sh caches, or by hand:
//
//   tar -xzf ~/.cache/examguard/npm/vladmandic-face-api-1.7.15.tgz -C /tmp package/dist/face-api.esm.js
//   build/.../tests/bench/vision/make_face_reference /tmp/ref.txt /tmp/chip.rgb
//   node tests/bench/vision/faceapi_crosscheck.mjs /tmp/package/dist/face-api.esm.js \
//        "$EXAMGUARD_ASSETS_DIR/models" /tmp/chip.rgb /tmp/ref.txt
//
// face-api scales its input by 1/255 where dlib (and the network's training) uses 1/256. Fed the
// chip as is, face-api's descriptor differs from ours by up to 2.4e-4 (2026-11-22, three chips);
// fed mean + (x - mean) * 255/256, which turns its normalisation into dlib's, by 2.4e-7
// (2026-11-23). The check passes within 1e-5 of the latter and prints both.
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
const MEAN_RGB = [122.782, 117.001, 104.298];  // dlib's and face-api's
const pixels = new Float32Array(fs.readFileSync(chipFile));
const asDlibSees = pixels.map((x, i) => MEAN_RGB[i % 3] + (x - MEAN_RGB[i % 3]) * 255 / 256);
const descriptor = (values) => net.computeFaceDescriptor(tf.tensor3d(values, [150, 150, 3]));

const line = fs.readFileSync(refFile, 'utf8').split('\n').find((l) => l.startsWith('dlib-resnet29'));
const ours = line.trim().split(/\s+/).slice(1).map(Number);
const compare = (theirs) => {
  let maxDiff = 0, sq = 0;
  for (let i = 0; i < 128; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(theirs[i] - ours[i]));
    sq += (theirs[i] - ours[i]) ** 2;
  }
  return {maxDiff, euclidean: Math.sqrt(sq)};
};
const asIs = compare(await descriptor(pixels));
const same = compare(await descriptor(asDlibSees));
console.log(`face-api (input /255) vs examguard (dlib, /256): max |diff| ${asIs.maxDiff.toExponential(2)}, ` +
            `euclidean ${asIs.euclidean.toFixed(5)}`);
console.log(`face-api given dlib's normalisation vs examguard: max |diff| ${same.maxDiff.toExponential(2)}, ` +
            `euclidean ${same.euclidean.toExponential(2)}`);
process.exit(same.maxDiff < 1e-5 ? 0 : 1);
