import type { ChangeEvent } from '../domain/types';
import type { ChangeLog } from './changes';
import type { SimService, World } from './world';

/**
 * The planted caller config as a pipeline would describe it: the pool setting of the caller's
 * client for the victim, from its current idle minimum to the size that multiplies the caller's
 * connections by `factor` (what the simulated world then does).
 */
export function poolQuantities(log: ChangeLog, cause: ChangeEvent, w: World, victim: SimService, factor: number): ChangeEvent {
  const caller = w.byName.get(cause.service);
  const key = cause.keys?.[0] ?? 'http.client.pool.min_idle';
  const from = Math.max(1, Math.round(caller?.poolMin.get(victim.name) ?? 1));
  const to = Math.round(from * factor);
  return log.quantify(cause, `${cause.service}: set ${key} ${from} → ${to}`, { settings: [{ key, from, to, peer: victim.name }] });
}
