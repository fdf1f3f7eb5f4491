/**
 * Settings of the YOLO head, read from `HeadBuildOptions.config` (plain data).
 * @module
 */
import { InvalidArgumentError } from '@ocular/core';
import type { YoloDecoderOptions } from '../decoders/yolo.js';

/** Settings of {@link YoloV8Head}. Serialisable. */
export interface YoloHeadConfig {
  /** Bins of each side's distance distribution (default 16, Ultralytics' `reg_max`). */
  readonly regMax: number;
  /** Width of the box branch (default Ultralytics': `max(16, C0 / 4, 4 · regMax)`). */
  readonly boxChannels?: number;
  /** Width of the class branch (default Ultralytics': `max(C0, min(nc, 100))`). */
  readonly clsChannels?: number;
  /** Batch-norm epsilon (default 1e-3, Ultralytics'). */
  readonly bnEps: number;
  /** NMS settings of the head's decoder. */
  readonly decoder: Omit<YoloDecoderOptions, 'outputName' | 'numClasses' | 'layout'>;
}

function positiveInt(cfg: Readonly<Record<string, unknown>>, key: string): number | undefined {
  const v = cfg[key];
  if (v === undefined) return undefined;
  if (!(typeof v === 'number' && Number.isInteger(v) && v >= 1))
    throw new InvalidArgumentError(
      `YOLO head: config.${key} must be a positive integer, got ${JSON.stringify(v)}`,
    );
  return v;
}

/** Checks a head config and fills in the defaults. */
export function resolveYoloHeadConfig(cfg: Readonly<Record<string, unknown>>): YoloHeadConfig {
  const known = new Set(['regMax', 'boxChannels', 'clsChannels', 'bnEps', 'decoder']);
  for (const k of Object.keys(cfg))
    if (!known.has(k))
      throw new InvalidArgumentError(
        `YOLO head: unknown config key '${k}' (known: ${[...known].join(', ')})`,
      );
  const eps = cfg.bnEps ?? 1e-3;
  if (!(typeof eps === 'number' && eps > 0))
    throw new InvalidArgumentError(
      `YOLO head: config.bnEps must be a positive number, got ${JSON.stringify(eps)}`,
    );
  const decoder = cfg.decoder ?? {};
  if (typeof decoder !== 'object' || decoder === null || Array.isArray(decoder))
    throw new InvalidArgumentError('YOLO head: config.decoder must be an object of decoder options');
  return {
    regMax: positiveInt(cfg, 'regMax') ?? 16,
    boxChannels: positiveInt(cfg, 'boxChannels'),
    clsChannels: positiveInt(cfg, 'clsChannels'),
    bnEps: eps,
    decoder: decoder as YoloHeadConfig['decoder'],
  };
}
