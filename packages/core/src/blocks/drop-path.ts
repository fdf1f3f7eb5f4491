/**
 * Stochastic depth (timm's `DropPath`). Identity at inference; present so module trees mirror
 * timm's (`drop_path1`, `drop_path2`).
 * @module
 */
import type { SymbolicTensor } from '../ir/trace.js';
import { Module } from '../nn/module.js';

/** Identity at inference; `dropProb` is kept for reference. */
export class DropPath extends Module<[SymbolicTensor], SymbolicTensor> {
  constructor(readonly dropProb = 0) {
    super();
  }
  forward(x: SymbolicTensor): SymbolicTensor {
    return x;
  }
}
