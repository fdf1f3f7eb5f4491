/**
 * The task contract: a {@link Decoder} turns a network's raw outputs into typed results; a
 * {@link TaskHead} is a module that produces such outputs from backbone features and decodes
 * them; a {@link TaskModule} is a whole network (backbone + neck + head, or a torchvision-style
 * detector) traced into one graph.
 * @module
 */
import type { SymbolicTensor } from '../ir/trace.js';
import type { Module } from '../nn/module.js';
import type { FeatureInfo } from '../registry/types.js';
import type { Tensor } from '../tensor.js';
import type { InputTransform, TaskName } from './types.js';

/** Everything a decoder needs besides the raw outputs. */
export interface DecodeContext {
  /** How the input tensor was made from the source image (to map boxes and masks back). */
  readonly transform: InputTransform;
  /** Class labels by id; decoders fall back to `class <id>`. */
  readonly labels?: readonly string[];
}

/** Turns raw model outputs (keyed by graph output name) into a typed result. */
export interface Decoder<R = unknown> {
  readonly task: TaskName;
  /** Graph outputs the decoder reads, in the order the network produces them. */
  readonly outputNames: readonly string[];
  /** Decodes one image (batch index 0). Throws `DecodeError` when an output does not fit. */
  decode(raw: Readonly<Record<string, Tensor>>, context: DecodeContext): R;
}

/** A neck: maps backbone feature maps to new ones (FPN, PAN), declaring what it outputs. */
export interface Neck extends Module<[SymbolicTensor[]], SymbolicTensor[]> {
  /** The feature maps it returns, shallow to deep. */
  readonly featureInfo: readonly FeatureInfo[];
}

/**
 * A task head: a module from feature maps (and the network input, for sizes) to named raw
 * outputs, plus the decoder of those outputs.
 */
export interface TaskHead<R = unknown>
  extends Module<[SymbolicTensor[], SymbolicTensor], Record<string, SymbolicTensor>>,
    Decoder<R> {}

/** A complete task network: image tensor in, named raw outputs out, and their decoder. */
export interface TaskModule<R = unknown>
  extends Module<[SymbolicTensor], Record<string, SymbolicTensor>>,
    Decoder<R> {}

/** Options every head factory receives: the features it will be fed. */
export interface HeadBuildOptions {
  /** The feature maps the head is fed (after the neck, when there is one). */
  readonly featureInfo: readonly FeatureInfo[];
  /** Classes to predict (detection, segmentation). */
  readonly numClasses?: number;
  /** Head-specific settings, serialisable. */
  readonly config?: Readonly<Record<string, unknown>>;
}

/** Options every neck factory receives. */
export interface NeckBuildOptions {
  /** The backbone feature maps the neck is fed. */
  readonly featureInfo: readonly FeatureInfo[];
  /** Neck-specific settings, serialisable. */
  readonly config?: Readonly<Record<string, unknown>>;
}

/**
 * What a `HeadEntry.load()` of task `neck` or of a head task resolves to: a factory building the
 * module from the features it will be fed.
 */
export type HeadFactory = (options: HeadBuildOptions) => TaskHead | Promise<TaskHead>;

/** What a `HeadEntry.load()` with `task: 'neck'` resolves to. */
export type NeckFactory = (options: NeckBuildOptions) => Neck | Promise<Neck>;

/** Whether a module is a {@link TaskModule} (has `decode`, `task` and `outputNames`). */
export function isTaskModule(m: unknown): m is TaskModule {
  const t = m as Partial<TaskModule> | null;
  return !!t && typeof t.decode === 'function' && typeof t.task === 'string' && Array.isArray(t.outputNames);
}
