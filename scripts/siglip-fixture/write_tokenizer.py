"""Write tokenizer.json, tokenizer_config.json, special_tokens_map.json into the fixture folder."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import siglip_tok as tok  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUT = os.path.join(REPO, "e2e", "fixtures", "tiny-random-siglip")


def dump(name, obj):
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2, ensure_ascii=False)
        f.write("\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    vocab = tok.build_vocab()
    dump("tokenizer.json", tok.tokenizer_json(vocab))
    dump("tokenizer_config.json", tok.tokenizer_config())
    dump("special_tokens_map.json", tok.special_tokens_map())
    return vocab


if __name__ == "__main__":
    v = main()
    print("vocab size", len(v))
