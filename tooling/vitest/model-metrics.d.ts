import type { Plugin } from '@ocular/core';
/** Declares the MACs-table tests of a family package. */
export function defineModelMetricsTests(options: {
  family: string;
  plugin: Plugin;
  table: Readonly<Record<string, number>>;
  tableFile: URL;
}): void;
