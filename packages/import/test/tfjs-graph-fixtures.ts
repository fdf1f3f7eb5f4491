// Builds small TF.js GraphModels (GraphDef JSON + one float32/int32 shard) for importer tests.
import type { Tensor } from '@ocular/core';

/** A GraphDef attribute value in protobuf JSON. */
export type Attr = Record<string, unknown>;

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
/** Attribute constructors (protobuf JSON: strings base64, ints as strings). */
export const A = {
  s: (v: string): Attr => ({ s: b64(v) }),
  i: (v: number): Attr => ({ i: String(v) }),
  f: (v: number): Attr => ({ f: v }),
  b: (v: boolean): Attr => ({ b: v }),
  type: (v: string): Attr => ({ type: v }),
  ints: (v: number[]): Attr => ({ list: { i: v.map(String) } }),
  strs: (v: string[]): Attr => ({ list: { s: v.map(b64) } }),
};

interface WeightEntry {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  values: number[];
}

/** Accumulates nodes and constants; {@link GraphDefBuilder.build} writes model.json and the shard. */
export class GraphDefBuilder {
  readonly nodes: { name: string; op: string; input?: string[]; attr?: Record<string, Attr> }[] = [];
  private readonly weights: WeightEntry[] = [];
  private seed = 1;

  placeholder(name: string, shape: number[], dtype = 'DT_FLOAT'): string {
    this.nodes.push({
      name,
      op: 'Placeholder',
      attr: { dtype: A.type(dtype), shape: { shape: { dim: shape.map((s) => ({ size: String(s) })) } } },
    });
    return name;
  }

  /** A Const node whose value goes to the weights, as tfjs-converter writes them. */
  const(name: string, values: number[], shape: number[], dtype: 'float32' | 'int32' = 'float32'): string {
    const tfType = dtype === 'float32' ? 'DT_FLOAT' : 'DT_INT32';
    this.nodes.push({
      name,
      op: 'Const',
      attr: {
        dtype: A.type(tfType),
        value: { tensor: { dtype: tfType, tensorShape: { dim: shape.map((s) => ({ size: String(s) })) } } },
      },
    });
    this.weights.push({ name, shape, dtype, values });
    return name;
  }

  /** A float Const of seeded values in [lo, hi). */
  random(name: string, shape: number[], lo = -1, hi = 1): string {
    let a = (this.seed++ * 7919) >>> 0;
    const n = shape.reduce((x, y) => x * y, 1);
    const values = Array.from({ length: n }, () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return lo + (hi - lo) * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
    });
    return this.const(name, values, shape);
  }

  op(name: string, op: string, input: string[], attr: Record<string, Attr> = {}): string {
    this.nodes.push({ name, op, input, attr: { T: A.type('DT_FLOAT'), ...attr } });
    return name;
  }

  /** A 2-D convolution with the usual attributes. */
  conv(
    name: string,
    x: string,
    filter: string,
    o: { strides?: number; padding?: string; dilation?: number } = {},
  ): string {
    const s = o.strides ?? 1;
    const d = o.dilation ?? 1;
    return this.op(name, 'Conv2D', [x, filter], {
      strides: A.ints([1, s, s, 1]),
      padding: A.s(o.padding ?? 'SAME'),
      data_format: A.s('NHWC'),
      dilations: A.ints([1, d, d, 1]),
    });
  }

  /** `model.json` (graph-model) and its single shard. */
  build(): { json: Record<string, unknown>; shard: Uint8Array } {
    const bytes = new Uint8Array(this.weights.reduce((n, w) => n + 4 * w.values.length, 0));
    const view = new DataView(bytes.buffer);
    let off = 0;
    for (const w of this.weights) {
      for (const v of w.values) {
        if (w.dtype === 'float32') view.setFloat32(off, v, true);
        else view.setInt32(off, v, true);
        off += 4;
      }
    }
    const json = {
      format: 'graph-model',
      generatedBy: 'test',
      convertedBy: 'test',
      modelTopology: { node: this.nodes, library: {}, versions: {} },
      weightsManifest: [
        {
          paths: ['group1-shard1of1.bin'],
          weights: this.weights.map(({ name, shape, dtype }) => ({ name, shape, dtype })),
        },
      ],
    };
    return { json, shard: bytes };
  }
}

/** Values of a tensor as plain numbers (for hand-computed expectations). */
export function numbers(t: Tensor): number[] {
  return t.toNumbers();
}
