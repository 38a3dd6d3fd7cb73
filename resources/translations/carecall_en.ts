<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>CardView</name>
    <message numerus="yes">
        <location filename="../../ui/card_view.py" line="203" />
        <source>%n point(s)</source>
        <translation>
            <numerusform>%n point</numerusform>
            <numerusform>%n points</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/card_view.py" line="207" />
        <source>%n point(s) expire on %1</source>
        <translation>
            <numerusform>%n point expires on %1</numerusform>
            <numerusform>%n points expire on %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message numerus="yes">
        <location filename="../../ui/labels.py" line="89" />
        <source>%n year(s)</source>
        <translation>
            <numerusform>%n year</numerusform>
            <numerusform>%n years</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <location filename="../../ui/main_window.py" line="207" />
        <source>%n patient(s) share this number</source>
        <translation>
            <numerusform>%n patient shares this number</numerusform>
            <numerusform>%n patients share this number</numerusform>
        </translation>
    </message>
</context>
</TS>