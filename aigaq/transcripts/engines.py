"""Machine drafts: speech recognition and machine translation behind one small interface
(issue #18; decision 0034).

Both engines are optional and never required: each runs a model from a folder the operator
names (``AIGAQ_ASR_MODEL``, ``AIGAQ_MT_MODEL``, or ``--model`` on the command line) and nothing
is ever downloaded; without one, the pages and the command say how to set one up. What an
engine makes is a *machine draft* a person corrects (services.machine_draft_save,
services.machine_translation_save); it never replaces what a person wrote.

* `Recogniser` (speech → timed segments): `WhisperRecogniser`, faster-whisper over
  CTranslate2 on the CPU. The model folder is a CTranslate2 conversion of a Whisper model with
  its ``tokenizer.json`` (without it faster-whisper would fetch one from the internet, so a
  folder without it is refused). Whisper knows Kazakh, Russian and Chinese but no Uyghur and no
  Kyrgyz, and it is weak on Kazakh: `WHISPER_LANGUAGES` lists what it is asked for.
* `Translator` (texts → texts, one for one): `CTranslate2Translator`, a CTranslate2 translation
  model (OPUS-MT, NLLB, M2M-100 converted with ``ct2-*-converter``) with its SentencePiece
  model(s). A multilingual model names the languages with tokens: an optional
  ``aigaq-languages.json`` in the folder says which (``{"source_prefix": {"kk": "kaz_Cyrl"},
  "target_prefix": {"en": "eng_Latn"}, "source_suffix": ["</s>"]}``).

Engines know nothing of the database: they take sound or texts and give segments or texts.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Final, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from aigaq.transcripts import languages

#: Our language codes → Whisper's. Whisper has no Uyghur and no Kyrgyz: those are refused
#: rather than transcribed as some other language.
WHISPER_LANGUAGES: Final = {
    "kk": "kk",
    "ru": "ru",
    "zh_Hans": "zh",
    "en": "en",
    "tr": "tr",
    "ar": "ar",
    "fr": "fr",
    "de": "de",
    "ko": "ko",
    "ja": "ja",
    "uz": "uz",
}
#: Languages Whisper transcribes poorly: the interface says so beside the button.
WHISPER_WEAK: Final = frozenset({"kk", "uz"})

SAMPLE_RATE: Final = 16000
ASR = "asr"
MT = "mt"


class EngineUnavailable(ValidationError):
    """No engine can run: no model named, a folder that is not a model, a language the model
    does not know. The message says what to do."""


@dataclass(frozen=True)
class DraftSegment:
    start_ms: int
    end_ms: int
    text: str


class Recogniser(Protocol):
    name: str

    def recognise(
        self, audio: Any, *, language: str, progress: Callable[[int, int], None] | None = None
    ) -> Iterator[DraftSegment]: ...


class Translator(Protocol):
    name: str

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]: ...


# --- where the models are ----------------------------------------------------------------------


def model_path(kind: str, override: str | None = None) -> Path:
    """The model folder of `kind` (ASR or MT): `override` (the command's --model), else the
    setting. EngineUnavailable, saying how to set it up, when there is none."""
    configured = override or (settings.ASR_MODEL_PATH if kind == ASR else settings.MT_MODEL_PATH)
    if not configured:
        if kind == ASR:
            raise EngineUnavailable(
                _(
                    "No speech-recognition model is set up. An administrator puts a "
                    "faster-whisper model in a folder on the server and names it in "
                    "AIGAQ_ASR_MODEL (or gives --model to `aigaq transcripts draft`)."
                ),
                code="no_model",
            )
        raise EngineUnavailable(
            _(
                "No machine-translation model is set up. An administrator puts a CTranslate2 "
                "translation model and its SentencePiece model in a folder on the server and "
                "names it in AIGAQ_MT_MODEL (or gives --model to `aigaq transcripts draft`)."
            ),
            code="no_model",
        )
    path = Path(configured).expanduser()
    if not path.is_dir():
        raise EngineUnavailable(
            _("There is no model folder %(p)s.") % {"p": path}, code="no_model_folder"
        )
    if not (path / "model.bin").is_file():
        raise EngineUnavailable(
            _(
                "%(p)s holds no CTranslate2 model (model.bin): convert the model with "
                "CTranslate2's converter first."
            )
            % {"p": path},
            code="not_a_model",
        )
    return path


def configured(kind: str) -> bool:
    """Whether the setting names a model folder (the button is offered); whether it loads is
    found out by the job."""
    return bool(settings.ASR_MODEL_PATH if kind == ASR else settings.MT_MODEL_PATH)


# --- speech recognition ------------------------------------------------------------------------


def whisper_language(language: str) -> str:
    try:
        return WHISPER_LANGUAGES[language]
    except KeyError:
        raise EngineUnavailable(
            _(
                "Speech recognition does not know %(lang)s (Whisper has no Uyghur and no "
                "Kyrgyz): transcribe it by hand."
            )
            % {"lang": languages.name_of(language)},
            code="language",
        ) from None


def decode_audio(source: BinaryIO) -> Any:
    """The sound of a media file (a seekable file object: the archive's decrypting reader, so
    no clear copy is ever written) as 16 kHz mono float32 samples, by PyAV (FFmpeg's
    libraries). About 64 kB a second: 230 MB for an hour."""
    from faster_whisper.audio import decode_audio as fw_decode

    try:
        return fw_decode(source, sampling_rate=SAMPLE_RATE)
    except Exception as exc:  # PyAV's errors: no sound stream, a damaged file
        if exc.__class__.__module__.split(".")[0] != "av":
            raise
        raise EngineUnavailable(
            _("The sound of this file cannot be read (%(why)s).") % {"why": str(exc)[:200]},
            code="audio",
        ) from None


def clean_segments(raw: Sequence[tuple[float, float, str]], duration_ms: int) -> list[DraftSegment]:
    """An engine's segments as a transcript may hold them: inside the recording, in order,
    none overlapping the one before, each at least 1 ms long, text stripped, empty ones left
    out. (A model may say a segment ends after the recording does, or starts before the last
    one ended.)"""
    out: list[DraftSegment] = []
    last_end = 0
    for start, end, text in raw:
        words = " ".join((text or "").split())
        if not words:
            continue
        start_ms = max(int(round(start * 1000)), last_end, 0)
        end_ms = min(int(round(end * 1000)), duration_ms)
        if end_ms <= start_ms:
            continue
        out.append(DraftSegment(start_ms, end_ms, words))
        last_end = end_ms
    return out


class WhisperRecogniser:
    """faster-whisper on the CPU (int8 where the CPU has it), greedy decoding (beam 1: the
    draft is corrected by a person anyway, and it is several times faster)."""

    name = "faster-whisper"

    def __init__(self, path: Path, *, threads: int | None = None, vad: bool | None = None) -> None:
        if not (path / "tokenizer.json").is_file():
            raise EngineUnavailable(
                _(
                    "%(p)s has no tokenizer.json: copy the one of the Whisper model into the "
                    "folder (nothing is downloaded at run time)."
                )
                % {"p": path},
                code="no_tokenizer",
            )
        from faster_whisper import WhisperModel

        self.path = path
        self.vad = settings.ASR_VAD if vad is None else vad
        try:
            self.model = WhisperModel(
                str(path),
                device="cpu",
                compute_type="default",
                cpu_threads=threads or settings.ENGINE_THREADS,
                local_files_only=True,
            )
        except (RuntimeError, ValueError, OSError) as exc:
            raise EngineUnavailable(
                _("The speech-recognition model in %(p)s cannot be loaded: %(why)s")
                % {"p": path, "why": str(exc)[:200]},
                code="load",
            ) from None
        if not self.model.model.is_multilingual:
            raise EngineUnavailable(
                _("The model in %(p)s knows English only; testimonies need a multilingual one.")
                % {"p": path},
                code="english_only",
            )

    def recognise(
        self, audio: Any, *, language: str, progress: Callable[[int, int], None] | None = None
    ) -> Iterator[DraftSegment]:
        """The segments of `audio` (16 kHz mono samples), cleaned (`clean_segments`) as they
        come; `progress(done_ms, total_ms)` after each."""
        code = whisper_language(language)
        duration_ms = int(len(audio) * 1000 / SAMPLE_RATE)
        segments, _info = self.model.transcribe(
            audio,
            language=code,
            task="transcribe",
            beam_size=1,
            temperature=0.0,
            condition_on_previous_text=False,
            vad_filter=self.vad,
        )
        last_end = 0
        for seg in segments:
            for cleaned in clean_segments([(seg.start, seg.end, seg.text)], duration_ms):
                if cleaned.start_ms < last_end:
                    cleaned = DraftSegment(last_end, cleaned.end_ms, cleaned.text)
                    if cleaned.end_ms <= cleaned.start_ms:
                        continue
                last_end = cleaned.end_ms
                yield cleaned
            if progress is not None:
                progress(min(int(seg.end * 1000), duration_ms), duration_ms)


def recogniser(override: str | None = None) -> WhisperRecogniser:
    return WhisperRecogniser(model_path(ASR, override))


# --- machine translation -----------------------------------------------------------------------

_SPM_NAMES: Final = ("sentencepiece.model", "sentencepiece.bpe.model", "spm.model")


class CTranslate2Translator:
    """A CTranslate2 translation model with its SentencePiece model(s): ``source.spm`` and
    ``target.spm`` (OPUS-MT), or one shared model (``sentencepiece.model``,
    ``sentencepiece.bpe.model``); the optional ``aigaq-languages.json`` names the language
    tokens of a multilingual model."""

    name = "ctranslate2"

    def __init__(self, path: Path, *, threads: int | None = None) -> None:
        import ctranslate2
        import sentencepiece

        self.path = path
        source_spm = path / "source.spm"
        target_spm = path / "target.spm"
        if not (source_spm.is_file() and target_spm.is_file()):
            shared = next((path / n for n in _SPM_NAMES if (path / n).is_file()), None)
            if shared is None:
                raise EngineUnavailable(
                    _(
                        "%(p)s has no SentencePiece model (source.spm and target.spm, or "
                        "sentencepiece.model): copy the translation model's into the folder."
                    )
                    % {"p": path},
                    code="no_tokenizer",
                )
            source_spm = target_spm = shared
        self.languages: dict[str, Any] = {}
        names = path / "aigaq-languages.json"
        try:
            if names.is_file():
                self.languages = json.loads(names.read_text(encoding="utf-8"))
            self.source_sp = sentencepiece.SentencePieceProcessor(model_file=str(source_spm))
            self.target_sp = sentencepiece.SentencePieceProcessor(model_file=str(target_spm))
            self.model = ctranslate2.Translator(
                str(path), device="cpu", intra_threads=threads or settings.ENGINE_THREADS
            )
        except (RuntimeError, ValueError, OSError) as exc:
            raise EngineUnavailable(
                _("The translation model in %(p)s cannot be loaded: %(why)s")
                % {"p": path, "why": str(exc)[:200]},
                code="load",
            ) from None

    def _prefix(self, side: str, language: str) -> list[str]:
        table = self.languages.get(f"{side}_prefix") or {}
        if not table:
            return []
        token = table.get(language)
        if token is None:
            raise EngineUnavailable(
                _("The translation model in %(p)s does not know %(lang)s.")
                % {"p": self.path, "lang": languages.name_of(language)},
                code="language",
            )
        return [token]

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        """Each text translated (an empty text stays empty), in the same order."""
        head = self._prefix("source", source)
        tail = list(self.languages.get("source_suffix") or [])
        target_prefix = self._prefix("target", target)
        wanted = [n for n, t in enumerate(texts) if t.strip()]
        batch = [head + self.source_sp.encode(texts[n], out_type=str) + tail for n in wanted]
        out = [""] * len(texts)
        if not batch:
            return out
        results = self.model.translate_batch(
            batch,
            target_prefix=[target_prefix] * len(batch) if target_prefix else None,
            beam_size=2,
            max_batch_size=16,
            max_decoding_length=256,
        )
        for n, result in zip(wanted, results, strict=True):
            tokens = result.hypotheses[0]
            if target_prefix and tokens[: len(target_prefix)] == target_prefix:
                tokens = tokens[len(target_prefix) :]
            out[n] = " ".join(self.target_sp.decode(tokens).split())
        return out


def translator(override: str | None = None) -> CTranslate2Translator:
    return CTranslate2Translator(model_path(MT, override))
