import type { ChangeEvent } from '../../domain/types';
import { ACUTE_DEFAULTS } from '../../detect/acute';
import type { Context } from '../context';
import { acuteEvidence, acuteView, acuteWindow, type AcuteEvidence, type ServiceTrouble } from './acute';
import { NONE, type Scored } from './common';
import { edgeElsewhere } from './edges';
import { entry, fanIn, victimSide, type FanIn, type VictimSide } from './fanin';
import { changesBetween, delayedAlignment, onsetAlignment, recency, troubleBefore } from './onset';
import { downThrough, mixedPath, passThrough } from './flow';
import { pathEvidence, type PathEvidence } from './path';
import { rollbackEvidence, type RollbackEvidence } from './rollback';
import { instanceOrder, versionDifferential, type VersionEvidence } from './version';
import { troubleFirst } from './lasting';
import { loadFromAbove, lullView, pushedLoad, surgeView, type Pushed, type Surge } from './surge';
import { quietView, stoppedCalling, type Stopped } from './lull';
import { oldPodsWorse, type OldPods } from './oldpods';
import { pagedLater, type PagedLater } from './paged';
import { comparisonTimeliness } from './timely';
import { burstAtCallee, pushTargets, saidEarlier, saidOnto, statedPush, type CalleeBurst, type SaidOnto } from './callee';
import { pushedConnections } from './little';
import { HEALTH } from '../golden';
import { belowOf, reachable } from './sides';

/** Names of the model's inputs, in the order of the coefficient vector (see ../model.ts). */
export const FEATURES = [
  'onset', // victim trouble starting soon after the change
  'delayed', // … or hours after it
  'before', // share of the victim's trouble that predates the change
  'recency', // closeness of the change to the onset
  'afterOnset', // the change came after the victim's trouble had begun
  'linkBefore', // a link on the path had already moved before the change
  'between', // 1 / (1 + other changes between this one and the onset)
  'self', // the changed service's own series moved right after
  'near', // the first link from the changed service towards the victim moved
  'victimHop', // the link into the victim moved (edge attribution)
  'chain', // weakest link along the path
  'interior', // weakest intermediate service along the path
  'interiorChange', // a service in between changed too, near the onset
  'isVictim', // the change is to the victim itself
  'dist1',
  'dist2',
  'dist3plus',
  'unlinked', // no path and no series linking it to the victim
  'elsewhere', // a link into the victim off this change's path moved: another explanation
  'fanInUp', // share of the victim's callers whose links grew together, when this change reaches the victim through a caller
  'fanInDown', // … when it reaches the victim through a dependency
  'soleCaller', // the change's caller is the only one of several whose links to the victim grew
  'upOutbound', // reaches the victim through a caller, yet the victim's own connections to a dependency grew
  'upTraffic', // reaches the victim through a caller, and the victim's request rate grew
  'rollback', // +1 reverted after rollback, −1 did not
  'version', // +1 only new-version instances broke, −1 old ones too
  'isRollback', // the change is itself a rollback
  'linkedOnset', // onset × link evidence: aligned AND connected
  'ownOnset', // onset × isVictim
  'passThrough', // the changed service's own request rate rose around the onset: the trouble came through it from upstream
  'ownTraffic', // the change is to the victim, yet the victim's request rate rose around the onset
  'mixedPath', // the path changes call direction (shared dependency or shared caller)
  'ownElsewhere', // the change is to the victim, yet a link into it explains the trouble
  'downThrough', // reaches the victim through a dependency, and its own calls further down grew: slowness from below it
  'fanOutDown', // reaches the victim through a dependency, yet the victim's connections to most dependencies grew
  'instanceOrder', // a rolling deploy: +1 each moving instance moved after its own switch, −1 before it
  'slowBelow', // reaches the victim through a caller, yet the victim holds more connections to a dependency without more traffic: slowness from below
  'slowPath', // reaches the victim through the very dependency the victim now holds more connections to, without more traffic
] as const;
export type FeatureName = (typeof FEATURES)[number];

/**
 * Acute evidence (bursts of golden signals right after a change, src/detect/acute.ts), scored
 * beside the model above with weights fitted on REAL incidents (../acute-model.ts). `quiet` is
 * 1 − the strongest movement seen after any candidate: the same for every candidate of one
 * analysis, so its (negative) weight lowers every score when nothing moved at all.
 */
export const ACUTE_FEATURES = ['acuteSelf', 'acuteCallers', 'quiet'] as const;
export type AcuteName = (typeof ACUTE_FEATURES)[number];

/** Every piece of evidence about one candidate: the numeric vector and what is needed to explain it. */
export interface CandidateEvidence {
  readonly change: ChangeEvent;
  readonly x: Readonly<Record<FeatureName, number>>;
  readonly onset: Scored;
  readonly delayed: Scored;
  readonly before: Scored;
  readonly path: PathEvidence;
  readonly elsewhere: Scored;
  readonly rollback: RollbackEvidence;
  readonly version: VersionEvidence;
  readonly fan: FanIn;
  readonly passThrough: Scored;
  readonly downThrough: Scored;
  readonly acute: AcuteEvidence;
  /** A lasting move below the changed service that came before its own trouble (see `troubleFirst`). */
  readonly first: Scored;
  /** The acute vector; `quiet` is filled in once all candidates are known (see `withQuiet`). */
  readonly a: Readonly<Record<AcuteName, number>>;
  /** How much the simulator-fitted model is heard in this analysis, in [0,1] (see `withQuiet`). */
  readonly gate: number;
  /** Load pushed down from the changed service to the service asked about (see `pushedLoad`). */
  readonly pushed: Pushed;
  /** The changed service's trouble came with load from above (see `loadFromAbove`). */
  readonly fromAbove: number;
  /** For a change above the asked-about service: its trouble began below it, with no load sent down (see `troubleUp`). */
  readonly travelledUp: TravelledUp;
  /** Instances still on another version got as much worse after this release (see `oldPodsWorse`). */
  readonly oldPods: OldPods;
  /** For a change of the asked-about service's caller: it, or one on the way to it, burst right after (see `burstAtCallee`). */
  readonly callee: CalleeBurst;
  /** For the asked-about service's own change: what paged began after a later change (see `pagedLater`). */
  readonly later: PagedLater;
  /** The changed service stopped calling its dependencies right after (see `stoppedCalling`). */
  readonly stopped: Stopped;
  /** A caller pushed connections onto the changed service before it slowed (see `pushedConnections`). */
  readonly onto: Scored;
  /** Another change says it pushes onto the changed service, which burst right after it (see `saidOnto`). */
  readonly said: SaidOnto;
  /** An earlier change of the same service said it would push where it pushed after this one (see `saidEarlier`). */
  readonly earlier: SaidOnto;
  /** The changed service pushed connections onto one it calls, which slowed afterwards. */
  readonly pushes: Scored;
  /** For the paged service's own change: a service it calls failed or slowed as early (see `troubleFirst`). */
  readonly passedOn: Scored;
}

export function candidateEvidence(ctx: Context, c: ChangeEvent, fan: FanIn = fanIn(ctx), vs: VictimSide = victimSide(ctx), view: (t: number) => ReadonlyMap<string, ServiceTrouble> = acuteView(ctx), surges: (t: number) => ReadonlyMap<string, Surge> = surgeView(ctx), lulls: (t: number) => ReadonlyMap<string, Surge> = lullView(ctx)): CandidateEvidence {
  const quietBelow = quietView(ctx, c.time, lulls(c.time));
  const acute = acuteEvidence(ctx, c, view, quietBelow);
  const onset = onsetAlignment(ctx, c);
  const delayed = delayedAlignment(ctx, c);
  const before = troubleBefore(ctx, c);
  const pathRaw = pathEvidence(ctx, c);
  const elsewhere = edgeElsewhere(ctx, c, pathRaw, fan);
  const rollback = rollbackEvidence(ctx, c);
  const version = versionDifferential(ctx, c);
  // What the old pods went through too is not the new version's doing: the changed service's own
  // worsening after the change (for the victim's change, its trouble), and what it passed on up
  // the path, count only for the rest.
  const oldPods = oldPodsWorse(ctx, c);
  const notOld = 1 - oldPods.value;
  // The paged service's own release weighs as its own only as far as its old pods do not clear it.
  const own = pathRaw.dist === 0 ? 1 : 0;
  // … nor as far as what paged began right after a later change (see `pagedLater`).
  const later = pagedLater(ctx, c, view);
  // Connections a caller pushed onto the changed service before it slowed: its trouble is that
  // load, not this change (the founding story's trap: the paged team's own release). Pushed
  // before the change too: the change landed on a service already being filled.
  // Not before the data leaves a burst its baseline: with half an hour of history, a look-back
  // to before the data began found no push at all.
  const ontoSince = Math.max(c.time - ONTO_BEFORE_MS, Math.min(c.time, ctx.start + (ACUTE_DEFAULTS.minBaseline + 1) * ctx.stepMs));
  const onto = pushedConnections(ctx, ontoSince, { onto: c.service }, { ...acuteWindow(ctx, ontoSince), to: ctx.at + 1 });
  // … or another change says it pushes onto it, right before its burst (see `saidOnto`).
  const said = saidOnto(ctx, c, view, surges, (t) => quietView(ctx, t, lulls(t)));
  // Connections the changed service pushed onto one below it: the slowness there is its own doing,
  // unless an earlier change of the service said it would push just there (see `saidEarlier`).
  const pushesAll = pushedConnections(ctx, c.time, { from: c.service }, acuteWindow(ctx, c.time));
  const pushedAll = pushedLoad(ctx, c, surges(c.time), acute.trouble);
  const earlier = saidEarlier(ctx, c, [
    { value: pushesAll.value, peer: pushesAll.signal?.peer },
    { value: pushedAll.value, peer: pushedAll.path[0] },
  ]);
  const mine = 1 - Math.max(onto.value, said.value, earlier.value);
  // … nor, for the paged service's own release, failing or slowing that began as early in a
  // service it calls (the failures it passes on are that service's).
  const passedOn = own === 1 ? troubleFirst(ctx, c, acute.trouble.get(c.service), HEALTH) : NONE;
  const ownNotOld = own === 1 ? notOld * (1 - later.value) * mine * (1 - passedOn.value) : 1;
  const isVictim = own * ownNotOld;
  const side = entry(ctx, pathRaw);
  const link = Math.max(pathRaw.near.value, pathRaw.victimHop.value);
  const waits = side === 'downstream' ? downThrough(ctx, c, pathRaw) : NONE;
  // Waiting on a service it pushes, measured or said by the change itself (see `statedPush`), is its doing.
  const stated = statedPush(c);
  const statedOn = stated === undefined ? [] : pushTargets(ctx, c, stated).direct;
  const pushedOn = (peer: string): boolean => peer === pushesAll.signal?.peer || statedOn.includes(peer);
  const below = waits.signal?.peer !== undefined && pushedOn(waits.signal.peer) ? NONE : waits;
  const through = own === 1 ? NONE : passThrough(ctx, c);
  // More connections from the victim to a dependency with its request rate flat: that dependency got slower.
  const slow = vs.outbound * (1 - vs.traffic);
  const pushed = { ...pushedAll, value: pushedAll.value * (1 - earlier.value) };
  // Above the paged service, with its trouble begun below it and no load sent down: what moved
  // between this change and it is that trouble travelling up.
  const travelledUp = side === 'upstream' ? troubleUp(ctx, c, acute.trouble, Math.max(pushedAll.value, vs.traffic, pushesAll.value, stated === undefined ? 0 : 1)) : NOTHING_UP;
  const rest = 1 - travelledUp.value;
  const path = rest === 1 ? pathRaw : { ...pathRaw, self: scale(pathRaw.self, rest), near: scale(pathRaw.near, rest), chain: scale(pathRaw.chain, rest), interior: scale(pathRaw.interior, rest), victimHop: scale(pathRaw.victimHop, rest) };
  const x: Record<FeatureName, number> = {
    onset: onset.value * ownNotOld,
    delayed: delayed.value * ownNotOld,
    before: before.value,
    recency: recency(ctx, c),
    afterOnset: c.time > ctx.onset + ctx.tolMs ? 1 : 0,
    linkBefore: path.linkBefore?.value ?? 0,
    between: 1 / (1 + changesBetween(ctx, c)),
    self: path.self.value * notOld * mine,
    near: path.near.value * notOld * mine,
    victimHop: path.victimHop.value,
    chain: path.chain.value * notOld * mine,
    interior: path.interior.value * notOld * mine,
    interiorChange: path.interiorChange === undefined ? 0 : 1,
    isVictim,
    dist1: path.dist === 1 ? 1 : 0,
    dist2: path.dist === 2 ? 1 : 0,
    dist3plus: path.dist >= 3 && Number.isFinite(path.dist) ? 1 : 0,
    unlinked: Number.isFinite(path.dist) ? 0 : 1,
    elsewhere: elsewhere.value,
    fanInUp: side === 'upstream' && fan.moved.length >= 2 ? fan.share : 0,
    fanInDown: side === 'downstream' && fan.moved.length >= 2 ? fan.share : 0,
    upOutbound: side === 'upstream' ? vs.outbound : 0,
    upTraffic: side === 'upstream' ? vs.traffic : 0,
    soleCaller: side === 'upstream' && fan.visible >= 2 && fan.moved.length === 1 && fan.moved[0] === path.path[path.path.length - 1]?.from ? 1 : 0,
    rollback: rollback.value,
    version: version.value,
    isRollback: c.type === 'rollback' ? 1 : 0,
    linkedOnset: Math.max(onset.value, 0.5 * delayed.value) * link * notOld * mine,
    ownOnset: isVictim * onset.value,
    passThrough: through.value,
    ownTraffic: isVictim * vs.traffic,
    mixedPath: mixedPath(path),
    ownElsewhere: isVictim * elsewhere.value,
    downThrough: below.value,
    fanOutDown: side === 'downstream' ? vs.fanOut : 0,
    instanceOrder: instanceOrder(ctx, c),
    slowBelow: side === 'upstream' ? slow : 0,
    slowPath: side === 'downstream' && vs.outboundPeer !== undefined && vs.outboundPeer === path.path[path.path.length - 1]?.from ? slow : 0,
  };
  // More requests pushed down to the victim are this change's visible doing; the changed service's
  // own trouble with more requests arriving from above is not its own change's (new pods against
  // old ones over the same minutes saw the same load, so that comparison stands).
  const fromAbove = loadFromAbove(ctx, surges(c.time), c.service, acute.trouble.get(c.service));
  const timely = comparisonTimeliness(ctx, c);
  const canary = (acute.canary.kind === 'canary' ? acute.canary.value : 0) * timely;
  const callee = burstAtCallee(ctx, c, acute.trouble, surges(c.time), quietBelow);
  const stopped = stoppedCalling(quietBelow(c.service));
  // What lasting trouble below had already explained is not this change's doing.
  const first = troubleFirst(ctx, c, acute.trouble.get(c.service));
  // A push is its own doing only as far as more requests arriving at it do not explain it (it passed them on).
  const pushes = { ...pushesAll, value: pushesAll.value * (1 - through.value) * (1 - earlier.value) };
  const acuteSelf = Math.max(canary, selfAfter(acute, first.value, timely) * (1 - fromAbove) * notOld * mine * (1 - later.value), pushed.value, callee.value, stopped.value, pushes.value);
  // Nothing tied to the victim: its own worsening is a lead, not an explanation. Its callers' calls
  // to it slowing or failing are no more the new version's doing than its own trouble is (`notOld`).
  const lead = ctx.unproven.includes(c.service) ? UNLINKED_LEAD : 1;
  const a = { acuteSelf: acuteSelf * lead, acuteCallers: acute.callers * (1 - first.value) * (1 - fromAbove) * notOld * lead, quiet: 0 };
  return { change: c, x, onset, delayed, before, path, elsewhere, rollback, version, fan, passThrough: through, downThrough: below, acute, first, a, gate: 1, pushed, fromAbove, travelledUp, oldPods, callee, later, stopped, onto, said, earlier, pushes, passedOn };
}

/** How long before a change a push onto its service still explains the service's trouble. */
const ONTO_BEFORE_MS = 30 * 60_000;

/**
 * What a service's own worsening after its change counts for when nothing links it to the victim
 * and nothing moved on the victim at all (`Context.unproven`): a bad release somewhere while a
 * quiet service pages is worth a look, at a score that says it is only that.
 */
export const UNLINKED_LEAD = 0.3;

/**
 * The changed service's own worsening after the change, less what trouble below it explains: a
 * burst (already net of bursts below, see `acuteEvidence`) or the service as a whole worse than
 * before, each discounted by a lasting move below that came first (`first`, see `troubleFirst`);
 * the service-level comparison also by a burst below as early, as its own bursts are. New pods
 * against old ones over the same minutes need no discount: both sides went through the same.
 * Both comparisons count as far as `timely` (see `comparisonTimeliness`) leaves them.
 */
export function selfAfter(acute: AcuteEvidence, first: number, timely = 1): number {
  const canary = (acute.canary.kind === 'canary' ? acute.canary.value : 0) * timely;
  const burst = acute.self > acute.canary.value ? acute.self : 0;
  return Math.max(burst * (1 - first), serviceAfter(acute, first) * timely, canary);
}

/** What the service-level (before/after, all instances) comparison still counts for once trouble below is discounted. */
export function serviceAfter(acute: AcuteEvidence, first: number): number {
  return acute.canary.kind === 'service' ? acute.canary.value * (1 - acute.below) * (1 - first) : 0;
}

/** How much moved after this candidate, in [0,1]: on the victim, on its own service, on the links, acutely. */
export function movement(e: CandidateEvidence): number {
  return Math.min(1, Math.max(e.x.onset, e.x.self, e.x.victimHop, e.a.acuteSelf, e.a.acuteCallers));
}

/**
 * `movement` before the discounts that explain a move away (old pods as bad, a lasting move below
 * first, a later change's burst, load from above): what moved at all. The report says "evidence
 * missing" only when this is nothing; a move explained away is said so by its own line.
 */
export function movedAtAll(e: CandidateEvidence): number {
  return Math.min(1, Math.max(movement(e), e.onset.value, e.path.self.value, e.acute.self, e.acute.callers));
}

/**
 * The least the simulator-fitted model is heard: enough for its priors (own change, hops, recency)
 * to order candidates the acute evidence cannot separate, too little to outvote a burst or to lift
 * the top score above "none of these". 0.1 held up on both benches (0.3 cost Train Ticket top-1).
 */
export const PRIOR_GATE = 0.1;

/**
 * Fill in what depends on all candidates of one analysis: `quiet` (1 − the strongest movement
 * after any candidate) and `gate`. The simulator-fitted model learnt a world of lasting breakpoints
 * and weighs priors (recency, the victim's own change, hops) that only mean something when the
 * victim's trouble is such a breakpoint; so it is heard in proportion to the victim's breakpoint
 * trouble aligned with any candidate (full from 0.5 up). With only bursts, the acute evidence decides;
 * but never below `PRIOR_GATE`: where nothing tells the candidates apart, an on-call engineer still
 * looks first at the paged service's own change and at near, recent ones rather than at a far one.
 */
export function withQuiet(ev: readonly CandidateEvidence[]): CandidateEvidence[] {
  const quiet = 1 - ev.reduce((m, e) => Math.max(m, movement(e)), 0);
  const bp = ev.reduce((m, e) => Math.max(m, e.x.onset, e.x.delayed), 0);
  const gate = Math.max(PRIOR_GATE, Math.min(1, bp / 0.5));
  return ev.map((e) => ({ ...e, a: { ...e.a, quiet }, gate }));
}

export function acuteVector(e: CandidateEvidence): number[] {
  return ACUTE_FEATURES.map((f) => e.a[f]);
}

export function featureVector(e: CandidateEvidence): number[] {
  return FEATURES.map((f) => e.x[f]);
}

export { fanIn, victimSide, type FanIn, type VictimSide } from './fanin';
export { acuteView } from './acute';
export { lullView, surgeView } from './surge';

function scale(x: Scored, k: number): Scored {
  return k === 1 ? x : { ...x, value: x.value * k };
}

export interface TravelledUp {
  readonly value: number;
  /** What burst below the paged service (see `belowOf`). */
  readonly what?: string;
}
const NOTHING_UP: TravelledUp = { value: 0 };

/**
 * For a change above the paged service: how clearly the paged service's trouble began below it
 * (see `belowOf`) while this change sent no more load down (`load`: requests or connections pushed,
 * more requests arriving at the paged service, a stated push). A change above reaches the paged
 * service only by what it sends; what moved on the way down to it after the change — its callers
 * waiting on it, their connections held longer — is then the trouble travelling up the calls.
 */
function troubleUp(ctx: Context, c: ChangeEvent, trouble: ReadonlyMap<string, ServiceTrouble>, load: number): TravelledUp {
  const v = trouble.get(ctx.victim);
  if (load >= 1) return NOTHING_UP;
  // A burst below it as early (bursts), or a lasting worsening below it before its own (settled moves).
  const burst = v === undefined ? { w: 0 } : belowOf(ctx, ctx.victim, v, trouble, reachable(ctx.graph, ctx.victim, 'up'), reachable(ctx.graph, ctx.victim, 'down'));
  // Asked as of this change's time about the paged service, saying nothing it sends (no settings).
  const settled = troubleFirst(ctx, { ...c, service: ctx.victim, settings: [] }, v, HEALTH, true);
  const s = settled.signal;
  if (settled.value > burst.w && s !== undefined) return { value: settled.value * (1 - load), what: s.peer !== undefined && s.service === ctx.victim ? `its calls to ${s.peer}` : s.service };
  return burst.what === undefined ? NOTHING_UP : { value: burst.w * (1 - load), what: burst.what };
}
