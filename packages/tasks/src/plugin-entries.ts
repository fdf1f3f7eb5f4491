/**
 * Registry entries of the task networks (detectors, segmenters, super-resolution nets) and of
 * the heads and necks that compose with any backbone. Plain data plus lazy loaders.
 * @module
 */
import type { HeadEntry, HeadFactory, ModelEntry, Module, NeckFactory } from '@ocular/core';
import { InvalidArgumentError } from '@ocular/core';
import { COCO_91_LABELS } from './detection/coco-labels.js';
import { SEGMENTATION_HEAD_ENTRIES } from './segmentation/head-entries.js';
import { VOC_LABELS } from './segmentation/voc-labels.js';
import { SR_VARIANTS } from './sr/configs.js';

const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
const IMAGENET_STD = [0.229, 0.224, 0.225] as const;
const UNTRAINED = 'no weights bundled (random initialisation); torchvision checkpoints load strictly';

/** What differs between the torchvision task networks' entries (data). */
interface TvTaskData {
  readonly name: string;
  readonly task: 'detection' | 'segmentation';
  readonly paramCount: number;
  readonly size: number;
  readonly normalisation: 'half' | 'imagenet';
  readonly preprocess: ModelEntry['preprocess'];
  readonly paper: string;
  readonly tags: readonly string[];
  /** Imports the builder (`numClasses` plus the entry's kwargs). */
  readonly builder: () => Promise<(options: { numClasses: number }) => Module>;
}

// Segmentation letterboxes pad with the ImageNet mean colour, which normalises to zero as
// torchvision's zero padding of normalised tensors does.
const MEAN_FILL = [124, 116, 104];

const TV_TASKS: readonly TvTaskData[] = [
  {
    name: 'ssdlite320_mobilenet_v3_large',
    task: 'detection',
    paramCount: 3_440_060,
    size: 320,
    normalisation: 'half',
    // torchvision's transform resizes to a fixed 320×320 (fixed_size), i.e. stretches.
    preprocess: { resize: 'stretch' },
    paper: 'https://arxiv.org/abs/1905.02244',
    tags: ['torchvision', 'coco', 'mobile'],
    builder: async () => (await import('./detection/index.js')).ssdlite320MobileNetV3Large,
  },
  {
    name: 'retinanet_resnet50_fpn',
    task: 'detection',
    paramCount: 34_068_119,
    size: 800,
    normalisation: 'imagenet',
    preprocess: { resize: 'letterbox', fill: MEAN_FILL },
    paper: 'https://arxiv.org/abs/1708.02002',
    tags: ['torchvision', 'coco'],
    builder: async () => (await import('./detection/index.js')).retinanetResnet50Fpn,
  },
  {
    name: 'fcos_resnet50_fpn',
    task: 'detection',
    paramCount: 32_322_720,
    size: 800,
    normalisation: 'imagenet',
    preprocess: { resize: 'letterbox', fill: MEAN_FILL },
    paper: 'https://arxiv.org/abs/1904.01355',
    tags: ['torchvision', 'coco'],
    builder: async () => (await import('./detection/index.js')).fcosResnet50Fpn,
  },
  {
    name: 'lraspp_mobilenet_v3_large',
    task: 'segmentation',
    paramCount: 3_221_538,
    size: 520,
    normalisation: 'imagenet',
    preprocess: { resize: 'letterbox', fill: MEAN_FILL },
    paper: 'https://arxiv.org/abs/1905.02244',
    tags: ['torchvision', 'voc', 'mobile'],
    builder: async () => (await import('./segmentation/index.js')).lrasppMobileNetV3Large,
  },
  {
    name: 'deeplabv3_mobilenet_v3_large',
    task: 'segmentation',
    paramCount: 11_025_477,
    size: 520,
    normalisation: 'imagenet',
    preprocess: { resize: 'letterbox', fill: MEAN_FILL },
    paper: 'https://arxiv.org/abs/1706.05587',
    tags: ['torchvision', 'voc', 'mobile'],
    builder: async () => (await import('./segmentation/index.js')).deeplabv3MobileNetV3Large,
  },
  {
    name: 'fcn_resnet50',
    task: 'segmentation',
    paramCount: 32_957_013,
    size: 520,
    normalisation: 'imagenet',
    preprocess: { resize: 'letterbox', fill: MEAN_FILL },
    paper: 'https://arxiv.org/abs/1411.4038',
    tags: ['torchvision', 'voc'],
    builder: async () => (await import('./segmentation/index.js')).fcnResnet50,
  },
];

function tvTaskEntry(d: TvTaskData): ModelEntry {
  const half = d.normalisation === 'half';
  return {
    name: d.name,
    family: d.task,
    task: d.task,
    paramCount: d.paramCount,
    defaultInputSize: [3, d.size, d.size],
    mean: half ? [0.5, 0.5, 0.5] : IMAGENET_MEAN,
    std: half ? [0.5, 0.5, 0.5] : IMAGENET_STD,
    numClasses: d.task === 'detection' ? 91 : 21,
    labels: d.task === 'detection' ? COCO_91_LABELS : VOC_LABELS,
    preprocess: d.preprocess,
    license: UNTRAINED,
    paper: d.paper,
    tags: d.tags,
    load: async () => {
      const build = await d.builder();
      return (o) => build({ numClasses: o.numClasses, ...o.kwargs });
    },
  };
}

/** The detectors and segmenters with torchvision's state-dict layouts. */
export const TORCHVISION_TASK_ENTRIES: readonly ModelEntry[] = TV_TASKS.map(tvTaskEntry);

/** The named super-resolution configurations ({@link SR_VARIANTS}) as registry entries. */
export const SR_ENTRIES: readonly ModelEntry[] = Object.entries(SR_VARIANTS).map(([name, cfg]) => ({
  name,
  family: 'super-resolution',
  task: 'super-resolution',
  paramCount: cfg.paramCount,
  // Fully convolutional: any input size works; this is the size listings and traces default to.
  defaultInputSize: [3, 64, 64],
  mean: [0, 0, 0],
  std: [1, 1, 1],
  numClasses: 0,
  license: UNTRAINED.replace('torchvision checkpoints', `checkpoints with keys of ${cfg.keysFrom}`),
  paper: cfg.paper,
  tags: name.startsWith('test_') ? ['super-resolution', 'test'] : ['super-resolution'],
  load: async () => {
    const { createSrNet } = await import('./sr/index.js');
    return (o) => createSrNet(name, o.kwargs);
  },
}));

function neckFactory(load: () => Promise<NeckFactory>): HeadEntry['load'] {
  return load;
}

/** Heads and necks that compose with any registered backbone (`createPipeline`). */
export const TASK_HEAD_ENTRIES: readonly HeadEntry[] = [
  {
    name: 'fpn',
    task: 'neck',
    description:
      "torchvision's feature pyramid network; config: outChannels (256), extraBlocks ('p6p7' | 'maxpool')",
    load: neckFactory(async () => {
      const { FeaturePyramidNetwork } = await import('./detection/index.js');
      return ({ featureInfo, config = {} }) => {
        const outChannels = (config.outChannels as number | undefined) ?? 256;
        const extra = config.extraBlocks as string | undefined;
        if (extra !== undefined && extra !== 'p6p7' && extra !== 'maxpool')
          throw new InvalidArgumentError(`fpn: extraBlocks must be 'p6p7' or 'maxpool', got '${extra}'`);
        return new FeaturePyramidNetwork({
          featureInfo,
          outChannels,
          extraBlocks: extra ? { type: extra } : undefined,
        });
      };
    }),
  },
  {
    name: 'yolov8',
    task: 'detection',
    description: 'YOLOv8-style decoupled anchor-free head with DFL box decoding (Ultralytics Detect keys)',
    load: async () => (await import('./yolo/index.js')).createYoloV8Head as HeadFactory,
  },
  ...SEGMENTATION_HEAD_ENTRIES,
];
