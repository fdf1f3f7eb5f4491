/**
 * RepVGG and MobileOne blocks in their train-time multi-branch form (timm's `RepVggBlock`,
 * `MobileOneBlock`: children `identity`, `conv_kxk`, `conv_1x1` / `conv_scale`, `attn`, `act`)
 * and the single-conv deploy form they re-parameterise into (`reparam_conv`).
 * @module
 */
import {
  assignFusedKernel,
  BatchNormAct2d,
  Conv2d,
  ConvNormAct,
  F,
  type FusedKernel,
  fuseConvBn,
  fuseIdentityBn,
  getPadding,
  Identity,
  InvalidArgumentError,
  Module,
  ModuleList,
  ReLU,
  type Reparameterizable,
  SqueezeExcite,
  type SymbolicTensor,
  sumKernels,
} from '@ocular/core';

type Layer = Module<[SymbolicTensor], SymbolicTensor>;

/** Options of the re-parameterisable blocks. */
export interface RepBlockOptions {
  /** Default 3. */
  readonly kernelSize?: number;
  /** Default 1. */
  readonly stride?: number;
  /** Default 1 (depthwise: the input channels). */
  readonly groups?: number;
  /** Squeeze-excite after the branches (default false). */
  readonly se?: boolean;
  /** Parallel k×k branches (MobileOne only; default 1). */
  readonly numConvBranches?: number;
}

/** The geometry of the fused conv. */
interface ConvGeometry {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number;
  readonly stride: number;
  readonly groups: number;
}

/** The deploy form: `reparam_conv` (with bias) → `attn` → `act`, as timm after `reparameterize()`. */
export class RepConvDeploy extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly attn: Layer;
  readonly act: Layer;
  readonly reparamConv: Conv2d;

  constructor(geometry: ConvGeometry, attn: Layer, act: Layer, fused?: FusedKernel) {
    super();
    const { kernelSize: k, stride } = geometry;
    this.attn = this.registerModule('attn', attn);
    this.act = this.registerModule('act', act);
    this.reparamConv = this.registerModule(
      'reparam_conv',
      new Conv2d(geometry.inChannels, geometry.outChannels, k, {
        stride,
        padding: getPadding(k, stride),
        groups: geometry.groups,
        bias: true,
      }),
    );
    if (fused) assignFusedKernel(this.reparamConv, fused);
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return this.act.call(this.attn.call(this.reparamConv.call(x)));
  }
}

function geometry(inChannels: number, outChannels: number, options: RepBlockOptions): ConvGeometry {
  const groups = options.groups ?? 1;
  if (inChannels % groups || outChannels % groups) {
    throw new InvalidArgumentError(
      `rep block: ${inChannels}→${outChannels} channels do not split into ${groups} groups`,
    );
  }
  return {
    inChannels,
    outChannels,
    kernelSize: options.kernelSize ?? 3,
    stride: options.stride ?? 1,
    groups,
  };
}

function branch(g: ConvGeometry, kernelSize: number): ConvNormAct {
  return new ConvNormAct(g.inChannels, g.outChannels, {
    kernelSize,
    stride: g.stride,
    groups: g.groups,
    applyAct: false,
  });
}

/** timm's identity branch: present when the block keeps shape (a batch norm without activation). */
function identityBranch(g: ConvGeometry): BatchNormAct2d | undefined {
  return g.inChannels === g.outChannels && g.stride === 1
    ? new BatchNormAct2d(g.outChannels, { applyAct: false })
    : undefined;
}

const fuseBranch = (b: ConvNormAct): FusedKernel => fuseConvBn(b.conv, b.bn as BatchNormAct2d);

/** RepVGG block: k×k conv-bn + 1×1 conv-bn (+ identity bn when shape-preserving), summed, then ReLU. */
export class RepVggBlock extends Module<[SymbolicTensor], SymbolicTensor> implements Reparameterizable {
  readonly geometry: ConvGeometry;
  readonly identity?: BatchNormAct2d;
  readonly convKxk: ConvNormAct;
  readonly conv1x1: ConvNormAct;
  readonly attn: Layer;
  readonly act: Layer;

  constructor(inChannels: number, outChannels: number, options: RepBlockOptions = {}) {
    super();
    const g = geometry(inChannels, outChannels, options);
    this.geometry = g;
    const identity = identityBranch(g);
    if (identity) this.identity = this.registerModule('identity', identity);
    this.convKxk = this.registerModule('conv_kxk', branch(g, g.kernelSize));
    this.conv1x1 = this.registerModule('conv_1x1', branch(g, 1));
    this.attn = this.registerModule('attn', options.se ? new SqueezeExcite(outChannels) : new Identity());
    this.act = this.registerModule('act', new ReLU());
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    let y = F.add(this.conv1x1.call(x), this.convKxk.call(x));
    if (this.identity) y = F.add(y, this.identity.call(x));
    return this.act.call(this.attn.call(y));
  }

  /** The block as one k×k conv with bias (batch norms folded, 1×1 and identity centred in). */
  reparameterize(): RepConvDeploy {
    const g = this.geometry;
    const parts = [fuseBranch(this.convKxk), fuseBranch(this.conv1x1)];
    if (this.identity) parts.push(fuseIdentityBn(this.identity, g.kernelSize, g.groups));
    return new RepConvDeploy(g, this.attn, this.act, sumKernels(parts));
  }
}

/**
 * MobileOne block: `numConvBranches` k×k conv-bn branches + a 1×1 scale branch (when k > 1)
 * (+ identity bn when shape-preserving), summed, then ReLU.
 */
export class MobileOneBlock extends Module<[SymbolicTensor], SymbolicTensor> implements Reparameterizable {
  readonly geometry: ConvGeometry;
  readonly identity?: BatchNormAct2d;
  readonly convKxk: ModuleList<ConvNormAct>;
  readonly convScale?: ConvNormAct;
  readonly attn: Layer;
  readonly act: Layer;

  constructor(inChannels: number, outChannels: number, options: RepBlockOptions = {}) {
    super();
    const g = geometry(inChannels, outChannels, options);
    this.geometry = g;
    const identity = identityBranch(g);
    if (identity) this.identity = this.registerModule('identity', identity);
    const n = options.numConvBranches ?? 1;
    this.convKxk = this.registerModule(
      'conv_kxk',
      new ModuleList(Array.from({ length: n }, () => branch(g, g.kernelSize))),
    );
    if (g.kernelSize > 1) this.convScale = this.registerModule('conv_scale', branch(g, 1));
    this.attn = this.registerModule('attn', options.se ? new SqueezeExcite(outChannels) : new Identity());
    this.act = this.registerModule('act', new ReLU());
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    let y: SymbolicTensor | undefined = this.convScale?.call(x);
    for (const b of this.convKxk) y = y ? F.add(y, b.call(x)) : b.call(x);
    if (this.identity) y = F.add(y!, this.identity.call(x));
    return this.act.call(this.attn.call(y!));
  }

  /** The block as one k×k conv with bias (all branches folded). */
  reparameterize(): RepConvDeploy {
    const g = this.geometry;
    const parts = [...this.convKxk].map(fuseBranch);
    if (this.convScale) parts.push(fuseBranch(this.convScale));
    if (this.identity) parts.push(fuseIdentityBn(this.identity, g.kernelSize, g.groups));
    return new RepConvDeploy(g, this.attn, this.act, sumKernels(parts));
  }
}
