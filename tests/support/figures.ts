// Figures a resilience test measured (kills survived, inputs tried, …), summed over every test
// file and printed in one line when the run ends (tests/setup/resilience-summary.ts).
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../scripts/temporal';

export const FIGURES_FILE = join(PROJECT_ROOT, '.data', 'resilience-figures.jsonl');

export function recordFigure(name: string, value: number): void {
  mkdirSync(join(PROJECT_ROOT, '.data'), { recursive: true });
  appendFileSync(FIGURES_FILE, `${JSON.stringify({ name, value })}\n`);
}
