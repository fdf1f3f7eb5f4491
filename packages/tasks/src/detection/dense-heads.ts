/**
 * The heads of torchvision's one-stage dense detectors: `RetinaNetHead` (v1: four plain
 * conv-ReLU layers per tower, `conv.<i>.0`) and `FCOSHead` (four conv-GroupNorm-ReLU layers per
 * tower, `conv.0/1/3/4/...`, plus centerness).
 * @module
 */
import { Conv2d, F, GroupNorm, Module, ReLU, Sequential, type SymbolicTensor } from '@ocular/core';
import { concatLevels, flattenLevel } from './head-layout.js';

const conv3 = (i: number, o: number) => new Conv2d(i, o, 3, { padding: 1 });

/** RetinaNet v1's tower: `Conv2dNormActivation` without norm (conv with bias, ReLU), ×`n`. */
function plainTower(channels: number, n: number): Sequential {
  return new Sequential(
    Array.from({ length: n }, () => new Sequential([conv3(channels, channels), new ReLU()])),
  );
}

/** FCOS's tower: conv, GroupNorm, ReLU, ×`n` (flat: `conv.0`, `conv.1`, `conv.3`, ...). */
function groupNormTower(channels: number, n: number, groups: number): Sequential {
  const layers: Module[] = [];
  for (let i = 0; i < n; i++)
    layers.push(conv3(channels, channels), new GroupNorm(groups, channels), new ReLU());
  return new Sequential(layers);
}

type Levels = Module<[SymbolicTensor[]], SymbolicTensor>;

/** torchvision's `RetinaNetClassificationHead`: tower then `cls_logits`, `[N, H·W·A, classes]`. */
export class RetinaNetClassificationHead extends Module<[SymbolicTensor[]], SymbolicTensor> {
  readonly conv: Sequential;
  readonly clsLogits: Conv2d;

  constructor(
    inChannels: number,
    numAnchors: number,
    readonly numClasses: number,
    numConvs = 4,
  ) {
    super();
    this.conv = this.registerModule('conv', plainTower(inChannels, numConvs));
    this.clsLogits = this.registerModule('cls_logits', conv3(inChannels, numAnchors * numClasses));
  }

  forward(features: SymbolicTensor[]): SymbolicTensor {
    return concatLevels(
      features.map((f) => flattenLevel(this.clsLogits.call(this.conv.call(f)), this.numClasses)),
    );
  }
}

/** torchvision's `RetinaNetRegressionHead`: tower then `bbox_reg`, `[N, H·W·A, 4]`. */
export class RetinaNetRegressionHead extends Module<[SymbolicTensor[]], SymbolicTensor> {
  readonly conv: Sequential;
  readonly bboxReg: Conv2d;

  constructor(inChannels: number, numAnchors: number, numConvs = 4) {
    super();
    this.conv = this.registerModule('conv', plainTower(inChannels, numConvs));
    this.bboxReg = this.registerModule('bbox_reg', conv3(inChannels, numAnchors * 4));
  }

  forward(features: SymbolicTensor[]): SymbolicTensor {
    return concatLevels(features.map((f) => flattenLevel(this.bboxReg.call(this.conv.call(f)), 4)));
  }
}

/** torchvision's `RetinaNetHead` (v1): `cls_logits` and `bbox_regression`. */
export class RetinaNetHead extends Module<[SymbolicTensor[]], Record<string, SymbolicTensor>> {
  readonly classificationHead: Levels;
  readonly regressionHead: Levels;

  constructor(inChannels: number, numAnchors: number, numClasses: number) {
    super();
    this.classificationHead = this.registerModule(
      'classification_head',
      new RetinaNetClassificationHead(inChannels, numAnchors, numClasses),
    );
    this.regressionHead = this.registerModule(
      'regression_head',
      new RetinaNetRegressionHead(inChannels, numAnchors),
    );
  }

  forward(features: SymbolicTensor[]): Record<string, SymbolicTensor> {
    return {
      cls_logits: this.classificationHead.call(features),
      bbox_regression: this.regressionHead.call(features),
    };
  }
}

/** torchvision's `FCOSClassificationHead`: GroupNorm tower then `cls_logits`. */
export class FCOSClassificationHead extends Module<[SymbolicTensor[]], SymbolicTensor> {
  readonly conv: Sequential;
  readonly clsLogits: Conv2d;

  constructor(
    inChannels: number,
    numAnchors: number,
    readonly numClasses: number,
    numConvs = 4,
    numGroups = 32,
  ) {
    super();
    this.conv = this.registerModule('conv', groupNormTower(inChannels, numConvs, numGroups));
    this.clsLogits = this.registerModule('cls_logits', conv3(inChannels, numAnchors * numClasses));
  }

  forward(features: SymbolicTensor[]): SymbolicTensor {
    return concatLevels(
      features.map((f) => flattenLevel(this.clsLogits.call(this.conv.call(f)), this.numClasses)),
    );
  }
}

/** torchvision's `FCOSRegressionHead`: GroupNorm tower, `relu(bbox_reg)` and `bbox_ctrness`. */
export class FCOSRegressionHead extends Module<[SymbolicTensor[]], [SymbolicTensor, SymbolicTensor]> {
  readonly conv: Sequential;
  readonly bboxReg: Conv2d;
  readonly bboxCtrness: Conv2d;

  constructor(inChannels: number, numAnchors: number, numConvs = 4, numGroups = 32) {
    super();
    this.conv = this.registerModule('conv', groupNormTower(inChannels, numConvs, numGroups));
    this.bboxReg = this.registerModule('bbox_reg', conv3(inChannels, numAnchors * 4));
    this.bboxCtrness = this.registerModule('bbox_ctrness', conv3(inChannels, numAnchors));
  }

  forward(features: SymbolicTensor[]): [SymbolicTensor, SymbolicTensor] {
    const towers = features.map((f) => this.conv.call(f));
    return [
      concatLevels(towers.map((t) => flattenLevel(F.relu(this.bboxReg.call(t)), 4))),
      concatLevels(towers.map((t) => flattenLevel(this.bboxCtrness.call(t), 1))),
    ];
  }
}

/** torchvision's `FCOSHead`: `cls_logits`, `bbox_regression` and `bbox_ctrness`. */
export class FCOSHead extends Module<[SymbolicTensor[]], Record<string, SymbolicTensor>> {
  readonly classificationHead: FCOSClassificationHead;
  readonly regressionHead: FCOSRegressionHead;

  constructor(inChannels: number, numAnchors: number, numClasses: number, numConvs = 4, numGroups = 32) {
    super();
    this.classificationHead = this.registerModule(
      'classification_head',
      new FCOSClassificationHead(inChannels, numAnchors, numClasses, numConvs, numGroups),
    );
    this.regressionHead = this.registerModule(
      'regression_head',
      new FCOSRegressionHead(inChannels, numAnchors, numConvs, numGroups),
    );
  }

  forward(features: SymbolicTensor[]): Record<string, SymbolicTensor> {
    const [bboxRegression, bboxCtrness] = this.regressionHead.call(features);
    return {
      cls_logits: this.classificationHead.call(features),
      bbox_regression: bboxRegression,
      bbox_ctrness: bboxCtrness,
    };
  }
}
