<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>CallTranscriptStatus</name>
    <message>
        <location filename="../../ui/transcription/widgets.py" line="69"/>
        <source>No transcript</source>
        <translation>Нет расшифровки</translation>
    </message>
    <message>
        <location filename="../../ui/transcription/widgets.py" line="71"/>
        <source>Waiting for transcription</source>
        <translation>Ждёт расшифровки</translation>
    </message>
    <message>
        <location filename="../../ui/transcription/widgets.py" line="71"/>
        <source> (retry %d of %d)</source>
        <translation> (попытка %d из %d)</translation>
    </message>
    <message>
        <location filename="../../ui/transcription/widgets.py" line="74"/>
        <source>Transcribing… %d%%</source>
        <translation>Расшифровка… %d%%</translation>
    </message>
    <message>
        <location filename="../../ui/transcription/widgets.py" line="76"/>
        <source>Transcribed (%s)</source>
        <translation>Расшифровано (%s)</translation>
    </message>
    <message>
        <location filename="../../ui/transcription/widgets.py" line="77"/>
        <source>Transcription failed: %s</source>
        <translation>Расшифровка не удалась: %s</translation>
    </message>
    <message>
        <location filename="../../ui/transcription/widgets.py" line="77"/>
        <source>unknown error</source>
        <translation>неизвестная ошибка</translation>
    </message>
    <message>
        <location filename="../../ui/transcription/widgets.py" line="100"/>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <location filename="../../ui/transcription/widgets.py" line="126"/>
        <source>Transcription status unavailable</source>
        <translation>Состояние расшифровки недоступно</translation>
    </message>
</context>
<context>
    <name>QueueIndicator</name>
    <message>
        <location filename="../../ui/transcription/widgets.py" line="31"/>
        <source>Transcription: …</source>
        <translation>Расшифровка: …</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/transcription/widgets.py" line="51"/>
        <source>%n waiting</source>
        <translation>
            <numerusform>%n ждёт</numerusform>
            <numerusform>%n ждут</numerusform>
            <numerusform>%n ждут</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/transcription/widgets.py" line="53"/>
        <source>%n running</source>
        <translation>
            <numerusform>%n идёт</numerusform>
            <numerusform>%n идут</numerusform>
            <numerusform>%n идут</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/transcription/widgets.py" line="55"/>
        <source>%n failed</source>
        <translation>
            <numerusform>%n с ошибкой</numerusform>
            <numerusform>%n с ошибкой</numerusform>
            <numerusform>%n с ошибкой</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/transcription/widgets.py" line="56"/>
        <source>Transcription: </source>
        <translation>Расшифровка: </translation>
    </message>
    <message>
        <location filename="../../ui/transcription/widgets.py" line="56"/>
        <source>idle</source>
        <translation>очередь пуста</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/transcription/widgets.py" line="57"/>
        <source>Transcribed calls: %n</source>
        <translation>
            <numerusform>Расшифрован %n звонок</numerusform>
            <numerusform>Расшифровано %n звонка</numerusform>
            <numerusform>Расшифровано %n звонков</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/transcription/widgets.py" line="63"/>
        <source>Transcription: queue unavailable</source>
        <translation>Расшифровка: очередь недоступна</translation>
    </message>
</context>
<context>
    <name>RetranscribeAction</name>
    <message>
        <location filename="../../ui/transcription/widgets.py" line="139"/>
        <source>Re-transcribe with model…</source>
        <translation>Расшифровать заново другой моделью…</translation>
    </message>
    <message>
        <location filename="../../ui/transcription/widgets.py" line="155"/>
        <source>Re-transcribe</source>
        <translation>Расшифровать заново</translation>
    </message>
    <message>
        <location filename="../../ui/transcription/widgets.py" line="155"/>
        <source>Model:</source>
        <translation>Модель:</translation>
    </message>
</context>
</TS>
