/**
 * Measured facts of every registered model, kept as data so listings need no model code:
 * multiply-accumulates of one image at the model's default input size, counted by core's
 * profiler on the traced graph. `test/metrics.test.ts` re-derives every number and fails on
 * drift; `OCULAR_UPDATE_METRICS=1 pnpm vitest run test/metrics.test.ts` rewrites this table.
 * @module
 */

/** MACs at the default input size, by architecture name. */
export const MODEL_MACS: Readonly<Record<string, number>> = {
  ecaresnet50d: 4328912640,
  resnet101: 7801405440,
  resnet101d: 10501963776,
  resnet152: 11513626624,
  resnet152d: 15350579200,
  resnet18: 1814073344,
  resnet18d: 2053713920,
  resnet34: 3663761408,
  resnet34d: 3903401984,
  resnet50: 4089184256,
  resnet50d: 4328824832,
  resnext50_32x4d: 4230479872,
  seresnet50: 4091699200,
  seresnext50_32x4d: 4232994816,
  test_resnet: 102547200,
};
