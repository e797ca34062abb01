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
import { cutAndPad, type Tokens } from '../tokens';

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
  const seqs = texts.map((t) => [...tokenizer.encode(canonicalizeSiglip(t), { add_special_tokens: false }), eos]);
  return cutAndPad(seqs, maxLength, eos, pad, maxLength);
}
