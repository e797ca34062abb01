/**
 * A template whose article meets a class that has its own ("a photo of a {}." with "a cat" gives
 * "a photo of a a cat."): found here so the class editor can warn and offer the fix.
 */
const ARTICLE = /^(a|an|the)\s+/i;

/** The article the template puts right before {} ("a", "an", "the"), or null. */
export function templateArticle(template: string): string | null {
  return /\b(a|an|the)\s+\{\}/i.exec(template)?.[1] ?? null;
}

/** Classes that start with an article of their own, when the template already gives one. */
export function doubledArticles(template: string, classes: readonly string[]): string[] {
  if (!templateArticle(template)) return [];
  return classes.filter((c) => ARTICLE.test(c));
}

/** The template without the article before {} (the fix offered): "a photo of a {}." → "a photo of {}.". */
export function withoutArticle(template: string): string {
  return template.replace(/\b(a|an|the)\s+\{\}/i, '{}');
}
