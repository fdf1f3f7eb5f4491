/**
 * Activation kernels. Expected values were computed with numpy in float64 from the ONNX
 * formulas (math.erf for Gelu) and rounded to float32, then pasted here.
 */
import { AttributeError, DTypeError, ShapeError } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import { bigs, c, expectClose, f32, opError, run1, runOp, t, vals } from './math-test-utils.js';

const X = f32([-3, -1, -0.5, 0, 0.5, 1, 3]);
const TIGHT = { rtol: 1e-6, atol: 1e-7 };

describe('pointwise activations', () => {
  const cases: [string, Record<string, number | string>, number[]][] = [
    [
      'Sigmoid',
      {},
      [
        0.04742587357759476, 0.2689414322376251, 0.3775406777858734, 0.5, 0.622459352016449,
        0.7310585975646973, 0.9525741338729858,
      ],
    ],
    [
      'HardSigmoid',
      {},
      [0, 0.30000001192092896, 0.4000000059604645, 0.5, 0.6000000238418579, 0.699999988079071, 1],
    ],
    [
      'HardSwish',
      {},
      [-0, -0.3333333432674408, -0.2083333283662796, 0, 0.2916666567325592, 0.6666666865348816, 3],
    ],
    [
      'Tanh',
      {},
      [
        -0.9950547814369202, -0.7615941762924194, -0.46211716532707214, 0, 0.46211716532707214,
        0.7615941762924194, 0.9950547814369202,
      ],
    ],
    [
      'Softplus',
      {},
      [
        0.04858735203742981, 0.3132616877555847, 0.4740769863128662, 0.6931471824645996, 0.9740769863128662,
        1.31326162815094, 3.0485873222351074,
      ],
    ],
    [
      'Gelu',
      {},
      [
        -0.004049694165587425, -0.15865525603294373, -0.1542687714099884, 0, 0.3457312285900116,
        0.8413447737693787, 2.995950222015381,
      ],
    ],
    [
      'Gelu',
      { approximate: 'tanh' },
      [
        -0.003637392073869705, -0.15880800783634186, -0.1542859971523285, 0, 0.3457140028476715,
        0.8411920070648193, 2.9963626861572266,
      ],
    ],
    [
      'LeakyRelu',
      { alpha: 0.1 },
      [-0.30000001192092896, -0.10000000149011612, -0.05000000074505806, 0, 0.5, 1, 3],
    ],
    ['Elu', { alpha: 0.5 }, [-0.47510647773742676, -0.31606027483940125, -0.19673466682434082, 0, 0.5, 1, 3]],
    [
      'Selu',
      {},
      [
        -1.6705687046051025, -1.1113307476043701, -0.6917582154273987, 0, 0.5253505110740662,
        1.0507010221481323, 3.1521029472351074,
      ],
    ],
    [
      'Mish',
      {},
      [
        -0.14564746618270874, -0.30340147018432617, -0.22074377536773682, 0, 0.37524521350860596,
        0.8650984168052673, 2.98653507232666,
      ],
    ],
  ];
  for (const [op, attrs, expected] of cases) {
    it(`${op} ${JSON.stringify(attrs)}`, () => {
      expectClose(run1(op, [X], attrs), expected, [7], TIGHT);
    });
  }

  it('LeakyRelu default alpha is 0.01; HardSigmoid takes alpha and beta', () => {
    expectClose(run1('LeakyRelu', [f32([-2, 2])]), [-0.019999999552965164, 2], [2], TIGHT);
    expectClose(
      run1('HardSigmoid', [f32([-1, 0, 1])], { alpha: 0.5, beta: 0.25 }),
      [0, 0.25, 0.75],
      [3],
      TIGHT,
    );
  });

  it('Softplus does not overflow for large inputs', () => {
    expectClose(run1('Softplus', [f32([100, -100])]), [100, 3.783505853677006e-44], [2], TIGHT);
  });

  it('Relu keeps NaN and accepts signed integers (opset 14)', () => {
    expectClose(run1('Relu', [f32([-1, Number.NaN, 2])]), [0, Number.NaN, 2]);
    expect(vals(run1('Relu', [t('int8', [-5, 5])]))).toEqual([0, 5]);
    expect(bigs(run1('Relu', [t('int64', [-(2n ** 62n), 2n ** 62n + 1n])]))).toEqual([0n, 2n ** 62n + 1n]);
    expect(opError(() => run1('Relu', [t('uint8', [1])]))).toBeInstanceOf(DTypeError);
  });

  it('float16 inputs compute in float64 and round once', () => {
    const y = run1('Sigmoid', [t('float16', [0, 1, -1])]);
    expect(y.dtype).toBe('float16');
    expect(vals(y)).toEqual([0.5, 0.73095703125, 0.26904296875]);
  });

  it('rejects integer inputs and an unknown Gelu approximation', () => {
    expect(opError(() => run1('Sigmoid', [t('int32', [1])])).message).toMatch(/Sigmoid input must be one of/);
    expect(opError(() => run1('Gelu', [X], { approximate: 'erf' }))).toBeInstanceOf(AttributeError);
  });
});

describe('Clip', () => {
  const x = f32([-2, -0.5, 0, 3, 7, Number.NaN]);
  it('clips to [min, max] (ReLU6), keeping NaN', () => {
    expectClose(run1('Clip', [x, c(f32([0], [])), c(f32([6], []))]), [0, 0, 0, 3, 6, Number.NaN]);
  });
  it('takes either bound alone', () => {
    expectClose(run1('Clip', [x, c(f32([-1], []))]), [-1, -0.5, 0, 3, 7, Number.NaN]);
    expectClose(run1('Clip', [x, undefined, c(f32([1], []))]), [-2, -0.5, 0, 1, 1, Number.NaN]);
    expectClose(run1('Clip', [x]), [-2, -0.5, 0, 3, 7, Number.NaN]);
  });
  it('gives max everywhere when min > max', () => {
    expect(vals(run1('Clip', [f32([-5, 0, 5]), c(f32([2], [])), c(f32([1], []))]))).toEqual([1, 1, 1]);
  });
  it('clips integers, int64 exactly', () => {
    expect(
      vals(run1('Clip', [t('int32', [-9, 4, 9]), c(t('int32', [-3], [])), c(t('int32', [5], []))])),
    ).toEqual([-3, 4, 5]);
    const big = run1('Clip', [
      t('int64', [2n ** 62n + 9n, 0n]),
      undefined,
      c(t('int64', [2n ** 62n + 1n], [])),
    ]);
    expect(bigs(big)).toEqual([2n ** 62n + 1n, 0n]);
  });
  it('accepts a one-element 1-D bound; rejects longer bounds and other dtypes', () => {
    expect(vals(run1('Clip', [f32([5]), c(f32([0])), c(f32([1]))]))).toEqual([1]);
    expect(opError(() => run1('Clip', [x, c(f32([0, 1]))]))).toBeInstanceOf(ShapeError);
    expect(opError(() => run1('Clip', [x, c(t('float64', [0], []))]))).toBeInstanceOf(DTypeError);
  });
});

describe('PRelu', () => {
  it('broadcasts a per-channel slope', () => {
    const x = f32([-1, 2, -3, 4, -1, -2, 3, -4], [1, 2, 2, 2]);
    const slope = f32([0.5, 0.25], [2, 1, 1]);
    expect(vals(run1('PRelu', [x, slope]))).toEqual([-0.5, 2, -1.5, 4, -0.25, -0.5, 3, -1]);
  });
  it('rejects a slope that does not broadcast to the input', () => {
    const err = opError(() => run1('PRelu', [f32([1, 2, 3, 4], [2, 2]), f32([1, 2, 3])]));
    expect(err).toBeInstanceOf(ShapeError);
    expect(err.message).toMatch(/PRelu slope \[3\] does not broadcast to \[2, 2\]/);
  });
});

describe('Softmax, LogSoftmax, Hardmax', () => {
  const s = f32([1, 2, 3, 4, 2, 2, 2, 2, -1, 0, 1, 100], [3, 4]);
  it('Softmax over the last axis (default) is stable for large inputs', () => {
    expectClose(
      run1('Softmax', [s]),
      [
        0.032058604061603546, 0.08714431524276733, 0.23688282072544098, 0.6439142823219299, 0.25, 0.25, 0.25,
        0.25, 1.401298464324817e-44, 3.783505853677006e-44, 1.0089348943138683e-43, 1,
      ],
      [3, 4],
      TIGHT,
    );
  });
  it('Softmax over axis 0', () => {
    expectClose(
      run1('Softmax', [s], { axis: 0 }),
      [
        0.25949645042419434, 0.46831053495407104, 0.6652409434318542, 2.03048147480666e-42,
        0.7053844928741455, 0.46831053495407104, 0.2447284758090973, 2.7465449900766415e-43,
        0.03511902689933777, 0.06337893754243851, 0.09003057330846786, 1,
      ],
      [3, 4],
      TIGHT,
    );
  });
  it('LogSoftmax', () => {
    expectClose(
      run1('LogSoftmax', [s]),
      [
        -3.4401895999908447, -2.4401895999908447, -1.4401897192001343, -0.4401896893978119,
        -1.3862943649291992, -1.3862943649291992, -1.3862943649291992, -1.3862943649291992, -101, -100, -99,
        0,
      ],
      [3, 4],
      TIGHT,
    );
  });
  it('Hardmax marks the first maximum', () => {
    expect(vals(run1('Hardmax', [s]))).toEqual([0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1]);
    expect(vals(run1('Hardmax', [s], { axis: 0 }))).toEqual([0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
  });
  it('rejects an axis outside the rank', () => {
    const err = opError(() => runOp('Softmax', [s], { axis: 2 }));
    expect(err).toBeInstanceOf(AttributeError);
    expect(err.message).toMatch(/axis 2 is out of range for rank 2/);
  });
});
