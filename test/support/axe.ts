// Accessibility check for end-to-end tests: axe-core (from npm) runs inside the page on the
// screen as it is, once in the light theme and once in the dark one, and the test fails on
// any serious or critical violation, naming the rule, the elements (selectors and HTML) and
// the help page. Every violation found, whatever its impact, is also written to
// test-output/axe/<screen>.json so the moderate ones can be read and counted too.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import axe from 'axe-core';
import type { Page } from 'playwright-core';
import { settle, SCREENSHOTS } from './browser';

export const AXE_OUTPUT = join(__dirname, '..', '..', 'test-output', 'axe');

/** WCAG 2.0/2.1 A and AA, and axe's best practices: what issue 8 measured. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const FAILING = new Set(['serious', 'critical']);

type Theme = 'light' | 'dark';

interface Found {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: string[]; html: string; summary: string }[];
}

async function runAxe(page: Page): Promise<Found[]> {
  const injected = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  // Evaluated, not added as a <script>: the app's CSP (script-src 'self') rightly refuses inline scripts.
  if (!injected) await page.evaluate(axe.source);
  return page.evaluate(async (tags) => {
    const w = window as unknown as { axe: typeof import('axe-core') };
    const result = await w.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String), html: n.html.slice(0, 200), summary: n.failureSummary ?? '' })),
    }));
  }, TAGS);
}

/** Switches the colour scheme the page is shown in (the app follows the system's until the user picks one). */
async function showTheme(page: Page, theme: Theme): Promise<void> {
  await page.emulateMedia({ colorScheme: theme });
  await page.waitForFunction((t) => document.documentElement.getAttribute('data-mantine-color-scheme') === t, theme, { timeout: 5000 });
  await settle(page);
}

function describeViolations(screen: string, theme: Theme, found: Found[]): string {
  return found
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 8)
        .map((n) => `    ${n.target.join(' ')}\n      ${n.html.replace(/\s+/g, ' ')}\n      ${n.summary.split('\n').slice(0, 3).join(' / ')}`)
        .join('\n');
      const more = v.nodes.length > 8 ? `\n    … and ${v.nodes.length - 8} more` : '';
      return `[${screen}, ${theme}] ${v.id} (${v.impact}, ${v.nodes.length} nodes): ${v.help}\n  ${v.helpUrl}\n${nodes}${more}`;
    })
    .join('\n');
}

/**
 * Runs axe on the screen the page shows, in light and then dark, and throws listing every
 * serious or critical violation. The page is left in the colour scheme it was in.
 */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const wasDark = await page.evaluate(() => document.documentElement.getAttribute('data-mantine-color-scheme') === 'dark');
  const report: Record<string, Found[]> = {};
  const failures: string[] = [];
  try {
    for (const theme of ['light', 'dark'] as const) {
      await showTheme(page, theme);
      const found = await runAxe(page);
      report[theme] = found;
      const failing = found.filter((v) => v.impact !== null && FAILING.has(v.impact));
      if (failing.length > 0) failures.push(describeViolations(screen, theme, failing));
      if (process.env.AXE_SCREENSHOTS) {
        await mkdir(SCREENSHOTS, { recursive: true });
        await page.screenshot({ path: join(SCREENSHOTS, `axe-${screen}-${theme}.png`), fullPage: true });
      }
    }
  } finally {
    await showTheme(page, wasDark ? 'dark' : 'light');
  }
  await mkdir(AXE_OUTPUT, { recursive: true });
  await writeFile(join(AXE_OUTPUT, `${screen}.json`), JSON.stringify(report, null, 2));
  if (failures.length > 0) throw new Error(`Serious or critical accessibility violations:\n${failures.join('\n')}`);
}
