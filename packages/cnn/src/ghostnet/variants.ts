/**
 * Registry entries of the GhostNet family: metadata only (listable without loading model code);
 * `load()` imports the model. Defaults and tags follow timm's `pretrained_cfg`s.
 * @module
 */
import type { ModelEntry, ModelFactory } from '@ocular/core';
import { GHOSTNET_CONFIGS, type GhostNetArch, ghostnetFeatureInfo } from './configs.js';

const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
const IMAGENET_STD = [0.229, 0.224, 0.225] as const;
const PAPER = 'https://arxiv.org/abs/1911.11907';

const load = async (): Promise<ModelFactory> => (await import('./model.js')).factory;

function entry(arch: GhostNetArch, paramCount: number, tag: string): ModelEntry {
  return {
    name: arch,
    family: 'cnn',
    variants: [tag],
    paramCount,
    defaultInputSize: [3, 224, 224],
    mean: IMAGENET_MEAN,
    std: IMAGENET_STD,
    numClasses: 1000,
    license: 'apache-2.0',
    paper: PAPER,
    tags: ['ghostnet', 'imagenet', 'mobile'],
    featureInfo: ghostnetFeatureInfo(GHOSTNET_CONFIGS[arch]),
    classifier: 'classifier',
    firstConv: 'conv_stem',
    load,
  };
}

/** Every registered GhostNet model. */
export const GHOSTNET_ENTRIES: readonly ModelEntry[] = [
  entry('ghostnet_050', 2_587_292, 'untrained'),
  entry('ghostnet_100', 5_182_508, 'in1k'),
  entry('ghostnet_130', 7_358_820, 'untrained'),
];
