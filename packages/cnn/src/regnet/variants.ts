/**
 * Registry entries of the RegNet family: metadata only (listable without loading model code);
 * `load()` imports the model. Defaults and tags follow timm's `pretrained_cfg`s (the first tag of
 * each is timm's default).
 * @module
 */
import type { ModelEntry, ModelFactory } from '@ocular/core';
import { REGNET_CONFIGS, type RegNetArch, regnetFeatureInfo } from './configs.js';

const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
const IMAGENET_STD = [0.229, 0.224, 0.225] as const;
const PAPER = 'https://arxiv.org/abs/2003.13678';

const load = async (): Promise<ModelFactory> => (await import('./model.js')).factory;

function entry(arch: RegNetArch, paramCount: number, tags: readonly string[]): ModelEntry {
  const config = REGNET_CONFIGS[arch];
  return {
    name: arch,
    family: 'cnn',
    variants: tags,
    paramCount,
    defaultInputSize: [3, 224, 224],
    mean: IMAGENET_MEAN,
    std: IMAGENET_STD,
    numClasses: 1000,
    // timm's default weights: torchvision's (BSD-3-Clause) or pycls' (MIT) or timm's own (Apache-2.0).
    license: tags[0] === 'tv2_in1k' ? 'bsd-3-clause' : tags[0] === 'pycls_in1k' ? 'mit' : 'apache-2.0',
    paper: PAPER,
    tags: ['regnet', arch.startsWith('regnety') ? 'regnety' : 'regnetx', 'imagenet'],
    featureInfo: regnetFeatureInfo(config),
    classifier: 'head.fc',
    firstConv: 'stem.conv',
    load,
  };
}

/** Every registered RegNet model. */
export const REGNET_ENTRIES: readonly ModelEntry[] = [
  entry('regnetx_002', 2_684_792, ['pycls_in1k']),
  entry('regnetx_004', 5_157_512, ['pycls_in1k']),
  entry('regnetx_006', 6_196_040, ['pycls_in1k']),
  entry('regnetx_008', 7_259_656, ['tv2_in1k', 'pycls_in1k']),
  entry('regnetx_016', 9_190_136, ['tv2_in1k', 'pycls_in1k']),
  entry('regnety_002', 3_162_996, ['pycls_in1k']),
  entry('regnety_004', 4_344_144, ['tv2_in1k', 'pycls_in1k']),
  entry('regnety_006', 6_055_160, ['pycls_in1k']),
  entry('regnety_008', 6_263_168, ['pycls_in1k']),
  entry('regnety_016', 11_202_430, ['tv2_in1k', 'pycls_in1k']),
  entry('regnety_032', 19_436_338, ['ra_in1k', 'tv2_in1k', 'pycls_in1k']),
];
