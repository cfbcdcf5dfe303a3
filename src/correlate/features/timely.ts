import type { ChangeEvent } from '../../domain/types';
import type { Context } from '../context';
import { FAST_MS, lagKernel } from './common';

/**
 * How far a comparison made in the minutes after a release of ANOTHER service (its new pods worse
 * than its old ones, or the service worse than before it) still speaks for the trouble asked
 * about, in [0,1]: in full when that trouble began soon after the release, fading with `FAST_MS`
 * as the release lies further back. A release two hours before the page whose new pods were worse
 * at the time, with nothing in between moving since, is another story than the one that paged
 * (bursts carry the same rule: one over well before the page does not count). For the asked-about
 * service's own release the comparison is about the very pods in trouble (a leak grows for hours),
 * so it stands whatever the delay.
 */
export function comparisonTimeliness(ctx: Pick<Context, 'victim' | 'onset' | 'tolMs'>, c: ChangeEvent): number {
  if (c.service === ctx.victim) return 1;
  return lagKernel(ctx.onset - c.time, ctx.tolMs, FAST_MS);
}
