/**
 * torchvision's segmentation classifiers with its state-dict names: `FCNHead`, `DeepLabHead`
 * (with `ASPP`) and `LRASPPHead`. Each maps backbone feature maps to class scores at the
 * feature resolution; the model upsamples them to the input.
 * @module
 */
import {
  BatchNorm2d,
  Conv2d,
  Dropout,
  F,
  InvalidArgumentError,
  Module,
  ModuleList,
  ReLU,
  Sequential,
  Sigmoid,
  type SymbolicTensor,
} from '@ocular/core';
import { AdaptiveAvgPool2d, resizeBilinear, spatialSize } from './ops.js';

type Layer = Module<[SymbolicTensor], SymbolicTensor>;

function checkChannels(what: string, ...values: number[]): void {
  for (const v of values) {
    if (!Number.isInteger(v) || v < 1)
      throw new InvalidArgumentError(`${what}: channel counts must be positive integers, got ${v}`);
  }
}

/**
 * torchvision's `FCNHead`: 3×3 conv to `in / 4` channels, BN, ReLU, dropout 0.1, 1×1 classifier
 * (children `0`..`4`). Also the auxiliary classifier of the torchvision segmentation models.
 */
export class FCNHead extends Sequential {
  constructor(inChannels: number, channels: number) {
    checkChannels('FCNHead', inChannels, channels);
    const inter = Math.floor(inChannels / 4);
    super([
      new Conv2d(inChannels, inter, 3, { padding: 1, bias: false }),
      new BatchNorm2d(inter),
      new ReLU(),
      new Dropout(0.1),
      new Conv2d(inter, channels, 1),
    ]);
  }
}

/** torchvision's `ASPPConv`: dilated 3×3 conv, BN, ReLU (children `0`..`2`). */
export class ASPPConv extends Sequential {
  constructor(inChannels: number, outChannels: number, dilation: number) {
    super([
      new Conv2d(inChannels, outChannels, 3, { padding: dilation, dilation, bias: false }),
      new BatchNorm2d(outChannels),
      new ReLU(),
    ]);
  }
}

/**
 * torchvision's `ASPPPooling`: image-level features — global average pool, 1×1 conv, BN, ReLU
 * (children `0`..`3`), broadcast back to the input's size (a bilinear resize of a 1×1 map).
 */
export class ASPPPooling extends Sequential {
  constructor(inChannels: number, outChannels: number) {
    super([
      new AdaptiveAvgPool2d(1),
      new Conv2d(inChannels, outChannels, 1, { bias: false }),
      new BatchNorm2d(outChannels),
      new ReLU(),
    ]);
  }

  override forward(x: SymbolicTensor): SymbolicTensor {
    const [h, w] = spatialSize(x, 'ASPPPooling');
    // Broadcasting [N, C, 1, 1] to [1, 1, h, w] keeps a symbolic batch symbolic.
    return F.expand(super.forward(x), [1, 1, h, w]);
  }
}

/**
 * torchvision's `ASPP`: a 1×1 branch, one dilated 3×3 branch per rate and the pooling branch
 * (`convs.<i>`), concatenated and projected (`project`: 1×1 conv, BN, ReLU, dropout 0.5).
 */
export class ASPP extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly convs: ModuleList<Layer>;
  readonly project: Sequential;

  constructor(inChannels: number, atrousRates: readonly number[], outChannels = 256) {
    super();
    checkChannels('ASPP', inChannels, outChannels);
    const branches: Layer[] = [
      new Sequential([
        new Conv2d(inChannels, outChannels, 1, { bias: false }),
        new BatchNorm2d(outChannels),
        new ReLU(),
      ]),
      ...atrousRates.map((r) => new ASPPConv(inChannels, outChannels, r)),
      new ASPPPooling(inChannels, outChannels),
    ];
    this.convs = this.registerModule('convs', new ModuleList(branches));
    const total = branches.length * outChannels;
    this.project = this.registerModule(
      'project',
      new Sequential([
        new Conv2d(total, outChannels, 1, { bias: false }),
        new BatchNorm2d(outChannels),
        new ReLU(),
        new Dropout(0.5),
      ]),
    );
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    const outs = [...this.convs].map((branch) => branch.call(x));
    return this.project.call(F.concat(outs, 1));
  }
}

/**
 * torchvision's `DeepLabHead`: ASPP (rates 12, 24, 36 by default), 3×3 conv, BN, ReLU, 1×1
 * classifier (children `0`..`4`).
 */
export class DeepLabHead extends Sequential {
  constructor(
    inChannels: number,
    numClasses: number,
    options: { channels?: number; atrousRates?: readonly number[] } = {},
  ) {
    const c = options.channels ?? 256;
    checkChannels('DeepLabHead', inChannels, numClasses, c);
    super([
      new ASPP(inChannels, options.atrousRates ?? [12, 24, 36], c),
      new Conv2d(c, c, 3, { padding: 1, bias: false }),
      new BatchNorm2d(c),
      new ReLU(),
      new Conv2d(c, numClasses, 1),
    ]);
  }
}

/**
 * torchvision's `LRASPPHead` (Lite R-ASPP, Howard et al. 2019): the high-level map through a 1×1
 * conv-BN-ReLU (`cbr`) gated by a pooled sigmoid attention (`scale`), upsampled to the low-level
 * map and classified, plus a 1×1 classifier of the low-level map.
 */
export class LRASPPHead extends Module<[SymbolicTensor, SymbolicTensor], SymbolicTensor> {
  readonly cbr: Sequential;
  readonly scale: Sequential;
  readonly low_classifier: Conv2d;
  readonly high_classifier: Conv2d;

  constructor(lowChannels: number, highChannels: number, numClasses: number, interChannels = 128) {
    super();
    checkChannels('LRASPPHead', lowChannels, highChannels, numClasses, interChannels);
    this.cbr = this.registerModule(
      'cbr',
      new Sequential([
        new Conv2d(highChannels, interChannels, 1, { bias: false }),
        new BatchNorm2d(interChannels),
        new ReLU(),
      ]),
    );
    this.scale = this.registerModule(
      'scale',
      new Sequential([
        new AdaptiveAvgPool2d(1),
        new Conv2d(highChannels, interChannels, 1, { bias: false }),
        new Sigmoid(),
      ]),
    );
    this.low_classifier = this.registerModule('low_classifier', new Conv2d(lowChannels, numClasses, 1));
    this.high_classifier = this.registerModule('high_classifier', new Conv2d(interChannels, numClasses, 1));
  }

  forward(low: SymbolicTensor, high: SymbolicTensor): SymbolicTensor {
    const x = F.mul(this.cbr.call(high), this.scale.call(high));
    const up = resizeBilinear(x, spatialSize(low, 'LRASPPHead'));
    return F.add(this.low_classifier.call(low), this.high_classifier.call(up));
  }
}
