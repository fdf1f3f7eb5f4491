/**
 * Ocular's own super-resolution weights (trained by the project, MIT; see
 * `assets/ocular-sr/README.md` for the training photos, their licences and the measured Y-PSNR) as
 * task presets: the `@ocular/tasks` network with its weights loaded strictly.
 * @module
 */
import { readSafetensors } from '@ocular/core';
import { createSrNet, type TaskPreset } from '@ocular/tasks';
import { readAsset } from '../assets.js';

/** One trained network (data): the `@ocular/tasks` configuration its weights fill. */
interface TrainedSr {
  /** Configuration name in `SR_VARIANTS` and file name in `assets/ocular-sr/`. */
  readonly config: string;
  readonly description: string;
  /** Which one `pipeline('super-resolution')` runs by default (highest wins). */
  readonly priority?: number;
}

const TRAINED: readonly TrainedSr[] = [
  { config: 'espcn_x2', description: 'ESPCN ×2 trained by Ocular on freely licensed photos' },
  { config: 'espcn_x3', description: 'ESPCN ×3 trained by Ocular on freely licensed photos' },
  { config: 'espcn_x4', description: 'ESPCN ×4 trained by Ocular on freely licensed photos' },
  { config: 'fsrcnn_x2', description: 'FSRCNN ×2 trained by Ocular on freely licensed photos' },
  { config: 'fsrcnn_x3', description: 'FSRCNN ×3 trained by Ocular on freely licensed photos' },
  { config: 'fsrcnn_x4', description: 'FSRCNN ×4 trained by Ocular on freely licensed photos' },
  {
    config: 'imdn_rtc_x2',
    description: 'IMDN-RTC ×2 trained by Ocular on freely licensed photos',
    priority: 20,
  },
  { config: 'imdn_rtc_x3', description: 'IMDN-RTC ×3 trained by Ocular on freely licensed photos' },
  { config: 'imdn_rtc_x4', description: 'IMDN-RTC ×4 trained by Ocular on freely licensed photos' },
];

/** The trained networks as presets named `ocular/<config>.trained`. */
export const OCULAR_SR_PRESETS: readonly TaskPreset[] = TRAINED.map((t) => ({
  name: `ocular/${t.config}.trained`,
  task: 'super-resolution',
  description: t.description,
  license: 'MIT (trained by the Ocular project)',
  source: `@ocular/models assets/ocular-sr/${t.config}.safetensors (tooling/training/sr)`,
  priority: t.priority,
  preprocess: { mean: [0, 0, 0], std: [1, 1, 1] },
  load: async () => {
    const net = createSrNet(t.config);
    const weights = readSafetensors(
      await readAsset({ pkg: 'ocular', path: `ocular-sr/${t.config}.safetensors` }),
    );
    net.loadStateDict(weights, { strict: true });
    return { module: net };
  },
}));
