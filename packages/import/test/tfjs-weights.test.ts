import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { numberToFloat16Bits } from '@ocular/core';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  decodeTfjsWeightSpecs,
  decodeTfjsWeights,
  ImportError,
  parseTfjsModelJson,
  readTfjsModelFiles,
  type TfjsWeightSpec,
  type TfjsWeightsManifest,
} from '../src/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A deterministic pseudo-random sequence. */
function seq(n: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  });
}

/** Bytes of a typed array. */
function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out;
}

/** Mixed specs: plain, float16, uint8 and uint16 affine quantisation, int32, bool, odd offsets. */
function mixedWeights(): { specs: TfjsWeightSpec[]; data: Uint8Array } {
  const f32 = Float32Array.from(seq(6, 1).map((v) => v * 4 - 2));
  const half = Uint16Array.from(seq(5, 2).map((v) => numberToFloat16Bits(v * 100 - 50)));
  const u8 = Uint8Array.from(seq(7, 3).map((v) => Math.floor(v * 256)));
  const u16 = Uint16Array.from(seq(4, 4).map((v) => Math.floor(v * 65536)));
  const i32 = Int32Array.from([-3, 0, 7, 2147483647]);
  const b = Uint8Array.from([1, 0, 1]);
  const qi = Uint8Array.from([0, 1, 2, 255]);
  const specs: TfjsWeightSpec[] = [
    { name: 'bool', shape: [3], dtype: 'bool' },
    { name: 'u8', shape: [7], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.0123, min: -1.7 } },
    { name: 'half', shape: [5, 1], dtype: 'float32', quantization: { dtype: 'float16' } },
    { name: 'dense/kernel', shape: [2, 3], dtype: 'float32' },
    {
      name: 'u16',
      shape: [2, 2],
      dtype: 'float32',
      quantization: { dtype: 'uint16', scale: 3.3e-5, min: 0.25 },
    },
    { name: 'ints', shape: [4], dtype: 'int32' },
    { name: 'qint', shape: [2, 2], dtype: 'int32', quantization: { dtype: 'uint8', scale: 0.5, min: -3 } },
  ];
  return { specs, data: concat([b, u8, bytesOf(half), bytesOf(f32), bytesOf(u16), bytesOf(i32), qi]) };
}

describe('decodeTfjsWeightSpecs', () => {
  it('decodes every dtype and quantisation exactly as tf.io.decodeWeights', async () => {
    const { specs, data } = mixedWeights();
    const ours = decodeTfjsWeightSpecs(specs, data);
    // TF.js reads typed views of the buffer, so hand it a fresh copy.
    const theirs = tf.io.decodeWeights(data.slice().buffer, specs as tf.io.WeightsManifestEntry[]);
    expect([...ours.keys()]).toEqual(specs.map((s) => s.name));
    for (const s of specs) {
      const t = theirs[s.name]!;
      const o = ours.get(s.name)!;
      expect(o.dims, s.name).toEqual(t.shape);
      expect(o.dtype, s.name).toBe(t.dtype);
      expect(Array.from(o.data as ArrayLike<number>), s.name).toEqual(Array.from(await t.data()));
    }
  });

  it('matches hand-computed dequantisation', () => {
    const spec: TfjsWeightSpec = {
      name: 'w',
      shape: [3],
      dtype: 'float32',
      quantization: { dtype: 'uint8', scale: 0.5, min: -1 },
    };
    expect(
      decodeTfjsWeightSpecs([spec], Uint8Array.from([0, 3, 255]))
        .get('w')!
        .toNumbers(),
    ).toEqual([-1, 0.5, 126.5]);
    // float16: 0x3c00 = 1, 0xc000 = -2, 0x0001 = 2^-24 (subnormal), 0x7c00 = +Inf
    const half = { name: 'h', shape: [4], dtype: 'float32', quantization: { dtype: 'float16' as const } };
    const h = decodeTfjsWeightSpecs([half], bytesOf(Uint16Array.from([0x3c00, 0xc000, 0x0001, 0x7c00]))).get(
      'h',
    )!;
    expect(h.toNumbers()).toEqual([1, -2, 2 ** -24, Number.POSITIVE_INFINITY]);
  });

  it('rejects wrong byte counts naming the weight that runs past the end', () => {
    const { specs, data } = mixedWeights();
    const err = (() => {
      try {
        decodeTfjsWeightSpecs(specs, data.subarray(0, data.byteLength - 3));
      } catch (e) {
        return e;
      }
    })() as ImportError;
    expect(err).toBeInstanceOf(ImportError);
    expect(err.code).toBe('E_IMPORT');
    expect(err.message).toMatch(/'qint' runs past the end/);
    expect(() => decodeTfjsWeightSpecs(specs, concat([data, new Uint8Array(4)]))).toThrow(
      /needs? \d+|specs need/,
    );
  });

  it('rejects string, unknown dtypes and bad quantisation with the weight named', () => {
    expect(() =>
      decodeTfjsWeightSpecs([{ name: 'vocab', shape: [1], dtype: 'string' }], new Uint8Array(5)),
    ).toThrow(/'vocab' has dtype string/);
    expect(() =>
      decodeTfjsWeightSpecs([{ name: 'x', shape: [1], dtype: 'float64' }], new Uint8Array(8)),
    ).toThrow(/'x' has unknown dtype 'float64'/);
    expect(() =>
      decodeTfjsWeightSpecs(
        [{ name: 'q', shape: [1], dtype: 'float32', quantization: { dtype: 'uint8' } }],
        new Uint8Array(1),
      ),
    ).toThrow(/'q' is quantised to uint8 without numeric scale and min/);
    expect(() =>
      decodeTfjsWeightSpecs(
        [{ name: 'q', shape: [1], dtype: 'float32', quantization: { dtype: 'int4' as 'uint8' } }],
        new Uint8Array(1),
      ),
    ).toThrow(ImportError);
    expect(() =>
      decodeTfjsWeightSpecs([{ name: 's', shape: [-1], dtype: 'float32' }], new Uint8Array(0)),
    ).toThrow(/'s' has invalid shape/);
  });
});

describe('decodeTfjsWeights', () => {
  it('takes one buffer per shard across groups, or all shards concatenated', () => {
    const { specs, data } = mixedWeights();
    const manifest: TfjsWeightsManifest = [
      { paths: ['a1.bin', 'a2.bin'], weights: specs.slice(0, 3) },
      { paths: ['b1.bin'], weights: specs.slice(3) },
    ];
    const split = 3 + 7 + 10;
    const shards = [data.subarray(0, 5), data.subarray(5, split), data.subarray(split)];
    const a = decodeTfjsWeights(manifest, shards);
    const b = decodeTfjsWeights(manifest, data);
    expect([...a.keys()]).toEqual(specs.map((s) => s.name));
    for (const [k, v] of a)
      expect(Array.from(b.get(k)!.data as ArrayLike<number>)).toEqual(
        Array.from(v.data as ArrayLike<number>),
      );
    // A byte moved from group 0's shards into group 1's: totals agree but the group check fails.
    expect(() =>
      decodeTfjsWeights(manifest, [
        data.subarray(0, 5),
        data.subarray(5, split - 1),
        data.subarray(split - 1),
      ]),
    ).toThrow(/weights group #0 \(a1\.bin, a2\.bin\)/);
    expect(() => decodeTfjsWeights(manifest, shards.slice(0, 2))).toThrow(
      /names 3 shard files, 2 were given/,
    );
  });
});

describe('model.json from disk', () => {
  it('reads shards relative to the JSON, and types malformed JSON and missing shards', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ocular-tfjs-'));
    const { specs, data } = mixedWeights();
    const json = {
      format: 'layers-model',
      modelTopology: {},
      weightsManifest: [{ paths: ['w/s1.bin'], weights: specs }],
    };
    await (await import('node:fs/promises')).mkdir(join(dir, 'w'));
    await writeFile(join(dir, 'w', 's1.bin'), data);
    await writeFile(join(dir, 'model.json'), JSON.stringify(json));
    const files = await readTfjsModelFiles(join(dir, 'model.json'));
    expect(files.shards).toHaveLength(1);
    expect(decodeTfjsWeights(files.modelJson.weightsManifest, files.shards).get('ints')!.toNumbers()).toEqual(
      [-3, 0, 7, 2147483647],
    );

    await writeFile(join(dir, 'bad.json'), '{"modelTopology": {');
    await expect(readTfjsModelFiles(join(dir, 'bad.json'))).rejects.toThrow(/not valid JSON/);
    await writeFile(
      join(dir, 'missing.json'),
      JSON.stringify({ ...json, weightsManifest: [{ paths: ['nope.bin'], weights: [] }] }),
    );
    await expect(readTfjsModelFiles(join(dir, 'missing.json'))).rejects.toMatchObject({
      code: 'E_IMPORT',
      message: expect.stringMatching(/nope\.bin/),
    });
    expect(() => parseTfjsModelJson({ modelTopology: {} })).toThrow(/no 'weightsManifest' array/);
    expect(() => parseTfjsModelJson('[1]')).toThrow(/JSON object/);
  });
});
