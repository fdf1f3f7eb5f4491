// The vendored CenterNet GraphModel (MobileNetV3 backbone, in-graph TopK decoding) imported and run
// on the reference interpreter (~6 s at its fixed 512×512 input), onnxruntime-node and wasm against
// TF.js (cpu) running the original model on the same seeded input.
import { describeModels } from './tfjs-graph-models-harness.js';

// CenterNet flattens its NHWC heatmap for TopK: that order is the model's semantics.
describeModels([{ name: 'centernet', reference: true, innerTransposes: 1 }]);
