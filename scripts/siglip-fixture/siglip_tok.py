"""Tiny SentencePiece-style Unigram tokenizer for the tiny-random-siglip fixture.

Two things live here:
  * build_vocab()/tokenizer_json(): the vocabulary (pieces + log-prob scores) and the
    Hugging Face `tokenizer.json` that transformers.js runs;
  * encode(): an independent pure-Python reference of what Hugging Face's SiglipTokenizer
    does (lower-case, canonicalize_text = drop string.punctuation, collapse whitespace, strip;
    prefix "\u2581", spaces -> "\u2581"; Unigram Viterbi; append </s>; truncate to 63 + </s>,
    pad with </s> to 64). The golden input_ids come from this, not from transformers.js.
"""
import math
import re
import string

SPIECE = "\u2581"
PAD, EOS, UNK = "<pad>", "</s>", "<unk>"
MAX_LEN = 64

# Word list with made-up corpus counts (Zipf-like). Order does not matter; scores are
# log(count / total), plus a tiny per-piece offset so that no two pieces share a score.
WORDS = """
a:900 photo:400 of:800 the:700 an:300 cat:120 dog:118 car:90 bird:80 astronaut:20
coffee:40 cup:45 picture:150 image:140 zebra:15 horse:50 person:110 man:100 woman:98
child:60 tree:70 house:65 street:55 city:52 sky:48 water:47 beach:30 mountain:28 flower:35
food:44 plate:33 table:32 chair:31 computer:27 phone:29 book:26 ball:25 boat:24 train:23
plane:22 bus:21 truck:19 bike:18 red:85 blue:84 green:83 black:82 white:81 gray:34
small:58 large:57 big:56 very:75 long:74 prompt:12 and:600 with:500 on:450 in:550 at:250
is:400 this:300 that:280 there:200 two:160 three:90 one:170 some:100 gradient:8 checker:7
checkerboard:6 pattern:16 noise:9 texture:10 close:14 up:66 cats:61 dogs:59 le:5 les:5
devant:3 autres:3 emoji:4 hello:13 world:12 yes:11 no:40 not:95 cute:17 funny:9 old:39
new:38 good:36 bad:13 dark:21 light:20 night:19 day:37 sun:15 moon:9 snow:11 rain:10
""".split()

SUBWORDS = """
s:300 es:80 ed:90 ing:120 er:110 ly:60 est:30 ion:50 al:45 re:70 un:40 th:55 ch:35 sh:25
ou:28 an:65 in:75 on:66 at:58 it:52 or:49 ar:47 en:62 st:44 le:38 ck:20 pp:12 ll:26 oo:22
""".split()


def build_vocab():
    """Return [(piece, score), ...]; ids 0/1/2 are <pad>, </s>, <unk> like SigLIP/T5."""
    counts = {}
    for item in WORDS:
        w, c = item.split(":")
        counts[SPIECE + w] = counts.get(SPIECE + w, 0) + int(c)
    for item in SUBWORDS:
        w, c = item.split(":")
        counts[w] = counts.get(w, 0) + int(c)
    # Single characters so any ASCII text (after canonicalisation) tokenizes without <unk>,
    # both word-initial ("\u2581x") and inner ("x"); low counts so whole words win.
    for i, ch in enumerate(string.ascii_lowercase + string.digits):
        counts.setdefault(SPIECE + ch, 3 + (i % 5))
        counts.setdefault(ch, 4 + (i % 7))
    counts.setdefault(SPIECE, 2)
    for i, ch in enumerate(string.punctuation):  # removed by the normalizer; kept for completeness
        counts.setdefault(ch, 1)
    # A few non-ASCII letters.
    for ch in "\u00e9\u00e8\u00e0\u00fc\u00f6\u00e7":
        counts.setdefault(ch, 2)
    total = float(sum(counts.values()))
    pieces = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    vocab = [(PAD, 0.0), (EOS, 0.0), (UNK, 0.0)]
    for rank, (p, c) in enumerate(pieces):
        score = math.log(c / total) - 1e-4 * rank  # distinct scores -> no Viterbi ties
        vocab.append((p, round(score, 6)))
    return vocab


PUNCT_RE = "[" + re.escape(string.punctuation) + "]"


def tokenizer_json(vocab):
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": i, "content": tok, "single_word": False, "lstrip": True, "rstrip": True,
             "normalized": False, "special": True}
            for i, tok in enumerate([PAD, EOS, UNK])
        ],
        "normalizer": {
            "type": "Sequence",
            "normalizers": [
                {"type": "Lowercase"},
                {"type": "Replace", "pattern": {"Regex": PUNCT_RE}, "content": ""},
                {"type": "Replace", "pattern": {"Regex": "\\s+"}, "content": " "},
                {"type": "Strip", "strip_left": True, "strip_right": True},
            ],
        },
        "pre_tokenizer": {"type": "Metaspace", "replacement": SPIECE, "prepend_scheme": "always", "split": True},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": EOS, "type_id": 0}}],
            "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": EOS, "type_id": 0}},
                     {"Sequence": {"id": "B", "type_id": 0}}, {"SpecialToken": {"id": EOS, "type_id": 0}}],
            "special_tokens": {EOS: {"id": EOS, "ids": [1], "tokens": [EOS]}},
        },
        "decoder": {"type": "Metaspace", "replacement": SPIECE, "prepend_scheme": "always", "split": True},
        "model": {"type": "Unigram", "unk_id": 2, "vocab": [[p, s] for p, s in vocab], "byte_fallback": False},
    }


def tokenizer_config():
    return {
        "added_tokens_decoder": {
            str(i): {"content": tok, "lstrip": True, "normalized": False, "rstrip": True,
                     "single_word": False, "special": True}
            for i, tok in enumerate([PAD, EOS, UNK])
        },
        "additional_special_tokens": [],
        "clean_up_tokenization_spaces": True,
        "do_lower_case": True,
        "eos_token": EOS,
        "model_input_names": ["input_ids"],
        "model_max_length": MAX_LEN,
        "pad_token": EOS,
        "processor_class": "SiglipProcessor",
        "sp_model_kwargs": {},
        "tokenizer_class": "SiglipTokenizer",
        "unk_token": UNK,
    }


def special_tokens_map():
    t = lambda s: {"content": s, "lstrip": True, "normalized": False, "rstrip": True, "single_word": False}
    return {"eos_token": t(EOS), "pad_token": t(EOS), "unk_token": t(UNK)}


# ---------------------------------------------------------------- reference encoder
def canonicalize(text):
    """SiglipTokenizer: lower-case (do_lower_case), canonicalize_text (big_vision)."""
    text = text.lower()
    text = text.translate(str.maketrans("", "", string.punctuation))
    text = re.sub(r"\s+", " ", text)
    return text.strip()


def viterbi(word, vocab):
    """Unigram Viterbi over one "\u2581word" (pieces never contain an inner \u2581)."""
    scores = {p: s for p, s in vocab[3:]}
    ids = {p: i for i, (p, _) in enumerate(vocab)}
    unk_score = min(scores.values()) - 10.0  # as sentencepiece / HF tokenizers: min - 10
    maxlen = max(len(p) for p in scores)
    n = len(word)
    best = [(-math.inf, None, None)] * (n + 1)
    best[0] = (0.0, None, None)
    for end in range(1, n + 1):
        for start in range(max(0, end - maxlen), end):
            piece = word[start:end]
            if piece in scores:
                s = best[start][0] + scores[piece]
            elif end - start == 1:
                s = best[start][0] + unk_score
                piece = UNK
            else:
                continue
            if s > best[end][0]:
                best[end] = (s, start, piece)
    out = []
    pos = n
    while pos > 0:
        _, start, piece = best[pos]
        out.append(ids[piece])
        pos = start
    return out[::-1]


def encode(text, vocab, max_length=MAX_LEN, pad=True):
    text = canonicalize(text)
    ids = []
    if text:
        for w in text.split(" "):
            ids += viterbi(SPIECE + w, vocab)
    ids = ids[: max_length - 1] + [1]  # truncation keeps room for </s> (HF truncation=True)
    if pad:
        ids += [1] * (max_length - len(ids))  # pad_token = </s> (id 1), right padding
    return ids
