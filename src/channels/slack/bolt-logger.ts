/** Bolt and its WebClient log through our Logger, so every line is one JSON object on stderr. */
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../logger.js';

export function toBoltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  // Bolt passes strings and sometimes an Error; our logger wants one message and fields.
  const forward = (write: Logger['info']) => (...parts: unknown[]) => {
    const error = parts.find((p) => p instanceof Error);
    const msg = parts.filter((p) => !(p instanceof Error)).map(String).join(' ');
    write(msg, error ? { source: 'bolt', error } : { source: 'bolt' });
  };
  return {
    debug: forward(logger.debug),
    info: forward(logger.info),
    warn: forward(logger.warn),
    error: forward(logger.error),
    // Filtering is our logger's job; bolt only reads the level back.
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
