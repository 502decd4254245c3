<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>QObject</name>
    <message>
        <location filename="../src/main.cpp" line="69"/>
        <location filename="../src/main.cpp" line="77"/>
        <source>ExamGuard</source>
        <translation>ExamGuard 考试监管</translation>
    </message>
    <message>
        <location filename="../src/main.cpp" line="78"/>
        <source>The station database cannot be opened: %1</source>
        <translation>无法打开考点数据库：%1</translation>
    </message>
</context>
<context>
    <name>examguard::console::ArchiveViewer</name>
    <message>
        <location filename="../src/archive_viewer.cpp" line="60"/>
        <source>Open archive…</source>
        <translation>打开档案…</translation>
    </message>
    <message>
        <location filename="../src/archive_viewer.cpp" line="61"/>
        <source>No archive opened.</source>
        <translation>尚未打开档案。</translation>
    </message>
    <message>
        <location filename="../src/archive_viewer.cpp" line="88"/>
        <source>Open archive</source>
        <translation>打开档案</translation>
    </message>
    <message>
        <location filename="../src/archive_viewer.cpp" line="88"/>
        <source>Period archives (*.zip)</source>
        <translation>期次档案 (*.zip)</translation>
    </message>
    <message>
        <location filename="../src/archive_viewer.cpp" line="96"/>
        <source>Verifying %1…</source>
        <translation>正在校验 %1…</translation>
    </message>
    <message>
        <location filename="../src/archive_viewer.cpp" line="105"/>
        <source>The archive cannot be read: %1</source>
        <translation>无法读取档案：%1</translation>
    </message>
    <message>
        <location filename="../src/archive_viewer.cpp" line="108"/>
        <source>Archive VALID: every check holds. Signed by %1.</source>
        <translation>档案有效：全部校验通过。签名者 %1。</translation>
    </message>
    <message numerus="yes">
        <location filename="../src/archive_viewer.cpp" line="110"/>
        <source>Archive NOT VALID: %n problem(s).</source>
        <translation>
            <numerusform>档案无效：%n 项问题。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>examguard::console::CallDisplay</name>
    <message>
        <location filename="../src/call_display.cpp" line="11"/>
        <source>Waiting room</source>
        <translation>候考室</translation>
    </message>
    <message>
        <location filename="../src/call_display.cpp" line="39"/>
        <source>All candidates have been called</source>
        <translation>考生已全部叫号</translation>
    </message>
    <message>
        <location filename="../src/call_display.cpp" line="40"/>
        <source>Please come to the entrance</source>
        <translation>请以下考生到考场入口</translation>
    </message>
    <message>
        <location filename="../src/call_display.cpp" line="43"/>
        <source>Exam number %1   Seat %2</source>
        <translation>准考证号 %1   座位 %2</translation>
    </message>
</context>
<context>
    <name>examguard::console::MainWindow</name>
    <message>
        <location filename="../src/main_window.cpp" line="25"/>
        <source>Theory</source>
        <translation>理论</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="25"/>
        <source>Practical</source>
        <translation>实操</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="26"/>
        <source>main</source>
        <translation>正考</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="26"/>
        <source>retake</source>
        <translation>补考</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="27"/>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="49"/>
        <source>ExamGuard monitor desk</source>
        <translation>ExamGuard 监考台</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="53"/>
        <source>&amp;Sitting:</source>
        <translation>场次(&amp;S)：</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="62"/>
        <source>Seat map</source>
        <translation>座位图</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="63"/>
        <source>Archives</source>
        <translation>档案</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="67"/>
        <source>&amp;View</source>
        <translation>查看(&amp;V)</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="68"/>
        <source>&amp;Waiting-room display</source>
        <translation>候考室叫号屏(&amp;W)</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="70"/>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="91"/>
        <source>%1 · %2 · %3 · %4</source>
        <translation>%1 · %2 · %3 · %4</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="111"/>
        <source>No sitting: import an exam period first.</source>
        <translation>没有场次：请先导入考试期次。</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="118"/>
        <source>Cannot read the seats: %1</source>
        <translation>无法读取座位：%1</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="122"/>
        <source>%1 seats · %2 checked in · %3 awaiting review · %4 refused · %5 absent · %6 alerts · %7 not yet</source>
        <translation>共 %1 个座位 · 已签到 %2 · 待复核 %3 · 已拒绝 %4 · 缺考 %5 · 预警 %6 · 未签到 %7</translation>
    </message>
</context>
<context>
    <name>examguard::console::SeatMap</name>
    <message>
        <location filename="../src/seat_map.cpp" line="56"/>
        <source>Seat map</source>
        <translation>座位图</translation>
    </message>
</context>
<context>
    <name>examguard::console::SeatModel</name>
    <message>
        <location filename="../src/seat_model.cpp" line="62"/>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <location filename="../src/seat_model.cpp" line="77"/>
        <source>Seat</source>
        <translation>座位</translation>
    </message>
    <message>
        <location filename="../src/seat_model.cpp" line="79"/>
        <source>Exam number</source>
        <translation>准考证号</translation>
    </message>
    <message>
        <location filename="../src/seat_model.cpp" line="81"/>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <location filename="../src/seat_model.cpp" line="83"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../src/seat_model.cpp" line="91"/>
        <source>Not yet</source>
        <translation>未签到</translation>
    </message>
    <message>
        <location filename="../src/seat_model.cpp" line="93"/>
        <source>Checked in</source>
        <translation>已签到</translation>
    </message>
    <message>
        <location filename="../src/seat_model.cpp" line="95"/>
        <source>Awaiting review</source>
        <translation>待复核</translation>
    </message>
    <message>
        <location filename="../src/seat_model.cpp" line="97"/>
        <source>Refused</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <location filename="../src/seat_model.cpp" line="99"/>
        <source>Absent</source>
        <translation>缺考</translation>
    </message>
    <message>
        <location filename="../src/seat_model.cpp" line="101"/>
        <source>Impersonation alert</source>
        <translation>冒名预警</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../src/main.cpp" line="36"/>
        <source>The demo could not be prepared: %1</source>
        <translation>无法准备演示数据：%1</translation>
    </message>
</context>
</TS>
