// MACs of every registered model at its default input size, re-derived from the traced graph and
// checked against src/metrics.ts (OCULAR_UPDATE_METRICS=1 rewrites the table).
import { defineModelMetricsTests } from '@ocular/vitest-config/model-metrics';
import { plugin } from '../src/index.js';
import { MODEL_MACS } from '../src/metrics.js';

defineModelMetricsTests({
  family: 'cnn',
  plugin,
  table: MODEL_MACS,
  tableFile: new URL('../src/metrics.ts', import.meta.url),
});
