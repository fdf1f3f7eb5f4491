/** Absolute path of `sub` inside the shared data folder (`$OCULAR_SHARED_DIR` or `../shared`). */
export function sharedPath(sub: string): string;
