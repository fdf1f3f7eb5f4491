// The vision_transformer goldens from timm: `test_vit` (at 64×64) and `vit_d2_e64` (a
// two-block ViT built from vit_tiny_patch16_224 with kwargs). Weights load strictly; logits,
// forward_features, pre_logits and the features-only maps are compared on the reference
// backend, onnxruntime-node and onnxruntime-web (wasm) at 1e-4, and against timm's float64
// forward at the sidecar's tolerance.
import { defineGoldenTests } from '@ocular/vitest-config/model-golden';
import { plugin } from '../src/index.js';

defineGoldenTests({
  plugin,
  goldens: ['test_vit', 'vit_d2_e64'],
  // The features model has no final norm and no head: those 4 keys are left out.
  featuresLeaveOut: 4,
  // `features.<j>` is the j-th selected map (block out_indices[j]).
  selectOutIndices: true,
});
