/**
 * Measured facts of every registered model, kept as data so listings need no model code:
 * multiply-accumulates of one image at the model's default input size, counted by core's
 * profiler on the traced graph. `test/metrics.test.ts` re-derives every number and fails on
 * drift; `OCULAR_UPDATE_METRICS=1 pnpm vitest run test/metrics.test.ts` rewrites this table.
 * @module
 */

/** MACs at the default input size, by architecture name. */
export const MODEL_MACS: Readonly<Record<string, number>> = {
  cait_s24_224: 9327327744,
  cait_xs24_384: 19240642944,
  cait_xxs24_224: 2523475200,
  cait_xxs36_224: 3755697408,
  crossvit_9_240: 1840796160,
  crossvit_small_240: 5615557632,
  crossvit_tiny_240: 1562734080,
  deit_base_patch16_224: 17563828224,
  deit_small_distilled_patch16_224: 4624140288,
  deit_small_patch16_224: 4598882304,
  deit_tiny_distilled_patch16_224: 1261003776,
  deit_tiny_patch16_224: 1253683200,
  pvt_v2_b0: 566065664,
  pvt_v2_b1: 2108355584,
  pvt_v2_b2: 4026734592,
  swin_base_patch4_window7_224: 15430946816,
  swin_small_patch4_window7_224: 8740875264,
  swin_tiny_patch4_window7_224: 4490566656,
  test_vit: 37635328,
  test_vit2: 48520704,
  test_vit3: 94051200,
  test_vit4: 108869568,
  tnt_s_patch16_224: 5216875008,
  twins_svt_base: 8562612480,
  twins_svt_large: 15111777280,
  twins_svt_small: 2927353344,
  vit_base_patch16_224: 17563828224,
  vit_base_patch32_224: 4409186304,
  vit_medium_patch16_gap_256: 10570158080,
  vit_small_patch16_224: 4598882304,
  vit_small_patch32_224: 1142909952,
  vit_tiny_patch16_224: 1253683200,
  volo_d1_224: 6918741504,
  xcit_nano_12_p16_224: 550952448,
  xcit_tiny_12_p16_224: 1230138624,
};
