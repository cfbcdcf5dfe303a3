import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { EpicenterError, isEpicenterError } from '../../errors';
import type { StoredAnalysis } from '../../ports';
import { buildCommandMessage, buildEphemeralText } from '../../slack/blocks';
import type { SlackMessage } from '../../slack/limits';
import { verifySlackSignature } from '../../slack/signature';
import type { RouteContext } from '../context';
import { sendError } from '../errors';
import { parseDuration, parseTime } from '../params';

/** Slack wants an answer within 3 s; an analysis slower than this is answered later via response_url, ms. */
export const SLASH_INLINE_BUDGET_MS = 2500;

export const SLASH_USAGE = 'Usage: `/epicenter <service> [time]` — time is ISO 8601 (UTC unless a zone is given), epoch ms, `now` (default), or `<duration> ago` such as `30m ago`.';

/** Raw request bodies of this route, for the signature: the parsed form cannot be re-encoded byte for byte. */
const rawBodies = new WeakMap<FastifyRequest, Buffer>();

const formSchema = z.object({ text: z.string().default(''), response_url: z.string().url().optional(), user_id: z.string().optional(), command: z.string().optional() });

/** `<service> [time]` → what to analyse, or a message for the user. Times in epoch ms. */
export function parseCommandText(text: string, now: number): { service: string; at: number } | { error: string } {
  const [service, ...rest] = text.trim().split(/\s+/).filter((t) => t !== '');
  if (service === undefined || service === 'help') return { error: SLASH_USAGE };
  const when = rest.join(' ').trim().toLowerCase();
  if (when === '' || when === 'now') return { service, at: now };
  const ago = /^-(\S+)$/.exec(when) ?? /^(\S+)\s+ago$/.exec(when);
  if (ago !== null) {
    const d = parseDuration(ago[1]);
    if (d !== undefined) return { service, at: now - d };
  }
  const at = parseTime(rest.join(' ').trim());
  if (at === undefined) return { error: `Cannot read the time "${rest.join(' ')}". ${SLASH_USAGE}` };
  return { service, at };
}

function tooLarge(limit: number): Error {
  return Object.assign(new Error(`request body is larger than ${limit} bytes`), { statusCode: 413 });
}

/** POST /v1/slack/command — the `/epicenter` slash command (form-encoded, signed by Slack). */
export function slackCommandRoute(app: FastifyInstance, ctx: RouteContext): void {
  const bodyLimit = ctx.deps.config.http.bodyLimit;
  app.post(
    '/v1/slack/command',
    {
      // Keep the exact bytes for the signature, then hand the same bytes to @fastify/formbody.
      preParsing: async (req, _reply, payload) => {
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of payload) {
          const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
          size += b.length;
          if (size > bodyLimit) throw tooLarge(bodyLimit);
          chunks.push(b);
        }
        const raw = Buffer.concat(chunks);
        rawBodies.set(req, raw);
        const out = new PassThrough();
        out.end(raw);
        return out;
      },
    },
    async (req, reply) => {
      const header = (name: string): string | undefined => {
        const v = req.headers[name];
        return Array.isArray(v) ? v[0] : v;
      };
      const check = verifySlackSignature({
        signingSecret: ctx.deps.config.slack.signingSecret,
        timestamp: header('x-slack-request-timestamp'),
        signature: header('x-slack-signature'),
        rawBody: rawBodies.get(req) ?? Buffer.alloc(0),
        nowMs: ctx.clock.now(),
      });
      if (!check.ok) {
        req.log.warn({ reason: check.reason, ip: req.ip }, 'slack command refused');
        const message = check.reason === 'not_configured' ? 'slash commands are disabled: slack.signingSecret is not set' : `Slack signature check failed (${check.reason})`;
        return sendError(reply, new EpicenterError('UNAUTHORIZED', message, { origin: { field: 'x-slack-signature' } }));
      }
      const form = formSchema.safeParse(req.body ?? {});
      if (!form.success) return buildEphemeralText('Could not read the command form.');
      const now = ctx.clock.now();
      const parsed = parseCommandText(form.data.text, now);
      if ('error' in parsed) return buildEphemeralText(parsed.error);
      const { service, at } = parsed;
      const { windowMs, afterMs } = ctx.deps.config.analysis;
      if (!(await ctx.known(service, at - windowMs, at + afterMs))) return buildEphemeralText(`Unknown service \`${service}\`: not in the topology and no data around ${new Date(at).toISOString()}.`);

      const toMessage = (a: StoredAnalysis): SlackMessage =>
        buildCommandMessage({ service, at, analysis: { id: a.id, suspects: a.suspects, breakpointCount: a.breakpoints.length }, timelineUrl: ctx.link(service, at) });
      const failed = (e: unknown): SlackMessage => buildEphemeralText(`Analysis of ${service} failed: ${isEpicenterError(e) ? `${e.code}: ${e.message}` : 'internal error'}`);

      const work = ctx.deps.analyze({ service, at, windowMs, afterMs });
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), SLASH_INLINE_BUDGET_MS);
        timer.unref();
      });
      const first = await Promise.race([work.then((a) => ({ a }), (e: unknown) => ({ e })), late]).finally(() => clearTimeout(timer));
      if (first !== 'late') return 'a' in first ? toMessage(first.a) : failed(first.e);

      const url = form.data.response_url;
      if (url === undefined) return buildEphemeralText(`Analysis of ${service} takes longer than Slack waits; try \`POST /v1/analyze\`.`);
      void work
        .then(toMessage, failed)
        .then((msg) => ctx.responder.post({ ...msg, replace_original: false }, { url }))
        .catch((e: unknown) => req.log.warn({ err: isEpicenterError(e) ? e.message : String(e) }, 'slack delayed response failed'));
      return buildEphemeralText(`Analysing ${service} at ${new Date(at).toISOString()}… the answer will follow here.`);
    },
  );
}
