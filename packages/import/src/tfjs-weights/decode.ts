/**
 * Decoding TF.js weight shards into named Ocular host tensors, exactly as tfjs-core's
 * `tf.io.decodeWeights` does (float16 and uint8/uint16 affine quantisation dequantised to
 * float32), with typed errors that name the weight at fault.
 * @module
 */
import { float16BitsToNumber, Tensor } from '@ocular/core';
import { ImportError } from '../errors.js';
import type { TfjsWeightSpec, TfjsWeightsManifest } from './types.js';

/** Weight bytes: one buffer (the shards concatenated in manifest order) or one buffer per shard. */
export type TfjsWeightData = ArrayBuffer | ArrayBufferView | readonly (ArrayBuffer | ArrayBufferView)[];

/** Bytes per stored element of each storage type the format knows. */
const STORAGE_BYTES: Readonly<Record<string, number>> = {
  float32: 4,
  int32: 4,
  bool: 1,
  complex64: 8,
  float16: 2,
  uint8: 1,
  uint16: 2,
};

/** Views any buffer or typed array as bytes (no copy). */
function asBytes(b: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (b instanceof Uint8Array) return b;
  if (ArrayBuffer.isView(b)) return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  return new Uint8Array(b);
}

/** Concatenates byte arrays. */
function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let n = 0;
  for (const p of parts) n += p.byteLength;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out;
}

/** Validates a spec's name and shape and returns its element count. */
function checkSpec(spec: TfjsWeightSpec, index: number): number {
  if (spec === null || typeof spec !== 'object' || typeof spec.name !== 'string') {
    throw new ImportError(`weight spec #${index} has no name`, { details: { index } });
  }
  if (!Array.isArray(spec.shape)) {
    throw new ImportError(`weight '${spec.name}' has no shape array`, { details: { weight: spec.name } });
  }
  let n = 1;
  for (const d of spec.shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ImportError(`weight '${spec.name}' has invalid shape [${spec.shape.join(', ')}]`, {
        details: { weight: spec.name, shape: spec.shape },
      });
    }
    n *= d;
  }
  return n;
}

/**
 * Byte length of one weight in the shards. Throws {@link ImportError} for dtypes or quantisations
 * the format does not define and for `string` weights, which Ocular tensors cannot hold.
 */
export function tfjsWeightByteLength(spec: TfjsWeightSpec, index = 0): number {
  const size = checkSpec(spec, index);
  const q = spec.quantization;
  if (q !== undefined) {
    if (q.dtype === 'uint8' || q.dtype === 'uint16') {
      if (typeof q.scale !== 'number' || typeof q.min !== 'number') {
        throw new ImportError(
          `weight '${spec.name}' is quantised to ${q.dtype} without numeric scale and min`,
          {
            details: { weight: spec.name, quantization: q },
          },
        );
      }
      if (spec.dtype !== 'float32' && spec.dtype !== 'int32') {
        throw new ImportError(
          `weight '${spec.name}': ${q.dtype} quantisation of dtype ${spec.dtype} is not defined`,
          {
            details: { weight: spec.name, dtype: spec.dtype, quantization: q.dtype },
          },
        );
      }
    } else if (q.dtype === 'float16') {
      if (spec.dtype !== 'float32') {
        throw new ImportError(
          `weight '${spec.name}': float16 quantisation needs dtype float32, got ${spec.dtype}`,
          {
            details: { weight: spec.name, dtype: spec.dtype, quantization: q.dtype },
          },
        );
      }
    } else {
      throw new ImportError(
        `weight '${spec.name}' has unknown quantisation dtype '${String(q.dtype)}' (expected uint8, uint16 or float16)`,
        { details: { weight: spec.name, quantization: q.dtype } },
      );
    }
    return size * STORAGE_BYTES[q.dtype]!;
  }
  if (spec.dtype === 'string' || spec.dtype === 'complex64') {
    throw new ImportError(`weight '${spec.name}' has dtype ${spec.dtype}, which Ocular tensors cannot hold`, {
      details: { weight: spec.name, dtype: spec.dtype },
    });
  }
  const bytes = STORAGE_BYTES[spec.dtype];
  if (bytes === undefined || (spec.dtype !== 'float32' && spec.dtype !== 'int32' && spec.dtype !== 'bool')) {
    throw new ImportError(`weight '${spec.name}' has unknown dtype '${String(spec.dtype)}'`, {
      details: { weight: spec.name, dtype: spec.dtype },
    });
  }
  return size * bytes;
}

/** Lazily built table of the 65536 half-float values as float32. */
let halfTable: Float32Array | undefined;
function float16Table(): Float32Array {
  if (halfTable === undefined) {
    halfTable = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) halfTable[h] = float16BitsToNumber(h);
  }
  return halfTable;
}

/** Decodes one weight from exactly its bytes. */
function decodeOne(spec: TfjsWeightSpec, bytes: Uint8Array): Tensor {
  // Copy so the typed views are aligned and the tensor owns its data.
  const buf = bytes.slice().buffer;
  const q = spec.quantization;
  if (q !== undefined) {
    const stored = q.dtype === 'uint8' ? new Uint8Array(buf) : new Uint16Array(buf);
    if (q.dtype === 'float16') {
      const table = float16Table();
      const out = new Float32Array(stored.length);
      for (let i = 0; i < stored.length; i++) out[i] = table[stored[i]!]!;
      return new Tensor('float32', out, spec.shape);
    }
    const scale = q.scale!;
    const min = q.min!;
    if (spec.dtype === 'int32') {
      const out = new Int32Array(stored.length);
      for (let i = 0; i < stored.length; i++) out[i] = Math.round(stored[i]! * scale + min);
      return new Tensor('int32', out, spec.shape);
    }
    // Computed in double precision, then rounded once to float32 on store — as TF.js does.
    const out = new Float32Array(stored.length);
    for (let i = 0; i < stored.length; i++) out[i] = stored[i]! * scale + min;
    return new Tensor('float32', out, spec.shape);
  }
  if (spec.dtype === 'float32') return new Tensor('float32', new Float32Array(buf), spec.shape);
  if (spec.dtype === 'int32') return new Tensor('int32', new Int32Array(buf), spec.shape);
  // bool: one byte per element; any non-zero byte is true.
  const raw = new Uint8Array(buf);
  for (let i = 0; i < raw.length; i++) raw[i] = raw[i] ? 1 : 0;
  return new Tensor('bool', raw, spec.shape);
}

/**
 * Decodes a flat list of weight specs from their concatenated bytes (the `weightSpecs` +
 * `weightData` form of a TF.js model artifact).
 *
 * @param specs weight specs in byte order
 * @param data the bytes, one buffer or several to concatenate
 * @returns tensors by weight name, in spec order (float16/uint8/uint16 quantised weights come back
 *   dequantised to float32, quantised int32 weights rounded as TF.js does)
 * @throws ImportError when the byte count differs from what the specs need, a name repeats, or a
 *   dtype/quantisation is unknown or unsupported (`string`, `complex64`); the message names the weight
 */
export function decodeTfjsWeightSpecs(
  specs: readonly TfjsWeightSpec[],
  data: TfjsWeightData,
): Map<string, Tensor> {
  if (!Array.isArray(specs)) throw new ImportError('weight specs must be an array');
  const bytes = Array.isArray(data)
    ? concatBytes((data as readonly (ArrayBuffer | ArrayBufferView)[]).map(asBytes))
    : asBytes(data as ArrayBuffer | ArrayBufferView);
  const lengths = specs.map((s, i) => tfjsWeightByteLength(s, i));
  const need = lengths.reduce((a, b) => a + b, 0);
  if (need !== bytes.byteLength) {
    // Name the first weight that does not fit, which is what a truncated shard loses.
    let off = 0;
    let first: string | undefined;
    for (let i = 0; i < specs.length; i++) {
      off += lengths[i]!;
      if (off > bytes.byteLength) {
        first = specs[i]!.name;
        break;
      }
    }
    const what = first !== undefined ? `; weight '${first}' runs past the end` : '';
    throw new ImportError(`weight data has ${bytes.byteLength} bytes, the specs need ${need}${what}`, {
      details: { bytes: bytes.byteLength, expected: need, ...(first !== undefined ? { weight: first } : {}) },
    });
  }
  const out = new Map<string, Tensor>();
  let off = 0;
  specs.forEach((spec, i) => {
    if (out.has(spec.name)) {
      throw new ImportError(`weight '${spec.name}' appears twice in the manifest`, {
        details: { weight: spec.name },
      });
    }
    const len = lengths[i]!;
    out.set(spec.name, decodeOne(spec, bytes.subarray(off, off + len)));
    off += len;
  });
  return out;
}

/** Checks the manifest's structure and returns its groups. */
function checkManifest(manifest: TfjsWeightsManifest): TfjsWeightsManifest {
  if (!Array.isArray(manifest)) throw new ImportError('weightsManifest must be an array of groups');
  manifest.forEach((g, i) => {
    if (g === null || typeof g !== 'object' || !Array.isArray(g.paths) || !Array.isArray(g.weights)) {
      throw new ImportError(`weightsManifest group #${i} needs 'paths' and 'weights' arrays`, {
        details: { group: i },
      });
    }
  });
  return manifest;
}

/**
 * Decodes every weight of a TF.js weights manifest.
 *
 * @param manifest `model.json`'s `weightsManifest`
 * @param data either one buffer holding all shards concatenated in manifest order (groups in
 *   order, each group's `paths` in order), or an array with exactly one buffer per shard path in
 *   that order — then each group's shards are checked against that group's specs
 * @returns tensors by weight name, in manifest order
 * @throws ImportError for a malformed manifest, a wrong shard count, shard bytes that do not add
 *   up to what a group's specs need, or an unknown/unsupported dtype; the message names the group
 *   or weight
 */
export function decodeTfjsWeights(manifest: TfjsWeightsManifest, data: TfjsWeightData): Map<string, Tensor> {
  const groups = checkManifest(manifest);
  if (!Array.isArray(data)) {
    return decodeTfjsWeightSpecs(
      groups.flatMap((g) => g.weights),
      data as ArrayBuffer | ArrayBufferView,
    );
  }
  const shards = (data as readonly (ArrayBuffer | ArrayBufferView)[]).map(asBytes);
  const paths = groups.reduce((n, g) => n + g.paths.length, 0);
  if (shards.length !== paths) {
    throw new ImportError(`the manifest names ${paths} shard files, ${shards.length} were given`, {
      details: { expected: paths, got: shards.length },
    });
  }
  const out = new Map<string, Tensor>();
  let s = 0;
  groups.forEach((g, gi) => {
    const own = shards.slice(s, s + g.paths.length);
    s += g.paths.length;
    let decoded: Map<string, Tensor>;
    try {
      decoded = decodeTfjsWeightSpecs(g.weights, own);
    } catch (e) {
      if (e instanceof ImportError && e.details?.bytes !== undefined) {
        throw new ImportError(`weights group #${gi} (${g.paths.join(', ')}): ${e.message}`, {
          cause: e,
          details: { ...e.details, group: gi, paths: g.paths },
        });
      }
      throw e;
    }
    for (const [k, v] of decoded) {
      if (out.has(k))
        throw new ImportError(`weight '${k}' appears twice in the manifest`, { details: { weight: k } });
      out.set(k, v);
    }
  });
  return out;
}
