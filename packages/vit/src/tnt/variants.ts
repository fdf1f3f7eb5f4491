/**
 * Registry entries of the tnt family (metadata only; `load()` imports the model code).
 * Defaults follow timm's `pretrained_cfg`s.
 * @module
 */
import type { FeatureInfo, ModelEntry, ModelFactory } from '@ocular/core';
import { TNT_CONFIGS, type TntArch, type TntConfig } from './configs.js';

/** timm's `feature_info` of a configuration: every block, at the patch stride. */
export function tntFeatureInfo(config: TntConfig): FeatureInfo[] {
  return Array.from({ length: config.depth }, (_, i) => ({
    numChs: config.embedDim,
    reduction: config.patchSize,
    module: `blocks.${i}`,
  }));
}

const load = async (): Promise<ModelFactory> => (await import('./model.js')).factory;

function entry(arch: TntArch, paramCount: number, tags: readonly string[]): ModelEntry {
  return {
    name: arch,
    family: 'vit',
    variants: tags,
    paramCount,
    defaultInputSize: [3, 224, 224],
    mean: [0.5, 0.5, 0.5],
    std: [0.5, 0.5, 0.5],
    numClasses: 1000,
    license: 'apache-2.0',
    paper: 'https://arxiv.org/abs/2103.00112',
    tags: ['tnt', 'imagenet'],
    featureInfo: tntFeatureInfo(TNT_CONFIGS[arch]),
    classifier: 'head',
    firstConv: 'pixel_embed.proj',
    load,
  };
}

/** Every registered tnt model. */
export const TNT_ENTRIES: readonly ModelEntry[] = [entry('tnt_s_patch16_224', 23_768_584, ['in1k'])];
