/**
 * A pipeline: image in, typed result out — pre-processing, one compiled network, decoding —
 * with timings per stage, the backend it runs on and how that backend was chosen.
 * @module
 */
import type {
  BackendAttempt,
  Decoder,
  InputTransform,
  PixelImage,
  TaskName,
  TaskResult,
  TaskTimings,
  Tensor,
} from '@ocular/core';
import { AbortError, DecodeError, DisposedError } from '@ocular/core';
import { type ImageSource, loadImage } from '@ocular/image';
import { type PreprocessConfig, preprocessImage } from './preprocess.js';
import type { ModelRunner } from './runner.js';

/** Progress of long work (tiles of a super-resolution run). */
export interface PipelineProgress {
  readonly stage: 'preprocess' | 'inference' | 'decode';
  readonly done: number;
  readonly total: number;
}

/** Options of {@link Pipeline.run}. */
export interface PipelineRunOptions {
  /** Cancels the run between stages (and between tiles); the promise rejects with `AbortError`. */
  readonly signal?: AbortSignal;
  /** Called as work proceeds. */
  readonly onProgress?: (progress: PipelineProgress) => void;
}

/** What a pipeline is made of (see {@link Pipeline}). */
export interface PipelineParts<R> {
  readonly task: TaskName;
  /** Model name (registry name, file name or `composed:<backbone>+<head>`). */
  readonly model: string;
  readonly runner: ModelRunner;
  readonly decoder: Decoder<R>;
  readonly preprocess: PreprocessConfig;
  readonly labels?: readonly string[];
  readonly backend: string;
  readonly attempts: readonly BackendAttempt[];
  readonly fellBack: boolean;
  /** True when the network runs with random (untrained) weights. */
  readonly untrained: boolean;
  /**
   * Replaces the single-run inference (super-resolution tiling): gets the pre-processed tensor
   * and returns the raw outputs.
   */
  readonly infer?: (input: Tensor, options: PipelineRunOptions) => Promise<Record<string, Tensor>>;
}

function checkAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AbortError();
}

/** A ready-to-run task pipeline. Create one with `pipeline()` or `createPipeline()`. */
export class Pipeline<R = unknown> {
  readonly task: TaskName;
  readonly model: string;
  /** The backend running the network. */
  readonly backend: string;
  /** Every backend tried, in preference order, with the reason it was skipped. */
  readonly attempts: readonly BackendAttempt[];
  /** True when the first preference could not be used. */
  readonly fellBack: boolean;
  /** True when the network has random (untrained) weights: results are meaningless. */
  readonly untrained: boolean;
  readonly labels?: readonly string[];
  readonly preprocessConfig: PreprocessConfig;
  readonly #parts: PipelineParts<R>;
  #disposed = false;

  constructor(parts: PipelineParts<R>) {
    this.#parts = parts;
    this.task = parts.task;
    this.model = parts.model;
    this.backend = parts.backend;
    this.attempts = parts.attempts;
    this.fellBack = parts.fellBack;
    this.untrained = parts.untrained;
    this.labels = parts.labels;
    this.preprocessConfig = parts.preprocess;
  }

  /** The decoder of the network's outputs. */
  get decoder(): Decoder<R> {
    return this.#parts.decoder;
  }

  /** Runs the pipeline on one image (a path, bytes, `ImageData`, canvas, video frame or pixels). */
  async run(source: ImageSource, options: PipelineRunOptions = {}): Promise<TaskResult<R>> {
    if (this.#disposed) throw new DisposedError(`pipeline ${this.model}: used after dispose()`);
    const { signal } = options;
    checkAborted(signal);
    const t0 = performance.now();
    const image: PixelImage = await loadImage(source);
    checkAborted(signal);
    // A fixed-size network gets its size, except super-resolution, which tiles the whole image.
    const size =
      this.task === 'super-resolution'
        ? this.#parts.preprocess.size
        : (this.#parts.runner.fixedSize ?? this.#parts.preprocess.size);
    const { tensor, transform } = preprocessImage(image, { ...this.#parts.preprocess, size });
    const t1 = performance.now();
    checkAborted(signal);
    const compiledBefore = this.#parts.runner.compileMs;
    const raw = this.#parts.infer
      ? await this.#parts.infer(tensor, options)
      : await this.#parts.runner.run(tensor, signal);
    const t2 = performance.now();
    checkAborted(signal);
    const missing = this.#parts.decoder.outputNames.filter((n) => !(n in raw));
    if (missing.length)
      throw new DecodeError(
        `${this.model}: the decoder needs output(s) ${missing.join(', ')}, the network produced ${Object.keys(raw).join(', ')}`,
      );
    const result = this.#parts.decoder.decode(raw, { transform, labels: this.labels });
    const t3 = performance.now();
    const compileMs = this.#parts.runner.compileMs - compiledBefore;
    const timings: TaskTimings = {
      compileMs,
      preprocessMs: t1 - t0,
      inferenceMs: t2 - t1 - compileMs,
      decodeMs: t3 - t2,
      totalMs: t3 - t0,
    };
    return {
      task: this.task,
      result,
      timings,
      backend: this.backend,
      transform: transform as InputTransform,
    };
  }

  /** Frees the compiled sessions. Running afterwards throws `DisposedError`. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await this.#parts.runner.dispose();
  }
}
