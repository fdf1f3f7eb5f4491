import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedPath } from '@ocular/vitest-config/shared-data';
import { describe, expect, it } from 'vitest';
import { OnnxError } from '../src/errors.js';
import { createGraph } from '../src/ir/graph.js';
import {
  type AttributeProto,
  AttributeType,
  decodeModelProto,
  decodeTensorProto,
  encodeModelProto,
  encodeTensorProto,
  graphToOnnx,
  type ModelProto,
  readOnnxModel,
  readOnnxNodeTest,
  readOnnxTensor,
  type TensorProto,
  tensorToProto,
} from '../src/onnx/index.js';
import { attributeProto, tensorProto } from '../src/onnx/proto.js';
import { Tensor } from '../src/tensor.js';

const ROOT = sharedPath('onnx-backend-tests');

interface IndexValue {
  name: string;
  dtype: string;
  dims?: number[];
}
interface IndexEntry {
  name: string;
  op: string;
  opset: number;
  inputs: IndexValue[];
  outputs: IndexValue[];
  graphOps?: string[];
}

const index: IndexEntry[] = JSON.parse(readFileSync(join(ROOT, 'index.json'), 'utf8'));
const file = (test: string, name: string) => readFileSync(join(ROOT, 'node', test, name));
const data = (test: string, name: string) => readOnnxTensor(file(test, `test_data_set_0/${name}.pb`));

/** Tests whose models use what the IR cannot represent, with the reason the reader gives. */
const UNREADABLE: Record<string, RegExp> = {
  test_equal_string: /graph input 'x' has string elements/,
  test_equal_string_broadcast: /graph input 'x' has string elements/,
  test_identity_opt: /graph input 'opt_in' is an optional/,
  test_identity_sequence: /graph input 'x' is a sequence/,
  test_range_bfloat16_type_positive_delta_expanded: /Loop.*subgraphs are not supported/,
  test_range_float16_type_positive_delta_expanded: /Loop.*subgraphs are not supported/,
  test_range_float_type_positive_delta_expanded: /Loop.*subgraphs are not supported/,
  test_range_int32_type_negative_delta_expanded: /Loop.*subgraphs are not supported/,
};

describe('readOnnxModel on the official ONNX node tests', () => {
  it('decodes all 769 models, agreeing with index.json, or names what is unsupported', () => {
    expect(index.length).toBe(769);
    let read = 0;
    for (const t of index) {
      const bytes = file(t.name, 'model.onnx');
      const reason = UNREADABLE[t.name];
      if (reason) {
        expect(() => readOnnxModel(bytes), t.name).toThrow(OnnxError);
        expect(() => readOnnxModel(bytes), t.name).toThrow(reason);
        continue;
      }
      const g = readOnnxModel(bytes);
      read++;
      expect(g.opset, t.name).toBe(t.opset);
      expect(g.initializers.size).toBe(0);
      if (!t.graphOps) {
        expect(g.nodes.length, t.name).toBe(1);
        expect(g.nodes[0]!.opType, t.name).toBe(t.op);
      } else {
        expect(new Set(g.nodes.map((n) => n.opType)), t.name).toEqual(new Set(t.graphOps));
      }
      expect(
        g.inputs.map((v) => [v.name, v.dtype, v.shape]),
        t.name,
      ).toEqual(t.inputs.map((v) => [v.name, v.dtype, v.dims]));
      expect(
        g.outputs.map((v) => [v.name, v.dtype, v.shape]),
        t.name,
      ).toEqual(t.outputs.map((v) => [v.name, v.dtype, v.dims]));
      // Every data file decodes to the dtype and dims the index lists.
      t.inputs.forEach((v, i) => {
        const x = data(t.name, `input_${i}`);
        expect([x.dtype, x.dims], `${t.name} input ${i}`).toEqual([v.dtype, v.dims]);
      });
      t.outputs.forEach((v, i) => {
        const x = data(t.name, `output_${i}`);
        expect([x.dtype, x.dims], `${t.name} output ${i}`).toEqual([v.dtype, v.dims]);
      });
    }
    expect(read).toBe(769 - Object.keys(UNREADABLE).length);
  });

  it('readOnnxNodeTest pairs data files with graph inputs and outputs', async () => {
    const t = await readOnnxNodeTest(join(ROOT, 'node', 'test_gemm_default_vector_bias'));
    expect(Object.keys(t.inputs)).toEqual(['a', 'b', 'c']);
    expect(Object.keys(t.expected)).toEqual(['y']);
    expect(t.inputs.b!.dims).toEqual([7, 4]);
    expect(t.graph.nodes[0]!.opType).toBe('Gemm');
    await expect(readOnnxNodeTest(join(ROOT, 'node', 'test_identity_sequence'))).rejects.toThrow(/sequence/);
  });

  it('converts attributes to plain values', () => {
    const gemm = readOnnxModel(file('test_gemm_all_attributes', 'model.onnx')).nodes[0]!;
    expect(gemm.attrs).toEqual({ alpha: 0.25, beta: Math.fround(0.35), transA: 1, transB: 1 });
    expect(readOnnxModel(file('test_flatten_negative_axis1', 'model.onnx')).nodes[0]!.attrs).toEqual({
      axis: -1,
    });
    const resize = readOnnxModel(
      file('test_resize_downsample_scales_cubic_A_n0p5_exclude_outside', 'model.onnx'),
    ).nodes[0]!;
    expect(resize.attrs).toEqual({ cubic_coeff_a: -0.5, exclude_outside: 1, mode: 'cubic' });
    expect(resize.inputs).toEqual(['X', '', 'scales']);
    const einsum = readOnnxModel(file('test_einsum_batch_diagonal', 'model.onnx')).nodes[0]!;
    expect(einsum.attrs.equation).toBe('...ii ->...i');
    const constant = readOnnxModel(file('test_constant', 'model.onnx')).nodes[0]!;
    const value = constant.attrs.value as Tensor;
    expect(value).toBeInstanceOf(Tensor);
    expect(value.dims).toEqual([5, 5]);
    // The Constant test's value is the test's expected output.
    expect(Array.from(value.data as Float32Array)).toEqual(
      Array.from(data('test_constant', 'output_0').data as Float32Array),
    );
    expect(readOnnxModel(file('test_cast_FLOAT_to_INT4', 'model.onnx')).nodes[0]!.attrs).toEqual({ to: 22 });
  });

  it('decodes tensor values (spot checks against the math)', () => {
    const x = data('test_relu', 'input_0').toNumbers();
    expect(data('test_relu', 'output_0').toNumbers()).toEqual(x.map((v) => Math.max(v, 0)));
    const a = data('test_add', 'input_0').toNumbers();
    const b = data('test_add', 'input_1').toNumbers();
    expect(data('test_add', 'output_0').toNumbers()).toEqual(a.map((v, i) => Math.fround(v + b[i]!)));
    const i64 = data('test_add_uint64', 'output_0');
    expect(i64.dtype).toBe('uint64');
    const ai = data('test_add_uint64', 'input_0').data as BigUint64Array;
    const bi = data('test_add_uint64', 'input_1').data as BigUint64Array;
    expect(Array.from(i64.data as BigUint64Array)).toEqual(Array.from(ai).map((v, i) => v + bi[i]!));
  });

  it('unpacks int4/uint4/int2/uint2 (lowest bits first) to the values of the 8-bit cast outputs', () => {
    for (const [test, lo, hi] of [
      ['test_cast_INT4_to_INT8', -8, 7],
      ['test_cast_UINT4_to_UINT8', 0, 15],
      ['test_cast_INT2_to_INT8', -2, 1],
      ['test_cast_UINT2_to_UINT8', 0, 3],
    ] as const) {
      const packed = data(test, 'input_0');
      const wide = data(test, 'output_0');
      expect(packed.dims, test).toEqual(wide.dims);
      expect(Array.from(packed.data as ArrayLike<number>), test).toEqual(
        Array.from(wide.data as ArrayLike<number>),
      );
      expect(Math.min(...packed.toNumbers())).toBeGreaterThanOrEqual(lo);
      expect(Math.max(...packed.toNumbers())).toBeLessThanOrEqual(hi);
    }
  });

  it('reads every model prefix either fully or with an OnnxError', () => {
    const bytes = file('test_gemm_all_attributes', 'model.onnx');
    for (let n = 0; n < bytes.length; n++) {
      try {
        readOnnxModel(bytes.subarray(0, n));
      } catch (err) {
        expect(err, `prefix ${n}`).toBeInstanceOf(OnnxError);
      }
    }
  });

  it('survives corrupted bytes with an OnnxError', () => {
    const bytes = file('test_conv_with_strides_padding', 'model.onnx');
    let s = 12345;
    for (let k = 0; k < 400; k++) {
      const copy = bytes.slice();
      for (let j = 0; j < 3; j++) {
        s = (Math.imul(s, 1103515245) + 12345) >>> 0;
        copy[s % copy.length] = (s >>> 8) & 0xff;
      }
      try {
        readOnnxModel(copy);
      } catch (err) {
        expect(err, `mutation ${k}`).toBeInstanceOf(OnnxError);
      }
    }
  });
});

function emptyTensor(over: Partial<TensorProto>): TensorProto {
  return tensorProto({ name: 't', dataType: 1, ...over });
}
const viaBytes = (p: TensorProto) => readOnnxTensor(encodeTensorProto(p));

describe('readOnnxTensor', () => {
  it('reads the typed data fields', () => {
    expect(viaBytes(emptyTensor({ dims: [2], dataType: 1, floatData: [1.5, -2] })).toNumbers()).toEqual([
      1.5, -2,
    ]);
    expect(viaBytes(emptyTensor({ dims: [2], dataType: 11, doubleData: [0.1, 1e300] })).toNumbers()).toEqual([
      0.1, 1e300,
    ]);
    const i64 = viaBytes(emptyTensor({ dims: [2], dataType: 7, int64Data: [-(2n ** 63n), 2n ** 62n] }));
    expect(Array.from(i64.data as BigInt64Array)).toEqual([-(2n ** 63n), 2n ** 62n]);
    const u64 = viaBytes(emptyTensor({ dims: [1], dataType: 13, uint64Data: [2n ** 64n - 1n] }));
    expect(Array.from(u64.data as BigUint64Array)).toEqual([2n ** 64n - 1n]);
    expect(viaBytes(emptyTensor({ dims: [1], dataType: 12, uint64Data: [4294967295n] })).toNumbers()).toEqual(
      [4294967295],
    );
    expect(viaBytes(emptyTensor({ dims: [3], dataType: 3, int32Data: [-128, 0, 127] })).toNumbers()).toEqual([
      -128, 0, 127,
    ]);
    expect(viaBytes(emptyTensor({ dims: [2], dataType: 9, int32Data: [1, 0] })).toNumbers()).toEqual([1, 0]);
    // float16 and bfloat16 are stored as bit patterns in int32_data: 0x3c00 = 1.0, 0xc000 = -2.0, 0x3f80 = bf16 1.0.
    const h = viaBytes(emptyTensor({ dims: [2], dataType: 10, int32Data: [0x3c00, 0xc000] }));
    expect([h.dtype, ...h.toNumbers()]).toEqual(['float16', 1, -2]);
    expect(viaBytes(emptyTensor({ dims: [1], dataType: 16, int32Data: [0x3f80] })).toNumbers()).toEqual([1]);
    // int4 in int32_data: one packed byte per entry, low nibble first: 0xf1 = [1, -1], 0x07 = [7, pad].
    expect(viaBytes(emptyTensor({ dims: [3], dataType: 22, int32Data: [0xf1, 0x07] })).toNumbers()).toEqual([
      1, -1, 7,
    ]);
    expect(viaBytes(emptyTensor({ dims: [0, 3], dataType: 1 })).dims).toEqual([0, 3]);
  });

  it('reads raw_data, unpacking sub-byte types lowest bits first', () => {
    const int4 = viaBytes(
      emptyTensor({ dims: [5], dataType: 22, rawData: Uint8Array.from([0xf1, 0x87, 0x03]) }),
    );
    expect(int4.toNumbers()).toEqual([1, -1, 7, -8, 3]);
    const uint2 = viaBytes(emptyTensor({ dims: [5], dataType: 25, rawData: Uint8Array.from([0xe4, 0x01]) }));
    expect(uint2.toNumbers()).toEqual([0, 1, 2, 3, 1]);
    const int2 = viaBytes(emptyTensor({ dims: [4], dataType: 26, rawData: Uint8Array.from([0xe4]) }));
    expect(int2.toNumbers()).toEqual([0, 1, -2, -1]);
    const f32 = viaBytes(
      emptyTensor({ dims: [1], dataType: 1, rawData: Uint8Array.from([0, 0, 0x80, 0xbf]) }),
    );
    expect(f32.toNumbers()).toEqual([-1]);
  });

  it('round-trips every dtype through tensorToProto', () => {
    const cases: Tensor[] = [
      Tensor.from('float32', [1, -2.5, 3], [3]),
      Tensor.from('float16', [1, -2.5], [2]),
      Tensor.from('bfloat16', [1, -2.5], [2]),
      Tensor.from('float64', [Math.PI], []),
      Tensor.from('int8', [-128, 127], [2]),
      Tensor.from('uint8', [0, 255], [2]),
      Tensor.from('int16', [-32768, 32767], [2]),
      Tensor.from('uint16', [65535], [1]),
      Tensor.from('int32', [-(2 ** 31)], [1]),
      Tensor.from('uint32', [2 ** 32 - 1], [1]),
      Tensor.from('int64', [-(2n ** 63n), 5n], [2]),
      Tensor.from('uint64', [2n ** 64n - 1n], [1]),
      Tensor.from('bool', [1, 0, 1], [3]),
      Tensor.from('float8e4m3fn', [0x7e, 0x01], [2]),
      Tensor.from('float8e8m0', [0x7f], [1]),
      Tensor.from('int4', [-8, 7, 0, -1, 3], [5]),
      Tensor.from('uint4', [15, 0, 9], [3]),
      Tensor.from('float4e2m1', [0xf, 0x1, 0x7], [3]),
      Tensor.from('int2', [-2, 1, 0, -1, 1], [5]),
      Tensor.from('uint2', [3, 2, 1], [3]),
      Tensor.zeros('float32', [2, 0]),
    ];
    for (const t of cases) {
      const back = readOnnxTensor(encodeTensorProto(tensorToProto(t, 'x')));
      expect([back.dtype, back.dims], t.dtype).toEqual([t.dtype, t.dims]);
      expect(Array.from(back.data as ArrayLike<number | bigint>), t.dtype).toEqual(
        Array.from(t.data as ArrayLike<number | bigint>),
      );
    }
  });

  it('rejects data that disagrees with dims before allocating', () => {
    // dims claim a million elements, raw_data holds 4 bytes.
    const short = emptyTensor({ name: 'w', dims: [1000, 1000], rawData: new Uint8Array(4) });
    expect(() => viaBytes(short)).toThrow(
      /tensor 'w': raw_data has 4 bytes, float32\[1000, 1000\] needs 4000000/,
    );
    // 2^40 elements is refused by the allocation bound before anything else.
    const huge = emptyTensor({ name: 'w', dims: [2 ** 20, 2 ** 20], rawData: new Uint8Array(4) });
    expect(() => viaBytes(huge)).toThrow(
      /tensor 'w': float32\[1048576, 1048576\] needs \d+ bytes, over env.maxAllocationBytes/,
    );
    const overflow = emptyTensor({ name: 'w', dims: [2 ** 40, 2 ** 40], rawData: new Uint8Array(4) });
    expect(() => viaBytes(overflow)).toThrow(/too many elements/);
    expect(() => viaBytes(emptyTensor({ dims: [-1], rawData: new Uint8Array(4) }))).toThrow(
      /invalid dimension -1/,
    );
    expect(() => viaBytes(emptyTensor({ dims: [3], floatData: [1] }))).toThrow(/float_data has 1 values/);
    expect(() => viaBytes(emptyTensor({ dims: [2] }))).toThrow(OnnxError);
  });

  it('names string, complex and external tensors it cannot read', () => {
    const str = emptyTensor({
      name: 'labels',
      dims: [1],
      dataType: 8,
      stringData: [Uint8Array.from([0x61])],
    });
    expect(() => viaBytes(str)).toThrow(/tensor 'labels' has string elements/);
    expect(() => viaBytes(emptyTensor({ name: 'c', dims: [1], dataType: 14, floatData: [1, 2] }))).toThrow(
      /tensor 'c' has ONNX element type COMPLEX64/,
    );
    const ext = emptyTensor({
      name: 'big',
      dims: [1],
      dataLocation: 1,
      externalData: [{ key: 'location', value: 'w.bin' }],
    });
    expect(() => viaBytes(ext)).toThrow(/tensor 'big' stores its data externally/);
  });

  it('decodeTensorProto keeps the name and dims', () => {
    const p = decodeTensorProto(
      encodeTensorProto(tensorToProto(Tensor.from('float32', [1, 2], [1, 2]), 'named')),
    );
    expect([p.name, p.dims, p.dataType]).toEqual(['named', [1, 2], 1]);
  });
});

describe('readOnnxModel errors', () => {
  function model(mutate: (m: ModelProto) => void): Uint8Array {
    const g = createGraph('m', 18);
    g.inputs.push({ name: 'x', dtype: 'float32', shape: [2] });
    g.nodes.push({ name: 'r', opType: 'Relu', inputs: ['x'], outputs: ['y'], attrs: {} });
    g.outputs.push({ name: 'y', dtype: 'float32', shape: [2] });
    const m = decodeModelProto(graphToOnnx(g));
    mutate(m);
    return encodeModelProto(m);
  }
  const attr = (over: Partial<AttributeProto>): AttributeProto => attributeProto({ name: 'a', ...over });

  it('rejects subgraph attributes', () => {
    const bytes = model((m) => {
      m.graph!.node[0]!.attribute.push(
        attr({ name: 'body', type: AttributeType.GRAPH, g: { ...m.graph!, node: [] } }),
      );
    });
    expect(() => readOnnxModel(bytes)).toThrow(
      /node 'r' \(Relu\): attribute 'body' is a graph: subgraphs are not supported/,
    );
  });

  it('infers attribute types for IR-1 style attributes and converts lists', () => {
    const bytes = model((m) => {
      m.graph!.node[0]!.attribute.push(
        attr({ name: 'i', i: -3 }),
        attr({ name: 'f', f: 0.5 }),
        attr({ name: 'ints', ints: [1, -2] }),
        attr({ name: 'strs', type: AttributeType.STRINGS, strings: [new TextEncoder().encode('héllo')] }),
        attr({ name: 'floats', type: AttributeType.FLOATS, floats: [0.25] }),
      );
    });
    expect(readOnnxModel(bytes).nodes[0]!.attrs).toEqual({
      i: -3,
      f: 0.5,
      ints: [1, -2],
      strs: ['héllo'],
      floats: [0.25],
    });
  });

  it('excludes initializers from the inputs and keeps metadata', () => {
    const bytes = model((m) => {
      m.graph!.initializer.push(tensorToProto(Tensor.from('float32', [1, 2], [2]), 'x'));
      m.metadataProps.push({ key: 'labels', value: '["cat"]' });
    });
    const g = readOnnxModel(bytes);
    expect(g.inputs).toEqual([]);
    expect(g.initializers.get('x')!.toNumbers()).toEqual([1, 2]);
    expect(g.metadata).toEqual({ labels: '["cat"]' });
  });

  it('requires a default-domain opset and a graph', () => {
    expect(() => readOnnxModel(model((m) => (m.opsetImport = [{ domain: 'com.x', version: 1 }])))).toThrow(
      /no default-domain/,
    );
    expect(() => readOnnxModel(model((m) => (m.graph = undefined)))).toThrow(/no graph/);
  });

  it('names values of unknown rank or unsupported type', () => {
    expect(() =>
      readOnnxModel(model((m) => (m.graph!.output[0]!.type!.tensorType!.shape = undefined))),
    ).toThrow(/graph output 'y' has no shape/);
    const g = readOnnxModel(
      model((m) => {
        m.graph!.input[0]!.type!.tensorType!.shape = [{ dimParam: 'N' }, {}];
      }),
    );
    expect(g.inputs[0]!.shape).toEqual(['N', 'x_dim1']);
  });

  it('names nodes without a name uniquely', () => {
    const bytes = model((m) => {
      const n = m.graph!.node[0]!;
      n.name = '';
      m.graph!.node.push({ ...n, input: ['y'], output: ['z'] });
    });
    expect(readOnnxModel(bytes).nodes.map((n) => n.name)).toEqual(['Relu_0', 'Relu_1']);
  });
});
