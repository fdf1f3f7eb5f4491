/**
 * Registry entries of the volo family (metadata only; `load()` imports the model code).
 * Defaults follow timm's `pretrained_cfg`s.
 * @module
 */
import type { FeatureInfo, ModelEntry, ModelFactory } from '@ocular/core';
import { VOLO_CONFIGS, type VoloArch, type VoloConfig } from './configs.js';

/** timm's `feature_info` of a configuration: one map per stage, named by its `network` index. */
export function voloFeatureInfo(config: VoloConfig): FeatureInfo[] {
  const out: FeatureInfo[] = [];
  let reduction = config.patchSize;
  let idx = 0;
  config.layers.forEach((_, i) => {
    out.push({ numChs: config.embedDims[i]!, reduction, module: `network.${idx}` });
    idx += 1;
    if (config.downsamples[i]) {
      reduction *= 2;
      idx += 1;
    }
  });
  return out;
}

const load = async (): Promise<ModelFactory> => (await import('./model.js')).factory;

function entry(arch: VoloArch, paramCount: number, tags: readonly string[]): ModelEntry {
  return {
    name: arch,
    family: 'vit',
    variants: tags,
    paramCount,
    defaultInputSize: [3, 224, 224],
    mean: [0.485, 0.456, 0.406],
    std: [0.229, 0.224, 0.225],
    numClasses: 1000,
    license: 'apache-2.0',
    paper: 'https://arxiv.org/abs/2106.13112',
    tags: ['volo', 'imagenet'],
    featureInfo: voloFeatureInfo(VOLO_CONFIGS[arch]),
    classifier: ['head', 'aux_head'],
    firstConv: 'patch_embed.conv.0',
    load,
  };
}

/** Every registered volo model. */
export const VOLO_ENTRIES: readonly ModelEntry[] = [entry('volo_d1_224', 26_632_040, ['sail_in1k'])];
