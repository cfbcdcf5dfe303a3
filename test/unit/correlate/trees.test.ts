import assert from 'node:assert/strict';
import { FEATURES, MODEL, modelLogit, type CandidateEvidence, type FeatureName } from '../../../src/correlate';
import { treeValue, type Tree } from '../../../src/correlate/trees';

const x = (set: Partial<Record<FeatureName, number>>): Record<FeatureName, number> =>
  Object.fromEntries(FEATURES.map((f) => [f, set[f] ?? 0])) as Record<FeatureName, number>;

describe('scorer: boosted trees', () => {
  // "the victim's connections below grew" means slowness only when its traffic did not.
  const tree: Tree = { f: 'upOutbound', t: 0.5, l: { v: 0 }, r: { f: 'upTraffic', t: 0.5, l: { v: -2 }, r: { v: 0.5 } } };

  it('follows splits on the evidence to a leaf', () => {
    assert.equal(treeValue(tree, x({})), 0);
    assert.equal(treeValue(tree, x({ upOutbound: 1 })), -2);
    assert.equal(treeValue(tree, x({ upOutbound: 1, upTraffic: 1 })), 0.5);
  });

  it('adds the trees to the linear logit', () => {
    const model = { ...MODEL, weights: Object.fromEntries(FEATURES.map((f) => [f, f === 'onset' ? 1 : 0])) as Record<FeatureName, number>, trees: [tree, tree] };
    const e = { x: x({ onset: 0.5, upOutbound: 1 }) } as unknown as CandidateEvidence;
    assert.equal(modelLogit(e, model), 0.5 - 4);
  });

  it('the shipped model has trees over known features', () => {
    const walk = (t: Tree): boolean => 'v' in t || (FEATURES.includes(t.f) && walk(t.l) && walk(t.r));
    assert.ok(MODEL.trees.length > 0);
    assert.ok(MODEL.trees.every(walk));
  });
});
