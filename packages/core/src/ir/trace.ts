/**
 * Symbolic tracing. Inside {@link Tracer.run}, ops applied to {@link SymbolicTensor}s append nodes
 * to a graph and infer output types at once, so a shape error names the module path and op
 * before any backend is touched.
 * @module
 */
import type { DType } from '../dtype.js';
import { GraphError, OcularError, ShapeError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { type Attributes, createGraph, type Dim, formatShape, type Graph, type Node } from './graph.js';
import { getOpSchema, resolveAttrs, type TensorInfo } from './schema.js';

/** A value inside a graph being traced. Ops on it emit nodes into its tracer's graph. */
export class SymbolicTensor {
  /** @internal */
  constructor(
    readonly tracer: Tracer,
    readonly name: string,
    readonly dtype: DType,
    readonly shape: readonly Dim[],
    /** Known constant value (initializers, constants, folded shapes). */
    readonly value?: Tensor,
  ) {}

  /** Rank. */
  get rank(): number {
    return this.shape.length;
  }

  /** dtype, shape and constant value for shape inference. */
  get info(): TensorInfo {
    return { dtype: this.dtype, shape: this.shape, value: this.value };
  }

  toString(): string {
    return `SymbolicTensor(${this.name}: ${this.dtype}${formatShape(this.shape)})`;
  }
}

/** What {@link emit} accepts as an input: a traced value, a host constant, or nothing (omitted optional). */
export type OpInput = SymbolicTensor | Tensor | undefined | null;

/** Options of {@link Tracer.emit}. */
export interface EmitOptions {
  /** Number of outputs (default: the schema's `minOutputs`, or 1). */
  numOutputs?: number;
  /** Operator domain (default ONNX domain). */
  domain?: string;
  /** Node name (default: scope path + op type + counter). */
  name?: string;
}

let active: Tracer | undefined;

/** The tracer currently running, if any. */
export function currentTracer(): Tracer | undefined {
  return active;
}

/**
 * Builds one graph. Parameters and buffers are mapped to initializer names (their state-dict
 * keys) with {@link Tracer.nameTensor} before tracing; any other host tensor used as an op input
 * becomes an anonymous constant initializer.
 */
export class Tracer {
  readonly graph: Graph;
  private readonly scopes: string[] = [];
  private readonly tensorNames = new Map<Tensor, string>();
  private readonly usedNames = new Set<string>();
  /** Old name → new name of values renamed by {@link Tracer.output}. */
  private readonly renamed = new Map<string, string>();
  private counter = 0;

  constructor(name = 'graph', opset?: number) {
    this.graph = createGraph(name, opset);
  }

  /** Runs `fn` with this tracer active (nested tracing is not allowed). */
  run<T>(fn: () => T): T {
    if (active) throw new GraphError('tracing is already in progress; nested traces are not supported');
    active = this;
    try {
      return fn();
    } finally {
      active = undefined;
    }
  }

  /** The module path of the current scope (`''` at top level). */
  get scope(): string {
    return this.scopes.filter(Boolean).join('.');
  }

  /** Runs `fn` inside a child scope named `name` (a module attribute name). */
  withScope<T>(name: string, fn: () => T): T {
    this.scopes.push(name);
    try {
      return fn();
    } finally {
      this.scopes.pop();
    }
  }

  /**
   * Runs `fn` with the scope set to the absolute module path `path`, whatever the current scope
   * is, and restores the previous scope afterwards. Modules use it so that a node's scope is its
   * module's state-dict path even when an ancestor calls a deep descendant directly.
   */
  withAbsoluteScope<T>(path: string, fn: () => T): T {
    const saved = this.scopes.splice(0, this.scopes.length, path);
    try {
      return fn();
    } finally {
      this.scopes.splice(0, this.scopes.length, ...saved);
    }
  }

  /** Binds a host tensor (a parameter or buffer) to an initializer name. */
  nameTensor(tensor: Tensor, name: string): void {
    this.tensorNames.set(tensor, name);
  }

  /** Declares a graph input. */
  input(name: string, dtype: DType, shape: readonly Dim[]): SymbolicTensor {
    this.claim(name);
    this.graph.inputs.push({ name, dtype, shape: [...shape] });
    return new SymbolicTensor(this, name, dtype, shape);
  }

  /**
   * Declares a graph output named `name`. A node output is renamed in place; a graph input or
   * constant gets an Identity node so the output has its own name.
   */
  output(name: string, value: SymbolicTensor): void {
    let v = this.current(value);
    if (v.name !== name) {
      if (!this.graph.valueInfo.has(v.name) || this.graph.outputs.some((o) => o.name === v.name)) {
        v = this.emit('Identity', [v], {}, { name: `${name}_identity` })[0]!;
      }
      this.rename(v.name, name);
    }
    this.graph.outputs.push({ name, dtype: v.dtype, shape: [...v.shape] });
  }

  /** Turns an op input into a graph value name, registering host tensors as initializers. */
  valueOf(input: OpInput): SymbolicTensor | undefined {
    if (input === undefined || input === null) return undefined;
    if (input instanceof SymbolicTensor) {
      if (input.tracer !== this) throw new GraphError(`${input} belongs to another trace`);
      return this.current(input);
    }
    if (!(input instanceof Tensor))
      throw new GraphError(`op input must be a SymbolicTensor or Tensor, got ${String(input)}`);
    let name = this.tensorNames.get(input);
    if (!name) {
      name = this.fresh(this.scope ? `${this.scope}.const` : 'const');
      this.tensorNames.set(input, name);
    }
    if (!this.graph.initializers.has(name)) {
      this.graph.initializers.set(name, input);
      this.usedNames.add(name);
    }
    return new SymbolicTensor(this, name, input.dtype, input.dims, input);
  }

  /**
   * Appends one node and returns its outputs. Attributes are checked against the schema and
   * shape inference runs now; failures are rethrown as {@link ShapeError} (or the original
   * {@link OcularError} subclass) prefixed with `scope (OpType): `.
   */
  emit(
    opType: string,
    inputs: readonly OpInput[],
    attrs: Attributes = {},
    options: EmitOptions = {},
  ): SymbolicTensor[] {
    const schema = getOpSchema(opType, options.domain);
    const where = `${this.scope || '<root>'} (${opType})`;
    const values = inputs.map((i) => this.valueOf(i));
    // Trailing omitted inputs are dropped, as ONNX allows.
    while (values.length && values[values.length - 1] === undefined) values.pop();
    const numOutputs = options.numOutputs ?? schema.minOutputs ?? 1;
    let resolved: Attributes;
    let infos: TensorInfo[];
    try {
      if (values.length < schema.minInputs || values.length > schema.maxInputs) {
        throw new GraphError(`expects ${schema.minInputs}..${schema.maxInputs} inputs, got ${values.length}`);
      }
      resolved = resolveAttrs(schema, attrs);
      infos = schema.infer({ opType, inputs: values.map((v) => v?.info), attrs: resolved, numOutputs });
    } catch (err) {
      if (err instanceof OcularError) {
        const Ctor = err.constructor as new (m: string, d?: Record<string, unknown>) => OcularError;
        const wrapped = new Ctor(`${where}: ${err.message}`, { ...err.details, scope: this.scope, opType });
        throw Object.assign(wrapped, { cause: err });
      }
      throw new ShapeError(`${where}: ${(err as Error).message}`, { scope: this.scope, opType });
    }
    const base = options.name ?? (this.scope ? `${this.scope}.${opType}` : opType);
    const nodeName = this.fresh(base);
    const outNames = infos.map((_, i) =>
      this.fresh(infos.length === 1 ? `${nodeName}_out` : `${nodeName}_out${i}`),
    );
    const node: Node = {
      name: nodeName,
      opType,
      domain: options.domain,
      inputs: values.map((v) => v?.name ?? ''),
      outputs: outNames,
      attrs: attrs,
      scope: this.scope,
    };
    this.graph.nodes.push(node);
    return infos.map((info, i) => {
      const name = outNames[i]!;
      this.graph.valueInfo.set(name, { name, dtype: info.dtype, shape: [...info.shape] });
      return new SymbolicTensor(this, name, info.dtype, info.shape, info.value);
    });
  }

  private claim(name: string): void {
    if (this.usedNames.has(name)) throw new GraphError(`value name '${name}' is already used`);
    this.usedNames.add(name);
  }

  private fresh(base: string): string {
    let name = base;
    while (this.usedNames.has(name)) name = `${base}_${++this.counter}`;
    this.usedNames.add(name);
    return name;
  }

  /** `value` under its current name (a declared output renames the value it names). */
  private current(value: SymbolicTensor): SymbolicTensor {
    let name = value.name;
    for (let next = this.renamed.get(name); next !== undefined; next = this.renamed.get(name)) name = next;
    return name === value.name
      ? value
      : new SymbolicTensor(this, name, value.dtype, value.shape, value.value);
  }

  private rename(from: string, to: string): void {
    this.claim(to);
    this.renamed.set(from, to);
    for (const n of this.graph.nodes) {
      const outs = n.outputs as string[];
      const ins = n.inputs as string[];
      for (let i = 0; i < outs.length; i++) if (outs[i] === from) outs[i] = to;
      for (let i = 0; i < ins.length; i++) if (ins[i] === from) ins[i] = to;
    }
    const vi = this.graph.valueInfo.get(from);
    if (vi) {
      this.graph.valueInfo.delete(from);
      this.graph.valueInfo.set(to, { ...vi, name: to });
    }
  }
}

/**
 * Emits an op into the active tracer. The functional API (`F.conv2d`, ...) and blocks are built
 * on this. Throws {@link GraphError} when called outside tracing.
 */
export function emit(
  opType: string,
  inputs: readonly OpInput[],
  attrs?: Attributes,
  options?: EmitOptions,
): SymbolicTensor[] {
  const t = active ?? firstTracer(inputs);
  if (!t) throw new GraphError(`${opType}: ops on symbolic tensors can only run while tracing`);
  return t.emit(opType, inputs, attrs, options);
}

/** Like {@link emit} for single-output ops. */
export function emit1(
  opType: string,
  inputs: readonly OpInput[],
  attrs?: Attributes,
  options?: EmitOptions,
): SymbolicTensor {
  return emit(opType, inputs, attrs, options)[0]!;
}

function firstTracer(inputs: readonly OpInput[]): Tracer | undefined {
  for (const i of inputs) if (i instanceof SymbolicTensor) return i.tracer;
  return undefined;
}
