import type { UserConfig } from 'vitest/config';
/** The shared vitest configuration, with `test` overrides. */
export function ocularVitest(overrides?: UserConfig['test']): UserConfig;
