/**
 * Registry entries of the XCiT family (metadata only; `load()` imports the model code).
 * Defaults and tags follow timm's `pretrained_cfg`s.
 * @module
 */
import type { FeatureInfo, ModelEntry, ModelFactory } from '@ocular/core';
import { XCIT_CONFIGS, type XcitArch, type XcitConfig } from './configs.js';

/** timm's `feature_info`: every XCA block, at the patch stride. */
export function xcitFeatureInfo(config: XcitConfig): FeatureInfo[] {
  return Array.from({ length: config.depth }, (_, i) => ({
    numChs: config.embedDim,
    reduction: config.patchSize,
    module: `blocks.${i}`,
  }));
}

const load = async (): Promise<ModelFactory> => (await import('./model.js')).factory;

function entry(arch: XcitArch, paramCount: number): ModelEntry {
  const config: XcitConfig = XCIT_CONFIGS[arch];
  return {
    name: arch,
    family: 'vit',
    variants: ['fb_in1k', 'fb_dist_in1k'],
    paramCount,
    defaultInputSize: [3, config.imgSize, config.imgSize],
    mean: [0.485, 0.456, 0.406],
    std: [0.229, 0.224, 0.225],
    numClasses: 1000,
    license: 'apache-2.0',
    paper: 'https://arxiv.org/abs/2106.09681',
    tags: ['xcit', 'imagenet'],
    featureInfo: xcitFeatureInfo(config),
    classifier: 'head',
    firstConv: 'patch_embed.proj.0.0',
    load,
  };
}

/** Every registered xcit model (parameter counts at 1000 classes, timm's). */
export const XCIT_ENTRIES: readonly ModelEntry[] = [
  entry('xcit_nano_12_p16_224', 3_053_224),
  entry('xcit_tiny_12_p16_224', 6_716_272),
];
