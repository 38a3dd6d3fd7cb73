<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>ImportWizard</name>
    <message>
        <location filename="../../ui/mis/import_wizard.py" line="73"/>
        <source>A CSV or XLSX export of the MIS</source>
        <translation>Выгрузка из МИС в CSV или XLSX</translation>
    </message>
    <message>
        <location filename="../../ui/mis/import_wizard.py" line="74"/>
        <source>Choose…</source>
        <translation>Выбрать…</translation>
    </message>
    <message>
        <location filename="../../ui/mis/import_wizard.py" line="78"/>
        <source>File</source>
        <translation>Файл</translation>
    </message>
    <message>
        <location filename="../../ui/mis/import_wizard.py" line="82"/>
        <source>What it contains</source>
        <translation>Что в файле</translation>
    </message>
    <message>
        <location filename="../../ui/mis/import_wizard.py" line="85"/>
        <source>Column mapping</source>
        <translation>Сопоставление колонок</translation>
    </message>
    <message>
        <location filename="../../ui/mis/import_wizard.py" line="87"/>
        <source>Read the file</source>
        <translation>Прочитать файл</translation>
    </message>
    <message>
        <location filename="../../ui/mis/import_wizard.py" line="109"/>
        <source>Save the mapping as</source>
        <translation>Сохранить сопоставление как</translation>
    </message>
    <message>
        <location filename="../../ui/mis/import_wizard.py" line="111"/>
        <source>e.g. the MIS name</source>
        <translation>например, название МИС</translation>
    </message>
    <message>
        <location filename="../../ui/mis/import_wizard.py" line="113"/>
        <source>Back</source>
        <translation>Назад</translation>
    </message>
    <message>
        <location filename="../../ui/mis/import_wizard.py" line="116"/>
        <source>Check (dry run)</source>
        <translation>Проверить (без записи)</translation>
    </message>
    <message>
        <location filename="../../ui/mis/import_wizard.py" line="130"/>
        <source>Row</source>
        <translation>Строка</translation>
    </message>
    <message>
        <location filename="../../ui/mis/import_wizard.py" line="130"/>
        <source>Result</source>
        <translation>Результат</translation>
    </message>
    <message>
        <location filename="../../ui/mis/import_wizard.py" line="130"/>
        <source>Reason / note</source>
        <translation>Причина / примечание</translation>
    </message>
    <message>
        <location filename="../../ui/mis/import_wizard.py" line="136"/>
        <source>Back to the mapping</source>
        <translation>Назад к сопоставлению</translation>
    </message>
    <message>
        <location filename="../../ui/mis/import_wizard.py" line="140"/>
        <source>Import</source>
        <translation>Импортировать</translation>
    </message>
    <message>
        <location filename="../../ui/mis/import_wizard.py" line="143"/>
        <source>Import another file</source>
        <translation>Импортировать другой файл</translation>
    </message>
    <message>
        <location filename="../../ui/mis/import_wizard.py" line="151"/>
        <source>Import from MIS</source>
        <translation>Импорт из МИС</translation>
    </message>
    <message>
        <location filename="../../ui/mis/import_wizard.py" line="154"/>
        <source>Patients</source>
        <translation>Пациенты</translation>
    </message>
    <message>
        <location filename="../../ui/mis/import_wizard.py" line="154"/>
        <source>Visits</source>
        <translation>Визиты</translation>
    </message>
    <message>
        <location filename="../../ui/mis/import_wizard.py" line="155"/>
        <source>Treatment plans</source>
        <translation>Планы лечения</translation>
    </message>
    <message>
        <location filename="../../ui/mis/import_wizard.py" line="155"/>
        <source>Appointments</source>
        <translation>Записи на приём</translation>
    </message>
    <message>
        <location filename="../../ui/mis/import_wizard.py" line="156"/>
        <source>Bonus ledger</source>
        <translation>Бонусные операции</translation>
    </message>
    <message>
        <location filename="../../ui/mis/import_wizard.py" line="164"/>
        <source>1. Choose the export file</source>
        <translation>1. Выберите файл выгрузки</translation>
    </message>
    <message>
        <location filename="../../ui/mis/import_wizard.py" line="164"/>
        <source>2. Match the columns</source>
        <translation>2. Сопоставьте колонки</translation>
    </message>
    <message>
        <location filename="../../ui/mis/import_wizard.py" line="165"/>
        <source>3. Check what will happen</source>
        <translation>3. Проверьте, что будет сделано</translation>
    </message>
    <message>
        <location filename="../../ui/mis/import_wizard.py" line="165"/>
        <source>Done</source>
        <translation>Готово</translation>
    </message>
    <message>
        <location filename="../../ui/mis/import_wizard.py" line="180"/>
        <source>Guess from the column names</source>
        <translation>Определить по названиям колонок</translation>
    </message>
    <message>
        <location filename="../../ui/mis/import_wizard.py" line="201"/>
        <source>MIS export</source>
        <translation>Выгрузка из МИС</translation>
    </message>
    <message>
        <location filename="../../ui/mis/import_wizard.py" line="202"/>
        <source>Tables (*.csv *.txt *.xlsx);;All files (*)</source>
        <translation>Таблицы (*.csv *.txt *.xlsx);;Все файлы (*)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/mis/import_wizard.py" line="228"/>
        <source>%n data row(s); encoding: %1</source>
        <translation>
            <numerusform>%n строка данных; кодировка: %1</numerusform>
            <numerusform>%n строки данных; кодировка: %1</numerusform>
            <numerusform>%n строк данных; кодировка: %1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/mis/import_wizard.py" line="236"/>
        <source>Field</source>
        <translation>Поле</translation>
    </message>
    <message>
        <location filename="../../ui/mis/import_wizard.py" line="240"/>
        <source>(ignore)</source>
        <translation>(не использовать)</translation>
    </message>
    <message>
        <location filename="../../ui/mis/import_wizard.py" line="313"/>
        <source>Dry run: nothing is saved yet.</source>
        <translation>Проверка: пока ничего не сохранено.</translation>
    </message>
    <message>
        <location filename="../../ui/mis/import_wizard.py" line="313"/>
        <source>Imported.</source>
        <translation>Импорт выполнен.</translation>
    </message>
    <message>
        <location filename="../../ui/mis/import_wizard.py" line="314"/>
        <source>Rows: %1. New: %2. Updated: %3. Unchanged: %4. Rejected: %5.</source>
        <translation>Строк: %1. Новых: %2. Обновлено: %3. Без изменений: %4. Отклонено: %5.</translation>
    </message>
    <message>
        <location filename="../../ui/mis/import_wizard.py" line="321"/>
        <source>new</source>
        <translation>новая</translation>
    </message>
    <message>
        <location filename="../../ui/mis/import_wizard.py" line="321"/>
        <source>updated</source>
        <translation>обновлена</translation>
    </message>
    <message>
        <location filename="../../ui/mis/import_wizard.py" line="321"/>
        <source>unchanged</source>
        <translation>без изменений</translation>
    </message>
    <message>
        <location filename="../../ui/mis/import_wizard.py" line="322"/>
        <source>rejected</source>
        <translation>отклонена</translation>
    </message>
</context>
</TS>
