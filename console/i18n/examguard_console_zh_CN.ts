<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CameraWall</name>
    <message>
        <location filename="../src/camera_wall.cpp" line="41"/>
        <source>covered</source>
        <translation>遮挡</translation>
    </message>
    <message>
        <location filename="../src/camera_wall.cpp" line="42"/>
        <source>out of focus</source>
        <translation>失焦</translation>
    </message>
    <message>
        <location filename="../src/camera_wall.cpp" line="43"/>
        <source>moved</source>
        <translation>移位</translation>
    </message>
    <message>
        <location filename="../src/camera_wall.cpp" line="44"/>
        <source>frozen picture</source>
        <translation>画面冻结</translation>
    </message>
    <message>
        <location filename="../src/camera_wall.cpp" line="45"/>
        <source>signal lost</source>
        <translation>信号丢失</translation>
    </message>
    <message>
        <location filename="../src/camera_wall.cpp" line="46"/>
        <source>too dark</source>
        <translation>过暗</translation>
    </message>
    <message>
        <location filename="../src/camera_wall.cpp" line="47"/>
        <source>too bright</source>
        <translation>过亮</translation>
    </message>
    <message>
        <location filename="../src/camera_wall.cpp" line="48"/>
        <source>colour cast</source>
        <translation>偏色</translation>
    </message>
    <message>
        <location filename="../src/camera_wall.cpp" line="49"/>
        <source>seat empty</source>
        <translation>座位无人</translation>
    </message>
    <message>
        <location filename="../src/camera_wall.cpp" line="50"/>
        <source>extra person</source>
        <translation>多余人员</translation>
    </message>
    <message>
        <location filename="../src/camera_wall.cpp" line="51"/>
        <source>proctor absent</source>
        <translation>监考离岗</translation>
    </message>
    <message>
        <location filename="../src/camera_wall.cpp" line="52"/>
        <source>head count differs</source>
        <translation>人数不符</translation>
    </message>
</context>
<context>
    <name>CheckinTexts</name>
    <message>
        <location filename="../src/checkin_texts.cpp" line="28"/>
        <source>PASS</source>
        <translation>通过</translation>
    </message>
    <message>
        <location filename="../src/checkin_texts.cpp" line="29"/>
        <source>REFUSED</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <location filename="../src/checkin_texts.cpp" line="30"/>
        <source>PROCTOR REVIEW</source>
        <translation>需监考复核</translation>
    </message>
    <message>
        <location filename="../src/checkin_texts.cpp" line="38"/>
        <source>the card holder is not on this period&apos;s roster</source>
        <translation>持证人不在本期名单中</translation>
    </message>
    <message>
        <location filename="../src/checkin_texts.cpp" line="39"/>
        <source>the ID card has expired</source>
        <translation>身份证已过期</translation>
    </message>
    <message>
        <location filename="../src/checkin_texts.cpp" line="41"/>
        <source>liveness check failed: possible photo or screen</source>
        <translation>活体检测未通过：可能是照片或屏幕</translation>
    </message>
    <message>
        <location filename="../src/checkin_texts.cpp" line="42"/>
        <source>liveness check inconclusive</source>
        <translation>活体检测无法判定</translation>
    </message>
    <message>
        <location filename="../src/checkin_texts.cpp" line="43"/>
        <source>liveness was not checked</source>
        <translation>未做活体检测</translation>
    </message>
    <message>
        <location filename="../src/checkin_texts.cpp" line="45"/>
        <source>the face does not match the ID card photo</source>
        <translation>人脸与身份证照片不符</translation>
    </message>
    <message>
        <location filename="../src/checkin_texts.cpp" line="47"/>
        <source>the face does not match the roster photo</source>
        <translation>人脸与报名照片不符</translation>
    </message>
    <message>
        <location filename="../src/checkin_texts.cpp" line="49"/>
        <source>the face resembles the ID card photo only weakly</source>
        <translation>人脸与身份证照片相似度偏低</translation>
    </message>
    <message>
        <location filename="../src/checkin_texts.cpp" line="51"/>
        <source>the face resembles the roster photo only weakly</source>
        <translation>人脸与报名照片相似度偏低</translation>
    </message>
    <message>
        <location filename="../src/checkin_texts.cpp" line="53"/>
        <source>no ID card or roster photo to compare with</source>
        <translation>没有可比对的身份证照片或报名照片</translation>
    </message>
    <message>
        <location filename="../src/checkin_texts.cpp" line="55"/>
        <source>this candidate has already checked in to this sitting</source>
        <translation>该考生已在本场次签到</translation>
    </message>
    <message>
        <location filename="../src/checkin_texts.cpp" line="57"/>
        <source>the face matches another candidate: possible impersonation</source>
        <translation>人脸与另一考生相符：疑似替考</translation>
    </message>
    <message>
        <location filename="../src/checkin_texts.cpp" line="60"/>
        <source>no face found</source>
        <translation>未检测到人脸</translation>
    </message>
    <message>
        <location filename="../src/checkin_texts.cpp" line="62"/>
        <source>another person is in view</source>
        <translation>画面中有其他人</translation>
    </message>
    <message>
        <location filename="../src/checkin_texts.cpp" line="63"/>
        <source>the face is too small</source>
        <translation>人脸太小</translation>
    </message>
    <message>
        <location filename="../src/checkin_texts.cpp" line="65"/>
        <source>the face is partly outside the picture</source>
        <translation>人脸部分超出画面</translation>
    </message>
    <message>
        <location filename="../src/checkin_texts.cpp" line="66"/>
        <source>the head is turned</source>
        <translation>头部偏转</translation>
    </message>
    <message>
        <location filename="../src/checkin_texts.cpp" line="67"/>
        <source>the head is tilted</source>
        <translation>头部倾斜</translation>
    </message>
    <message>
        <location filename="../src/checkin_texts.cpp" line="68"/>
        <source>the picture is too dark</source>
        <translation>画面太暗</translation>
    </message>
    <message>
        <location filename="../src/checkin_texts.cpp" line="69"/>
        <source>the picture is too bright</source>
        <translation>画面太亮</translation>
    </message>
    <message>
        <location filename="../src/checkin_texts.cpp" line="70"/>
        <source>the picture is blurred</source>
        <translation>画面模糊</translation>
    </message>
    <message>
        <location filename="../src/checkin_texts.cpp" line="77"/>
        <source>roster photo</source>
        <translation>报名照片</translation>
    </message>
    <message>
        <location filename="../src/checkin_texts.cpp" line="78"/>
        <source>ID card photo</source>
        <translation>身份证照片</translation>
    </message>
    <message>
        <location filename="../src/checkin_texts.cpp" line="79"/>
        <source>earlier live capture</source>
        <translation>先前的现场抓拍</translation>
    </message>
    <message>
        <location filename="../src/checkin_texts.cpp" line="86"/>
        <source>live person</source>
        <translation>真人</translation>
    </message>
    <message>
        <location filename="../src/checkin_texts.cpp" line="87"/>
        <source>presentation attack suspected</source>
        <translation>疑似假体攻击</translation>
    </message>
    <message>
        <location filename="../src/checkin_texts.cpp" line="88"/>
        <source>inconclusive</source>
        <translation>无法判定</translation>
    </message>
    <message>
        <location filename="../src/checkin_texts.cpp" line="89"/>
        <source>not checked</source>
        <translation>未检测</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <location filename="../src/main.cpp" line="113"/>
        <location filename="../src/main.cpp" line="122"/>
        <source>ExamGuard</source>
        <translation>ExamGuard 考试监管</translation>
    </message>
    <message>
        <location filename="../src/main.cpp" line="123"/>
        <source>The station database cannot be opened: %1</source>
        <translation>无法打开考点数据库：%1</translation>
    </message>
</context>
<context>
    <name>TimelineModel</name>
    <message>
        <location filename="../src/timeline.cpp" line="132"/>
        <source>identity check</source>
        <translation>人证核验</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="133"/>
        <source>proctor override</source>
        <translation>人工裁定</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="134"/>
        <source>ID card photo kept</source>
        <translation>保存身份证照片</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="135"/>
        <source>camera alert</source>
        <translation>摄像头告警</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="136"/>
        <source>camera signal lost</source>
        <translation>摄像头信号丢失</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="137"/>
        <source>proctor snapshot</source>
        <translation>监考抓拍</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="138"/>
        <source>camera registered</source>
        <translation>登记摄像头</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="139"/>
        <source>recording segment</source>
        <translation>录像分段</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="140"/>
        <source>recording started</source>
        <translation>开始录像</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="141"/>
        <source>recording stopped</source>
        <translation>停止录像</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="142"/>
        <source>recording disk low</source>
        <translation>录像磁盘空间不足</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="143"/>
        <source>recording write error</source>
        <translation>录像写入错误</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="144"/>
        <source>LAN audit</source>
        <translation>局域网审计</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="145"/>
        <source>exam-PC agent report</source>
        <translation>考试机代理报告</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="146"/>
        <source>agent report refused</source>
        <translation>代理报告被拒收</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="147"/>
        <source>exam PC enrolled</source>
        <translation>考试机登记</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="148"/>
        <source>exam period imported</source>
        <translation>导入考试期次</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="149"/>
        <source>scores imported</source>
        <translation>导入成绩</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="150"/>
        <source>room record note</source>
        <translation>考场记录</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="151"/>
        <source>archive sealed</source>
        <translation>档案封存</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="152"/>
        <source>platform face check</source>
        <translation>平台人脸比对</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="153"/>
        <source>platform sign-in</source>
        <translation>平台签到</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="154"/>
        <source>platform sign-in queued</source>
        <translation>平台签到排队</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="155"/>
        <source>platform rejected</source>
        <translation>平台拒绝</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="156"/>
        <source>login</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="157"/>
        <source>failed login</source>
        <translation>登录失败</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="158"/>
        <source>account locked</source>
        <translation>账号锁定</translation>
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
    <name>examguard::console::CallAnnouncer</name>
    <message>
        <location filename="../src/call_announcer.cpp" line="33"/>
        <source>espeak-ng cannot be started: %1</source>
        <translation>无法启动 espeak-ng：%1</translation>
    </message>
</context>
<context>
    <name>examguard::console::CallDisplay</name>
    <message>
        <location filename="../src/call_display.cpp" line="12"/>
        <source>Waiting room</source>
        <translation>候考室</translation>
    </message>
    <message>
        <location filename="../src/call_display.cpp" line="40"/>
        <source>All candidates have been called</source>
        <translation>考生已全部叫号</translation>
    </message>
    <message>
        <location filename="../src/call_display.cpp" line="41"/>
        <source>Please come to the entrance</source>
        <translation>请以下考生到考场入口</translation>
    </message>
    <message>
        <location filename="../src/call_display.cpp" line="44"/>
        <source>Exam number %1   Seat %2</source>
        <translation>准考证号 %1   座位 %2</translation>
    </message>
    <message>
        <location filename="../src/call_display.cpp" line="51"/>
        <source>Exam number %1, please come to the entrance. Your seat is %2.</source>
        <translation>准考证号 %1 的考生，请到入口处。您的座位是 %2。</translation>
    </message>
</context>
<context>
    <name>examguard::console::CameraTile</name>
    <message>
        <location filename="../src/camera_wall.cpp" line="90"/>
        <source>No stream address for this camera: name the camera service&apos;s settings under [cameras] monitor_config in station.toml.</source>
        <translation>此摄像头没有视频流地址：请在 station.toml 的 [cameras] monitor_config 中指定摄像服务的配置文件。</translation>
    </message>
    <message>
        <location filename="../src/camera_wall.cpp" line="94"/>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
</context>
<context>
    <name>examguard::console::CameraWall</name>
    <message>
        <location filename="../src/camera_wall.cpp" line="178"/>
        <source>Back to all cameras (Esc)</source>
        <translation>返回全部摄像头（Esc）</translation>
    </message>
    <message>
        <location filename="../src/camera_wall.cpp" line="179"/>
        <source>Snapshot (F9)</source>
        <translation>抓拍（F9）</translation>
    </message>
    <message>
        <location filename="../src/camera_wall.cpp" line="220"/>
        <location filename="../src/camera_wall.cpp" line="232"/>
        <source>Choose a sitting first.</source>
        <translation>请先选择场次。</translation>
    </message>
    <message>
        <location filename="../src/camera_wall.cpp" line="235"/>
        <source>Reading the room&apos;s cameras…</source>
        <translation>正在读取考场摄像头…</translation>
    </message>
    <message>
        <location filename="../src/camera_wall.cpp" line="262"/>
        <source>The cameras cannot be read: %1</source>
        <translation>无法读取摄像头：%1</translation>
    </message>
    <message>
        <location filename="../src/camera_wall.cpp" line="269"/>
        <source>No camera is filed for this room.</source>
        <translation>本考场没有报备摄像头。</translation>
    </message>
    <message>
        <location filename="../src/camera_wall.cpp" line="304"/>
        <source>Camera %1 · %2</source>
        <translation>摄像头 %1 · %2</translation>
    </message>
    <message>
        <location filename="../src/camera_wall.cpp" line="356"/>
        <source>Select a camera first (Tab, or enlarge it).</source>
        <translation>请先选择一个摄像头（Tab 键，或将其放大）。</translation>
    </message>
    <message>
        <location filename="../src/camera_wall.cpp" line="361"/>
        <source>Camera %1 shows no picture to keep.</source>
        <translation>摄像头 %1 没有可抓拍的画面。</translation>
    </message>
    <message>
        <location filename="../src/camera_wall.cpp" line="370"/>
        <source>Keeping a snapshot of %1…</source>
        <translation>正在保存 %1 的抓拍…</translation>
    </message>
    <message>
        <location filename="../src/camera_wall.cpp" line="387"/>
        <source>The snapshot of %1 was not stored: %2</source>
        <translation>%1 的抓拍未保存：%2</translation>
    </message>
    <message>
        <location filename="../src/camera_wall.cpp" line="392"/>
        <source>Snapshot of %1 stored, encrypted; log entry %2.</source>
        <translation>%1 的抓拍已加密保存；日志记录 %2。</translation>
    </message>
    <message>
        <location filename="../src/camera_wall.cpp" line="422"/>
        <source>The camera events cannot be read: %1</source>
        <translation>无法读取摄像头事件：%1</translation>
    </message>
    <message>
        <location filename="../src/camera_wall.cpp" line="430"/>
        <source>%1 (ended)</source>
        <translation>%1（已结束）</translation>
    </message>
</context>
<context>
    <name>examguard::console::CheckinDesk</name>
    <message>
        <location filename="../src/checkin_desk.cpp" line="59"/>
        <source>%1 (threshold %2)</source>
        <translation>%1（阈值 %2）</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="60"/>
        <source>no photo</source>
        <translation>无照片</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="93"/>
        <source>Enter the ID card by hand</source>
        <translation>手工录入身份证</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="99"/>
        <source>Han</source>
        <translation>汉</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="100"/>
        <source>&amp;ID number:</source>
        <translation>身份证号(&amp;I)：</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="101"/>
        <source>&amp;Name:</source>
        <translation>姓名(&amp;N)：</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="102"/>
        <source>N&amp;ation:</source>
        <translation>民族(&amp;A)：</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="143"/>
        <source>No camera picture</source>
        <translation>无摄像头画面</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="173"/>
        <location filename="../src/checkin_desk.cpp" line="331"/>
        <source>ID card photo</source>
        <translation>身份证照片</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="174"/>
        <location filename="../src/checkin_desk.cpp" line="333"/>
        <source>Roster photo</source>
        <translation>报名照片</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="175"/>
        <location filename="../src/checkin_desk.cpp" line="335"/>
        <source>Live face</source>
        <translation>现场人脸</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="177"/>
        <location filename="../src/checkin_desk.cpp" line="336"/>
        <source>Place the ID card on the reader (F2: card file, F3: type it in).</source>
        <translation>请将身份证放到读卡器上（F2：读取证件文件，F3：手工录入）。</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="182"/>
        <source>Card file… (F2)</source>
        <translation>证件文件…（F2）</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="183"/>
        <source>Type card… (F3)</source>
        <translation>手工录入…（F3）</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="184"/>
        <source>Check (F5)</source>
        <translation>核验（F5）</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="185"/>
        <source>Override… (F6)</source>
        <translation>人工裁定…（F6）</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="205"/>
        <source>ID card and roster</source>
        <translation>身份证与名单</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="209"/>
        <source>Decision</source>
        <translation>核验结果</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="213"/>
        <source>Next to call</source>
        <translation>下一位叫号</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="287"/>
        <source>Camera: %1</source>
        <translation>摄像头：%1</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="341"/>
        <source>Choose a sitting first.</source>
        <translation>请先选择场次。</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="342"/>
        <source>Ready for the next candidate.</source>
        <translation>可以核验下一位考生。</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="361"/>
        <source>%1  seat %2  %3</source>
        <translation>%1  座位 %2  %3</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="378"/>
        <source>No photo on the card</source>
        <translation>证件无照片</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="381"/>
        <source>%1 · %2 · %3</source>
        <translation>%1 · %2 · %3</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="385"/>
        <source>Card read. Looking the holder up in the roster…</source>
        <translation>已读卡，正在名单中查找持证人…</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="404"/>
        <source>The roster cannot be read: %1</source>
        <translation>无法读取名单：%1</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="410"/>
        <source>NOT on this period&apos;s roster</source>
        <translation>不在本期名单中</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="411"/>
        <source>Not on the roster: check anyway (F5) to record the attempt.</source>
        <translation>不在名单中：仍可核验（F5）以记录本次尝试。</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="417"/>
        <source>Exam number %1 · seat %2</source>
        <translation>准考证号 %1 · 座位 %2</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="423"/>
        <source>No roster photo</source>
        <translation>无报名照片</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="425"/>
        <source>Ask the candidate to face the camera, then press F5.</source>
        <translation>请考生正对摄像头，然后按 F5。</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="434"/>
        <source>ID card file</source>
        <translation>身份证文件</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="434"/>
        <source>Card files (*.json)</source>
        <translation>证件文件 (*.json)</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="440"/>
        <source>The card file cannot be used: %1</source>
        <translation>证件文件无法使用：%1</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="462"/>
        <source>No camera: choose the desk camera in the View menu.</source>
        <translation>没有摄像头：请在“视图”菜单中选择核验台摄像头。</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="473"/>
        <source>Please look at the camera</source>
        <translation>请看摄像头</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="476"/>
        <source>Checking…</source>
        <translation>正在核验…</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="479"/>
        <source>Recording the live face…</source>
        <translation>正在采集现场人脸…</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="489"/>
        <source>Comparing faces…</source>
        <translation>正在比对人脸…</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="536"/>
        <source>NOT CHECKED</source>
        <translation>未核验</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="537"/>
        <source>The check failed: %1</source>
        <translation>核验失败：%1</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="568"/>
        <source>Seat: %1</source>
        <translation>座位：%1</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="569"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="570"/>
        <source>Liveness: %1</source>
        <translation>活体：%1</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="571"/>
        <source>Distance to the ID card photo: %1</source>
        <translation>与身份证照片的距离：%1</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="573"/>
        <source>Distance to the roster photo: %1</source>
        <translation>与报名照片的距离：%1</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="579"/>
        <source>ALERT: the face matches candidate %1 (%2, distance %3)</source>
        <translation>警报：人脸与考生 %1 相符（%2，距离 %3）</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="584"/>
        <source>Check-in record %1</source>
        <translation>签到记录 %1</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="587"/>
        <source>Passed: send the candidate to seat %1. Esc for the next.</source>
        <translation>通过：请考生到 %1 号座位。按 Esc 核验下一位。</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="589"/>
        <source>Not passed: decide with F6 (a reason is required), or Esc.</source>
        <translation>未通过：按 F6 人工裁定（须填写理由），或按 Esc。</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="622"/>
        <source>The override was not stored: %1</source>
        <translation>人工裁定未保存：%1</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="627"/>
        <source>%1 (overridden)</source>
        <translation>%1（人工裁定）</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="632"/>
        <source>Decision stored with your reason. Esc for the next candidate.</source>
        <translation>裁定及理由已保存。按 Esc 核验下一位考生。</translation>
    </message>
    <message>
        <location filename="../src/checkin_desk.cpp" line="687"/>
        <source>ID card reader: %1</source>
        <translation>身份证读卡器：%1</translation>
    </message>
</context>
<context>
    <name>examguard::console::CloseSitting</name>
    <message>
        <location filename="../src/close_sitting.cpp" line="40"/>
        <source>Reading the period&apos;s records…</source>
        <translation>正在读取本期记录…</translation>
    </message>
    <message>
        <location filename="../src/close_sitting.cpp" line="43"/>
        <source>Verifying the event log…</source>
        <translation>正在校验事件日志…</translation>
    </message>
    <message>
        <location filename="../src/close_sitting.cpp" line="46"/>
        <source>Encrypting personal data for the inspector authority…</source>
        <translation>正在为检查机关加密个人信息…</translation>
    </message>
    <message>
        <location filename="../src/close_sitting.cpp" line="49"/>
        <source>Writing the archive…</source>
        <translation>正在写入档案…</translation>
    </message>
    <message>
        <location filename="../src/close_sitting.cpp" line="52"/>
        <source>Signing…</source>
        <translation>正在签名…</translation>
    </message>
    <message>
        <location filename="../src/close_sitting.cpp" line="55"/>
        <source>Getting a trusted time-stamp…</source>
        <translation>正在获取可信时间戳…</translation>
    </message>
    <message>
        <location filename="../src/close_sitting.cpp" line="57"/>
        <source>Sealed.</source>
        <translation>已封存。</translation>
    </message>
    <message>
        <location filename="../src/close_sitting.cpp" line="68"/>
        <source>Import scores (CSV)…</source>
        <translation>导入成绩（CSV）…</translation>
    </message>
    <message>
        <location filename="../src/close_sitting.cpp" line="69"/>
        <source>Seal the period archive…</source>
        <translation>封存本期档案…</translation>
    </message>
    <message>
        <location filename="../src/close_sitting.cpp" line="70"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../src/close_sitting.cpp" line="72"/>
        <source>Add to the room record</source>
        <translation>记入考场记录</translation>
    </message>
    <message>
        <location filename="../src/close_sitting.cpp" line="74"/>
        <source>After the exam: import the scores from the exam system, write down what happened in the room, then seal the whole period into one signed archive (一期一档). The archive is verified at once, as an inspector would.</source>
        <translation>考试结束后：从考试系统导入成绩，记下考场内发生的情况，再将整期封存为一份签名档案（一期一档）。封存后立即按检查人员的方式校验档案。</translation>
    </message>
    <message>
        <location filename="../src/close_sitting.cpp" line="93"/>
        <source>Room record (考场记录)</source>
        <translation>考场记录</translation>
    </message>
    <message>
        <location filename="../src/close_sitting.cpp" line="98"/>
        <source>What happened in the room: a candidate left early, a machine was swapped, a camera was moved… Each note is logged with your name and goes into the sealed archive.</source>
        <translation>考场内发生的情况：考生提前离场、更换机器、摄像头被移动…… 每条记录都会带上您的姓名记入日志，并封存进档案。</translation>
    </message>
    <message>
        <location filename="../src/close_sitting.cpp" line="173"/>
        <source>The note was not stored: %1</source>
        <translation>记录未保存：%1</translation>
    </message>
    <message>
        <location filename="../src/close_sitting.cpp" line="180"/>
        <source>Note added to the room record (log entry %1).</source>
        <translation>已记入考场记录（日志记录 %1）。</translation>
    </message>
    <message>
        <location filename="../src/close_sitting.cpp" line="188"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../src/close_sitting.cpp" line="193"/>
        <source>Scores of this sitting</source>
        <translation>本场次成绩</translation>
    </message>
    <message>
        <location filename="../src/close_sitting.cpp" line="194"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../src/close_sitting.cpp" line="203"/>
        <source>Seal the period archive</source>
        <translation>封存本期档案</translation>
    </message>
    <message>
        <location filename="../src/close_sitting.cpp" line="204"/>
        <source>Period archives (*.zip)</source>
        <translation>期档案 (*.zip)</translation>
    </message>
    <message>
        <location filename="../src/close_sitting.cpp" line="215"/>
        <source>Importing %1…</source>
        <translation>正在导入 %1…</translation>
    </message>
    <message>
        <location filename="../src/close_sitting.cpp" line="238"/>
        <source>No score was stored: %1</source>
        <translation>未保存任何成绩：%1</translation>
    </message>
    <message>
        <location filename="../src/close_sitting.cpp" line="242"/>
        <source>%1 scores stored (%2 passed, %3 absent).</source>
        <translation>已保存 %1 条成绩（合格 %2，缺考 %3）。</translation>
    </message>
    <message>
        <location filename="../src/close_sitting.cpp" line="258"/>
        <source>Sealing period %1…</source>
        <translation>正在封存第 %1 期…</translation>
    </message>
    <message>
        <location filename="../src/close_sitting.cpp" line="328"/>
        <source>The period was not sealed: %1</source>
        <translation>本期未封存：%1</translation>
    </message>
    <message>
        <location filename="../src/close_sitting.cpp" line="335"/>
        <source>Archive %1: %2 bytes, SHA-256 %3, personal data %4, keep until %5.</source>
        <translation>档案 %1：%2 字节，SHA-256 %3，个人信息%4，保存至 %5。</translation>
    </message>
    <message>
        <location filename="../src/close_sitting.cpp" line="339"/>
        <source>encrypted</source>
        <translation>已加密</translation>
    </message>
    <message>
        <location filename="../src/close_sitting.cpp" line="339"/>
        <source>left out</source>
        <translation>未包含</translation>
    </message>
    <message>
        <location filename="../src/close_sitting.cpp" line="342"/>
        <source>Warning: %1</source>
        <translation>警告：%1</translation>
    </message>
    <message>
        <location filename="../src/close_sitting.cpp" line="347"/>
        <source>Verification: VALID. Every check holds.</source>
        <translation>校验结果：有效。全部检查通过。</translation>
    </message>
    <message>
        <location filename="../src/close_sitting.cpp" line="348"/>
        <source>Verification: NOT VALID.
%1</source>
        <translation>校验结果：无效。
%1</translation>
    </message>
</context>
<context>
    <name>examguard::console::FindingModel</name>
    <message>
        <location filename="../src/lan_panel.cpp" line="59"/>
        <source>remote-control software</source>
        <translation>远程控制软件</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="60"/>
        <source>device not filed</source>
        <translation>未报备设备</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="61"/>
        <source>filed machine not seen</source>
        <translation>报备机器未出现</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="62"/>
        <source>MAC/IP differs from the filing</source>
        <translation>MAC/IP 与报备不符</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="63"/>
        <source>IP address used twice</source>
        <translation>IP 地址冲突</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="64"/>
        <source>ARP spoofing</source>
        <translation>ARP 欺骗</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="65"/>
        <source>traffic to a forbidden destination</source>
        <translation>访问禁止的目的地址</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="66"/>
        <source>virtual machine</source>
        <translation>虚拟机</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="67"/>
        <source>wireless keyboard/mouse receiver</source>
        <translation>无线键鼠接收器</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="114"/>
        <source>exam-PC agent</source>
        <translation>考试机代理</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="115"/>
        <source>active sweep</source>
        <translation>主动扫描</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="116"/>
        <source>passive capture</source>
        <translation>被动抓包</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="132"/>
        <source>Finding</source>
        <translation>发现</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="134"/>
        <source>Software</source>
        <translation>软件</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="136"/>
        <source>Seat</source>
        <translation>座位</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="138"/>
        <source>IP</source>
        <translation>IP</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="140"/>
        <source>MAC</source>
        <translation>MAC</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="142"/>
        <source>Found by</source>
        <translation>发现方式</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="144"/>
        <source>Last seen (UTC)</source>
        <translation>最后出现（UTC）</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="146"/>
        <source>Evidence</source>
        <translation>证据</translation>
    </message>
</context>
<context>
    <name>examguard::console::LanPanel</name>
    <message>
        <location filename="../src/lan_panel.cpp" line="245"/>
        <source>Audit a capture file…</source>
        <translation>审计抓包文件…</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="246"/>
        <source>Listen on the exam LAN…</source>
        <translation>监听考试局域网…</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="247"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="261"/>
        <source>Filed machines (报备)</source>
        <translation>报备机器</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="266"/>
        <source>Findings</source>
        <translation>发现</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="326"/>
        <source>The LAN records cannot be read: %1</source>
        <translation>无法读取局域网记录：%1</translation>
    </message>
    <message numerus="yes">
        <location filename="../src/lan_panel.cpp" line="346"/>
        <source>%n finding(s) recorded for this period.</source>
        <translation>
            <numerusform>本期已记录 %n 条发现。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="354"/>
        <source>Capture of the exam LAN</source>
        <translation>考试局域网抓包</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="355"/>
        <source>Captures (*.pcap *.pcapng)</source>
        <translation>抓包文件 (*.pcap *.pcapng)</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="364"/>
        <location filename="../src/lan_panel.cpp" line="369"/>
        <source>Listen on the exam LAN</source>
        <translation>监听考试局域网</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="364"/>
        <source>Network interface:</source>
        <translation>网络接口：</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="370"/>
        <source>For how many seconds:</source>
        <translation>监听秒数：</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="392"/>
        <source>Stopping: the findings so far are kept…</source>
        <translation>正在停止：已有的发现会保留…</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="407"/>
        <source>Auditing %1…</source>
        <translation>正在审计 %1…</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="447"/>
        <source>The audit of %1 failed: %2</source>
        <translation>%1 的审计失败：%2</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="453"/>
        <source>Audit of %1: %2 packets, %3 new finding(s); log entry %4.</source>
        <translation>%1 审计完成：%2 个数据包，新发现 %3 条；日志记录 %4。</translation>
    </message>
</context>
<context>
    <name>examguard::console::LiveFeed</name>
    <message>
        <location filename="../src/live_feed.cpp" line="80"/>
        <source>cannot open the video source %1</source>
        <translation>无法打开视频源 %1</translation>
    </message>
    <message>
        <location filename="../src/live_feed.cpp" line="112"/>
        <source>%1 delivers frames that are not 8-bit colour of a sane size</source>
        <translation>%1 输出的画面不是尺寸合理的 8 位彩色图像</translation>
    </message>
    <message>
        <location filename="../src/live_feed.cpp" line="126"/>
        <source>%1 stopped delivering frames</source>
        <translation>%1 已停止输出画面</translation>
    </message>
</context>
<context>
    <name>examguard::console::LoginDialog</name>
    <message>
        <location filename="../src/login_dialog.cpp" line="19"/>
        <source>ExamGuard: log in</source>
        <translation>ExamGuard：登录</translation>
    </message>
    <message>
        <location filename="../src/login_dialog.cpp" line="24"/>
        <source>&amp;User:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <location filename="../src/login_dialog.cpp" line="25"/>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../src/login_dialog.cpp" line="31"/>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../src/login_dialog.cpp" line="46"/>
        <source>Enter your user name and password.</source>
        <translation>请输入用户名和密码。</translation>
    </message>
    <message>
        <location filename="../src/login_dialog.cpp" line="50"/>
        <source>Checking…</source>
        <translation>正在核验…</translation>
    </message>
    <message>
        <location filename="../src/login_dialog.cpp" line="69"/>
        <source>This account is locked after too many failed attempts. Ask the administrator, or wait.</source>
        <translation>失败次数过多，账号已锁定。请联系管理员或稍后再试。</translation>
    </message>
    <message>
        <location filename="../src/login_dialog.cpp" line="72"/>
        <source>Wrong user name or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message>
        <location filename="../src/login_dialog.cpp" line="73"/>
        <source>The station cannot check the password: %1</source>
        <translation>工作站无法校验密码：%1</translation>
    </message>
</context>
<context>
    <name>examguard::console::MachineModel</name>
    <message>
        <location filename="../src/lan_panel.cpp" line="204"/>
        <source>not audited yet</source>
        <translation>尚未审计</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="206"/>
        <source>seen</source>
        <translation>已出现</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="206"/>
        <source>NOT SEEN</source>
        <translation>未出现</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="220"/>
        <source>Seat</source>
        <translation>座位</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="222"/>
        <source>Filed name</source>
        <translation>报备名称</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="224"/>
        <source>Filed MAC</source>
        <translation>报备 MAC</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="226"/>
        <source>Filed IP</source>
        <translation>报备 IP</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="228"/>
        <source>On the network</source>
        <translation>网络上</translation>
    </message>
    <message>
        <location filename="../src/lan_panel.cpp" line="230"/>
        <source>Findings</source>
        <translation>发现</translation>
    </message>
</context>
<context>
    <name>examguard::console::MainWindow</name>
    <message>
        <location filename="../src/main_window.cpp" line="37"/>
        <source>Theory</source>
        <translation>理论</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="37"/>
        <source>Practical</source>
        <translation>实操</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="38"/>
        <source>main</source>
        <translation>正考</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="38"/>
        <source>retake</source>
        <translation>补考</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="39"/>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="68"/>
        <source>ExamGuard monitor desk — DEMO (sample data)</source>
        <translation>ExamGuard 监考台 — 演示（示例数据）</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="69"/>
        <source>ExamGuard monitor desk — %1</source>
        <translation>ExamGuard 监考台 — %1</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="78"/>
        <source>&amp;Sitting:</source>
        <translation>场次(&amp;S)：</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="94"/>
        <source>Click a seat for its details.</source>
        <translation>点击座位查看详情。</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="99"/>
        <source>Check-in desk</source>
        <translation>入场核验</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="100"/>
        <source>Seat map</source>
        <translation>座位图</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="101"/>
        <source>Cameras</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="102"/>
        <source>Timeline</source>
        <translation>时间线</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="103"/>
        <source>LAN</source>
        <translation>局域网</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="104"/>
        <source>Close and seal</source>
        <translation>结束与封存</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="105"/>
        <source>Archives</source>
        <translation>档案</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="110"/>
        <source>&amp;View</source>
        <translation>查看(&amp;V)</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="111"/>
        <source>&amp;Waiting-room display</source>
        <translation>候考室叫号屏(&amp;W)</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="113"/>
        <source>&amp;Spoken call in the waiting room</source>
        <translation>候考室语音叫号(&amp;S)</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="117"/>
        <source>Desk &amp;camera…</source>
        <translation>核验台摄像头(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="120"/>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="174"/>
        <source>Desk camera</source>
        <translation>核验台摄像头</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="174"/>
        <source>Camera device, rtsp:// address or recorded file:</source>
        <translation>摄像头设备、rtsp:// 地址或录像文件：</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="193"/>
        <source>%1 · %2 · %3 · %4</source>
        <translation>%1 · %2 · %3 · %4</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="217"/>
        <source>No sitting: import an exam period first.</source>
        <translation>没有场次：请先导入考试期次。</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="233"/>
        <source>Cannot read the seats: %1</source>
        <translation>无法读取座位：%1</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="237"/>
        <source>%1 seats · %2 checked in · %3 awaiting review · %4 refused · %5 absent · %6 alerts · %7 not yet</source>
        <translation>共 %1 个座位 · 已签到 %2 · 待复核 %3 · 已拒绝 %4 · 缺考 %5 · 预警 %6 · 未签到 %7</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="263"/>
        <source>Seat %1</source>
        <translation>座位 %1</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="264"/>
        <source>Exam number: %1</source>
        <translation>准考证号：%1</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="265"/>
        <source>ID number: %1</source>
        <translation>身份证号：%1</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="266"/>
        <source>State: %1</source>
        <translation>状态：%1</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="268"/>
        <source>Last check: %1</source>
        <translation>最近核验：%1</translation>
    </message>
    <message>
        <location filename="../src/main_window.cpp" line="271"/>
        <source>Reason: %1</source>
        <translation>理由：%1</translation>
    </message>
</context>
<context>
    <name>examguard::console::OverrideDialog</name>
    <message>
        <location filename="../src/override_dialog.cpp" line="14"/>
        <source>&amp;Admit: the candidate is who the card says</source>
        <translation>准许入场(&amp;A)：考生与证件相符</translation>
    </message>
    <message>
        <location filename="../src/override_dialog.cpp" line="15"/>
        <source>&amp;Refuse entry</source>
        <translation>拒绝入场(&amp;R)</translation>
    </message>
    <message>
        <location filename="../src/override_dialog.cpp" line="18"/>
        <source>Override check-in %1</source>
        <translation>人工裁定签到记录 %1</translation>
    </message>
    <message>
        <location filename="../src/override_dialog.cpp" line="22"/>
        <source>Reason (required; kept in the event log and the archive):</source>
        <translation>理由（必填；记入事件日志和档案）：</translation>
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
    <name>examguard::console::Timeline</name>
    <message>
        <location filename="../src/timeline.cpp" line="290"/>
        <source>All events</source>
        <translation>全部事件</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="294"/>
        <source>Filter: seat, kind, actor…</source>
        <translation>筛选：座位、类型、操作人…</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="306"/>
        <source>&amp;Show:</source>
        <translation>显示(&amp;S)：</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="369"/>
        <source>The event log cannot be read: %1</source>
        <translation>无法读取事件日志：%1</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="393"/>
        <source>%1 · %2 · by %3 · log entry %4</source>
        <translation>%1 · %2 · 操作人 %3 · 日志记录 %4</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="417"/>
        <source>
Evidence cannot be read: %1</source>
        <translation>
无法读取证据：%1</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="426"/>
        <source>No snapshot for this event.</source>
        <translation>此事件没有抓拍。</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="429"/>
        <source>
Recording: %1 at %2 s</source>
        <translation>
录像：%1 第 %2 秒</translation>
    </message>
</context>
<context>
    <name>examguard::console::TimelineModel</name>
    <message>
        <location filename="../src/timeline.cpp" line="57"/>
        <source>seat %1 · %2 · %3 · liveness: %4</source>
        <translation>座位 %1 · %2 · %3 · 活体：%4</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="65"/>
        <source>seat %1 · </source>
        <translation>座位 %1 · </translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="66"/>
        <source>check-in %1 (%2): %3 → %4 · reason: %5</source>
        <translation>签到记录 %1（%2）：%3 → %4 · 理由：%5</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="76"/>
        <source>%1 scores (%2 passed, %3 absent)</source>
        <translation>%1 条成绩（合格 %2，缺考 %3）</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="80"/>
        <source>%1 packets, %2 hosts, findings: %3</source>
        <translation>%1 个数据包，%2 台主机，发现：%3</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="85"/>
        <source>camera %1%2 · from %3</source>
        <translation>摄像头 %1%2 · 开始于 %3</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="171"/>
        <source>Check-in</source>
        <translation>入场核验</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="174"/>
        <source>LAN and exam PCs</source>
        <translation>局域网与考试机</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="177"/>
        <source>Cameras</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="180"/>
        <source>Records and archive</source>
        <translation>记录与档案</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="182"/>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="243"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="245"/>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="247"/>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location filename="../src/timeline.cpp" line="249"/>
        <source>Details</source>
        <translation>详情</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../src/main.cpp" line="39"/>
        <source>The demo could not be prepared: %1</source>
        <translation>无法准备演示数据：%1</translation>
    </message>
    <message>
        <location filename="../src/main.cpp" line="78"/>
        <source>ExamGuard monitor desk for the proctors of an exam site</source>
        <translation>ExamGuard 监考台：考点监考员使用</translation>
    </message>
    <message>
        <location filename="../src/main.cpp" line="80"/>
        <source>Station database</source>
        <translation>考点数据库</translation>
    </message>
    <message>
        <location filename="../src/main.cpp" line="83"/>
        <source>Language: zh_CN (default) or en</source>
        <translation>界面语言：zh_CN（默认）或 en</translation>
    </message>
    <message>
        <location filename="../src/main.cpp" line="86"/>
        <source>Open the demo period (sample data)</source>
        <translation>打开演示期次（示例数据）</translation>
    </message>
    <message>
        <location filename="../src/main.cpp" line="88"/>
        <source>Sitting to show</source>
        <translation>要显示的场次</translation>
    </message>
    <message>
        <location filename="../src/main.cpp" line="91"/>
        <source>Also open the waiting-room display full screen</source>
        <translation>同时全屏打开候考室叫号屏</translation>
    </message>
    <message>
        <location filename="../src/main.cpp" line="94"/>
        <source>Call candidates aloud on the waiting-room display</source>
        <translation>在候考室叫号屏上语音叫号</translation>
    </message>
    <message>
        <location filename="../src/main.cpp" line="97"/>
        <source>Desk camera: /dev/videoN, rtsp:// address or a recorded file</source>
        <translation>核验台摄像头：/dev/videoN、rtsp:// 地址或录像文件</translation>
    </message>
    <message>
        <location filename="../src/main.cpp" line="102"/>
        <source>Liveness challenge: random (default), none, or steps like blink,left</source>
        <translation>动作活体：random（默认，随机）、none（不做），或动作序列如 blink,left</translation>
    </message>
    <message>
        <location filename="../src/main.cpp" line="145"/>
        <source>--challenge must be random, none or steps like blink,left</source>
        <translation>--challenge 只能是 random、none 或动作序列如 blink,left</translation>
    </message>
</context>
</TS>
