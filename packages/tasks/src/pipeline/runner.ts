/**
 * Compiled sessions behind a pipeline: a module traced and compiled per input size (cached, as
 * DESIGN.md's "re-trace per input shape"), or one foreign graph compiled once.
 * @module
 */
import type { Backend, Graph, Module, Session, SymbolicTensor, Tensor } from '@ocular/core';
import { InvalidArgumentError, ShapeError, traceModule } from '@ocular/core';

/** Runs a model on an NCHW float32 input of any size it accepts. */
export interface ModelRunner {
  /** Input size the model requires (`undefined`: any size). */
  readonly fixedSize?: readonly [number, number];
  /** Graph outputs, by name. */
  run(input: Tensor, signal?: AbortSignal): Promise<Record<string, Tensor>>;
  /** Milliseconds spent compiling sessions so far (pipelines report the part each run added). */
  readonly compileMs: number;
  dispose(): Promise<void>;
}

/** How many traced sizes a {@link ModuleRunner} keeps compiled at once. */
const MAX_CACHED_SESSIONS = 4;

/** A module traced at each new input size and compiled on one backend; least recent evicted. */
export class ModuleRunner implements ModelRunner {
  readonly fixedSize?: readonly [number, number];
  readonly #sessions = new Map<string, Promise<Session>>();
  #disposed = false;
  compileMs = 0;

  constructor(
    readonly module: Module<[SymbolicTensor], Record<string, SymbolicTensor>>,
    readonly backend: Backend,
    readonly name: string,
    fixedSize?: readonly [number, number],
  ) {
    this.fixedSize = fixedSize;
  }

  /** The graph of the model at `[height, width]` (batch 1). */
  trace(height: number, width: number): Graph {
    return traceModule(this.module, [{ name: 'input', dtype: 'float32', shape: [1, 3, height, width] }], {
      name: this.name,
    });
  }

  async #session(height: number, width: number): Promise<Session> {
    const key = `${height}x${width}`;
    let s = this.#sessions.get(key);
    if (s) {
      // Refresh recency.
      this.#sessions.delete(key);
      this.#sessions.set(key, s);
      return s;
    }
    s = Promise.resolve().then(async () => {
      const t0 = performance.now();
      try {
        return await this.backend.compile(this.trace(height, width));
      } finally {
        this.compileMs += performance.now() - t0;
      }
    });
    this.#sessions.set(key, s);
    s.catch(() => this.#sessions.delete(key));
    while (this.#sessions.size > MAX_CACHED_SESSIONS) {
      const [oldKey, old] = this.#sessions.entries().next().value as [string, Promise<Session>];
      this.#sessions.delete(oldKey);
      void old.then((o) => o.dispose()).catch(() => undefined);
    }
    return s;
  }

  async run(input: Tensor, signal?: AbortSignal): Promise<Record<string, Tensor>> {
    if (this.#disposed) throw new InvalidArgumentError(`${this.name}: the pipeline was disposed`);
    const [, , h, w] = input.dims as [number, number, number, number];
    const session = await this.#session(h, w);
    return session.run({ input }, { signal });
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    const all = [...this.#sessions.values()];
    this.#sessions.clear();
    await Promise.all(all.map((s) => s.then((x) => x.dispose()).catch(() => undefined)));
  }
}

/** A foreign graph (ONNX) compiled once; its one image input takes the tensor. */
export class GraphRunner implements ModelRunner {
  readonly fixedSize?: readonly [number, number];
  readonly inputName: string;
  /** Compiled once, before the first run: runs add nothing. */
  readonly compileMs = 0;

  private constructor(
    readonly graph: Graph,
    readonly session: Session,
  ) {
    const input = graph.inputs[0]!;
    this.inputName = input.name;
    const [, , h, w] = input.shape;
    this.fixedSize = typeof h === 'number' && typeof w === 'number' ? [h, w] : undefined;
  }

  /** Compiles `graph` on `backend`; the graph must have exactly one NCHW image input. */
  static async create(graph: Graph, backend: Backend): Promise<GraphRunner> {
    if (graph.inputs.length !== 1)
      throw new ShapeError(
        `the model has ${graph.inputs.length} inputs (${graph.inputs.map((i) => i.name).join(', ')}); an image pipeline needs exactly one`,
      );
    const input = graph.inputs[0]!;
    if (input.shape.length !== 4 || (typeof input.shape[1] === 'number' && input.shape[1] !== 3))
      throw new ShapeError(
        `the model input '${input.name}' has shape [${input.shape.join(', ')}]; an image pipeline needs [N, 3, H, W]`,
      );
    if (input.dtype !== 'float32')
      throw new ShapeError(
        `the model input '${input.name}' is ${input.dtype}; an image pipeline feeds float32`,
      );
    return new GraphRunner(graph, await backend.compile(graph));
  }

  async run(input: Tensor, signal?: AbortSignal): Promise<Record<string, Tensor>> {
    return this.session.run({ [this.inputName]: input }, { signal });
  }

  async dispose(): Promise<void> {
    await this.session.dispose();
  }
}
