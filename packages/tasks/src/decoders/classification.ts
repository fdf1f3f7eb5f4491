/**
 * Decoder of classifier outputs: logits or probabilities `[1, C]` to the top-k classes.
 * @module
 */
import {
  type Classification,
  type DecodeContext,
  type Decoder,
  InvalidArgumentError,
  type Tensor,
} from '@ocular/core';
import { labelOf } from '../postprocess/index.js';
import {
  activateRows,
  badShape,
  checkActivation,
  checkCount,
  floats,
  requireOutput,
  type ScoreActivation,
} from './common.js';

/** Options of {@link ClassificationDecoder}. Serialisable. */
export interface ClassificationDecoderOptions {
  /** The graph output (default `output`). */
  readonly outputName?: string;
  /** `softmax` for logits (default), `sigmoid` for multi-label logits, `none` for probabilities. */
  readonly activation?: ScoreActivation;
  /** How many classes to return, best first (default 5). */
  readonly topK?: number;
  /** Classes scoring at or below this are left out (default: none). */
  readonly scoreThreshold?: number;
  /** Expected class count (default: inferred). */
  readonly numClasses?: number;
}

/** Turns `[1, C]` (or `[C]`) logits or probabilities into the top-k labelled classes. */
export class ClassificationDecoder implements Decoder<Classification[]> {
  readonly task = 'classification' as const;
  readonly outputNames: readonly string[];
  readonly options: ClassificationDecoderOptions;
  private readonly activation: ScoreActivation;

  constructor(options: ClassificationDecoderOptions = {}) {
    this.options = { ...options };
    this.activation = checkActivation('activation', options.activation ?? 'softmax');
    checkCount('topK', options.topK);
    checkCount('numClasses', options.numClasses);
    if (options.scoreThreshold !== undefined && !Number.isFinite(options.scoreThreshold))
      throw new InvalidArgumentError(`scoreThreshold must be a finite number, got ${options.scoreThreshold}`);
    this.outputNames = [options.outputName ?? 'output'];
  }

  decode(raw: Readonly<Record<string, Tensor>>, context: DecodeContext): Classification[] {
    const d = 'classification decoder';
    const name = this.outputNames[0]!;
    const cols = this.options.numClasses ?? 'C';
    const t = requireOutput(raw, name, d, `[1, ${cols}]`);
    const ok = (t.rank === 2 && t.dims[0]! > 0) || t.rank === 1;
    if (!ok) badShape(d, name, t, `[1, ${cols}]`);
    const c = t.dims.at(-1)!;
    if (c === 0 || (this.options.numClasses !== undefined && c !== this.options.numClasses))
      badShape(d, name, t, `[1, ${cols}]`);
    const p = floats(t).slice(0, c);
    activateRows(p, 1, c, this.activation);
    const order = Array.from({ length: c }, (_, i) => i).sort((a, b) => p[b]! - p[a]! || a - b);
    const threshold = this.options.scoreThreshold ?? Number.NEGATIVE_INFINITY;
    return order
      .slice(0, this.options.topK ?? 5)
      .filter((k) => p[k]! > threshold)
      .map((k) => ({ classId: k, label: labelOf(k, context.labels), score: p[k]! }));
  }
}
