/**
 * Registry entries of the task networks (detectors, segmenters, super-resolution nets) and of
 * the heads and necks that compose with any backbone. Plain data plus lazy loaders.
 * @module
 */
import type { HeadEntry, HeadFactory, ModelEntry, NeckFactory } from '@ocular/core';
import { InvalidArgumentError } from '@ocular/core';
import { COCO_91_LABELS } from './detection/coco-labels.js';
import { SEGMENTATION_HEAD_ENTRIES } from './segmentation/head-entries.js';
import { VOC_LABELS } from './segmentation/voc-labels.js';
import { SR_VARIANTS } from './sr/configs.js';

const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
const IMAGENET_STD = [0.229, 0.224, 0.225] as const;
const UNTRAINED = 'no weights bundled (random initialisation); torchvision checkpoints load strictly';

/** The detectors and segmenters with torchvision's state-dict layouts. */
export const TORCHVISION_TASK_ENTRIES: readonly ModelEntry[] = [
  {
    name: 'ssdlite320_mobilenet_v3_large',
    family: 'detection',
    task: 'detection',
    paramCount: 3_440_060,
    defaultInputSize: [3, 320, 320],
    mean: [0.5, 0.5, 0.5],
    std: [0.5, 0.5, 0.5],
    numClasses: 91,
    labels: COCO_91_LABELS,
    // torchvision's transform resizes to a fixed 320×320 (fixed_size), i.e. stretches.
    preprocess: { resize: 'stretch' },
    license: UNTRAINED,
    paper: 'https://arxiv.org/abs/1905.02244',
    tags: ['torchvision', 'coco', 'mobile'],
    load: async () => {
      const { ssdlite320MobileNetV3Large } = await import('./detection/index.js');
      return (o) => ssdlite320MobileNetV3Large({ numClasses: o.numClasses, ...o.kwargs });
    },
  },
  {
    name: 'retinanet_resnet50_fpn',
    family: 'detection',
    task: 'detection',
    paramCount: 34_068_119,
    defaultInputSize: [3, 800, 800],
    mean: IMAGENET_MEAN,
    std: IMAGENET_STD,
    numClasses: 91,
    labels: COCO_91_LABELS,
    preprocess: { resize: 'letterbox', fill: [0, 0, 0] },
    license: UNTRAINED,
    paper: 'https://arxiv.org/abs/1708.02002',
    tags: ['torchvision', 'coco'],
    load: async () => {
      const { retinanetResnet50Fpn } = await import('./detection/index.js');
      return (o) => retinanetResnet50Fpn({ numClasses: o.numClasses, ...o.kwargs });
    },
  },
  {
    name: 'fcos_resnet50_fpn',
    family: 'detection',
    task: 'detection',
    paramCount: 32_322_720,
    defaultInputSize: [3, 800, 800],
    mean: IMAGENET_MEAN,
    std: IMAGENET_STD,
    numClasses: 91,
    labels: COCO_91_LABELS,
    preprocess: { resize: 'letterbox', fill: [0, 0, 0] },
    license: UNTRAINED,
    paper: 'https://arxiv.org/abs/1904.01355',
    tags: ['torchvision', 'coco'],
    load: async () => {
      const { fcosResnet50Fpn } = await import('./detection/index.js');
      return (o) => fcosResnet50Fpn({ numClasses: o.numClasses, ...o.kwargs });
    },
  },
  {
    name: 'lraspp_mobilenet_v3_large',
    family: 'segmentation',
    task: 'segmentation',
    paramCount: 3_221_538,
    defaultInputSize: [3, 520, 520],
    mean: IMAGENET_MEAN,
    std: IMAGENET_STD,
    numClasses: 21,
    labels: VOC_LABELS,
    preprocess: { resize: 'letterbox', fill: [124, 116, 104] },
    license: UNTRAINED,
    paper: 'https://arxiv.org/abs/1905.02244',
    tags: ['torchvision', 'voc', 'mobile'],
    load: async () => {
      const { lrasppMobileNetV3Large } = await import('./segmentation/index.js');
      return (o) => lrasppMobileNetV3Large({ numClasses: o.numClasses, ...o.kwargs });
    },
  },
  {
    name: 'deeplabv3_mobilenet_v3_large',
    family: 'segmentation',
    task: 'segmentation',
    paramCount: 11_025_477,
    defaultInputSize: [3, 520, 520],
    mean: IMAGENET_MEAN,
    std: IMAGENET_STD,
    numClasses: 21,
    labels: VOC_LABELS,
    preprocess: { resize: 'letterbox', fill: [124, 116, 104] },
    license: UNTRAINED,
    paper: 'https://arxiv.org/abs/1706.05587',
    tags: ['torchvision', 'voc', 'mobile'],
    load: async () => {
      const { deeplabv3MobileNetV3Large } = await import('./segmentation/index.js');
      return (o) => deeplabv3MobileNetV3Large({ numClasses: o.numClasses, ...o.kwargs });
    },
  },
  {
    name: 'fcn_resnet50',
    family: 'segmentation',
    task: 'segmentation',
    paramCount: 32_957_013,
    defaultInputSize: [3, 520, 520],
    mean: IMAGENET_MEAN,
    std: IMAGENET_STD,
    numClasses: 21,
    labels: VOC_LABELS,
    preprocess: { resize: 'letterbox', fill: [124, 116, 104] },
    license: UNTRAINED,
    paper: 'https://arxiv.org/abs/1411.4038',
    tags: ['torchvision', 'voc'],
    load: async () => {
      const { fcnResnet50 } = await import('./segmentation/index.js');
      return (o) => fcnResnet50({ numClasses: o.numClasses, ...o.kwargs });
    },
  },
];

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
