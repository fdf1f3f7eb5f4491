/**
 * safetensors read (lazy, from a buffer, a file or a URL) and write. The header is parsed and
 * validated in full before any tensor is allocated (see `safetensors-header.ts`); tensors are
 * decoded on demand into fresh, aligned typed arrays. Nothing is fetched or read implicitly:
 * only the calls below touch a file or the network.
 * @module
 */
import { type DType, isStorageOnly } from '../dtype.js';
import { env } from '../env.js';
import { AbortError, InvalidArgumentError, SafetensorsError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { decodeLittleEndian, encodeLittleEndian } from './binary.js';
import {
  parseSafetensorsHeader,
  readHeaderLength,
  SAFETENSORS_DTYPE_ORDER,
  SAFETENSORS_DTYPES,
  type SafetensorsDType,
  type SafetensorsHeader,
  type SafetensorsTensorInfo,
} from './safetensors-header.js';

export {
  parseSafetensorsHeader,
  readHeaderLength,
  SAFETENSORS_DTYPES,
  SAFETENSORS_MAX_HEADER_BYTES,
  type SafetensorsDType,
  type SafetensorsHeader,
  type SafetensorsTensorInfo,
} from './safetensors-header.js';

/** What every safetensors reader exposes without touching tensor data. */
export interface SafetensorsIndex {
  /** `__metadata__` of the file (empty when absent). */
  readonly metadata: Readonly<Record<string, string>>;
  /** The validated header. */
  readonly header: SafetensorsHeader;
  /** Tensor names in data (offset) order. */
  keys(): string[];
  /** True when the file holds a tensor named `key`. */
  has(key: string): boolean;
  /** dtype, shape and byte length of a tensor; throws {@link SafetensorsError} for an unknown key. */
  info(key: string): SafetensorsTensorInfo;
}

/** A safetensors file held in memory; tensors decode synchronously on demand. */
export interface SafetensorsFile extends SafetensorsIndex {
  /** Decodes one tensor (a copy; the result does not alias the file buffer). */
  get(key: string): Tensor;
  /** Decodes tensors one by one, in data order. */
  entries(): IterableIterator<[string, Tensor]>;
  /** Decodes every tensor. */
  getAll(): Map<string, Tensor>;
}

/** A safetensors file read lazily from disk or HTTP; each tensor is read when asked for. */
export interface SafetensorsLazyFile extends SafetensorsIndex {
  /** Reads and decodes one tensor. */
  get(key: string, options?: { signal?: AbortSignal }): Promise<Tensor>;
  /** Reads tensors one by one, in data order. */
  entries(options?: { signal?: AbortSignal }): AsyncIterableIterator<[string, Tensor]>;
  /** Reads every tensor. */
  getAll(options?: { signal?: AbortSignal }): Promise<Map<string, Tensor>>;
}

abstract class IndexBase implements SafetensorsIndex {
  constructor(readonly header: SafetensorsHeader) {}

  get metadata(): Readonly<Record<string, string>> {
    return this.header.metadata;
  }

  keys(): string[] {
    return [...this.header.tensors.keys()];
  }

  has(key: string): boolean {
    return this.header.tensors.has(key);
  }

  info(key: string): SafetensorsTensorInfo {
    const i = this.header.tensors.get(key);
    if (!i) throw new SafetensorsError(`no tensor named '${key}' in the file`, { key });
    return i;
  }

  protected checkAllocation(key: string, info: SafetensorsTensorInfo): void {
    // Every supported dtype takes as many bytes in memory as in the file.
    if (info.byteLength > env.maxAllocationBytes) {
      throw new SafetensorsError(
        `tensor '${key}' is ${info.byteLength} bytes, over env.maxAllocationBytes (${env.maxAllocationBytes})`,
        { key },
      );
    }
  }

  protected decode(info: SafetensorsTensorInfo, bytes: Uint8Array): Tensor {
    const numel = info.shape.reduce((a, d) => a * d, 1);
    return new Tensor(info.dtype, decodeLittleEndian(info.dtype, bytes, numel), info.shape);
  }
}

class BufferFile extends IndexBase implements SafetensorsFile {
  constructor(
    header: SafetensorsHeader,
    private readonly bytes: Uint8Array,
  ) {
    super(header);
  }

  get(key: string): Tensor {
    const info = this.info(key);
    this.checkAllocation(key, info);
    const start = this.header.dataStart + info.dataOffsets[0];
    return this.decode(info, this.bytes.subarray(start, start + info.byteLength));
  }

  *entries(): IterableIterator<[string, Tensor]> {
    for (const key of this.header.tensors.keys()) yield [key, this.get(key)];
  }

  getAll(): Map<string, Tensor> {
    return new Map(this.entries());
  }
}

/** Reads `length` bytes at absolute file offset `offset`. */
type RangeReader = (offset: number, length: number, signal?: AbortSignal) => Promise<Uint8Array>;

class LazyFile extends IndexBase implements SafetensorsLazyFile {
  constructor(
    header: SafetensorsHeader,
    private readonly read: RangeReader,
  ) {
    super(header);
  }

  async get(key: string, options: { signal?: AbortSignal } = {}): Promise<Tensor> {
    const info = this.info(key);
    this.checkAllocation(key, info);
    if (options.signal?.aborted) throw new AbortError();
    if (info.byteLength === 0) return this.decode(info, new Uint8Array(0));
    const bytes = await this.read(
      this.header.dataStart + info.dataOffsets[0],
      info.byteLength,
      options.signal,
    );
    if (bytes.length !== info.byteLength) {
      throw new SafetensorsError(`tensor '${key}': read ${bytes.length} bytes, expected ${info.byteLength}`, {
        key,
      });
    }
    return this.decode(info, bytes);
  }

  async *entries(options: { signal?: AbortSignal } = {}): AsyncIterableIterator<[string, Tensor]> {
    for (const key of this.header.tensors.keys()) yield [key, await this.get(key, options)];
  }

  async getAll(options: { signal?: AbortSignal } = {}): Promise<Map<string, Tensor>> {
    const out = new Map<string, Tensor>();
    for await (const [k, t] of this.entries(options)) out.set(k, t);
    return out;
  }
}

function asBytes(source: Uint8Array | ArrayBuffer): Uint8Array {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  throw new InvalidArgumentError('readSafetensors expects a Uint8Array or an ArrayBuffer');
}

/**
 * Opens a safetensors file held in memory. The header is validated at once; tensors are
 * decoded when asked for. Throws {@link SafetensorsError} for a malformed or hostile file.
 */
export function readSafetensors(source: Uint8Array | ArrayBuffer): SafetensorsFile {
  const bytes = asBytes(source);
  const n = readHeaderLength(bytes, bytes.length);
  const header = parseSafetensorsHeader(bytes.subarray(8, 8 + n), bytes.length);
  return new BufferFile(header, bytes);
}

// ---- files (Node) ------------------------------------------------------------------------------

interface FileHandleLike {
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  stat(): Promise<{ size: number }>;
  close(): Promise<void>;
}

async function readExactly(
  fh: FileHandleLike,
  length: number,
  position: number,
  what: string,
): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(out, done, length - done, position + done);
    if (bytesRead === 0) {
      throw new SafetensorsError(
        `${what}: the file ended after ${done} of ${length} bytes (was it truncated?)`,
      );
    }
    done += bytesRead;
  }
  return out;
}

function fileError(path: string, err: unknown): never {
  if (err instanceof SafetensorsError) throw err;
  const e = new SafetensorsError(`cannot read '${path}': ${(err as Error).message}`, { path });
  throw Object.assign(e, { cause: err });
}

/**
 * Opens a safetensors file on disk (Node only). Reads the 8-byte length and the header first
 * and validates them against the file size; each tensor is read from disk when asked for.
 * `node:fs` is imported dynamically, so this module stays importable in browsers.
 */
export async function readSafetensorsFile(path: string): Promise<SafetensorsLazyFile> {
  const fs = await import('node:fs/promises');
  let header: SafetensorsHeader;
  try {
    const fh = await fs.open(path, 'r');
    try {
      const { size } = await fh.stat();
      const prefix = size >= 8 ? await readExactly(fh, 8, 0, 'header length') : new Uint8Array(0);
      const n = readHeaderLength(prefix, size);
      header = parseSafetensorsHeader(await readExactly(fh, n, 8, 'header'), size);
    } finally {
      await fh.close();
    }
  } catch (err) {
    fileError(path, err);
  }
  const read: RangeReader = async (offset, length, signal) => {
    if (signal?.aborted) throw new AbortError();
    try {
      const fh = await fs.open(path, 'r');
      try {
        return await readExactly(fh, length, offset, `'${path}' at byte ${offset}`);
      } finally {
        await fh.close();
      }
    } catch (err) {
      fileError(path, err);
    }
  };
  return new LazyFile(header, read);
}

// ---- URLs ------------------------------------------------------------------------------------

/** Options of {@link readSafetensorsUrl}. */
export interface SafetensorsUrlOptions {
  /** `fetch` to use (default `globalThis.fetch`). */
  fetch?: typeof globalThis.fetch;
  /** Cancels the header request (tensor reads take their own signal). */
  signal?: AbortSignal;
  /** Extra request headers (for example authorization). */
  headers?: Record<string, string>;
}

/** Bytes asked for by the first range request: the length prefix and, usually, the whole header. */
const PROBE_BYTES = 64 * 1024;

/** Reads a response body, failing as soon as it exceeds `max` bytes (a server can lie about sizes). */
async function readBody(res: Response, max: number, what: string): Promise<Uint8Array> {
  const declared = res.headers.get('content-length');
  if (declared !== null && Number(declared) > max) {
    await res.body?.cancel();
    throw new SafetensorsError(`${what}: the response is ${declared} bytes, more than the ${max} allowed`);
  }
  if (!res.body) {
    const all = new Uint8Array(await res.arrayBuffer());
    if (all.length > max)
      throw new SafetensorsError(`${what}: the response is more than the ${max} bytes allowed`);
    return all;
  }
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > max) {
      await reader.cancel();
      throw new SafetensorsError(`${what}: the response is more than the ${max} bytes allowed`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/**
 * Total size from a `Content-Range: bytes start-end/total` header whose start is `start`, or
 * undefined when the header is missing, malformed, starts elsewhere or has an unknown total.
 */
function rangeTotal(res: Response, start: number): number | undefined {
  const m = /^bytes\s+(\d+)-\d+\/(\d+)$/i.exec(res.headers.get('content-range') ?? '');
  if (!m || Number(m[1]) !== start) return undefined;
  const n = Number(m[2]);
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * Opens a safetensors file over HTTP. When the server honours range requests the header is
 * read with one (rarely two) small range requests and each tensor with its own; otherwise
 * the file is downloaded once (refused up front when its declared size exceeds
 * `env.maxAllocationBytes`) and checked against its `Content-Length`. Nothing is fetched until
 * this is called.
 */
export async function readSafetensorsUrl(
  url: string | URL,
  options: SafetensorsUrlOptions = {},
): Promise<SafetensorsLazyFile> {
  const doFetch = options.fetch ?? globalThis.fetch;
  if (typeof doFetch !== 'function') throw new InvalidArgumentError('no fetch implementation is available');
  const href = String(url);
  const get = async (range: string | undefined, signal?: AbortSignal): Promise<Response> => {
    try {
      return await doFetch(href, {
        headers: { ...options.headers, ...(range ? { Range: range } : {}) },
        signal,
      });
    } catch (err) {
      if (signal?.aborted) throw new AbortError();
      const e = new SafetensorsError(`cannot fetch ${href}: ${(err as Error).message}`, { url: href });
      throw Object.assign(e, { cause: err });
    }
  };

  const first = await get(`bytes=0-${PROBE_BYTES - 1}`, options.signal);
  const total = first.status === 206 ? rangeTotal(first, 0) : undefined;
  if (first.status === 206 && total !== undefined) {
    let head = await readBody(first, PROBE_BYTES, href);
    const n = readHeaderLength(head, total);
    if (head.length < 8 + n) {
      const rest = await get(`bytes=${head.length}-${8 + n - 1}`, options.signal);
      if (rest.status !== 206 || rangeTotal(rest, head.length) !== total)
        throw new SafetensorsError(`${href}: range request for the header got HTTP ${rest.status}`);
      const more = await readBody(rest, 8 + n - head.length, href);
      const joined = new Uint8Array(head.length + more.length);
      joined.set(head);
      joined.set(more, head.length);
      head = joined;
    }
    if (head.length < 8 + n)
      throw new SafetensorsError(`${href}: the header ended early (${head.length} of ${8 + n} bytes)`);
    const header = parseSafetensorsHeader(head.subarray(8, 8 + n), total);
    const read: RangeReader = async (offset, length, signal) => {
      const res = await get(`bytes=${offset}-${offset + length - 1}`, signal);
      if (res.status !== 206 || rangeTotal(res, offset) !== header.fileSize) {
        await res.body?.cancel();
        throw new SafetensorsError(
          `${href}: range request for bytes ${offset}+${length} got HTTP ${res.status}`,
        );
      }
      return readBody(res, length, href);
    };
    return new LazyFile(header, read);
  }

  // No usable range support: take the whole file, from this response or a plain GET.
  let res = first;
  if (first.status !== 200) {
    await first.body?.cancel();
    if (first.status === 416)
      throw new SafetensorsError(`${href} is empty; a safetensors file needs at least 8 bytes`);
    if (first.status !== 206)
      throw new SafetensorsError(`${href}: HTTP ${first.status}`, { status: first.status });
    res = await get(undefined, options.signal);
    if (res.status !== 200) throw new SafetensorsError(`${href}: HTTP ${res.status}`, { status: res.status });
  }
  const body = await readBody(res, env.maxAllocationBytes, href);
  const declared = res.headers.get('content-length');
  if (declared !== null && Number(declared) !== body.length && !res.headers.get('content-encoding')) {
    throw new SafetensorsError(`${href}: received ${body.length} bytes, Content-Length says ${declared}`);
  }
  const file = readSafetensors(body);
  const read: RangeReader = async (offset, length, signal) => {
    if (signal?.aborted) throw new AbortError();
    return body.subarray(offset, offset + length);
  };
  return new LazyFile(file.header, read);
}

// ---- writing ---------------------------------------------------------------------------------

const FORMAT_OF: Partial<Record<DType, SafetensorsDType>> = Object.fromEntries(
  Object.entries(SAFETENSORS_DTYPES).map(([f, d]) => [d, f as SafetensorsDType]),
);

const utf8 = new TextEncoder();

function compareUtf8(a: string, b: string): number {
  // Byte order of the UTF-8 encodings, as the reference implementation sorts names.
  const x = utf8.encode(a);
  const y = utf8.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

/**
 * Serialises tensors (and optional string metadata) as safetensors bytes. Like the reference
 * implementation, tensors are laid out by dtype alignment (widest first), then by name, so
 * each one starts aligned to its element size; the header is compact JSON padded with spaces
 * to a multiple of 8 bytes; `__metadata__` (keys sorted) comes first when given.
 */
export function writeSafetensors(
  tensors: Readonly<Record<string, Tensor>> | ReadonlyMap<string, Tensor>,
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  const list: [string, Tensor, SafetensorsDType][] = [];
  const source: [string, Tensor][] =
    tensors instanceof Map
      ? [...(tensors as ReadonlyMap<string, Tensor>)]
      : Object.entries(tensors as Record<string, Tensor>);
  for (const [key, t] of source) {
    if (key === '__metadata__') throw new SafetensorsError(`'__metadata__' cannot be a tensor name`);
    if (!(t instanceof Tensor)) throw new SafetensorsError(`'${key}' is not a host Tensor`, { key });
    const format = FORMAT_OF[t.dtype];
    if (!format) {
      throw new SafetensorsError(
        `tensor '${key}' has dtype ${t.dtype}, which ${isStorageOnly(t.dtype) ? 'has no safetensors equivalent' : 'safetensors cannot store'}`,
        { key, dtype: t.dtype },
      );
    }
    list.push([key, t, format]);
  }
  const rank = (f: string) => SAFETENSORS_DTYPE_ORDER.indexOf(f);
  list.sort(([ka, , fa], [kb, , fb]) => rank(fb) - rank(fa) || compareUtf8(ka, kb));

  const parts: string[] = [];
  if (metadata !== undefined) {
    const keys = Object.keys(metadata).sort(compareUtf8);
    for (const k of keys) {
      if (typeof metadata[k] !== 'string') {
        throw new SafetensorsError(`metadata '${k}' must be a string, got ${typeof metadata[k]}`, { key: k });
      }
    }
    parts.push(
      `"__metadata__":{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(metadata[k])}`).join(',')}}`,
    );
  }
  const datas: Uint8Array[] = [];
  let offset = 0;
  for (const [key, t, format] of list) {
    const data = encodeLittleEndian(t.dtype, t.data);
    parts.push(
      `${JSON.stringify(key)}:{"dtype":"${format}","shape":[${t.dims.join(',')}],"data_offsets":[${offset},${offset + data.length}]}`,
    );
    offset += data.length;
    datas.push(data);
  }
  let header = utf8.encode(`{${parts.join(',')}}`);
  const padded = Math.ceil(header.length / 8) * 8;
  if (padded !== header.length) {
    const h = new Uint8Array(padded).fill(0x20);
    h.set(header);
    header = h;
  }
  const total = 8 + header.length + offset;
  if (total > env.maxAllocationBytes) {
    throw new SafetensorsError(
      `the file would be ${total} bytes, over env.maxAllocationBytes (${env.maxAllocationBytes})`,
    );
  }
  const out = new Uint8Array(total);
  new DataView(out.buffer).setBigUint64(0, BigInt(header.length), true);
  out.set(header, 8);
  let o = 8 + header.length;
  for (const d of datas) {
    out.set(d, o);
    o += d.length;
  }
  return out;
}
