/**
 * A small structured logger on pino: one JSON object a line on stderr (fd 2), so stdout stays
 * free for `npm run ask -- --json`. Never log secrets or raw user ids; callers pass hashed ids,
 * and the censoring below is a safety net for headers and tokens that slip through.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import pino from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** Fields every line logged inside `withLogContext` carries (the request id, say). */
const context = new AsyncLocalStorage<Record<string, unknown>>();

/**
 * Runs `fn` so that every line logged during it, and during the work it starts (a LINE batch
 * answered after the 200), carries `fields`.
 */
export function withLogContext<T>(fields: Record<string, unknown>, fn: () => T): T {
  return context.run({ ...context.getStore(), ...fields }, fn);
}

/** Keys whose values never reach a log line, wherever they stand (headers, options, errors). */
const SECRET_KEYS = new Set(
  ['authorization', 'cookie', 'token', 'accessToken', 'channelAccessToken', 'botToken', 'appToken', 'signingSecret', 'channelSecret', 'apiKey', 'password', 'userId', 'x-line-signature', 'x-slack-signature'].map((k) => k.toLowerCase()),
);
const REDACTED = '[redacted]';

export function createLogger(level: LogLevel = 'info', write?: (line: string) => void): Logger {
  const destination = write
    ? { write: (line: string) => write(line.endsWith('\n') ? line.slice(0, -1) : line) }
    : // Synchronous, so that the last lines before process.exit are not lost.
      pino.destination({ dest: 2, sync: true });
  const base = pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      // Level names, not numbers: `"level":"error"` is what people grep for.
      formatters: { level: (label) => ({ level: label }) },
      // A fresh object each line: pino merges the line's own fields into what the mixin returns,
      // and handing it the live context would carry them into every later line of the request.
      mixin: () => ({ ...context.getStore() }),
    },
    destination,
  );
  const log = (at: Exclude<LogLevel, 'silent'>) => (msg: string, fields?: Record<string, unknown>) => {
    if (fields) base[at](serializeFields(fields), msg);
    else base[at](msg);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/**
 * Errors become their name, message and code (stack traces and causes can carry request
 * bodies), and secret keys are censored down to three levels. A plain walk over our own
 * fields: pino's wildcard redaction cost more than the rest of a webhook's handling.
 */
function serializeFields(fields: Record<string, unknown>, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (SECRET_KEYS.has(key.toLowerCase())) out[key] = REDACTED;
    else if (value instanceof Error) out[key] = { name: value.name, message: value.message, code: (value as { code?: unknown }).code };
    else if (depth < 2 && value && typeof value === 'object' && !Array.isArray(value)) out[key] = serializeFields(value as Record<string, unknown>, depth + 1);
    else out[key] = value;
  }
  return out;
}

/** For tests and quiet command lines. */
export const silentLogger: Logger = createLogger('silent');
