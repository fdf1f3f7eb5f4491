/**
 * Building a network from a named configuration ({@link SR_VARIANTS}) or from a builder name and
 * options.
 * @module
 */
import { InvalidArgumentError } from '@ocular/core';
import type { SrCommonOptions, SuperResolutionNet } from './base.js';
import { SR_VARIANTS, type SrBuilderName } from './configs.js';
import { type EspcnOptions, espcn } from './espcn.js';
import { type FsrcnnOptions, fsrcnn } from './fsrcnn.js';
import { type ImdnOptions, type ImdnRtcOptions, imdn, imdnRtc } from './imdn.js';
import { type RrdbNetOptions, rrdbNet } from './rrdbnet.js';

/** The builders by name. */
export const SR_BUILDERS: Readonly<Record<SrBuilderName, (options: never) => SuperResolutionNet>> = {
  espcn: (o: EspcnOptions) => espcn(o),
  fsrcnn: (o: FsrcnnOptions) => fsrcnn(o),
  imdn: (o: ImdnOptions) => imdn(o),
  imdnRtc: (o: ImdnRtcOptions) => imdnRtc(o),
  rrdbNet: (o: RrdbNetOptions) => rrdbNet(o),
};

/** Builds a network with a builder by name (options as that builder takes them). */
export function buildSrNet(
  builder: SrBuilderName,
  options: Readonly<Record<string, unknown>>,
): SuperResolutionNet {
  const make = SR_BUILDERS[builder] as ((o: unknown) => SuperResolutionNet) | undefined;
  if (!make)
    throw new InvalidArgumentError(
      `unknown super-resolution builder '${builder}' (known: ${Object.keys(SR_BUILDERS).join(', ')})`,
    );
  return make(options);
}

/** Builds the named configuration of {@link SR_VARIANTS} (randomly initialised), with extra common options. */
export function createSrNet(name: string, options: SrCommonOptions = {}): SuperResolutionNet {
  const cfg = SR_VARIANTS[name];
  if (!cfg)
    throw new InvalidArgumentError(
      `unknown super-resolution model '${name}' (known: ${Object.keys(SR_VARIANTS).join(', ')})`,
    );
  return buildSrNet(cfg.builder, { ...cfg.options, ...options });
}
