/**
 * Backbone + optional neck + head as one module, so the whole network traces into one graph and
 * runs in one session. State-dict keys are `backbone.*`, `neck.*` and `head.*`.
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import type { SymbolicTensor } from '../ir/trace.js';
import { Module } from '../nn/module.js';
import type { Tensor } from '../tensor.js';
import type { DecodeContext, Neck, TaskHead, TaskModule } from './head.js';
import type { TaskName } from './types.js';

/** A backbone that returns a list of feature maps (a `FeatureListNet`, a features-only model). */
export type FeatureBackbone = Module<[SymbolicTensor], SymbolicTensor[]>;

/** A {@link TaskModule} composed of a features-only backbone, an optional neck and a head. */
export class ComposedTaskModel<R = unknown>
  extends Module<[SymbolicTensor], Record<string, SymbolicTensor>>
  implements TaskModule<R>
{
  readonly backbone: FeatureBackbone;
  readonly neck?: Neck;
  readonly head: TaskHead<R>;

  constructor(parts: { backbone: FeatureBackbone; neck?: Neck; head: TaskHead<R> }) {
    super();
    if (!parts.backbone || !parts.head)
      throw new InvalidArgumentError('a task model needs a backbone and a head');
    this.backbone = this.registerModule('backbone', parts.backbone);
    if (parts.neck) this.neck = this.registerModule('neck', parts.neck);
    this.head = this.registerModule('head', parts.head);
  }

  get task(): TaskName {
    return this.head.task;
  }

  get outputNames(): readonly string[] {
    return this.head.outputNames;
  }

  forward(x: SymbolicTensor): Record<string, SymbolicTensor> {
    let features = this.backbone.call(x);
    if (this.neck) features = this.neck.call(features);
    return this.head.call(features, x);
  }

  decode(raw: Readonly<Record<string, Tensor>>, context: DecodeContext): R {
    return this.head.decode(raw, context);
  }
}
