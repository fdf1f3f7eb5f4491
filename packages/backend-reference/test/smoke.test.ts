import { Tensor, Tracer } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import { interpret } from '../src/index.js';

describe('trace + interpret', () => {
  it('runs a traced Relu', () => {
    const t = new Tracer('relu');
    t.run(() => {
      const x = t.input('x', 'float32', ['batch', 3]);
      const [y] = t.emit('Relu', [x]);
      t.output('y', y!);
    });
    const out = interpret(t.graph, { x: Tensor.from('float32', [-1, 2, -3, 4, 0, -0.5], [2, 3]) });
    expect(Array.from(out.y!.data as Float32Array)).toEqual([0, 2, 0, 4, 0, 0]);
    expect(out.y!.dims).toEqual([2, 3]);
  });
});
