/**
 * Strict weight loading for networks assembled outside `createModel` (composed pipelines).
 * @module
 */
import type { Module, WeightsSource } from '@ocular/core';
import { openWeights, StateDictError } from '@ocular/core';

/** Loads `weights` into `module`; any missing, unexpected or mismatched key is an error that lists them. */
export async function loadWeights(module: Module, weights: WeightsSource): Promise<void> {
  const report = await module.loadStateDictAsync(await openWeights(weights), { strict: false });
  const { missing, unexpected, mismatched } = report;
  if (missing.length || unexpected.length || mismatched.length) {
    const list = (a: readonly string[]) =>
      a.length > 10 ? `${a.slice(0, 10).join(', ')}, ... (${a.length})` : a.join(', ');
    throw new StateDictError(
      `weights do not fit the composed network: ${missing.length} missing [${list(missing)}], ${unexpected.length} unexpected [${list(unexpected)}], ${mismatched.length} mismatched [${list(mismatched.map((m) => m.key))}]`,
    );
  }
}
