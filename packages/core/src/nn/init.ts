/**
 * Deterministic parameter initialisation. Every layer draws its default weights from a seeded
 * pseudo-random generator so that building the same network twice gives the same numbers (tests
 * and examples are reproducible). The defaults follow PyTorch's: `Conv*d` and `Linear` weights
 * and biases are uniform in ±1/√fan_in (PyTorch's `kaiming_uniform_(a=√5)` bound), norm layers
 * start at weight 1 / bias 0, running statistics at mean 0 / variance 1. The numbers are not
 * PyTorch's bit for bit (a different generator); pretrained weights replace them anyway.
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import { Tensor } from '../tensor.js';

/** A small, fast, seedable generator (xoshiro128** seeded through splitmix32). */
export class Generator {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;

  /** @param seed any integer; equal seeds give equal sequences */
  constructor(seed = 0) {
    this.seed(seed);
  }

  /** Restarts the sequence from `seed`. */
  seed(seed: number): void {
    if (!Number.isFinite(seed)) throw new InvalidArgumentError(`seed must be a finite number, got ${seed}`);
    let x = Math.trunc(seed) >>> 0;
    const next = (): number => {
      // splitmix32: spreads one 32-bit seed over the four state words
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** Next unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform float in [0, 1). */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform float in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.nextFloat();
  }

  /** Standard normal sample (Box–Muller). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.nextFloat();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.nextFloat());
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

const GEN_KEY = Symbol.for('ocular.nn.generator.v1');

/** The generator layers use when no other is given (shared across duplicated copies of core). */
export function defaultGenerator(): Generator {
  const g = globalThis as Record<symbol, Generator | undefined>;
  let gen = g[GEN_KEY];
  if (!gen) {
    gen = new Generator(0);
    g[GEN_KEY] = gen;
  }
  return gen;
}

/** Re-seeds the default generator, like `torch.manual_seed`. */
export function manualSeed(seed: number): void {
  defaultGenerator().seed(seed);
}

/** A float32 tensor of uniform samples in [low, high). */
export function uniformTensor(
  dims: readonly number[],
  low: number,
  high: number,
  gen: Generator = defaultGenerator(),
): Tensor<'float32'> {
  const t = Tensor.zeros('float32', dims);
  const d = t.data;
  for (let i = 0; i < d.length; i++) d[i] = gen.uniform(low, high);
  return t;
}

/** A float32 tensor filled with `value`. */
export function fullTensor(dims: readonly number[], value: number): Tensor<'float32'> {
  const t = Tensor.zeros('float32', dims);
  if (value !== 0) t.data.fill(value);
  return t;
}

/**
 * PyTorch's default bound for `Conv*d` / `Linear` weights and biases: `kaiming_uniform_(a=√5)`
 * gives gain √(1/3) and bound gain·√(3/fan_in) = 1/√fan_in.
 */
export function defaultBound(fanIn: number): number {
  return fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
}
