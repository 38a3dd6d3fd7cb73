"""Transcription benchmark: a 3-minute two-sided phone call in English and in Russian.

The call is built from Festival phrases (G.711 mu-law round trip, 8 kHz), administrator on
channel 0 and caller on channel 1 with pauses between turns. Each engine/setting is run on
2 threads; printed as JSON: real-time factor (processing seconds / audio seconds, model load
excluded and reported apart), peak memory (max RSS of this process), and WER against the known
text (jiwer; lower case, punctuation stripped, ё->е, numbers as words).

    .venv/bin/python scripts/bench_transcribe.py [--configs chosen,baseline,prompt+patience_2,...] [--openai-model PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

EN = [
    (0, "Good morning, Smile dental clinic, this is Anna speaking, how can I help you?"),
    (1, "Hello, my name is Peter Collins. I would like to book an appointment for a cleaning."),
    (0, "Of course. Have you visited our clinic before, or is this your first time with us?"),
    (1, "I came last year for a filling with doctor Brown, so I should be in your system."),
    (0, "Let me check. Could you please tell me your date of birth?"),
    (1, "Yes, it is the twelfth of March, nineteen eighty five."),
    (0, "Thank you, Mister Collins, I can see your card. Doctor Brown has free time next Tuesday."),
    (1, "Tuesday works for me. Is there anything in the morning?"),
    (0, "There is a slot at ten thirty in the morning and another one at eleven fifteen."),
    (1, "Ten thirty is perfect. How long will the cleaning take?"),
    (0, "A professional cleaning takes about one hour, and the price is four thousand roubles."),
    (1, "That is fine. Do I need to bring anything with me?"),
    (0, "Please bring your passport and your insurance policy if you have one."),
    (1, "I have a policy from my employer. Will it cover the cleaning?"),
    (0, "Most policies cover a yearly cleaning, but we will check it when you arrive."),
    (1, "Great. Also, one of my teeth has been sensitive to cold drinks lately."),
    (0, "I will add a note for the doctor, so she can take a look at that tooth as well."),
    (1, "Thank you. Should I come a little earlier to fill in any forms?"),
    (0, "Yes, please come ten minutes early. We will send you a reminder the day before."),
    (1, "Will the reminder come by text message or by email?"),
    (0, "By text message to the number you are calling from. Is that number correct?"),
    (1, "Yes, this is my mobile phone, you can use it."),
    (0, "Wonderful. So you are booked with doctor Brown on Tuesday at ten thirty."),
    (1, "Thank you very much for your help, Anna. Have a nice day."),
    (0, "You are welcome, Mister Collins. See you on Tuesday, goodbye."),
    (1, "Oh, sorry, one more question. Is there parking near the clinic?"),
    (0, "Yes, there is a free parking lot right behind our building, next to the pharmacy."),
    (1, "Good. And can my daughter come with me? She is seven years old."),
    (0, "Of course, she can wait in our children's corner while you are with the doctor."),
    (1, "Wonderful, she will like that. Thank you again."),
    (0, "If your plans change, please call us at least one day in advance."),
    (1, "I will. Goodbye, Anna."),
    (0, "Goodbye, have a good day."),
    (1, "Sorry, Anna, I almost forgot. Can I pay by card at the clinic?"),
    (0, "Yes, we accept cards and cash, and you can also use your bonus points for part of the price."),
    (1, "Perfect, then I will see you on Tuesday morning."),
]
RU = [
    (0, "Стоматология Улыбка, администратор Анна, здравствуйте, чем могу помочь?"),
    (1, "Здравствуйте, меня зовут Ольга Петрова. У меня вчера выпала пломба."),
    (0, "Очень жаль. Зуб сейчас болит или только неприятно, когда едите?"),
    (1, "Болит несильно, но реагирует на холодное и на сладкое."),
    (0, "Понимаю. Вы уже были у нас в клинике раньше?"),
    (1, "Да, я лечилась у доктора Смирновой в прошлом году."),
    (0, "Отлично, я вижу вашу карту. Назовите, пожалуйста, дату рождения."),
    (1, "Пятое мая, тысяча девятьсот девяностый год."),
    (0, "Спасибо. Доктор Смирнова может принять вас завтра в десять утра."),
    (1, "Завтра утром я работаю. А есть время вечером?"),
    (0, "Вечером есть окно в восемнадцать тридцать, в четверг."),
    (1, "Четверг подходит. Сколько будет стоить новая пломба?"),
    (0, "Стоимость пломбы от четырёх до шести тысяч рублей, врач скажет точно после осмотра."),
    (1, "Хорошо. А снимок нужно делать отдельно?"),
    (0, "Если понадобится снимок, его сделают прямо в кабинете, это займёт пять минут."),
    (1, "Понятно. У меня есть бонусы по вашей программе, их можно использовать?"),
    (0, "Да, бонусами можно оплатить до половины стоимости лечения."),
    (1, "Замечательно. Что мне взять с собой?"),
    (0, "Возьмите паспорт. Приходите за десять минут до приёма."),
    (1, "Хорошо, а напоминание вы пришлёте?"),
    (0, "Да, накануне придёт сообщение на этот номер телефона."),
    (1, "Спасибо большое, вы мне очень помогли."),
    (0, "Пожалуйста. Ждём вас в четверг в восемнадцать тридцать. До свидания."),
    (1, "До свидания, всего доброго."),
    (1, "Ой, подождите, ещё один вопрос. У вас есть парковка рядом с клиникой?"),
    (0, "Да, за нашим зданием есть бесплатная парковка, рядом с аптекой."),
    (1, "Хорошо. А можно прийти с ребёнком? Ему семь лет."),
    (0, "Конечно, пока вы у врача, он может подождать в детском уголке."),
    (1, "Отлично. И ещё, врач сможет сразу посмотреть второй зуб?"),
    (0, "Я оставлю доктору комментарий, она осмотрит оба зуба на приёме."),
    (1, "Спасибо, тогда до четверга."),
    (0, "До четверга, Ольга, хорошего дня."),
]

_EN_NUM = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen " \
          "sixteen seventeen eighteen nineteen".split()
_EN_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_RU_NUM = ("ноль один два три четыре пять шесть семь восемь девять десять одиннадцать двенадцать "
           "тринадцать четырнадцать пятнадцать шестнадцать семнадцать восемнадцать девятнадцать").split()
_RU_TENS = "_ _ двадцать тридцать сорок пятьдесят шестьдесят семьдесят восемьдесят девяносто".split()


def _num_words(n: int, lang: str) -> str:
    small, tens = (_EN_NUM, _EN_TENS) if lang == "en" else (_RU_NUM, _RU_TENS)
    if n < 20:
        return small[n]
    if n < 100:
        return tens[n // 10] + ("" if n % 10 == 0 else " " + small[n % 10])
    if lang == "en" and 1100 <= n < 2100 and n % 100:  # years: nineteen eighty five
        return _num_words(n // 100, lang) + " " + _num_words(n % 100, lang)
    if n < 1000:
        h = (small[n // 100] + " hundred") if lang == "en" else \
            ["", "сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот", "восемьсот",
             "девятьсот"][n // 100]
        return h + ("" if n % 100 == 0 else " " + _num_words(n % 100, lang))
    if n < 1_000_000:
        th = (_num_words(n // 1000, lang) + " thousand") if lang == "en" else \
            ({1: "тысяча", 2: "две тысячи", 3: "три тысячи", 4: "четыре тысячи"}.get(n // 1000)
             or _num_words(n // 1000, lang) + " тысяч")
        return th + ("" if n % 1000 == 0 else " " + _num_words(n % 1000, lang))
    return str(n)


_ORD = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
        "nine": "ninth", "twelve": "twelfth"}


def _ordinal(n: int) -> str:
    w = _num_words(n, "en").split()
    last = w[-1]
    w[-1] = _ORD.get(last) or (last[:-1] + "ieth" if last.endswith("y") else last + "th")
    return " ".join(w)


def speaker_texts(segments) -> dict[str, str]:
    return {who: " ".join(s.text for s in segments if s.speaker == who) for who in ("admin", "caller")}


def speaker_wer(turns, texts: dict[str, str], lang: str, numbers: str = "lemma") -> float:
    """WER over both speakers: each channel's hypothesis against that speaker's turns, in order
    (a speaker's segment may span several turns while the other channel talks in between)."""
    import jiwer

    refs, hyps = [], []
    for ch, who in ((0, "admin"), (1, "caller")):
        refs.append(normalise(" ".join(t for c, t in turns if c == ch), lang, numbers))
        hyps.append(normalise(texts[who], lang, numbers))
    return jiwer.wer(refs, hyps)


_RU_CASES = ("n", "g", "d", "a", "i", "p")
_RU_NUMERAL_LEMMA: dict[str, str] = {}


def _ru_numeral_lemmas() -> dict[str, str]:
    """Every case/gender/number form of a Russian cardinal or ordinal number word -> the cardinal
    in the nominative (num2words), e.g. четырёх, четырьмя, четвёртой -> четыре; тысяч -> тысяча."""
    if _RU_NUMERAL_LEMMA:
        return _RU_NUMERAL_LEMMA
    from num2words import num2words

    def forms(n: int):
        for case in _RU_CASES:
            for gender in ("m", "f", "n"):
                for plural in (False, True):
                    for to in ("cardinal", "ordinal"):
                        yield num2words(n, lang="ru", to=to, case=case, gender=gender, plural=plural)

    m: dict[str, str] = {}
    bases = list(range(0, 21)) + list(range(30, 100, 10)) + list(range(100, 1000, 100))
    for n in bases:
        lemma = num2words(n, lang="ru").replace("ё", "е")
        for f in forms(n):
            if len(f.split()) == 1:
                m.setdefault(f.replace("ё", "е"), lemma)
    for n, lemma in ((1000, "тысяча"), (1_000_000, "миллион")):
        for k in (1, 2, 5):
            for f in forms(k * n):
                m.setdefault(f.split()[-1].replace("ё", "е"), lemma)
    _RU_NUMERAL_LEMMA.update(m)
    return m


def normalise(text: str, lang: str, numbers: str = "lemma") -> str:
    """Lower case, ё->е, punctuation stripped, digits as words (both sides alike).

    numbers="lemma" (the default since this change): Russian digits via num2words, then every
    Russian number word (any case, gender, cardinal or ordinal) to its nominative cardinal, so
    "от 4 до 6 тысяч" and "от четырёх до шести тысяч" compare equal. This also forgives a spelled
    numeral in the wrong case. numbers="plain": the earlier normalisation (digits to nominative
    words only), reported alongside for comparison."""
    t = text.lower().replace("ё", "е")
    t = re.sub(r"(\d),(\d{3})\b", r"\1\2", t)
    t = re.sub(r"(\d+)[:.](\d\d)\b", lambda m: f"{m.group(1)} {m.group(2)}", t)
    t = re.sub(r"\b(\d+)(st|nd|rd|th)\b", lambda m: _ordinal(int(m.group(1))), t)
    if lang == "ru" and numbers == "lemma":
        from num2words import num2words

        t = re.sub(r"(\d+)(?:-?(?:й|го|е|я|ого|ому|ым|ом|ая|ое|ые|ых|ой|ую|м|х))?(?![\w])",
                   lambda m: " " + re.sub(r"^одна тысяча", "тысяча", num2words(int(m.group(1)), lang="ru"))
                   .replace("ё", "е") + " ", t)
    t = re.sub(r"\d+", lambda m: " " + _num_words(int(m.group(0)), lang) + " ", t)
    t = t.replace("dr.", "doctor").replace("mr.", "mister").replace("roubles", "rubles")
    t = re.sub(r"[^\w\s]|_", " ", t)
    words = t.split()
    if lang == "ru" and numbers == "lemma":
        lemmas = _ru_numeral_lemmas()
        words = [lemmas.get(w, w) for w in words]
    return " ".join(words)


TURNS = {"en": EN, "ru": RU}

# AsrSettings overrides; "chosen" = the defaults in AsrSettings, "baseline" = the defaults before
# the decoding study (beam 5, no prompt, VAD min silence 500 ms / pad 400 ms, fallback on)
BASE = dict(compute_type="int8", parallel_channels=False, vocabulary_prompt=False, hotwords=False, beam_size=5, best_of=5, patience=1.0, length_penalty=1.0,
            vad_min_silence_ms=500, vad_speech_pad_ms=400, temperature_fallback=True)
CONFIGS = {
    "chosen": {},
    "int8_prompt": {**BASE, "vocabulary_prompt": True},  # the default before float32
    "sequential": {"parallel_channels": False},  # the default before both channels ran at once
    "float32_beam5": {"beam_size": 5},
    "float32_beam3": {"beam_size": 3},
    "baseline": BASE,
    "beam1": {**BASE, "beam_size": 1},
    "beam1_no_word_times": {**BASE, "beam_size": 1, "word_timestamps": False},
    "prompt": {**BASE, "vocabulary_prompt": True},
    "hotwords": {**BASE, "hotwords": True},
    "prompt_hotwords": {**BASE, "vocabulary_prompt": True, "hotwords": True},
    "no_fallback": {**BASE, "temperature_fallback": False},
    "best_of_1": {**BASE, "best_of": 1},
    "patience_2": {**BASE, "patience": 2.0},
    "length_penalty_0.5": {**BASE, "length_penalty": 0.5},
    "length_penalty_1.5": {**BASE, "length_penalty": 1.5},
    "vad_silence_300": {**BASE, "vad_min_silence_ms": 300},
    "vad_silence_1000": {**BASE, "vad_min_silence_ms": 1000},
    "vad_pad_200": {**BASE, "vad_speech_pad_ms": 200},
    "vad_pad_800": {**BASE, "vad_speech_pad_ms": 800},
    "beam_8": {**BASE, "beam_size": 8, "best_of": 5},
}
SHOWN = ("beam_size", "best_of", "patience", "length_penalty", "temperature_fallback", "vocabulary_prompt",
         "hotwords", "compute_type", "word_timestamps", "vad", "vad_min_silence_ms", "vad_speech_pad_ms", "threads",
         "parallel_channels")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--configs", default="chosen,baseline")
    ap.add_argument("--openai-model", default="", help="real openai-whisper weights (.pt); none: not available")
    ap.add_argument("--workdir", default="")
    ap.add_argument("--save-hyp", default="", help="write each run's transcripts (JSON) here")
    ap.add_argument("--rescore", default="", help="only score transcripts saved with --save-hyp")
    args = ap.parse_args()
    if args.rescore:
        saved = json.loads(Path(args.rescore).read_text(encoding="utf-8"))
        for label, langs in saved.items():
            print(json.dumps({"config": label, **{
                lang: {"wer": round(speaker_wer(TURNS[lang], t, lang), 4),
                       "wer_plain_numbers": round(speaker_wer(TURNS[lang], t, lang, "plain"), 4)}
                for lang, t in langs.items()}}, ensure_ascii=False))
        return 0
    hyps: dict[str, dict] = {}

    from app.settings import AsrSettings
    from app.transcription.engines import EngineUnavailable, create_engine, transcribe_channels
    from app.transcription.synth import build_call

    work = Path(args.workdir or tempfile.mkdtemp(prefix="carecall-bench-"))
    calls = {}
    for lang, turns in TURNS.items():
        audio = build_call(turns, lang, work / "phrases", seed=11)
        ref = normalise(" ".join(t for _, t in turns), lang)
        calls[lang] = (audio, ref)
    out = {"cpu_count": os.cpu_count(), "audio_seconds": {k: round(v[0].shape[1] / 8000, 1) for k, v in calls.items()},
           "samplerate": 8000, "threads": 2, "results": []}

    def run(engine_name: str, label: str, asr: AsrSettings, model: str = ""):
        t0 = time.perf_counter()
        try:
            engine = create_engine(engine_name, model, asr)
        except EngineUnavailable as e:
            out["results"].append({"engine": engine_name, "config": label, "available": False, "reason": str(e)})
            return
        load = time.perf_counter() - t0
        res = {"engine": engine_name, "config": label, "available": True, "model": engine.model_name,
               "settings": {k: getattr(asr, k) for k in SHOWN},
               "load_seconds": round(load, 2)}
        for lang, (audio, ref) in calls.items():
            load_before = os.getloadavg()[0]
            t0, c0 = time.perf_counter(), time.process_time()
            segs = transcribe_channels(engine, audio, 8000, lang)
            dt, cpu = time.perf_counter() - t0, time.process_time() - c0
            t0 = time.perf_counter()
            segs_auto = transcribe_channels(engine, audio[:, : 8000 * 20], 8000, "auto") if label == "chosen" else None
            secs = audio.shape[1] / 8000
            texts = speaker_texts(segs)
            hyps.setdefault(label, {})[lang] = texts
            res[lang] = {"rtf": round(dt / secs, 4), "seconds": round(dt, 2),
                         "cpu_seconds": round(cpu, 2), "cpu_rtf_per_core": round(cpu / 2 / secs, 4),
                         "loadavg_1min_before": round(load_before, 2),
                         "wer": round(speaker_wer(TURNS[lang], texts, lang), 4),
                         "wer_plain_numbers": round(speaker_wer(TURNS[lang], texts, lang, "plain"), 4),
                         "segments": len(segs),
                         "speakers": sorted({s.speaker for s in segs})}
            if segs_auto is not None:
                res[lang]["auto_language_detected"] = sorted({s.language for s in segs_auto})
        res["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        out["results"].append(res)
        print(json.dumps(res, ensure_ascii=False), file=sys.stderr, flush=True)
        if args.save_hyp:
            Path(args.save_hyp).write_text(json.dumps(hyps, ensure_ascii=False, indent=1), encoding="utf-8")

    for label in args.configs.split(","):
        cfg = {}  # "a+b": the overrides of a, then b's changes against the baseline
        for part in label.split("+"):
            cfg.update({k: v for k, v in CONFIGS[part].items() if part == label.split("+")[0] or BASE.get(k) != v})
        run("faster-whisper", label, AsrSettings(threads=2, **cfg))  # noqa
    run("openai-whisper", "chosen", AsrSettings(threads=2, openai_model_path=args.openai_model, **CONFIGS["chosen"]))
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
