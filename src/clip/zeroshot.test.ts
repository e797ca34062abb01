import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadImageTextModel, type ImageTextModel, type TextEmbeddings } from '../models';
import { CLIP_LOGIT_SCALE } from '../models/clip/family';
import { agreement, loadGolden, TINY_CLIP_DIR } from './testing/golden';
import { normalizeRows } from '../math/vector';
import {
  embedClasses,
  fillTemplate,
  loadEnsemble,
  parseLabels,
  scoreImages,
  validateLabels,
  validateTemplates,
  type ClassEmbeddings,
} from './zeroshot';

const g = loadGolden();

describe('labels and templates', () => {
  it('parses comma and line separated labels', () => {
    expect(parseLabels(' cat, dog ')).toEqual(['cat', 'dog']);
    expect(parseLabels('cat\n\n dog\nred car, bus\n')).toEqual(['cat', 'dog', 'red car', 'bus']);
    expect(parseLabels('cat,,dog')).toEqual(['cat', '', 'dog']);
    expect(parseLabels('   ')).toEqual([]);
  });

  it('names every problem', () => {
    expect(validateLabels(['cat', 'dog'])).toEqual([]);
    expect(validateLabels([])).toEqual(['no labels given: at least one class name is needed']);
    expect(validateLabels(['cat', '', 'dog'])).toEqual(['label 2 is empty']);
    expect(validateLabels(['cat', '  '])).toEqual(['label 2 is empty']);
    expect(validateLabels([' cat'])).toEqual(['label 1 (" cat") has leading or trailing whitespace']);
    expect(validateLabels(['cat', 'dog', 'Cat'])).toEqual(['duplicate label "Cat" (labels 1 and 3)']);
    expect(validateLabels(['cat', 'cat'], { allowDuplicates: true })).toEqual([]);
    expect(validateTemplates(['a photo of a {}.', 'a cat'])).toEqual(['template 2 ("a cat") has no {} placeholder for the class name']);
    expect(fillTemplate('a {} or another {}', 'cat')).toBe('a cat or another cat');
  });

  it('loads CLIP ensembles (ImageNet keeps its two repeated names)', async () => {
    const c10 = await loadEnsemble('cifar10');
    expect([c10.classes.length, c10.templates.length, c10.classes[0], c10.templates[0]]).toEqual([10, 18, 'airplane', 'a photo of a {}.']);
    const c100 = await loadEnsemble('cifar100');
    expect([c100.classes.length, c100.templates.length]).toEqual([100, 18]);
    const inet = await loadEnsemble('imagenet');
    expect([inet.classes.length, inet.templates.length]).toEqual([1000, 80]);
    expect(validateLabels(inet.classes)).toHaveLength(2);
    expect(validateLabels(inet.classes, { allowDuplicates: true })).toEqual([]);
    expect(validateTemplates(inet.templates)).toEqual([]);
  });
});

describe('ensembling and scoring', () => {
  it('averages normalised prompt embeddings per class and normalises again', async () => {
    // Fake encoder: prompt -> fixed 2-D vectors of different lengths (normalised like the real one).
    const table: Record<string, number[]> = { 'A x': [3, 0], 'B x': [0, 2], 'A y': [0, 5], 'B y': [4, 4] };
    const fake = {
      async encodeTexts(texts: readonly string[]): Promise<TextEmbeddings> {
        const e = normalizeRows(Float32Array.from(texts.flatMap((t) => table[t])), 2);
        return { embeds: e, count: texts.length, dim: 2, truncated: texts.map(() => false) };
      },
    };
    const c = await embedClasses(fake, ['x', 'y'], ['A {}', 'B {}']);
    // x: mean([1,0],[0,1]) -> [0.707,0.707]; y: mean([0,1],[0.707,0.707]) -> normalised
    const y = [0.7071068 / 2, (1 + 0.7071068) / 2];
    const n = Math.hypot(y[0], y[1]);
    expect(Array.from(c.embeds)).toEqual([Math.SQRT1_2, Math.SQRT1_2, y[0] / n, y[1] / n].map((v) => expect.closeTo(v, 6)));
  });

  it('scores the golden embeddings into the golden logits_per_image, softmax rows sum to 1', () => {
    const classes: ClassEmbeddings = { labels: g.texts, embeds: Float32Array.from(g.text_embeds.flat()), dim: 16, truncatedPrompts: [] };
    const scores = scoreImages(Float32Array.from(g.image_embeds.flat()), classes, { kind: 'softmax', scale: CLIP_LOGIT_SCALE, bias: 0 });
    expect(scores).toHaveLength(9);
    const maxAbs = Math.max(...scores.flatMap((s, i) => s.logits.map((l, t) => Math.abs(l - g.logits_per_image[i][t]))));
    expect(maxAbs).toBeLessThan(1e-3);
    for (const s of scores) {
      expect(s.probs.reduce((a, b) => a + b)).toBeCloseTo(1, 12);
      const e = s.logits.map((l) => Math.exp(l - Math.max(...s.logits)));
      expect(s.probs[0]).toBeCloseTo(e[0] / e.reduce((a, b) => a + b), 12);
    }
    expect(CLIP_LOGIT_SCALE).toBeCloseTo(100.003, 3);
  });
});

describe('ensembles on the tiny model', () => {
  let m: ImageTextModel;
  beforeAll(async () => {
    m = await loadImageTextModel({ kind: 'path', path: TINY_CLIP_DIR }, { device: 'cpu' });
  });
  afterAll(async () => m?.dispose());

  it('a one-template class embedding is that prompt golden text_embed', async () => {
    const c = await embedClasses(m, ['cat', 'dog'], ['a photo of a {}']);
    expect(agreement(c.embeds, g.text_embeds.slice(0, 2)).minCosine).toBeGreaterThan(0.99999);
  });

  it('reports prompts that were cut at 77 tokens', async () => {
    const long = 'very long prompt '.repeat(30).trim();
    const c = await embedClasses(m, ['cat', long], ['a photo of a {}.']);
    expect(c.truncatedPrompts).toEqual([`a photo of a ${long}.`]);
  });
});
