/**
 * Activation op schemas (elementwise, float in and out).
 * @module
 */
import type { OpSchema } from '../ir/schema.js';
import { FLOAT_TYPES, input, requireDType } from './util.js';

/** Schema of a float → float unary op with the given attributes. */
function unaryFloat(opType: string, since: number, attrs: OpSchema['attrs'] = {}, doc?: string): OpSchema {
  return {
    opType,
    since,
    category: 'activation',
    minInputs: 1,
    maxInputs: 1,
    attrs,
    doc,
    infer(ctx) {
      const x = input(ctx, 0);
      requireDType(x.dtype, FLOAT_TYPES, `${opType} input`);
      return [{ dtype: x.dtype, shape: x.shape }];
    },
  };
}

/** Activation ops. */
export const ACTIVATION_OPS: readonly OpSchema[] = [
  unaryFloat('Relu', 14, {}, 'max(x, 0)'),
];
