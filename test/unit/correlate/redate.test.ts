import assert from 'node:assert/strict';
import { lastOnset } from '../../../src/correlate/redate';
import type { Point } from '../../../src/domain/types';

const MIN = 60_000;
const pts = (vs: number[]): Point[] => vs.map((v, i) => ({ t: i * MIN, v }));

describe('correlate: a move that went away and came back starts where it came back', () => {
  it('Nezha, Online Boutique 2022-08-23: a 4-minute burst, 4 quiet minutes, then the lasting slow-down', () => {
    // frontend → currencyservice p50: a CPU fault's burst at 13:28, back to normal, then a network delay at 13:37.
    const p = pts([0.007, 0.008, 0.007, 1.04, 1.57, 2.22, 2.43, 0.226, 0.0097, 0.0098, 0.0085, 0.0076, 0.59, 0.75, 0.75, 0.75]);
    assert.equal(lastOnset(p, 3 * MIN, 0.008, 0.75), 12 * MIN);
  });
  it('a move that never went back keeps its date, through a one- or two-sample dip', () => {
    const p = pts([10, 10, 10, 50, 50, 12, 11, 50, 50, 50, 50]);
    assert.equal(lastOnset(p, 3 * MIN, 10, 50), 3 * MIN);
  });
  it('a move down is read the same way', () => {
    const p = pts([100, 100, 20, 20, 20, 100, 100, 100, 20, 20, 20]);
    assert.equal(lastOnset(p, 2 * MIN, 100, 20), 8 * MIN);
  });
  it('a return with no move after it leaves the date alone', () => {
    assert.equal(lastOnset(pts([1, 1, 5, 5, 5, 1, 1, 1, 1]), 2 * MIN, 1, 5), 2 * MIN);
  });
});

describe('correlate: a climb before the line is the move beginning, not a return', () => {
  it('a release restarts the process and memory climbs back past its old level (a leak): the date stays', () => {
    const p = pts([1.23, 1.22, 0.83, 0.9, 0.99, 1.07, 1.17, 1.24, 1.29, 1.31, 1.33, 1.32, 1.36, 1.4, 1.42, 1.46]);
    assert.equal(lastOnset(p, 2 * MIN, 1.23, 1.46), 2 * MIN);
  });
});
