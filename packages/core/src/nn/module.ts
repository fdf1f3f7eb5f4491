/**
 * The module system: `Module` is Ocular's `torch.nn.Module`. Children, parameters and buffers are
 * registered under explicit names, so state-dict keys are byte-identical to timm's
 * (`stages.0.blocks.1.conv_dw.weight`) and JavaScript property names never leak into them.
 *
 * ```ts
 * class Block extends Module<[SymbolicTensor], SymbolicTensor> {
 *   readonly convDw = this.registerModule('conv_dw', new Conv2d(64, 64, 7, { padding: 3, groups: 64 }));
 *   forward(x: SymbolicTensor) { return this.convDw.call(x); }
 * }
 * ```
 * Modules are inference-only (always in eval mode): dropout and drop-path are identities.
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import { currentTracer, SymbolicTensor, type Tracer } from '../ir/trace.js';
import type { Tensor } from '../tensor.js';
import { modulePath } from './scope.js';
import {
  type LoadReport,
  type LoadStateDictOptions,
  loadStateDictAsyncImpl,
  loadStateDictImpl,
  type StateDictSource,
} from './state-dict.js';

interface BufferSlot {
  tensor: Tensor;
  persistent: boolean;
}

/** Options of {@link Module.registerBuffer}. */
export interface BufferOptions {
  /**
   * Whether the buffer is part of the state dict (default true). Non-persistent buffers (Swin's
   * `relative_position_index`) are recomputed by the module and never saved or loaded.
   */
  readonly persistent?: boolean;
}

function tracerOf(args: readonly unknown[]): Tracer | undefined {
  for (const a of args) if (a instanceof SymbolicTensor) return a.tracer;
  return undefined;
}

function checkName(kind: string, name: string): void {
  if (typeof name !== 'string' || name === '' || name.includes('.')) {
    throw new InvalidArgumentError(`${kind} name must be a non-empty string without '.', got '${name}'`);
  }
}

/**
 * Base class of every layer and network. `A` is the tuple of `forward` arguments and `R` its
 * result; call a module with {@link Module.call} so traced nodes carry the module's path.
 */
// biome-ignore lint/suspicious/noExplicitAny: modules accept any forward signature by default
export abstract class Module<A extends unknown[] = any[], R = any> {
  readonly #params = new Map<string, Tensor>();
  readonly #buffers = new Map<string, BufferSlot>();
  readonly #modules = new Map<string, Module>();
  readonly #optionalOnLoad = new Set<string>();

  /** The computation. Call it through {@link Module.call}, which sets the trace scope. */
  abstract forward(...args: A): R;

  /**
   * Runs `forward` inside the tracer scope named by this module's path (set up by `traceModule`
   * or `bindModule`), so every node it emits carries e.g. `stages.0.blocks.1.conv_dw`.
   */
  call(...args: A): R {
    const tracer = currentTracer() ?? tracerOf(args);
    const path = tracer ? modulePath(tracer, this) : undefined;
    if (!tracer || path === undefined) return this.forward(...args);
    return tracer.withAbsoluteScope(path, () => this.forward(...args));
  }

  // ---- registration -------------------------------------------------------------------------

  /**
   * Registers (or replaces, keeping its position) a child module under `name` and returns it,
   * so `readonly convDw = this.registerModule('conv_dw', new Conv2d(...))` keeps a typed property.
   */
  registerModule<M extends Module>(name: string, module: M): M {
    checkName('module', name);
    if (!(module instanceof Module)) throw new InvalidArgumentError(`'${name}' is not a Module`);
    if (this.#params.has(name) || this.#buffers.has(name)) {
      throw new InvalidArgumentError(
        `'${name}' is already a parameter or buffer of ${this.constructor.name}`,
      );
    }
    this.#modules.set(name, module);
    return module;
  }

  /** Registers (or replaces) a parameter under `name` and returns it. */
  registerParameter<T extends Tensor>(name: string, tensor: T): T {
    checkName('parameter', name);
    if (this.#modules.has(name) || this.#buffers.has(name)) {
      throw new InvalidArgumentError(`'${name}' is already a module or buffer of ${this.constructor.name}`);
    }
    this.#params.set(name, tensor);
    return tensor;
  }

  /** Registers (or replaces) a buffer under `name` and returns it. */
  registerBuffer<T extends Tensor>(name: string, tensor: T, options: BufferOptions = {}): T {
    checkName('buffer', name);
    if (this.#modules.has(name) || this.#params.has(name)) {
      throw new InvalidArgumentError(
        `'${name}' is already a module or parameter of ${this.constructor.name}`,
      );
    }
    this.#buffers.set(name, { tensor, persistent: options.persistent ?? true });
    return tensor;
  }

  /**
   * Marks one of this module's own state entries as optional when loading: a checkpoint without
   * it keeps the current value and the key is reported as `defaulted`, not `missing`. BatchNorm
   * uses it for `num_batches_tracked`, as PyTorch does for checkpoints that predate that buffer.
   */
  protected markOptionalOnLoad(name: string): void {
    this.#optionalOnLoad.add(name);
  }

  // ---- lookup -------------------------------------------------------------------------------

  /** A direct child by name. */
  child(name: string): Module | undefined {
    return this.#modules.get(name);
  }

  /** Own (non-recursive) parameter by name. */
  parameter(name: string): Tensor | undefined {
    return this.#params.get(name);
  }

  /** Own (non-recursive) buffer by name. */
  buffer(name: string): Tensor | undefined {
    return this.#buffers.get(name)?.tensor;
  }

  /** The descendant at a dotted path (`''` is this module); throws when absent. */
  getSubmodule(path: string): Module {
    if (path === '') return this;
    let m: Module | undefined = this;
    for (const part of path.split('.')) {
      m = m.#modules.get(part);
      if (!m) throw new InvalidArgumentError(`${this.constructor.name} has no submodule '${path}'`);
    }
    return m;
  }

  /** Own (non-recursive) parameters as `[name, tensor]`, in registration order. */
  *ownParameters(): IterableIterator<[string, Tensor]> {
    yield* this.#params.entries();
  }

  /** Own (non-recursive) buffers as `[name, tensor, persistent]`, in registration order. */
  *ownBuffers(): IterableIterator<[string, Tensor, boolean]> {
    for (const [name, slot] of this.#buffers) yield [name, slot.tensor, slot.persistent];
  }

  /** Direct children as `[name, module]`, in registration order. */
  *namedChildren(): IterableIterator<[string, Module]> {
    yield* this.#modules.entries();
  }

  /** This module and every descendant, pre-order, each once (first path wins), `''` for this one. */
  *namedModules(prefix = ''): IterableIterator<[string, Module]> {
    const seen = new Set<Module>();
    const walk = function* (m: Module, p: string): IterableIterator<[string, Module]> {
      if (seen.has(m)) return;
      seen.add(m);
      yield [p, m];
      for (const [name, c] of m.#modules) yield* walk(c, p ? `${p}.${name}` : name);
    };
    yield* walk(this, prefix);
  }

  /** Every parameter with its state-dict key; a tensor shared by two modules is listed once. */
  *namedParameters(prefix = ''): IterableIterator<[string, Tensor]> {
    const seen = new Set<Tensor>();
    for (const [p, m] of this.namedModules(prefix)) {
      for (const [name, t] of m.#params) {
        if (seen.has(t)) continue;
        seen.add(t);
        yield [p ? `${p}.${name}` : name, t];
      }
    }
  }

  /** Every buffer (persistent or not) with its key; each tensor once. */
  *namedBuffers(prefix = '', options: { persistentOnly?: boolean } = {}): IterableIterator<[string, Tensor]> {
    const seen = new Set<Tensor>();
    for (const [p, m] of this.namedModules(prefix)) {
      for (const [name, slot] of m.#buffers) {
        if (seen.has(slot.tensor) || (options.persistentOnly && !slot.persistent)) continue;
        seen.add(slot.tensor);
        yield [p ? `${p}.${name}` : name, slot.tensor];
      }
    }
  }

  /** Every parameter tensor, each once. */
  parameters(): Tensor[] {
    return [...this.namedParameters()].map(([, t]) => t);
  }

  /** Number of parameter elements, shared tensors counted once (timm's `param_count`). */
  parameterCount(): number {
    let n = 0;
    for (const [, t] of this.namedParameters()) n += t.size;
    return n;
  }

  // ---- state dict ---------------------------------------------------------------------------

  /**
   * The state dict, ordered as PyTorch orders it: a module's own parameters, then its own
   * persistent buffers, then each child recursively. Tensors are the module's own (not copies).
   */
  stateDict(prefix = ''): Map<string, Tensor> {
    const out = new Map<string, Tensor>();
    const walk = (m: Module, p: string): void => {
      for (const [name, t] of m.#params) out.set(p + name, t);
      for (const [name, s] of m.#buffers) if (s.persistent) out.set(p + name, s.tensor);
      for (const [name, c] of m.#modules) walk(c, `${p}${name}.`);
    };
    walk(this, prefix ? `${prefix}.` : '');
    return out;
  }

  /** State-dict keys that may be absent from a checkpoint (see {@link Module.markOptionalOnLoad}). */
  optionalStateKeys(): Set<string> {
    const out = new Set<string>();
    const walk = (m: Module, p: string): void => {
      for (const name of m.#optionalOnLoad) out.add(p + name);
      for (const [name, c] of m.#modules) walk(c, `${p}${name}.`);
    };
    walk(this, '');
    return out;
  }

  /**
   * Copies a checkpoint into this module's tensors (in place, so properties stay valid). Float
   * checkpoints of another precision (float16, bfloat16, float64) are converted and reported;
   * shape mismatches are never loaded. With `strict` (default) any missing, unexpected or
   * mismatched key throws a `StateDictError` before anything is changed. Sources whose `get`
   * is asynchronous need {@link Module.loadStateDictAsync}.
   */
  loadStateDict(source: StateDictSource, options: LoadStateDictOptions = {}): LoadReport {
    return loadStateDictImpl(this.stateDict(), this.optionalStateKeys(), source, options);
  }

  /** {@link Module.loadStateDict} for sources that read tensors asynchronously (files, URLs). */
  loadStateDictAsync(source: StateDictSource, options: LoadStateDictOptions = {}): Promise<LoadReport> {
    return loadStateDictAsyncImpl(this.stateDict(), this.optionalStateKeys(), source, options);
  }

  /** A printable tree of children, like PyTorch's module repr. */
  toString(): string {
    const lines: string[] = [];
    const walk = (m: Module, name: string, depth: number): void => {
      const own = [...m.#params].map(([k, t]) => `${k}[${t.dims.join(',')}]`);
      lines.push(
        `${'  '.repeat(depth)}${name ? `(${name}): ` : ''}${m.constructor.name}${own.length ? ` ${own.join(' ')}` : ''}`,
      );
      for (const [n, c] of m.#modules) walk(c, n, depth + 1);
    };
    walk(this, '', 0);
    return lines.join('\n');
  }
}
