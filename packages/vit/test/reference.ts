/**
 * Test helper: the timm reference layouts and goldens (shared readers in the vitest preset package).
 */
export * from '@ocular/vitest-config/reference-data';
