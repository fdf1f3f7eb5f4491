import type { DType } from '../../dtype.js';
import type { Attributes } from '../../ir/graph.js';
/** One input of an op parity case: random data (seeded) or explicit values. */
export interface OpCaseInput {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly values?: readonly number[];
  readonly range?: readonly [number, number];
  readonly constant?: boolean;
}
/** A one-node graph to run on a backend and on the reference backend. */
export interface OpCase {
  readonly name: string;
  readonly op: string;
  readonly inputs: readonly (OpCaseInput | null)[];
  readonly attrs?: Attributes;
  readonly numOutputs?: number;
  readonly tolerance?: { readonly rtol: number; readonly atol: number };
}
