"""Tiny models with random weights, built by the tests (no torch, no download), so that the
real engine adapters (aigaq/transcripts/engines.py) run end to end in `make test`:

* `build_whisper(folder)`: a Whisper model in CTranslate2's format (ctranslate2.specs.
  WhisperSpec filled with small numpy arrays), with the `tokenizer.json` and
  `preprocessor_config.json` faster-whisper reads. Its vocabulary has Whisper's layout, which
  CTranslate2 and faster-whisper rely on: 50,257 text tokens (the last one the empty token,
  by which CTranslate2 knows a multilingual model), then <|endoftext|>,
  <|startoftranscript|>, the 99 language tokens, the task and control tokens, and 1,501
  timestamp tokens: 51,865 in all. The text tokens are byte-level BPE pieces of Kazakh
  Cyrillic syllables, so what the random model "hears" is Cyrillic.
* `build_translator(folder, source_text, target_text)`: a Transformer translation model
  (ctranslate2.specs.TransformerSpec) whose vocabularies are SentencePiece models trained here
  on the two texts, saved as source.spm and target.spm.

What they say is noise; what the tests check is that the adapters load them, run them and
store what comes out as a machine draft with sound timing and alignment.
"""

from __future__ import annotations

import io
import itertools
import json
from pathlib import Path

import numpy as np

LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі"
N_TEXT = 50257
N_TIMESTAMPS = 1501


def _byte_chars() -> dict[int, str]:
    """The printable stand-in of each byte in byte-level BPE (GPT-2's table)."""
    keep = [*range(0x21, 0x7F), *range(0xA1, 0xAD), *range(0xAE, 0x100)]
    table = {b: chr(b) for b in keep}
    extra = 0
    for b in range(256):
        if b not in table:
            table[b] = chr(256 + extra)
            extra += 1
    return table


def whisper_vocabulary() -> tuple[list[str], list[str]]:
    """(every token in id order, the special and timestamp tokens)."""
    from faster_whisper.tokenizer import _LANGUAGE_CODES

    chars = _byte_chars()

    def enc(text: str) -> str:
        return "".join(chars[b] for b in text.encode())

    text = [chars[b] for b in range(256)]
    for a, b in itertools.product(LETTERS, repeat=2):
        text.append(enc(" " + a + b))
    for a, b, c in itertools.product(LETTERS, repeat=3):
        if len(text) >= N_TEXT - 1:
            break
        text.append(enc(a + b + c))
    text.append("")  # CTranslate2 takes a vocabulary with the empty token as multilingual
    languages = [c for c in _LANGUAGE_CODES if c != "yue"]  # 99, as Whisper large-v2
    special = [
        "<|endoftext|>",
        "<|startoftranscript|>",
        *(f"<|{c}|>" for c in languages),
        "<|translate|>",
        "<|transcribe|>",
        "<|startoflm|>",
        "<|startofprev|>",
        "<|nocaptions|>",
        "<|notimestamps|>",
    ]
    stamps = ["<|%.2f|>" % (i * 0.02) for i in range(N_TIMESTAMPS)]
    return [*text, *special, *stamps], [*special, *stamps]


def _random(rng: np.random.Generator, *shape: int) -> np.ndarray:
    return (rng.standard_normal(shape) * 0.2).astype(np.float32)


def _norm(spec: object, d: int) -> None:
    spec.gamma = np.ones(d, np.float32)  # type: ignore[attr-defined]
    spec.beta = np.zeros(d, np.float32)  # type: ignore[attr-defined]


def _linear(spec: object, rng: np.random.Generator, out: int, inp: int) -> None:
    spec.weight = _random(rng, out, inp)  # type: ignore[attr-defined]
    spec.bias = np.zeros(out, np.float32)  # type: ignore[attr-defined]


def _ffn(spec: object, rng: np.random.Generator, d: int, inner: int) -> None:
    _norm(spec.layer_norm, d)  # type: ignore[attr-defined]
    _linear(spec.linear_0, rng, inner, d)  # type: ignore[attr-defined]
    _linear(spec.linear_1, rng, d, inner)  # type: ignore[attr-defined]


def _self_attention(spec: object, rng: np.random.Generator, d: int) -> None:
    _norm(spec.layer_norm, d)  # type: ignore[attr-defined]
    _linear(spec.linear[0], rng, 3 * d, d)  # type: ignore[attr-defined]
    _linear(spec.linear[1], rng, d, d)  # type: ignore[attr-defined]


def _cross_attention(spec: object, rng: np.random.Generator, d: int) -> None:
    _norm(spec.layer_norm, d)  # type: ignore[attr-defined]
    _linear(spec.linear[0], rng, d, d)  # type: ignore[attr-defined]
    _linear(spec.linear[1], rng, 2 * d, d)  # type: ignore[attr-defined]
    _linear(spec.linear[2], rng, d, d)  # type: ignore[attr-defined]


def build_whisper(folder: Path, *, d: int = 32, heads: int = 2, seed: int = 0) -> Path:
    """A random one-layer Whisper model in `folder` that faster-whisper loads (~16 MB)."""
    from ctranslate2.specs import whisper_spec
    from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers

    rng = np.random.default_rng(seed)
    mels, inner = 80, 2 * d
    tokens, special = whisper_vocabulary()
    size = len(tokens)
    spec = whisper_spec.WhisperSpec(1, heads, 1, heads)
    enc = spec.encoder
    enc.conv1.weight, enc.conv1.bias = _random(rng, d, mels, 3), np.zeros(d, np.float32)
    enc.conv2.weight, enc.conv2.bias = _random(rng, d, d, 3), np.zeros(d, np.float32)
    enc.position_encodings.encodings = _random(rng, 1500, d)
    _norm(enc.layer_norm, d)
    for layer in enc.layer:
        _self_attention(layer.self_attention, rng, d)
        _ffn(layer.ffn, rng, d, inner)
    dec = spec.decoder
    dec.embeddings.weight = _random(rng, size, d)
    dec.position_encodings.encodings = _random(rng, 448, d)
    _norm(dec.layer_norm, d)
    _linear(dec.projection, rng, size, d)
    for layer in dec.layer:
        _self_attention(layer.self_attention, rng, d)
        _cross_attention(layer.attention, rng, d)
        _ffn(layer.ffn, rng, d, inner)
    spec.register_vocabulary(tokens)
    spec.config.suppress_ids = []
    spec.config.suppress_ids_begin = [tokens.index("<|endoftext|>")]
    spec.config.lang_ids = [tokens.index(t) for t in special[2:101]]
    spec.config.alignment_heads = [(0, h) for h in range(heads)]
    spec.validate()
    folder.mkdir(parents=True, exist_ok=True)
    spec.save(str(folder))
    tokenizer = Tokenizer(models.BPE(vocab={t: i for i, t in enumerate(tokens)}, merges=[]))
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    tokenizer.add_special_tokens([AddedToken(t, special=True) for t in special])
    tokenizer.save(str(folder / "tokenizer.json"))
    (folder / "preprocessor_config.json").write_text(
        json.dumps(
            {
                "feature_size": mels,
                "sampling_rate": 16000,
                "hop_length": 160,
                "chunk_length": 30,
                "n_fft": 400,
            }
        )
    )
    return folder


def _train_spm(text: str, vocab_size: int) -> tuple[bytes, list[str]]:
    import sentencepiece

    model = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(text.splitlines() * 4),
        model_writer=model,
        vocab_size=vocab_size,
        model_type="bpe",
        character_coverage=1.0,
        hard_vocab_limit=False,
        minloglevel=2,
    )
    sp = sentencepiece.SentencePieceProcessor(model_proto=model.getvalue())
    return model.getvalue(), [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def build_translator(
    folder: Path, *, source_text: str, target_text: str, d: int = 32, seed: int = 0
) -> Path:
    """A random one-layer Transformer translation model in `folder`, with SentencePiece
    models trained on the two texts (source.spm, target.spm)."""
    from ctranslate2.specs import transformer_spec

    rng = np.random.default_rng(seed)
    source_model, source_vocab = _train_spm(source_text, 60)
    target_model, target_vocab = _train_spm(target_text, 60)
    spec = transformer_spec.TransformerSpec.from_config(1, 2)
    inner = 2 * d
    enc, dec = spec.encoder, spec.decoder
    enc.embeddings[0].weight = _random(rng, len(source_vocab), d)
    _norm(enc.layer_norm, d)
    for layer in enc.layer:
        _self_attention(layer.self_attention, rng, d)
        _ffn(layer.ffn, rng, d, inner)
    dec.embeddings.weight = _random(rng, len(target_vocab), d)
    _norm(dec.layer_norm, d)
    _linear(dec.projection, rng, len(target_vocab), d)
    for layer in dec.layer:
        _self_attention(layer.self_attention, rng, d)
        _cross_attention(layer.attention, rng, d)
        _ffn(layer.ffn, rng, d, inner)
    spec.register_source_vocabulary(source_vocab)
    spec.register_target_vocabulary(target_vocab)
    spec.validate()
    folder.mkdir(parents=True, exist_ok=True)
    spec.save(str(folder))
    (folder / "source.spm").write_bytes(source_model)
    (folder / "target.spm").write_bytes(target_model)
    return folder
