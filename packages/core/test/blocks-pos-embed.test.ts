import { beforeAll, describe, expect, it } from 'vitest';
import { resamplePosEmbed } from '../src/blocks/index.js';
import { add } from '../src/functional.js';
import type { SymbolicTensor } from '../src/ir/trace.js';
import { Module, traceModule } from '../src/nn/index.js';
import { Tensor } from '../src/tensor.js';
import { type Interpret, referenceInterpret } from './nn-reference.js';

// resamplePosEmbed against a numpy (float64) re-implementation of PyTorch's bicubic
// interpolate (align_corners=False) without and with antialiasing, on a [1, 1 + 3·3, 2]
// embedding filled by the same closed form on both sides.

/** offset + scale · sin(0.731·i + 1.37·seed), rounded to float32. */
function fill(dims: number[], seed: number, scale = 0.5): Tensor<'float32'> {
  const n = dims.reduce((a, b) => a * b, 1);
  return Tensor.from(
    'float32',
    Array.from({ length: n }, (_, i) => Math.sin(i * 0.731 + seed * 1.37) * scale),
    dims,
  );
}

const EXPECTED = {
  plain_4x5: [
    -0.082235672, -0.39048645, -0.59739759, -0.43249351, -0.37015927, -0.083292757, 0.0052930353, 0.3700768,
    0.37564957, 0.46716173, 0.59764113, 0.44952127, -0.099680651, -0.35896266, -0.26050618, -0.34365148,
    -0.39323004, -0.23722561, -0.14737891, 0.097584865, 0.08158761, 0.34804761, 0.35497655, 0.092970003,
    0.10628969, -0.13909324, -0.22853878, -0.39088599, -0.34334575, -0.26636043, -0.36549193, -0.1109552,
    0.43891867, 0.59761262, 0.46589155, 0.38296406, 0.38067965, 0.019833242, -0.071024596, -0.36239168,
    -0.42140311, -0.59670008,
  ],
  aa_4x5: [
    -0.082235672, -0.39048645, -0.57217071, -0.41356629, -0.37065852, -0.1127345, -0.0032724381, 0.35477491,
    0.3676403, 0.43994885, 0.57190037, 0.44287425, -0.10476966, -0.32996506, -0.22240865, -0.30374911,
    -0.35626507, -0.20900702, -0.10618009, 0.11097873, 0.075338625, 0.31269902, 0.31884332, 0.085504037,
    0.11843859, -0.098595192, -0.20096386, -0.3539063, -0.30379064, -0.22781802, -0.33544494, -0.11474022,
    0.4330998, 0.57237807, 0.43820167, 0.37411361, 0.36527087, 0.010916307, -0.10130675, -0.36404534,
    -0.40292481, -0.57147629,
  ],
  aa_2x2: [
    -0.082235672, -0.39048645, -0.28009297, -0.2237205, 0.087342165, 0.243345, 0.24698614, 0.094393828,
    -0.21913264, -0.28059778,
  ],
};

/** Adds the resampled embedding to zero tokens so the graph has a runtime input. */
class Resampled extends Module<[SymbolicTensor], SymbolicTensor> {
  constructor(
    readonly pe: Tensor,
    readonly size: [number, number],
    readonly antialias: boolean,
  ) {
    super();
  }
  forward(x: SymbolicTensor): SymbolicTensor {
    const pe = resamplePosEmbed(this.pe, {
      newSize: this.size,
      numPrefixTokens: 1,
      antialias: this.antialias,
    });
    return add(x, pe);
  }
}

let interpret: Interpret;
beforeAll(async () => {
  interpret = await referenceInterpret();
});

function run(size: [number, number], antialias: boolean): Tensor {
  const m = new Resampled(fill([1, 10, 2], 7), size, antialias);
  const shape = [1, 1 + size[0] * size[1], 2];
  const g = traceModule(m, [{ name: 'x', dtype: 'float32', shape }]);
  return interpret(g, { x: Tensor.zeros('float32', shape) }).output!;
}

function expectClose(actual: Tensor, expected: readonly number[]): void {
  const a = actual.toFloat32();
  expect(a.length).toBe(expected.length);
  for (let i = 0; i < a.length; i++)
    expect(Math.abs(a[i]! - expected[i]!), `element ${i}`).toBeLessThan(2e-6);
}

/** The embedding as a graph input: the resize becomes a `Resize` node. */
class SymbolicResampled extends Module<[SymbolicTensor], SymbolicTensor> {
  forward(pe: SymbolicTensor): SymbolicTensor {
    return resamplePosEmbed(pe, { newSize: [4, 5], antialias: false }) as SymbolicTensor;
  }
}

describe('resamplePosEmbed', () => {
  it('resamples a symbolic embedding in the graph with the same plain bicubic', () => {
    const pe = fill([1, 10, 2], 7);
    const g = traceModule(new SymbolicResampled(), [{ name: 'pe', dtype: 'float32', shape: [1, 10, 2] }]);
    expect(g.nodes.some((n) => n.opType === 'Resize')).toBe(true);
    expectClose(interpret(g, { pe }).output!, EXPECTED.plain_4x5);
  });

  it('up-samples a 3×3 grid to 4×5 with plain bicubic, keeping the class token', () => {
    const y = run([4, 5], false);
    expect([...y.dims]).toEqual([1, 21, 2]);
    expectClose(y, EXPECTED.plain_4x5);
  });

  it('matches PyTorch antialiased bicubic (timm default) up and down', () => {
    expectClose(run([4, 5], true), EXPECTED.aa_4x5);
    expectClose(run([2, 2], true), EXPECTED.aa_2x2);
  });

  it('returns the embedding itself when the square grid already fits', () => {
    const pe = fill([1, 10, 2], 7);
    expect(resamplePosEmbed(pe, { newSize: [3, 3] })).toBe(pe);
  });

  it('rejects a token count that is not prefix + grid', () => {
    expect(() => resamplePosEmbed(fill([1, 10, 2], 7), { newSize: [4, 4], oldSize: [2, 2] })).toThrow(
      /not 1 prefix tokens and a 2×2 grid/,
    );
  });
});
