<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
  <context>
    <name>CallBar</name>
    <message>
      <location filename="../../ui/telephony/call_bar.py" line="51" />
      <source>Answer</source>
      <translation>Ответить</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/call_bar.py" line="52" />
      <source>Hang up</source>
      <translation>Положить трубку</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/call_bar.py" line="53" />
      <location filename="../../ui/telephony/call_bar.py" line="225" />
      <source>Mute</source>
      <translation>Выкл. микрофон</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/call_bar.py" line="54" />
      <location filename="../../ui/telephony/call_bar.py" line="226" />
      <source>Hold</source>
      <translation>Удержание</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/call_bar.py" line="55" />
      <source>Call patient</source>
      <translation>Позвонить пациенту</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/call_bar.py" line="58" />
      <source>Outcome…</source>
      <translation>Итог звонка…</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/call_bar.py" line="63" />
      <source>Note</source>
      <translation>Заметка</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/call_bar.py" line="64" />
      <source>Save</source>
      <translation>Сохранить</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/call_bar.py" line="79" />
      <source>Booked</source>
      <translation>Записан</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/call_bar.py" line="79" />
      <source>Call back</source>
      <translation>Перезвонить</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/call_bar.py" line="80" />
      <source>Information given</source>
      <translation>Дана информация</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/call_bar.py" line="80" />
      <source>Declined</source>
      <translation>Отказ</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/call_bar.py" line="81" />
      <source>No answer</source>
      <translation>Нет ответа</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/call_bar.py" line="81" />
      <source>Wrong number</source>
      <translation>Ошибся номером</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/call_bar.py" line="82" />
      <source>Complaint</source>
      <translation>Жалоба</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/call_bar.py" line="82" />
      <source>Other</source>
      <translation>Другое</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/call_bar.py" line="117" />
      <source>(interrupted: the softphone stopped)</source>
      <translation>(прервано: софтфон остановился)</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/call_bar.py" line="173" />
      <source>Dial %1 on your phone</source>
      <translation>Наберите %1 на своём телефоне</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/call_bar.py" line="180" />
      <source>Open a patient's card first</source>
      <translation>Сначала откройте карточку пациента</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/call_bar.py" line="197" />
      <source>Outcome saved</source>
      <translation>Итог звонка сохранён</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/call_bar.py" line="205" />
      <source>No call</source>
      <translation>Нет звонка</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/call_bar.py" line="207" />
      <source>Ringing: %1</source>
      <translation>Звонит: %1</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/call_bar.py" line="209" />
      <source>Calling %1</source>
      <translation>Вызов %1</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/call_bar.py" line="212" />
      <source>In call with %1</source>
      <translation>Разговор с %1</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/call_bar.py" line="214" />
      <source>on hold</source>
      <translation>на удержании</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/call_bar.py" line="216" />
      <source>muted</source>
      <translation>микрофон выключен</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/call_bar.py" line="218" />
      <source>Call ended: %1</source>
      <translation>Звонок завершён: %1</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/call_bar.py" line="225" />
      <source>Unmute</source>
      <translation>Вкл. микрофон</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/call_bar.py" line="226" />
      <source>Resume</source>
      <translation>Снять с удержания</translation>
    </message>
  </context>
  <context>
    <name>MissedCallsPage</name>
    <message>
      <location filename="../../ui/telephony/missed_page.py" line="47" />
      <source>Show today's called back</source>
      <translation>Показать перезвоненные сегодня</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/missed_page.py" line="50" />
      <source>Call back (Enter)</source>
      <translation>Перезвонить (Enter)</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/missed_page.py" line="57" />
      <source>Missed at</source>
      <translation>Пропущен</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/missed_page.py" line="57" />
      <source>Number</source>
      <translation>Номер</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/missed_page.py" line="57" />
      <source>Patient</source>
      <translation>Пациент</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/missed_page.py" line="58" />
      <source>Reason</source>
      <translation>Причина</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/missed_page.py" line="58" />
      <source>Status</source>
      <translation>Статус</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/missed_page.py" line="66" />
      <source>Green: within 20 minutes · Amber: same day · Red: older</source>
      <translation>Зелёный: до 20 минут · Жёлтый: в тот же день · Красный: позже</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/missed_page.py" line="93" />
      <source>called back %1</source>
      <translation>перезвонили в %1</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/missed_page.py" line="94" />
      <source>not yet called back</source>
      <translation>ещё не перезвонили</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/missed_page.py" line="96" />
      <source>unknown caller</source>
      <translation>неизвестный абонент</translation>
    </message>
    <message numerus="yes">
      <location filename="../../ui/telephony/missed_page.py" line="106" />
      <source>%n call(s) to return</source>
      <translation>
        <numerusform>%n звонок ждёт ответа</numerusform>
        <numerusform>%n звонка ждут ответа</numerusform>
        <numerusform>%n звонков ждут ответа</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>TelephonyUi</name>
    <message>
      <location filename="../../ui/telephony/__init__.py" line="29" />
      <source>Missed calls</source>
      <translation>Пропущенные</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/__init__.py" line="42" />
      <source>Softphone ready</source>
      <translation>Софтфон готов</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/__init__.py" line="43" />
      <source>The softphone stopped unexpectedly; restarting it. A call in progress was kept as interrupted.</source>
      <translation>Софтфон неожиданно остановился; перезапускаю. Текущий звонок сохранён как прерванный.</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/__init__.py" line="44" />
      <source>Restarting the softphone…</source>
      <translation>Перезапуск софтфона…</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/__init__.py" line="45" />
      <source>Softphone problem: %1</source>
      <translation>Проблема софтфона: %1</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/__init__.py" line="46" />
      <source>Connected to the PBX</source>
      <translation>Подключено к АТС</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/__init__.py" line="47" />
      <source>No connection to the PBX; retrying…</source>
      <translation>Нет связи с АТС; повторяю…</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/__init__.py" line="48" />
      <source>The PBX refused the login: %1</source>
      <translation>АТС отклонила вход: %1</translation>
    </message>
    <message>
      <location filename="../../ui/telephony/__init__.py" line="59" />
      <source>Telephony is off: %1</source>
      <translation>Телефония выключена: %1</translation>
    </message>
  </context>
</TS>