/**
 * RepViT's layers in their train-time (multi-branch, batch-normed) form with timm's child names.
 * Those with a deploy form implement core's `Reparameterizable`: `reparameterize()` returns the
 * fused conv or linear layer computing the same function at inference. Forwards look their
 * children up by name, so a child replaced by its deploy form is the one that runs.
 * @module
 */
import {
  type ActivationLayer,
  assignFusedKernel,
  BatchNorm1d,
  BatchNorm2d,
  batchNormAffine,
  Conv2d,
  createActivation,
  Dropout,
  F,
  type FusedKernel,
  fuseConvBn,
  Identity,
  InvalidArgumentError,
  Linear,
  Module,
  type Reparameterizable,
  Sequential,
  SqueezeExcite,
  type SymbolicTensor,
  sumKernels,
} from '@ocular/core';

type Layer = Module<[SymbolicTensor], SymbolicTensor>;

/** A child by name, as the layer it is now (possibly a deploy form). */
function sub(m: Module, name: string): Layer {
  return m.child(name) as Layer;
}

/** A bias-carrying `Conv2d` with the geometry of `like` holding `fused`. */
function fusedConv(like: Conv2d, fused: FusedKernel): Conv2d {
  const groups = like.options.groups ?? 1;
  const conv = new Conv2d(like.inChannels, like.outChannels, like.kernelSize, {
    ...like.options,
    groups,
    bias: true,
  });
  assignFusedKernel(conv, fused);
  return conv;
}

/** Options of {@link ConvNorm}. */
export interface ConvNormOptions {
  readonly stride?: number;
  readonly padding?: number;
  readonly groups?: number;
}

/** timm's RepViT `ConvNorm`: a bias-free conv `c` and batch norm `bn`. Fuses to one conv. */
export class ConvNorm extends Module<[SymbolicTensor], SymbolicTensor> implements Reparameterizable {
  readonly c: Conv2d;
  readonly bn: BatchNorm2d;

  constructor(inChannels: number, outChannels: number, kernelSize = 1, options: ConvNormOptions = {}) {
    super();
    this.c = this.registerModule(
      'c',
      new Conv2d(inChannels, outChannels, kernelSize, {
        stride: options.stride ?? 1,
        padding: options.padding ?? 0,
        groups: options.groups ?? 1,
        bias: false,
      }),
    );
    this.bn = this.registerModule('bn', new BatchNorm2d(outChannels));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return this.bn.call(this.c.call(x));
  }

  /** The conv with the batch norm folded into its weight and bias. */
  reparameterize(): Conv2d {
    return fusedConv(this.c, fuseConvBn(this.c, this.bn));
  }
}

/**
 * timm's `RepVggDw`: `bn(conv(x) + conv1(x) + x)` with a k×k depthwise `ConvNorm`, a 1×1
 * depthwise conv with bias, and the identity; the legacy form has a `ConvNorm` as `conv1` and no
 * batch norm after the sum. Fuses to one k×k depthwise conv.
 */
export class RepVggDw extends Module<[SymbolicTensor], SymbolicTensor> implements Reparameterizable {
  readonly channels: number;
  readonly kernelSize: number;
  readonly legacy: boolean;

  constructor(channels: number, kernelSize: number, legacy = false) {
    super();
    this.channels = channels;
    this.kernelSize = kernelSize;
    this.legacy = legacy;
    const pad = Math.floor((kernelSize - 1) / 2);
    this.registerModule(
      'conv',
      new ConvNorm(channels, channels, kernelSize, { padding: pad, groups: channels }),
    );
    this.registerModule(
      'conv1',
      legacy
        ? new ConvNorm(channels, channels, 1, { groups: channels })
        : new Conv2d(channels, channels, 1, { groups: channels }),
    );
    this.registerModule('bn', legacy ? new Identity() : new BatchNorm2d(channels));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    const y = F.add(F.add(sub(this, 'conv').call(x), sub(this, 'conv1').call(x)), x);
    return sub(this, 'bn').call(y);
  }

  /** One depthwise conv: the three branches summed (1×1 kernels centred), then the batch norm folded in. */
  reparameterize(): Conv2d {
    const conv = this.child('conv');
    const conv1 = this.child('conv1');
    if (!(conv instanceof ConvNorm)) throw new InvalidArgumentError('RepVggDw: conv was already replaced');
    const c = this.channels;
    const branch1: FusedKernel =
      conv1 instanceof ConvNorm
        ? fuseConvBn(conv1.c, conv1.bn)
        : {
            dims: [c, 1, 1, 1],
            weight: Float64Array.from((conv1 as Conv2d).weight.toFloat32()),
            bias: Float64Array.from((conv1 as Conv2d).bias!.toFloat32()),
          };
    // Depthwise identity: weight 1 in every channel's 1×1 kernel.
    const identity: FusedKernel = {
      dims: [c, 1, 1, 1],
      weight: new Float64Array(c).fill(1),
      bias: new Float64Array(c),
    };
    let fused = sumKernels([fuseConvBn(conv.c, conv.bn), branch1, identity]);
    const bn = this.child('bn');
    if (bn instanceof BatchNorm2d) {
      const { scale, shift } = batchNormAffine(bn);
      const per = fused.weight.length / c;
      const weight = fused.weight.map((w, i) => w * scale[Math.floor(i / per)]!);
      const bias = fused.bias.map((b, o) => b * scale[o]! + shift[o]!);
      fused = { dims: fused.dims, weight, bias };
    }
    return fusedConv(conv.c, fused);
  }
}

/** timm's `RepVitMlp`: 1×1 `ConvNorm` to the hidden width, activation, 1×1 `ConvNorm` back. */
export class RepVitMlp extends Module<[SymbolicTensor], SymbolicTensor> {
  constructor(inChannels: number, hidden: number, actLayer: ActivationLayer = 'gelu') {
    super();
    this.registerModule('conv1', new ConvNorm(inChannels, hidden));
    this.registerModule('act', createActivation(actLayer));
    this.registerModule('conv2', new ConvNorm(hidden, inChannels));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return sub(this, 'conv2').call(sub(this, 'act').call(sub(this, 'conv1').call(x)));
  }
}

/** timm's `RepViTBlock`: token mixer, optional SE (ratio 1/4), then a residual channel mixer. */
export class RepViTBlock extends Module<[SymbolicTensor], SymbolicTensor> {
  constructor(channels: number, mlpRatio: number, kernelSize: number, useSe: boolean, legacy = false) {
    super();
    this.registerModule('token_mixer', new RepVggDw(channels, kernelSize, legacy));
    this.registerModule('se', useSe ? new SqueezeExcite(channels, { rdRatio: 0.25 }) : new Identity());
    this.registerModule('channel_mixer', new RepVitMlp(channels, channels * mlpRatio));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    const y = sub(this, 'se').call(sub(this, 'token_mixer').call(x));
    return F.add(y, sub(this, 'channel_mixer').call(y));
  }
}

/** timm's `RepVitStem`: two stride-2 3×3 `ConvNorm`s with a GELU between (stride 4). */
export class RepVitStem extends Module<[SymbolicTensor], SymbolicTensor> {
  constructor(inChannels: number, outChannels: number) {
    super();
    const half = Math.floor(outChannels / 2);
    this.registerModule('conv1', new ConvNorm(inChannels, half, 3, { stride: 2, padding: 1 }));
    this.registerModule('act1', createActivation('gelu'));
    this.registerModule('conv2', new ConvNorm(half, outChannels, 3, { stride: 2, padding: 1 }));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return sub(this, 'conv2').call(sub(this, 'act1').call(sub(this, 'conv1').call(x)));
  }
}

/**
 * timm's `RepVitDownsample`: a block without SE, a stride-2 depthwise `ConvNorm`, a 1×1
 * `ConvNorm` to the new width, and a residual channel mixer (`ffn`).
 */
export class RepVitDownsample extends Module<[SymbolicTensor], SymbolicTensor> {
  constructor(inChannels: number, mlpRatio: number, outChannels: number, kernelSize: number, legacy = false) {
    super();
    this.registerModule('pre_block', new RepViTBlock(inChannels, mlpRatio, kernelSize, false, legacy));
    this.registerModule(
      'spatial_downsample',
      new ConvNorm(inChannels, inChannels, kernelSize, {
        stride: 2,
        padding: Math.floor((kernelSize - 1) / 2),
        groups: inChannels,
      }),
    );
    this.registerModule('channel_downsample', new ConvNorm(inChannels, outChannels, 1));
    this.registerModule('ffn', new RepVitMlp(outChannels, outChannels * mlpRatio));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    let y = sub(this, 'pre_block').call(x);
    y = sub(this, 'channel_downsample').call(sub(this, 'spatial_downsample').call(y));
    return F.add(y, sub(this, 'ffn').call(y));
  }
}

/** timm's `RepVitStage`: an optional downsample, then blocks alternating with and without SE. */
export class RepVitStage extends Module<[SymbolicTensor], SymbolicTensor> {
  constructor(
    inChannels: number,
    outChannels: number,
    depth: number,
    options: { mlpRatio: number; kernelSize: number; downsample: boolean; legacy: boolean },
  ) {
    super();
    const { mlpRatio, kernelSize, legacy } = options;
    if (!options.downsample && inChannels !== outChannels) {
      throw new InvalidArgumentError(
        `RepVitStage: ${inChannels} → ${outChannels} channels need a downsample`,
      );
    }
    this.registerModule(
      'downsample',
      options.downsample
        ? new RepVitDownsample(inChannels, mlpRatio, outChannels, kernelSize, legacy)
        : new Identity(),
    );
    this.registerModule(
      'blocks',
      new Sequential(
        Array.from(
          { length: depth },
          (_, i) => new RepViTBlock(outChannels, mlpRatio, kernelSize, i % 2 === 0, legacy),
        ),
      ),
    );
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return sub(this, 'blocks').call(sub(this, 'downsample').call(x));
  }
}

/** timm's `NormLinear`: batch norm `bn` then linear `l`. Fuses to one linear layer. */
export class NormLinear extends Module<[SymbolicTensor], SymbolicTensor> implements Reparameterizable {
  readonly bn: BatchNorm1d;
  readonly l: Linear;

  constructor(inFeatures: number, outFeatures: number) {
    super();
    this.bn = this.registerModule('bn', new BatchNorm1d(inFeatures));
    this.l = this.registerModule('l', new Linear(inFeatures, outFeatures));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return this.l.call(this.bn.call(x));
  }

  /** The linear layer `W·diag(scale)`, bias `W·shift + b`. */
  reparameterize(): Linear {
    const { scale, shift } = batchNormAffine(this.bn);
    const [o, i] = this.l.weight.dims as [number, number];
    const w = this.l.weight.toFloat32();
    const b = this.l.bias?.toFloat32();
    const out = new Linear(i, o);
    const weight = new Float32Array(o * i);
    const bias = new Float32Array(o);
    for (let r = 0; r < o; r++) {
      let acc = b ? b[r]! : 0;
      for (let c = 0; c < i; c++) {
        weight[r * i + c] = w[r * i + c]! * scale[c]!;
        acc += w[r * i + c]! * shift[c]!;
      }
      bias[r] = acc;
    }
    (out.weight.data as Float32Array).set(weight);
    (out.bias!.data as Float32Array).set(bias);
    return out;
  }
}

/**
 * timm's `RepVitClassifier`: dropout, `head` (a {@link NormLinear}) and, with distillation,
 * `head_dist`; the two are averaged at inference. Fuses to one linear layer.
 */
export class RepVitClassifier extends Module<[SymbolicTensor], SymbolicTensor> implements Reparameterizable {
  readonly numClasses: number;
  readonly distillation: boolean;

  constructor(dim: number, numClasses: number, distillation = true) {
    super();
    this.numClasses = numClasses;
    this.distillation = distillation;
    this.registerModule('head_drop', new Dropout(0));
    this.registerModule('head', numClasses > 0 ? new NormLinear(dim, numClasses) : new Identity());
    if (distillation)
      this.registerModule('head_dist', numClasses > 0 ? new NormLinear(dim, numClasses) : new Identity());
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    const y = sub(this, 'head_drop').call(x);
    if (!this.distillation) return sub(this, 'head').call(y);
    return F.div(F.add(sub(this, 'head').call(y), sub(this, 'head_dist').call(y)), 2);
  }

  /** One linear layer (the mean of both heads' fused forms), or an identity without classes. */
  reparameterize(): Linear | Identity {
    const head = this.child('head');
    if (!(head instanceof NormLinear)) return new Identity();
    const fused = head.reparameterize();
    const dist = this.child('head_dist');
    if (this.distillation && dist instanceof NormLinear) {
      const other = dist.reparameterize();
      for (const k of ['weight', 'bias'] as const) {
        const a = fused[k]!.data as Float32Array;
        const b = other[k]!.toFloat32();
        for (let i = 0; i < a.length; i++) a[i] = (a[i]! + b[i]!) / 2;
      }
    }
    return fused;
  }
}
