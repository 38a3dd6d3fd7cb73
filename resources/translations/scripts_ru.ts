<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>CallListPage</name>
    <message>
        <location filename="../../ui/call_lists/page.py" line="162" />
        <source>phone</source>
        <translation>звонок</translation>
    </message>
    <message>
        <location filename="../../ui/call_lists/page.py" line="162" />
        <source>e-mail</source>
        <translation>e-mail</translation>
    </message>
    <message>
        <location filename="../../ui/call_lists/page.py" line="56"/>
        <source>Build today&apos;s lists</source>
        <extracomment>the administrator wants to call this patient on this number (patient id, E.164) an entry is now the administrator&apos;s (entry id)</extracomment>
        <translation>Собрать списки на сегодня</translation>
    </message>
    <message>
        <location filename="../../ui/call_lists/page.py" line="57"/>
        <source>Take next</source>
        <translation>Взять следующего</translation>
    </message>
    <message>
        <location filename="../../ui/call_lists/page.py" line="69"/>
        <source>Patient</source>
        <translation>Пациент</translation>
    </message>
    <message>
        <location filename="../../ui/call_lists/page.py" line="69"/>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <location filename="../../ui/call_lists/page.py" line="69"/>
        <source>Channel</source>
        <translation>Канал</translation>
    </message>
    <message>
        <location filename="../../ui/call_lists/page.py" line="69"/>
        <source>Reason</source>
        <translation>Причина</translation>
    </message>
    <message>
        <location filename="../../ui/call_lists/page.py" line="69"/>
        <source>Priority</source>
        <translation>Приоритет</translation>
    </message>
    <message>
        <location filename="../../ui/call_lists/page.py" line="70"/>
        <source>Due</source>
        <translation>Когда</translation>
    </message>
    <message>
        <location filename="../../ui/call_lists/page.py" line="70"/>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <location filename="../../ui/call_lists/page.py" line="70"/>
        <source>Attempts</source>
        <translation>Попытки</translation>
    </message>
    <message>
        <location filename="../../ui/call_lists/page.py" line="80"/>
        <source>Call</source>
        <translation>Позвонить</translation>
    </message>
    <message>
        <location filename="../../ui/call_lists/page.py" line="82"/>
        <source>Release</source>
        <translation>Вернуть в список</translation>
    </message>
    <message>
        <location filename="../../ui/call_lists/page.py" line="87"/>
        <source>Note: the reason for declining, when to call back...</source>
        <translation>Заметка: причина отказа, когда перезвонить…</translation>
    </message>
    <message>
        <location filename="../../ui/call_lists/page.py" line="88"/>
        <source>Record outcome</source>
        <translation>Записать итог</translation>
    </message>
    <message>
        <location filename="../../ui/call_lists/page.py" line="109"/>
        <source>Booked</source>
        <translation>Записан(а)</translation>
    </message>
    <message>
        <location filename="../../ui/call_lists/page.py" line="109"/>
        <source>Call back</source>
        <translation>Перезвонить</translation>
    </message>
    <message>
        <location filename="../../ui/call_lists/page.py" line="109"/>
        <source>Declined</source>
        <translation>Отказ</translation>
    </message>
    <message>
        <location filename="../../ui/call_lists/page.py" line="110"/>
        <source>No answer</source>
        <translation>Не ответил(а)</translation>
    </message>
    <message>
        <location filename="../../ui/call_lists/page.py" line="110"/>
        <source>Wrong number</source>
        <translation>Неверный номер</translation>
    </message>
    <message>
        <location filename="../../ui/call_lists/page.py" line="111"/>
        <source>Informed / message sent</source>
        <translation>Сообщено / сообщение отправлено</translation>
    </message>
    <message>
        <location filename="../../ui/call_lists/page.py" line="111"/>
        <source>Complaint</source>
        <translation>Жалоба</translation>
    </message>
    <message>
        <location filename="../../ui/call_lists/page.py" line="112"/>
        <source>Other</source>
        <translation>Другое</translation>
    </message>
    <message>
        <location filename="../../ui/call_lists/page.py" line="118"/>
        <source>Call lists for %1</source>
        <translation>Списки обзвона на %1</translation>
    </message>
    <message>
        <location filename="../../ui/call_lists/page.py" line="126"/>
        <source>%1 — %2 open of %3</source>
        <translation>%1 — %2 из %3 ждут звонка</translation>
    </message>
    <message>
        <location filename="../../ui/call_lists/page.py" line="132"/>
        <source>No lists for today yet: build them.</source>
        <translation>Списков на сегодня ещё нет: соберите их.</translation>
    </message>
    <message>
        <location filename="../../ui/call_lists/page.py" line="160"/>
        <source>taken by %1</source>
        <translation>взял(а) %1</translation>
    </message>
    <message>
        <location filename="../../ui/call_lists/page.py" line="161"/>
        <source>open</source>
        <translation>ждёт звонка</translation>
    </message>
    <message>
        <location filename="../../ui/call_lists/page.py" line="161"/>
        <source>done</source>
        <translation>готово</translation>
    </message>
    <message>
        <location filename="../../ui/call_lists/page.py" line="161"/>
        <source>attempts used up</source>
        <translation>попытки исчерпаны</translation>
    </message>
    <message>
        <location filename="../../ui/call_lists/page.py" line="162"/>
        <source>no longer due</source>
        <translation>уже не актуально</translation>
    </message>
    <message>
        <location filename="../../ui/call_lists/page.py" line="171"/>
        <source>Added %1 entries</source>
        <translation>Добавлено записей: %1</translation>
    </message>
    <message>
        <location filename="../../ui/call_lists/page.py" line="184"/>
        <source>Nothing to call right now in this list.</source>
        <translation>В этом списке сейчас некому звонить.</translation>
    </message>
    <message>
        <location filename="../../ui/call_lists/page.py" line="187"/>
        <source>Yours: %1</source>
        <translation>Ваш пациент: %1</translation>
    </message>
    <message>
        <location filename="../../ui/call_lists/page.py" line="200"/>
        <source>Calling %1</source>
        <translation>Звоним: %1</translation>
    </message>
    <message>
        <location filename="../../ui/call_lists/page.py" line="214"/>
        <source>Released</source>
        <translation>Возвращено в список</translation>
    </message>
    <message>
        <location filename="../../ui/call_lists/page.py" line="226"/>
        <source>Recorded: %1</source>
        <translation>Записано: %1</translation>
    </message>
</context>
<context>
    <name>ScriptEditor</name>
    <message>
        <location filename="../../ui/scripts/editor.py" line="53"/>
        <source>Russian</source>
        <extracomment>a new version was saved: (situation, version)</extracomment>
        <translation>Русский</translation>
    </message>
    <message>
        <location filename="../../ui/scripts/editor.py" line="54"/>
        <source>English</source>
        <translation>Английский</translation>
    </message>
    <message>
        <location filename="../../ui/scripts/editor.py" line="55"/>
        <source>Situation</source>
        <translation>Ситуация</translation>
    </message>
    <message>
        <location filename="../../ui/scripts/editor.py" line="56"/>
        <source>Language</source>
        <translation>Язык</translation>
    </message>
    <message>
        <location filename="../../ui/scripts/editor.py" line="59"/>
        <source>Name or phone of a real patient for the preview</source>
        <translation>ФИО или телефон пациента для предпросмотра</translation>
    </message>
    <message>
        <location filename="../../ui/scripts/editor.py" line="60"/>
        <source>Find</source>
        <translation>Найти</translation>
    </message>
    <message>
        <location filename="../../ui/scripts/editor.py" line="66"/>
        <source>Preview patient</source>
        <translation>Пациент для предпросмотра</translation>
    </message>
    <message>
        <location filename="../../ui/scripts/editor.py" line="83"/>
        <source>What changed (optional)</source>
        <translation>Что изменено (необязательно)</translation>
    </message>
    <message>
        <location filename="../../ui/scripts/editor.py" line="84"/>
        <source>Save as a new version</source>
        <translation>Сохранить как новую версию</translation>
    </message>
    <message>
        <location filename="../../ui/scripts/editor.py" line="126"/>
        <source>Read only: sign in as a supervisor (Review page) to edit scripts.</source>
        <translation>Только просмотр: чтобы править сценарии, войдите как супервизор (страница разбора звонков).</translation>
    </message>
    <message>
        <location filename="../../ui/scripts/editor.py" line="141"/>
        <source>Version %1 by %2</source>
        <translation>Версия %1, автор %2</translation>
    </message>
    <message>
        <location filename="../../ui/scripts/editor.py" line="162"/>
        <source>No patient found</source>
        <translation>Пациент не найден</translation>
    </message>
    <message>
        <location filename="../../ui/scripts/editor.py" line="195"/>
        <source>This situation does not apply to the patient today: neutral phrases are shown.</source>
        <translation>Сегодня эта ситуация к пациенту не относится: показаны нейтральные фразы.</translation>
    </message>
    <message>
        <location filename="../../ui/scripts/editor.py" line="211"/>
        <source>Saved as version %1</source>
        <translation>Сохранено как версия %1</translation>
    </message>
</context>
<context>
    <name>ScriptPanel</name>
    <message>
        <location filename="../../ui/scripts/panel.py" line="75"/>
        <location filename="../../ui/scripts/panel.py" line="188"/>
        <source>Open a card to see why the clinic calls this patient.</source>
        <extracomment>the ticked checklist changed: {code: bool} another situation&apos;s script is shown (situation code)</extracomment>
        <translation>Откройте карточку, чтобы увидеть, зачем клиника звонит пациенту.</translation>
    </message>
    <message>
        <location filename="../../ui/scripts/panel.py" line="92"/>
        <source>Checklist</source>
        <translation>Чек-лист</translation>
    </message>
    <message>
        <location filename="../../ui/scripts/panel.py" line="97"/>
        <source>Objections: quick answers</source>
        <translation>Возражения: быстрые ответы</translation>
    </message>
    <message>
        <location filename="../../ui/scripts/panel.py" line="125"/>
        <source>The script could not be loaded: %1</source>
        <translation>Не удалось загрузить сценарий: %1</translation>
    </message>
    <message>
        <location filename="../../ui/scripts/panel.py" line="137"/>
        <source>Nothing due for this patient today: no outbound script.</source>
        <translation>Сегодня поводов для звонка нет: сценария исходящего звонка нет.</translation>
    </message>
    <message>
        <location filename="../../ui/scripts/panel.py" line="182"/>
        <source>Script version %1</source>
        <translation>Версия сценария %1</translation>
    </message>
</context>
<context>
    <name>ScriptWiring</name>
    <message>
        <location filename="../../ui/scripts/wiring.py" line="21"/>
        <source>Script</source>
        <translation>Сценарий</translation>
    </message>
    <message>
        <location filename="../../ui/scripts/wiring.py" line="31"/>
        <source>Call lists</source>
        <translation>Обзвон</translation>
    </message>
    <message>
        <location filename="../../ui/scripts/wiring.py" line="35"/>
        <source>Scripts</source>
        <translation>Сценарии</translation>
    </message>
</context>
<context>
    <name>Situations</name>
    <message>
        <location filename="../../ui/scripts/panel.py" line="32"/>
        <source>Visit confirmation</source>
        <translation>Подтверждение визита</translation>
    </message>
    <message>
        <location filename="../../ui/scripts/panel.py" line="33"/>
        <source>Follow-up after a visit</source>
        <translation>Звонок после визита</translation>
    </message>
    <message>
        <location filename="../../ui/scripts/panel.py" line="34"/>
        <source>Return after a consultation</source>
        <translation>Возврат после консультации</translation>
    </message>
    <message>
        <location filename="../../ui/scripts/panel.py" line="35"/>
        <source>Continued treatment</source>
        <translation>Продолжение лечения</translation>
    </message>
    <message>
        <location filename="../../ui/scripts/panel.py" line="36"/>
        <source>Check-up invitation</source>
        <translation>Профилактический осмотр</translation>
    </message>
    <message>
        <location filename="../../ui/scripts/panel.py" line="37"/>
        <source>Lapsed patient</source>
        <translation>Давно не приходил(а)</translation>
    </message>
    <message>
        <location filename="../../ui/scripts/panel.py" line="38"/>
        <source>Thanks for a referral</source>
        <translation>Благодарность за рекомендацию</translation>
    </message>
    <message>
        <location filename="../../ui/scripts/panel.py" line="39"/>
        <source>Birthday</source>
        <translation>День рождения</translation>
    </message>
    <message>
        <location filename="../../ui/scripts/panel.py" line="40"/>
        <source>New patient</source>
        <translation>Новый пациент</translation>
    </message>
    <message>
        <location filename="../../ui/scripts/panel.py" line="41"/>
        <source>Messages</source>
        <translation>Сообщения</translation>
    </message>
</context>
</TS>
