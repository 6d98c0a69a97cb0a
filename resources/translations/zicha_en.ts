<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>ApplyReportDialog</name>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="98"/>
        <source>审核决定已应用</source>
        <translation>Review decisions applied</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="99"/>
        <source>{who} 的 {n} 个决定已验证签名并全部记入档案。</source>
        <translation>{n} decisions by {who}: every signature verified, all recorded in the archive.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="103"/>
        <source>材料</source>
        <translation>Material</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="103"/>
        <source>阶段</source>
        <translation>Stage</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="103"/>
        <source>决定</source>
        <translation>Decision</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="103"/>
        <source>现在</source>
        <translation>Now</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="104"/>
        <source>审核人</source>
        <translation>Reviewer</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="104"/>
        <source>意见</source>
        <translation>Comment</translation>
    </message>
</context>
<context>
    <name>BulkEditDialog</name>
    <message>
        <location filename="../../desktop/ui/bulk_edit.py" line="26"/>
        <source>批量设置</source>
        <translation>Bulk edit</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/bulk_edit.py" line="30"/>
        <source>如 2024-06-30</source>
        <translation>e.g. 2024-06-30</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/bulk_edit.py" line="40"/>
        <source>材料类型</source>
        <translation>Material type</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/bulk_edit.py" line="41"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/bulk_edit.py" line="42"/>
        <source>责任单位</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/bulk_edit.py" line="43"/>
        <source>测评内容</source>
        <translation>Items</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/bulk_edit.py" line="54"/>
        <source>为选中的 {n} 份材料设置勾选的项目；未勾选的保持不变。测评内容会替换原有的归档位置。</source>
        <translation>Set the ticked fields for the {n} selected materials; unticked fields stay as they are. Items replace where the materials are filed now.</translation>
    </message>
</context>
<context>
    <name>ChecklistPanel</name>
    <message>
        <location filename="../../desktop/ui/checklist_panel.py" line="57"/>
        <source>测评内容要求的材料：种类、数量、图片说明、字数。要求来自任务清单的材料要求、测评标准，或管理员的设定</source>
        <translation>The material an assessment item asks for: kinds, counts, photo captions, length. The requirements come from the task list&apos;s material requirements, the assessment criterion, or the administrator</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/checklist_panel.py" line="59"/>
        <source>设定材料要求…</source>
        <translation>Set requirements…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/checklist_panel.py" line="60"/>
        <source>管理员按任务清单的写法设定这个测评内容的材料要求，代替任务清单中的要求</source>
        <translation>An administrator writes this item&apos;s material requirements the way a task list does; they replace the task list&apos;s</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/checklist_panel.py" line="96"/>
        <source>&lt;b&gt;材料清单&lt;/b&gt;</source>
        <translation>&lt;b&gt;Evidence checklist&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/checklist_panel.py" line="98"/>
        <source>选择一个测评内容，查看它要求的材料是否齐全</source>
        <translation>Select an assessment item to see whether the material it asks for is complete</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/checklist_panel.py" line="127"/>
        <source>管理员设定</source>
        <translation>the administrator</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/checklist_panel.py" line="128"/>
        <source>任务清单的材料要求</source>
        <translation>the task list&apos;s material requirements</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/checklist_panel.py" line="129"/>
        <source>测评标准</source>
        <translation>the assessment criterion</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/checklist_panel.py" line="130"/>
        <source>无</source>
        <translation>none</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/checklist_panel.py" line="132"/>
        <source>无可检查的要求</source>
        <translation>no requirement that can be checked</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/checklist_panel.py" line="134"/>
        <source>&lt;span style=&quot;color:{c}&quot;&gt;缺 {n} 项&lt;/span&gt;</source>
        <translation>&lt;span style=&quot;color:{c}&quot;&gt;{n} missing&lt;/span&gt;</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/checklist_panel.py" line="137"/>
        <source>&lt;span style=&quot;color:{c}&quot;&gt;齐全&lt;/span&gt;</source>
        <translation>&lt;span style=&quot;color:{c}&quot;&gt;complete&lt;/span&gt;</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/checklist_panel.py" line="138"/>
        <source>&lt;b&gt;材料清单 · {code} {name}&lt;/b&gt;&#x3000;{state}&lt;br&gt;&lt;span style=&quot;color:#666&quot;&gt;要求来自{source}，已归档材料 {n} 份&lt;/span&gt;</source>
        <translation>&lt;b&gt;Evidence checklist · {code} {name}&lt;/b&gt;&#x3000;{state}&lt;br&gt;&lt;span style=&quot;color:#666&quot;&gt;Requirements from {source}; {n} materials filed&lt;/span&gt;</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/checklist_panel.py" line="144"/>
        <source>✔ {label}：有 {n}</source>
        <translation>✔ {label}: {n} present</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/checklist_panel.py" line="147"/>
        <source>（另有 {n} {unit}缺图片说明{fields}）</source>
        <translation>({n} more {unit} lack the caption fields {fields})</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/checklist_panel.py" line="150"/>
        <source>✘ {label}
&#x3000;{missing}</source>
        <translation>✘ {label}
&#x3000;{missing}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/checklist_panel.py" line="154"/>
        <source>原文：{text}</source>
        <translation>As written: {text}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/checklist_panel.py" line="158"/>
        <source>· 备注（不自动检查）：{note}</source>
        <translation>· Note (not checked): {note}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/checklist_panel.py" line="162"/>
        <source>这个测评内容没有材料要求</source>
        <translation>This assessment item has no material requirements</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/checklist_panel.py" line="278"/>
        <source>提交初审</source>
        <translation>Submit for first review</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/checklist_panel.py" line="284"/>
        <source>这些测评内容的材料清单还有缺项：

{gaps}

仍然提交吗？缺项将随提交记录，审核人可以看到。</source>
        <translation>The evidence checklists of these assessment items still have gaps:

{gaps}

Submit anyway? The gaps are recorded with the submission, and the reviewers see them.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/checklist_panel.py" line="291"/>
        <source>仍然提交</source>
        <translation>Submit anyway</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/checklist_panel.py" line="292"/>
        <source>先去补齐</source>
        <translation>Fill the gaps first</translation>
    </message>
</context>
<context>
    <name>ConclusionDialog</name>
    <message>
        <location filename="../../desktop/ui/conclusion_dialog.py" line="40"/>
        <source>结论性说明 — {code} {name}</source>
        <translation>Conclusion — {code} {name}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conclusion_dialog.py" line="41"/>
        <source>结论性说明印在这个测评内容的《测评材料提交表》中，并署填表人和日期。写明本单位做了什么、材料说明了什么，简短为宜（最多 {n} 字）。</source>
        <translation>The conclusion is printed in this item&apos;s submission form (测评材料提交表) with the name of who wrote it and the date. Say what the department did and what the material shows; keep it short (at most {n} characters).</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conclusion_dialog.py" line="47"/>
        <source>如：本单位制定了学习制度，全年开展专题学习 12 次，材料齐全，成效明显。</source>
        <translation>e.g. The department set up a study system and held 12 study sessions this year; the material is complete and the results are clear.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conclusion_dialog.py" line="57"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conclusion_dialog.py" line="58"/>
        <source>删除结论性说明</source>
        <translation>Delete conclusion</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conclusion_dialog.py" line="59"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conclusion_dialog.py" line="76"/>
        <source>正在读取…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conclusion_dialog.py" line="88"/>
        <source>本档案以只读方式打开</source>
        <translation>This archive is open read-only</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conclusion_dialog.py" line="92"/>
        <source>{n} / {max} 字</source>
        <translation>{n} / {max} characters</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conclusion_dialog.py" line="106"/>
        <source>填表人 {who}，{when}</source>
        <translation>Written by {who}, {when}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conclusion_dialog.py" line="110"/>
        <source>还没有结论性说明；导出的提交表留空白，供手写。</source>
        <translation>No conclusion yet; the exported form leaves the space blank to fill in by hand.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conclusion_dialog.py" line="131"/>
        <source>已保存 {code} 的结论性说明</source>
        <translation>Conclusion of {code} saved</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conclusion_dialog.py" line="133"/>
        <source>已删除 {code} 的结论性说明</source>
        <translation>Conclusion of {code} deleted</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conclusion_dialog.py" line="137"/>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conclusion_dialog.py" line="138"/>
        <source>结论性说明</source>
        <translation>Conclusion</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conclusion_dialog.py" line="146"/>
        <source>已保存，导出时印在提交表中</source>
        <translation>Saved; the export prints it in the submission form</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conclusion_dialog.py" line="147"/>
        <source>已删除</source>
        <translation>Deleted</translation>
    </message>
</context>
<context>
    <name>DispatchDialog</name>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1147"/>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1407"/>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1439"/>
        <source>下发到单位</source>
        <translation>Send down to a department</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1152"/>
        <source>正在检查签发人…</source>
        <translation>Checking the signer…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1159"/>
        <source>单位</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1159"/>
        <source>最近报送</source>
        <translation>Last report</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1159"/>
        <source>报送时间</source>
        <translation>Reported at</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1159"/>
        <source>上次下发</source>
        <translation>Last dispatch</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1160"/>
        <source>档案编号</source>
        <translation>Archive ID</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1169"/>
        <source>如 1b4e28ba-2fa1-4d2e-883f-0016d3cca427</source>
        <translation>e.g. 1b4e28ba-2fa1-4d2e-883f-0016d3cca427</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1173"/>
        <source>该档案还没有报送过时填写，如 市公安局</source>
        <translation>Fill in when that archive has not reported yet, e.g. 市公安局</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1179"/>
        <source>下发全部内容，而不只是上次下发以来的改动（对方要求重新下发时）</source>
        <translation>Send everything, not only what changed since the last dispatch (when the department asks for it again)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1184"/>
        <source>选择…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1191"/>
        <source>接收单位档案编号</source>
        <translation>Receiving archive ID</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1192"/>
        <source>接收单位</source>
        <translation>Receiving department</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1194"/>
        <source>签发人</source>
        <translation>Signed by</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1195"/>
        <source>下发内容</source>
        <translation>Contents</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1196"/>
        <source>下发包保存到</source>
        <translation>Save the dispatch package to</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1202"/>
        <source>下发包带去本档案对该单位材料的审核结果（含退回理由）、该单位的任务与交办的问题，以及其报送包的回执；由签发人的密钥签名，写出前会询问其口令。</source>
        <translation>The dispatch package carries this archive&apos;s review results on the department&apos;s material (returns with their reasons), the department&apos;s tasks and assigned problems, and a receipt for its report packages; it is signed with the signer&apos;s key, whose passphrase is asked before writing.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1209"/>
        <source>写出下发包</source>
        <translation>Write dispatch package</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1212"/>
        <source>给每个单位各写一个…</source>
        <translation>Write one for each department…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1214"/>
        <source>给上表中每个有新内容的单位各写一个下发包，保存到所选文件夹；只询问一次口令</source>
        <translation>Write a dispatch package for every department in the table above that has something new, into the folder you choose; the passphrase is asked once</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1216"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1224"/>
        <source>已向本档案报送过的单位（选择一行，或在下面直接填写档案编号）：</source>
        <translation>Departments that have reported to this archive (choose a row, or type an archive ID below):</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1231"/>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1489"/>
        <source>这个下发包带去的审核结果：</source>
        <translation>Review results this dispatch package carries:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1274"/>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1276"/>
        <source>第 {n} 号</source>
        <translation>No. {n}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1277"/>
        <source>还没有</source>
        <translation>None yet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1281"/>
        <source>还没有单位向本档案报送过。要向还没有报送的单位下发（如先下发任务），请在下面填写该单位档案的编号（该单位在其“报送到创文办”或 zicha info 中可见）和单位名称。</source>
        <translation>No department has reported to this archive yet. To send to a department that has not reported (e.g. its tasks first), fill in the ID of its archive below (shown in its “Report to the city office” dialog or by zicha info) and the department&apos;s name.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1318"/>
        <source>保存下发包</source>
        <translation>Save dispatch package</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1319"/>
        <source>下发包 (*.zip)</source>
        <translation>Dispatch packages (*.zip)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1340"/>
        <source>“{text}”不是档案编号：档案编号是 36 位的 UUID。</source>
        <translation>“{text}” is not an archive ID: an archive ID is a 36-character UUID.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1343"/>
        <source>这是本档案自己的编号；请填写接收单位档案的编号。</source>
        <translation>This is this archive&apos;s own ID; fill in the receiving department&apos;s archive ID.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1345"/>
        <source>{department} 的档案：已应用其报送包至第 {seq} 号，下发包将附上这一回执。</source>
        <translation>{department}&apos;s archive: its report packages are applied up to No. {seq}; the dispatch package carries this receipt.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1349"/>
        <source>本档案还没有收到这个档案的报送包：请填写接收单位的名称。</source>
        <translation>This archive has received no report package from that archive: fill in the receiving department.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1351"/>
        <source>本档案还没有收到这个档案的报送包；将按所填单位下发。</source>
        <translation>This archive has received no report package from that archive; it is sent to the department given.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1356"/>
        <source>（未选择）请先在主窗口选择当前人员（须为本档案的管理员）</source>
        <translation>(none) Choose the current person in the main window first (an administrator of this archive)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1364"/>
        <source>本档案以只读方式打开</source>
        <translation>This archive is open read-only</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1405"/>
        <source>正在检查要下发的内容…</source>
        <translation>Checking what there is to send…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1408"/>
        <source>正在签名并写出下发包…</source>
        <translation>Signing and writing the dispatch package…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1409"/>
        <source>已写出下发包 {path}</source>
        <translation>Dispatch package written: {path}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1411"/>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1444"/>
        <source>没有输入口令，未生成下发包。</source>
        <translation>No passphrase given; no dispatch package written.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1415"/>
        <source>下发包保存到哪个文件夹</source>
        <translation>Save the dispatch packages to which folder</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1437"/>
        <source>正在检查各单位要下发的内容…</source>
        <translation>Checking what each department is to receive…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1440"/>
        <source>正在签名并写出各单位的下发包…</source>
        <translation>Signing and writing each department&apos;s dispatch package…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1441"/>
        <source>已写出 {n} 个下发包到 {folder}</source>
        <translation>{n} dispatch packages written to {folder}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1449"/>
        <source>已写出 {n} 个下发包到 {folder}；{same} 个单位没有新内容{failed}。
请把各单位的文件交给该单位，由其在“报送包或下发包收件箱”中应用。</source>
        <translation>{n} dispatch packages written to {folder}; {same} departments have nothing new{failed}.
Give each department its file; it applies it in the “Report and dispatch package inbox”.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1452"/>
        <source>，{n} 个单位未能下发（见下）</source>
        <translation>, {n} departments could not be sent one (see below)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1456"/>
        <source>未写出 {department}：{reason}</source>
        <translation>Not written for {department}: {reason}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1460"/>
        <source>{department}：第 {seq} 号，审核结果 {reviews} 份，任务 {tasks}，问题 {problems}，回执至第 {receipt} 号 — {name}</source>
        <translation>{department}: No. {seq}, {reviews} review results, {tasks} tasks, {problems} problems, receipt up to No. {receipt} — {name}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1466"/>
        <source>{department}：没有新内容，未生成</source>
        <translation>{department}: nothing new, none written</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1468"/>
        <source>这一轮下发：</source>
        <translation>This dispatch round:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1479"/>
        <source>已写出下发包 {path}
给 {department} 的第 {seq} 号：材料审核结果 {reviews} 份，任务 {tasks}，问题 {problems}，回执至第 {receipt} 号；共 {size}。
请把这个文件交给{department}，由其在“报送包或下发包收件箱”中应用。</source>
        <translation>Dispatch package written: {path}
No. {seq} for {department}: review results of {reviews} materials, {tasks} tasks, {problems} problems, receipt up to No. {receipt}; {size} in all.
Give this file to {department}, who applies it in the “Report and dispatch package inbox”.</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="58"/>
        <source>导出网上申报材料</source>
        <translation>Export upload materials</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="73"/>
        <source>可用 {序号} {材料名称} {文号} {日期} {责任单位}；扩展名自动加上</source>
        <translation>Use {序号} {材料名称} {文号} {日期} {责任单位}; the extension is added</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="79"/>
        <source>测评日期</source>
        <translation>Evaluation date</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="89"/>
        <source>图片转为 A4 PDF 页（一页一张，居中，附时间、地点、人物、主题）</source>
        <translation>Photos become A4 PDF pages (one per page, centred, with time, place, people, subject)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="93"/>
        <source>上传平台接受的文件格式，逗号分隔，如 pdf, jpeg, mp4, ofd, docx；不在其中的文件在预览和检测报告中标出</source>
        <translation>The file formats the upload platform accepts, separated by commas, e.g. pdf, jpeg, mp4, ofd, docx; files in other formats are flagged in the preview and the check report</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="96"/>
        <source>Office/WPS 文件（DOC、DOCX、WPS、XLS、ET、PPT、DPS 等）转为 PDF</source>
        <translation>Convert Office/WPS files (DOC, DOCX, WPS, XLS, ET, PPT, DPS …) to PDF</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="100"/>
        <source>Office/WPS 文件转为 PDF（未安装 LibreOffice，保留原件）</source>
        <translation>Convert Office/WPS files to PDF (LibreOffice is not installed: the originals are kept)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="101"/>
        <source>每个测评内容另附一份带书签的合并 PDF</source>
        <translation>Also one merged PDF with bookmarks per item</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="103"/>
        <source>在每份有档号材料的 PDF 首页加盖归档章（只改导出的副本）</source>
        <translation>Stamp the archival seal on the first page of each numbered material&apos;s PDF (only the exported copy changes)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="106"/>
        <source>红色</source>
        <translation>Red</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="107"/>
        <source>黑色</source>
        <translation>Black</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="111"/>
        <source>草稿导出：包含未终审的材料（导出包标明为草稿）</source>
        <translation>Draft export: include materials not final-approved (the export is marked as a draft)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="113"/>
        <source>一个 ZIP 文件</source>
        <translation>one ZIP file</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="114"/>
        <source>一个文件夹</source>
        <translation>one folder</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="119"/>
        <source>（日期不在 T−13 个月至 T−1 个月内的材料会被标出）</source>
        <translation>(materials dated outside T−13 months to T−1 month are flagged)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="121"/>
        <source>文件命名</source>
        <translation>File names</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="122"/>
        <source>每个文件上限</source>
        <translation>Limit per file</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="123"/>
        <source>允许的格式</source>
        <translation>Accepted formats</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="124"/>
        <source>测评时限</source>
        <translation>Evaluation window</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="134"/>
        <location filename="../../desktop/ui/export_dialog.py" line="137"/>
        <source>导出为</source>
        <translation>Export as</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="137"/>
        <source>测评内容 / 材料</source>
        <translation>Item / material</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="137"/>
        <source>提示</source>
        <translation>Notes</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="146"/>
        <source>导出…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="149"/>
        <source>取消导出</source>
        <translation>Cancel export</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="152"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="186"/>
        <source>正在读取…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="288"/>
        <source>（转为 PDF）</source>
        <translation> (to PDF)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="302"/>
        <source>{state}，不导出</source>
        <translation>{state}, not exported</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="308"/>
        <location filename="../../desktop/ui/export_dialog.py" line="332"/>
        <source>……另有 {n} 行未列出（导出时照常包含）</source>
        <translation>… {n} more rows not listed (exported all the same)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="316"/>
        <source>将导出 {n} 份材料、{f} 个文件；{missing} 个测评内容没有可导出的材料；{waiting} 份材料尚未终审；{flagged} 份有提示。</source>
        <translation>Will export {n} materials, {f} files; {missing} items have nothing to export; {waiting} materials are not final-approved yet; {flagged} have notes.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="322"/>
        <source>这是草稿导出，不能作为正式申报材料。</source>
        <translation>This is a draft export, not for the official upload.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="326"/>
        <source>签名后被改动的材料</source>
        <translation>Materials changed after signing</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="327"/>
        <source>{n} 份，整个导出被拒绝</source>
        <translation>{n}; the whole export is refused</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="348"/>
        <source>缺材料</source>
        <translation>missing</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="348"/>
        <source>（{n} 份未终审）</source>
        <translation> ({n} not final-approved)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="350"/>
        <source>{n} 份</source>
        <translation>{n}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="352"/>
        <source>，另有 {n} 份未终审</source>
        <translation>, {n} more not final-approved</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="359"/>
        <source>导出到</source>
        <translation>Export to</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="360"/>
        <source>ZIP 文件 (*.zip)</source>
        <translation>ZIP files (*.zip)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="364"/>
        <source>导出到新文件夹</source>
        <translation>Export to a new folder</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="372"/>
        <source>申报材料</source>
        <translation>upload materials</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="379"/>
        <source>四性检测…</source>
        <translation>Four-property check…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="404"/>
        <source>正在导出到 {path}…</source>
        <translation>Exporting to {path}…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="411"/>
        <source>正在取消…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="429"/>
        <source>四性检测通过</source>
        <translation>Four-property check passed</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="429"/>
        <source>四性检测未通过</source>
        <translation>Four-property check failed</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="431"/>
        <source>已导出 {n} 份材料、{f} 个文件（{mb:.1f} MB）到 {path}；{verdict}。</source>
        <translation>Exported {n} materials, {f} files ({mb:.1f} MB) to {path}; {verdict}.</translation>
    </message>
</context>
<context>
    <name>FormDialog</name>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="64"/>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="65"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ImportReportDialog</name>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="39"/>
        <source>导入报告</source>
        <translation>Import report</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="41"/>
        <source>共 {n} 个文件，其中 {r} 个未导入（原因见下表）。</source>
        <translation>{n} files, {r} of them not imported (see the reasons below).</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="44"/>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="44"/>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="44"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
</context>
<context>
    <name>ImportStatus</name>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="31"/>
        <source>已保存</source>
        <translation>Saved</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="32"/>
        <source>重复</source>
        <translation>Duplicate</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="33"/>
        <source>拒绝</source>
        <translation>Refused</translation>
    </message>
</context>
<context>
    <name>IndicatorTreeModel</name>
    <message>
        <location filename="../../desktop/ui/models.py" line="98"/>
        <source>测评体系</source>
        <translation>Indicator system</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="98"/>
        <source>材料</source>
        <translation>Materials</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="156"/>
        <source>全部材料</source>
        <translation>All materials</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="157"/>
        <source>档案中的全部材料（{n} 份）</source>
        <translation>All materials in the archive ({n})</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="162"/>
        <source> · 权重 {weight}</source>
        <translation> · weight {weight}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="169"/>
        <source>编号前缀 {prefix}</source>
        <translation>code prefix {prefix}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="170"/>
        <source>主测评体系（编号不带前缀）</source>
        <translation>Main indicator system (codes without a prefix)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="171"/>
        <source>权重 {weight}</source>
        <translation>weight {weight}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="173"/>
        <source>测评项目 {categories} 个，测评内容 {items} 项，材料 {materials} 份</source>
        <translation>{categories} categories, {items} items, {materials} materials</translation>
    </message>
</context>
<context>
    <name>KeyForm</name>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="221"/>
        <source>创建我的密钥</source>
        <translation>Create my key</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="224"/>
        <source>你的姓名（与名册一致）</source>
        <translation>Your name (as in the roster)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="229"/>
        <source>至少 {n} 个字符</source>
        <translation>At least {n} characters</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="230"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="231"/>
        <source>口令</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="232"/>
        <source>再输入一次</source>
        <translation>Repeat</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="233"/>
        <source>签名密钥只保存在本机的密钥库中，用口令加密；口令忘记后无法找回，只能重新创建密钥并请管理员更换公钥。</source>
        <translation>The signing key is kept only in this computer’s key store, encrypted with the passphrase. A forgotten passphrase cannot be recovered: you can only create a new key and ask an admin to replace your public key.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="245"/>
        <source>请填写姓名</source>
        <translation>Enter a name</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="247"/>
        <source>口令太短：至少 {n} 个字符</source>
        <translation>Passphrase too short: at least {n} characters</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="250"/>
        <source>两次输入的口令不一致，请重新输入</source>
        <translation>The two passphrases differ; enter them again</translation>
    </message>
</context>
<context>
    <name>LedgerWindow</name>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="206"/>
        <source>任务台账</source>
        <translation>Task ledger</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="227"/>
        <source>导入任务清单…</source>
        <translation>Import task list…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="229"/>
        <source>导出台账 XLSX…</source>
        <translation>Export ledger XLSX…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="231"/>
        <source>生成周报 DOCX…</source>
        <translation>Weekly report DOCX…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="233"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="249"/>
        <location filename="../../desktop/ui/ledger_window.py" line="329"/>
        <location filename="../../desktop/ui/ledger_window.py" line="349"/>
        <location filename="../../desktop/ui/ledger_window.py" line="869"/>
        <source>测评内容</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="249"/>
        <location filename="../../desktop/ui/ledger_window.py" line="329"/>
        <location filename="../../desktop/ui/ledger_window.py" line="349"/>
        <location filename="../../desktop/ui/ledger_window.py" line="871"/>
        <location filename="../../desktop/ui/ledger_window.py" line="898"/>
        <location filename="../../desktop/ui/ledger_window.py" line="1063"/>
        <location filename="../../desktop/ui/ledger_window.py" line="1183"/>
        <source>责任单位</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="250"/>
        <location filename="../../desktop/ui/ledger_window.py" line="330"/>
        <source>完成时限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="250"/>
        <source>逾期天数</source>
        <translation>Days overdue</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="298"/>
        <source>已逾期（红）</source>
        <translation>Overdue (red)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="315"/>
        <source>全部状态</source>
        <translation>All states</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="320"/>
        <source>筛选：测评内容、单位…</source>
        <translation>Filter: item, department…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="325"/>
        <source>销号…</source>
        <translation>Close…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="304"/>
        <location filename="../../desktop/ui/ledger_window.py" line="329"/>
        <location filename="../../desktop/ui/ledger_window.py" line="349"/>
        <location filename="../../desktop/ui/ledger_window.py" line="1063"/>
        <source>编号</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="243"/>
        <source>按各测评内容的材料要求（种类、数量、图片说明、字数）检查已归档的材料</source>
        <translation>Filed material checked against each item&apos;s requirements (kinds, counts, photo captions, length)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="258"/>
        <location filename="../../desktop/ui/ledger_window.py" line="405"/>
        <source>测评体系</source>
        <translation>Indicator system</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="258"/>
        <source>权重</source>
        <translation>Weight</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="258"/>
        <location filename="../../desktop/ui/ledger_window.py" line="988"/>
        <source>任务完成</source>
        <translation>Tasks done</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="258"/>
        <source>材料覆盖</source>
        <translation>Material coverage</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="272"/>
        <source>任务完成：已完成（含销号）的任务；材料覆盖：已有终审通过材料的测评内容</source>
        <translation>Tasks done: tasks completed (closed ones included); material coverage: items that have finally approved material</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="276"/>
        <source>按测评体系</source>
        <translation>By indicator system</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="304"/>
        <source>材料名称</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="304"/>
        <source>级别</source>
        <translation>Level</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="304"/>
        <source>发文（表扬）单位</source>
        <translation>Issued by</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="305"/>
        <source>表扬日期</source>
        <translation>Date of recognition</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="305"/>
        <source>审核状态</source>
        <translation>Review state</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="329"/>
        <source>牵头/配合</source>
        <translation>Lead/support</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="330"/>
        <source>剩余天数</source>
        <translation>Days left</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="330"/>
        <source>材料</source>
        <translation>Materials</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="330"/>
        <source>终审</source>
        <translation>Final-approved</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="331"/>
        <location filename="../../desktop/ui/ledger_window.py" line="350"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="331"/>
        <location filename="../../desktop/ui/ledger_window.py" line="411"/>
        <source>清单</source>
        <translation>List</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="349"/>
        <location filename="../../desktop/ui/ledger_window.py" line="870"/>
        <location filename="../../desktop/ui/ledger_window.py" line="897"/>
        <location filename="../../desktop/ui/ledger_window.py" line="922"/>
        <source>问题</source>
        <translation>Problem</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="350"/>
        <location filename="../../desktop/ui/ledger_window.py" line="899"/>
        <source>整改时限</source>
        <translation>Rectify by</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="361"/>
        <source>发现问题…</source>
        <translation>New problem…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="361"/>
        <source>记录督查中发现的问题</source>
        <translation>Record a problem found in an inspection</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="363"/>
        <source>交办…</source>
        <translation>Assign…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="363"/>
        <source>把所选问题交给责任单位，定整改时限</source>
        <translation>Hand the selected problem to a department, with a deadline to rectify it</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="365"/>
        <source>整改…</source>
        <translation>Rectify…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="366"/>
        <source>报告所选问题的整改情况，附佐证材料</source>
        <translation>Report how the selected problem was rectified, with evidence</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="367"/>
        <source>确认</source>
        <translation>Confirm</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="367"/>
        <source>确认所选问题已整改到位</source>
        <translation>Confirm that the selected problem is fully rectified</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="369"/>
        <source>退回…</source>
        <translation>Return…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="369"/>
        <source>整改不到位，写明原因退回</source>
        <translation>Not rectified well enough: return it with a reason</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="385"/>
        <source>看板</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="386"/>
        <source>任务</source>
        <translation>Tasks</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="387"/>
        <source>问题整改</source>
        <translation>Problems</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="389"/>
        <source>负面清单</source>
        <translation>Negative list</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="391"/>
        <source>各单位报送</source>
        <translation>Departments reporting</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="396"/>
        <location filename="../../desktop/ui/ledger_window.py" line="526"/>
        <source>全部清单</source>
        <translation>All lists</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="397"/>
        <source>只看一个清单的任务、合计和导出</source>
        <translation>Show one list only: its tasks, totals and exports</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="401"/>
        <location filename="../../desktop/ui/ledger_window.py" line="593"/>
        <source>全部测评体系</source>
        <translation>All indicator systems</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="402"/>
        <source>只看一个测评体系的任务、合计和导出</source>
        <translation>Show the tasks, totals and exports of one indicator system only</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="514"/>
        <source>&lt;b&gt;材料清单&lt;/b&gt;：测评内容 {items} 个，&lt;span style=&quot;color:#2e7d32&quot;&gt;齐全 {complete}&lt;/span&gt;，&lt;span style=&quot;color:#b00020&quot;&gt;有缺项 {gaps}&lt;/span&gt;，无要求 {none}</source>
        <translation>&lt;b&gt;Evidence checklists&lt;/b&gt;: {items} items, &lt;span style=&quot;color:#2e7d32&quot;&gt;{complete} complete&lt;/span&gt;, &lt;span style=&quot;color:#b00020&quot;&gt;{gaps} with gaps&lt;/span&gt;, {none} without requirements</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="535"/>
        <source>{kind} {done}/{total}（{pct:.0f}%）</source>
        <translation>{kind} {done}/{total} ({pct:.0f}%)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="547"/>
        <source>&lt;b&gt;截至 {today}：共 {total} 项任务，完成 {done} 项（{pct:.0f}%）&lt;/b&gt;</source>
        <translation>&lt;b&gt;As of {today}: {total} tasks, {done} done ({pct:.0f}%)&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="565"/>
        <source>全部单位</source>
        <translation>All departments</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="579"/>
        <source>创新特色（加分）材料：{n} 份</source>
        <translation>Innovation / bonus materials: {n}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="631"/>
        <source>编号前缀 {prefix}（如 {prefix}01.01）</source>
        <translation>code prefix {prefix} (e.g. {prefix}01.01)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="632"/>
        <source>任务：完成 {done}/{total}；红 {red}，黄 {yellow}，白 {white}</source>
        <translation>Tasks: {done}/{total} done; red {red}, yellow {yellow}, white {white}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="634"/>
        <source>测评内容 {items} 项，其中 {covered} 项已有终审通过的材料</source>
        <translation>{items} items, {covered} of them with finally approved material</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="648"/>
        <source>完成 {done}/{total}；红 {red}，黄 {yellow}，白 {white}</source>
        <translation>Done {done}/{total}; {red} red, {yellow} yellow, {white} white</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="694"/>
        <source>（逾期）</source>
        <translation> (overdue)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="712"/>
        <source>选择任务分解清单</source>
        <translation>Choose a task list</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="713"/>
        <source>任务清单 (*.xlsx *.xls *.et);;所有文件 (*)</source>
        <translation>Task lists (*.xlsx *.xls *.et);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="727"/>
        <source>任务清单已导入</source>
        <translation>Task list imported</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="734"/>
        <source>导出台账</source>
        <translation>Export ledger</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="735"/>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbooks (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="738"/>
        <source>生成周报</source>
        <translation>Weekly report</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="739"/>
        <source>Word 文档 (*.docx)</source>
        <translation>Word documents (*.docx)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="750"/>
        <source>无法写入 {path}：{error}</source>
        <translation>Cannot write {path}: {error}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="752"/>
        <source>已写入 {path}</source>
        <translation>Written to {path}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="756"/>
        <location filename="../../desktop/ui/ledger_window.py" line="767"/>
        <location filename="../../desktop/ui/ledger_window.py" line="776"/>
        <source>销号</source>
        <translation>Close task</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="756"/>
        <source>{item} / {department}
销号理由：</source>
        <translation>{item} / {department}
Reason for closing:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="768"/>
        <source>请先在主窗口选择当前人员（管理员）</source>
        <translation>Choose the current person (an admin) in the main window first</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="778"/>
        <source>任务 {id} 已销号</source>
        <translation>Task {id} closed</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="811"/>
        <source>正在读取…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="818"/>
        <source>问题 {id}：{found_at} 由 {by} 发现。</source>
        <translation>Problem {id}: found {found_at} by {by}.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="821"/>
        <location filename="../../desktop/ui/ledger_window.py" line="1143"/>
        <source>无</source>
        <translation>none</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="822"/>
        <source>整改情况：{note}（佐证材料 {evidence}）</source>
        <translation>Rectification: {note} (evidence {evidence})</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="825"/>
        <source>反馈：{feedback}</source>
        <translation>Feedback: {feedback}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="846"/>
        <source>发现问题</source>
        <translation>New problem</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="859"/>
        <source>发现的问题，如：宣传栏破损、资料不全</source>
        <translation>The problem found, e.g. a damaged notice board, incomplete records</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="861"/>
        <source>（暂不交办）</source>
        <translation>(assign later)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="862"/>
        <source>同时交办，整改时限</source>
        <translation>Assign now, rectify by</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="879"/>
        <source>交办需要选择责任单位</source>
        <translation>Choose a department to assign the problem to</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="888"/>
        <source>已记录问题 {id}</source>
        <translation>Problem {id} recorded</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="894"/>
        <source>交办问题 {id}</source>
        <translation>Assign problem {id}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="904"/>
        <source>请选择责任单位</source>
        <translation>Choose a department</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="910"/>
        <source>问题 {id} 已交办</source>
        <translation>Problem {id} assigned</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="916"/>
        <source>整改问题 {id}</source>
        <translation>Rectify problem {id}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="918"/>
        <source>整改情况：做了什么、何时完成</source>
        <translation>Rectification: what was done, and when</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="921"/>
        <location filename="../../desktop/ui/ledger_window.py" line="1243"/>
        <source>佐证材料编号，如 12, 15（可不填）</source>
        <translation>Evidence material IDs, e.g. 12, 15 (optional)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="924"/>
        <location filename="../../desktop/ui/ledger_window.py" line="961"/>
        <source>退回原因</source>
        <translation>Reason for return</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="925"/>
        <location filename="../../desktop/ui/ledger_window.py" line="960"/>
        <source>整改情况</source>
        <translation>Rectification</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="926"/>
        <location filename="../../desktop/ui/ledger_window.py" line="1249"/>
        <source>佐证材料</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="931"/>
        <location filename="../../desktop/ui/ledger_window.py" line="1254"/>
        <source>佐证材料请填材料编号（数字），用逗号或空格分隔</source>
        <translation>For evidence, enter material IDs (numbers) separated by commas or spaces</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="938"/>
        <source>问题 {id} 已报整改</source>
        <translation>Problem {id}: rectification reported</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="950"/>
        <source>问题 {id} 的整改已确认</source>
        <translation>Problem {id}: rectification confirmed</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="956"/>
        <source>退回问题 {id} 的整改</source>
        <translation>Return the rectification of problem {id}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="958"/>
        <source>退回原因（必填），如：缺少整改后照片</source>
        <translation>Reason for return (required), e.g. no photo taken after the fix</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="970"/>
        <source>问题 {id} 的整改已退回</source>
        <translation>Problem {id}: rectification returned</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="984"/>
        <source>单位</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="984"/>
        <source>最近报送</source>
        <translation>Last package</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="985"/>
        <source>报送包</source>
        <translation>Packages</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="985"/>
        <source>收到材料</source>
        <translation>Materials received</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="986"/>
        <source>待审</source>
        <translation>Awaiting review</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="986"/>
        <source>已终审</source>
        <translation>Finally approved</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="987"/>
        <source>已退回</source>
        <translation>Returned</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="987"/>
        <source>未决冲突</source>
        <translation>Open conflicts</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="988"/>
        <source>逾期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="1011"/>
        <source>提醒：自</source>
        <translation>Reminder: since</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="1013"/>
        <source>以来未报送的单位</source>
        <translation>departments that have not reported</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="1028"/>
        <source>未报送</source>
        <translation>not reported</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="1056"/>
        <source>（无：都已报送）</source>
        <translation>(none: all have reported)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="1063"/>
        <location filename="../../desktop/ui/ledger_window.py" line="1181"/>
        <source>测评项目</source>
        <translation>Category</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="1063"/>
        <location filename="../../desktop/ui/ledger_window.py" line="1182"/>
        <location filename="../../desktop/ui/ledger_window.py" line="1246"/>
        <source>事项</source>
        <translation>Matter</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="1064"/>
        <source>发生情况</source>
        <translation>Occurred</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="1064"/>
        <location filename="../../desktop/ui/ledger_window.py" line="1170"/>
        <location filename="../../desktop/ui/ledger_window.py" line="1184"/>
        <source>防范措施</source>
        <translation>Precautions</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="1064"/>
        <location filename="../../desktop/ui/ledger_window.py" line="1248"/>
        <source>处置情况</source>
        <translation>Handling</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="1071"/>
        <source>登记…</source>
        <translation>Register…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="1072"/>
        <source>登记一项负面清单风险或已发生的事件</source>
        <translation>Register a negative-list risk or an event that occurred</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="1074"/>
        <source>修改…</source>
        <translation>Edit…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="1076"/>
        <source>处置…</source>
        <translation>Handle…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="1077"/>
        <source>登记已发生事件的处置情况，附佐证材料</source>
        <translation>Record how an event that occurred was handled, with evidence materials</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="1101"/>
        <source>已发生 {date}</source>
        <translation>Occurred {date}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="1103"/>
        <source>未发生</source>
        <translation>Not occurred</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="1104"/>
        <source>待处置</source>
        <translation>Not yet handled</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="1116"/>
        <source>共 {n} 项，已发生 {occurred} 项</source>
        <translation>{n} in all, {occurred} occurred</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="1136"/>
        <source>请先在表中选择一项</source>
        <translation>Select a line in the table first</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="1139"/>
        <source>修改所选事项</source>
        <translation>Edit the selected line</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="1140"/>
        <source>负面清单 {id}：{by} 登记于 {at}。</source>
        <translation>Negative list {id}: registered by {by} at {at}.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="1144"/>
        <source>处置：{note}（{by}；佐证材料 {evidence}）</source>
        <translation>Handling: {note} ({by}; evidence {evidence})</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="1153"/>
        <source>（不限）</source>
        <translation>(any)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="1164"/>
        <source>如：发生重大安全生产事故、占道经营反弹</source>
        <translation>e.g. a major work-safety accident, street vending back again</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="1168"/>
        <source>（未定）</source>
        <translation>(not decided)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="1172"/>
        <source>已发生，发生日期</source>
        <translation>Occurred, on</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="1196"/>
        <source>登记负面清单</source>
        <translation>Register on the negative list</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="1210"/>
        <source>已登记负面清单 {id}</source>
        <translation>Negative list {id} registered</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="1216"/>
        <source>修改负面清单 {id}</source>
        <translation>Edit negative list {id}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="1232"/>
        <source>负面清单 {id} 已修改</source>
        <translation>Negative list {id} changed</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="1238"/>
        <source>处置负面清单 {id}</source>
        <translation>Handle negative list {id}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="1240"/>
        <source>处置情况：做了什么、结果如何</source>
        <translation>Handling: what was done, with what result</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="1247"/>
        <source>发生日期</source>
        <translation>Date occurred</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="1263"/>
        <source>负面清单 {id} 的处置已登记</source>
        <translation>Handling of negative list {id} recorded</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="305"/>
        <source>筛选：材料名称、文号、责任单位、类型…</source>
        <translation>Filter: title, document number, department, type…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="320"/>
        <location filename="../../desktop/ui/main_window.py" line="525"/>
        <source>导入文件…</source>
        <translation>Import files…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="322"/>
        <location filename="../../desktop/ui/main_window.py" line="524"/>
        <source>打开示例档案</source>
        <translation>Open sample archive</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="324"/>
        <location filename="../../desktop/ui/main_window.py" line="522"/>
        <source>打开档案…</source>
        <translation>Open archive…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="354"/>
        <source>全部状态</source>
        <translation>All states</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="358"/>
        <source>我的待办</source>
        <translation>My queue</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="359"/>
        <source>只显示等待当前人员审核、提交或修改的材料</source>
        <translation>Only materials waiting for the current person to review, submit or fix</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="409"/>
        <source>信息</source>
        <translation>Details</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="410"/>
        <source>审核</source>
        <translation>Review</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="440"/>
        <source>查看任务台账</source>
        <translation>Open the task ledger</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="326"/>
        <location filename="../../desktop/ui/main_window.py" line="520"/>
        <source>新建档案…</source>
        <translation>New archive…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="328"/>
        <source>欢迎使用 Zicha 材料自查档案</source>
        <translation>Welcome to Zicha, the evidence archive for self-checks</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="361"/>
        <source>待完善</source>
        <translation>Incomplete</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="362"/>
        <source>只显示还缺材料名称、日期、类型或责任单位的材料</source>
        <translation>Only materials still missing a title, date, type or department</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="526"/>
        <source>导入文件夹…</source>
        <translation>Import folder…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="528"/>
        <source>检查档案</source>
        <translation>Check archive</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="529"/>
        <source>导出申报材料…</source>
        <translation>Export upload materials…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="530"/>
        <source>任务台账…</source>
        <translation>Task ledger…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="531"/>
        <source>导入任务分解清单…</source>
        <translation>Import task list…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="532"/>
        <source>检查导出包（四性检测）…</source>
        <translation>Check an export (four-property check)…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="534"/>
        <source>保存材料信息</source>
        <translation>Save material details</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="536"/>
        <location filename="../../desktop/ui/main_window.py" line="1637"/>
        <source>批量设置…</source>
        <translation>Bulk edit…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="537"/>
        <location filename="../../desktop/ui/main_window.py" line="1639"/>
        <location filename="../../desktop/ui/main_window.py" line="1749"/>
        <source>提交初审</source>
        <translation>Submit for first review</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="538"/>
        <location filename="../../desktop/ui/main_window.py" line="1641"/>
        <source>删除材料…</source>
        <translation>Delete material…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="541"/>
        <source>全选</source>
        <translation>Select all</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="549"/>
        <source>人员与密钥…</source>
        <translation>People and keys…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="550"/>
        <source>添加测评内容…</source>
        <translation>Add item…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="551"/>
        <source>重命名测评内容…</source>
        <translation>Rename item…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="559"/>
        <source>导出审核包…</source>
        <translation>Export review package…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="560"/>
        <source>打开审核包（审核人）…</source>
        <translation>Open review package (reviewer)…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="562"/>
        <source>应用审核决定…</source>
        <translation>Apply review decisions…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="573"/>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="574"/>
        <location filename="../../desktop/ui/main_window.py" line="2209"/>
        <source>关于 Zicha</source>
        <translation>About Zicha</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="576"/>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="593"/>
        <source>编辑(&amp;E)</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="603"/>
        <source>任务(&amp;T)</source>
        <translation>&amp;Tasks</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="606"/>
        <source>审核(&amp;R)</source>
        <translation>&amp;Review</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="613"/>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="616"/>
        <source>工具栏</source>
        <translation>Toolbar</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="623"/>
        <source>当前人员：</source>
        <translation>Current person:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="632"/>
        <source>搜索全文：词语、&quot;短语&quot;、OR、-排除（Ctrl+F）</source>
        <translation>Search the text: words, &quot;phrases&quot;, OR, -exclude (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="708"/>
        <source>无法打开档案</source>
        <translation>Cannot open archive</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="835"/>
        <source>未打开档案</source>
        <translation>No archive open</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="856"/>
        <source>打开档案文件夹</source>
        <translation>Open archive folder</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="862"/>
        <source>为新档案选择一个空文件夹</source>
        <translation>Choose an empty folder for the new archive</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="880"/>
        <source>正在生成示例档案…</source>
        <translation>Building the sample archive…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="888"/>
        <source>示例档案</source>
        <translation>Sample archive</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="905"/>
        <source>正在检查档案…</source>
        <translation>Checking the archive…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="980"/>
        <source>任务 {total} 项：完成 {done}，红 {red}，黄 {yellow}，白 {white}</source>
        <translation>Tasks {total}: {done} done, {red} red, {yellow} yellow, {white} white</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="999"/>
        <source>{department}：{late} 项任务已逾期，{soon} 项本周到期。</source>
        <translation>{department}: {late} tasks overdue, {soon} due this week.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1007"/>
        <source>选择导出包（ZIP，或导出文件夹中的 bagit.txt）</source>
        <translation>Choose an export (a ZIP, or bagit.txt in an export folder)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1008"/>
        <source>导出包 (*.zip bagit.txt)</source>
        <translation>Exports (*.zip bagit.txt)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1020"/>
        <source>正在做四性检测…</source>
        <translation>Running the four-property check…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1028"/>
        <source>选择要导入的文件</source>
        <translation>Choose files to import</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1029"/>
        <source>所有文件 (*)</source>
        <translation>All files (*)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1038"/>
        <source>选择要导入的文件夹</source>
        <translation>Choose a folder to import</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1052"/>
        <source>归入哪个测评内容</source>
        <translation>File under which item</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1053"/>
        <source>导入的材料归入：</source>
        <translation>File the imported materials under:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1148"/>
        <source>所选文件中有 {n} 个压缩包（{names}）。

选“是”（解压导入）：解压，把其中的文件逐个归档（Windows 压缩包的中文文件名会正确识别）；
选“否”：把压缩包原样保存为一份材料。</source>
        <translation>The chosen files include {n} archive(s) ({names}).

Yes (unpack and import): unpack them and file each of their files (Chinese names from Windows archives are read correctly);
No: keep each archive as one material, as it is.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1437"/>
        <source>导入文件，或把文件、文件夹拖到左侧的测评内容上；</source>
        <translation>Import files, or drop files and folders on an item on the left;</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="2140"/>
        <source>……共 {n} 份</source>
        <translation>… {n} in all</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="2143"/>
        <source>删除下列材料？
{names}

文件仍保留在档案中，审计日志会记录这次删除。</source>
        <translation>Delete these materials?
{names}

The files stay in the archive, and the audit log records the deletion.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="2156"/>
        <source>已删除 {n} 份材料</source>
        <translation>Materials deleted: {n}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1133"/>
        <source>正在导入到 {code}…</source>
        <translation>Importing into {code}…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="552"/>
        <source>结论性说明…</source>
        <translation>Conclusion…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="554"/>
        <source>所选测评内容的结论性说明，导出时印在其测评材料提交表中</source>
        <translation>The conclusion of the selected item, printed in its submission form by the export</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="556"/>
        <source>测评体系…</source>
        <translation>Indicator systems…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="557"/>
        <source>本档案的测评体系：添加同创同测的测评体系、设置权重、添加测评项目</source>
        <translation>This archive&apos;s indicator systems: add the systems evaluated with the city, set weights, add categories</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="564"/>
        <source>报送到创文办…</source>
        <translation>Report to the city office…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="565"/>
        <source>把本单位新增或改动的材料写成签名的报送包，交市创文办合并</source>
        <translation>Write this department&apos;s new or changed material as a signed package for the city office to merge</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="567"/>
        <source>报送包收件箱…</source>
        <translation>Package inbox…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="568"/>
        <source>应用各责任单位的报送包，查看合并报告与冲突</source>
        <translation>Apply the departments&apos; packages, see merge reports and conflicts</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="569"/>
        <source>下发到单位…</source>
        <translation>Send down to a department…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="571"/>
        <source>把对某单位材料的审核结果、该单位的任务与问题写成签名的下发包，交该单位应用</source>
        <translation>Write the review results on a department&apos;s material, its tasks and problems as a signed dispatch package for that department to apply</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="755"/>
        <source>已显示其他人刚做的修改（{who}）</source>
        <translation>Now showing what others just changed ({who})</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="852"/>
        <source>{main} 等 {n} 个测评体系</source>
        <translation>{main} and others, {n} indicator systems</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="889"/>
        <source>示例档案已生成。

要试一试提交和审核，在工具栏的“当前人员”中选择{people}之一；他们的签名口令都是 {passphrase}。

{department}的材料已处在审核的各个阶段：三份已终审（可以直接试试导出网上申报材料），一份被退回，一份待复审，一份待初审。</source>
        <translation>The sample archive is ready.

To try submitting and reviewing, choose one of {people} under &quot;Current person&quot; in the toolbar; their signing passphrase is {passphrase}.

The materials of {department} stand at every stage of review: three are final-approved (try exporting the upload material right away), one was returned, one awaits second review, one awaits first review.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1030"/>
        <source>常见材料 (*.pdf *.ofd *.doc *.docx *.wps *.xls *.xlsx *.et *.ppt *.pptx *.dps *.jpg *.jpeg *.png *.heic *.tif *.tiff *.mp4 *.mov *.zip *.7z *.rar *.txt)</source>
        <translation>Common evidence (*.pdf *.ofd *.doc *.docx *.wps *.xls *.xlsx *.et *.ppt *.pptx *.dps *.jpg *.jpeg *.png *.heic *.tif *.tiff *.mp4 *.mov *.zip *.7z *.rar *.txt)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1062"/>
        <source>“{name}”是测评体系，不是测评内容：材料归入它下面的某个测评内容（或还没有测评内容的测评项目）。</source>
        <translation>&quot;{name}&quot; is an indicator system, not an item: material is filed under one of its items (or under a category that has no items yet).</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1065"/>
        <source>这个测评体系还没有测评项目：请先在“编辑 → 测评体系…”中为它添加测评项目，或导入它的任务清单时新建测评项目。</source>
        <translation>This indicator system has no categories yet: add them first under &quot;Edit → Indicator systems…&quot;, or create them when importing its task list.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1068"/>
        <source>请在左侧展开它，把文件拖到其中的测评内容上，或先选中那个测评内容。</source>
        <translation>Expand it on the left and drop the files on one of its items, or select that item first.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1069"/>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1083"/>
        <source>无法导入</source>
        <translation>Cannot import</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1147"/>
        <source>导入压缩包</source>
        <translation>Import archives</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1162"/>
        <source>导入 {n} 个文件：保存 {s}，重复 {d}，拒绝 {r}</source>
        <translation>Imported {n} files: {s} saved, {d} duplicate, {r} refused</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1182"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1393"/>
        <source>这个测评体系中各测评内容下的全部材料</source>
        <translation>All material filed under the items of this indicator system</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1395"/>
        <source>全部材料</source>
        <translation>All materials</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1433"/>
        <source>没有打开档案。新建一个档案，或打开已有档案、示例档案。</source>
        <translation>No archive is open. Create a new archive, or open an existing one or the sample archive.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1436"/>
        <source>档案里还没有材料。</source>
        <translation>This archive has no material yet.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1438"/>
        <source>也可以先打开示例档案看看。</source>
        <translation>or open the sample archive to look around first.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1442"/>
        <source>“{name}”中还没有材料。</source>
        <translation>There is no material in &quot;{name}&quot; yet.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1443"/>
        <source>把文件或文件夹拖到它下面的测评内容上即可导入。</source>
        <translation>Drop files or folders on one of its items to import them.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1445"/>
        <source>没有符合筛选条件的材料。</source>
        <translation>No material matches the filters.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1450"/>
        <source>“{name}”下还没有材料。</source>
        <translation>Nothing is filed under “{name}” yet.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1451"/>
        <source>把文件或文件夹拖到这里或左侧的条目上即可导入。</source>
        <translation>Drop files or folders here or on an entry on the left to import them.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1458"/>
        <source>搜索结果</source>
        <translation>Search results</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1564"/>
        <source>材料信息未保存</source>
        <translation>Unsaved material details</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1565"/>
        <source>材料 #{id}《{title}》的修改还没有保存。
保存这些修改吗？</source>
        <translation>The changes to material #{id} “{title}” are not saved yet.
Save them?</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1636"/>
        <source>批量设置 {n} 份材料…</source>
        <translation>Bulk edit {n} materials…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1638"/>
        <source>提交 {n} 份材料初审</source>
        <translation>Submit {n} materials for first review</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1640"/>
        <source>删除 {n} 份材料…</source>
        <translation>Delete {n} materials…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1643"/>
        <source>已选择 {n} 份材料</source>
        <translation>{n} materials selected</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1645"/>
        <source>已选择 {n} 份材料（其中有审核中的材料，不能批量修改）</source>
        <translation>{n} materials selected (some are under review, so they cannot be changed together)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1715"/>
        <source>未能保存</source>
        <translation>Not saved</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1716"/>
        <source>材料 #{id} 的修改未能保存：{message}</source>
        <translation>The changes to material #{id} could not be saved: {message}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1739"/>
        <source>已为 {n} 份材料批量设置</source>
        <translation>Materials bulk-edited: {n}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1741"/>
        <source>批量设置</source>
        <translation>Bulk edit</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1750"/>
        <source>请先在工具栏选择“当前人员”。</source>
        <translation>Choose the “Current person” in the toolbar first.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1754"/>
        <source>已提交 {n} 份材料初审</source>
        <translation>Materials submitted for first review: {n}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1882"/>
        <source>编号（如 01.03）：</source>
        <translation>Code (e.g. 01.03):</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1886"/>
        <source>{code} 的名称：</source>
        <translation>Name of {code}:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1897"/>
        <location filename="../../desktop/ui/main_window.py" line="1910"/>
        <location filename="../../desktop/ui/main_window.py" line="1922"/>
        <source>添加测评内容</source>
        <translation>Add item</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1898"/>
        <source>“{name}”是测评体系：测评内容要加在它的某个测评项目下。请先在左侧选中那个测评项目，再添加测评内容。</source>
        <translation>&quot;{name}&quot; is an indicator system: items are added under one of its categories. Select that category on the left first, then add the item.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1900"/>
        <source>这个测评体系还没有测评项目：请先在“编辑 → 测评体系…”中为它添加测评项目。</source>
        <translation>This indicator system has no categories yet: add them first under &quot;Edit → Indicator systems…&quot;.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1919"/>
        <source>已添加测评内容 {code}</source>
        <translation>Item {code} added</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1928"/>
        <location filename="../../desktop/ui/main_window.py" line="1940"/>
        <source>重命名测评内容</source>
        <translation>Rename item</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1937"/>
        <source>已重命名 {code}</source>
        <translation>{code} renamed</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1967"/>
        <source>{stage}（{n} 份待审）</source>
        <translation>{stage} ({n} waiting)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1969"/>
        <location filename="../../desktop/ui/main_window.py" line="1993"/>
        <location filename="../../desktop/ui/main_window.py" line="2012"/>
        <source>导出审核包</source>
        <translation>Export review package</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1970"/>
        <source>导出哪一级审核的待审材料：</source>
        <translation>Export the materials waiting for which stage:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1974"/>
        <source>保存审核包</source>
        <translation>Save review package</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1975"/>
        <source>审核包 (*.zicha-review.zip)</source>
        <translation>Review packages (*.zicha-review.zip)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="2011"/>
        <source>审核包已保存到 {path}</source>
        <translation>Review package saved to {path}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="2013"/>
        <source>已导出 {n} 份待{stage}材料（{files} 个文件，{mb:.1f} MB）到
{path}

把这个文件交给审核人；审核人签名后交回的决定文件用“应用审核决定”记入档案。</source>
        <translation>Exported {n} materials waiting for {stage} ({files} files, {mb:.1f} MB) to
{path}

Give this file to the reviewer; record the signed decisions file they bring back with “Apply review decisions”.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="2018"/>
        <source>正在导出审核包…</source>
        <translation>Exporting the review package…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="2023"/>
        <source>打开审核包</source>
        <translation>Open review package</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="2023"/>
        <source>审核包 (*.zip)</source>
        <translation>Review packages (*.zip)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="2036"/>
        <source>正在检查审核包…</source>
        <translation>Checking the review package…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="2043"/>
        <source>应用审核决定</source>
        <translation>Apply review decisions</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="2044"/>
        <source>决定文件 (*.json);;所有文件 (*)</source>
        <translation>Decisions files (*.json);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="2056"/>
        <source>已应用 {n} 个审核决定</source>
        <translation>Applied {n} review decisions</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="2061"/>
        <source>正在验证并应用审核决定…</source>
        <translation>Verifying and applying review decisions…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="2078"/>
        <source>（未选择）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="2142"/>
        <source>删除材料</source>
        <translation>Delete material</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="2158"/>
        <source>无法删除</source>
        <translation>Cannot delete</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="2179"/>
        <source>OCR 识别</source>
        <translation>OCR</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="2179"/>
        <source>提取文字</source>
        <translation>Extracting text</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="2188"/>
        <source>{n} 个文件无法提取文字</source>
        <translation>{n} files without extractable text</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="2212"/>
        <source>全国文明城市测评佐证材料的归档、审核与导出。</source>
        <translation>Filing, review and export of evidence for the National Civilized City evaluation.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="2214"/>
        <source>本程序以 GNU AGPL-3.0 许可发布。</source>
        <translation>Released under the GNU AGPL-3.0.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="2215"/>
        <source>第三方组件：PyMuPDF (AGPL-3.0)、Qt/PySide6 (LGPL-3.0) 等。</source>
        <translation>Third-party components: PyMuPDF (AGPL-3.0), Qt/PySide6 (LGPL-3.0) and others.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/app.py" line="123"/>
        <source>无法应用报送包或下发包</source>
        <translation>Cannot apply the package</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/app.py" line="124"/>
        <source>{name}：当前没有可写入的档案，无法应用。请打开要应用它的档案后，在“报送包收件箱”中选择这个文件。</source>
        <translation>{name}: no archive is open for writing, so it cannot be applied. Open the archive it is for, then choose this file in the package inbox.</translation>
    </message>
</context>
<context>
    <name>MarkCommand</name>
    <message>
        <location filename="../../desktop/ui/mark_tools.py" line="144"/>
        <source>标注红线“{text}”</source>
        <translation>Underline &quot;{text}&quot; in red</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/mark_tools.py" line="145"/>
        <source>删除标注“{text}”</source>
        <translation>Remove the mark &quot;{text}&quot;</translation>
    </message>
</context>
<context>
    <name>MaterialTableModel</name>
    <message>
        <location filename="../../desktop/ui/models.py" line="288"/>
        <source>编号</source>
        <translation>ID</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="242"/>
        <location filename="../../desktop/ui/models.py" line="289"/>
        <source>材料名称</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="291"/>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="292"/>
        <source>文号</source>
        <translation>Doc. number</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="243"/>
        <location filename="../../desktop/ui/models.py" line="293"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="244"/>
        <source>材料类型</source>
        <translation>Material type</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="245"/>
        <location filename="../../desktop/ui/models.py" line="294"/>
        <source>责任单位</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="295"/>
        <source>测评内容</source>
        <translation>Items</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="296"/>
        <source>页数</source>
        <translation>Pages</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="297"/>
        <source>档号</source>
        <translation>Archival no.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="552"/>
        <source>待完善：缺{fields}</source>
        <translation>Incomplete: missing {fields}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="290"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
</context>
<context>
    <name>MetadataEditor</name>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="48"/>
        <source>如 吴文明办发〔2024〕12号</source>
        <translation>e.g. 吴文明办发〔2024〕12号</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="50"/>
        <source>如 2024-06-30</source>
        <translation>e.g. 2024-06-30</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="56"/>
        <source>测评内容编号，用逗号分隔，如 01.01, 03.02</source>
        <translation>Item codes, comma separated, e.g. 01.01, 03.02</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="60"/>
        <source>创新特色（加分）材料</source>
        <translation>Innovation / bonus material</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="61"/>
        <source>这份材料证明本单位受到的表扬、推介或通报表扬，在看板和材料目录中单独列出</source>
        <translation>This material shows a recognition of the bureau (praise, promotion, commendation); it is listed on its own on the dashboard and in the catalogue</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="64"/>
        <source>（未填）</source>
        <translation>(not given)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="68"/>
        <source>如 省文明办</source>
        <translation>e.g. the provincial civilisation office</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="70"/>
        <source>如 2024-04-01</source>
        <translation>e.g. 2024-04-01</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="79"/>
        <source>材料名称</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="80"/>
        <source>文号</source>
        <translation>Doc. number</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="81"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="82"/>
        <source>责任单位</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="83"/>
        <source>材料类型</source>
        <translation>Material type</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="84"/>
        <source>测评内容</source>
        <translation>Items</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="85"/>
        <source>说明</source>
        <translation>Description</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="86"/>
        <source>图片说明（时间、地点、人物、主题、背景、事由）</source>
        <translation>Photo caption (time, place, people, subject, background, occasion)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="88"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="88"/>
        <source>地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="88"/>
        <source>人物</source>
        <translation>People</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="89"/>
        <source>主题</source>
        <translation>Subject</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="89"/>
        <source>背景</source>
        <translation>Background</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="89"/>
        <source>事由</source>
        <translation>Occasion</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="92"/>
        <source>创新特色（加分）</source>
        <translation>Innovation / bonus</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="95"/>
        <source>级别</source>
        <translation>Level</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="96"/>
        <source>发文（表扬）单位</source>
        <translation>Issued by</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="97"/>
        <source>表扬日期</source>
        <translation>Date of recognition</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="104"/>
        <location filename="../../desktop/ui/metadata.py" line="285"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="106"/>
        <source>保存（Ctrl+S）</source>
        <translation>Save (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="108"/>
        <source>还原</source>
        <translation>Revert</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="195"/>
        <source>已退回，理由：{reason}</source>
        <translation>Returned. Reason: {reason}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="196"/>
        <source>（未写明）</source>
        <translation>(none given)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="215"/>
        <source>未选择材料</source>
        <translation>No material selected</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="231"/>
        <source>材料 #{id} · {state} · 文件：{files}</source>
        <translation>Material #{id} · {state} · files: {files}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="234"/>
        <source>已终审通过，不能再修改。</source>
        <translation>Final-approved: it can no longer be changed.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="235"/>
        <source>审核中，不能修改；退回后可以修改。</source>
        <translation>Under review: it can be changed only if it is returned.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="269"/>
        <source>已保存</source>
        <translation>Saved</translation>
    </message>
</context>
<context>
    <name>OperationForm</name>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="65"/>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="73"/>
        <source>确定</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>PackageReviewWindow</name>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="126"/>
        <source>审核包（只读）— {stage} — {name}</source>
        <translation>Review package (read-only) — {stage} — {name}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="130"/>
        <source>&lt;b&gt;{stage}审核包&lt;/b&gt;（只读审核，不会修改任何档案）· 档案：{archive} · {count} 份材料 · 生成于 {at}</source>
        <translation>&lt;b&gt;{stage} review package&lt;/b&gt; (read-only review, changes no archive) · archive: {archive} · {count} materials · made {at}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="157"/>
        <source>审核意见（退回时必填）</source>
        <translation>Review comment (required to return)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="159"/>
        <location filename="../../desktop/ui/package_review.py" line="224"/>
        <source>通过</source>
        <translation>Approve</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="160"/>
        <location filename="../../desktop/ui/package_review.py" line="225"/>
        <source>退回</source>
        <translation>Return</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="161"/>
        <location filename="../../desktop/ui/package_review.py" line="226"/>
        <source>撤销决定</source>
        <translation>Undo decision</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="168"/>
        <location filename="../../desktop/ui/package_review.py" line="229"/>
        <source>签名并保存决定文件…</source>
        <translation>Sign and save decisions file…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="174"/>
        <source>既往审核记录（签名已验证）</source>
        <translation>Earlier decisions (signatures verified)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="193"/>
        <source>审核人：</source>
        <translation>Reviewer:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="213"/>
        <source>审核包的名册中没有可做{stage}的人员，不能在此签名</source>
        <translation>Nobody in the package’s roster may do {stage}; decisions cannot be signed here</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="227"/>
        <source>上一份材料</source>
        <translation>Previous material</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="228"/>
        <source>下一份材料</source>
        <translation>Next material</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="231"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="232"/>
        <source>审核(&amp;R)</source>
        <translation>&amp;Review</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="262"/>
        <source>未决定</source>
        <translation>undecided</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="268"/>
        <source>已决定 {n}/{total} 份；未决定的材料不写入决定文件</source>
        <translation>Decided {n}/{total}; undecided materials are left out of the decisions file</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="284"/>
        <source>第 {n} 轮</source>
        <translation>round {n}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="285"/>
        <source>文号：{v}</source>
        <translation>Document no.: {v}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="286"/>
        <source>日期：{v}</source>
        <translation>Date: {v}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="287"/>
        <source>责任单位：{v}</source>
        <translation>Department: {v}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="288"/>
        <source>类型：{v}</source>
        <translation>Type: {v}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="289"/>
        <source>测评内容：{v}</source>
        <translation>Items: {v}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="290"/>
        <source>提交人：{v}</source>
        <translation>Submitted by: {v}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="291"/>
        <source>文件：{v}</source>
        <translation>Files: {v}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="297"/>
        <source>创新特色（加分）：{v}</source>
        <translation>Innovation / bonus: {v}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="297"/>
        <source>是</source>
        <translation>yes</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="299"/>
        <source>提交时缺项：{item} {name}：{missing}</source>
        <translation>Gaps at submission: {item} {name}: {missing}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="307"/>
        <source>✔ 第{round}轮 {stage} {verdict} · {who} · {at}</source>
        <translation>✔ round {round} {stage} {verdict} · {who} · {at}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="313"/>
        <source>意见：</source>
        <translation>Comment: </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="316"/>
        <source>（尚无审核记录）</source>
        <translation>(no decisions yet)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="329"/>
        <source>退回时必须写明原因</source>
        <translation>A return needs a reason</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="333"/>
        <source>已记下：{verdict}。签名并保存后才生效。</source>
        <translation>Noted: {verdict}. It takes effect once signed and saved.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="344"/>
        <source>已撤销这份材料的决定</source>
        <translation>Decision for this material undone</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="349"/>
        <source>解锁签名密钥</source>
        <translation>Unlock signing key</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="350"/>
        <source>{name} 的口令：</source>
        <translation>Passphrase of {name}:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="355"/>
        <source>保存决定文件</source>
        <translation>Save decisions file</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="356"/>
        <source>决定文件 (*.zicha-decisions.json)</source>
        <translation>Decisions files (*.zicha-decisions.json)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="383"/>
        <source>已签名 {n} 个决定并保存到 {path}。请把这个文件交回经办人，由其“应用审核决定”。</source>
        <translation>Signed {n} decisions and saved them to {path}. Give this file back to the clerk, who records it with “Apply review decisions”.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="389"/>
        <source>关闭审核包</source>
        <translation>Close review package</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="390"/>
        <source>还有没签名保存的决定，关闭后它们会丢失。仍然关闭？</source>
        <translation>Some decisions are not signed and saved yet; closing loses them. Close anyway?</translation>
    </message>
</context>
<context>
    <name>PeopleDialog</name>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="264"/>
        <source>人员与密钥</source>
        <translation>People and keys</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="276"/>
        <source>经办人</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="276"/>
        <source>初审</source>
        <translation>First reviewer</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="277"/>
        <source>复审</source>
        <translation>Second reviewer</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="277"/>
        <source>终审</source>
        <translation>Final reviewer</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="278"/>
        <source>管理员</source>
        <translation>Admin</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="282"/>
        <source>显示已停用的人员</source>
        <translation>Show deactivated people</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="291"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="291"/>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="291"/>
        <source>角色</source>
        <translation>Roles</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="292"/>
        <source>公钥</source>
        <translation>Public key</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="292"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="289"/>
        <source>添加人员…</source>
        <translation>Add person…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="290"/>
        <source>修改角色/部门…</source>
        <translation>Edit roles/department…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="294"/>
        <location filename="../../desktop/ui/people_dialog.py" line="520"/>
        <location filename="../../desktop/ui/people_dialog.py" line="597"/>
        <source>停用</source>
        <translation>Deactivate</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="295"/>
        <source>导入公钥…</source>
        <translation>Import public key…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="309"/>
        <source>创建我的密钥…</source>
        <translation>Create my key…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="310"/>
        <source>导出我的公钥…</source>
        <translation>Export my public key…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="313"/>
        <source>我的密钥</source>
        <translation>My key</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="325"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="344"/>
        <source>选择公钥文件</source>
        <translation>Choose a public key file</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="345"/>
        <source>公钥文件 (*.txt *.pub);;所有文件 (*)</source>
        <translation>Public key files (*.txt *.pub);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="349"/>
        <source>导出我的公钥</source>
        <translation>Export my public key</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="351"/>
        <source>公钥文件 (*.txt)</source>
        <translation>Public key files (*.txt)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="387"/>
        <location filename="../../desktop/ui/people_dialog.py" line="390"/>
        <location filename="../../desktop/ui/people_dialog.py" line="508"/>
        <location filename="../../desktop/ui/people_dialog.py" line="525"/>
        <location filename="../../desktop/ui/people_dialog.py" line="526"/>
        <source>正在读取…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="413"/>
        <source>已停用</source>
        <translation>Deactivated</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="413"/>
        <source>在岗</source>
        <translation>Active</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="434"/>
        <source>{role}（{department}）</source>
        <translation>{role} ({department})</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="457"/>
        <source>（未选择）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="460"/>
        <source>名册中还没有管理员：现在谁都可以修改名册。请先登记一名管理员，此后只有管理员可以修改。</source>
        <translation>The roster has no admin yet, so anyone may change it. Register an admin first; from then on only admins may change it.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="465"/>
        <source>你是管理员，可以修改名册。</source>
        <translation>You are an admin and may change the roster.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="466"/>
        <source>当前人员：{me}。{rule}</source>
        <translation>Current person: {me}. {rule}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="474"/>
        <source>未选择当前人员。可为自己创建密钥（填写姓名），再把公钥交给管理员登记。</source>
        <translation>No current person chosen. You can create a key for yourself (enter your name), then give the public key to an admin to register.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="488"/>
        <source>本机还没有 {name} 的签名密钥（密钥库：{folder}）。</source>
        <translation>This computer has no signing key for {name} yet (key store: {folder}).</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="493"/>
        <source>名册中还没有 {name}：请导出公钥交给管理员登记。</source>
        <translation>{name} is not in the roster yet: export the public key and give it to an admin to register.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="495"/>
        <source>与名册中的公钥一致。</source>
        <translation>It matches the public key in the roster.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="497"/>
        <source>与名册中的公钥不一致：用它签的审核意见会被拒绝；请把公钥交给管理员导入。</source>
        <translation>It does not match the public key in the roster: review decisions signed with it will be refused. Give the public key to an admin to import.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="499"/>
        <source>本机有 {name} 的签名密钥：{path}
公钥：{key}
{state}</source>
        <translation>This computer has the signing key of {name}: {path}
Public key: {key}
{state}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="509"/>
        <source>先在表中选择一个人员</source>
        <translation>Choose a person in the table first</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="510"/>
        <source>{name} 已停用；先恢复在岗</source>
        <translation>{name} is deactivated; reactivate first</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="512"/>
        <source>登记一名新人员及其公钥</source>
        <translation>Register a new person and their public key</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="513"/>
        <source>修改所选人员的部门和角色</source>
        <translation>Change the selected person’s department and roles</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="515"/>
        <source>用文件中的公钥替换所选人员的公钥（只限尚未签过审核意见的人）</source>
        <translation>Replace the selected person’s public key with one from a file (only for people who have not signed any review decision yet)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="517"/>
        <source>恢复在岗</source>
        <translation>Reactivate</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="518"/>
        <source>让所选人员重新可以提交和审核</source>
        <translation>Let the selected person submit and review again</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="522"/>
        <source>所选人员不能再提交和审核；已签的审核意见照常可核对</source>
        <translation>The selected person can no longer submit or review; decisions already signed can still be checked</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="530"/>
        <source>本机已有 {name} 的密钥，不会覆盖</source>
        <translation>This computer already has a key for {name}; it will not be overwritten</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="533"/>
        <source>在本机密钥库中创建签名密钥，用口令保护</source>
        <translation>Create a signing key in this computer’s key store, protected by a passphrase</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="534"/>
        <source>先选择当前人员或创建密钥</source>
        <translation>Choose the current person or create a key first</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="535"/>
        <source>本机还没有 {name} 的密钥；先创建</source>
        <translation>This computer has no key for {name} yet; create one first</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="537"/>
        <source>把公钥存成文件，交给管理员登记</source>
        <translation>Save the public key to a file to give to an admin to register</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="552"/>
        <source>添加人员</source>
        <translation>Add person</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="561"/>
        <source>至少勾选一个角色</source>
        <translation>Tick at least one role</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="563"/>
        <source>请粘贴 {name} 的公钥，或从文件导入</source>
        <translation>Paste the public key of {name}, or import it from a file</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="570"/>
        <source>已登记 {name}</source>
        <translation>{name} registered</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="576"/>
        <source>修改 {name} 的角色/部门</source>
        <translation>Edit roles/department of {name}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="585"/>
        <source>已修改 {name} 的角色和部门</source>
        <translation>Roles and department of {name} changed</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="595"/>
        <source>{name} 已恢复在岗</source>
        <translation>{name} reactivated</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="598"/>
        <source>停用 {name}？
{name} 仍留在名册中，已签的审核意见照常可以核对，但不能再提交、审核或处理问题。</source>
        <translation>Deactivate {name}?
{name} stays in the roster and their signed decisions can still be checked, but they can no longer submit, review or handle problems.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="605"/>
        <source>已停用 {name}</source>
        <translation>{name} deactivated</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="617"/>
        <source>导入公钥</source>
        <translation>Import public key</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="618"/>
        <source>文件中的公钥属于 {other}，不是 {name}。仍然导入吗？</source>
        <translation>The public key in the file belongs to {other}, not {name}. Import it anyway?</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="625"/>
        <source>已把 {name} 的公钥换成 {path} 中的公钥</source>
        <translation>The public key of {name} is now the one in {path}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="641"/>
        <source>已创建 {name} 的签名密钥，保存在 {path}</source>
        <translation>Created the signing key of {name}, saved in {path}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="648"/>
        <source>更换公钥</source>
        <translation>Replace public key</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="649"/>
        <source>名册中 {name} 的公钥与新密钥不同。现在把名册中的公钥换成新密钥的公钥吗？</source>
        <translation>The roster’s public key for {name} differs from the new key. Replace it with the new key’s public key now?</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="657"/>
        <source>；名册中的公钥已更换</source>
        <translation>; the roster’s public key was replaced</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="670"/>
        <source>{name}-公钥.txt</source>
        <translation>{name}-public-key.txt</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="679"/>
        <source>已把 {name} 的公钥写入 {path}；请交给管理员导入。</source>
        <translation>Wrote the public key of {name} to {path}; give it to an admin to import.</translation>
    </message>
</context>
<context>
    <name>PersonForm</name>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="146"/>
        <source>真实姓名，与其密钥的名字一致</source>
        <translation>Real name, the same as on their key</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="150"/>
        <source>选择或输入部门</source>
        <translation>Choose or type a department</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="151"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="152"/>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="158"/>
        <source>全部单位</source>
        <translation>All departments</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="159"/>
        <source>限定单位（可选）</source>
        <translation>Only for department (optional)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="166"/>
        <source>只对这个单位的材料有此角色；“全部单位”不限</source>
        <translation>The role covers only this department’s materials; “All departments” sets no limit</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="174"/>
        <source>角色</source>
        <translation>Roles</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="179"/>
        <source>粘贴 ed25519:… 公钥，或从文件导入</source>
        <translation>Paste an ed25519:… public key, or import one from a file</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="180"/>
        <source>从文件导入…</source>
        <translation>From file…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/people_dialog.py" line="186"/>
        <source>公钥</source>
        <translation>Public key</translation>
    </message>
</context>
<context>
    <name>PreviewWidget</name>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1183"/>
        <source>上一页 (PgUp)</source>
        <translation>Previous page (PgUp)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1184"/>
        <source>下一页 (PgDn)</source>
        <translation>Next page (PgDn)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1186"/>
        <source>缩小 (Ctrl+滚轮)</source>
        <translation>Zoom out (Ctrl+wheel)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1187"/>
        <source>放大 (Ctrl+滚轮)</source>
        <translation>Zoom in (Ctrl+wheel)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1188"/>
        <source>适合宽度</source>
        <translation>Fit width</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1188"/>
        <source>按窗口宽度显示</source>
        <translation>Fit the page to the pane width</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1189"/>
        <source>适合窗口</source>
        <translation>Fit page</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1189"/>
        <source>完整显示整页或整张图片</source>
        <translation>Show the whole page or picture</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1194"/>
        <source>标注红线</source>
        <translation>Red underline</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1195"/>
        <source>在选中文字的下方画一条红色直线（Ctrl+U）；先在页面上拖动鼠标选中文字。档案中的文件不会被改动，导出时另附一份标注副本</source>
        <translation>Draw a straight red line under the selected text (Ctrl+U); first drag over the text on the page. The archived file is not changed; the export adds a marked copy</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1197"/>
        <source>删除标注</source>
        <translation>Remove mark</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1198"/>
        <source>删除点选的红线标注</source>
        <translation>Remove the red underline clicked</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1199"/>
        <source>撤销标注</source>
        <translation>Undo mark</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1201"/>
        <source>撤销上一次标注或删除（Ctrl+Z）</source>
        <translation>Undo the last mark or removal (Ctrl+Z)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1202"/>
        <source>重做标注</source>
        <translation>Redo mark</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1204"/>
        <source>重做撤销的标注或删除</source>
        <translation>Redo the mark or removal undone</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1231"/>
        <source>打开…</source>
        <translation>Open…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1232"/>
        <source>用系统程序打开：用本机的播放器或程序打开这个文件（一份副本，档案中的文件不会被改动）</source>
        <translation>Open with the system program: opens a copy of this file in this computer&apos;s player or program (the archived file is never changed)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1265"/>
        <location filename="../../desktop/ui/preview.py" line="1338"/>
        <source>选择一份材料，在这里查看它的文件</source>
        <translation>Choose a material to view its files here</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1437"/>
        <source>先在页面上拖动鼠标选中要标注的文字</source>
        <translation>First drag over the text to mark on the page</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1457"/>
        <source>先点选要删除的红线标注</source>
        <translation>First click the red underline to remove</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1541"/>
        <source>审核中或已通过的材料，标注不能修改（共 {all} 处）</source>
        <translation>Marks of a material in review or approved cannot be changed ({all} in all)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1544"/>
        <source>已选中 {n} 字（Ctrl+U 标注）</source>
        <translation>{n} characters selected (Ctrl+U to mark)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1547"/>
        <source>本页 {page} 处标注，共 {all} 处</source>
        <translation>{page} marks on this page, {all} in all</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1550"/>
        <source>拖动鼠标选中文字</source>
        <translation>Drag to select text</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1553"/>
        <source>撤销：</source>
        <translation>Undo: </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1555"/>
        <source>重做：</source>
        <translation>Redo: </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1700"/>
        <source>正在显示…</source>
        <translation>Rendering…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1709"/>
        <source>这个文件的类型无法识别，不能在这里预览；可以点“打开…”用系统程序查看。</source>
        <translation>This file&apos;s type is not recognised and cannot be previewed here; click &quot;Open…&quot; to view it with a system program.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1714"/>
        <source>正在读取…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1735"/>
        <source>无法读取：</source>
        <translation>Cannot read: </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1768"/>
        <source>（这个文件没有可显示的文字）</source>
        <translation>(this file has no text to show)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1773"/>
        <source>[图片]</source>
        <translation>[picture]</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1774"/>
        <source>……文档较长，这里只显示前 {n} 字</source>
        <translation>… a long document: only the first {n} characters are shown here</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1896"/>
        <source>（隐藏）</source>
        <translation> (hidden)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1903"/>
        <source>（这个工作簿没有工作表）</source>
        <translation>(this workbook has no sheets)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1924"/>
        <source>这张表有 {total} 行，这里只显示前 {shown} 行</source>
        <translation>Showing the first {shown} of {total} rows</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1927"/>
        <source>这张表较大，这里只显示前 {shown} 行</source>
        <translation>A large sheet: showing the first {shown} rows</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1930"/>
        <source>只显示前 {shown} 列</source>
        <translation>Showing only the first {shown} columns</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1933"/>
        <source>{notes}；完整内容请用 Excel 或 WPS 打开原文件。</source>
        <translation>{notes}. Open the original file in Excel or WPS to see all of it.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="1934"/>
        <source>，</source>
        <translation>. </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="2030"/>
        <source>无法显示这个文件：</source>
        <translation>Cannot show this file: </translation>
    </message>
</context>
<context>
    <name>RequirementsDialog</name>
    <message>
        <location filename="../../desktop/ui/checklist_panel.py" line="180"/>
        <source>材料要求 — {code} {name}</source>
        <translation>Material requirements — {code} {name}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/checklist_panel.py" line="182"/>
        <source>按任务清单的写法写明要提供的材料及数量，如“工作方案1份；实景图片5张以上，注明时间、地点、人物、主题、背景、事由；情况说明300字”。保存后代替任务清单中的材料要求；认不出的部分作为备注，不检查。</source>
        <translation>Write the material to provide and how much, the way a task list does, e.g. “工作方案1份；实景图片5张以上，注明时间、地点、人物、主题、背景、事由；情况说明300字”. Once saved it replaces the task list&apos;s requirements; what is not recognised is kept as a note and not checked.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/checklist_panel.py" line="193"/>
        <source>现为管理员 {who} 设定</source>
        <translation>Now set by the administrator {who}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/checklist_panel.py" line="195"/>
        <source>现按{source}</source>
        <translation>Now from {source}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/checklist_panel.py" line="196"/>
        <source>任务清单的材料要求</source>
        <translation>the task list&apos;s material requirements</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/checklist_panel.py" line="197"/>
        <source>测评标准</source>
        <translation>the assessment criterion</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/checklist_panel.py" line="198"/>
        <source>（无要求）</source>
        <translation>(no requirements)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/checklist_panel.py" line="202"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/checklist_panel.py" line="203"/>
        <source>恢复任务清单的要求</source>
        <translation>Back to the task list&apos;s requirements</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/checklist_panel.py" line="205"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/checklist_panel.py" line="227"/>
        <source>已更新 {code} 的材料要求</source>
        <translation>Updated the material requirements of {code}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/checklist_panel.py" line="231"/>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/checklist_panel.py" line="232"/>
        <source>材料要求</source>
        <translation>Material requirements</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/checklist_panel.py" line="240"/>
        <source>已保存：{n} 项要求，{m} 条备注</source>
        <translation>Saved: {n} requirements, {m} notes</translation>
    </message>
</context>
<context>
    <name>ReviewPanel</name>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="92"/>
        <source>审核意见（退回时必填）</source>
        <translation>Comment (required to return)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="94"/>
        <source>提交初审</source>
        <translation>Submit for first review</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="95"/>
        <source>通过并签名</source>
        <translation>Approve and sign</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="96"/>
        <source>退回并签名</source>
        <translation>Return and sign</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="115"/>
        <source>审核记录（每条都验证签名）</source>
        <translation>Review history (every signature verified)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="158"/>
        <source>未选择材料</source>
        <translation>No material selected</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="164"/>
        <source>等待{stage}</source>
        <translation>Awaiting {stage}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="188"/>
        <source>提交时缺项：{gaps}</source>
        <translation>Gaps at submission: {gaps}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="195"/>
        <source>⚠ 与签名不符：{reason}。这份材料不会作为审核通过的材料导出。</source>
        <translation>⚠ Differs from what was signed: {reason}. This material will not be exported as approved.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="206"/>
        <source>在工具栏选择“当前人员”后才能提交或审核</source>
        <translation>Choose the current person in the toolbar to submit or review</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="208"/>
        <source>不能审核：{why}</source>
        <translation>Cannot review: {why}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="210"/>
        <source>不能提交：{why}</source>
        <translation>Cannot submit: {why}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="215"/>
        <source>{mark} 第{round}轮 {stage} {verdict} · {who} · {at}</source>
        <translation>{mark} round {round} {stage} {verdict} · {who} · {at}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="219"/>
        <source>意见：</source>
        <translation>Comment: </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="234"/>
        <source>解锁签名密钥</source>
        <translation>Unlock signing key</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="235"/>
        <source>{name} 的口令：</source>
        <translation>Passphrase of {name}:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="241"/>
        <source>重新提交</source>
        <translation>Resubmit</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="242"/>
        <source>这份材料退回后还没有修改过。
退回理由：{reason}

仍然原样重新提交吗？</source>
        <translation>This material has not been changed since it was returned.
Reason for return: {reason}

Resubmit it unchanged?</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="243"/>
        <source>（无）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="255"/>
        <source>已提交初审</source>
        <translation>Submitted for first review</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="264"/>
        <source>退回时必须写明原因</source>
        <translation>Say why when returning a material</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="276"/>
        <source>已签名并记录</source>
        <translation>Signed and recorded</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="278"/>
        <source>正在签名…</source>
        <translation>Signing…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="279"/>
        <source>审核</source>
        <translation>Review</translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <location filename="../../desktop/ui/search_panel.py" line="68"/>
        <source>红线标注（第 {n} 页）：</source>
        <translation>Red underline (page {n}): </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/search_panel.py" line="175"/>
        <location filename="../../desktop/ui/search_panel.py" line="283"/>
        <source>起始日期</source>
        <translation>From date</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/search_panel.py" line="175"/>
        <location filename="../../desktop/ui/search_panel.py" line="284"/>
        <source>截止日期</source>
        <translation>To date</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/search_panel.py" line="180"/>
        <source>全部类型</source>
        <translation>All types</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/search_panel.py" line="183"/>
        <source>全部状态</source>
        <translation>All states</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/search_panel.py" line="231"/>
        <source>全部责任单位</source>
        <translation>All departments</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/search_panel.py" line="247"/>
        <source>整个档案</source>
        <translation>Whole archive</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/search_panel.py" line="249"/>
        <source>仅 {label}</source>
        <translation>Only {label}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/search_panel.py" line="276"/>
        <source>{name} {value} 不是日期，请写成 2024-06-30</source>
        <translation>{name} {value} is not a date; write it as 2024-06-30</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/search_panel.py" line="318"/>
        <source>，显示前 {n} 条</source>
        <translation>, showing the first {n}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/search_panel.py" line="321"/>
        <source>共 {total} 份材料{more}（{ms} 毫秒）</source>
        <translation>{total} materials{more} ({ms} ms)</translation>
    </message>
</context>
<context>
    <name>SendTransferDialog</name>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="168"/>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="406"/>
        <source>报送到创文办</source>
        <translation>Report to the city office</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="180"/>
        <source>如 1b4e28ba-2fa1-4d2e-883f-0016d3cca427</source>
        <translation>e.g. 1b4e28ba-2fa1-4d2e-883f-0016d3cca427</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="187"/>
        <source>只报送上次报送以来新增或改动的内容</source>
        <translation>Only what is new or changed since the last package</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="188"/>
        <source>报送全部内容（对方要求重新报送时）</source>
        <translation>Everything (when the city asks for a full package again)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="197"/>
        <source>选择…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="210"/>
        <source>市创文办档案编号</source>
        <translation>City office&apos;s archive id</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="212"/>
        <source>报送人</source>
        <translation>Sender</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="213"/>
        <source>报送内容</source>
        <translation>Contents</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="215"/>
        <source>报送包保存到</source>
        <translation>Save package to</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="352"/>
        <source>报送包由报送人的密钥签名；发出前会询问其口令。</source>
        <translation>The package is signed with the sender&apos;s key; the passphrase is asked before it is written.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="226"/>
        <source>生成报送包</source>
        <translation>Write package</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="221"/>
        <source>正在读取…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="229"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="276"/>
        <source>保存报送包</source>
        <translation>Save package</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="277"/>
        <source>报送包 (*.zip)</source>
        <translation>Packages (*.zip)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="292"/>
        <source>向市创文办索取其档案编号（市创文办在“报送包收件箱”顶部可看到并复制）。</source>
        <translation>Ask the city office for its archive id (it is shown, with a copy button, at the top of its package inbox).</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="296"/>
        <source>“{text}”不是档案编号：档案编号是 36 位的 UUID，如 1b4e28ba-2fa1-4d2e-883f-0016d3cca427。请向市创文办核对后重新填写。</source>
        <translation>&quot;{text}&quot; is not an archive id: an archive id is a 36-character UUID such as 1b4e28ba-2fa1-4d2e-883f-0016d3cca427. Check it with the city office and enter it again.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="301"/>
        <source>这是本档案自己的编号；请填写市创文办档案的编号。</source>
        <translation>This is this archive&apos;s own id; enter the city office archive&apos;s id.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="358"/>
        <source>还没有向这个档案报送过：将报送全部内容。</source>
        <translation>Nothing has been sent to this archive yet: everything will be sent.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="365"/>
        <source>上次报送：{department} 第 {seq} 号，{at}，{by}，材料 {n} 份。</source>
        <translation>Last package: {department} no. {seq}, {at}, by {by}, {n} materials.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="404"/>
        <source>正在检查要报送的内容…</source>
        <translation>Checking what to send…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="410"/>
        <source>没有输入口令，未生成报送包。</source>
        <translation>No passphrase entered; no package written.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="408"/>
        <source>已写出报送包 {path}</source>
        <translation>Package written: {path}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="407"/>
        <source>正在签名并写出报送包…</source>
        <translation>Signing and writing the package…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="417"/>
        <source>{n} 份材料</source>
        <translation>{n} materials</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="419"/>
        <source>{n} 份材料已删除</source>
        <translation>{n} materials deleted</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="421"/>
        <source>{n} 项任务进度</source>
        <translation>{n} task updates</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="423"/>
        <source>{n} 个整改情况</source>
        <translation>{n} rectification updates</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="424"/>
        <source>{n} 个文件</source>
        <translation>{n} files</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="426"/>
        <source>已写出报送包 {path}
{department} 第 {seq} 号：{what}，报送包共 {size}。
请把这个文件交给市创文办，由其在“报送包收件箱”中应用。</source>
        <translation>Package written: {path}
{department} no. {seq}: {what}, {size} in all.
Give this file to the city office, which applies it in its package inbox.</translation>
    </message>
</context>
<context>
    <name>State</name>
    <message>
        <location filename="../../desktop/ui/models.py" line="44"/>
        <source>草稿</source>
        <translation>Draft</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="45"/>
        <source>待初审</source>
        <translation>Awaiting first review</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="46"/>
        <source>待复审</source>
        <translation>Awaiting second review</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="47"/>
        <source>待终审</source>
        <translation>Awaiting final review</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="48"/>
        <source>已终审</source>
        <translation>Final approved</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="49"/>
        <source>已退回</source>
        <translation>Returned</translation>
    </message>
</context>
<context>
    <name>SystemsDialog</name>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="117"/>
        <location filename="../../desktop/ui/systems_dialog.py" line="412"/>
        <source>测评体系</source>
        <translation>Indicator system</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="126"/>
        <source>同创同测的测评体系（如未成年人思想道德建设、文明村镇）与文明城市测评体系一起归档，各有编号前缀（W01、W01.02 …）和权重。测评项目可以从本单位写的测评体系文件导入，也可以逐个添加，或在导入任务清单时新建。</source>
        <translation>Systems evaluated with the city (such as minors&apos; moral development or civilised villages and towns) are filed beside the civilised-city system, each with its own code prefix (W01, W01.02 …) and weight. Their categories come from a system file the bureau writes, are added one by one, or are created when a task list is imported.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="134"/>
        <location filename="../../desktop/ui/systems_dialog.py" line="342"/>
        <location filename="../../desktop/ui/systems_dialog.py" line="383"/>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="134"/>
        <location filename="../../desktop/ui/systems_dialog.py" line="312"/>
        <location filename="../../desktop/ui/systems_dialog.py" line="343"/>
        <location filename="../../desktop/ui/systems_dialog.py" line="384"/>
        <source>编号前缀</source>
        <translation>Code prefix</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="134"/>
        <location filename="../../desktop/ui/systems_dialog.py" line="313"/>
        <location filename="../../desktop/ui/systems_dialog.py" line="345"/>
        <location filename="../../desktop/ui/systems_dialog.py" line="385"/>
        <source>权重</source>
        <translation>Weight</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="135"/>
        <source>测评项目</source>
        <translation>Categories</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="135"/>
        <source>测评内容</source>
        <translation>Items</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="135"/>
        <source>材料</source>
        <translation>Materials</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="131"/>
        <source>从文件添加…</source>
        <translation>Add from file…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="132"/>
        <source>新建…</source>
        <translation>New…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="133"/>
        <source>修改名称/权重…</source>
        <translation>Name/weight…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="137"/>
        <source>添加测评项目…</source>
        <translation>Add category…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="138"/>
        <source>删除…</source>
        <translation>Remove…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="154"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="174"/>
        <source>选择测评体系文件</source>
        <translation>Choose an indicator system file</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="175"/>
        <source>测评体系文件 (*.yaml *.yml);;所有文件 (*)</source>
        <translation>Indicator system files (*.yaml *.yml);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="227"/>
        <location filename="../../desktop/ui/systems_dialog.py" line="384"/>
        <source>（无）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="242"/>
        <source>主测评体系，随档案提供；测评项目来自测评体系文件</source>
        <translation>Main indicator system, comes with the archive; its categories come from the system file</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="243"/>
        <source>本单位从测评体系文件添加</source>
        <translation>Added by the bureau from a system file</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="244"/>
        <source>本单位新建；测评项目由本单位添加</source>
        <translation>Created by the bureau; its categories are added by the bureau</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="270"/>
        <source>正在保存上一项修改…</source>
        <translation>Saving the previous change…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="271"/>
        <source>先在表中选择一个测评体系</source>
        <translation>Select an indicator system in the table first</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="272"/>
        <source>“{name}”是主测评体系：测评项目来自测评体系文件，不能添加或删除</source>
        <translation>&quot;{name}&quot; is the main indicator system: its categories come from the system file and cannot be added or removed</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="276"/>
        <source>添加本单位写的测评体系文件（YAML），连同其测评项目和测评内容</source>
        <translation>Add an indicator system file (YAML) written by the bureau, with its categories and items</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="278"/>
        <source>新建一个空的测评体系，再逐个添加测评项目或从任务清单新建</source>
        <translation>Create an empty indicator system, then add categories one by one or create them from a task list</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="280"/>
        <source>修改所选测评体系的权重（本单位添加的还可改名）</source>
        <translation>Change the selected system&apos;s weight (and the name of one the bureau added)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="281"/>
        <source>为所选测评体系添加一个测评项目</source>
        <translation>Add a category to the selected indicator system</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="283"/>
        <source>删除所选测评体系（只限还没有材料、任务和任务清单的）</source>
        <translation>Remove the selected indicator system (only while it has no material, tasks or task lists)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="306"/>
        <source>从文件添加测评体系</source>
        <translation>Add an indicator system from a file</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="309"/>
        <source>留空则用文件中写的 prefix，如 W</source>
        <translation>Leave empty to use the prefix written in the file, e.g. W</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="310"/>
        <source>按文件</source>
        <translation>As in the file</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="311"/>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="324"/>
        <source>已添加测评体系“{name}”（编号前缀 {prefix}）：测评项目 {categories} 个，测评内容 {items} 项</source>
        <translation>Added indicator system &quot;{name}&quot; (code prefix {prefix}): {categories} categories, {items} items</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="335"/>
        <source>新建测评体系</source>
        <translation>New indicator system</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="337"/>
        <source>如 全国未成年人思想道德建设工作测评体系</source>
        <translation>e.g. the national minors&apos; moral development evaluation system</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="338"/>
        <source>1 到 3 个大写字母，如 W</source>
        <translation>1 to 3 capital letters, e.g. W</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="340"/>
        <source>可不填，如 2023</source>
        <translation>optional, e.g. 2023</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="341"/>
        <location filename="../../desktop/ui/systems_dialog.py" line="382"/>
        <source>不计权重</source>
        <translation>no weight</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="344"/>
        <source>版本（年）</source>
        <translation>Edition (year)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="346"/>
        <source>编号将带上前缀：测评项目 W01、W02 …，测评内容 W01.01 …</source>
        <translation>Codes will carry the prefix: categories W01, W02 …, items W01.01 …</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="355"/>
        <source>请填写测评体系的名称</source>
        <translation>Enter the name of the indicator system</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="357"/>
        <source>请填写编号前缀：1 到 3 个大写字母，如 W</source>
        <translation>Enter a code prefix: 1 to 3 capital letters, e.g. W</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="364"/>
        <source>已新建测评体系“{name}”（编号前缀 {prefix}）；请为它添加测评项目</source>
        <translation>Created indicator system &quot;{name}&quot; (code prefix {prefix}); now add its categories</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="377"/>
        <source>修改测评体系</source>
        <translation>Edit indicator system</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="381"/>
        <source>主测评体系的名称来自测评体系文件，不能修改</source>
        <translation>The main indicator system&apos;s name comes from its system file and cannot be changed</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="392"/>
        <source>测评体系的名称不能为空</source>
        <translation>The name of an indicator system cannot be empty</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="397"/>
        <source>“{name}”没有改动</source>
        <translation>Nothing changed in &quot;{name}&quot;</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="399"/>
        <source>已修改测评体系“{name}”</source>
        <translation>Changed indicator system &quot;{name}&quot;</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="411"/>
        <source>添加测评项目</source>
        <translation>Add category</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="414"/>
        <source>如 思想道德教育</source>
        <translation>e.g. moral education</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="415"/>
        <source>测评项目名称</source>
        <translation>Category name</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="416"/>
        <source>编号自动顺延：{prefix}{n:02d}</source>
        <translation>Numbered next in line: {prefix}{n:02d}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="423"/>
        <source>请填写测评项目的名称</source>
        <translation>Enter the name of the category</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="427"/>
        <source>已添加测评项目 {code} {name}</source>
        <translation>Added category {code} {name}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="440"/>
        <location filename="../../desktop/ui/systems_dialog.py" line="464"/>
        <source>删除测评体系</source>
        <translation>Remove indicator system</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="441"/>
        <source>删除测评体系“{name}”及其 {categories} 个测评项目、{items} 项测评内容？
只有还没有材料、任务和任务清单的测评体系可以删除；审计日志会记录这次删除。</source>
        <translation>Remove indicator system &quot;{name}&quot; with its {categories} categories and {items} items?
Only a system without material, tasks or task lists can be removed; the audit log records the removal.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/systems_dialog.py" line="449"/>
        <source>已删除测评体系“{name}”</source>
        <translation>Removed indicator system &quot;{name}&quot;</translation>
    </message>
</context>
<context>
    <name>TaskImportDialog</name>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="70"/>
        <source>导入任务分解清单 — {name}</source>
        <translation>Import task list — {name}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="84"/>
        <location filename="../../desktop/ui/task_import.py" line="96"/>
        <source>行</source>
        <translation>Row</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="84"/>
        <location filename="../../desktop/ui/task_import.py" line="96"/>
        <source>测评项目</source>
        <translation>Category</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="84"/>
        <source>测评内容</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="84"/>
        <source>牵头单位</source>
        <translation>Lead</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="85"/>
        <source>配合单位</source>
        <translation>Supporting</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="85"/>
        <source>完成时限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="91"/>
        <source>导入到哪个清单；各清单的任务互不影响，也可以输入新的清单类别</source>
        <translation>The list to import into; each list keeps its own tasks. You may type a new kind of list</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="93"/>
        <source>清单的任务归入哪个测评体系；标题只对应这个测评体系的测评项目</source>
        <translation>The indicator system the list&apos;s tasks belong to; headings map to this system&apos;s categories only</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="96"/>
        <source>清单中的标题</source>
        <translation>Heading in the list</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="96"/>
        <source>依据</source>
        <translation>Why</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="105"/>
        <source>未选择的标题都新建为测评项目</source>
        <translation>Create every unmapped heading as a category</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="106"/>
        <source>把还没有选择测评项目的标题都作为所选测评体系的新测评项目</source>
        <translation>Make every heading without a category a new category of the chosen system</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="117"/>
        <source>预览</source>
        <translation>Preview</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="119"/>
        <source>测评项目对应</source>
        <translation>Headings → categories</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="126"/>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="133"/>
        <source>工作表</source>
        <translation>Sheet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="134"/>
        <source>清单</source>
        <translation>List</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="135"/>
        <source>测评体系</source>
        <translation>Indicator system</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="138"/>
        <source>各列对应（自动识别，可以改）：</source>
        <translation>Columns (recognised automatically; you can change them):</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="150"/>
        <source>正在读取…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="191"/>
        <source>（权重 {weight}）</source>
        <translation> (weight {weight})</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="283"/>
        <source>没有找到“{missing}”列，请在上面选择对应的列。</source>
        <translation>No “{missing}” column found; choose it above.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="303"/>
        <source>表头在第 {header} 行；{rows} 行任务，按单位共 {tasks} 项。</source>
        <translation>Header in row {header}; {rows} task rows, {tasks} tasks by department.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="308"/>
        <source>其中 {n} 个测评项目标题是清单自己的，请在“测评项目对应”中确认或选择它们对应的测评项目。</source>
        <translation>{n} of its headings are the list&apos;s own: confirm or choose their category under “Headings → categories”.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="315"/>
        <source>将跳过 {rows}：没有牵头单位或责任单位。</source>
        <translation>{rows} will be skipped: no lead or responsible department.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="334"/>
        <source>（请选择）</source>
        <translation>(choose)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="338"/>
        <source>新建测评项目</source>
        <translation>New category</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="350"/>
        <source>清单中的 {n} 个标题不是测评体系的测评项目名称：已按编号或共同的词给出建议，请逐一确认或改选；确认后随清单保存，再次导入修订的清单时不再询问。</source>
        <translation>{n} headings of the list are not category names of the indicator system: a category is proposed by number or shared words. Confirm or change each; the choice is saved with the list, and importing a revised list will not ask again.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="354"/>
        <source>每个标题都已对应测评项目（名称相同、写有编号，或上次导入时已确认）；如需改动可在此改选。</source>
        <translation>Every heading has a category (same name, a code written, or confirmed at an earlier import); you may change them here.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="357"/>
        <source>“{name}”是本单位添加的测评体系：标题也可以选“新建测评项目”，导入时以标题为名新建（编号 {prefix}01、{prefix}02 …顺延）。</source>
        <translation>&quot;{name}&quot; is a system the bureau added: a heading can also be mapped to &quot;New category&quot;, created on import with the heading as its name (numbered {prefix}01, {prefix}02 …).</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="368"/>
        <source>导入时新建测评项目“{name}”（{system}）</source>
        <translation>Creates category &quot;{name}&quot; ({system}) on import</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="397"/>
        <source>（无）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="421"/>
        <source>正在导入…</source>
        <translation>Importing…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="431"/>
        <source>新建测评内容 {items} 个，新建任务 {new} 项，更新 {changed} 项，未变 {same} 项。</source>
        <translation>{items} items and {new} tasks created, {changed} updated, {same} unchanged.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="437"/>
        <source>新建测评项目 {n} 个（{names}），</source>
        <translation>{n} new categories ({names}), </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="440"/>
        <source>跳过：</source>
        <translation>Skipped: </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="445"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>TaskStatus</name>
    <message>
        <location filename="../../desktop/ui/models.py" line="52"/>
        <source>已完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="53"/>
        <source>白</source>
        <translation>White</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="54"/>
        <source>黄</source>
        <translation>Yellow</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="55"/>
        <source>红</source>
        <translation>Red</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="56"/>
        <source>已销号</source>
        <translation>Closed</translation>
    </message>
</context>
<context>
    <name>TransferConflict</name>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="460"/>
        <source>本档案已审核，对方又改动</source>
        <translation>Reviewed here, then changed by the department</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="461"/>
        <source>对方已删除，本档案仍保留</source>
        <translation>Deleted by the department, kept here</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="462"/>
        <source>同一文件被两个单位归入不同测评内容</source>
        <translation>The same file filed by two departments under different items</translation>
    </message>
</context>
<context>
    <name>TransferField</name>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="466"/>
        <source>材料名称</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="467"/>
        <source>文号</source>
        <translation>Document number</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="468"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="469"/>
        <source>责任单位</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="470"/>
        <source>材料类型</source>
        <translation>Material type</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="471"/>
        <source>说明</source>
        <translation>Description</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="472"/>
        <source>图片说明</source>
        <translation>Photo caption</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="473"/>
        <source>创新特色</source>
        <translation>Innovation (bonus)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="474"/>
        <source>测评内容</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="475"/>
        <source>文件</source>
        <translation>Files</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="476"/>
        <source>审核状态</source>
        <translation>Review state</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="477"/>
        <source>审核轮次</source>
        <translation>Review round</translation>
    </message>
</context>
<context>
    <name>TransferInbox</name>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="549"/>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="702"/>
        <source>本档案编号：&lt;b&gt;{id}&lt;/b&gt;</source>
        <translation>This archive&apos;s id: &lt;b&gt;{id}&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="552"/>
        <source>复制编号</source>
        <translation>Copy id</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="554"/>
        <source>各责任单位报送时填写这个编号。</source>
        <translation>Departments enter this id when they report.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="584"/>
        <source>报送单位</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="563"/>
        <source>序号</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="503"/>
        <source>请先在主窗口选择当前人员（须为本档案的管理员）</source>
        <translation>Choose the current person in the main window first (an administrator of this archive)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="508"/>
        <source>{name} 不在本档案名册的在岗人员中</source>
        <translation>{name} is not among this archive&apos;s active people</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="511"/>
        <source>{name} 不是本档案的管理员；须由管理员处理</source>
        <translation>{name} is not an administrator of this archive; an administrator must settle it</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="536"/>
        <source>报送包或下发包收件箱</source>
        <translation>Report and dispatch package inbox</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="541"/>
        <source>正在检查当前人员…</source>
        <translation>Checking the current person…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="563"/>
        <source>应用时间</source>
        <translation>Applied at</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="563"/>
        <source>单位</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="563"/>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="564"/>
        <source>应用人</source>
        <translation>Applied by</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="564"/>
        <source>新增</source>
        <translation>Added</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="564"/>
        <source>更新</source>
        <translation>Updated</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="564"/>
        <source>未变</source>
        <translation>Unchanged</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="564"/>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="584"/>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="627"/>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="739"/>
        <source>冲突</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="565"/>
        <source>来源档案</source>
        <translation>From archive</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="565"/>
        <source>审核结果</source>
        <translation>Review results</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="568"/>
        <source>报送包 / 结果 / 材料</source>
        <translation>Package / outcome / material</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="568"/>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="585"/>
        <source>说明</source>
        <translation>Description</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="584"/>
        <source>编号</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="584"/>
        <source>材料</source>
        <translation>Material</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="585"/>
        <source>发现时间</source>
        <translation>Found at</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="626"/>
        <source>合并报告</source>
        <translation>Merge report</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="639"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="729"/>
        <source>（未加入）《{title}》</source>
        <translation>(not added) &quot;{title}&quot;</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="738"/>
        <source>冲突（{n}）</source>
        <translation>Conflicts ({n})</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="939"/>
        <source>正在验证并应用 {name}（{n}/{total}）…</source>
        <translation>Checking and applying {name} ({n}/{total})…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="958"/>
        <source>已应用{department}第 {seq} 号报送包</source>
        <translation>Applied package no. {seq} of {department}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="961"/>
        <source>应用报送包</source>
        <translation>Apply packages</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1020"/>
        <source>✘ {name}：未应用</source>
        <translation>✘ {name}: not applied</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1029"/>
        <source>✔ {name}：{department} 第 {seq} 号（{sender} 报送）</source>
        <translation>✔ {name}: {department} no. {seq} (sent by {sender})</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1032"/>
        <source>文件 {stored} 个存入、{linked} 个本档案已有</source>
        <translation>{stored} files stored, {linked} already here</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1035"/>
        <source>{n} 项任务进度</source>
        <translation>{n} task updates</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1037"/>
        <source>{n} 个整改情况</source>
        <translation>{n} rectification updates</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1039"/>
        <source>新建测评内容 {codes}</source>
        <translation>New items {codes}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1089"/>
        <source>（未加入）</source>
        <translation>(not added)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1083"/>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1091"/>
        <source>（本档案没有）</source>
        <translation>(not in this archive)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="550"/>
        <source>正在读取…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="591"/>
        <source>冲突中的材料保持本档案现有的样子，没有采用对方的改动（对方已删除的也没有删除）；对方的文件已存入本档案，处理时不必重新报送。选择一条冲突，再决定保留本档案的、采用对方的或两者都保留（由管理员处理，处理前会说明这样做的结果）。</source>
        <translation>A material in conflict stays as this archive has it: the other side&apos;s change was not taken (nor a deletion); its files are stored here, so settling needs no new package. Choose a conflict, then keep this archive&apos;s, take theirs, or keep both (an administrator settles it; what each does is said first).</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="596"/>
        <source>保留本档案的</source>
        <translation>Keep this archive&apos;s</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="597"/>
        <source>采用对方的</source>
        <translation>Take theirs</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="598"/>
        <source>两者都保留</source>
        <translation>Keep both</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="625"/>
        <source>已应用的报送包和下发包</source>
        <translation>Applied report and dispatch packages</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="631"/>
        <source>应用报送包或下发包：先检查签名、来源与每个文件的哈希，然后整包应用或整包不应用。</source>
        <translation>Apply report or dispatch packages: the signature, origin and every file hash are checked first, then the whole package is applied or none of it.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="635"/>
        <source>应用报送包或下发包…</source>
        <translation>Apply report or dispatch package…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="710"/>
        <source>（未采用 {n}）</source>
        <translation>({n} not taken)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="711"/>
        <source>下发包</source>
        <translation>Dispatch</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="714"/>
        <source>报送包</source>
        <translation>Report</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="765"/>
        <source>对方删除了这份材料，没有第二份材料可保留</source>
        <translation>The other side deleted this material: there is no second material to keep</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="767"/>
        <source>对方的材料没有加入本档案：两者都保留就等于采用对方的</source>
        <translation>The other side&apos;s material was not added here: keeping both is the same as taking theirs</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="773"/>
        <source>本档案以只读方式打开，不能处理冲突</source>
        <translation>This archive is open read-only; conflicts cannot be settled</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="777"/>
        <source>正在处理…</source>
        <translation>Settling…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="779"/>
        <source>先在上表中选择一条冲突</source>
        <translation>Choose a conflict in the table above first</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="790"/>
        <source>本档案的材料 #{id}，对方的版本《{title}》</source>
        <translation>this archive&apos;s material #{id}, their version 《{title}》</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="791"/>
        <source>对方的材料《{title}》（未加入本档案）</source>
        <translation>their material 《{title}》 (not added here)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="793"/>
        <source>&lt;b&gt;冲突 {id}&lt;/b&gt;（{department}，{kind}）：{material}</source>
        <translation>&lt;b&gt;Conflict {id}&lt;/b&gt; ({department}, {kind}): {material}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="811"/>
        <source>本档案继续保留材料 {m}（对方已删除它），不做改动。</source>
        <translation>This archive keeps material {m} (the other side deleted it) and changes nothing.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="812"/>
        <source>从本档案删除材料 {m}，与对方一致。只有草稿或已退回的材料可以删除；处于审核中的，请先由审核人退回。</source>
        <translation>Delete material {m} from this archive, as the other side did. Only a draft or returned material can be deleted; one under review must first be returned by a reviewer.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="817"/>
        <source>对方的材料 {t} 继续不加入本档案。</source>
        <translation>Their material {t} stays out of this archive.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="818"/>
        <source>把对方的材料 {t} 加入本档案，如同合并时加入一样（保留其来源、测评内容与审核记录），尽管它的文件与本档案另一份材料相同而归入不同的测评内容。</source>
        <translation>Add their material {t} to this archive as the merge would have (with its origin, items and review record), although its file is the same as another material here filed under other items.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="822"/>
        <source>本档案的材料 {m} 不变；对方的版本{t}另存为本档案的一份新材料（草稿，没有审核记录，使用本档案的编号），日后单独审核。</source>
        <translation>This archive&apos;s material {m} stays; their version {t} is saved as a new material here (a draft with no review record and this archive&apos;s number), to be reviewed on its own.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="826"/>
        <source>本档案的材料 {m} 及其审核记录不变，不采用对方这次的改动。</source>
        <translation>This archive&apos;s material {m} and its review record stay; their change is not taken.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="828"/>
        <source>把对方的版本{t}（材料信息、测评内容、文件、状态和对方的审核记录）应用到材料 {m}。本档案在两边审核记录分叉之后的审核记录从这份材料上撤下（完整保存在审计日志中，签名仍可验证）；改动后不再有效的审核通过作废。</source>
        <translation>Apply their version {t} (metadata, items, files, state and their review record) to material {m}. This archive&apos;s decisions after the point where the two records part are taken off the material (kept whole in the audit log, their signatures still verify); approvals the change leaves unbacked become void.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="834"/>
        <source>不采用对方对材料 {m} 的这次更新。</source>
        <translation>Do not take their update of material {m}.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="835"/>
        <source>采用对方对材料 {m} 的更新{t}（材料信息、测评内容、文件和审核记录），尽管它的文件与本档案另一份材料相同而归入不同的测评内容。</source>
        <translation>Take their update {t} of material {m} (metadata, items, files and review record), although its file is the same as another material here filed under other items.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="851"/>
        <source>处理报送冲突 {id}：{how}</source>
        <translation>Settle transfer conflict {id}: {how}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="852"/>
        <source>{what}

冲突：{kind}（{department}）
{reason}

处理后记入审计日志，不能再次处理。确定吗？</source>
        <translation>{what}

Conflict: {kind} ({department})
{reason}

This is recorded in the audit log and cannot be settled again. Go ahead?</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="873"/>
        <source>正在处理报送冲突 {id}（{how}）…</source>
        <translation>Settling transfer conflict {id} ({how})…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="874"/>
        <source>处理报送冲突</source>
        <translation>Settle transfer conflict</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="881"/>
        <source>；对方的版本另存为材料 #{id}（草稿）</source>
        <translation>; their version saved as material #{id} (draft)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="882"/>
        <source>；材料 #{id} 已加入本档案</source>
        <translation>; material #{id} added to this archive</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="884"/>
        <source>；材料 #{id} 已删除</source>
        <translation>; material #{id} deleted</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="886"/>
        <source>；改动了{fields}</source>
        <translation>; changed {fields}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="888"/>
        <source>已处理报送冲突 {id}（{kind}）：{what}</source>
        <translation>Transfer conflict {id} settled ({kind}): {what}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="908"/>
        <source>选择要应用的报送包或下发包</source>
        <translation>Choose report or dispatch packages to apply</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="909"/>
        <source>报送包或下发包 (*.zip);;所有文件 (*)</source>
        <translation>Report or dispatch packages (*.zip);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="951"/>
        <source>已应用{sender}第 {seq} 号下发包</source>
        <translation>Applied dispatch package No. {seq} of {sender}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="952"/>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1056"/>
        <source>创文办</source>
        <translation>the city office</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="985"/>
        <source>已应用 {good} 个报送包或下发包，{bad} 个被拒绝；冲突 {c} 个。</source>
        <translation>{good} report or dispatch packages applied, {bad} refused; {c} conflicts.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1055"/>
        <source>✔ {name}：{city} 第 {seq} 号下发包（{sender} 签发）</source>
        <translation>✔ {name}: dispatch package No. {seq} of {city} (signed by {sender})</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1058"/>
        <source>回执：创文办已应用本档案报送包至第 {n} 号</source>
        <translation>Receipt: the city office has applied this archive&apos;s report packages up to No. {n}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1059"/>
        <source>新任务 {n} 项</source>
        <translation>{n} new tasks</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1060"/>
        <source>任务更新 {n} 项</source>
        <translation>{n} tasks updated</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1061"/>
        <source>新问题 {n} 个</source>
        <translation>{n} new problems</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1062"/>
        <source>问题更新 {n} 个</source>
        <translation>{n} problems updated</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1066"/>
        <source>名册新增 {names}</source>
        <translation>added to the roster: {names}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1068"/>
        <source>审核结果（{n}）</source>
        <translation>Review results ({n})</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1079"/>
        <source>未采用（{n}）</source>
        <translation>Not taken ({n})</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1100"/>
        <source>改动：{fields}</source>
        <translation>Changed: {fields}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="1103"/>
        <source>新增 {n} 条审核记录</source>
        <translation>{n} new review decisions</translation>
    </message>
</context>
<context>
    <name>TransferOutcome</name>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="455"/>
        <source>新增</source>
        <translation>Added</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="456"/>
        <source>更新</source>
        <translation>Updated</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="457"/>
        <source>未变</source>
        <translation>Unchanged</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="458"/>
        <source>冲突</source>
        <translation>Conflicts</translation>
    </message>
</context>
<context>
    <name>TransferResolve</name>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="490"/>
        <source>保留本档案的</source>
        <translation>Keep this archive&apos;s</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="491"/>
        <source>采用对方的</source>
        <translation>Take theirs</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialogs.py" line="492"/>
        <source>两者都保留</source>
        <translation>Keep both</translation>
    </message>
</context>
<context>
    <name>Verdict</name>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="54"/>
        <source>通过</source>
        <translation>Approve</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="55"/>
        <source>退回</source>
        <translation>Return</translation>
    </message>
</context>
<context>
    <name>VerifyDialog</name>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="72"/>
        <source>档案检查</source>
        <translation>Archive check</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="80"/>
        <source>档案检查通过。</source>
        <translation>The archive checks clean.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="81"/>
        <source>档案检查发现问题，详见下方。</source>
        <translation>The check found problems, listed below.</translation>
    </message>
</context>
<context>
    <name>VerifyReportDialog</name>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="128"/>
        <source>四性检测报告</source>
        <translation>Four-property check report</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="129"/>
        <source>四性检测通过</source>
        <translation>Four-property check passed</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="130"/>
        <source>四性检测未通过</source>
        <translation>Four-property check failed</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="131"/>
        <source>{path}
{files} 个文件，{mb:.1f} MB · 报送单位：{bureau}{draft}</source>
        <translation>{path}
{files} files, {mb:.1f} MB · bureau: {bureau}{draft}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="134"/>
        <source> · 草稿导出</source>
        <translation> · draft export</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="137"/>
        <source>性质</source>
        <translation>Property</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="137"/>
        <source>编号</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="137"/>
        <source>检测项</source>
        <translation>Check</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="138"/>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="138"/>
        <source>说明</source>
        <translation>Details</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="141"/>
        <source>检查 {n} 项</source>
        <translation>{n} checked</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="143"/>
        <source>通过</source>
        <translation>Passed</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="143"/>
        <source>不通过</source>
        <translation>Failed</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="152"/>
        <source>另存为 DOCX…</source>
        <translation>Save as DOCX…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="167"/>
        <source>保存四性检测报告</source>
        <translation>Save the check report</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="169"/>
        <source>Word 文档 (*.docx)</source>
        <translation>Word documents (*.docx)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="181"/>
        <source>无法保存 {path}：{error}</source>
        <translation>Cannot save {path}: {error}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="183"/>
        <source>报告已保存到 {path}</source>
        <translation>Report saved to {path}</translation>
    </message>
</context>
</TS>
