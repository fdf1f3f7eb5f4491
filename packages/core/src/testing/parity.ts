/**
 * Op parity: runs one-node graphs on a backend and on a reference backend and compares the
 * outputs with per-backend tolerances. Backend authors run every {@link OpCase} with
 * {@link runOpParity}; ops a backend lists in `unsupportedOps()` are skipped with that reason.
 * @module
 */
import type { Backend, BackendOptions, Session, UnsupportedOp } from '../backend/contract.js';
import { type DType, isBigInt, isFloat } from '../dtype.js';
import { AbortError } from '../errors.js';
import type { Graph } from '../ir/graph.js';
import { type OpInput, Tracer } from '../ir/trace.js';
import { Tensor } from '../tensor.js';
import { compareTensors, type Tolerance } from './compare.js';
import type { OpCase, OpCaseInput } from './op-cases/types.js';
import { hashString, mulberry32, type Random, uniform, uniformInt } from './random.js';

/**
 * Default tolerance per backend name. onnxruntime CPU and wasm compute float32 with a different
 * summation order and vectorised transcendental functions than the float64 reference, hence
 * `rtol 1e-4, atol 1e-5`; GPU backends use reduced-precision arithmetic in places.
 */
export const DEFAULT_TOLERANCES: Readonly<Record<string, Tolerance>> = {
  reference: { rtol: 0, atol: 0 },
  node: { rtol: 1e-4, atol: 1e-5 },
  wasm: { rtol: 1e-4, atol: 1e-5 },
  webgpu: { rtol: 1e-3, atol: 1e-4 },
  tfjs: { rtol: 1e-3, atol: 1e-4 },
};

/** Tolerance for a backend not in {@link DEFAULT_TOLERANCES}. */
export const FALLBACK_TOLERANCE: Tolerance = { rtol: 1e-3, atol: 1e-4 };

/**
 * Lower bounds applied to half-precision outputs when a case sets no tolerance of its own: one
 * rounding step of float16 is 2^-11 relative (bfloat16: 2^-8), and two implementations that
 * round at different points legitimately differ by a unit or two in the last place.
 */
export const HALF_PRECISION_TOLERANCES: Readonly<Partial<Record<DType, Tolerance>>> = {
  float16: { rtol: 2e-3, atol: 1e-3 },
  bfloat16: { rtol: 1.6e-2, atol: 1e-2 },
};

/** The default tolerance of a backend. */
export function defaultTolerance(backendName: string): Tolerance {
  return DEFAULT_TOLERANCES[backendName] ?? FALLBACK_TOLERANCE;
}

/** Options of {@link runOpParity}. */
export interface OpParityOptions {
  /** Base seed of the random inputs (default 0). Each case mixes in a hash of its name. */
  readonly seed?: number;
  /** Overrides the backend's default tolerance (a case's own tolerance still wins). */
  readonly tolerance?: Tolerance;
  /** Runs only the cases this returns true for. */
  readonly filter?: (c: OpCase) => boolean;
  /** Backend options passed to both backends' `compile`. */
  readonly backendOptions?: BackendOptions;
  /** Stops between cases; the promise rejects with `AbortError`. */
  readonly signal?: AbortSignal;
  /** Called after each case (progress reporting). */
  readonly onResult?: (result: OpCaseResult) => void;
}

/** Outcome of one case. */
export type CaseStatus = 'pass' | 'fail' | 'skip';

/** Comparison of one output of a case. */
export interface OutputParity {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly maxAbsError: number;
  readonly maxRelError: number;
  /** Elements outside tolerance; -1 when dtype or shape disagree. */
  readonly mismatches: number;
}

/** Result of one {@link OpCase}. */
export interface OpCaseResult {
  readonly name: string;
  readonly op: string;
  readonly status: CaseStatus;
  /** Why the case was skipped (the backend's `unsupportedOps()` reason). */
  readonly reason?: string;
  /** What went wrong when the case failed (error message or first mismatch). */
  readonly error?: string;
  /** Worst absolute error over all outputs (0 for skipped cases, Infinity on a structural mismatch). */
  readonly maxAbsError: number;
  /** Worst relative error over all outputs. */
  readonly maxRelError: number;
  /** Tolerance the case was judged with. */
  readonly tolerance: Tolerance;
  /** Per-output details (absent when the case did not run). */
  readonly outputs?: readonly OutputParity[];
}

/** Result of {@link runOpParity}. */
export interface ParityReport {
  readonly backend: string;
  readonly reference: string;
  readonly total: number;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  /** Worst absolute error over every case that ran. */
  readonly maxAbsError: number;
  readonly results: readonly OpCaseResult[];
}

/** A case built into a graph plus the feeds for its graph inputs. */
export interface BuiltOpCase {
  readonly graph: Graph;
  readonly feeds: Record<string, Tensor>;
}

/**
 * Builds a case's one-node graph: non-constant inputs become graph inputs `x0`, `x1`, ... fed
 * with seeded random (or explicit) data; constant inputs become initializers; `null` inputs are
 * omitted optional inputs. Outputs are named `y0`, `y1`, ....
 */
export function buildOpCase(c: OpCase, seed = 0): BuiltOpCase {
  const random = mulberry32((seed ^ hashString(c.name)) >>> 0);
  const feeds: Record<string, Tensor> = {};
  const tracer = new Tracer(c.name);
  tracer.run(() => {
    const inputs: OpInput[] = c.inputs.map((spec, i) => {
      if (!spec) return undefined;
      const data = caseInputData(spec, random);
      if (spec.constant) return data;
      const name = `x${i}`;
      feeds[name] = data;
      return tracer.input(name, spec.dtype, spec.shape);
    });
    const outs = tracer.emit(c.op, inputs, c.attrs ?? {}, c.numOutputs ? { numOutputs: c.numOutputs } : {});
    for (const [i, o] of outs.entries()) tracer.output(`y${i}`, o);
  });
  return { graph: tracer.graph, feeds };
}

/** The tensor of one case input: its explicit values, or seeded random data in its range. */
export function caseInputData(spec: OpCaseInput, random: Random): Tensor {
  let n = 1;
  for (const d of spec.shape) n *= d;
  if (spec.values) return Tensor.from(spec.dtype, spec.values, spec.shape);
  const [lo, hi] = spec.range ?? defaultRange(spec.dtype);
  if (spec.dtype === 'bool') return Tensor.from('bool', uniformInt(random, n, 0, 1), spec.shape);
  if (isFloat(spec.dtype)) return Tensor.from(spec.dtype, uniform(random, n, lo, hi), spec.shape);
  const ints = uniformInt(random, n, lo, hi);
  return Tensor.from(spec.dtype, isBigInt(spec.dtype) ? ints.map((v) => BigInt(v)) : ints, spec.shape);
}

function defaultRange(dtype: DType): readonly [number, number] {
  if (isFloat(dtype)) return [-1, 1];
  if (dtype.startsWith('uint')) return [0, 20];
  return [-10, 10];
}

/**
 * Runs every case on `backend` and on `reference` and compares the outputs. A case is skipped
 * when its op is in either backend's `unsupportedOps()` or a backend's `checkGraph` names a
 * reason it cannot run the case's graph; it fails when either backend throws or
 * an output differs beyond tolerance. Never throws for a failing case; rejects only on abort.
 */
export async function runOpParity(
  backend: Backend,
  reference: Backend,
  cases: readonly OpCase[],
  options: OpParityOptions = {},
): Promise<ParityReport> {
  const unsupported = byOp(backend.unsupportedOps());
  const refUnsupported = byOp(reference.unsupportedOps());
  const baseTolerance = options.tolerance ?? defaultTolerance(backend.name);
  const results: OpCaseResult[] = [];
  for (const c of cases) {
    if (options.filter && !options.filter(c)) continue;
    if (options.signal?.aborted) throw new AbortError('op parity was aborted');
    const tolerance = c.tolerance ?? baseTolerance;
    let result: OpCaseResult;
    const skipReason = unsupported.get(c.op) ?? prefixed(refUnsupported.get(c.op), `${reference.name}: `);
    if (skipReason !== undefined) {
      result = {
        name: c.name,
        op: c.op,
        status: 'skip',
        reason: skipReason,
        maxAbsError: 0,
        maxRelError: 0,
        tolerance,
      };
    } else {
      result = await runCase(c, backend, reference, options, tolerance);
    }
    results.push(result);
    options.onResult?.(result);
  }
  const ran = results.filter((r) => r.status !== 'skip');
  return {
    backend: backend.name,
    reference: reference.name,
    total: results.length,
    passed: results.filter((r) => r.status === 'pass').length,
    failed: results.filter((r) => r.status === 'fail').length,
    skipped: results.length - ran.length,
    maxAbsError: ran.reduce((m, r) => Math.max(m, r.maxAbsError), 0),
    results,
  };
}

/** What a backend documents that it cannot run, for {@link opParityProblems}. */
export interface DocumentedSkips {
  /** The backend's `unsupportedOps()`: a case of one of these ops may be skipped with exactly its reason. */
  readonly unsupportedOps?: readonly UnsupportedOp[];
  /**
   * Further documented reasons, such as an engine's kernel gaps as its `checkGraph` words them:
   * a case may be skipped for a reason that ends with one of these.
   */
  readonly reasons?: readonly string[];
}

/**
 * What keeps a backend from conformance in a {@link runOpParity} report: each failed case
 * (`name: error`) and each case skipped for a reason the backend does not document. Empty when
 * every case passed or was skipped for a documented reason. It asserts nothing itself, so any
 * test framework can check that the list is empty (and show it when it is not).
 */
export function opParityProblems(report: ParityReport, documented: DocumentedSkips = {}): string[] {
  const listed = byOp(documented.unsupportedOps ?? []);
  const reasons = documented.reasons ?? [];
  const problems = report.results.filter((r) => r.status === 'fail').map((r) => `${r.name}: ${r.error}`);
  for (const r of report.results) {
    if (r.status !== 'skip') continue;
    const ok = listed.get(r.op) === r.reason || reasons.some((g) => r.reason?.endsWith(g));
    if (!ok) problems.push(`${r.name} skipped without a listed reason: ${r.reason}`);
  }
  return problems;
}

async function runCase(
  c: OpCase,
  backend: Backend,
  reference: Backend,
  options: OpParityOptions,
  caseTolerance: Tolerance,
): Promise<OpCaseResult> {
  const base = { name: c.name, op: c.op };
  let built: BuiltOpCase;
  try {
    built = buildOpCase(c, options.seed ?? 0);
  } catch (err) {
    return {
      ...base,
      status: 'fail',
      error: `case does not trace: ${message(err)}`,
      ...noErrors(caseTolerance),
    };
  }
  // A backend may know, without compiling, that it cannot run this graph (an op / dtype pair its
  // engine lacks): that is a documented skip, not a failure.
  const cannot =
    backend.checkGraph?.(built.graph) ?? prefixed(reference.checkGraph?.(built.graph), `${reference.name}: `);
  if (cannot !== undefined) return { ...base, status: 'skip', reason: cannot, ...noErrors(caseTolerance) };
  const expected = await runOn(reference, built, options);
  if (!expected.ok) {
    return {
      ...base,
      status: 'fail',
      error: `${reference.name} failed: ${expected.error}`,
      ...noErrors(caseTolerance),
    };
  }
  const actual = await runOn(backend, built, options);
  if (!actual.ok) {
    return {
      ...base,
      status: 'fail',
      error: `${backend.name} failed: ${actual.error}`,
      ...noErrors(caseTolerance),
    };
  }
  const outputs: OutputParity[] = [];
  const errors: string[] = [];
  let tolerance = caseTolerance;
  for (const out of built.graph.outputs) {
    const want = expected.outputs[out.name];
    const got = actual.outputs[out.name];
    if (!want || !got) {
      errors.push(`output ${out.name} is missing from ${want ? backend.name : reference.name}`);
      continue;
    }
    const half = c.tolerance ? undefined : HALF_PRECISION_TOLERANCES[want.dtype];
    const tol = half
      ? { rtol: Math.max(half.rtol, tolerance.rtol), atol: Math.max(half.atol, tolerance.atol) }
      : tolerance;
    if (half) tolerance = tol;
    const cmp = compareTensors(got, want, tol);
    outputs.push({
      name: out.name,
      dtype: want.dtype,
      shape: [...want.dims],
      maxAbsError: cmp.maxAbsError,
      maxRelError: cmp.maxRelError,
      mismatches: cmp.mismatches,
    });
    if (!cmp.ok) errors.push(`${out.name}: ${cmp.message}`);
  }
  return {
    ...base,
    status: errors.length ? 'fail' : 'pass',
    error: errors.length ? errors.join('; ') : undefined,
    maxAbsError: outputs.reduce(
      (m, o) => Math.max(m, o.maxAbsError),
      errors.length && !outputs.length ? Number.POSITIVE_INFINITY : 0,
    ),
    maxRelError: outputs.reduce((m, o) => Math.max(m, o.maxRelError), 0),
    tolerance,
    outputs,
  };
}

type RunOutcome = { ok: true; outputs: Record<string, Tensor> } | { ok: false; error: string };

async function runOn(backend: Backend, built: BuiltOpCase, options: OpParityOptions): Promise<RunOutcome> {
  let session: Session | undefined;
  try {
    session = await backend.compile(built.graph, {
      backendOptions: options.backendOptions,
      signal: options.signal,
    });
    return { ok: true, outputs: await session.run(built.feeds, { signal: options.signal }) };
  } catch (err) {
    if (err instanceof AbortError) throw err;
    return { ok: false, error: message(err) };
  } finally {
    await session?.dispose().catch(() => undefined);
  }
}

function byOp(list: readonly UnsupportedOp[]): Map<string, string> {
  return new Map(list.map((u) => [u.opType, u.reason]));
}

function prefixed(reason: string | undefined, prefix: string): string | undefined {
  return reason === undefined ? undefined : prefix + reason;
}

function noErrors(tolerance: Tolerance): Pick<OpCaseResult, 'maxAbsError' | 'maxRelError' | 'tolerance'> {
  return { maxAbsError: 0, maxRelError: 0, tolerance };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
