/**
 * Containers whose children are named like PyTorch's: `ModuleList` and `Sequential` use `'0'`,
 * `'1'`, ...; `ModuleDict` and named `Sequential`s use the given names.
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import type { SymbolicTensor } from '../ir/trace.js';
import { Module } from './module.js';

/** Passes its input through (`nn.Identity`). Used where timm puts an `nn.Identity()` placeholder. */
export class Identity extends Module<[SymbolicTensor], SymbolicTensor> {
  forward(x: SymbolicTensor): SymbolicTensor {
    return x;
  }
}

/** A list of modules named `'0'`, `'1'`, ... It has no forward of its own. */
export class ModuleList<M extends Module = Module> extends Module<never[], never> {
  #items: M[] = [];

  /**
   * Replacing a registered child (e.g. by `reparameterizeModel`) also replaces it in the run
   * order, so `forward` uses the new module.
   */
  override registerModule<T extends Module>(name: string, module: T): T {
    const old = this.child(name);
    super.registerModule(name, module);
    if (old) {
      const i = this.#items.indexOf(old as M);
      if (i >= 0) this.#items[i] = module as unknown as M;
    }
    return module;
  }

  constructor(modules: Iterable<M> = []) {
    super();
    for (const m of modules) this.append(m);
  }

  /** Appends a module named by its index; returns it. */
  append<T extends M>(module: T): T {
    this.registerModule(String(this.#items.length), module);
    this.#items.push(module);
    return module;
  }

  /** The module at `index` (negative counts from the end); throws when out of range. */
  get(index: number): M {
    const i = index < 0 ? index + this.#items.length : index;
    const m = this.#items[i];
    if (!m)
      throw new InvalidArgumentError(
        `index ${index} is out of range for a ModuleList of ${this.#items.length}`,
      );
    return m;
  }

  /** Number of modules. */
  get length(): number {
    return this.#items.length;
  }

  [Symbol.iterator](): IterableIterator<M> {
    return this.#items[Symbol.iterator]();
  }

  /** The modules as an array (a copy). */
  toArray(): M[] {
    return [...this.#items];
  }

  forward(): never {
    throw new InvalidArgumentError('ModuleList is a container: call its items, not the list');
  }
}

/**
 * Runs its children in order, each on the previous one's output. Children are named `'0'`,
 * `'1'`, ... or, with {@link Sequential.fromEntries}, by the given names (PyTorch's
 * `nn.Sequential(OrderedDict(...))`).
 */
export class Sequential extends Module<[SymbolicTensor], SymbolicTensor> {
  #items: Module[] = [];

  /**
   * Replacing a registered child (e.g. by `reparameterizeModel`) also replaces it in the run
   * order, so `forward` uses the new module.
   */
  override registerModule<T extends Module>(name: string, module: T): T {
    const old = this.child(name);
    super.registerModule(name, module);
    if (old) {
      const i = this.#items.indexOf(old);
      if (i >= 0) this.#items[i] = module;
    }
    return module;
  }

  constructor(modules: Iterable<Module> = []) {
    super();
    for (const m of modules) this.append(m);
  }

  /** A Sequential with explicitly named children. */
  static fromEntries(entries: Iterable<readonly [string, Module]>): Sequential {
    const s = new Sequential();
    for (const [name, m] of entries) s.appendNamed(name, m);
    return s;
  }

  /** Appends a module named by its index; returns it. */
  append<T extends Module>(module: T): T {
    return this.appendNamed(String(this.#items.length), module);
  }

  /** Appends a module under `name`; returns it. */
  appendNamed<T extends Module>(name: string, module: T): T {
    if (this.child(name)) throw new InvalidArgumentError(`Sequential already has a child named '${name}'`);
    this.registerModule(name, module);
    this.#items.push(module);
    return module;
  }

  /** The module at `index` (negative counts from the end). */
  get(index: number): Module {
    const i = index < 0 ? index + this.#items.length : index;
    const m = this.#items[i];
    if (!m)
      throw new InvalidArgumentError(
        `index ${index} is out of range for a Sequential of ${this.#items.length}`,
      );
    return m;
  }

  /** Number of modules. */
  get length(): number {
    return this.#items.length;
  }

  [Symbol.iterator](): IterableIterator<Module> {
    return this.#items[Symbol.iterator]();
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    let y = x;
    for (const m of this.#items) y = (m as Module<[SymbolicTensor], SymbolicTensor>).call(y);
    return y;
  }
}

/** Modules by name, in insertion order (`nn.ModuleDict`). It has no forward of its own. */
export class ModuleDict<M extends Module = Module> extends Module<never[], never> {
  #items = new Map<string, M>();

  /** Replacing a registered child also replaces it in the dictionary (see {@link Sequential}). */
  override registerModule<T extends Module>(name: string, module: T): T {
    const had = this.child(name) !== undefined;
    super.registerModule(name, module);
    if (had && this.#items.has(name)) this.#items.set(name, module as unknown as M);
    return module;
  }

  constructor(modules: Iterable<readonly [string, M]> | Readonly<Record<string, M>> = []) {
    super();
    const entries = Symbol.iterator in modules ? modules : Object.entries(modules);
    for (const [name, m] of entries as Iterable<readonly [string, M]>) this.set(name, m);
  }

  /** Adds or replaces the module under `name`; returns it. */
  set<T extends M>(name: string, module: T): T {
    this.registerModule(name, module);
    this.#items.set(name, module);
    return module;
  }

  /** The module under `name`; throws when absent. */
  get(name: string): M {
    const m = this.#items.get(name);
    if (!m)
      throw new InvalidArgumentError(
        `ModuleDict has no '${name}' (has ${[...this.#items.keys()].join(', ')})`,
      );
    return m;
  }

  /** True when `name` is present. */
  has(name: string): boolean {
    return this.#items.has(name);
  }

  /** Names in insertion order. */
  keys(): IterableIterator<string> {
    return this.#items.keys();
  }

  /** `[name, module]` pairs in insertion order. */
  entries(): IterableIterator<[string, M]> {
    return this.#items.entries();
  }

  /** Number of modules. */
  get size(): number {
    return this.#items.size;
  }

  forward(): never {
    throw new InvalidArgumentError('ModuleDict is a container: call its items, not the dict');
  }
}
