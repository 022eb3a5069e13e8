// Prints the resilience run's figures in one summary line at the end of the run.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { FIGURES_FILE } from '../support/figures';

const ORDER = ['kills survived', 'temporal restarts survived', 'postgres restarts survived', 'inputs tried', 'raw inputs tried', 'routes × roles checked', '5xx answers', 'leaks found'];

export default function setup() {
  rmSync(FIGURES_FILE, { force: true });
  return () => {
    const totals = new Map<string, number>();
    if (existsSync(FIGURES_FILE)) {
      for (const line of readFileSync(FIGURES_FILE, 'utf8').split('\n').filter(Boolean)) {
        const { name, value } = JSON.parse(line) as { name: string; value: number };
        totals.set(name, (totals.get(name) ?? 0) + value);
      }
    }
    const names = [...ORDER.filter((n) => totals.has(n)), ...[...totals.keys()].filter((n) => !ORDER.includes(n))];
    console.log(`\nresilience summary: ${names.map((n) => `${n} = ${totals.get(n)}`).join(', ') || 'no figures recorded'}`);
  };
}
