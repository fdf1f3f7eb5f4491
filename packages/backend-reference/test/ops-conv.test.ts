/**
 * Reference kernels of Conv, ConvTranspose, DeformConv and Col2Im. Expected values are
 * hand-computed (the 5x5 examples) or numpy-computed (`spatial-expected.ts`).
 */
import { AttributeError, DTypeError, ShapeError, Tensor, Tracer } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import { interpret } from '../src/index.js';
import { i64, opError, run1, vals } from './one-node.js';
import { expectCase, expectValues, seq, tensor } from './spatial-helpers.js';

const arange25 = tensor(
  'float32',
  Array.from({ length: 25 }, (_, i) => i),
  [1, 1, 5, 5],
);
const ones3x3 = tensor('float32', new Array(9).fill(1), [1, 1, 3, 3]);

describe('Conv', () => {
  it('sums 3x3 windows with and without padding (hand-computed)', () => {
    const padded = run1('Conv', [arange25, ones3x3], { pads: [1, 1, 1, 1] });
    expectValues(
      padded,
      [1, 1, 5, 5],
      [
        12, 21, 27, 33, 24, 33, 54, 63, 72, 51, 63, 99, 108, 117, 81, 93, 144, 153, 162, 111, 72, 111, 117,
        123, 84,
      ],
    );
    const valid = run1('Conv', [arange25, ones3x3], { kernel_shape: [3, 3] });
    expectValues(valid, [1, 1, 3, 3], [54, 63, 72, 99, 108, 117, 144, 153, 162]);
  });

  it('adds the bias per output channel', () => {
    const w = tensor('float32', [0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0], [2, 1, 3, 3]);
    const y = run1('Conv', [arange25, w, tensor('float32', [10, -1], [2])], { pads: [1, 1, 1, 1] });
    const v = vals(y);
    expect(v.slice(0, 5)).toEqual([10, 11, 12, 13, 14]);
    expect(v.slice(25, 30)).toEqual([-1, 1, 3, 5, 7]);
  });

  const xB = (dt: 'float32' | 'float64' | 'float16' | 'bfloat16') => [
    seq(dt, [1, 4, 5, 5], 1),
    seq(dt, [4, 2, 3, 3], 2),
    seq(dt, [4], 3),
  ];
  const groupedAttrs = { group: 2, strides: [2, 1], pads: [1, 0, 0, 1] };

  it('runs grouped convolution with strides and asymmetric pads', () => {
    expectCase(run1('Conv', xB('float32'), groupedAttrs), 'conv_grouped');
  });

  it('computes float64 exactly and rounds float16 / bfloat16 once', () => {
    const y64 = run1('Conv', xB('float64'), groupedAttrs);
    expect(y64.dtype).toBe('float64');
    expectCase(y64, 'conv_grouped', { rtol: 0, atol: 0 });
    const y16 = run1('Conv', xB('float16'), groupedAttrs);
    expect(y16.dtype).toBe('float16');
    expectCase(y16, 'conv_grouped_f16', { rtol: 0, atol: 0 });
    const ybf = run1('Conv', xB('bfloat16'), groupedAttrs);
    expect(ybf.dtype).toBe('bfloat16');
    expectCase(ybf, 'conv_grouped', { rtol: 1 / 128, atol: 1e-6 });
  });

  it('runs depthwise convolution with a channel multiplier, dilations and uneven pads', () => {
    const y = run1('Conv', [seq('float32', [1, 2, 4, 4], 4), seq('float32', [4, 1, 3, 3], 5)], {
      group: 2,
      dilations: [2, 2],
      pads: [2, 1, 2, 1],
    });
    expectCase(y, 'conv_depthwise_dilated');
  });

  it('resolves auto_pad SAME_LOWER / SAME_UPPER / VALID with an asymmetric kernel', () => {
    const inputs = [seq('float32', [1, 2, 5, 6], 6), seq('float32', [3, 2, 2, 3], 7)];
    expectCase(run1('Conv', inputs, { auto_pad: 'SAME_LOWER', strides: [2, 2] }), 'conv_same_lower');
    expectCase(run1('Conv', inputs, { auto_pad: 'SAME_UPPER', strides: [2, 2] }), 'conv_same_upper');
    expectCase(run1('Conv', inputs, { auto_pad: 'VALID', strides: [2, 2] }), 'conv_valid');
  });

  it('handles 1-D and 3-D convolution', () => {
    const y1 = run1('Conv', [seq('float32', [2, 2, 7], 8), seq('float32', [3, 2, 3], 9)], {
      strides: [2],
      pads: [1, 2],
    });
    expectCase(y1, 'conv1d');
    const y3 = run1('Conv', [seq('float32', [1, 1, 3, 4, 4], 10), seq('float32', [2, 1, 2, 2, 3], 11)], {
      pads: [0, 1, 1, 0, 1, 1],
    });
    expectCase(y3, 'conv3d');
  });

  it('agrees between the pointwise and general paths (1x1 kernel, strided)', () => {
    const x = seq('float64', [1, 6, 5, 4], 12);
    const w = seq('float64', [5, 6, 1, 1], 13);
    const y = run1('Conv', [x, w], { strides: [2, 2] });
    expect(y.dims).toEqual([1, 5, 3, 2]);
    const xv = vals(x);
    const wv = vals(w);
    const expected: number[] = [];
    for (let m = 0; m < 5; m++)
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 2; j++) {
          let acc = 0;
          for (let c = 0; c < 6; c++) acc += wv[m * 6 + c]! * xv[(c * 5 + 2 * i) * 4 + 2 * j]!;
          expected.push(acc);
        }
    expectValues(y, [1, 5, 3, 2], expected, { rtol: 0, atol: 1e-12 });
  });

  it('matches a direct loop when the GEMM blocks the depth and tiles the positions', () => {
    // depth 40 * 3 * 3 = 360 spans two k-blocks; 13 x 11 = 143 positions span two tiles; 6 output
    // channels leave a remainder after the 4-row blocks.
    const [c, h, w, m] = [40, 13, 11, 6];
    const x = seq('float64', [1, c, h, w], 14);
    const wt = seq('float64', [m, c, 3, 3], 15);
    const y = run1('Conv', [x, wt], { pads: [1, 1, 1, 1] });
    const xv = vals(x);
    const wv = vals(wt);
    const expected: number[] = [];
    for (let o = 0; o < m; o++)
      for (let i = 0; i < h; i++)
        for (let j = 0; j < w; j++) {
          let acc = 0;
          for (let ci = 0; ci < c; ci++)
            for (let a = 0; a < 3; a++)
              for (let b = 0; b < 3; b++) {
                const [yy, xx] = [i + a - 1, j + b - 1];
                if (yy >= 0 && yy < h && xx >= 0 && xx < w)
                  acc += wv[((o * c + ci) * 3 + a) * 3 + b]! * xv[(ci * h + yy) * w + xx]!;
              }
          expected.push(acc);
        }
    expectValues(y, [1, m, h, w], expected, { rtol: 0, atol: 1e-12 });
  });

  it('explains channel, group, dtype and attribute errors', () => {
    const x = seq('float32', [1, 3, 5, 5], 1);
    let err = opError(() => run1('Conv', [x, seq('float32', [2, 4, 3, 3], 2)]));
    expect(err).toBeInstanceOf(ShapeError);
    expect(err.message).toBe('input has 3 channels, weight expects 4 (group=1)');
    err = opError(() =>
      run1('Conv', [seq('float32', [1, 4, 5, 5], 1), seq('float32', [3, 2, 3, 3], 2)], { group: 2 }),
    );
    expect(err.message).toBe('weight has 3 output channels, which group=2 does not divide');
    err = opError(() => run1('Conv', [x, seq('float64', [2, 3, 3, 3], 2)]));
    expect(err).toBeInstanceOf(DTypeError);
    expect(err.message).toBe('weight W has dtype float64, input X has float32');
    err = opError(() => run1('Conv', [seq('int32', [1, 3, 5, 5], 1), seq('int32', [2, 3, 3, 3], 2)]));
    expect(err).toBeInstanceOf(DTypeError);
    err = opError(() => run1('Conv', [x, seq('float32', [2, 3, 3, 3], 2)], { pads: [1, 1] }));
    expect(err).toBeInstanceOf(AttributeError);
    expect(err.message).toMatch(/pads has 2 values, expected 4/);
    err = opError(() => run1('Conv', [x, seq('float32', [2, 3, 3, 3], 2)], { kernel_shape: [2, 2] }));
    expect(err.message).toMatch(/kernel_shape \[2, 2\] does not match weight/);
    err = opError(() => run1('Conv', [seq('float32', [1, 3, 2, 5], 1), seq('float32', [2, 3, 3, 3], 2)]));
    expect(err.message).toMatch(/spatial dim 0 of size 2 .* smaller than the dilated kernel 3/);
    err = opError(() => run1('Conv', [x, seq('float32', [2, 3, 3, 3], 2), seq('float32', [3], 1)]));
    expect(err.message).toBe('bias B must have shape [2], got [3]');
    err = opError(() => run1('Conv', [x, seq('float32', [2, 3, 3, 3], 2)], { auto_pad: 'SAME' }));
    expect(err).toBeInstanceOf(AttributeError);
  });
});

describe('ConvTranspose', () => {
  it('upsamples with stride 2, pads, output_padding and bias', () => {
    const y = run1(
      'ConvTranspose',
      [seq('float32', [1, 2, 3, 3], 12), seq('float32', [2, 3, 3, 3], 13), seq('float32', [3], 14)],
      {
        strides: [2, 2],
        pads: [1, 1, 1, 1],
        output_padding: [1, 1],
      },
    );
    expectCase(y, 'convT_stride2');
  });

  it('runs groups with dilations (float64)', () => {
    const y = run1('ConvTranspose', [seq('float64', [1, 4, 3, 3], 15), seq('float64', [4, 1, 2, 2], 16)], {
      group: 2,
      dilations: [2, 2],
    });
    expect(y.dtype).toBe('float64');
    expectCase(y, 'convT_group_dil', { rtol: 0, atol: 0 });
  });

  it('derives pads from output_shape, split by auto_pad', () => {
    const inputs = [seq('float32', [1, 1, 3, 3], 17), seq('float32', [1, 1, 3, 3], 18)];
    expectCase(
      run1('ConvTranspose', inputs, { strides: [2, 2], output_shape: [6, 6] }),
      'convT_output_shape',
    );
    expectCase(
      run1('ConvTranspose', inputs, { strides: [2, 2], output_shape: [6, 6], auto_pad: 'SAME_UPPER' }),
      'convT_output_shape_same_upper',
    );
    // output_shape may also be written with the batch and channel dims.
    expectCase(
      run1('ConvTranspose', inputs, { strides: [2, 2], output_shape: [1, 1, 6, 6] }),
      'convT_output_shape',
    );
  });

  it('makes input * stride outputs under SAME_LOWER (1-D)', () => {
    const y = run1('ConvTranspose', [seq('float32', [1, 1, 4], 19), seq('float32', [1, 2, 3], 20)], {
      strides: [2],
      auto_pad: 'SAME_LOWER',
    });
    expectCase(y, 'convT1d_same_lower');
  });

  it('matches a direct scatter with many input channels (blocked GEMM depth)', () => {
    const [c, m, h, w] = [300, 5, 3, 4];
    const x = seq('float64', [1, c, h, w], 16);
    const wt = seq('float64', [c, m, 2, 2], 17);
    const y = run1('ConvTranspose', [x, wt], { strides: [2, 2] });
    const xv = vals(x);
    const wv = vals(wt);
    const expected = new Array<number>(m * 6 * 8).fill(0);
    for (let ci = 0; ci < c; ci++)
      for (let o = 0; o < m; o++)
        for (let i = 0; i < h; i++)
          for (let j = 0; j < w; j++)
            for (let a = 0; a < 2; a++)
              for (let b = 0; b < 2; b++)
                expected[(o * 6 + 2 * i + a) * 8 + 2 * j + b] +=
                  xv[(ci * h + i) * w + j]! * wv[((ci * m + o) * 2 + a) * 2 + b]!;
    expectValues(y, [1, m, 6, 8], expected, { rtol: 0, atol: 1e-12 });
  });

  it('explains weight layout and output_padding errors', () => {
    let err = opError(() =>
      run1('ConvTranspose', [seq('float32', [1, 3, 3, 3], 1), seq('float32', [2, 3, 3, 3], 2)]),
    );
    expect(err).toBeInstanceOf(ShapeError);
    expect(err.message).toBe('input has 3 channels, weight expects 2 (weight is [C_in, C_out/group, k...])');
    err = opError(() =>
      run1('ConvTranspose', [seq('float32', [1, 2, 3, 3], 1), seq('float32', [2, 3, 3, 3], 2)], {
        strides: [2, 2],
        output_padding: [2, 0],
      }),
    );
    expect(err).toBeInstanceOf(AttributeError);
  });
});

describe('DeformConv', () => {
  it('equals Conv when every offset is zero', () => {
    const x = seq('float64', [1, 4, 5, 5], 1);
    const w = seq('float64', [4, 2, 3, 3], 2);
    const b = seq('float64', [4], 3);
    const conv = run1('Conv', [x, w, b], { group: 2, strides: [2, 1], pads: [1, 0, 0, 1] });
    const offset = Tensor.zeros('float64', [1, 18, ...conv.dims.slice(2)]);
    const deform = run1('DeformConv', [x, w, offset, b], { group: 2, strides: [2, 1], pads: [1, 0, 0, 1] });
    expectValues(deform, conv.dims, vals(conv), { rtol: 0, atol: 1e-12 });
  });

  it('samples bilinearly at fractional offsets (hand-computed)', () => {
    // A 1x1 kernel shifted right by 0.5 averages horizontal neighbours; past the edge counts as 0.
    const x = tensor('float32', [1, 2, 3, 4], [1, 1, 2, 2]);
    const w = tensor('float32', [1], [1, 1, 1, 1]);
    const offset = tensor('float32', [0, 0, 0, 0, 0.5, 0.5, 0.5, 0.5], [1, 2, 2, 2]);
    expectValues(run1('DeformConv', [x, w, offset]), [1, 1, 2, 2], [1.5, 1, 3.5, 2]);
    const mask = tensor('float32', [1, 0.5, 0, 2], [1, 1, 2, 2]);
    expectValues(run1('DeformConv', [x, w, offset, undefined, mask]), [1, 1, 2, 2], [1.5, 0.5, 0, 4]);
  });

  it('applies offsets per offset group, with mask and bias', () => {
    const y = run1(
      'DeformConv',
      [
        seq('float64', [1, 2, 4, 4], 21),
        seq('float64', [2, 2, 2, 2], 22),
        seq('float64', [1, 16, 3, 3], 23, (v) => v * 0.4),
        seq('float64', [2], 25),
        seq('float64', [1, 8, 3, 3], 24, (v) => Math.abs(v) / 1.5),
      ],
      { offset_group: 2 },
    );
    expectCase(y, 'deform_offsets', { rtol: 1e-12, atol: 1e-12 });
  });

  it('combines groups, strides and pads (float32)', () => {
    const y = run1(
      'DeformConv',
      [
        seq('float32', [1, 2, 5, 5], 26),
        seq('float32', [2, 1, 3, 3], 27),
        seq('float32', [1, 18, 3, 3], 28, (v) => v * 0.3),
      ],
      { group: 2, strides: [2, 2], pads: [1, 1, 1, 1] },
    );
    expectCase(y, 'deform_group_stride', { rtol: 1e-5, atol: 1e-6 });
  });

  it('checks the offset shape', () => {
    const err = opError(() =>
      run1(
        'DeformConv',
        [
          seq('float32', [1, 2, 4, 4], 1),
          seq('float32', [2, 2, 2, 2], 2),
          Tensor.zeros('float32', [1, 8, 3, 3]),
        ],
        {
          offset_group: 2,
        },
      ),
    );
    expect(err).toBeInstanceOf(ShapeError);
    expect(err.message).toMatch(/offset must have shape \[1, 16, 3, 3\]/);
  });
});

describe('Col2Im', () => {
  it('sums overlapping blocks with strides and pads', () => {
    const y = run1('Col2Im', [seq('float32', [1, 8, 12], 29), i64([4, 5]), i64([2, 2])], {
      strides: [1, 2],
      pads: [1, 0, 0, 1],
    });
    expectCase(y, 'col2im');
  });

  it('handles 1-D dilated blocks', () => {
    const y = run1('Col2Im', [seq('float32', [1, 3, 3], 30), i64([7]), i64([3])], { dilations: [2] });
    expectCase(y, 'col2im_1d_dilated');
  });

  it('is the adjoint of im2col: ones give the per-pixel block count', () => {
    const y = run1('Col2Im', [
      tensor('float32', new Array(9 * 4).fill(1), [1, 9, 4]),
      i64([4, 4]),
      i64([3, 3]),
    ]);
    expectValues(y, [1, 1, 4, 4], [1, 2, 2, 1, 2, 4, 4, 2, 2, 4, 4, 2, 1, 2, 2, 1]);
  });

  it('checks the block count', () => {
    const err = opError(() => run1('Col2Im', [Tensor.zeros('float32', [1, 4, 5]), i64([3, 3]), i64([2, 2])]));
    expect(err).toBeInstanceOf(ShapeError);
    expect(err.message).toBe('input has 5 blocks (dim 2), image and block shapes give 2 * 2 = 4');
  });
});

describe('a traced spatial pipeline with a symbolic batch', () => {
  it('runs for any batch size', () => {
    const t = new Tracer('pipeline');
    t.run(() => {
      const x = t.input('x', 'float32', ['batch', 3, 8, 8]);
      const [c] = t.emit('Conv', [x, seq('float32', [4, 3, 3, 3], 1)], {
        pads: [1, 1, 1, 1],
        strides: [2, 2],
      });
      const [p] = t.emit('MaxPool', [c!], { kernel_shape: [2, 2], strides: [2, 2] });
      const [r] = t.emit('Resize', [p!, undefined, tensor('float32', [1, 1, 2, 2], [4])], { mode: 'linear' });
      const [g] = t.emit('GlobalAveragePool', [r!]);
      expect([c!.shape, p!.shape, r!.shape, g!.shape]).toEqual([
        ['batch', 4, 4, 4],
        ['batch', 4, 2, 2],
        ['batch', 4, 4, 4],
        ['batch', 4, 1, 1],
      ]);
      t.output('y', g!);
    });
    for (const n of [1, 3]) {
      const y = interpret(t.graph, { x: seq('float32', [n, 3, 8, 8], 2) }).y!;
      expect(y.dims).toEqual([n, 4, 1, 1]);
    }
    // Every image of a batch gives the same result as that image alone.
    const both = vals(interpret(t.graph, { x: seq('float32', [3, 3, 8, 8], 2) }).y!);
    const first = vals(interpret(t.graph, { x: seq('float32', [1, 3, 8, 8], 2) }).y!);
    expect(both.slice(0, 4)).toEqual(first);
  });
});
