/**
 * Op schemas: for each op type, its attributes (with ONNX types and defaults), arity and a
 * static shape-inference function. One op = one schema (here) + one kernel per backend.
 * Backends may call `infer` with constant values attached to compute output shapes, so shape
 * rules live in one place.
 * @module
 */
import type { DType } from '../dtype.js';
import { AttributeError, UnknownOpError } from '../errors.js';
import { builtinOpSchemas } from '../ops/index.js';
import type { Tensor } from '../tensor.js';
import type { Attributes, AttrValue, Dim } from './graph.js';

/** ONNX attribute types. */
export type AttrType = 'int' | 'float' | 'string' | 'ints' | 'floats' | 'strings' | 'tensor';

/** Declares one attribute. */
export interface AttrSpec {
  readonly type: AttrType;
  /** Value used when the node does not set the attribute. */
  readonly default?: AttrValue;
  /** The attribute must be set. */
  readonly required?: boolean;
}

/** What shape inference knows about an input or output. */
export interface TensorInfo {
  readonly dtype: DType;
  readonly shape: readonly Dim[];
  /** The value, when it is a known constant (initializer, Constant, folded Shape). */
  readonly value?: Tensor;
}

/** Arguments of {@link OpSchema.infer}. */
export interface InferContext {
  readonly opType: string;
  /** One entry per node input; `undefined` for an omitted optional input. */
  readonly inputs: readonly (TensorInfo | undefined)[];
  /** Attributes with schema defaults applied. */
  readonly attrs: Attributes;
  /** Number of outputs the node declares. */
  readonly numOutputs: number;
}

/** The IR definition of one op. */
export interface OpSchema {
  readonly opType: string;
  /** Operator domain, `''` for ONNX's default domain. */
  readonly domain?: string;
  /** Opset version whose semantics this schema follows (the export uses the graph opset). */
  readonly since: number;
  /** Family of the op, for docs and conformance reports: `elementwise`, `conv`, `shape`, ... */
  readonly category: string;
  readonly minInputs: number;
  /** Use `Infinity` for variadic ops (Concat, Sum, Max). */
  readonly maxInputs: number;
  readonly minOutputs?: number;
  readonly maxOutputs?: number;
  readonly attrs: Readonly<Record<string, AttrSpec>>;
  /**
   * Static shape (and dtype) inference. Throws {@link ShapeError} / {@link AttributeError} with a
   * message naming what disagrees; the tracer prefixes the module path and op type. May return a
   * `value` when the output is a foldable constant (for example `Shape` of a static shape).
   */
  infer(ctx: InferContext): TensorInfo[];
  /** One-line description for docs. */
  readonly doc?: string;
}

const CUSTOM_KEY = Symbol.for('ocular.customOpSchemas');

function sharedCustomSchemas(): Map<string, OpSchema> {
  const g = globalThis as Record<symbol, Map<string, OpSchema> | undefined>;
  const existing = g[CUSTOM_KEY];
  if (existing) return existing;
  const created = new Map<string, OpSchema>();
  g[CUSTOM_KEY] = created;
  return created;
}

/** Custom schemas live on globalThis so duplicated copies of core share them. */
const customSchemas = sharedCustomSchemas();

let builtins: Map<string, OpSchema> | undefined;

function table(): Map<string, OpSchema> {
  if (!builtins) {
    builtins = new Map();
    for (const s of builtinOpSchemas()) builtins.set(schemaKey(s.opType, s.domain), s);
  }
  return builtins;
}

function schemaKey(opType: string, domain?: string): string {
  return domain ? `${domain}::${opType}` : opType;
}

/**
 * Registers a custom op schema (for plugins that add ops in their own domain). Throws on a
 * duplicate, including a clash with a built-in op.
 */
export function registerOpSchema(schema: OpSchema): void {
  const key = schemaKey(schema.opType, schema.domain);
  if (table().has(key) || customSchemas.has(key)) {
    throw new UnknownOpError(`op schema '${key}' is already registered`);
  }
  customSchemas.set(key, schema);
}

/** The schema of an op, or `undefined` if the IR does not define it. */
export function findOpSchema(opType: string, domain?: string): OpSchema | undefined {
  const key = schemaKey(opType, domain);
  return table().get(key) ?? customSchemas.get(key);
}

/** The schema of an op; throws {@link UnknownOpError} if the IR does not define it. */
export function getOpSchema(opType: string, domain?: string): OpSchema {
  const s = findOpSchema(opType, domain);
  if (!s) throw new UnknownOpError(`op '${schemaKey(opType, domain)}' is not in the Ocular IR`);
  return s;
}

/** Every op schema the IR defines (built-in and custom). */
export function listOpSchemas(): OpSchema[] {
  return [...table().values(), ...customSchemas.values()];
}

/**
 * Returns `attrs` with the schema's defaults filled in. Throws {@link AttributeError} for unknown
 * attributes, missing required ones, and values whose JS type does not fit the declared type.
 */
export function resolveAttrs(schema: OpSchema, attrs: Attributes | undefined): Attributes {
  const out: Record<string, AttrValue> = {};
  for (const [name, spec] of Object.entries(schema.attrs)) {
    const v = attrs?.[name];
    if (v === undefined) {
      if (spec.required) throw new AttributeError(`${schema.opType}: attribute '${name}' is required`);
      if (spec.default !== undefined) out[name] = spec.default;
      continue;
    }
    checkAttrType(schema.opType, name, spec.type, v);
    out[name] = v;
  }
  for (const name of Object.keys(attrs ?? {})) {
    if (!(name in schema.attrs)) {
      throw new AttributeError(`${schema.opType}: unknown attribute '${name}'`);
    }
  }
  return out;
}

function checkAttrType(op: string, name: string, type: AttrType, v: AttrValue): void {
  const ok =
    type === 'int'
      ? typeof v === 'number' && Number.isInteger(v)
      : type === 'float'
        ? typeof v === 'number'
        : type === 'string'
          ? typeof v === 'string'
          : type === 'ints'
            ? Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isInteger(x))
            : type === 'floats'
              ? Array.isArray(v) && v.every((x) => typeof x === 'number')
              : type === 'strings'
                ? Array.isArray(v) && v.every((x) => typeof x === 'string')
                : typeof v === 'object' && v !== null && !Array.isArray(v) && 'dtype' in v;
  if (!ok)
    throw new AttributeError(`${op}: attribute '${name}' must be of type ${type}, got ${JSON.stringify(v)}`);
}
