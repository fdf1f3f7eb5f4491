/**
 * The safetensors header: dtype names, parsing and validation. Validation matches the
 * reference implementation (huggingface/safetensors): header length at most 100 MB and inside
 * the file, UTF-8 JSON object, known dtypes, `data_offsets` that tile the data section exactly
 * (sorted by offset they start at 0, each begins where the previous ends, the last ends at the
 * end of the file), and `end - begin == numel * itemsize`. It all happens before any tensor is
 * allocated; each failure is a {@link SafetensorsError} naming the key, offsets and sizes.
 * @module
 */
import type { DType } from '../dtype.js';
import { SafetensorsError } from '../errors.js';

/** dtype names a safetensors file may use that Ocular reads and writes. */
export type SafetensorsDType =
  | 'F64'
  | 'F32'
  | 'F16'
  | 'BF16'
  | 'I64'
  | 'I32'
  | 'I16'
  | 'I8'
  | 'U64'
  | 'U32'
  | 'U16'
  | 'U8'
  | 'BOOL'
  | 'F8_E4M3'
  | 'F8_E5M2'
  | 'F8_E8M0';

/** File dtype name → Ocular dtype. */
export const SAFETENSORS_DTYPES: Readonly<Record<SafetensorsDType, DType>> = {
  F64: 'float64',
  F32: 'float32',
  F16: 'float16',
  BF16: 'bfloat16',
  I64: 'int64',
  I32: 'int32',
  I16: 'int16',
  I8: 'int8',
  U64: 'uint64',
  U32: 'uint32',
  U16: 'uint16',
  U8: 'uint8',
  BOOL: 'bool',
  F8_E4M3: 'float8e4m3fn',
  F8_E5M2: 'float8e5m2',
  F8_E8M0: 'float8e8m0',
};

/** Bits per element of each dtype name the format defines (including ones Ocular cannot hold). */
const FORMAT_BITS: Readonly<Record<string, number>> = {
  BOOL: 8,
  F4: 4,
  F6_E2M3: 6,
  F6_E3M2: 6,
  U8: 8,
  I8: 8,
  F8_E5M2: 8,
  F8_E4M3: 8,
  F8_E8M0: 8,
  I16: 16,
  U16: 16,
  F16: 16,
  BF16: 16,
  I32: 32,
  U32: 32,
  F32: 32,
  C64: 64,
  F64: 64,
  I64: 64,
  U64: 64,
};

/**
 * The format's dtype order (increasing alignment). Writers sort tensors by this, descending,
 * then by name, as the reference implementation does, so every tensor starts aligned to its
 * element size.
 */
export const SAFETENSORS_DTYPE_ORDER: readonly string[] = Object.keys(FORMAT_BITS);

/** Largest header the reference implementation accepts (100 MB). */
export const SAFETENSORS_MAX_HEADER_BYTES = 100_000_000;

/** One tensor's entry in a validated header. */
export interface SafetensorsTensorInfo {
  /** Ocular dtype of the tensor. */
  readonly dtype: DType;
  /** dtype name in the file (`F32`, `BF16`, ...). */
  readonly format: SafetensorsDType;
  readonly shape: readonly number[];
  /** Bytes of data (`numel × itemsize`). */
  readonly byteLength: number;
  /** `[begin, end)` relative to the start of the data section. */
  readonly dataOffsets: readonly [number, number];
}

/** A parsed and validated header. */
export interface SafetensorsHeader {
  /** Length of the JSON header in bytes (the file's first 8 bytes). */
  readonly headerLength: number;
  /** Absolute file offset of the data section (`8 + headerLength`). */
  readonly dataStart: number;
  /** Size of the whole file in bytes. */
  readonly fileSize: number;
  /** `__metadata__` (empty when absent). */
  readonly metadata: Readonly<Record<string, string>>;
  /** Tensors in data order (by offset). */
  readonly tensors: ReadonlyMap<string, SafetensorsTensorInfo>;
}

/**
 * Reads and checks the 8-byte little-endian header length against the file size. Throws
 * {@link SafetensorsError} for a file shorter than 8 bytes, a length over 100 MB, or a length
 * running past the end of the file.
 */
export function readHeaderLength(prefix: Uint8Array, fileSize: number): number {
  if (fileSize < 8 || prefix.length < 8) {
    throw new SafetensorsError(
      `file is ${fileSize} bytes; a safetensors file starts with an 8-byte header length`,
      { fileSize },
    );
  }
  const n = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(SAFETENSORS_MAX_HEADER_BYTES)) {
    throw new SafetensorsError(`header length ${n} exceeds the ${SAFETENSORS_MAX_HEADER_BYTES}-byte limit`, {
      headerLength: n.toString(),
    });
  }
  const len = Number(n);
  if (len > fileSize - 8) {
    throw new SafetensorsError(`header length ${len} runs past the end of the file (${fileSize} bytes)`, {
      headerLength: len,
      fileSize,
    });
  }
  return len;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/**
 * Parses and validates the JSON header (`headerBytes` are the `headerLength` bytes after the
 * length prefix) of a file of `fileSize` bytes.
 */
export function parseSafetensorsHeader(headerBytes: Uint8Array, fileSize: number): SafetensorsHeader {
  const headerLength = headerBytes.length;
  const dataStart = 8 + headerLength;
  const dataSize = fileSize - dataStart;
  if (dataSize < 0) {
    throw new SafetensorsError(
      `header length ${headerLength} runs past the end of the file (${fileSize} bytes)`,
    );
  }
  let text: string;
  try {
    text = utf8.decode(headerBytes);
  } catch {
    throw new SafetensorsError('header is not valid UTF-8');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new SafetensorsError(`header is not valid JSON: ${(err as Error).message}`);
  }
  if (!isPlainObject(json)) {
    throw new SafetensorsError(
      `header must be a JSON object, got ${Array.isArray(json) ? 'an array' : show(json)}`,
    );
  }

  let metadata: Record<string, string> = {};
  const entries: [string, SafetensorsTensorInfo][] = [];
  for (const [key, raw] of Object.entries(json)) {
    if (key === '__metadata__') {
      if (!isPlainObject(raw))
        throw new SafetensorsError(`__metadata__ must be an object of strings, got ${show(raw)}`);
      for (const [k, v] of Object.entries(raw)) {
        if (typeof v !== 'string') {
          throw new SafetensorsError(`__metadata__ must map strings to strings; '${k}' holds ${show(v)}`, {
            key: k,
          });
        }
      }
      metadata = { ...(raw as Record<string, string>) };
      continue;
    }
    entries.push([key, checkEntry(key, raw, dataSize)]);
  }

  // The entries must tile the data section: sorted by offsets, each starts where the previous
  // one ends, from 0 to the end of the file.
  entries.sort(([, a], [, b]) => a.dataOffsets[0] - b.dataOffsets[0] || a.dataOffsets[1] - b.dataOffsets[1]);
  let pos = 0;
  let prev: [string, SafetensorsTensorInfo] | undefined;
  for (const entry of entries) {
    const [key, info] = entry;
    const [begin, end] = info.dataOffsets;
    if (begin < pos) {
      const [pk, pi] = prev!;
      throw new SafetensorsError(
        `tensors '${pk}' [${pi.dataOffsets.join(', ')}] and '${key}' [${begin}, ${end}] overlap`,
        { key, other: pk },
      );
    }
    if (begin > pos) {
      throw new SafetensorsError(
        `bytes [${pos}, ${begin}) of the data section belong to no tensor (the next one is '${key}'); ` +
          'offsets must be contiguous',
        { key, gapStart: pos, gapEnd: begin },
      );
    }
    pos = end;
    prev = entry;
  }
  if (pos !== dataSize) {
    throw new SafetensorsError(
      `the data section is ${dataSize} bytes but the tensors cover ${pos}; the file has trailing bytes`,
      { dataSize, covered: pos },
    );
  }
  return { headerLength, dataStart, fileSize, metadata, tensors: new Map(entries) };
}

function checkEntry(key: string, raw: unknown, dataSize: number): SafetensorsTensorInfo {
  const where = `tensor '${key}'`;
  if (!isPlainObject(raw))
    throw new SafetensorsError(`${where}: entry must be an object, got ${show(raw)}`, { key });
  const format = raw.dtype;
  if (typeof format !== 'string' || !(format in FORMAT_BITS)) {
    throw new SafetensorsError(`${where}: unknown dtype ${show(format)}`, { key });
  }
  if (!Object.hasOwn(SAFETENSORS_DTYPES, format)) {
    throw new SafetensorsError(`${where}: dtype ${format} is not supported`, { key, dtype: format });
  }
  const shape = raw.shape;
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    throw new SafetensorsError(
      `${where}: shape must be an array of non-negative integers, got ${show(shape)}`,
      {
        key,
      },
    );
  }
  const offsets = raw.data_offsets;
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount) || offsets[0] > offsets[1]) {
    throw new SafetensorsError(
      `${where}: data_offsets must be [begin, end] with 0 <= begin <= end, got ${show(offsets)}`,
      { key },
    );
  }
  const [begin, end] = offsets as [number, number];
  let numel = 1;
  for (const d of shape as number[]) numel *= d;
  if ((shape as number[]).includes(0)) numel = 0;
  const bits = FORMAT_BITS[format]!;
  const byteLength = (numel * bits) / 8;
  if (!Number.isSafeInteger(byteLength)) {
    throw new SafetensorsError(`${where}: shape [${shape.join(', ')}] of ${format} is too large`, { key });
  }
  if (end - begin !== byteLength) {
    throw new SafetensorsError(
      `${where}: ${format}[${shape.join(', ')}] needs ${byteLength} bytes but data_offsets [${begin}, ${end}] span ${end - begin}`,
      { key, expected: byteLength, actual: end - begin },
    );
  }
  if (end > dataSize) {
    throw new SafetensorsError(
      `${where}: data_offsets [${begin}, ${end}] run past the end of the data section (${dataSize} bytes)`,
      { key, dataSize },
    );
  }
  return {
    dtype: SAFETENSORS_DTYPES[format as SafetensorsDType],
    format: format as SafetensorsDType,
    shape: Object.freeze([...(shape as number[])]),
    byteLength,
    dataOffsets: Object.freeze([begin, end]) as readonly [number, number],
  };
}
