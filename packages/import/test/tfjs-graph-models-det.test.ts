// The vendored detection GraphModels (NanoDet, CenterNet) imported and run on onnxruntime-node and
// wasm against TF.js (cpu) running the original model on the same seeded input. The reference
// interpreter is too slow for them (several GMAC); the segmentation models cover it.
import { describeModels } from './tfjs-graph-models-harness.js';

describeModels([
  { name: 'nanodet', reference: false, innerTransposes: 0 },
  // CenterNet flattens its NHWC heatmap for TopK: that order is the model's semantics.
  { name: 'centernet', reference: false, innerTransposes: 1 },
]);
