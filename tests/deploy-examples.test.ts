/**
 * The deployment examples (compose.yaml, deploy/Caddyfile, deploy/kenmin-bot.service, and the
 * Slack app manifest) agree with what README, docs/deployment.md, the Dockerfile and src/config.ts
 * say of them, and pass their own tools'
 * checks where those tools are installed (`docker compose config`, `caddy adapt`,
 * `systemd-analyze verify`); no Docker Compose runs on the development machines, so there the
 * compose file is read by this test alone.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';

const run = promisify(execFile);
const read = (file: string) => fs.readFile(path.join(PROJECT_ROOT, file), 'utf8');

/** Whether a command runs here at all (`docker compose version`, `caddy version`, …). */
async function available(file: string, args: string[]): Promise<boolean> {
  try {
    await run(file, args, { timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

interface ComposeService {
  build?: string;
  image?: string;
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  env_file?: Array<{ path: string; required: boolean }>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  command?: string[];
  stop_grace_period?: string;
}
interface Compose {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
}

const [compose, readme, deployment, dockerfile] = await Promise.all([
  read('compose.yaml').then((text) => parse(text) as Compose),
  read('README.md'),
  read('docs/deployment.md'),
  read('Dockerfile'),
]);
/** What the Dockerfile's runtime stage sets: `ENV A=1 B=2`, `EXPOSE n`. */
const dockerEnv = Object.fromEntries([...dockerfile.split('\n').filter((l) => l.startsWith('ENV ')).join(' ').matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1], m[2]]));
const exposed = /^EXPOSE (\d+)$/m.exec(dockerfile)?.[1];

describe('compose.yaml', () => {
  const { bot, redis } = compose.services;

  it('has the services and the volume README names, and only those', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['bot', 'redis']);
    expect(Object.keys(compose.volumes)).toEqual(['bot-data']);
    for (const text of [readme, deployment]) {
      expect(text).toContain('`bot`');
      expect(text).toContain('`redis`');
      expect(text).toContain('the volume `bot-data` on `/app/data`');
    }
  });

  it("builds the bot from this repository's Dockerfile, and publishes only its port, on 127.0.0.1, as README says", () => {
    expect(bot.build).toBe('.');
    expect(bot.ports).toEqual([`127.0.0.1:3000:${dockerEnv.PORT}`]);
    expect(exposed).toBe(dockerEnv.PORT);
    expect(redis.ports).toBeUndefined();
    for (const text of [readme, deployment]) expect(text).toContain('published on `127.0.0.1:3000`');
  });

  it("keeps data/ in the volume: the image's index and the SQLite file are under its mount", () => {
    expect(bot.volumes).toEqual(['bot-data:/app/data']);
    expect(dockerEnv.INDEX_DIR.startsWith('/app/data/')).toBe(true);
    // DATA_DB_PATH's default is relative to the repository root, which is /app in the image.
    const defaults = loadConfig({});
    expect(path.relative(PROJECT_ROOT, defaults.dataDbPath)).toMatch(/^data\//);
    expect(/^WORKDIR \/app$/m.test(dockerfile)).toBe(true);
  });

  it('points the bot at its Redis, started first and healthy; .env optional', () => {
    expect(bot.environment?.REDIS_URL).toBe('redis://redis:6379');
    expect(readme).toContain('`REDIS_URL=redis://redis:6379`');
    expect(bot.depends_on).toEqual({ redis: { condition: 'service_healthy' } });
    expect(redis.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
    expect(bot.env_file).toEqual([{ path: '.env', required: false }]);
    // Longer than the bot's 10 s drain of answers in flight.
    expect(parseInt(bot.stop_grace_period!, 10)).toBeGreaterThan(10);
  });

  it('passes `docker compose config` (where Docker Compose is installed)', async (context) => {
    if (!(await available('docker', ['compose', 'version']))) return context.skip('docker compose is not installed here');
    await run('docker', ['compose', '-f', path.join(PROJECT_ROOT, 'compose.yaml'), 'config', '--quiet'], { cwd: PROJECT_ROOT, timeout: 60_000 });
  });
});

describe('deploy/Caddyfile', () => {
  it('serves HTTPS for a host name, passes everything but /metrics to the port compose.yaml publishes', async () => {
    const caddyfile = await read('deploy/Caddyfile');
    const site = /^([a-z0-9.-]+\.[a-z]+) \{$/m.exec(caddyfile)?.[1];
    expect(site).toBe('kenmin-bot.example.jp');
    const published = compose.services.bot.ports![0].split(':').slice(0, 2).join(':');
    expect(caddyfile).toMatch(new RegExp(`^\\s*reverse_proxy ${published.replaceAll('.', '\\.')} \\{`, 'm'));
    expect(caddyfile).toMatch(/@metrics path \/metrics\n\s*respond @metrics 404/);
  });

  it('adapts with Caddy itself to a server on :443 that proxies to the bot (where Caddy is installed)', async (context) => {
    if (!(await available('caddy', ['version']))) return context.skip('caddy is not installed here');
    const { stdout } = await run('caddy', ['adapt', '--config', path.join(PROJECT_ROOT, 'deploy/Caddyfile'), '--adapter', 'caddyfile'], { timeout: 30_000 });
    const config = JSON.parse(stdout) as { apps: { http: { servers: Record<string, { listen: string[] }> } } };
    const [server] = Object.values(config.apps.http.servers);
    expect(server.listen).toEqual([':443']);
    expect(stdout).toContain('"dial":"127.0.0.1:3000"');
    expect(stdout).toContain('"path":["/metrics"]');
  });
});

describe('deploy/kenmin-bot.service', () => {
  const unit = read('deploy/kenmin-bot.service');
  const setting = async (key: string) => [...(await unit).matchAll(new RegExp(`^${key}=(.*)$`, 'gm'))].map((m) => m[1]);

  it("runs what `npm start` runs, from the repository, writing only data/", async () => {
    const start = (JSON.parse(await read('package.json')) as { scripts: Record<string, string> }).scripts.start;
    expect(start).toBe('exec node dist/main.js');
    expect(await setting('ExecStart')).toEqual(['/usr/bin/node dist/main.js']);
    const [dir] = await setting('WorkingDirectory');
    expect(dir).toBe('/opt/kenmin-bot');
    expect(await setting('ReadWritePaths')).toEqual([`${dir}/data`]);
    expect(await setting('ProtectSystem')).toEqual(['strict']);
    // The defaults the service relies on: the index and the SQLite file both under data/.
    const defaults = loadConfig({});
    for (const file of [defaults.indexDir, defaults.dataDbPath]) expect(path.relative(PROJECT_ROOT, file)).toMatch(/^data\//);
    expect(deployment).toContain('`node dist/main.js` in `/opt/kenmin-bot`');
  });

  it('is for Socket Mode: the web page on 127.0.0.1 only, the Slack app token in .env', async () => {
    expect(await setting('Environment')).toEqual(['NODE_ENV=production HOST=127.0.0.1']);
    expect(await unit).toContain('SLACK_APP_TOKEN');
    expect(await setting('User')).toEqual(['kenmin']);
    expect(deployment).toContain('"channels":["api","web","slack (socket mode)"]');
  });

  it('passes `systemd-analyze verify` (where systemd is installed)', async (context) => {
    if (!(await available('systemd-analyze', ['--version']))) return context.skip('systemd-analyze is not installed here');
    // verify reads units by name from a folder: a copy keeps the repository free of its output.
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kenmin-unit-'));
    try {
      await fs.copyFile(path.join(PROJECT_ROOT, 'deploy/kenmin-bot.service'), path.join(dir, 'kenmin-bot.service'));
      const { stderr } = await run('systemd-analyze', ['verify', path.join(dir, 'kenmin-bot.service')], { timeout: 30_000 });
      expect(stderr).not.toMatch(/kenmin-bot\.service:\d+:/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('slack-app-manifest.yml', () => {
  interface Manifest {
    features: { slash_commands: Array<{ command: string; url: string }> };
    oauth_config: { scopes: { bot: string[] } };
    settings: { event_subscriptions: { request_url: string; bot_events: string[] }; interactivity: { request_url: string }; socket_mode_enabled: boolean };
  }

  it("sends events, the slash command and clicks to the one route the bot mounts, with the command's default name", async () => {
    const manifest = parse(await read('slack-app-manifest.yml')) as Manifest;
    const urls = [manifest.settings.event_subscriptions.request_url, manifest.settings.interactivity.request_url, ...manifest.features.slash_commands.map((c) => c.url)];
    expect(new Set(urls)).toEqual(new Set(['https://<host>/slack/events']));
    const slack = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret' }).slack!;
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([slack.slashCommand]);
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual(['app_mention', 'message.im']);
    // What the bot calls: chat.postMessage, reactions.add/remove (the 👀 sign), the command, DMs.
    expect(manifest.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['app_mentions:read', 'chat:write', 'commands', 'im:history', 'reactions:write']));
    // HTTP mode by default: the guide's order (create, start the bot with the secret, Retry) is for it.
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });
});
