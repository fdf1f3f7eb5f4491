/**
 * A runner for the official ONNX backend node tests (a folder with `index.json` and
 * `node/<test>/{model.onnx, test_data_set_0/*.pb}`). It loads each test with the ONNX reader,
 * runs it through a caller-supplied function (any backend), and compares the outputs the way
 * ONNX's own runner does: same output count, dtypes and shapes, then numpy `assert_allclose`
 * (rtol 1e-3, atol 1e-7, NaN equal to NaN) for floating types and exact equality for integers
 * and bools. Every skip carries a written reason; a backend error is a failure, not a skip.
 * @module
 */
import { type DType, isBigInt, isFloat } from '../dtype.js';
import type { Graph } from '../ir/graph.js';
import { findOpSchema } from '../ir/schema.js';
import { readOnnxNodeTest } from '../onnx/node-test.js';
import type { Tensor } from '../tensor.js';

/** A value listed in `index.json`. */
export interface OnnxNodeTestValue {
  readonly name: string;
  /** `float32`, ..., `string`, or `sequence<...>` / `optional<...>` for non-tensor values. */
  readonly dtype: string;
  readonly dims?: readonly number[];
  /** `SequenceProto` / `OptionalProto` for non-tensor values. */
  readonly format?: string;
}

/** One entry of `index.json`. */
export interface OnnxNodeTestEntry {
  readonly name: string;
  /** The operator under test (for `_expanded` tests, the op of the test it expands). */
  readonly op: string;
  readonly opset: number;
  readonly inputs: readonly OnnxNodeTestValue[];
  readonly outputs: readonly OnnxNodeTestValue[];
  readonly expandedFrom?: string;
  /** Every op of an expanded graph. */
  readonly graphOps?: readonly string[];
}

/** A loaded node test. */
export interface OnnxNodeTest {
  readonly name: string;
  readonly op: string;
  readonly opset: number;
  /** The test's folder. */
  readonly dir: string;
  readonly entry: OnnxNodeTestEntry;
  /** The decoded model; undefined when it was not loaded (see {@link OnnxNodeTest.loadError}). */
  readonly graph?: Graph;
  /** Input tensors by graph input name. */
  readonly inputs?: Readonly<Record<string, Tensor>>;
  /** Expected outputs by graph output name, in graph output order. */
  readonly expected?: Readonly<Record<string, Tensor>>;
  /** Why the model or its data could not be loaded (an unsupported value type or a reader error). */
  readonly loadError?: string;
}

/**
 * Selects tests: a string matches a test name or an op name exactly (`'Conv'`,
 * `'test_relu'`), a RegExp is tested against the name, a function receives the index entry.
 */
export type OnnxNodeTestFilter = string | RegExp | ((entry: OnnxNodeTestEntry) => boolean);

/** Runs a graph on feeds and returns its outputs by name (any backend). */
export type OnnxNodeTestRunner = (
  graph: Graph,
  feeds: Record<string, Tensor>,
) => Promise<Record<string, Tensor>> | Record<string, Tensor>;

/** Options of {@link runOnnxNodeTests}. */
export interface OnnxNodeTestOptions {
  readonly filter?: OnnxNodeTestFilter;
  /** Return a reason to skip a test the backend does not support (a checked-in list), else undefined. */
  readonly supports?: (test: OnnxNodeTest) => string | undefined;
  /** Tolerances; default ONNX's (rtol 1e-3, atol 1e-7). */
  readonly rtol?: number;
  readonly atol?: number;
  /** Called after each test (progress reporting). */
  readonly onResult?: (result: OnnxNodeTestResult) => void;
}

/** The outcome of one test. */
export interface OnnxNodeTestResult {
  readonly name: string;
  readonly op: string;
  readonly opset: number;
  readonly status: 'pass' | 'fail' | 'skip';
  /** Why a test failed or was skipped. */
  readonly reason?: string;
  /** Largest |actual - expected| over all outputs (numeric outputs that were compared). */
  readonly maxAbsError?: number;
  /** True when the test's op has a schema in the Ocular IR (these count toward the pass rate). */
  readonly opInIr: boolean;
}

/** Totals and per-test results of a run. */
export interface OnnxNodeTestReport {
  readonly results: readonly OnnxNodeTestResult[];
  readonly total: number;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  /** Tests whose op is in the IR. */
  readonly eligible: number;
  /** `passed / eligible` (1 when nothing is eligible). */
  readonly passRate: number;
  /** Counts per op. */
  readonly byOp: Readonly<Record<string, { passed: number; failed: number; skipped: number }>>;
}

/** Default tolerances of ONNX's backend test runner. */
export const ONNX_NODE_TEST_TOLERANCE = { rtol: 1e-3, atol: 1e-7 } as const;

interface NodeFs {
  readFile(path: string): Promise<Uint8Array>;
  readFile(path: string, encoding: 'utf8'): Promise<string>;
}

async function nodeFs(): Promise<{ fs: NodeFs; join: (...p: string[]) => string }> {
  const [fs, path] = await Promise.all([import('node:fs/promises'), import('node:path')]);
  return { fs: fs as unknown as NodeFs, join: path.join };
}

function matches(filter: OnnxNodeTestFilter | undefined, e: OnnxNodeTestEntry): boolean {
  if (filter === undefined) return true;
  if (typeof filter === 'string') return e.name === filter || e.op === filter;
  if (filter instanceof RegExp) return filter.test(e.name);
  return filter(e);
}

/** Why a value type cannot be loaded, or undefined when it is a tensor of a dtype Ocular has. */
function unsupportedValue(v: OnnxNodeTestValue): string | undefined {
  if (v.dtype === 'string') return `value '${v.name}' is a string tensor; string tensors are not supported`;
  if (v.dtype.startsWith('sequence') || v.dtype.startsWith('optional') || v.format) {
    return `value '${v.name}' is ${v.dtype}; sequence and optional values are not supported`;
  }
  return undefined;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Loads the node tests under `dir` (the folder holding `index.json` and `node/`). Node only:
 * files are read with a dynamically imported `node:fs`. A test whose model or data cannot be
 * decoded is still returned, with {@link OnnxNodeTest.loadError} saying why.
 */
export async function loadOnnxNodeTests(dir: string, filter?: OnnxNodeTestFilter): Promise<OnnxNodeTest[]> {
  const { fs, join } = await nodeFs();
  const index = JSON.parse(await fs.readFile(join(dir, 'index.json'), 'utf8')) as OnnxNodeTestEntry[];
  const tests: OnnxNodeTest[] = [];
  for (const entry of index) {
    if (!matches(filter, entry)) continue;
    const testDir = join(dir, 'node', entry.name);
    const base = { name: entry.name, op: entry.op, opset: entry.opset, dir: testDir, entry };
    const unsupported = [...entry.inputs, ...entry.outputs].map(unsupportedValue).find((r) => r);
    if (unsupported) {
      tests.push({ ...base, loadError: unsupported });
      continue;
    }
    try {
      tests.push({ ...base, ...(await readOnnxNodeTest(testDir)) });
    } catch (err) {
      tests.push({ ...base, loadError: message(err) });
    }
  }
  return tests;
}

// ---- value comparison ---------------------------------------------------------------------------

/** Decodes an 8- or 4-bit float bit pattern (the storage dtypes) to a number. */
function minifloat(bits: number, dtype: DType): number {
  const spec: Partial<Record<DType, [number, number, number, 'ieee' | 'fn' | 'fnuz' | 'none']>> = {
    float8e4m3fn: [4, 3, 7, 'fn'],
    float8e4m3fnuz: [4, 3, 8, 'fnuz'],
    float8e5m2: [5, 2, 15, 'ieee'],
    float8e5m2fnuz: [5, 2, 16, 'fnuz'],
    float4e2m1: [2, 1, 1, 'none'],
  };
  if (dtype === 'float8e8m0') return bits === 0xff ? Number.NaN : 2 ** (bits - 127);
  const s = spec[dtype];
  if (!s) return bits;
  const [eb, mb, bias, mode] = s;
  const signBit = 1 << (eb + mb);
  const emax = (1 << eb) - 1;
  const mmax = (1 << mb) - 1;
  const sign = bits & signBit ? -1 : 1;
  const e = (bits >> mb) & emax;
  const m = bits & mmax;
  if (mode === 'fnuz' && bits === signBit) return Number.NaN;
  if (mode === 'fn' && e === emax && m === mmax) return Number.NaN;
  if (mode === 'ieee' && e === emax) return m ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  if (e === 0) return sign * (m / 2 ** mb) * 2 ** (1 - bias);
  return sign * (1 + m / 2 ** mb) * 2 ** (e - bias);
}

/** True for the dtypes compared with a tolerance (floats and the float storage types). */
function isApproximate(dtype: DType): boolean {
  return isFloat(dtype) || dtype.startsWith('float8') || dtype === 'float4e2m1';
}

function numbersOf(t: Tensor): number[] {
  if (t.dtype.startsWith('float8') || t.dtype === 'float4e2m1') {
    return Array.from(t.data as Uint8Array, (b) => minifloat(b, t.dtype));
  }
  return t.toNumbers();
}

/** Result of {@link compareNodeTestOutput}. */
export interface NodeTestComparison {
  readonly ok: boolean;
  /** Largest |actual - expected| over finite pairs (0 when none differ). */
  readonly maxAbsError: number;
  /** What disagrees, when `ok` is false. */
  readonly message?: string;
}

/**
 * Compares `actual` to `expected` as ONNX's runner does: dtype and shape must match; floating
 * values (including float8/float4 storage types, decoded) must satisfy
 * `|a - e| <= atol + rtol * |e|` with NaN equal to NaN and infinities equal only to themselves;
 * integers and bools must be equal.
 */
export function compareNodeTestOutput(
  expected: Tensor,
  actual: Tensor,
  tolerance: { rtol?: number; atol?: number } = {},
): NodeTestComparison {
  const rtol = tolerance.rtol ?? ONNX_NODE_TEST_TOLERANCE.rtol;
  const atol = tolerance.atol ?? ONNX_NODE_TEST_TOLERANCE.atol;
  if (actual.dtype !== expected.dtype) {
    return {
      ok: false,
      maxAbsError: Number.NaN,
      message: `dtype ${actual.dtype}, expected ${expected.dtype}`,
    };
  }
  if (actual.dims.length !== expected.dims.length || actual.dims.some((d, i) => d !== expected.dims[i])) {
    return {
      ok: false,
      maxAbsError: Number.NaN,
      message: `shape [${actual.dims.join(', ')}], expected [${expected.dims.join(', ')}]`,
    };
  }
  let bad = 0;
  let first = -1;
  let maxAbs = 0;
  let firstGot: number | bigint = 0;
  let firstWant: number | bigint = 0;
  if (isBigInt(expected.dtype)) {
    const a = actual.data as BigInt64Array | BigUint64Array;
    const e = expected.data as BigInt64Array | BigUint64Array;
    for (let i = 0; i < e.length; i++) {
      if (a[i] !== e[i]) {
        const d = Math.abs(Number(a[i]! - e[i]!));
        if (d > maxAbs) maxAbs = d;
        if (bad++ === 0) [first, firstGot, firstWant] = [i, a[i]!, e[i]!];
      }
    }
  } else {
    const approx = isApproximate(expected.dtype);
    const a = numbersOf(actual);
    const e = numbersOf(expected);
    for (let i = 0; i < e.length; i++) {
      const x = a[i]!;
      const y = e[i]!;
      let ok: boolean;
      if (Number.isNaN(y) || Number.isNaN(x)) ok = Number.isNaN(x) && Number.isNaN(y);
      else if (!Number.isFinite(y) || !Number.isFinite(x)) ok = x === y;
      else {
        const d = Math.abs(x - y);
        if (d > maxAbs) maxAbs = d;
        ok = approx ? d <= atol + rtol * Math.abs(y) : d === 0;
      }
      if (!ok && bad++ === 0) [first, firstGot, firstWant] = [i, x, y];
    }
  }
  if (bad === 0) return { ok: true, maxAbsError: maxAbs };
  return {
    ok: false,
    maxAbsError: maxAbs,
    message: `${bad} of ${expected.size} values differ (first at flat index ${first}: got ${firstGot}, expected ${firstWant}); max abs error ${maxAbs}`,
  };
}

// ---- running ---------------------------------------------------------------------------------

function skipReason(test: OnnxNodeTest): string | undefined {
  if (test.loadError) return test.loadError;
  for (const node of test.graph!.nodes) {
    if (!findOpSchema(node.opType, node.domain)) {
      return `op '${node.domain ? `${node.domain}::` : ''}${node.opType}' is not in the Ocular IR`;
    }
  }
  return undefined;
}

async function runOne(test: OnnxNodeTest, run: OnnxNodeTestRunner, options: OnnxNodeTestOptions) {
  const common = { name: test.name, op: test.op, opset: test.opset, opInIr: !!findOpSchema(test.op) };
  const skip = skipReason(test) ?? options.supports?.(test);
  if (skip) return { ...common, status: 'skip', reason: skip } as const;
  let outputs: Record<string, Tensor>;
  try {
    outputs = await run(test.graph!, { ...test.inputs! });
  } catch (err) {
    return { ...common, status: 'fail', reason: `error: ${message(err)}` } as const;
  }
  const expected = test.expected!;
  const names = Object.keys(expected);
  const got = Object.keys(outputs ?? {});
  if (got.length !== names.length) {
    return {
      ...common,
      status: 'fail',
      reason: `returned ${got.length} outputs (${got.join(', ')}), expected ${names.length} (${names.join(', ')})`,
    } as const;
  }
  let maxAbsError = 0;
  const problems: string[] = [];
  for (const name of names) {
    const actual = outputs[name];
    if (!actual) {
      problems.push(`output '${name}' is missing`);
      continue;
    }
    const c = compareNodeTestOutput(expected[name]!, actual, options);
    if (Number.isFinite(c.maxAbsError)) maxAbsError = Math.max(maxAbsError, c.maxAbsError);
    if (!c.ok) problems.push(`output '${name}': ${c.message}`);
  }
  if (problems.length)
    return { ...common, status: 'fail', reason: problems.join('; '), maxAbsError } as const;
  return { ...common, status: 'pass', maxAbsError } as const;
}

/**
 * Loads the node tests under `dir` and runs each through `run`. A test is skipped, with the
 * reason, when a value is a string tensor, a sequence or an optional, when the reader cannot
 * decode the model, when an op of its graph is not in the IR, or when `options.supports`
 * returns a reason. Everything else passes or fails; an error thrown by `run` is a failure.
 */
export async function runOnnxNodeTests(
  dir: string,
  run: OnnxNodeTestRunner,
  options: OnnxNodeTestOptions = {},
): Promise<OnnxNodeTestReport> {
  const tests = await loadOnnxNodeTests(dir, options.filter);
  const results: OnnxNodeTestResult[] = [];
  for (const test of tests) {
    const r = await runOne(test, run, options);
    results.push(r);
    options.onResult?.(r);
  }
  return summarizeOnnxNodeTests(results);
}

/** Totals of a list of results. */
export function summarizeOnnxNodeTests(results: readonly OnnxNodeTestResult[]): OnnxNodeTestReport {
  const byOp: Record<string, { passed: number; failed: number; skipped: number }> = {};
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  let eligible = 0;
  for (const r of results) {
    byOp[r.op] ??= { passed: 0, failed: 0, skipped: 0 };
    const o = byOp[r.op]!;
    if (r.status === 'pass') {
      passed++;
      o.passed++;
    } else if (r.status === 'fail') {
      failed++;
      o.failed++;
    } else {
      skipped++;
      o.skipped++;
    }
    if (r.opInIr) eligible++;
  }
  return {
    results,
    total: results.length,
    passed,
    failed,
    skipped,
    eligible,
    passRate: eligible ? passed / eligible : 1,
    byOp,
  };
}
