// Checks of a rendered page the browser tests share: every form control labelled, and the lowest text
// contrast on the page (WCAG AA asks 4.5:1 for text).
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

// the page's globals inside page.evaluate (the project's TypeScript has no DOM library)
declare const document: any, Node: any, window: any;
declare function getComputedStyle(el: unknown): { color: string; backgroundColor: string };

/** The visible inputs, selects and textareas in the main area that have no label a screen reader reads. */
export function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('main input, main select, main textarea')]
      .filter((el: any) => el.offsetParent !== null && el.type !== 'hidden')
      .filter((el: any) => !(el.labels?.length > 0 || el.getAttribute('aria-label')))
      .map((el: any) => String(el.outerHTML).slice(0, 80)),
  );
}

/** The visible text with the lowest contrast against its background, and that contrast. */
export function lowestContrast(page: Page): Promise<{ ratio: number; text: string }> {
  return page.evaluate(() => {
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = (c: string) => {
      const [r, g, b] = rgb(c).map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const background = (el: any): string => {
      for (; el; el = el.parentElement) {
        const bg = getComputedStyle(el).backgroundColor;
        if (rgb(bg)[3] !== 0 && bg !== 'transparent') return bg;
      }
      return 'rgb(255, 255, 255)';
    };
    let worst = { ratio: 21, text: '' };
    for (const el of document.querySelectorAll('body *')) {
      const own = [...el.childNodes].some((n: any) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim());
      // WCAG exempts the text of disabled controls
      if (!own || el.offsetParent === null || el.closest('.sr-only') || el.closest(':disabled')) continue;
      const [a, b] = [lum(getComputedStyle(el).color), lum(background(el))].sort((x, y) => y - x);
      const ratio = (a! + 0.05) / (b! + 0.05);
      if (ratio < worst.ratio) worst = { ratio, text: el.textContent!.trim().slice(0, 40) };
    }
    return worst;
  });
}

/** Every visible input, select and textarea has a label a screen reader reads; no page scrolls sideways. */
export async function accessibleAndFits(page: Page): Promise<void> {
  const unlabelled = await unlabelledControls(page);
  expect(unlabelled).toEqual([]);
  for (const width of [1280, 1024]) {
    await page.setViewportSize({ width, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  // WCAG AA: every visible text at least 4.5:1 against what is behind it (the availability colours too)
  const lowest = await lowestContrast(page);
  expect(lowest.ratio, `lowest contrast: "${lowest.text}"`).toBeGreaterThanOrEqual(4.5);
}
