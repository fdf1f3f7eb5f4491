/**
 * Every op parity case, by family. Backends run them with `runOpParity`; the `ocular parity`
 * command runs them on every registered backend.
 * @module
 */
import { LAYOUT_OP_CASES } from './layout.js';
import { MATH_OP_CASES } from './math.js';
import { SPATIAL_OP_CASES } from './spatial.js';
import type { OpCase } from './types.js';

export { LAYOUT_OP_CASES } from './layout.js';
export { MATH_OP_CASES } from './math.js';
export { SPATIAL_OP_CASES } from './spatial.js';
export type { OpCase, OpCaseInput } from './types.js';

/** All op parity cases. Case names are unique. */
export const OP_CASES: readonly OpCase[] = [...MATH_OP_CASES, ...SPATIAL_OP_CASES, ...LAYOUT_OP_CASES];
