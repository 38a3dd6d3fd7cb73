<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>CallLibraryPage</name>
    <message>
        <location filename="../../ui/review/library.py" line="289"/>
        <source>Everyone</source>
        <translation>Все администраторы</translation>
    </message>
    <message>
        <location filename="../../ui/review/library.py" line="296"/>
        <source>Patient name or number</source>
        <translation>Имя пациента или номер</translation>
    </message>
    <message>
        <location filename="../../ui/review/library.py" line="298"/>
        <source>Any direction</source>
        <translation>Любое направление</translation>
    </message>
    <message>
        <location filename="../../ui/review/library.py" line="302"/>
        <source>Any situation</source>
        <translation>Любая ситуация</translation>
    </message>
    <message>
        <location filename="../../ui/review/library.py" line="306"/>
        <source>Any outcome</source>
        <translation>Любой итог</translation>
    </message>
    <message>
        <location filename="../../ui/review/library.py" line="310"/>
        <source>Any tag</source>
        <translation>Любой тег</translation>
    </message>
    <message>
        <location filename="../../ui/review/library.py" line="315"/>
        <source>any score</source>
        <translation>любая оценка</translation>
    </message>
    <message>
        <location filename="../../ui/review/library.py" line="319"/>
        <source>Words in the transcript</source>
        <translation>Слова в расшифровке</translation>
    </message>
    <message>
        <location filename="../../ui/review/library.py" line="320"/>
        <source>Search</source>
        <translation>Найти</translation>
    </message>
    <message>
        <location filename="../../ui/review/library.py" line="324"/>
        <source>From</source>
        <translation>С</translation>
    </message>
    <message>
        <location filename="../../ui/review/library.py" line="326"/>
        <source>to</source>
        <translation>по</translation>
    </message>
    <message>
        <location filename="../../ui/review/library.py" line="341"/>
        <source>Date</source>
        <translation>Дата</translation>
    </message>
    <message>
        <location filename="../../ui/review/library.py" line="341"/>
        <source>Administrator</source>
        <translation>Администратор</translation>
    </message>
    <message>
        <location filename="../../ui/review/library.py" line="341"/>
        <source>Patient</source>
        <translation>Пациент</translation>
    </message>
    <message>
        <location filename="../../ui/review/library.py" line="341"/>
        <source>Number</source>
        <translation>Номер</translation>
    </message>
    <message>
        <location filename="../../ui/review/library.py" line="341"/>
        <source>Direction</source>
        <translation>Направление</translation>
    </message>
    <message>
        <location filename="../../ui/review/library.py" line="342"/>
        <source>Situation</source>
        <translation>Ситуация</translation>
    </message>
    <message>
        <location filename="../../ui/review/library.py" line="342"/>
        <source>Outcome</source>
        <translation>Итог</translation>
    </message>
    <message>
        <location filename="../../ui/review/library.py" line="342"/>
        <source>Length</source>
        <translation>Длительность</translation>
    </message>
    <message>
        <location filename="../../ui/review/library.py" line="342"/>
        <source>Score</source>
        <translation>Оценка</translation>
    </message>
    <message>
        <location filename="../../ui/review/library.py" line="342"/>
        <source>Tags</source>
        <translation>Теги</translation>
    </message>
    <message>
        <location filename="../../ui/review/library.py" line="343"/>
        <source>Found in transcript</source>
        <translation>Найдено в расшифровке</translation>
    </message>
    <message>
        <location filename="../../ui/review/library.py" line="406"/>
        <source>Score…</source>
        <translation>Оценить…</translation>
    </message>
    <message>
        <location filename="../../ui/review/library.py" line="409"/>
        <location filename="../../ui/review/library.py" line="644"/>
        <source>Delete recording</source>
        <translation>Удалить запись</translation>
    </message>
    <message>
        <location filename="../../ui/review/library.py" line="478"/>
        <source>%1 call(s)</source>
        <translation>Звонков: %1</translation>
    </message>
    <message>
        <location filename="../../ui/review/library.py" line="525"/>
        <source>Loading…</source>
        <translation>Загрузка…</translation>
    </message>
    <message>
        <location filename="../../ui/review/library.py" line="595"/>
        <source>Analysis unavailable</source>
        <translation>Анализ недоступен</translation>
    </message>
    <message>
        <location filename="../../ui/review/library.py" line="604"/>
        <source>Checklist %1 of %2</source>
        <translation>Чек-лист: %1 из %2</translation>
    </message>
    <message>
        <location filename="../../ui/review/library.py" line="606"/>
        <source>administrator talks %1% · longest monologue %2 s · interruptions %3 · silence %4%</source>
        <translation>администратор говорит %1% · самый долгий монолог %2 с · перебиваний %3 · тишина %4%</translation>
    </message>
    <message>
        <location filename="../../ui/review/library.py" line="610"/>
        <source>bonus before care</source>
        <translation>бонусы раньше заботы</translation>
    </message>
    <message>
        <location filename="../../ui/review/library.py" line="610"/>
        <source>bonus after care</source>
        <translation>бонусы после заботы</translation>
    </message>
    <message>
        <location filename="../../ui/review/library.py" line="611"/>
        <source>deadline named</source>
        <translation>срок назван</translation>
    </message>
    <message>
        <location filename="../../ui/review/library.py" line="611"/>
        <source>deadline not named</source>
        <translation>срок не назван</translation>
    </message>
    <message>
        <location filename="../../ui/review/library.py" line="600"/>
        <source>Not analysed yet</source>
        <translation>Ещё не проанализирован</translation>
    </message>
    <message>
        <location filename="../../ui/review/library.py" line="645"/>
        <source>Delete this recording for good? This is logged.</source>
        <translation>Удалить запись навсегда? Это попадёт в журнал.</translation>
    </message>
</context>
<context>
    <name>CaseReviewPage</name>
    <message numerus="yes">
        <location filename="../../ui/review/cases.py" line="310"/>
        <source>%n bookmark(s)</source>
        <translation>
            <numerusform>%n закладка</numerusform>
            <numerusform>%n закладки</numerusform>
            <numerusform>%n закладок</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/review/cases.py" line="74"/>
        <source>Suggest cases</source>
        <translation>Подобрать кейсы</translation>
    </message>
    <message>
        <location filename="../../ui/review/cases.py" line="76"/>
        <source>Kind</source>
        <translation>Вид</translation>
    </message>
    <message>
        <location filename="../../ui/review/cases.py" line="76"/>
        <source>Administrator</source>
        <translation>Администратор</translation>
    </message>
    <message>
        <location filename="../../ui/review/cases.py" line="76"/>
        <source>Situation</source>
        <translation>Ситуация</translation>
    </message>
    <message>
        <location filename="../../ui/review/cases.py" line="77"/>
        <source>Outcome</source>
        <translation>Итог</translation>
    </message>
    <message>
        <location filename="../../ui/review/cases.py" line="77"/>
        <source>Score</source>
        <translation>Оценка</translation>
    </message>
    <message>
        <location filename="../../ui/review/cases.py" line="77"/>
        <source>Tags</source>
        <translation>Теги</translation>
    </message>
    <message>
        <location filename="../../ui/review/cases.py" line="78"/>
        <source>Why</source>
        <translation>Почему</translation>
    </message>
    <message>
        <location filename="../../ui/review/cases.py" line="83"/>
        <source>Add to playlist</source>
        <translation>В подборку</translation>
    </message>
    <message>
        <location filename="../../ui/review/cases.py" line="87"/>
        <source>Week of</source>
        <translation>Неделя с</translation>
    </message>
    <message>
        <location filename="../../ui/review/cases.py" line="103"/>
        <source>New playlist…</source>
        <translation>Новая подборка…</translation>
    </message>
    <message>
        <location filename="../../ui/review/cases.py" line="106"/>
        <source>Up</source>
        <translation>Выше</translation>
    </message>
    <message>
        <location filename="../../ui/review/cases.py" line="107"/>
        <source>Down</source>
        <translation>Ниже</translation>
    </message>
    <message>
        <location filename="../../ui/review/cases.py" line="108"/>
        <source>Remove</source>
        <translation>Убрать</translation>
    </message>
    <message>
        <location filename="../../ui/review/cases.py" line="112"/>
        <source>Trainer&apos;s note for this case</source>
        <translation>Заметка тренера к кейсу</translation>
    </message>
    <message>
        <location filename="../../ui/review/cases.py" line="115"/>
        <source>Save note</source>
        <translation>Сохранить заметку</translation>
    </message>
    <message>
        <location filename="../../ui/review/cases.py" line="125"/>
        <source>What to listen for</source>
        <translation>На что обратить внимание</translation>
    </message>
    <message>
        <location filename="../../ui/review/cases.py" line="126"/>
        <source>Start = now</source>
        <translation>Начало = сейчас</translation>
    </message>
    <message>
        <location filename="../../ui/review/cases.py" line="127"/>
        <source>Stop = now</source>
        <translation>Конец = сейчас</translation>
    </message>
    <message>
        <location filename="../../ui/review/cases.py" line="128"/>
        <source>Add bookmark</source>
        <translation>Добавить закладку</translation>
    </message>
    <message>
        <location filename="../../ui/review/cases.py" line="132"/>
        <source>Mask names and numbers</source>
        <translation>Скрыть имена и номера</translation>
    </message>
    <message>
        <location filename="../../ui/review/cases.py" line="134"/>
        <source>Include audio</source>
        <translation>Вместе с аудио</translation>
    </message>
    <message>
        <location filename="../../ui/review/cases.py" line="135"/>
        <source>Export HTML…</source>
        <translation>Выгрузить HTML…</translation>
    </message>
    <message>
        <location filename="../../ui/review/cases.py" line="136"/>
        <source>Export PDF…</source>
        <translation>Выгрузить PDF…</translation>
    </message>
    <message>
        <location filename="../../ui/review/cases.py" line="139"/>
        <source>Meeting mode (Ctrl+Shift+M)</source>
        <translation>Режим планёрки (Ctrl+Shift+M)</translation>
    </message>
    <message>
        <location filename="../../ui/review/cases.py" line="143"/>
        <source>Playlist</source>
        <translation>Подборка</translation>
    </message>
    <message>
        <location filename="../../ui/review/cases.py" line="219"/>
        <source>best</source>
        <translation>лучший</translation>
    </message>
    <message>
        <location filename="../../ui/review/cases.py" line="219"/>
        <source>worst</source>
        <translation>худший</translation>
    </message>
    <message>
        <location filename="../../ui/review/cases.py" line="229"/>
        <source>%1 candidate(s)</source>
        <translation>Кандидатов: %1</translation>
    </message>
    <message>
        <location filename="../../ui/review/cases.py" line="236"/>
        <source>score %1</source>
        <translation>оценка %1</translation>
    </message>
    <message>
        <location filename="../../ui/review/cases.py" line="239"/>
        <source>good tags: %1</source>
        <translation>хороших тегов: %1</translation>
    </message>
    <message>
        <location filename="../../ui/review/cases.py" line="239"/>
        <source>bad tags: %1</source>
        <translation>плохих тегов: %1</translation>
    </message>
    <message>
        <location filename="../../ui/review/cases.py" line="247"/>
        <source>Create a playlist first</source>
        <translation>Сначала создайте подборку</translation>
    </message>
    <message>
        <location filename="../../ui/review/cases.py" line="279"/>
        <source>New playlist</source>
        <translation>Новая подборка</translation>
    </message>
    <message>
        <location filename="../../ui/review/cases.py" line="279"/>
        <source>Title</source>
        <translation>Название</translation>
    </message>
    <message>
        <location filename="../../ui/review/cases.py" line="412"/>
        <source>Exported to %1</source>
        <translation>Выгружено в %1</translation>
    </message>
    <message>
        <location filename="../../ui/review/cases.py" line="417"/>
        <source>Folder for the case pack</source>
        <translation>Папка для пакета кейсов</translation>
    </message>
    <message>
        <location filename="../../ui/review/cases.py" line="423"/>
        <source>The playlist is empty</source>
        <translation>Подборка пуста</translation>
    </message>
</context>
<context>
    <name>MeetingMode</name>
    <message>
        <location filename="../../ui/review/meeting.py" line="34"/>
        <source>Case review: %1</source>
        <translation>Разбор кейсов: %1</translation>
    </message>
    <message>
        <location filename="../../ui/review/meeting.py" line="39"/>
        <source>Space play/pause · → next bookmark · ← replay · N next case · P previous case · Esc leave</source>
        <translation>Пробел — пауза/воспроизведение · → следующая закладка · ← повторить · N — следующий кейс · P — предыдущий · Esc — выход</translation>
    </message>
    <message>
        <location filename="../../ui/review/meeting.py" line="82"/>
        <source>The playlist is empty</source>
        <translation>Подборка пуста</translation>
    </message>
    <message>
        <location filename="../../ui/review/meeting.py" line="91"/>
        <source>Case %1 of %2</source>
        <translation>Кейс %1 из %2</translation>
    </message>
    <message>
        <location filename="../../ui/review/meeting.py" line="148"/>
        <source>Bookmark %1 of %2: %3 (%4–%5)</source>
        <translation>Закладка %1 из %2: %3 (%4–%5)</translation>
    </message>
    <message>
        <location filename="../../ui/review/meeting.py" line="166"/>
        <source>Paused at the bookmark. → next, ← replay, Space go on</source>
        <translation>Пауза на закладке. → дальше, ← повторить, пробел — продолжить</translation>
    </message>
</context>
<context>
    <name>PlayerWidget</name>
    <message>
        <location filename="../../ui/review/player.py" line="212"/>
        <location filename="../../ui/review/player.py" line="409"/>
        <source>Play</source>
        <translation>Играть</translation>
    </message>
    <message>
        <location filename="../../ui/review/player.py" line="226"/>
        <source>Playback speed</source>
        <translation>Скорость воспроизведения</translation>
    </message>
    <message>
        <location filename="../../ui/review/player.py" line="227"/>
        <source>Skip silence</source>
        <translation>Пропускать тишину</translation>
    </message>
    <message>
        <location filename="../../ui/review/player.py" line="218"/>
        <source>&lt;span style=&apos;color:#1b4f9c&apos;&gt;■ Administrator&lt;/span&gt;  &lt;span style=&apos;color:#b5541c&apos;&gt;■ Caller&lt;/span&gt;</source>
        <translation>&lt;span style=&apos;color:#1b4f9c&apos;&gt;■ Администратор&lt;/span&gt;  &lt;span style=&apos;color:#b5541c&apos;&gt;■ Звонящий&lt;/span&gt;</translation>
    </message>
    <message>
        <location filename="../../ui/review/player.py" line="221"/>
        <source>Speed</source>
        <translation>Скорость</translation>
    </message>
    <message>
        <location filename="../../ui/review/player.py" line="272"/>
        <source>Administrator</source>
        <translation>Администратор</translation>
    </message>
    <message>
        <location filename="../../ui/review/player.py" line="272"/>
        <source>Caller</source>
        <translation>Звонящий</translation>
    </message>
    <message>
        <location filename="../../ui/review/player.py" line="407"/>
        <source>Opening…</source>
        <translation>Открывается…</translation>
    </message>
    <message>
        <location filename="../../ui/review/player.py" line="409"/>
        <source>Pause</source>
        <translation>Пауза</translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <location filename="../../ui/review/reports.py" line="44"/>
        <source>Show</source>
        <translation>Показать</translation>
    </message>
    <message>
        <location filename="../../ui/review/reports.py" line="45"/>
        <source>Export CSV…</source>
        <translation>Выгрузить CSV…</translation>
    </message>
    <message>
        <location filename="../../ui/review/reports.py" line="48"/>
        <source>Week</source>
        <translation>Неделя</translation>
    </message>
    <message>
        <location filename="../../ui/review/reports.py" line="48"/>
        <source>Administrator</source>
        <translation>Администратор</translation>
    </message>
    <message>
        <location filename="../../ui/review/reports.py" line="48"/>
        <source>Calls</source>
        <translation>Звонки</translation>
    </message>
    <message>
        <location filename="../../ui/review/reports.py" line="48"/>
        <source>Answered</source>
        <translation>Отвечено</translation>
    </message>
    <message>
        <location filename="../../ui/review/reports.py" line="49"/>
        <source>Booked first visits</source>
        <translation>Записано на первичный приём</translation>
    </message>
    <message>
        <location filename="../../ui/review/reports.py" line="49"/>
        <source>Booked returns</source>
        <translation>Записано повторно</translation>
    </message>
    <message>
        <location filename="../../ui/review/reports.py" line="49"/>
        <source>Unique callers</source>
        <translation>Уникальных звонивших</translation>
    </message>
    <message>
        <location filename="../../ui/review/reports.py" line="50"/>
        <source>Conversion %</source>
        <translation>Конверсия, %</translation>
    </message>
    <message>
        <location filename="../../ui/review/reports.py" line="50"/>
        <source>Average score</source>
        <translation>Средняя оценка</translation>
    </message>
    <message>
        <location filename="../../ui/review/reports.py" line="54"/>
        <source>Conversion % per administrator and week</source>
        <translation>Конверсия по администраторам и неделям, %</translation>
    </message>
    <message>
        <location filename="../../ui/review/reports.py" line="60"/>
        <source>From</source>
        <translation>С</translation>
    </message>
    <message>
        <location filename="../../ui/review/reports.py" line="62"/>
        <source>to</source>
        <translation>по</translation>
    </message>
    <message>
        <location filename="../../ui/review/reports.py" line="126"/>
        <source>Saved %1</source>
        <translation>Сохранено: %1</translation>
    </message>
    <message>
        <location filename="../../ui/review/reports.py" line="130"/>
        <source>Export CSV</source>
        <translation>Выгрузить CSV</translation>
    </message>
</context>
<context>
    <name>ReviewAdminPage</name>
    <message>
        <location filename="../../ui/review/admin.py" line="42"/>
        <location filename="../../ui/review/admin.py" line="69"/>
        <source>Tag</source>
        <translation>Тег</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="42"/>
        <source>Key</source>
        <translation>Клавиша</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="42"/>
        <source>Kind</source>
        <translation>Вид</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="47"/>
        <source>New tag, e.g. “offered a staged plan”</source>
        <translation>Новый тег, например «предложил(а) лечение по этапам»</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="49"/>
        <source>no key</source>
        <translation>без клавиши</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="53"/>
        <location filename="../../ui/review/admin.py" line="205"/>
        <source>good</source>
        <translation>хороший</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="53"/>
        <location filename="../../ui/review/admin.py" line="205"/>
        <source>neutral</source>
        <translation>нейтральный</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="53"/>
        <location filename="../../ui/review/admin.py" line="205"/>
        <source>bad</source>
        <translation>плохой</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="56"/>
        <source>Add tag</source>
        <translation>Добавить тег</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="57"/>
        <source>Tags</source>
        <translation>Теги</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="69"/>
        <source>Tracker</source>
        <translation>Трекер</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="69"/>
        <source>Who says it</source>
        <translation>Кто говорит</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="70"/>
        <source>Phrases (any word form)</source>
        <translation>Фразы (в любой форме)</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="76"/>
        <source>Tracker name</source>
        <translation>Название трекера</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="78"/>
        <location filename="../../ui/review/admin.py" line="214"/>
        <source>anyone</source>
        <translation>любой</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="79"/>
        <location filename="../../ui/review/admin.py" line="214"/>
        <source>administrator</source>
        <translation>администратор</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="80"/>
        <location filename="../../ui/review/admin.py" line="214"/>
        <source>caller</source>
        <translation>звонящий</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="82"/>
        <source>Tag it applies</source>
        <translation>Какой тег ставит</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="84"/>
        <source>Phrases separated by &apos;;&apos;, e.g. рассрочка; оплата частями; запис*</source>
        <translation>Фразы через «;», например: рассрочка; оплата частями; запис*</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="85"/>
        <source>Save tracker</source>
        <translation>Сохранить трекер</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="86"/>
        <source>Keyword and phrase trackers</source>
        <translation>Трекеры слов и фраз</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="104"/>
        <source>Scorecard name</source>
        <translation>Название анкеты</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="106"/>
        <source>Checkpoint</source>
        <translation>Пункт</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="106"/>
        <source>Weight</source>
        <translation>Вес</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="106"/>
        <source>Max points</source>
        <translation>Макс. баллов</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="107"/>
        <source>Instant fail</source>
        <translation>Сразу провал</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="111"/>
        <source>Add checkpoint</source>
        <translation>Добавить пункт</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="112"/>
        <source>Save scorecard</source>
        <translation>Сохранить анкету</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="113"/>
        <source>New scorecard</source>
        <translation>Новая анкета оценки</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="128"/>
        <source> days</source>
        <translation> дн.</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="129"/>
        <source>Save period</source>
        <translation>Сохранить срок</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="130"/>
        <source>Delete older recordings now</source>
        <translation>Удалить старые записи сейчас</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="132"/>
        <source>Keep recordings for</source>
        <translation>Хранить записи</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="138"/>
        <source>When</source>
        <translation>Когда</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="138"/>
        <source>Who</source>
        <translation>Кто</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="138"/>
        <source>Action</source>
        <translation>Действие</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="139"/>
        <source>Object</source>
        <translation>Объект</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="139"/>
        <source>Details</source>
        <translation>Подробности</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="143"/>
        <source>Audit log</source>
        <translation>Журнал действий</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="148"/>
        <source>Login</source>
        <translation>Логин</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="148"/>
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="148"/>
        <source>Role</source>
        <translation>Роль</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="149"/>
        <source>Active</source>
        <translation>Активен</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="155"/>
        <source>login</source>
        <translation>логин</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="157"/>
        <source>full name</source>
        <translation>полное имя</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="163"/>
        <source>password (8+ characters)</source>
        <translation>пароль (от 8 символов)</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="164"/>
        <source>Add user</source>
        <translation>Добавить пользователя</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="165"/>
        <source>Set role of selected</source>
        <translation>Сменить роль выбранному</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="166"/>
        <source>Set password of selected</source>
        <translation>Задать пароль выбранному</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="167"/>
        <source>Disable / enable selected</source>
        <translation>Отключить / включить выбранного</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="168"/>
        <source>Users</source>
        <translation>Пользователи</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="223"/>
        <source>yes</source>
        <translation>да</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="223"/>
        <source>no</source>
        <translation>нет</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="249"/>
        <source>A tracker needs a name and at least one phrase</source>
        <translation>У трекера должны быть название и хотя бы одна фраза</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="257"/>
        <source>Tracker saved; it applies to calls analysed from now on</source>
        <translation>Трекер сохранён; он применяется к звонкам, проанализированным с этого момента</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="296"/>
        <source>Scorecard saved</source>
        <translation>Анкета сохранена</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="319"/>
        <source>User %1 added</source>
        <translation>Пользователь %1 добавлен</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="334"/>
        <source>Password set for %1</source>
        <translation>Пароль для %1 задан</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="341"/>
        <source>You cannot disable yourself</source>
        <translation>Нельзя отключить самого себя</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="367"/>
        <source>Recordings are kept for %1 days</source>
        <translation>Записи хранятся %1 дн.</translation>
    </message>
    <message>
        <location filename="../../ui/review/admin.py" line="374"/>
        <source>Deleted %1 recording(s)</source>
        <translation>Удалено записей: %1</translation>
    </message>
</context>
<context>
    <name>ReviewHub</name>
    <message>
        <location filename="../../ui/review/hub.py" line="239"/>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <location filename="../../ui/review/hub.py" line="241"/>
        <source>Sign out</source>
        <translation>Выйти</translation>
    </message>
    <message>
        <location filename="../../ui/review/hub.py" line="249"/>
        <source>Calls</source>
        <translation>Звонки</translation>
    </message>
    <message>
        <location filename="../../ui/review/hub.py" line="254"/>
        <source>Case review</source>
        <translation>Разбор кейсов</translation>
    </message>
    <message>
        <location filename="../../ui/review/hub.py" line="255"/>
        <source>Reports</source>
        <translation>Отчёты</translation>
    </message>
    <message>
        <location filename="../../ui/review/hub.py" line="256"/>
        <source>Settings</source>
        <translation>Настройки</translation>
    </message>
    <message>
        <location filename="../../ui/review/hub.py" line="339"/>
        <source>Review</source>
        <translation>Контроль звонков</translation>
    </message>
</context>
<context>
    <name>ReviewLabels</name>
    <message>
        <location filename="../../ui/review/labels.py" line="13"/>
        <source>incoming</source>
        <translation>входящий</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="14"/>
        <source>outgoing</source>
        <translation>исходящий</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="19"/>
        <source>booked</source>
        <translation>записан(а)</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="20"/>
        <source>call back</source>
        <translation>перезвонить</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="21"/>
        <source>declined</source>
        <translation>отказ</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="22"/>
        <source>no answer</source>
        <translation>не ответил</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="23"/>
        <source>wrong number</source>
        <translation>ошибка номера</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="24"/>
        <source>information given</source>
        <translation>дана информация</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="25"/>
        <source>complaint</source>
        <translation>жалоба</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="26"/>
        <source>other</source>
        <translation>другое</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="32"/>
        <source>administrator</source>
        <translation>администратор</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="33"/>
        <source>supervisor</source>
        <translation>старший администратор</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="34"/>
        <source>trainer</source>
        <translation>тренер</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="35"/>
        <source>manager</source>
        <translation>управляющий</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="43"/>
        <source>incoming call</source>
        <translation>входящий звонок</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="96"/>
        <source>signed in</source>
        <translation>вход</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="97"/>
        <source>sign-in refused</source>
        <translation>отказ во входе</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="98"/>
        <source>played a recording</source>
        <translation>прослушивание записи</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="99"/>
        <source>exported</source>
        <translation>выгрузка</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="100"/>
        <source>deleted a recording</source>
        <translation>удаление записи</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="101"/>
        <source>changed a score</source>
        <translation>изменение оценки</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="102"/>
        <source>changed retention</source>
        <translation>изменение срока хранения</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="103"/>
        <source>changed tags</source>
        <translation>изменение тегов</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="104"/>
        <source>changed a user</source>
        <translation>изменение пользователя</translation>
    </message>
</context>
<context>
    <name>ReviewScorecard</name>
    <message>
        <location filename="../../ui/review/labels.py" line="72"/>
        <source>Front desk call</source>
        <translation>Звонок на ресепшн</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="74"/>
        <source>Greeted, named the clinic and themselves</source>
        <translation>Поздоровался(ась), назвал(а) клинику и себя</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="76"/>
        <source>Asked about the patient&apos;s health first (care first)</source>
        <translation>Сначала спросил(а) о самочувствии (забота прежде всего)</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="77"/>
        <source>Verified data by stating it</source>
        <translation>Сверил(а) данные, назвав их</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="79"/>
        <source>Explained the price or the staged plan clearly</source>
        <translation>Понятно объяснил(а) цену или план по этапам</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="81"/>
        <source>Offered a concrete time and booked</source>
        <translation>Предложил(а) конкретное время и записал(а)</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="83"/>
        <source>Bonuses last, with their deadline</source>
        <translation>Бонусы в конце, со сроком действия</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="85"/>
        <source>Rude or dismissive to the patient</source>
        <translation>Грубость или пренебрежение к пациенту</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="86"/>
        <source>Gave wrong medical advice</source>
        <translation>Дал(а) неверный медицинский совет</translation>
    </message>
</context>
<context>
    <name>ReviewTags</name>
    <message>
        <location filename="../../ui/review/labels.py" line="54"/>
        <source>booked</source>
        <translation>записал(а)</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="55"/>
        <source>care question asked</source>
        <translation>спросил(а) о самочувствии</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="56"/>
        <source>did not know the price</source>
        <translation>не знал(а) цену</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="57"/>
        <source>rude</source>
        <translation>грубость</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="58"/>
        <source>lost patient</source>
        <translation>потерянный пациент</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="59"/>
        <source>good example</source>
        <translation>хороший пример</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="60"/>
        <source>price question</source>
        <translation>вопрос о цене</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="61"/>
        <source>bonus offered</source>
        <translation>предложены бонусы</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="62"/>
        <source>competitor mentioned</source>
        <translation>упомянут конкурент</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="63"/>
        <source>complaint</source>
        <translation>жалоба</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="64"/>
        <source>bonus before care</source>
        <translation>бонусы раньше заботы</translation>
    </message>
    <message>
        <location filename="../../ui/review/labels.py" line="65"/>
        <source>bonus deadline not named</source>
        <translation>не назван срок бонусов</translation>
    </message>
</context>
<context>
    <name>ScorecardDialog</name>
    <message>
        <location filename="../../ui/review/scorecard.py" line="33"/>
        <source>Score call %1</source>
        <translation>Оценка звонка %1</translation>
    </message>
    <message>
        <location filename="../../ui/review/scorecard.py" line="47"/>
        <source>Comment at %1 (optional)</source>
        <translation>Комментарий на %1 (необязательно)</translation>
    </message>
    <message>
        <location filename="../../ui/review/scorecard.py" line="51"/>
        <source>Scorecard</source>
        <translation>Анкета оценки</translation>
    </message>
    <message>
        <location filename="../../ui/review/scorecard.py" line="81"/>
        <source>instant fail</source>
        <translation>сразу провал</translation>
    </message>
    <message>
        <location filename="../../ui/review/scorecard.py" line="108"/>
        <source>Score: %1 / 100</source>
        <translation>Оценка: %1 / 100</translation>
    </message>
    <message>
        <location filename="../../ui/review/scorecard.py" line="109"/>
        <source> — instant fail</source>
        <translation> — провал</translation>
    </message>
</context>
<context>
    <name>SignInForm</name>
    <message>
        <location filename="../../ui/review/hub.py" line="64"/>
        <source>Sign in</source>
        <extracomment>set by the hub: after a successful check the form stays busy (&quot;Signing in…&quot;) until the hub has built the pages and calls :meth:`finish`</extracomment>
        <translation>Войти</translation>
    </message>
    <message>
        <location filename="../../ui/review/hub.py" line="67"/>
        <source>Login</source>
        <translation>Логин</translation>
    </message>
    <message>
        <location filename="../../ui/review/hub.py" line="68"/>
        <source>Password</source>
        <translation>Пароль</translation>
    </message>
    <message>
        <location filename="../../ui/review/hub.py" line="71"/>
        <source>&lt;h2&gt;Call review&lt;/h2&gt;&lt;p&gt;Sign in to listen to, tag and score calls.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;Контроль звонков&lt;/h2&gt;&lt;p&gt;Войдите, чтобы слушать, размечать и оценивать звонки.&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../../ui/review/hub.py" line="91"/>
        <source>Signing in…</source>
        <translation>Вход…</translation>
    </message>
    <message>
        <location filename="../../ui/review/hub.py" line="120"/>
        <source>Cannot sign in: %1</source>
        <translation>Не удалось войти: %1</translation>
    </message>
    <message>
        <location filename="../../ui/review/hub.py" line="126"/>
        <source>Wrong login or password</source>
        <translation>Неверный логин или пароль</translation>
    </message>
    <message>
        <location filename="../../ui/review/hub.py" line="128"/>
        <source>This account is disabled; ask the clinic manager</source>
        <translation>Учётная запись отключена; обратитесь к управляющему клиникой</translation>
    </message>
    <message>
        <location filename="../../ui/review/hub.py" line="130"/>
        <source>Too many wrong passwords: the account is locked for a while</source>
        <translation>Слишком много неверных паролей: вход временно заблокирован</translation>
    </message>
</context>
<context>
    <name>TagPalette</name>
    <message>
        <location filename="../../ui/review/tagging.py" line="57"/>
        <source>Confirm</source>
        <extracomment>the tags applied to ``call_id`` as last shown (``AppliedTag``)</extracomment>
        <translation>Подтвердить</translation>
    </message>
    <message>
        <location filename="../../ui/review/tagging.py" line="58"/>
        <source>Remove</source>
        <translation>Убрать</translation>
    </message>
    <message>
        <location filename="../../ui/review/tagging.py" line="59"/>
        <source>Confirm the selected automatic tag</source>
        <translation>Подтвердить выбранный автоматический тег</translation>
    </message>
    <message>
        <location filename="../../ui/review/tagging.py" line="66"/>
        <source>Tags (number keys toggle):</source>
        <translation>Теги (цифры на клавиатуре включают и снимают):</translation>
    </message>
    <message>
        <location filename="../../ui/review/tagging.py" line="135"/>
        <source> (auto, confirmed)</source>
        <translation> (авто, подтверждён)</translation>
    </message>
    <message>
        <location filename="../../ui/review/tagging.py" line="136"/>
        <source> (auto)</source>
        <translation> (авто)</translation>
    </message>
</context>
<context>
    <name>WaveformView</name>
    <message>
        <location filename="../../ui/review/player.py" line="85"/>
        <source>Click to jump to that moment</source>
        <translation>Щёлкните, чтобы перейти к этому месту</translation>
    </message>
    <message>
        <location filename="../../ui/review/player.py" line="139"/>
        <source>No audio</source>
        <translation>Нет аудио</translation>
    </message>
</context>
</TS>
