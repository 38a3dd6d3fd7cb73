<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>AudioDevicePage</name>
    <message>
        <location filename="../../ui/recording/device_page.py" line="30"/>
        <source>System default input</source>
        <translation>Вход по умолчанию</translation>
    </message>
    <message>
        <location filename="../../ui/recording/device_page.py" line="31"/>
        <source>Second channel of the administrator&apos;s input</source>
        <translation>Второй канал входа администратора</translation>
    </message>
    <message>
        <location filename="../../ui/recording/device_page.py" line="38"/>
        <source>%1 (not connected)</source>
        <translation>%1 (не подключено)</translation>
    </message>
    <message>
        <location filename="../../ui/recording/device_page.py" line="41"/>
        <source>&amp;Administrator (headset microphone):</source>
        <translation>&amp;Администратор (микрофон гарнитуры):</translation>
    </message>
    <message>
        <location filename="../../ui/recording/device_page.py" line="42"/>
        <source>&amp;Caller (loopback or line-in):</source>
        <translation>&amp;Звонящий (loopback или линейный вход):</translation>
    </message>
    <message>
        <location filename="../../ui/recording/device_page.py" line="45"/>
        <source>No audio inputs found on this computer.</source>
        <translation>На этом компьютере не найдено аудиовходов.</translation>
    </message>
    <message>
        <location filename="../../ui/recording/device_page.py" line="49"/>
        <source>&amp;Save</source>
        <translation>&amp;Сохранить</translation>
    </message>
    <message>
        <location filename="../../ui/recording/device_page.py" line="60"/>
        <source>Not saved: %1</source>
        <translation>Не сохранено: %1</translation>
    </message>
    <message>
        <location filename="../../ui/recording/device_page.py" line="64"/>
        <source>Saved. Used from the next call.</source>
        <translation>Сохранено. Действует со следующего звонка.</translation>
    </message>
</context>
<context>
    <name>LevelMeter</name>
    <message>
        <location filename="../../ui/recording/level_meter.py" line="31"/>
        <source>Administrator</source>
        <translation>Администратор</translation>
    </message>
    <message>
        <location filename="../../ui/recording/level_meter.py" line="31"/>
        <source>Caller</source>
        <translation>Звонящий</translation>
    </message>
    <message>
        <location filename="../../ui/recording/level_meter.py" line="53"/>
        <source>peak %1 %</source>
        <translation>пик %1 %</translation>
    </message>
</context>
<context>
    <name>RecordingIndicator</name>
    <message>
        <location filename="../../ui/recording/indicator.py" line="28"/>
        <source>● REC</source>
        <translation>● ЗАПИСЬ</translation>
    </message>
    <message>
        <location filename="../../ui/recording/indicator.py" line="29"/>
        <source>This call is being recorded (both sides, encrypted)</source>
        <translation>Разговор записывается (обе стороны, зашифровано)</translation>
    </message>
    <message>
        <location filename="../../ui/recording/indicator.py" line="33"/>
        <source>not recorded: no consent</source>
        <translation>не записывается: нет согласия</translation>
    </message>
    <message>
        <location filename="../../ui/recording/indicator.py" line="34"/>
        <source>not recorded: unknown caller</source>
        <translation>не записывается: неизвестный абонент</translation>
    </message>
    <message>
        <location filename="../../ui/recording/indicator.py" line="35"/>
        <source>not recorded: recording is off</source>
        <translation>не записывается: запись выключена</translation>
    </message>
    <message>
        <location filename="../../ui/recording/indicator.py" line="37"/>
        <source>not recorded</source>
        <translation>не записывается</translation>
    </message>
    <message>
        <location filename="../../ui/recording/indicator.py" line="40"/>
        <source>not recorded: device problem</source>
        <translation>не записывается: ошибка устройства</translation>
    </message>
</context>
<context>
    <name>RecordingPlayer</name>
    <message>
        <location filename="../../ui/recording/player.py" line="25"/>
        <location filename="../../ui/recording/player.py" line="57"/>
        <source>Play</source>
        <translation>Слушать</translation>
    </message>
    <message>
        <location filename="../../ui/recording/player.py" line="60"/>
        <source>Pause</source>
        <translation>Пауза</translation>
    </message>
</context>
<context>
    <name>RecordingWiring</name>
    <message>
        <location filename="../../ui/recording/wiring.py" line="57"/>
        <source>Audio devices</source>
        <translation>Аудиоустройства</translation>
    </message>
</context>
</TS>
