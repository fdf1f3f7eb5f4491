// The vendored NanoDet GraphModel (an ONNX model converted to TF, transposes around every conv)
// imported and run on the reference interpreter (~3 s at its own 416×416 input), onnxruntime-node
// and wasm against TF.js (cpu) running the original model on the same seeded input.
import { describeModels } from './tfjs-graph-models-harness.js';

describeModels([{ name: 'nanodet', reference: true, innerTransposes: 0 }]);
