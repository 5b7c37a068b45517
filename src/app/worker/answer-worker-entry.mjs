// The worker's entry point, in plain JavaScript: Node 20 gives a worker no loader from the
// parent thread, so it registers tsx's loader itself before importing the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./answer-worker.ts');
