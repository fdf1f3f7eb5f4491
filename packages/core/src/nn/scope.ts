/**
 * The link between a trace and the module tree it runs: which module path each module instance
 * has in that trace. {@link bindModule} fills it; `Module.call` reads it to set node scopes.
 * @module
 */
import type { Tracer } from '../ir/trace.js';

/** Anything with `namedModules()`; avoids an import cycle with module.ts. */
interface ModuleTree {
  namedModules(prefix?: string): Iterable<[string, object]>;
}

const paths = new WeakMap<Tracer, Map<object, string>>();

/** Records every module of `root` under its path (prefixed by `prefix`) for `tracer`. */
export function recordModulePaths(tracer: Tracer, root: ModuleTree, prefix = ''): void {
  let map = paths.get(tracer);
  if (!map) {
    map = new Map();
    paths.set(tracer, map);
  }
  // First path wins for a module registered twice, as PyTorch's named_modules() does.
  for (const [name, m] of root.namedModules(prefix)) if (!map.has(m)) map.set(m, name);
}

/** The path of `module` in `tracer`'s bound module tree, or undefined. */
export function modulePath(tracer: Tracer, module: object): string | undefined {
  return paths.get(tracer)?.get(module);
}
