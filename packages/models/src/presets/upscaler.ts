/**
 * The UpscalerJS super-resolution models (RDN networks, MIT, Kevin Scott) as task presets. They
 * take and return RGB in 0–255.
 * @module
 */
import type { TaskPreset } from '@ocular/tasks';
import { loadLayersModelAsset } from './load.js';

/** One UpscalerJS model (data). */
interface UpscalerModel {
  readonly preset: string;
  readonly pkg: string;
  readonly path: string;
  readonly scale: number;
  /** Input pixels neighbouring tiles share (about 4× the network's receptive radius). */
  readonly overlap: number;
  readonly description: string;
}

const VERSION = '1.0.0';

const UPSCALER_MODELS: readonly UpscalerModel[] = [
  {
    preset: 'upscalerjs/default-x2',
    pkg: '@upscalerjs/default-model',
    path: 'models/model.json',
    scale: 2,
    overlap: 48,
    description: "UpscalerJS's default model: RDN (C1 D2 G4 G0 64), ×2, DIV2K",
  },
  ...[2, 3, 4].map((scale) => ({
    preset: `upscalerjs/esrgan-slim-x${scale}`,
    pkg: '@upscalerjs/esrgan-slim',
    path: `models/x${scale}/model.json`,
    scale,
    overlap: 48,
    description: `UpscalerJS ESRGAN slim: RDN, ×${scale}, DIV2K`,
  })),
  ...[2, 3, 4].map((scale) => ({
    preset: `upscalerjs/esrgan-medium-x${scale}`,
    pkg: '@upscalerjs/esrgan-medium',
    path: `models/x${scale}/model.json`,
    scale,
    overlap: 96,
    description: `UpscalerJS ESRGAN medium: RDN, ×${scale}, DIV2K`,
  })),
];

/** The UpscalerJS models as super-resolution presets (imported from TF.js LayersModels on load). */
export const UPSCALER_PRESETS: readonly TaskPreset[] = UPSCALER_MODELS.map((m) => ({
  name: m.preset,
  task: 'super-resolution',
  description: m.description,
  license: 'MIT (Kevin Scott, UpscalerJS)',
  source: `npm ${m.pkg}@${VERSION} ${m.path}`,
  // Pixels in 0–255: scale 1/255 then divide by 1/255.
  preprocess: { mean: [0, 0, 0], std: [1 / 255, 1 / 255, 1 / 255] },
  decoder: { type: 'image', range: [0, 255] },
  tile: { size: 192, overlap: m.overlap, margin: m.overlap / 4 },
  load: async () => ({ graph: await loadLayersModelAsset({ pkg: m.pkg, path: m.path }, { layout: 'nchw' }) }),
}));
