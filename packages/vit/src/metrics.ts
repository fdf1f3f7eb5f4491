/**
 * Measured facts of every registered model, kept as data so listings need no model code:
 * multiply-accumulates of one image at the model's default input size, counted by core's
 * profiler on the traced graph. `test/metrics.test.ts` re-derives every number and fails on
 * drift; `OCULAR_UPDATE_METRICS=1 pnpm vitest run test/metrics.test.ts` rewrites this table.
 * @module
 */

/** MACs at the default input size, by architecture name. */
export const MODEL_MACS: Readonly<Record<string, number>> = {};
