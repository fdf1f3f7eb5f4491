import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createGraph } from '../src/ir/graph.js';
import {
  decodeModelProto,
  encodeModelProto,
  encodeTensorProto,
  graphToOnnx,
  tensorToProto,
} from '../src/onnx/index.js';
import { Tensor } from '../src/tensor.js';
import {
  compareNodeTestOutput,
  loadOnnxNodeTests,
  type OnnxNodeTestEntry,
  runOnnxNodeTests,
} from '../src/testing/onnx-node-tests.js';

const f32 = (v: number[]) => Tensor.from('float32', v, [v.length]);

describe('compareNodeTestOutput (numpy assert_allclose semantics)', () => {
  it('applies atol + rtol * |expected|', () => {
    expect(compareNodeTestOutput(f32([1000]), f32([1000.9])).ok).toBe(true);
    expect(compareNodeTestOutput(f32([1000]), f32([1001.1])).ok).toBe(false);
    expect(compareNodeTestOutput(f32([0]), f32([1e-8])).ok).toBe(true);
    expect(compareNodeTestOutput(f32([0]), f32([1e-6])).ok).toBe(false);
    // The tolerance scales with the expected value, not the actual one.
    expect(compareNodeTestOutput(f32([1]), f32([1.0011])).ok).toBe(false);
    expect(compareNodeTestOutput(f32([1]), f32([1.5]), { rtol: 0.5 }).ok).toBe(true);
  });

  it('treats NaN as equal to NaN and infinities as equal only to themselves', () => {
    expect(compareNodeTestOutput(f32([Number.NaN, 1]), f32([Number.NaN, 1])).ok).toBe(true);
    expect(compareNodeTestOutput(f32([Number.NaN]), f32([0])).ok).toBe(false);
    expect(compareNodeTestOutput(f32([0]), f32([Number.NaN])).ok).toBe(false);
    expect(compareNodeTestOutput(f32([Number.POSITIVE_INFINITY]), f32([Number.POSITIVE_INFINITY])).ok).toBe(
      true,
    );
    expect(compareNodeTestOutput(f32([Number.POSITIVE_INFINITY]), f32([Number.NEGATIVE_INFINITY])).ok).toBe(
      false,
    );
    expect(compareNodeTestOutput(f32([Number.POSITIVE_INFINITY]), f32([3e38])).ok).toBe(false);
  });

  it('requires exact integers and bools, and matching dtype and shape', () => {
    expect(compareNodeTestOutput(Tensor.from('int32', [5], [1]), Tensor.from('int32', [5], [1])).ok).toBe(
      true,
    );
    expect(
      compareNodeTestOutput(Tensor.from('int32', [1000], [1]), Tensor.from('int32', [1001], [1])).ok,
    ).toBe(false);
    expect(
      compareNodeTestOutput(
        Tensor.from('int64', [2n ** 62n], [1]),
        Tensor.from('int64', [2n ** 62n + 1n], [1]),
      ).ok,
    ).toBe(false);
    expect(compareNodeTestOutput(Tensor.from('bool', [1, 0], [2]), Tensor.from('bool', [1, 1], [2])).ok).toBe(
      false,
    );
    expect(compareNodeTestOutput(f32([1]), Tensor.from('float64', [1], [1])).message).toBe(
      'dtype float64, expected float32',
    );
    expect(compareNodeTestOutput(f32([1, 2]), Tensor.from('float32', [1, 2], [2, 1])).message).toBe(
      'shape [2, 1], expected [2]',
    );
    const c = compareNodeTestOutput(f32([1, 2, 3]), f32([1, 2.5, 4]));
    expect(c.message).toBe(
      '2 of 3 values differ (first at flat index 1: got 2.5, expected 2); max abs error 1',
    );
  });

  it('compares float8/float4 storage types by value', () => {
    const t = (dtype: 'float8e4m3fn' | 'float8e5m2' | 'float8e4m3fnuz' | 'float4e2m1', bits: number[]) =>
      Tensor.from(dtype, bits, [bits.length]);
    // +0 (0x00) and -0 (0x80) are equal values in e4m3fn; 0x7f and 0xff are both NaN.
    expect(compareNodeTestOutput(t('float8e4m3fn', [0x00, 0x7f]), t('float8e4m3fn', [0x80, 0xff])).ok).toBe(
      true,
    );
    // 0x7e = 448 and 0x7d = 416 differ.
    expect(compareNodeTestOutput(t('float8e4m3fn', [0x7e]), t('float8e4m3fn', [0x7d])).maxAbsError).toBe(32);
    // e5m2: 0x7c = +inf, 0x7d/0x7e are NaNs; 0x7b = 57344.
    expect(compareNodeTestOutput(t('float8e5m2', [0x7c, 0x7d]), t('float8e5m2', [0x7c, 0x7e])).ok).toBe(true);
    expect(compareNodeTestOutput(t('float8e5m2', [0x7b]), t('float8e5m2', [0x7a])).maxAbsError).toBe(8192);
    // e4m3fnuz: 0x80 is the only NaN; 0x7f = 240.
    expect(compareNodeTestOutput(t('float8e4m3fnuz', [0x80]), t('float8e4m3fnuz', [0x00])).ok).toBe(false);
    expect(compareNodeTestOutput(t('float8e4m3fnuz', [0x7f]), t('float8e4m3fnuz', [0x7e])).maxAbsError).toBe(
      16,
    );
    // e2m1: 0x7 = 6, 0xf = -6, 0x1 = 0.5.
    expect(compareNodeTestOutput(t('float4e2m1', [0x7]), t('float4e2m1', [0xf])).maxAbsError).toBe(12);
    expect(compareNodeTestOutput(t('float4e2m1', [0x1]), t('float4e2m1', [0x0])).maxAbsError).toBe(0.5);
  });
});

describe('runOnnxNodeTests', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ocular-node-tests-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Writes a one-node test folder the way the ONNX suite lays them out. */
  function writeTest(name: string, opType: string, x: number[], y: number[]): OnnxNodeTestEntry {
    const g = createGraph(name, 18);
    g.inputs.push({ name: 'x', dtype: 'float32', shape: [x.length] });
    g.nodes.push({ name: 'n', opType: 'Relu', inputs: ['x'], outputs: ['y'], attrs: {} });
    g.outputs.push({ name: 'y', dtype: 'float32', shape: [y.length] });
    const model = decodeModelProto(graphToOnnx(g));
    model.graph!.node[0]!.opType = opType;
    const data = join(dir, 'node', name, 'test_data_set_0');
    mkdirSync(data, { recursive: true });
    writeFileSync(join(dir, 'node', name, 'model.onnx'), encodeModelProto(model));
    writeFileSync(join(data, 'input_0.pb'), encodeTensorProto(tensorToProto(f32(x), 'x')));
    writeFileSync(join(data, 'output_0.pb'), encodeTensorProto(tensorToProto(f32(y), 'y')));
    return {
      name,
      op: opType,
      opset: 18,
      inputs: [{ name: 'x', dtype: 'float32', dims: [x.length] }],
      outputs: [{ name: 'y', dtype: 'float32', dims: [y.length] }],
    };
  }

  const index = [
    writeTest('test_relu_ok', 'Relu', [-1, 2], [0, 2]),
    writeTest('test_relu_wrong', 'Relu', [-1, 2], [0, 3]),
    writeTest('test_fancy', 'FancyOp', [1], [1]),
    {
      name: 'test_strings',
      op: 'Equal',
      opset: 19,
      inputs: [{ name: 'x', dtype: 'string', dims: [1] }],
      outputs: [{ name: 'y', dtype: 'bool', dims: [1] }],
    },
  ];
  writeFileSync(join(dir, 'index.json'), JSON.stringify(index));

  const relu = async (_g: unknown, feeds: Record<string, Tensor>) => ({
    y: f32(feeds.x!.toNumbers().map((v) => Math.max(v, 0))),
  });

  it('loads tests with filters, keeping unloadable ones with a reason', async () => {
    expect((await loadOnnxNodeTests(dir)).map((t) => t.name)).toEqual(index.map((e) => e.name));
    expect((await loadOnnxNodeTests(dir, 'Relu')).length).toBe(2);
    expect((await loadOnnxNodeTests(dir, /wrong/)).map((t) => t.name)).toEqual(['test_relu_wrong']);
    expect((await loadOnnxNodeTests(dir, (e) => e.op === 'FancyOp')).length).toBe(1);
    const [s] = await loadOnnxNodeTests(dir, 'test_strings');
    expect(s!.loadError).toMatch(/string tensors are not supported/);
    const [ok] = await loadOnnxNodeTests(dir, 'test_relu_ok');
    expect(ok!.inputs!.x!.toNumbers()).toEqual([-1, 2]);
    expect(ok!.expected!.y!.toNumbers()).toEqual([0, 2]);
  });

  it('passes, fails and skips with reasons', async () => {
    const seen: string[] = [];
    const report = await runOnnxNodeTests(dir, relu, { onResult: (r) => seen.push(r.name) });
    const by = Object.fromEntries(report.results.map((r) => [r.name, r]));
    expect(by.test_relu_ok!.status).toBe('pass');
    expect(by.test_relu_wrong!.status).toBe('fail');
    expect(by.test_relu_wrong!.reason).toMatch(/output 'y': 1 of 2 values differ/);
    expect(by.test_relu_wrong!.maxAbsError).toBe(1);
    expect(by.test_fancy!).toMatchObject({
      status: 'skip',
      reason: "op 'FancyOp' is not in the Ocular IR",
      opInIr: false,
    });
    expect(by.test_strings!.status).toBe('skip');
    expect([report.passed, report.failed, report.skipped, report.total]).toEqual([1, 1, 2, 4]);
    expect(report.eligible).toBe(3);
    expect(report.passRate).toBeCloseTo(1 / 3);
    expect(report.byOp.Relu).toEqual({ passed: 1, failed: 1, skipped: 0 });
    expect(seen).toEqual(index.map((e) => e.name));
  });

  it('counts runner errors and wrong outputs as failures, and honours supports()', async () => {
    const boom = await runOnnxNodeTests(
      dir,
      () => {
        throw new Error('kernel exploded');
      },
      { filter: 'test_relu_ok' },
    );
    expect(boom.results[0]).toMatchObject({ status: 'fail', reason: 'error: kernel exploded' });
    const extra = await runOnnxNodeTests(dir, async () => ({ y: f32([0, 2]), z: f32([1]) }), {
      filter: 'test_relu_ok',
    });
    expect(extra.results[0]!.reason).toMatch(/returned 2 outputs \(y, z\), expected 1 \(y\)/);
    const renamed = await runOnnxNodeTests(dir, async () => ({ out: f32([0, 2]) }), {
      filter: 'test_relu_ok',
    });
    expect(renamed.results[0]!.reason).toBe("output 'y' is missing");
    const shape = await runOnnxNodeTests(dir, async () => ({ y: Tensor.from('float32', [0, 2], [1, 2]) }), {
      filter: 'test_relu_ok',
    });
    expect(shape.results[0]!.reason).toBe("output 'y': shape [1, 2], expected [2]");
    const skipped = await runOnnxNodeTests(dir, relu, {
      filter: 'Relu',
      supports: () => 'no Relu on this backend',
    });
    expect(skipped.results.map((r) => r.reason)).toEqual([
      'no Relu on this backend',
      'no Relu on this backend',
    ]);
  });
});
