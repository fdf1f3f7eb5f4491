/**
 * Distribution Focal Loss integral (Ultralytics' `DFL`): each box side is predicted as a
 * distribution over `0..regMax-1` grid cells; its expectation is the distance. Computed in the
 * graph as a softmax then a 1×1 convolution whose fixed weights are `0, 1, ..., regMax-1`.
 * @module
 */
import { Conv2d, F, InvalidArgumentError, Module, type SymbolicTensor } from '@ocular/core';

/** `[B, 4·regMax, A]` distribution logits → `[B, 4, A]` expected distances (grid cells). */
export class DFL extends Module<[SymbolicTensor], SymbolicTensor> {
  /** The fixed `[1, regMax, 1, 1]` weights `0..regMax-1` (state-dict key `conv.weight`, as Ultralytics). */
  readonly conv: Conv2d;
  readonly regMax: number;

  constructor(regMax = 16) {
    super();
    if (!(Number.isInteger(regMax) && regMax >= 1))
      throw new InvalidArgumentError(`DFL: regMax must be a positive integer, got ${regMax}`);
    this.regMax = regMax;
    this.conv = this.registerModule('conv', new Conv2d(regMax, 1, 1, { bias: false }));
    const w = this.conv.weight.data;
    for (let i = 0; i < regMax; i++) w[i] = i;
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    const a = x.shape[2];
    if (typeof a !== 'number') throw new InvalidArgumentError('DFL: the anchor dim must be static');
    // [B, 4, R, A] → [B, R, 4, A]: softmax over the R bins, then the weighted sum as a 1×1 conv.
    const bins = F.transpose(F.reshape(x, [-1, 4, this.regMax, a]), 1, 2);
    return F.reshape(this.conv.call(F.softmax(bins, 1)), [-1, 4, a]);
  }
}
