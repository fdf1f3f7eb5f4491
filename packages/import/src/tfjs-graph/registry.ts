/**
 * Every TF op the GraphModel importer converts, by op name.
 * @module
 */
import type { Converter } from './context.js';
import { CONV_CONVERTERS } from './ops/conv.js';
import { ELEMENTWISE_CONVERTERS } from './ops/elementwise.js';
import { NORMALIZATION_CONVERTERS } from './ops/normalization.js';
import { POOL_CONVERTERS } from './ops/pool.js';
import { SHAPE_CONVERTERS } from './ops/shape.js';

/** Op converters; `Const` and `Placeholder` are handled by the importer itself. */
export const TFJS_GRAPH_CONVERTERS: Readonly<Record<string, Converter>> = {
  ...ELEMENTWISE_CONVERTERS,
  ...CONV_CONVERTERS,
  ...POOL_CONVERTERS,
  ...SHAPE_CONVERTERS,
  ...NORMALIZATION_CONVERTERS,
};

/** The TF op types the GraphModel importer supports (for documentation and checks). */
export function supportedTfjsGraphOps(): string[] {
  return ['Const', 'Placeholder', ...Object.keys(TFJS_GRAPH_CONVERTERS)].sort();
}
