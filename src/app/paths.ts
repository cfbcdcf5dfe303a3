import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageDir } from '../config/load';

/**
 * The epicenter package's own folder (where its package.json is): one answer from src/ (tsx),
 * dist/src/ (built) and an installed package, whatever the working directory, shared with the
 * config loader so bundled files are never looked up relative to cwd or dist/.
 */
export const packageRoot = packageDir;

/** A file shipped with the package, e.g. `bundled('examples', 'incident')`. */
export function bundled(...parts: string[]): string {
  return join(packageRoot(), ...parts);
}

/** The package's own version (not `npm_package_version`, which belongs to whatever npm script runs us). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
