import { describe, expect, it } from 'vitest';
import {
  AttributeError,
  emit,
  GraphError,
  ShapeError,
  Tensor,
  Tracer,
  UnknownOpError,
} from '../src/index.js';
import { referenceInterpret } from './nn-reference.js';

describe('Tracer', () => {
  it('records nodes with module scope and inferred types', () => {
    const t = new Tracer('g');
    t.run(() => {
      const x = t.input('x', 'float32', ['batch', 4]);
      const y = t.withScope('stages', () => t.withScope('0', () => t.emit('Relu', [x])[0]!));
      t.output('out', y);
    });
    expect(t.graph.nodes).toHaveLength(1);
    expect(t.graph.nodes[0]!.scope).toBe('stages.0');
    expect(t.graph.outputs).toEqual([{ name: 'out', dtype: 'float32', shape: ['batch', 4] }]);
    expect(t.graph.nodes[0]!.outputs).toEqual(['out']);
  });

  it('names the module path and op in shape errors', () => {
    const t = new Tracer();
    t.run(() => {
      const x = t.input('x', 'float32', [2]);
      const y = t.input('y', 'float32', [3]);
      let err: unknown;
      try {
        t.withScope('head', () => t.emit('Add', [x, y]));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(Error);
      expect(err).toBeInstanceOf(ShapeError);
      expect((err as Error).message).toMatch(/^head \(Add\): cannot broadcast/);
    });
  });

  it('rejects unknown ops and attributes', () => {
    const t = new Tracer();
    t.run(() => {
      const x = t.input('x', 'float32', [2]);
      expect(() => t.emit('NoSuchOp', [x])).toThrow(UnknownOpError);
      expect(() => t.emit('Relu', [x], { alpha: 1 })).toThrow(AttributeError);
      expect(() => t.emit('Relu', [x, x])).toThrow(GraphError);
    });
  });

  it('turns host tensors into named initializers', () => {
    const t = new Tracer();
    const w = Tensor.from('float32', [1, -1], [2]);
    t.nameTensor(w, 'layer.weight');
    t.run(() => {
      const [y] = t.emit('Relu', [w]);
      t.output('y', y!);
    });
    expect([...t.graph.initializers.keys()]).toEqual(['layer.weight']);
    expect(t.graph.nodes[0]!.inputs).toEqual(['layer.weight']);
  });

  it('refuses symbolic ops outside tracing and nested traces', () => {
    expect(() => emit('Relu', [undefined])).toThrow(GraphError);
    const a = new Tracer();
    a.run(() => expect(() => new Tracer().run(() => 0)).toThrow(GraphError));
  });

  it('throws ShapeError subclasses as OcularErrors with details', () => {
    const t = new Tracer();
    t.run(() => {
      const x = t.input('x', 'bool', [1]);
      try {
        t.emit('Relu', [x]);
        expect.unreachable();
      } catch (e) {
        expect((e as ShapeError).code).toBe('E_DTYPE');
        expect((e as ShapeError).details).toMatchObject({ opType: 'Relu' });
      }
    });
  });
});

describe('Tracer outputs', () => {
  it('declares one value under two output names', async () => {
    const interpret = await referenceInterpret();
    const t = new Tracer('twice');
    t.run(() => {
      const x = t.input('x', 'float32', [2]);
      const [y] = t.emit('Relu', [x]);
      t.output('a', y!);
      t.output('b', y!);
    });
    expect(t.graph.outputs.map((o) => o.name)).toEqual(['a', 'b']);
    const out = interpret(t.graph, { x: Tensor.from('float32', [-1, 2]) });
    expect(out.a!.toNumbers()).toEqual([0, 2]);
    expect(out.b!.toNumbers()).toEqual([0, 2]);
  });

  it('lets a value be used after it was declared an output', async () => {
    const interpret = await referenceInterpret();
    const t = new Tracer('reuse');
    t.run(() => {
      const x = t.input('x', 'float32', [2]);
      const [y] = t.emit('Relu', [x]);
      t.output('features', y!);
      t.output('logits', t.emit('Neg', [y])[0]!);
    });
    const out = interpret(t.graph, { x: Tensor.from('float32', [-1, 2]) });
    expect(out.features!.toNumbers()).toEqual([0, 2]);
    expect(out.logits!.toNumbers()).toEqual([-0, -2]);
  });
});
