/**
 * torchvision's `FeaturePyramidNetwork` (`inner_blocks.<i>.0` 1×1 laterals, `layer_blocks.<i>.0`
 * 3×3 outputs, nearest top-down upsampling) with its extra blocks `LastLevelP6P7`
 * (`extra_blocks.p6/p7`) and `LastLevelMaxPool`, as a core {@link Neck}; and
 * `BackboneWithFPN` (`body` + `fpn`).
 * @module
 */
import {
  Conv2d,
  F,
  type FeatureInfo,
  InvalidArgumentError,
  Module,
  ModuleList,
  type Neck,
  Sequential,
  type SymbolicTensor,
} from '@ocular/core';

/** The extra levels torchvision's FPN can append. */
export type FpnExtraBlocks =
  /** P6 = conv3×3/2 of P5 (or C5 when widths differ), P7 = conv3×3/2 of relu(P6) (RetinaNet, FCOS). */
  | { readonly type: 'p6p7'; readonly inChannels?: number }
  /** `pool`: a 1×1 stride-2 max pool of the last level (Faster R-CNN). */
  | { readonly type: 'maxpool' };

/** torchvision's `LastLevelP6P7`. */
export class LastLevelP6P7 extends Module<[SymbolicTensor[], SymbolicTensor[]], SymbolicTensor[]> {
  readonly p6: Conv2d;
  readonly p7: Conv2d;
  /** P6 is computed from P5 when the widths agree, else from C5 (torchvision's `use_P5`). */
  readonly useP5: boolean;

  constructor(inChannels: number, outChannels: number) {
    super();
    this.p6 = this.registerModule('p6', new Conv2d(inChannels, outChannels, 3, { stride: 2, padding: 1 }));
    this.p7 = this.registerModule('p7', new Conv2d(outChannels, outChannels, 3, { stride: 2, padding: 1 }));
    this.useP5 = inChannels === outChannels;
  }

  forward(p: SymbolicTensor[], c: SymbolicTensor[]): SymbolicTensor[] {
    const p6 = this.p6.call(this.useP5 ? p.at(-1)! : c.at(-1)!);
    const p7 = this.p7.call(F.relu(p6));
    return [...p, p6, p7];
  }
}

/** torchvision's `LastLevelMaxPool` (no parameters). */
export class LastLevelMaxPool extends Module<[SymbolicTensor[], SymbolicTensor[]], SymbolicTensor[]> {
  forward(p: SymbolicTensor[]): SymbolicTensor[] {
    return [...p, F.maxPool(p.at(-1)!, 1, { stride: 2 })];
  }
}

/** Options of {@link FeaturePyramidNetwork}. */
export interface FpnOptions {
  /** The backbone maps it is fed, shallow to deep (channels and strides). */
  readonly featureInfo: readonly FeatureInfo[];
  /** Width of every output level (torchvision: 256). */
  readonly outChannels: number;
  readonly extraBlocks?: FpnExtraBlocks;
}

/** torchvision's `FeaturePyramidNetwork` (without norm layers) as a {@link Neck}. */
export class FeaturePyramidNetwork extends Module<[SymbolicTensor[]], SymbolicTensor[]> implements Neck {
  readonly innerBlocks: ModuleList<Sequential>;
  readonly layerBlocks: ModuleList<Sequential>;
  readonly extraBlocks?: LastLevelP6P7 | LastLevelMaxPool;
  readonly featureInfo: readonly FeatureInfo[];

  constructor(options: FpnOptions) {
    super();
    const { featureInfo, outChannels } = options;
    if (!featureInfo.length) throw new InvalidArgumentError('FPN: no input feature maps');
    this.innerBlocks = this.registerModule(
      'inner_blocks',
      new ModuleList(featureInfo.map((f) => new Sequential([new Conv2d(f.numChs, outChannels, 1)]))),
    );
    this.layerBlocks = this.registerModule(
      'layer_blocks',
      new ModuleList(
        featureInfo.map(() => new Sequential([new Conv2d(outChannels, outChannels, 3, { padding: 1 })])),
      ),
    );
    const info: FeatureInfo[] = featureInfo.map((f, i) => ({
      numChs: outChannels,
      reduction: f.reduction,
      module: `layer_blocks.${i}`,
    }));
    const last = featureInfo.at(-1)!;
    const extra = options.extraBlocks;
    if (extra?.type === 'p6p7') {
      const inCh = extra.inChannels ?? outChannels;
      if (inCh !== outChannels && inCh !== last.numChs)
        throw new InvalidArgumentError(
          `FPN: LastLevelP6P7 input ${inCh} is neither the FPN width ${outChannels} nor C5's ${last.numChs}`,
        );
      this.extraBlocks = this.registerModule('extra_blocks', new LastLevelP6P7(inCh, outChannels));
      info.push(
        { numChs: outChannels, reduction: last.reduction * 2, module: 'extra_blocks.p6' },
        { numChs: outChannels, reduction: last.reduction * 4, module: 'extra_blocks.p7' },
      );
    } else if (extra?.type === 'maxpool') {
      this.extraBlocks = this.registerModule('extra_blocks', new LastLevelMaxPool());
      info.push({ numChs: outChannels, reduction: last.reduction * 2, module: 'extra_blocks' });
    }
    this.featureInfo = info;
  }

  forward(x: SymbolicTensor[]): SymbolicTensor[] {
    const n = this.innerBlocks.length;
    if (x.length !== n) throw new InvalidArgumentError(`FPN: ${x.length} feature maps for ${n} levels`);
    let lastInner = this.innerBlocks.get(n - 1).call(x[n - 1]!);
    const results = [this.layerBlocks.get(n - 1).call(lastInner)];
    for (let i = n - 2; i >= 0; i--) {
      const lateral = this.innerBlocks.get(i).call(x[i]!);
      const [, , h, w] = F.shapeOf(lateral);
      if (typeof h !== 'number' || typeof w !== 'number')
        throw new InvalidArgumentError('FPN: feature maps need a static height and width');
      lastInner = F.add(lateral, F.interpolate(lastInner, { size: [h, w], mode: 'nearest' }));
      results.unshift(this.layerBlocks.get(i).call(lastInner));
    }
    return this.extraBlocks ? this.extraBlocks.call(results, x) : results;
  }
}

/** A features-only backbone: returns its maps and declares them. */
export type FeatureBody = Module<[SymbolicTensor], SymbolicTensor[]> & {
  readonly featureInfo: readonly FeatureInfo[];
};

/** torchvision's `BackboneWithFPN`: `body` (the backbone's returned layers) then `fpn`. */
export class BackboneWithFPN extends Module<[SymbolicTensor], SymbolicTensor[]> {
  readonly body: FeatureBody;
  readonly fpn: FeaturePyramidNetwork;

  constructor(body: FeatureBody, outChannels: number, extraBlocks?: FpnExtraBlocks) {
    super();
    this.body = this.registerModule('body', body);
    this.fpn = this.registerModule(
      'fpn',
      new FeaturePyramidNetwork({ featureInfo: body.featureInfo, outChannels, extraBlocks }),
    );
  }

  /** The FPN's output levels. */
  get featureInfo(): readonly FeatureInfo[] {
    return this.fpn.featureInfo;
  }

  forward(x: SymbolicTensor): SymbolicTensor[] {
    return this.fpn.call(this.body.call(x));
  }
}
