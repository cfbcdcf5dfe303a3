import type { AcuteName } from './features';

/**
 * How the acute evidence is weighed against the simulator-fitted model (./model.ts): fitted by
 * bench/real/fit.ts on REAL incidents (the Nezha fault-injection set); bench/real/run.ts reports
 * the same fit held out by system and by day. The model's own logit (gated, see `withQuiet`) and its
 * "none of these" logit stay as fitted on the simulator: only these weights are fitted on top.
 */
export interface AcuteModel {
  readonly weights: Readonly<Record<AcuteName, number>>;
  readonly fittedOn: string;
}

export const ACUTE: AcuteModel = {
  weights: { acuteSelf: 7.531, acuteCallers: 8.67, quiet: -1.67 },
  fittedOn: 'bench/real/fit.ts: 101 Nezha incidents (4 days, both systems), each also with its cause removed from the log',
};
