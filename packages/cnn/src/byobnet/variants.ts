/**
 * Registry entries of the byobnet family (RepVGG, MobileOne, timm's `test_byobnet`): metadata only (listable without loading
 * model code); `load()` imports the model. Defaults follow timm's `pretrained_cfg`s.
 * @module
 */
import type { ModelEntry, ModelFactory } from '@ocular/core';
import { BYOBNET_CONFIGS, type ByobArch, type ByobConfig } from './configs.js';

const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
const IMAGENET_STD = [0.229, 0.224, 0.225] as const;
const PAPER_REPVGG = 'https://arxiv.org/abs/2101.03697';
const PAPER_MOBILEONE = 'https://arxiv.org/abs/2206.04040';

const load = async (): Promise<ModelFactory> => (await import('./model.js')).factory;

/** Feature info from the configuration (kept here so listing needs no model code). */
function featureInfo(config: ByobConfig) {
  const out = config.stages.map((s) => s[s.length - 1]!.channels);
  const n = out.length;
  return [
    { numChs: config.stemChannels, reduction: 2, module: 'stem' },
    ...out.slice(0, n - 1).map((c, i) => ({ numChs: c, reduction: 4 * 2 ** i, module: `stages.${i}` })),
    { numChs: out[n - 1]!, reduction: 2 ** (n + 1), module: 'final_conv' },
  ];
}

function entry(arch: ByobArch, paramCount: number): ModelEntry {
  const config: ByobConfig = BYOBNET_CONFIGS[arch];
  const rep = config.stemType === 'rep';
  return {
    name: arch,
    family: 'cnn',
    variants: [rep ? 'rvgg_in1k' : 'apple_in1k'],
    paramCount,
    defaultInputSize: [3, 224, 224],
    mean: IMAGENET_MEAN,
    std: IMAGENET_STD,
    numClasses: 1000,
    license: rep ? 'mit' : 'mobileone-license',
    paper: rep ? PAPER_REPVGG : PAPER_MOBILEONE,
    tags: [rep ? 'repvgg' : 'mobileone', 'reparameterizable', 'imagenet'],
    featureInfo: featureInfo(config),
    classifier: 'head.fc',
    // timm lists both stem branches; the k×k conv comes first.
    firstConv: rep ? 'stem.conv_kxk.conv' : 'stem.conv_kxk.0.conv',
    load,
  };
}

/** timm's residual test network (`test_byobnet.r160_in1k`). */
const TEST_BYOBNET_ENTRY: ModelEntry = {
  name: 'test_byobnet',
  family: 'cnn',
  variants: ['r160_in1k'],
  paramCount: 456_856,
  defaultInputSize: [3, 160, 160],
  mean: IMAGENET_MEAN,
  std: IMAGENET_STD,
  numClasses: 1000,
  license: 'apache-2.0',
  tags: ['byobnet', 'test', 'imagenet'],
  featureInfo: featureInfo(BYOBNET_CONFIGS.test_byobnet),
  classifier: 'head.fc',
  firstConv: 'stem.conv',
  load,
};

/** The family's registry entries (train-time form; `reparameterizeModel` gives the deploy form). */
export const BYOBNET_ENTRIES: readonly ModelEntry[] = [
  entry('repvgg_a0', 9_108_968),
  entry('repvgg_a1', 14_092_264),
  entry('repvgg_a2', 28_210_600),
  entry('repvgg_b0', 15_817_960),
  entry('mobileone_s0', 5_293_272),
  entry('mobileone_s1', 4_825_192),
  entry('mobileone_s2', 7_884_648),
  entry('mobileone_s3', 10_170_600),
  entry('mobileone_s4', 14_951_248),
  TEST_BYOBNET_ENTRY,
];
