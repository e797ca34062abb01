/**
 * CLIP tokenization as Hugging Face's Python tokenizer does it, on top of transformers.js's BPE.
 *
 * Why not `tokenizer(texts, { truncation: true })`: transformers.js 4.3.1 cuts the sequence after
 * the special tokens were added, so a long prompt loses its end-of-text token (measured on the
 * golden 122-token prompt: last id 1070 instead of 49407, text embedding off by 3.5). CLIP pools
 * the hidden state at the end-of-text token, so we keep it: `[BOS] + content[:75] + [EOS]`.
 */
import type { PreTrainedTokenizer } from '@huggingface/transformers';
import { cutAndPad, type Tokens } from '../tokens';

export const CLIP_CONTEXT_LENGTH = 77;

export type Padding = 'max_length' | 'longest';

/** Tokenizes, truncates to 77 keeping the end-of-text token, and pads with the pad token. */
export function tokenizeClip(
  tokenizer: PreTrainedTokenizer,
  texts: readonly string[],
  padding: Padding = 'max_length',
  maxLength = CLIP_CONTEXT_LENGTH,
): Tokens {
  const eos = tokenizer.eos_token_id;
  const pad = tokenizer.pad_token_id ?? eos;
  const seqs = texts.map((t) => tokenizer.encode(t));
  return cutAndPad(seqs, maxLength, eos, pad, padding === 'max_length' ? maxLength : undefined);
}
