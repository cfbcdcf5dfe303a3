import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let root: string | undefined;

/**
 * The epicenter package's own folder (where its package.json is), found by walking up from this
 * file. The same answer from src/ (tsx), dist/src/ (built) and an installed package, whatever the
 * working directory: bundled files are never looked up relative to cwd or dist/.
 */
export function packageRoot(): string {
  if (root !== undefined) return root;
  for (let d = __dirname; ; d = dirname(d)) {
    const pkg = join(d, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'epicenter') return (root = d);
    if (dirname(d) === d) throw new Error(`epicenter: no package.json named "epicenter" above ${__dirname}`);
  }
}

/** A file shipped with the package, e.g. `bundled('examples', 'incident')`. */
export function bundled(...parts: string[]): string {
  return join(packageRoot(), ...parts);
}

/** The package's own version (not `npm_package_version`, which belongs to whatever npm script runs us). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
