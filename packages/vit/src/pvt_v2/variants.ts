/**
 * Registry entries of the PVTv2 family: metadata only (listable without loading model code);
 * `load()` imports the model. Defaults follow timm's `pretrained_cfg`s.
 * @module
 */
import type { FeatureInfo, ModelEntry, ModelFactory } from '@ocular/core';
import { PVT_V2_CONFIGS, type PvtV2Arch, type PvtV2Config } from './configs.js';

/** timm's `feature_info` of a configuration: one NCHW map per stage (`stages.i`). */
export function pvtV2FeatureInfo(config: PvtV2Config): FeatureInfo[] {
  return config.embedDims.map((c, i) => ({ numChs: c, reduction: 4 * 2 ** i, module: `stages.${i}` }));
}

const load = async (): Promise<ModelFactory> => (await import('./model.js')).factory;

function entry(arch: PvtV2Arch, paramCount: number): ModelEntry {
  return {
    name: arch,
    family: 'vit',
    variants: ['in1k'],
    paramCount,
    defaultInputSize: [3, 224, 224],
    mean: [0.485, 0.456, 0.406],
    std: [0.229, 0.224, 0.225],
    numClasses: 1000,
    license: 'apache-2.0',
    paper: 'https://arxiv.org/abs/2106.13797',
    tags: ['pvt_v2', 'imagenet'],
    featureInfo: pvtV2FeatureInfo(PVT_V2_CONFIGS[arch]),
    classifier: 'head',
    firstConv: 'patch_embed.proj',
    load,
  };
}

/** Every registered pvt_v2 model. */
export const PVT_V2_ENTRIES: readonly ModelEntry[] = [
  entry('pvt_v2_b0', 3_666_760),
  entry('pvt_v2_b1', 14_009_000),
  entry('pvt_v2_b2', 25_362_856),
];
