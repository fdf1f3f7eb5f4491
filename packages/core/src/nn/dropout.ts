/**
 * Dropout. Ocular modules run in inference mode only, where dropout is the identity; the layer
 * exists so module trees (and node scopes) mirror PyTorch's.
 * @module
 */
import type { SymbolicTensor } from '../ir/trace.js';
import { Module } from './module.js';

/** `nn.Dropout`: identity at inference; `p` is kept for reference. */
export class Dropout extends Module<[SymbolicTensor], SymbolicTensor> {
  constructor(readonly p = 0.5) {
    super();
  }
  forward(x: SymbolicTensor): SymbolicTensor {
    return x;
  }
}
