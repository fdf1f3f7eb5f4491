/**
 * Loading checkpoints into modules: matching keys, checking shapes and dtypes, converting float
 * precision, and reporting every missing, unexpected and mismatched key.
 * @module
 */
import { type DType, isBigInt, isFloat, isInteger } from '../dtype.js';
import { InvalidArgumentError, StateDictError } from '../errors.js';
import { readNumbers, type Tensor, writeNumbers } from '../tensor.js';

/**
 * Anything that lists tensor names and returns tensors by name: a `Map`, a lazily read
 * safetensors file, a checkpoint filter's output. `get` may be asynchronous (then use
 * `loadStateDictAsync`).
 */
export interface TensorSource {
  keys(): Iterable<string>;
  get(key: string): Tensor | Promise<Tensor> | undefined;
  /**
   * Optional: dtype and shape of an entry without reading its data, so a lazy source can be
   * validated before any tensor is materialised (safetensors files provide it).
   */
  info?(key: string): { readonly dtype: DType; readonly shape: readonly number[] } | undefined;
}

/** What `loadStateDict` accepts. */
export type StateDictSource = Readonly<Record<string, Tensor>> | ReadonlyMap<string, Tensor> | TensorSource;

/** Options of `loadStateDict`. */
export interface LoadStateDictOptions {
  /**
   * Throw a `StateDictError` (changing nothing) when any key is missing, unexpected or
   * mismatched (default true). When false, matching entries load, shape mismatches are skipped,
   * and everything is reported.
   */
  readonly strict?: boolean;
}

/** dtype and shape of one side of a mismatch. */
export interface TensorSignature {
  readonly dtype: DType;
  readonly shape: readonly number[];
}

/** A key present on both sides whose tensor cannot be loaded. */
export interface MismatchedKey {
  readonly key: string;
  readonly expected: TensorSignature;
  readonly got: TensorSignature;
  /** `shape`: dims differ (never loaded); `dtype`: no lossless-enough conversion (float ↔ int). */
  readonly reason: 'shape' | 'dtype';
}

/** A key loaded with a dtype conversion (for example float16 checkpoint → float32 module). */
export interface ConvertedKey {
  readonly key: string;
  readonly from: DType;
  readonly to: DType;
}

/** What `loadStateDict` did. */
export interface LoadReport {
  /** Keys copied into the module. */
  readonly loaded: string[];
  /** Module keys the checkpoint lacks. */
  readonly missing: string[];
  /** Checkpoint keys the module does not have. */
  readonly unexpected: string[];
  readonly mismatched: MismatchedKey[];
  readonly converted: ConvertedKey[];
  /** Optional module keys (e.g. `num_batches_tracked`) absent from the checkpoint, left as they were. */
  readonly defaulted: string[];
}

interface Plan {
  readonly report: LoadReport;
  /** Keys to copy, in module order. */
  readonly toLoad: string[];
}

function isTensorSource(s: StateDictSource): s is TensorSource {
  const o = s as Partial<TensorSource>;
  return typeof o.keys === 'function' && typeof o.get === 'function';
}

function sourceKeys(s: StateDictSource): string[] {
  if (isTensorSource(s)) return [...s.keys()];
  if (s === null || typeof s !== 'object') {
    throw new InvalidArgumentError(
      'loadStateDict: the source must be a Record, a Map or an object with keys()/get()',
    );
  }
  return Object.keys(s);
}

function isThenable(v: unknown): v is Promise<unknown> {
  return typeof (v as { then?: unknown } | null)?.then === 'function';
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** True when a `from` checkpoint entry may be converted into a `to` module tensor. */
function convertible(from: DType, to: DType): boolean {
  if (from === to) return true;
  if (isFloat(from) && isFloat(to)) return true;
  const intLike = (d: DType): boolean => isInteger(d) || d === 'bool';
  return intLike(from) && isInteger(to);
}

function plan(
  target: ReadonlyMap<string, Tensor>,
  optional: ReadonlySet<string>,
  keys: readonly string[],
  signature: (key: string) => TensorSignature | undefined,
): Plan {
  const have = new Set(keys);
  const report: LoadReport = {
    loaded: [],
    missing: [],
    unexpected: keys.filter((k) => !target.has(k)),
    mismatched: [],
    converted: [],
    defaulted: [],
  };
  const toLoad: string[] = [];
  for (const [key, t] of target) {
    if (!have.has(key)) {
      (optional.has(key) ? report.defaulted : report.missing).push(key);
      continue;
    }
    const got = signature(key);
    if (!got) {
      report.missing.push(key);
      continue;
    }
    const expected = { dtype: t.dtype, shape: [...t.dims] };
    if (!sameShape(got.shape, t.dims)) {
      report.mismatched.push({
        key,
        expected,
        got: { dtype: got.dtype, shape: [...got.shape] },
        reason: 'shape',
      });
    } else if (!convertible(got.dtype, t.dtype)) {
      report.mismatched.push({
        key,
        expected,
        got: { dtype: got.dtype, shape: [...got.shape] },
        reason: 'dtype',
      });
    } else {
      if (got.dtype !== t.dtype) report.converted.push({ key, from: got.dtype, to: t.dtype });
      toLoad.push(key);
    }
  }
  return { report, toLoad };
}

const MAX_LISTED = 12;
const MAX_MESSAGE = 2400;

function listed(items: readonly string[]): string {
  const head = items.slice(0, MAX_LISTED).join(', ');
  return items.length > MAX_LISTED ? `${head}, ... and ${items.length - MAX_LISTED} more` : head;
}

function fmt(s: TensorSignature): string {
  return `${s.dtype}[${s.shape.join(', ')}]`;
}

/** Throws the strict-mode error when the plan has any problem. */
function throwIfStrictFails(report: LoadReport): void {
  const { missing, unexpected, mismatched } = report;
  if (!missing.length && !unexpected.length && !mismatched.length) return;
  const parts = [
    `loadStateDict (strict): ${missing.length} missing, ${unexpected.length} unexpected, ${mismatched.length} mismatched key(s); nothing was loaded.`,
  ];
  if (missing.length) parts.push(`missing: ${listed(missing)}`);
  if (unexpected.length) parts.push(`unexpected: ${listed(unexpected)}`);
  if (mismatched.length) {
    parts.push(
      `mismatched: ${listed(mismatched.map((m) => `${m.key} (module ${fmt(m.expected)}, checkpoint ${fmt(m.got)})`))}`,
    );
  }
  let message = parts.join('\n');
  if (message.length > MAX_MESSAGE) message = `${message.slice(0, MAX_MESSAGE)}... (see error.details)`;
  throw new StateDictError(message, { missing, unexpected, mismatched });
}

/** Copies `src` into `dst` in place, converting dtype when they differ. */
function copyInto(dst: Tensor, src: Tensor): void {
  if (src.dtype === dst.dtype) {
    (dst.data as { set(a: ArrayLike<number | bigint>): void }).set(src.data as ArrayLike<number | bigint>);
  } else if (isBigInt(src.dtype) && isBigInt(dst.dtype)) {
    const d = dst.data as BigInt64Array | BigUint64Array;
    const s = src.data as BigInt64Array | BigUint64Array;
    for (let i = 0; i < d.length; i++)
      d[i] = dst.dtype === 'int64' ? BigInt.asIntN(64, s[i]!) : BigInt.asUintN(64, s[i]!);
  } else {
    writeNumbers(dst.dtype, dst.data as unknown as number[], readNumbers(src.dtype, src.data));
  }
}

function getSync(source: StateDictSource, key: string): Tensor | undefined {
  if (isTensorSource(source)) {
    const t = source.get(key);
    if (isThenable(t)) {
      throw new InvalidArgumentError(
        `loadStateDict: the source reads '${key}' asynchronously; use 'await module.loadStateDictAsync(...)'`,
      );
    }
    return t;
  }
  return (source as Readonly<Record<string, Tensor>>)[key];
}

function signatureOf(t: Tensor | undefined): TensorSignature | undefined {
  return t ? { dtype: t.dtype, shape: t.dims } : undefined;
}

/** @internal Synchronous load used by `Module.loadStateDict`. */
export function loadStateDictImpl(
  target: ReadonlyMap<string, Tensor>,
  optional: ReadonlySet<string>,
  source: StateDictSource,
  options: LoadStateDictOptions,
): LoadReport {
  const keys = sourceKeys(source);
  const cache = new Map<string, Tensor | undefined>();
  const read = (k: string): Tensor | undefined => {
    if (!cache.has(k)) cache.set(k, getSync(source, k));
    return cache.get(k);
  };
  const described = isTensorSource(source) && source.info ? source.info.bind(source) : undefined;
  const p = plan(target, optional, keys, (k) => described?.(k) ?? signatureOf(read(k)));
  if (options.strict ?? true) throwIfStrictFails(p.report);
  for (const key of p.toLoad) {
    const src = read(key)!;
    checkActual(key, target.get(key)!, src);
    copyInto(target.get(key)!, src);
    p.report.loaded.push(key);
  }
  return p.report;
}

/** @internal Asynchronous load used by `Module.loadStateDictAsync`. */
export async function loadStateDictAsyncImpl(
  target: ReadonlyMap<string, Tensor>,
  optional: ReadonlySet<string>,
  source: StateDictSource,
  options: LoadStateDictOptions,
): Promise<LoadReport> {
  const keys = sourceKeys(source);
  const src = isTensorSource(source) ? source : undefined;
  const read = async (k: string): Promise<Tensor | undefined> =>
    src ? await src.get(k) : (source as Readonly<Record<string, Tensor>>)[k];
  let p: Plan;
  const early = new Map<string, Tensor | undefined>();
  if (src?.info) {
    const info = src.info.bind(src);
    p = plan(target, optional, keys, (k) => info(k));
  } else {
    // Without info() every matching entry must be read before validation.
    for (const k of keys) if (target.has(k)) early.set(k, await read(k));
    p = plan(target, optional, keys, (k) => signatureOf(early.get(k)));
  }
  if (options.strict ?? true) throwIfStrictFails(p.report);
  for (const key of p.toLoad) {
    const t = early.get(key) ?? (await read(key));
    if (!t) throw new StateDictError(`loadStateDict: source returned nothing for '${key}'`, { key });
    checkActual(key, target.get(key)!, t);
    copyInto(target.get(key)!, t);
    early.delete(key);
    p.report.loaded.push(key);
  }
  return p.report;
}

/** A source whose info() disagreed with the tensor it returned is an error, never a silent load. */
function checkActual(key: string, dst: Tensor, src: Tensor): void {
  if (!sameShape(src.dims, dst.dims) || !convertible(src.dtype, dst.dtype)) {
    throw new StateDictError(
      `loadStateDict: '${key}' is ${src.dtype}[${src.dims.join(', ')}] but the module expects ${dst.dtype}[${dst.dims.join(', ')}]`,
      { key },
    );
  }
}
