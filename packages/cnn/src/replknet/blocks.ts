/**
 * RepLKNet's blocks with the reference implementation's child names: `conv`/`bn`/`nonlinear`
 * conv units, the re-parameterisable large-kernel depthwise conv (`lkb_origin` + `small_conv`,
 * deploy form `lkb_reparam`), the RepLK block and the ConvFFN.
 * @module
 */
import {
  assignFusedKernel,
  BatchNorm2d,
  Conv2d,
  F,
  fuseConvBn,
  GELU,
  InvalidArgumentError,
  Module,
  ReLU,
  type Reparameterizable,
  Sequential,
  type SymbolicTensor,
  sumKernels,
} from '@ocular/core';

/** Geometry of a conv unit. */
export interface ConvUnitOptions {
  readonly stride?: number;
  /** Default `kernel // 2`. */
  readonly padding?: number;
  readonly groups?: number;
  /** Append `nonlinear` (ReLU; default false). */
  readonly relu?: boolean;
}

/** The reference `conv_bn` / `conv_bn_relu`: a Sequential of `conv` (no bias), `bn`[, `nonlinear`]. */
export function convBn(
  inChannels: number,
  outChannels: number,
  kernel: number,
  options: ConvUnitOptions = {},
) {
  const entries: [string, Module][] = [
    [
      'conv',
      new Conv2d(inChannels, outChannels, kernel, {
        stride: options.stride ?? 1,
        padding: options.padding ?? Math.floor(kernel / 2),
        groups: options.groups ?? 1,
        bias: false,
      }),
    ],
    ['bn', new BatchNorm2d(outChannels)],
  ];
  if (options.relu) entries.push(['nonlinear', new ReLU()]);
  return Sequential.fromEntries(entries);
}

/** The deploy form of {@link ReparamLargeKernelConv}: one depthwise conv with bias (`lkb_reparam`). */
export class LargeKernelConvDeploy extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly lkbReparam: Conv2d;

  constructor(channels: number, kernel: number) {
    super();
    this.lkbReparam = this.registerModule(
      'lkb_reparam',
      new Conv2d(channels, channels, kernel, {
        padding: Math.floor(kernel / 2),
        groups: channels,
        bias: true,
      }),
    );
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return this.lkbReparam.call(x);
  }
}

/**
 * A depthwise large-kernel conv-bn (`lkb_origin`) plus a parallel small-kernel conv-bn
 * (`small_conv`), summed; `reparameterize()` folds both into one large kernel.
 */
export class ReparamLargeKernelConv
  extends Module<[SymbolicTensor], SymbolicTensor>
  implements Reparameterizable
{
  readonly lkbOrigin: Sequential;
  readonly smallConv?: Sequential;

  constructor(
    readonly channels: number,
    readonly kernel: number,
    readonly smallKernel?: number,
  ) {
    super();
    if (kernel % 2 !== 1 || (smallKernel !== undefined && (smallKernel % 2 !== 1 || smallKernel > kernel))) {
      throw new InvalidArgumentError(
        `ReparamLargeKernelConv: kernels must be odd and the small one (${smallKernel}) at most ${kernel}`,
      );
    }
    this.lkbOrigin = this.registerModule(
      'lkb_origin',
      convBn(channels, channels, kernel, { groups: channels }),
    );
    if (smallKernel !== undefined) {
      this.smallConv = this.registerModule(
        'small_conv',
        convBn(channels, channels, smallKernel, { groups: channels }),
      );
    }
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    const y = this.lkbOrigin.call(x);
    return this.smallConv ? F.add(y, this.smallConv.call(x)) : y;
  }

  /** One depthwise large kernel with bias: both batch norms folded, the small kernel centred in. */
  reparameterize(): LargeKernelConvDeploy {
    const fuse = (s: Sequential) => fuseConvBn(s.get(0) as Conv2d, s.get(1) as BatchNorm2d);
    const parts = [fuse(this.lkbOrigin)];
    if (this.smallConv) parts.push(fuse(this.smallConv));
    const deploy = new LargeKernelConvDeploy(this.channels, this.kernel);
    assignFusedKernel(deploy.lkbReparam, sumKernels(parts));
    return deploy;
  }
}

/** `x + pw2(relu(large_kernel(pw1(prelkb_bn(x)))))`. */
export class RepLKBlock extends Module<[SymbolicTensor], SymbolicTensor> {
  constructor(inChannels: number, dwChannels: number, kernel: number, smallKernel: number | undefined) {
    super();
    this.registerModule('pw1', convBn(inChannels, dwChannels, 1, { padding: 0, relu: true }));
    this.registerModule('pw2', convBn(dwChannels, inChannels, 1, { padding: 0 }));
    this.registerModule('large_kernel', new ReparamLargeKernelConv(dwChannels, kernel, smallKernel));
    this.registerModule('lk_nonlinear', new ReLU());
    this.registerModule('prelkb_bn', new BatchNorm2d(inChannels));
  }

  #m(name: string): Module<[SymbolicTensor], SymbolicTensor> {
    return this.child(name) as Module<[SymbolicTensor], SymbolicTensor>;
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    let y = this.#m('pw1').call(this.#m('prelkb_bn').call(x));
    // `large_kernel` may have been swapped for its deploy form.
    y = this.#m('lk_nonlinear').call(this.#m('large_kernel').call(y));
    return F.add(x, this.#m('pw2').call(y));
  }
}

/** `x + pw2(gelu(pw1(preffn_bn(x))))`. */
export class ConvFFN extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly preffnBn: BatchNorm2d;
  readonly pw1: Sequential;
  readonly pw2: Sequential;
  readonly nonlinear: GELU;

  constructor(inChannels: number, internalChannels: number, outChannels: number) {
    super();
    this.preffnBn = this.registerModule('preffn_bn', new BatchNorm2d(inChannels));
    this.pw1 = this.registerModule('pw1', convBn(inChannels, internalChannels, 1, { padding: 0 }));
    this.pw2 = this.registerModule('pw2', convBn(internalChannels, outChannels, 1, { padding: 0 }));
    this.nonlinear = this.registerModule('nonlinear', new GELU());
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return F.add(x, this.pw2.call(this.nonlinear.call(this.pw1.call(this.preffnBn.call(x)))));
  }
}
