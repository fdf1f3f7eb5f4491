import { defineGoldenTests } from '@ocular/vitest-config/model-golden';
import { expect } from 'vitest';
import { plugin } from '../src/index.js';

/** The family's goldens (the sidecar names the registered arch and its build kwargs). */
defineGoldenTests({
  plugin,
  goldens: ['test_efficientnet', 'mobilenetv3_small_050'],
  // timm's features model has no head conv / head norm / classifier: exactly those keys stay unused.
  featuresLeaveOut: (weights, sidecar) => {
    const unused = new Set([...weights.keys()].filter((k) => /^(conv_head|bn2|classifier)\./.test(k)));
    expect(unused.size).toBe(
      (sidecar as unknown as { features_only: { classifier_keys_unused_by_features_model: string[] } })
        .features_only.classifier_keys_unused_by_features_model.length,
    );
    return unused.size;
  },
});
