import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/** JSON lines on stdout (one object per line, ISO time), the shape log shippers expect. */
export function createLogger(level: string, instance: string): Logger {
  return pino({ level, base: { service: 'epicenter', instance }, timestamp: pino.stdTimeFunctions.isoTime });
}

/** A process-unique instance id: host, pid and a random suffix (a restarted pid is a new instance). */
export function newInstanceId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}
