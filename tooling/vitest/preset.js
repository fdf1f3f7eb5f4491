// Shared vitest settings. Tests never time performance (that is `pnpm bench`), so a
// generous timeout only guards against hangs; the 2-core CI machine runs files in forks.
// Workspace packages resolve to their TypeScript sources, so a test never runs against a
// stale build and every package sees one copy of each class (instanceof stays true).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function workspaceAliases() {
  const aliases = [];
  for (const group of ['packages', 'apps']) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const pkgFile = join(dir, name, 'package.json');
      if (!existsSync(pkgFile)) continue;
      const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
      const sub = pkg.ocularSourceExports ?? {};
      for (const [spec, file] of Object.entries(sub)) {
        aliases.push({ find: new RegExp(`^${pkg.name}/${spec}$`), replacement: join(dir, name, file) });
      }
      const main = join(dir, name, 'src/index.ts');
      if (existsSync(main)) aliases.push({ find: new RegExp(`^${pkg.name}$`), replacement: main });
    }
  }
  return aliases;
}

/** @param {import('vitest/config').UserConfig['test']} [overrides] */
export function ocularVitest(overrides = {}) {
  return defineConfig({
    resolve: { alias: workspaceAliases() },
    test: {
      include: ['test/**/*.test.ts'],
      environment: 'node',
      pool: 'forks',
      testTimeout: 60_000,
      hookTimeout: 60_000,
      // The JSON report feeds tooling/test-summary.mjs, which prints one closing line for the repo.
      reporters: ['default', 'json'],
      outputFile: { json: '.vitest/results.json' },
      ...overrides,
    },
  });
}
