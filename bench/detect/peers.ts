import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** bench/ at the repository root, whether run from bench/detect (tsx) or dist/bench/detect (node). */
export const BENCH_DIR = resolve(__dirname, '..', '..', ...(__dirname.includes(`${join('dist', 'bench')}`) ? ['..', 'bench'] : ['bench']));
const VENV = join(BENCH_DIR, '.venv');
const PY = join(VENV, 'bin', 'python');
const RUNNER = join(BENCH_DIR, 'detect', 'ruptures_runner.py');

/** BIC-like penalty multiplier: pen = C · σ² · ln n (fixed before looking at any label). */
export const PENALTY_C = 2;
/** BinSeg (pure Python) sees series longer than this as block means (NAB only: generated series are shorter). */
export const BINSEG_MAX_POINTS = 4000;

export interface PeerResult {
  pelt: number[];
  binseg: number[];
  pelt_s: number;
  binseg_s: number;
}

/** Create bench/.venv with ruptures and numpy when missing (PyPI through pip). */
export function ensureVenv(log: (s: string) => void): boolean {
  if (existsSync(PY)) {
    try {
      execFileSync(PY, ['-c', 'import ruptures, numpy'], { stdio: 'ignore' });
      return true;
    } catch {
      // fall through and install
    }
  }
  log('creating bench/.venv with ruptures and numpy (one time)…');
  try {
    if (!existsSync(PY)) execFileSync('python3', ['-m', 'venv', VENV], { stdio: 'inherit' });
    execFileSync(join(VENV, 'bin', 'pip'), ['install', '--quiet', 'ruptures', 'numpy'], { stdio: 'inherit' });
    return true;
  } catch (e) {
    log(`could not set up ruptures: ${(e as Error).message}`);
    return false;
  }
}

/** Run ruptures PELT and BinSeg on every series (values only; indices are sample indices). */
export function runRuptures(series: { id: string; values: number[] }[]): Map<string, PeerResult> {
  const dir = mkdtempSync(join(tmpdir(), 'epicenter-ruptures-'));
  try {
    const job = join(dir, 'job.json');
    const out = join(dir, 'out.json');
    writeFileSync(job, JSON.stringify({ c: PENALTY_C, binseg_max_points: BINSEG_MAX_POINTS, series }));
    execFileSync(PY, [RUNNER, job, out], { stdio: 'inherit', timeout: 600_000 });
    const doc = JSON.parse(readFileSync(out, 'utf8')) as { results: Record<string, PeerResult> };
    return new Map(Object.entries(doc.results));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
