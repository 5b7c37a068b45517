/**
 * `npm start`: one HTTP server with the JSON API and every channel whose credentials are
 * configured. The server listens at once (so /healthz answers) and turns /readyz to 200
 * when the engine has loaded; a fresh clone builds its index here the first time.
 */
import { createDefaultAnswerService } from './bootstrap.js';
import { createHttpApiRoutes } from './channels/http-api.js';
import { createLineRoutes } from './channels/line/index.js';
import { createSlackChannel } from './channels/slack/index.js';
import { loadConfig } from './config.js';
import { isBotError } from './errors.js';
import { createLogger } from './logger.js';
import type { AnswerService } from './qa/types.js';
import { createHttpServer, type HttpRoute } from './server.js';
import { createMemoryState } from './state/short-lived-state.js';

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const state = createMemoryState();
  let answers: AnswerService | undefined;

  const routes: HttpRoute[] = [...createHttpApiRoutes({ answers: () => answers, state, logger, token: process.env.WEB_TOKEN })];
  const channels: string[] = ['api'];
  // Channel routes need the answer service; until it has loaded they answer 503 (LINE and Slack retry).
  const service = createDefaultAnswerService(config, logger);
  const lazyAnswers: AnswerService = {
    answer: async (q, c) => (await service).answers.answer(q, c),
    stream: async function* (q, c) {
      return yield* (await service).answers.stream(q, c);
    },
    info: () => answers?.info() ?? { planVersion: 'loading', build: 'loading', chunkCount: 0, embedder: 'loading' },
  };
  if (config.line) {
    routes.push(...createLineRoutes({ answers: lazyAnswers, config: config.line, state, logger, maxQuestionChars: config.maxQuestionChars }));
    channels.push('line');
  }

  const slack = config.slack
    ? await createSlackChannel({ answers: lazyAnswers, config: config.slack, state, logger, maxQuestionChars: config.maxQuestionChars })
    : undefined;
  if (slack) {
    routes.push(...slack.routes);
    channels.push(config.slack?.appToken ? 'slack (socket mode)' : 'slack');
    // Socket Mode keeps retrying while Slack is unreachable: it must not hold up the other channels.
    slack.start().catch((error: unknown) => logger.error('slack did not start', { error }));
  }

  const server = createHttpServer({ routes, logger });
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  logger.info('listening', { port: config.port, host: config.host, channels, llm: Boolean(config.llm) });

  const loaded = await service;
  answers = loaded.answers;
  logger.info('ready', { ...answers.info() });

  const shutdown = (signal: string) => {
    logger.info('shutting down', { signal });
    void slack?.stop().catch(() => undefined);
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(isBotError(error) ? `error: ${error.message}` : error);
  process.exit(1);
});
