/**
 * SigLIP's text processing as Hugging Face's SiglipTokenizer + SiglipProcessor do it:
 * lower-case, ASCII punctuation removed, whitespace collapsed (`canonicalize_text`), SentencePiece,
 * `</s>` appended, cut to 64 keeping `</s>` last, padded to 64 with the pad token ALWAYS
 * (`padding="max_length"`): SigLIP was trained on 64-token rows without an attention mask and
 * pools the LAST position, so other padding changes every embedding.
 *
 * Why not transformers.js alone: the Hub's tokenizer.json has no canonicalisation step (it lives in
 * the Python tokenizer's code), and transformers.js 4.3.1 truncates after adding `</s>` (the end
 * token is lost; see src/models/clip/tokenize.ts).
 */
import type { PreTrainedTokenizer } from '@huggingface/transformers';
import type { Tokens } from '../split-model';

export const SIGLIP_CONTEXT_LENGTH = 64;

/** Python's string.punctuation */
const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;

export function canonicalizeSiglip(text: string): string {
  return text.toLowerCase().replace(PUNCTUATION, '').replace(/\s+/g, ' ').trim();
}

export function tokenizeSiglip(tokenizer: PreTrainedTokenizer, texts: readonly string[], maxLength = SIGLIP_CONTEXT_LENGTH): Tokens {
  const eos = tokenizer.eos_token_id;
  if (eos === undefined || eos === null) throw new Error('tokenizer.json has no end-of-sequence token (</s>)');
  const pad = tokenizer.pad_token_id ?? eos;
  const truncated: boolean[] = [];
  const seqs = texts.map((t) => {
    let ids = tokenizer.encode(canonicalizeSiglip(t), { add_special_tokens: false });
    ids = [...ids, eos];
    truncated.push(ids.length > maxLength);
    return ids.length > maxLength ? [...ids.slice(0, maxLength - 1), eos] : ids;
  });
  const inputIds = new BigInt64Array(texts.length * maxLength).fill(BigInt(pad));
  const attentionMask = new BigInt64Array(texts.length * maxLength);
  seqs.forEach((s, i) => {
    for (let j = 0; j < s.length; j++) {
      inputIds[i * maxLength + j] = BigInt(s[j]);
      attentionMask[i * maxLength + j] = 1n;
    }
  });
  return { inputIds, attentionMask, count: texts.length, length: maxLength, truncated };
}
