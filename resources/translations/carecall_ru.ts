<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>CardView</name>
    <message>
        <location filename="../../ui/card_view.py" line="105" />
        <source>Contact</source>
        <translation>Контакты</translation>
    </message>
    <message>
        <location filename="../../ui/card_view.py" line="115" />
        <source>Phones</source>
        <translation>Телефоны</translation>
    </message>
    <message>
        <location filename="../../ui/card_view.py" line="116" />
        <source>Prefers</source>
        <translation>Предпочитает</translation>
    </message>
    <message>
        <location filename="../../ui/card_view.py" line="117" />
        <source>Consents</source>
        <translation>Согласия</translation>
    </message>
    <message>
        <location filename="../../ui/card_view.py" line="118" />
        <source>Comments</source>
        <translation>Комментарий</translation>
    </message>
    <message>
        <location filename="../../ui/card_view.py" line="130" />
        <source>Bonus points</source>
        <translation>Бонусы</translation>
    </message>
    <message>
        <location filename="../../ui/card_view.py" line="138" />
        <source>Family</source>
        <translation>Семья</translation>
    </message>
    <message>
        <location filename="../../ui/card_view.py" line="144" />
        <source>Next appointment</source>
        <translation>Ближайшая запись</translation>
    </message>
    <message>
        <location filename="../../ui/card_view.py" line="148" />
        <source>Treatment plans</source>
        <translation>Планы лечения</translation>
    </message>
    <message>
        <location filename="../../ui/card_view.py" line="155" />
        <source>Visit history</source>
        <translation>История визитов</translation>
    </message>
    <message>
        <location filename="../../ui/card_view.py" line="159" />
        <source>Date</source>
        <translation>Дата</translation>
    </message>
    <message>
        <location filename="../../ui/card_view.py" line="159" />
        <source>Doctor</source>
        <translation>Врач</translation>
    </message>
    <message>
        <location filename="../../ui/card_view.py" line="159" />
        <source>Services</source>
        <translation>Услуги</translation>
    </message>
    <message>
        <location filename="../../ui/card_view.py" line="159" />
        <source>Amount</source>
        <translation>Сумма</translation>
    </message>
    <message>
        <location filename="../../ui/card_view.py" line="159" />
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <location filename="../../ui/card_view.py" line="170" />
        <source>No visits yet</source>
        <translation>Визитов ещё не было</translation>
    </message>
    <message>
        <location filename="../../ui/card_view.py" line="184" />
        <source>born %1</source>
        <translation>д. р. %1</translation>
    </message>
    <message>
        <location filename="../../ui/card_view.py" line="192" />
        <source>primary</source>
        <translation>основной</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/card_view.py" line="203" />
        <source>%n point(s)</source>
        <translation>
            <numerusform>%n балл</numerusform>
            <numerusform>%n балла</numerusform>
            <numerusform>%n баллов</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/card_view.py" line="207" />
        <source>%n point(s) expire on %1</source>
        <translation>
            <numerusform>%n балл сгорит %1</numerusform>
            <numerusform>%n балла сгорят %1</numerusform>
            <numerusform>%n баллов сгорят %1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/card_view.py" line="212" />
        <source>no expiry coming</source>
        <translation>срок не ограничен</translation>
    </message>
    <message>
        <location filename="../../ui/card_view.py" line="215" />
        <source>can pay up to %1% of a bill</source>
        <translation>можно оплатить до %1% счёта</translation>
    </message>
    <message>
        <location filename="../../ui/card_view.py" line="228" />
        <source>none booked</source>
        <translation>не записан(а)</translation>
    </message>
    <message>
        <location filename="../../ui/card_view.py" line="252" />
        <source>calls</source>
        <translation>звонки</translation>
    </message>
    <message>
        <location filename="../../ui/card_view.py" line="253" />
        <source>messages</source>
        <translation>сообщения</translation>
    </message>
    <message>
        <location filename="../../ui/card_view.py" line="254" />
        <source>recording</source>
        <translation>запись</translation>
    </message>
    <message>
        <location filename="../../ui/card_view.py" line="272" />
        <source>shares this phone</source>
        <translation>общий номер</translation>
    </message>
    <message>
        <location filename="../../ui/card_view.py" line="277" />
        <source>Open this card</source>
        <translation>Открыть эту карточку</translation>
    </message>
    <message>
        <location filename="../../ui/card_view.py" line="287" />
        <source>No treatment plans</source>
        <translation>Планов лечения нет</translation>
    </message>
    <message>
        <location filename="../../ui/card_view.py" line="305" />
        <source>overdue since %1</source>
        <translation>просрочен с %1</translation>
    </message>
    <message>
        <location filename="../../ui/card_view.py" line="307" />
        <source>due by %1</source>
        <translation>до %1</translation>
    </message>
</context>
<context>
    <name>Chooser</name>
    <message>
        <location filename="../../ui/chooser.py" line="28" />
        <source>Ask who is calling, then press the number or Enter.</source>
        <translation>Спросите, кто звонит, и нажмите цифру или Enter.</translation>
    </message>
    <message>
        <location filename="../../ui/chooser.py" line="45" />
        <source>%1 patients share the number %2: who is calling?</source>
        <translation>Номер %2 общий у нескольких пациентов. Кто звонит?</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <location filename="../../ui/errors.py" line="37" />
        <source>CareCall: something went wrong</source>
        <translation>CareCall: что-то пошло не так</translation>
    </message>
    <message>
        <location filename="../../ui/errors.py" line="45" />
        <source>Your work is saved. If this happens again, send the details to support.</source>
        <translation>Ваши данные сохранены. Если ошибка повторится, отправьте подробности в поддержку.</translation>
    </message>
    <message>
        <location filename="../../ui/errors.py" line="54" />
        <location filename="../../ui/errors.py" line="71" />
        <source>Show details</source>
        <translation>Подробности</translation>
    </message>
    <message>
        <location filename="../../ui/errors.py" line="58" />
        <source>Copy details</source>
        <translation>Копировать подробности</translation>
    </message>
    <message>
        <location filename="../../ui/errors.py" line="71" />
        <source>Hide details</source>
        <translation>Скрыть подробности</translation>
    </message>
    <message>
        <location filename="../../ui/errors.py" line="77" />
        <source>Copied</source>
        <translation>Скопировано</translation>
    </message>
    <message>
        <location filename="../../ui/errors.py" line="100" />
        <source>An unexpected error occurred: %1</source>
        <extracomment>the dialogs shown so far (kept alive; tests look at the last one)</extracomment>
        <translation>Непредвиденная ошибка: %1</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../../ui/labels.py" line="20" />
        <source>Do not contact: the patient asked not to be called</source>
        <translation>Не беспокоить: пациент просил не звонить</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="21" />
        <source>No consent to calls: send a message instead of calling</source>
        <translation>Нет согласия на звонки: вместо звонка отправьте сообщение</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="22" />
        <source>No consent to recording: do not record this call</source>
        <translation>Нет согласия на запись: этот звонок не записывать</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="23" />
        <source>Open complaint</source>
        <translation>Открытая жалоба</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="37" />
        <source>phone call</source>
        <extracomment>red alerts; the rest are amber</extracomment>
        <translation>звонок</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="38" />
        <source>WhatsApp</source>
        <translation>WhatsApp</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="39" />
        <source>Telegram</source>
        <translation>Telegram</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="40" />
        <source>SMS</source>
        <translation>СМС</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="41" />
        <source>e-mail</source>
        <translation>эл. почта</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="47" />
        <source>female</source>
        <translation>женщина</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="48" />
        <source>male</source>
        <translation>мужчина</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="54" />
        <source>mobile</source>
        <translation>мобильный</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="55" />
        <source>home</source>
        <translation>домашний</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="56" />
        <source>work</source>
        <translation>рабочий</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="62" />
        <source>visited</source>
        <translation>был(а)</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="63" />
        <source>no-show</source>
        <translation>не пришёл(ла)</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="64" />
        <source>cancelled</source>
        <translation>отменён</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="65" />
        <source>scheduled</source>
        <translation>записан(а)</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="66" />
        <source>confirmed</source>
        <translation>подтверждено</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="72" />
        <source>done</source>
        <translation>выполнен</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="73" />
        <source>due</source>
        <translation>предстоит</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="74" />
        <source>declined</source>
        <translation>отказ</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="80" />
        <source>active</source>
        <translation>активен</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="81" />
        <source>completed</source>
        <translation>завершён</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="82" />
        <source>declined by the patient</source>
        <translation>пациент отказался</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="88" />
        <source>age unknown</source>
        <translation>возраст неизвестен</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/labels.py" line="89" />
        <source>%n year(s)</source>
        <translation>
            <numerusform>%n год</numerusform>
            <numerusform>%n года</numerusform>
            <numerusform>%n лет</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="87" />
        <source>Search by name or phone (Ctrl+F)</source>
        <extracomment>a card is on screen (patient id) the result of an incoming call is on screen (E.164 number): card, chooser or new caller</extracomment>
        <translation>Поиск по ФИО или телефону (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="99" />
        <source>Hide the banner</source>
        <translation>Скрыть уведомление</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="120" />
        <source>Waiting for a call.&lt;br&gt;&lt;br&gt;&lt;b&gt;Ctrl+F&lt;/b&gt; — find a patient by name or phone&lt;br&gt;&lt;b&gt;Ctrl+N&lt;/b&gt; — new patient</source>
        <translation>Ожидание звонка.&lt;br&gt;&lt;br&gt;&lt;b&gt;Ctrl+F&lt;/b&gt; — найти пациента по ФИО или телефону&lt;br&gt;&lt;b&gt;Ctrl+N&lt;/b&gt; — новый пациент</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="148" />
        <source>Caller</source>
        <translation>Звонящий</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="177" />
        <source>Unreadable number: %1</source>
        <translation>Не удалось распознать номер: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/main_window.py" line="207" />
        <source>%n patient(s) share this number</source>
        <translation>
            <numerusform>%n пациент с этим номером</numerusform>
            <numerusform>%n пациента с этим номером</numerusform>
            <numerusform>%n пациентов с этим номером</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="214" />
        <source>new caller</source>
        <translation>новый абонент</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="318" />
        <source>Calling %1</source>
        <translation>Исходящий звонок %1</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="319" />
        <source>Incoming call %1</source>
        <translation>Входящий звонок %1</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="342" />
        <source>Card created</source>
        <translation>Карточка создана</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="356" />
        <source>This patient is no longer in the database.</source>
        <translation>Этого пациента больше нет в базе.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="359" />
        <source>Could not load the data: %1</source>
        <translation>Не удалось загрузить данные: %1</translation>
    </message>
</context>
<context>
    <name>NewCallerForm</name>
    <message>
        <location filename="../../ui/new_caller.py" line="46" />
        <source>No patient has this number. Ask the name and create the card:</source>
        <translation>Пациента с этим номером нет. Спросите ФИО и создайте карточку:</translation>
    </message>
    <message>
        <location filename="../../ui/new_caller.py" line="60" />
        <source>DD.MM.YYYY, optional</source>
        <translation>ДД.ММ.ГГГГ, необязательно</translation>
    </message>
    <message>
        <location filename="../../ui/new_caller.py" line="62" />
        <source>why they call, optional</source>
        <translation>цель звонка, необязательно</translation>
    </message>
    <message>
        <location filename="../../ui/new_caller.py" line="63" />
        <source>&amp;Female</source>
        <translation>&amp;Женщина</translation>
    </message>
    <message>
        <location filename="../../ui/new_caller.py" line="64" />
        <source>&amp;Male</source>
        <translation>&amp;Мужчина</translation>
    </message>
    <message>
        <location filename="../../ui/new_caller.py" line="89" />
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <location filename="../../ui/new_caller.py" line="90" />
        <source>Last name</source>
        <translation>Фамилия</translation>
    </message>
    <message>
        <location filename="../../ui/new_caller.py" line="91" />
        <source>First name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <location filename="../../ui/new_caller.py" line="92" />
        <source>Patronymic</source>
        <translation>Отчество</translation>
    </message>
    <message>
        <location filename="../../ui/new_caller.py" line="93" />
        <source>Sex</source>
        <translation>Пол</translation>
    </message>
    <message>
        <location filename="../../ui/new_caller.py" line="94" />
        <source>Birth date</source>
        <translation>Дата рождения</translation>
    </message>
    <message>
        <location filename="../../ui/new_caller.py" line="95" />
        <source>Comment</source>
        <translation>Комментарий</translation>
    </message>
    <message>
        <location filename="../../ui/new_caller.py" line="104" />
        <source>Create card (Ctrl+S)</source>
        <translation>Создать карточку (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../../ui/new_caller.py" line="107" />
        <source>Back (Esc)</source>
        <translation>Назад (Esc)</translation>
    </message>
    <message>
        <location filename="../../ui/new_caller.py" line="135" />
        <source>New caller: %1</source>
        <translation>Новый абонент: %1</translation>
    </message>
    <message>
        <location filename="../../ui/new_caller.py" line="136" />
        <source>New patient</source>
        <translation>Новый пациент</translation>
    </message>
    <message>
        <location filename="../../ui/new_caller.py" line="173" />
        <source>Not a valid phone number: check the digits</source>
        <translation>Неверный номер телефона: проверьте цифры</translation>
    </message>
    <message>
        <location filename="../../ui/new_caller.py" line="178" />
        <source>Required</source>
        <translation>Обязательное поле</translation>
    </message>
    <message>
        <location filename="../../ui/new_caller.py" line="187" />
        <source>Choose female or male (Alt+F / Alt+M)</source>
        <translation>Выберите пол: женщина или мужчина (Alt+Ж / Alt+М)</translation>
    </message>
    <message>
        <location filename="../../ui/new_caller.py" line="195" />
        <source>Write the date as DD.MM.YYYY</source>
        <translation>Введите дату в виде ДД.ММ.ГГГГ</translation>
    </message>
    <message>
        <location filename="../../ui/new_caller.py" line="199" />
        <source>This birth date is not possible</source>
        <translation>Такой даты рождения быть не может</translation>
    </message>
    <message>
        <location filename="../../ui/new_caller.py" line="219" />
        <source>Saving…</source>
        <translation>Сохранение…</translation>
    </message>
    <message>
        <location filename="../../ui/new_caller.py" line="237" />
        <source>Could not save the card: %1</source>
        <translation>Не удалось сохранить карточку: %1</translation>
    </message>
</context>
<context>
    <name>SearchResults</name>
    <message>
        <location filename="../../ui/search.py" line="97" />
        <source>Found %1 for “%2” — Up/Down to pick, Enter to open</source>
        <extracomment>the field was emptied or Esc pressed: the window goes back to the card</extracomment>
        <translation>Найдено по «%2»: %1 — стрелки для выбора, Enter — открыть</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="100" />
        <source>Nobody found for “%1”</source>
        <translation>По «%1» никого не найдено</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <location filename="../../ui/main.py" line="225" />
        <source>Cannot open the database: %1</source>
        <translation>Не удалось открыть базу данных: %1</translation>
    </message>
    <message>
        <location filename="../../ui/main.py" line="152" />
        <source>CareCall is already running on this computer. Incoming calls go to that window.</source>
        <extracomment>Areas that put pages, side panels or status widgets into the window: modules with ``install(window, ctx, runner)``, called in this order once the window exists. One line each. self-test checks: ``check(ctx) -&gt; str`` returns what was checked, raises on failure. Other areas append theirs (e.g. transcription of the bundled sample).</extracomment>
        <translation>CareCall уже запущен на этом компьютере. Входящие звонки показываются в том окне.</translation>
    </message>
    <message>
        <location filename="../../ui/main.py" line="266" />
        <source>Incoming calls from the PBX are off: %1</source>
        <translation>Входящие звонки от АТС не принимаются: %1</translation>
    </message>
    <message>
        <location filename="../../ui/main.py" line="283" />
        <source>The database is empty and the demo clinic generator is not part of this build. CareCall starts with an empty clinic.</source>
        <translation>База данных пуста, а генератора демо-клиники в этой сборке нет. CareCall запустится с пустой базой.</translation>
    </message>
    <message>
        <location filename="../../ui/main.py" line="303" />
        <source>First start: creating a demo clinic…</source>
        <translation>Первый запуск: создаётся демо-клиника…</translation>
    </message>
</context>
</TS>