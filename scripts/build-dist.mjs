// `npm run build` (also `prepare`, so `npm ci` leaves a runnable dist/): src/ compiled to
// dist/ by tsc, then the files tsc does not copy (the web and admin pages' assets). dist/ is removed
// first, so that a module deleted from src/ cannot linger in it. Plain JavaScript: it runs
// before anything is compiled, with node alone.
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
// The assets that src/ reads next to its modules (new URL('./public/', import.meta.url)).
for (const channel of ['web', 'admin']) {
  cpSync(path.join(root, `src/channels/${channel}/public`), path.join(dist, `channels/${channel}/public`), { recursive: true });
}
