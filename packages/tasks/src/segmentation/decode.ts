/**
 * The decoder every segmentation network here shares: its `logits` output through
 * {@link toSegmentation}.
 * @module
 */
import { type DecodeContext, DecodeError, type Segmentation, type Tensor } from '@ocular/core';
import { toSegmentation } from '../postprocess/index.js';

/** Name of the graph output holding `[1, C, H, W]` class scores at input resolution. */
export const SEGMENTATION_OUTPUT = 'logits';

/**
 * Decodes the `logits` output into a {@link Segmentation} of the source image; `labels` fill in
 * when the context has none.
 */
export function decodeSegmentationLogits(
  raw: Readonly<Record<string, Tensor>>,
  context: DecodeContext,
  labels?: readonly string[],
): Segmentation {
  const logits = raw[SEGMENTATION_OUTPUT];
  if (!logits) {
    throw new DecodeError(
      `segmentation: missing output '${SEGMENTATION_OUTPUT}' (got ${Object.keys(raw).join(', ') || 'none'})`,
    );
  }
  const ctx = context.labels || !labels ? context : { ...context, labels };
  return toSegmentation(logits, ctx);
}
