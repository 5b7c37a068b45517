// The platform calls' thread from the TypeScript sources: as answer-worker-entry.mjs, tsx's
// loader first (Node 20 gives a worker no loader from its parent thread).
import { register } from 'tsx/esm/api';

register();
await import('./platform-worker.ts');
