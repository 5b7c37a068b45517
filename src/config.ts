/**
 * Configuration enters here, once. `loadConfig()` reads the environment, validates it and
 * throws a ConfigError naming the variable at start-up; every module receives typed config.
 * README's "Configuration" table lists the same variables.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { isIP } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { ConfigError } from './errors.js';

/** The repository root, so that paths do not depend on the working directory. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface LlmConfig {
  apiKey?: string;
  /** Any OpenAI-compatible server, e.g. `http://127.0.0.1:8080/v1`. */
  baseURL?: string;
  /** @default 'gpt-4o-mini' */
  model: string;
  /** @default 15000 */
  timeoutMs: number;
}

export interface LineConfig {
  channelSecret: string;
  channelAccessToken: string;
  /** @default 'https://api.line.me' */
  apiBaseURL: string;
  /** In groups and rooms the bot answers a message only when mentioned or when it starts with this. @default '?' */
  groupPrefix: string;
}

export interface SlackConfig {
  botToken: string;
  signingSecret: string;
  /** Set to use Socket Mode instead of HTTP. */
  appToken?: string;
  /** @default 'https://slack.com/api/' */
  apiURL: string;
  /** @default '/kenmin' */
  slashCommand: string;
  /** SLACK_CURATORS: user (U…, W…) and usergroup (S…) ids who may write curated answers; empty lets everyone. @default [] */
  curators?: string[];
}

/**
 * Which peers may say who the client is in `X-Forwarded-For`: the number of proxy hops in front
 * of the server (`TRUST_PROXY=1` behind one load balancer), or the proxies' addresses and CIDR
 * ranges. Undefined (the default) trusts nobody: the peer's own address is the client.
 */
export type TrustProxy = { hops: number } | { addresses: string[] };

/** The HTTP server's guards against slow and numerous clients (Node's defaults allow minutes). */
export interface HttpServerLimits {
  /** Time to receive a whole request, headers and body. @default 15000 */
  requestTimeoutMs: number;
  /** Time to receive the headers. @default 10000 */
  headersTimeoutMs: number;
  /** How long an idle keep-alive connection stays open. @default 5000 */
  keepAliveTimeoutMs: number;
  /** Open connections at most; past it new ones are closed at once. @default 1000 */
  maxConnections: number;
}

/** Node's own defaults allow a body 300 s and any number of connections. */
export const DEFAULT_HTTP_LIMITS: HttpServerLimits = { requestTimeoutMs: 15_000, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 5_000, maxConnections: 1_000 };

export interface Config {
  port: number;
  host: string;
  /** @default undefined: forwarded headers are ignored */
  trustProxy?: TrustProxy;
  /**
   * Requests one client may send a minute to `/api/ask` and `/api/ask/stream` together, counted
   * before the body is read (malformed requests too); 0 turns the guard off. @default 30
   */
  apiRateLimitPerMinute: number;
  http: HttpServerLimits;
  corpusDir: string;
  /** Root of the index versions; the live one is `<indexDir>/current`. */
  indexDir: string;
  embeddingsProvider: 'offline' | 'openai';
  /** OpenAI embeddings model, used only with `EMBEDDINGS_PROVIDER=openai`. */
  openaiEmbeddingsModel: string;
  /** Longer questions are cut to this many characters (the answer says so). @default 500 */
  maxQuestionChars: number;
  /**
   * Questions one user may ask a minute, counted the same way on LINE, Slack, the web page and
   * the JSON API (whose user is the client's address); past it the user is told to wait.
   * Not the per-client request limit of the HTTP endpoints. @default 10
   */
  userRateLimitPerMinute: number;
  /** Earlier turns kept per conversation for follow-ups, on every channel (0 turns follow-ups off). @default 4 */
  historyTurns: number;
  /** Present when OPENAI_API_KEY or OPENAI_BASE_URL is set. */
  llm?: LlmConfig;
  line?: LineConfig;
  slack?: SlackConfig;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** SQLite file for feedback, the question log and curated answers (one writer per file); unused with `databaseUrl`. @default '<root>/data/bot.sqlite' */
  dataDbPath: string;
  /** PostgreSQL instead of the SQLite file: one store shared by every replica. */
  databaseUrl?: string;
  /** How often each replica reads the curated answers again, so one saved on another replica answers here too. @default 3000 */
  curatedReloadMs: number;
  /**
   * Key of the HMAC that hashes user ids before they are stored. When unset, one is generated on
   * first start and kept in the database's meta table, so hashes stay stable across restarts.
   */
  userHashSalt?: string;
  /** Feedback and question-log rows older than this are deleted (at start, then daily). @default 180 */
  retentionDays: number;
  /** Shared short-lived state (dedupe, rate limits, conversations) for several replicas; memory when unset. */
  redisUrl?: string;
  /** Deadline of every Redis call; past it (or with Redis away) this process's memory answers until Redis does again. @default 500 */
  redisTimeoutMs: number;
  /** Serve `GET /metrics` in Prometheus format. @default true */
  metricsEnabled: boolean;
  /** When set, the web page and `/api/ask` need `Authorization: Bearer <token>`. */
  webToken?: string;
  /** Switches on the admin page `GET /admin`, which then needs it (16 characters or more). @default off */
  adminToken?: string;
  /**
   * On SIGTERM/SIGINT the server stops accepting and finishes what it acknowledged for at most
   * this long, then exits anyway (a second signal exits at once). @default 10000
   */
  shutdownGraceMs: number;
  /**
   * Answer worker threads; each holds its own dictionary and index (see defaultAnswerWorkers).
   * @default as many as memory and cores allow, at least 1 (1 in 512 MiB)
   */
  answerWorkers: number;
  /**
   * A question that would wait longer than this for a worker is not queued: LINE and Slack get
   * a busy notice, the HTTP endpoints 503 `answers_busy`. Inside the life of LINE's reply token.
   * @default 50000
   */
  answerQueueMaxWaitMs: number;
  /**
   * The V8 heap (old generation) of each answer worker, in MB. Without a bound V8 lets a busy
   * worker's heap grow to twice its live size and more before collecting, and keeps it.
   * @default 192 (a worker holds about 120 MB after a collection while it answers: the plan's index, the dictionary's tables, its caches; the rest is room to collect in)
   */
  answerWorkerHeapMb: number;
  /**
   * How far every thread but the server's yields the CPU to it (a Linux nice value, 0–19): the
   * answer workers and V8's compiler and collector threads. Under load an answer can wait a few
   * milliseconds; an acknowledgement should not. 0 leaves them all alike.
   * @default 10
   */
  answerWorkerNice: number;
}

/** What the server's thread holds (HTTP, the store, the metrics), and what each answer worker adds (dictionary, index, SDKs): measured, see README. */
export const MAIN_THREAD_MB = 110;
export const ANSWER_WORKER_MB = 300;

/**
 * The memory this process may use: the cgroup's limit in a container (v2, then v1), else the
 * machine's memory. Read once at start-up.
 */
export function availableMemoryBytes(): number {
  for (const file of ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes']) {
    try {
      const limit = Number(readFileSync(file, 'utf8').trim());
      // "max", or v1's "unlimited" (a huge number), mean no limit of the container's own.
      if (Number.isFinite(limit) && limit > 0 && limit < os.totalmem()) return limit;
    } catch {
      // not in a cgroup with a limit
    }
  }
  return os.totalmem();
}

/**
 * Workers that fit: each beyond the server's thread costs ANSWER_WORKER_MB, and one core is
 * left to the thread that acknowledges. 512 MiB → 1; 1 GiB → 2 (on 3+ cores).
 */
export function defaultAnswerWorkers(memoryBytes: number, cores: number): number {
  const byMemory = Math.floor((memoryBytes / 2 ** 20 - MAIN_THREAD_MB) / ANSWER_WORKER_MB);
  return Math.max(1, Math.min(byMemory, cores - 1));
}

type Env = Record<string, string | undefined>;

function intVar(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}; got "${raw}".`);
  }
  return value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}; got "${raw}".`);
  }
  return raw as T;
}

function urlVar(env: Env, name: string, fallback?: string): string | undefined {
  const raw = env[name]?.trim() || fallback;
  if (!raw) return undefined;
  try {
    new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be a URL such as http://127.0.0.1:8080/v1; got "${raw}".`);
  }
  return raw;
}

/** `1` (hops), or `10.0.0.1, 10.1.0.0/16, ::1` (proxies' addresses and ranges). */
function trustProxyVar(env: Env): TrustProxy | undefined {
  const raw = env.TRUST_PROXY?.trim();
  if (!raw || ['0', 'false', 'off', 'no'].includes(raw.toLowerCase())) return undefined;
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops > 10) throw new ConfigError(`TRUST_PROXY must be a hop count from 0 to 10, or a list of proxy addresses; got "${raw}".`);
    return { hops };
  }
  const addresses = raw.split(',').map((a) => a.trim()).filter(Boolean);
  for (const entry of addresses) {
    const [address, prefix, ...rest] = entry.split('/');
    const family = isIP(address);
    const bits = family === 4 ? 32 : 128;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
    if (!family || !prefixOk || rest.length) {
      throw new ConfigError(`TRUST_PROXY must be a hop count or a comma list of addresses and CIDR ranges (10.0.0.1, 10.1.0.0/16, ::1); "${entry}" is neither.`);
    }
  }
  return { addresses };
}

/** Both or neither: half a channel's credentials is a mistake worth stopping for. */
function pair(env: Env, a: string, b: string): [string, string] | undefined {
  const va = env[a]?.trim();
  const vb = env[b]?.trim();
  if (!va && !vb) return undefined;
  if (!va || !vb) throw new ConfigError(`${va ? b : a} is missing: set both ${a} and ${b}, or neither.`);
  return [va, vb];
}

/** A comma-separated list, each item checked against `pattern`. */
function idList(env: Env, name: string, pattern: RegExp, what: string): string[] {
  const items = (env[name] ?? '').split(',').map((item) => item.trim()).filter(Boolean);
  const bad = items.find((item) => !pattern.test(item));
  if (bad) throw new ConfigError(`${name} must list ${what}; got "${bad}".`);
  return items;
}

function boolVar(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false; got "${raw}".`);
}

/**
 * Settings from `<root>/.env` (format: `.env.example`) for the variables the environment does not
 * already set: the real environment wins, as with `node --env-file`. Read here rather than by a
 * flag on the start command, so that `npm start`, `node dist/main.js`, the scripts and a systemd
 * unit all see the same file. A missing file is no error.
 */
export function readDotEnv(env: Env, file = path.join(PROJECT_ROOT, '.env')): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return;
  }
  for (const [name, value] of Object.entries(parseEnv(text))) if (env[name] === undefined) env[name] = value;
}

export function loadConfig(env: Env = process.env): Config {
  // Only the process's own environment takes .env: a test that passes its own env gets just that.
  if (env === process.env) readDotEnv(env);
  const resolveDir = (name: string, fallback: string) => path.resolve(PROJECT_ROOT, env[name]?.trim() || fallback);

  const apiKey = env.OPENAI_API_KEY?.trim() || undefined;
  const baseURL = urlVar(env, 'OPENAI_BASE_URL');
  const llm: LlmConfig | undefined =
    apiKey || baseURL
      ? {
          apiKey,
          baseURL,
          model: env.OPENAI_MODEL?.trim() || 'gpt-4o-mini',
          timeoutMs: intVar(env, 'LLM_TIMEOUT_MS', 15_000, 100, 600_000),
        }
      : undefined;

  const lineCreds = pair(env, 'LINE_CHANNEL_SECRET', 'LINE_CHANNEL_ACCESS_TOKEN');
  const slackCreds = pair(env, 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET');
  const slashCommand = env.SLACK_SLASH_COMMAND?.trim() || '/kenmin';
  if (!slashCommand.startsWith('/')) throw new ConfigError(`SLACK_SLASH_COMMAND must start with "/"; got "${slashCommand}".`);
  const curators = idList(env, 'SLACK_CURATORS', /^[UWS][A-Z0-9]{2,}$/, 'Slack user ids (U…, W…) or usergroup ids (S…), such as U012AB3CD,S0614TZR7');
  const embeddingsProvider = oneOf(env, 'EMBEDDINGS_PROVIDER', ['offline', 'openai'] as const, 'offline');
  if (embeddingsProvider === 'openai' && !llm) {
    throw new ConfigError('EMBEDDINGS_PROVIDER=openai needs OPENAI_API_KEY or OPENAI_BASE_URL.');
  }
  const userHashSalt = env.USER_HASH_SALT?.trim() || undefined;
  // A short key makes the hashes of guessable LINE/Slack ids easy to reverse by trying them all.
  if (userHashSalt && userHashSalt.length < 16) throw new ConfigError('USER_HASH_SALT must be at least 16 characters (try `openssl rand -hex 32`).');
  const redisUrl = urlVar(env, 'REDIS_URL');
  if (redisUrl && !/^rediss?:$/.test(new URL(redisUrl).protocol)) {
    // The URL may hold a password: name only its scheme.
    throw new ConfigError(`REDIS_URL must start with redis:// or rediss://; got "${new URL(redisUrl).protocol}//…".`);
  }
  const adminToken = env.ADMIN_TOKEN?.trim() || undefined;
  // The page can rewrite what the bot says to residents: a guessable token would let anyone do so.
  if (adminToken && adminToken.length < 16) throw new ConfigError('ADMIN_TOKEN must be at least 16 characters (try `openssl rand -hex 32`).');
  const dbPath = env.DATA_DB_PATH?.trim() || 'data/bot.sqlite';
  const http: HttpServerLimits = {
    requestTimeoutMs: intVar(env, 'HTTP_REQUEST_TIMEOUT_MS', DEFAULT_HTTP_LIMITS.requestTimeoutMs, 1_000, 600_000),
    headersTimeoutMs: intVar(env, 'HTTP_HEADERS_TIMEOUT_MS', DEFAULT_HTTP_LIMITS.headersTimeoutMs, 1_000, 600_000),
    keepAliveTimeoutMs: intVar(env, 'HTTP_KEEP_ALIVE_TIMEOUT_MS', DEFAULT_HTTP_LIMITS.keepAliveTimeoutMs, 100, 600_000),
    maxConnections: intVar(env, 'HTTP_MAX_CONNECTIONS', DEFAULT_HTTP_LIMITS.maxConnections, 1, 1_000_000),
  };
  // Node refuses a server whose headers may take longer than the whole request.
  if (http.headersTimeoutMs > http.requestTimeoutMs) {
    throw new ConfigError(`HTTP_HEADERS_TIMEOUT_MS (${http.headersTimeoutMs}) must not exceed HTTP_REQUEST_TIMEOUT_MS (${http.requestTimeoutMs}).`);
  }
  const databaseUrl = urlVar(env, 'DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:$/.test(new URL(databaseUrl).protocol)) {
    // The URL may hold a password: name only its scheme.
    throw new ConfigError(`DATABASE_URL must start with postgres:// or postgresql://; got "${new URL(databaseUrl).protocol}//…" (leave it unset for the SQLite file).`);
  }

  return {
    port: intVar(env, 'PORT', 3000, 0, 65_535),
    host: env.HOST?.trim() || '0.0.0.0',
    trustProxy: trustProxyVar(env),
    apiRateLimitPerMinute: intVar(env, 'API_RATE_LIMIT_PER_MINUTE', 30, 0, 100_000),
    http,
    corpusDir: resolveDir('CORPUS_DIR', 'corpus'),
    indexDir: resolveDir('INDEX_DIR', 'data/index'),
    embeddingsProvider,
    openaiEmbeddingsModel: env.OPENAI_EMBEDDINGS_MODEL?.trim() || 'text-embedding-3-small',
    maxQuestionChars: intVar(env, 'MAX_QUESTION_CHARS', 500, 20, 5_000),
    userRateLimitPerMinute: intVar(env, 'USER_RATE_LIMIT_PER_MINUTE', 10, 1, 10_000),
    historyTurns: intVar(env, 'HISTORY_TURNS', 4, 0, 20),
    llm,
    line: lineCreds && {
      channelSecret: lineCreds[0],
      channelAccessToken: lineCreds[1],
      apiBaseURL: urlVar(env, 'LINE_API_BASE_URL', 'https://api.line.me')!,
      groupPrefix: env.LINE_GROUP_PREFIX?.trim() || '?',
    },
    slack: slackCreds && {
      botToken: slackCreds[0],
      signingSecret: slackCreds[1],
      appToken: env.SLACK_APP_TOKEN?.trim() || undefined,
      apiURL: urlVar(env, 'SLACK_API_URL', 'https://slack.com/api/')!,
      slashCommand,
      curators,
    },
    logLevel: oneOf(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error', 'silent'] as const, 'info'),
    webToken: env.WEB_TOKEN?.trim() || undefined,
    adminToken,
    // ':memory:' is SQLite's own name for a throwaway database: not a path to resolve.
    dataDbPath: dbPath === ':memory:' ? dbPath : path.resolve(PROJECT_ROOT, dbPath),
    databaseUrl,
    curatedReloadMs: intVar(env, 'CURATED_RELOAD_SECONDS', 3, 1, 3_600) * 1000,
    userHashSalt,
    retentionDays: intVar(env, 'RETENTION_DAYS', 180, 1, 36_500),
    redisUrl,
    redisTimeoutMs: intVar(env, 'REDIS_TIMEOUT_MS', 500, 10, 60_000),
    metricsEnabled: boolVar(env, 'METRICS_ENABLED', true),
    answerWorkers: intVar(env, 'ANSWER_WORKERS', defaultAnswerWorkers(availableMemoryBytes(), os.availableParallelism()), 1, 32),
    answerQueueMaxWaitMs: intVar(env, 'ANSWER_QUEUE_MAX_WAIT_MS', 50_000, 100, 600_000),
    answerWorkerHeapMb: intVar(env, 'ANSWER_WORKER_HEAP_MB', 192, 128, 16_384),
    answerWorkerNice: intVar(env, 'ANSWER_WORKER_NICE', 10, 0, 19),
    shutdownGraceMs: intVar(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
  };
}
