/**
 * The CLI's built-in demo model `demo/tiny_cnn`: a tiny CNN classifier made of the shared blocks
 * (ConvNormAct stem → max pool → ConvNormAct → SqueezeExcite → ClassifierHead) with seeded
 * random weights. It gives `ocular demo`, `models`, `inspect` and `export` a model to work on
 * before the model families are installed.
 * @module
 */
import {
  ClassifierHead,
  ConvNormAct,
  definePlugin,
  F,
  Module,
  type Plugin,
  SqueezeExcite,
  type SymbolicTensor,
} from '@ocular/core';

/** A small CNN classifier with timm-style child names (`stem`, `stage`, `se`, `head.fc`). */
export class TinyCnn extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly stem: ConvNormAct;
  readonly stage: ConvNormAct;
  readonly se: SqueezeExcite;
  readonly head: ClassifierHead;

  constructor(numClasses = 10, inChans = 3) {
    super();
    this.stem = this.registerModule('stem', new ConvNormAct(inChans, 16, { kernelSize: 3 }));
    this.stage = this.registerModule('stage', new ConvNormAct(16, 32, { kernelSize: 3, stride: 2 }));
    this.se = this.registerModule('se', new SqueezeExcite(32, { rdChannels: 8 }));
    this.head = this.registerModule('head', new ClassifierHead(32, numClasses));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    const h = F.maxPool2d(this.stem.call(x), 2);
    return this.head.call(this.se.call(this.stage.call(h)));
  }
}

/** The plugin registering `demo/tiny_cnn` (metadata only; the code is already loaded). */
export const demoPlugin: Plugin = definePlugin({
  scope: 'demo',
  name: '@ocular/cli',
  coreRange: '^0.1.0',
  models: [
    {
      name: 'tiny_cnn',
      family: 'cnn',
      defaultInputSize: [3, 32, 32],
      mean: [0.485, 0.456, 0.406],
      std: [0.229, 0.224, 0.225],
      numClasses: 10,
      license: 'MIT (random weights, for demonstration only)',
      tags: ['demo'],
      classifier: 'head.fc',
      firstConv: 'stem.conv',
      load: async () => (options) => new TinyCnn(options.numClasses, options.inChans),
    },
  ],
});
