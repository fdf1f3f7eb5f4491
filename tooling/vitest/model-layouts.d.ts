import type { Plugin } from '@ocular/core';
/** Declares the layout-coverage tests of a family package. */
export function defineLayoutCoverageTests(options: {
  family: string;
  plugin: Plugin;
  /** timm module names (`resnet`, `vision_transformer`, ...) whose layouts belong to the family. */
  timmModules: readonly string[];
  /** Layouts of those modules that belong elsewhere. */
  exclude?: (model: string) => boolean;
  /** A floor on how many layouts were found (guards against an empty selection). */
  minLayouts: number;
}): void;
