/**
 * The version of `@ocular/core` that plugins' `coreRange` is checked against. It is read from
 * the package manifest at build time, so a release bump cannot leave it stale.
 * @module
 */
import { version } from '../../package.json';

/** `@ocular/core`'s version. */
export const CORE_VERSION: string = version;
