import { describe, expect, it } from 'vitest';
import { doubledArticles, templateArticle, withoutArticle } from './article-check';

describe('doubled articles', () => {
  it('finds classes that bring their own article when the template has one', () => {
    expect(templateArticle('a photo of a {}.')).toBe('a');
    expect(doubledArticles('a photo of a {}.', ['a cat', 'dog', 'An owl', 'the sky', 'apple'])).toEqual(['a cat', 'An owl', 'the sky']);
  });
  it('says nothing when the template has no article before {}', () => {
    expect(doubledArticles('a photo of {}.', ['a cat'])).toEqual([]);
    expect(doubledArticles('{}', ['a cat'])).toEqual([]);
  });
  it('offers the template without its article', () => {
    expect(withoutArticle('a photo of a {}.')).toBe('a photo of {}.');
    expect(withoutArticle('a blurry photo of the {}, outdoors')).toBe('a blurry photo of {}, outdoors');
  });
});
