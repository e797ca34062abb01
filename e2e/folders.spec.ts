/** Folder drops: labels from folder names (accuracy, confusion), many files (virtualised grid), duplicates by hash. */
import { mkdtempSync, mkdirSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from './test';
import { CLIP_GOLDEN_DIR, classify, openClip, setClasses, waitModelReady } from './helpers';

test('a dropped folder of 300 images: labels, accuracy, confusion matrix, a bounded DOM, duplicates found', async ({ page, host }) => {
  test.setTimeout(240_000);
  const root = mkdtempSync(join(tmpdir(), 'lab-folder-'));
  const dir = join(root, 'photos');
  const sources: Record<string, string> = { cat: 'chelsea.png', astronaut: 'astronaut.png', checkerboard: 'checker_300x200.png' };
  const perClass = 100;
  for (const [label, src] of Object.entries(sources)) {
    mkdirSync(join(dir, label), { recursive: true });
    for (let i = 0; i < perClass; i++) copyFileSync(join(CLIP_GOLDEN_DIR, src), join(dir, label, `${label}-${String(i).padStart(3, '0')}.png`));
  }
  try {
    await openClip(page, host.url, { device: 'wasm' });
    await waitModelReady(page);
    await page.getByTestId('folder-input').setInputFiles(dir);
    await expect(page.getByTestId('image-count')).toContainText('300');
    await setClasses(page, ['cat', 'astronaut', 'checkerboard'], 'a photo of a {}.');
    const t0 = Date.now();
    expect(await classify(page, 200_000)).toBe('done');
    console.log(`300 images classified in ${((Date.now() - t0) / 1000).toFixed(1)} s (3 distinct contents, embeddings cached by hash)`);
    await expect(page.getByTestId('results-count')).toContainText('300 images classified, 0 could not be read');
    await expect(page.getByTestId('accuracy')).toContainText('of 300');
    await expect(page.getByTestId('confusion').locator('tbody tr')).toHaveCount(3);
    // Only the visible rows of the grid are in the DOM.
    const inDom = await page.getByTestId('result-card').count();
    expect(inDom).toBeGreaterThan(0);
    expect(inDom).toBeLessThan(100);
    // Copies are recognised by content: every card but the first of each content names its original.
    await expect(page.getByTestId('result-card').nth(1)).toContainText('= photos/astronaut/astronaut-000.png');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
