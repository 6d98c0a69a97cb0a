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
    <name>ExportDialog</name>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="52"/>
        <source>导出网上申报材料</source>
        <translation>Export upload materials</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="63"/>
        <source>可用 {序号} {材料名称} {文号} {日期} {责任单位}；扩展名自动加上</source>
        <translation>Use {序号} {材料名称} {文号} {日期} {责任单位}; the extension is added</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="69"/>
        <source>测评日期</source>
        <translation>Evaluation date</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="79"/>
        <source>图片转为 A4 PDF 页（一页一张，居中，附时间、地点、人物、主题）</source>
        <translation>Photos become A4 PDF pages (one per page, centred, with time, place, people, subject)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="81"/>
        <source>DOCX 转为 PDF</source>
        <translation>Convert DOCX to PDF</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="85"/>
        <source>DOCX 转为 PDF（未安装 LibreOffice，保留 DOCX 原件）</source>
        <translation>Convert DOCX to PDF (LibreOffice not installed: DOCX kept as is)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="86"/>
        <source>每个测评内容另附一份带书签的合并 PDF</source>
        <translation>Also one merged PDF with bookmarks per item</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="88"/>
        <source>草稿导出：包含未终审的材料（导出包标明为草稿）</source>
        <translation>Draft export: include materials not final-approved (the export is marked as a draft)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="90"/>
        <source>一个 ZIP 文件</source>
        <translation>one ZIP file</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="91"/>
        <source>一个文件夹</source>
        <translation>one folder</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="96"/>
        <source>（日期不在 T−13 个月至 T−1 个月内的材料会被标出）</source>
        <translation>(materials dated outside T−13 months to T−1 month are flagged)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="98"/>
        <source>文件命名</source>
        <translation>File names</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="99"/>
        <source>每个文件上限</source>
        <translation>Limit per file</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="100"/>
        <source>测评时限</source>
        <translation>Evaluation window</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="105"/>
        <location filename="../../desktop/ui/export_dialog.py" line="108"/>
        <source>导出为</source>
        <translation>Export as</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="108"/>
        <source>测评内容 / 材料</source>
        <translation>Item / material</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="108"/>
        <source>提示</source>
        <translation>Notes</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="117"/>
        <source>导出…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="120"/>
        <source>取消导出</source>
        <translation>Cancel export</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="123"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="205"/>
        <source>（转为 PDF）</source>
        <translation> (to PDF)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="215"/>
        <source>{state}，不导出</source>
        <translation>{state}, not exported</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="224"/>
        <source>将导出 {n} 份材料、{f} 个文件；{missing} 个测评内容没有可导出的材料；{waiting} 份材料尚未终审；{flagged} 份有提示。</source>
        <translation>Will export {n} materials, {f} files; {missing} items have nothing to export; {waiting} materials are not final-approved yet; {flagged} have notes.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="230"/>
        <source>这是草稿导出，不能作为正式申报材料。</source>
        <translation>This is a draft export, not for the official upload.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="236"/>
        <source>缺材料</source>
        <translation>missing</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="236"/>
        <source>（{n} 份未终审）</source>
        <translation> ({n} not final-approved)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="238"/>
        <source>{n} 份</source>
        <translation>{n}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="240"/>
        <source>，另有 {n} 份未终审</source>
        <translation>, {n} more not final-approved</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="247"/>
        <source>导出到</source>
        <translation>Export to</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="248"/>
        <source>ZIP 文件 (*.zip)</source>
        <translation>ZIP files (*.zip)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="252"/>
        <source>导出到新文件夹</source>
        <translation>Export to a new folder</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="260"/>
        <source>申报材料</source>
        <translation>upload materials</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="267"/>
        <source>四性检测…</source>
        <translation>Four-property check…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="292"/>
        <source>正在导出到 {path}…</source>
        <translation>Exporting to {path}…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="299"/>
        <source>正在取消…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="317"/>
        <source>四性检测通过</source>
        <translation>Four-property check passed</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="317"/>
        <source>四性检测未通过</source>
        <translation>Four-property check failed</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="319"/>
        <source>已导出 {n} 份材料、{f} 个文件（{mb:.1f} MB）到 {path}；{verdict}。</source>
        <translation>Exported {n} materials, {f} files ({mb:.1f} MB) to {path}; {verdict}.</translation>
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
        <location filename="../../desktop/ui/models.py" line="54"/>
        <source>测评体系</source>
        <translation>Indicator system</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="54"/>
        <source>材料</source>
        <translation>Materials</translation>
    </message>
</context>
<context>
    <name>LedgerWindow</name>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="73"/>
        <source>任务台账</source>
        <translation>Task ledger</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="83"/>
        <source>导入任务清单…</source>
        <translation>Import task list…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="84"/>
        <source>导出台账 XLSX…</source>
        <translation>Export ledger XLSX…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="85"/>
        <source>生成周报 DOCX…</source>
        <translation>Weekly report DOCX…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="86"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="96"/>
        <location filename="../../desktop/ui/ledger_window.py" line="130"/>
        <location filename="../../desktop/ui/ledger_window.py" line="150"/>
        <source>测评内容</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="96"/>
        <location filename="../../desktop/ui/ledger_window.py" line="130"/>
        <location filename="../../desktop/ui/ledger_window.py" line="150"/>
        <source>责任单位</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="97"/>
        <location filename="../../desktop/ui/ledger_window.py" line="131"/>
        <source>完成时限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="97"/>
        <source>逾期天数</source>
        <translation>Days overdue</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="111"/>
        <source>已逾期（红）</source>
        <translation>Overdue (red)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="116"/>
        <source>全部状态</source>
        <translation>All states</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="121"/>
        <source>筛选：测评内容、单位…</source>
        <translation>Filter: item, department…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="126"/>
        <source>销号…</source>
        <translation>Close…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="130"/>
        <location filename="../../desktop/ui/ledger_window.py" line="150"/>
        <source>编号</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="130"/>
        <source>牵头/配合</source>
        <translation>Lead/support</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="131"/>
        <source>剩余天数</source>
        <translation>Days left</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="131"/>
        <source>材料</source>
        <translation>Materials</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="131"/>
        <source>终审</source>
        <translation>Final-approved</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="132"/>
        <location filename="../../desktop/ui/ledger_window.py" line="151"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="150"/>
        <source>问题</source>
        <translation>Problem</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="151"/>
        <source>整改时限</source>
        <translation>Rectify by</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="156"/>
        <source>看板</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="157"/>
        <source>任务</source>
        <translation>Tasks</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="158"/>
        <source>问题整改</source>
        <translation>Problems</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="202"/>
        <source>&lt;b&gt;截至 {today}：共 {total} 项任务，完成 {done} 项（{pct:.0f}%）&lt;/b&gt;</source>
        <translation>&lt;b&gt;As of {today}: {total} tasks, {done} done ({pct:.0f}%)&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="223"/>
        <source>全部单位</source>
        <translation>All departments</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="247"/>
        <source>完成 {done}/{total}；红 {red}，黄 {yellow}，白 {white}</source>
        <translation>Done {done}/{total}; {red} red, {yellow} yellow, {white} white</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="290"/>
        <source>（逾期）</source>
        <translation> (overdue)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="300"/>
        <source>选择任务分解清单</source>
        <translation>Choose a task list</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="301"/>
        <source>Excel 工作簿 (*.xlsx);;所有文件 (*)</source>
        <translation>Excel workbooks (*.xlsx);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="318"/>
        <source>导出台账</source>
        <translation>Export ledger</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="319"/>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbooks (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="322"/>
        <source>生成周报</source>
        <translation>Weekly report</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="323"/>
        <source>Word 文档 (*.docx)</source>
        <translation>Word documents (*.docx)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="334"/>
        <source>无法写入 {path}：{error}</source>
        <translation>Cannot write {path}: {error}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="336"/>
        <source>已写入 {path}</source>
        <translation>Written to {path}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="340"/>
        <location filename="../../desktop/ui/ledger_window.py" line="351"/>
        <location filename="../../desktop/ui/ledger_window.py" line="360"/>
        <source>销号</source>
        <translation>Close task</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="340"/>
        <source>{item} / {department}
销号理由：</source>
        <translation>{item} / {department}
Reason for closing:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="352"/>
        <source>请先在主窗口选择当前人员（管理员）</source>
        <translation>Choose the current person (an admin) in the main window first</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_window.py" line="362"/>
        <source>任务 {id} 已销号</source>
        <translation>Task {id} closed</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="147"/>
        <source>筛选：材料名称、文号、责任单位、类型…</source>
        <translation>Filter: title, document number, department, type…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="159"/>
        <location filename="../../desktop/ui/main_window.py" line="277"/>
        <source>导入文件…</source>
        <translation>Import files…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="161"/>
        <location filename="../../desktop/ui/main_window.py" line="276"/>
        <source>打开示例档案</source>
        <translation>Open sample archive</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="163"/>
        <location filename="../../desktop/ui/main_window.py" line="274"/>
        <source>打开档案…</source>
        <translation>Open archive…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="187"/>
        <source>全部状态</source>
        <translation>All states</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="191"/>
        <source>我的待办</source>
        <translation>My queue</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="192"/>
        <source>只显示等待当前人员审核、提交或修改的材料</source>
        <translation>Only materials waiting for the current person to review, submit or fix</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="210"/>
        <source>信息</source>
        <translation>Details</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="211"/>
        <source>审核</source>
        <translation>Review</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="231"/>
        <source>查看任务台账</source>
        <translation>Open the task ledger</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="272"/>
        <source>新建档案…</source>
        <translation>New archive…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="278"/>
        <source>导入文件夹…</source>
        <translation>Import folder…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="280"/>
        <source>检查档案</source>
        <translation>Check archive</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="281"/>
        <source>导出申报材料…</source>
        <translation>Export upload materials…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="282"/>
        <source>任务台账…</source>
        <translation>Task ledger…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="283"/>
        <source>导入任务分解清单…</source>
        <translation>Import task list…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="284"/>
        <source>检查导出包（四性检测）…</source>
        <translation>Check an export (four-property check)…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="286"/>
        <source>删除材料…</source>
        <translation>Delete material…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="291"/>
        <source>导出审核包…</source>
        <translation>Export review package…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="292"/>
        <source>打开审核包（审核人）…</source>
        <translation>Open review package (reviewer)…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="294"/>
        <source>应用审核决定…</source>
        <translation>Apply review decisions…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="296"/>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="297"/>
        <location filename="../../desktop/ui/main_window.py" line="1010"/>
        <source>关于 Zicha</source>
        <translation>About Zicha</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="299"/>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="312"/>
        <source>任务(&amp;T)</source>
        <translation>&amp;Tasks</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="315"/>
        <source>审核(&amp;R)</source>
        <translation>&amp;Review</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="320"/>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="323"/>
        <source>工具栏</source>
        <translation>Toolbar</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="330"/>
        <source>当前人员：</source>
        <translation>Current person:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="339"/>
        <source>搜索全文：词语、&quot;短语&quot;、OR、-排除（Ctrl+F）</source>
        <translation>Search the text: words, &quot;phrases&quot;, OR, -exclude (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="357"/>
        <source>无法打开档案</source>
        <translation>Cannot open archive</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="413"/>
        <source>未打开档案</source>
        <translation>No archive open</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="417"/>
        <source>打开档案文件夹</source>
        <translation>Open archive folder</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="423"/>
        <source>为新档案选择一个空文件夹</source>
        <translation>Choose an empty folder for the new archive</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="445"/>
        <source>正在生成示例档案…</source>
        <translation>Building the sample archive…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="462"/>
        <source>正在检查档案…</source>
        <translation>Checking the archive…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="519"/>
        <source>任务 {total} 项：完成 {done}，红 {red}，黄 {yellow}，白 {white}</source>
        <translation>Tasks {total}: {done} done, {red} red, {yellow} yellow, {white} white</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="541"/>
        <source>{department}：{late} 项任务已逾期，{soon} 项本周到期。</source>
        <translation>{department}: {late} tasks overdue, {soon} due this week.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="549"/>
        <source>选择导出包（ZIP，或导出文件夹中的 bagit.txt）</source>
        <translation>Choose an export (a ZIP, or bagit.txt in an export folder)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="550"/>
        <source>导出包 (*.zip bagit.txt)</source>
        <translation>Exports (*.zip bagit.txt)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="562"/>
        <source>正在做四性检测…</source>
        <translation>Running the four-property check…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="570"/>
        <source>选择要导入的文件</source>
        <translation>Choose files to import</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="571"/>
        <source>材料 (*.pdf *.docx *.xlsx *.jpg *.jpeg *.png *.tif *.tiff *.txt)</source>
        <translation>Evidence (*.pdf *.docx *.xlsx *.jpg *.jpeg *.png *.tif *.tiff *.txt)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="572"/>
        <source>所有文件 (*)</source>
        <translation>All files (*)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="579"/>
        <source>选择要导入的文件夹</source>
        <translation>Choose a folder to import</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="587"/>
        <source>请先选择测评内容</source>
        <translation>Choose an item first</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="588"/>
        <source>请先在左侧选择材料要归入的测评内容（或测评项目）。</source>
        <translation>First choose, on the left, the item (or category) to file the material under.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="616"/>
        <source>正在导入到 {code}…</source>
        <translation>Importing into {code}…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="626"/>
        <source>导入 {n} 个文件：保存 {s}，重复 {d}，拒绝 {r}</source>
        <translation>Imported {n} files: {s} saved, {d} duplicate, {r} refused</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="638"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="743"/>
        <source>全部材料</source>
        <translation>All materials</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="752"/>
        <source>没有打开档案。新建一个档案，或打开已有档案、示例档案。</source>
        <translation>No archive is open. Create a new archive, or open an existing one or the sample archive.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="755"/>
        <source>档案里还没有材料。</source>
        <translation>This archive has no material yet.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="756"/>
        <source>在左侧选择测评项目或测评内容，然后把文件或文件夹拖到它上面即可导入；</source>
        <translation>Choose a category or item on the left and drop files or folders on it to import them;</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="757"/>
        <source>也可以先打开示例档案看看。</source>
        <translation>or open the sample archive to look around first.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="762"/>
        <source>“{name}”下还没有材料。</source>
        <translation>Nothing is filed under “{name}” yet.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="763"/>
        <source>把文件或文件夹拖到这里或左侧的条目上即可导入。</source>
        <translation>Drop files or folders here or on an entry on the left to import them.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="768"/>
        <source>搜索结果</source>
        <translation>Search results</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="795"/>
        <source>{stage}（{n} 份待审）</source>
        <translation>{stage} ({n} waiting)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="797"/>
        <location filename="../../desktop/ui/main_window.py" line="830"/>
        <source>导出审核包</source>
        <translation>Export review package</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="798"/>
        <source>导出哪一级审核的待审材料：</source>
        <translation>Export the materials waiting for which stage:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="802"/>
        <source>保存审核包</source>
        <translation>Save review package</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="803"/>
        <source>审核包 (*.zicha-review.zip)</source>
        <translation>Review packages (*.zicha-review.zip)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="829"/>
        <source>审核包已保存到 {path}</source>
        <translation>Review package saved to {path}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="831"/>
        <source>已导出 {n} 份待{stage}材料（{files} 个文件，{mb:.1f} MB）到
{path}

把这个文件交给审核人；审核人签名后交回的决定文件用“应用审核决定”记入档案。</source>
        <translation>Exported {n} materials waiting for {stage} ({files} files, {mb:.1f} MB) to
{path}

Give this file to the reviewer; record the signed decisions file they bring back with “Apply review decisions”.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="836"/>
        <source>正在导出审核包…</source>
        <translation>Exporting the review package…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="841"/>
        <source>打开审核包</source>
        <translation>Open review package</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="841"/>
        <source>审核包 (*.zip)</source>
        <translation>Review packages (*.zip)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="854"/>
        <source>正在检查审核包…</source>
        <translation>Checking the review package…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="861"/>
        <source>应用审核决定</source>
        <translation>Apply review decisions</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="862"/>
        <source>决定文件 (*.json);;所有文件 (*)</source>
        <translation>Decisions files (*.json);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="876"/>
        <source>已应用 {n} 个审核决定</source>
        <translation>Applied {n} review decisions</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="881"/>
        <source>正在验证并应用审核决定…</source>
        <translation>Verifying and applying review decisions…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="894"/>
        <source>（未选择）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="920"/>
        <source>已记录</source>
        <translation>Recorded</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="928"/>
        <source>删除材料</source>
        <translation>Delete material</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="929"/>
        <source>删除材料 #{id}《{title}》？
文件仍保留在档案中，审计日志会记录这次删除。</source>
        <translation>Delete material #{id} “{title}”?
Its files stay in the archive and the audit log records the deletion.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="936"/>
        <source>无法删除</source>
        <translation>Cannot delete</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="945"/>
        <source>已删除材料 #{id}</source>
        <translation>Deleted material #{id}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="951"/>
        <source>已保存</source>
        <translation>Saved</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="980"/>
        <source>OCR 识别</source>
        <translation>OCR</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="980"/>
        <source>提取文字</source>
        <translation>Extracting text</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="989"/>
        <source>{n} 个文件无法提取文字</source>
        <translation>{n} files without extractable text</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1013"/>
        <source>全国文明城市测评佐证材料的归档、审核与导出。</source>
        <translation>Filing, review and export of evidence for the National Civilized City evaluation.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1015"/>
        <source>本程序以 GNU AGPL-3.0 许可发布。</source>
        <translation>Released under the GNU AGPL-3.0.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="1016"/>
        <source>第三方组件：PyMuPDF (AGPL-3.0)、Qt/PySide6 (LGPL-3.0) 等。</source>
        <translation>Third-party components: PyMuPDF (AGPL-3.0), Qt/PySide6 (LGPL-3.0) and others.</translation>
    </message>
</context>
<context>
    <name>MaterialTableModel</name>
    <message>
        <location filename="../../desktop/ui/models.py" line="122"/>
        <source>编号</source>
        <translation>ID</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="123"/>
        <source>材料名称</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="125"/>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="126"/>
        <source>文号</source>
        <translation>Doc. number</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="127"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="128"/>
        <source>责任单位</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="129"/>
        <source>测评内容</source>
        <translation>Items</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="130"/>
        <source>页数</source>
        <translation>Pages</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="124"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
</context>
<context>
    <name>MetadataEditor</name>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="36"/>
        <source>如 吴文明办发〔2024〕12号</source>
        <translation>e.g. 吴文明办发〔2024〕12号</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="38"/>
        <source>如 2024-06-30</source>
        <translation>e.g. 2024-06-30</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="44"/>
        <source>测评内容编号，用逗号分隔，如 01.01, 03.02</source>
        <translation>Item codes, comma separated, e.g. 01.01, 03.02</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="56"/>
        <source>材料名称</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="57"/>
        <source>文号</source>
        <translation>Doc. number</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="58"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="59"/>
        <source>责任单位</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="60"/>
        <source>材料类型</source>
        <translation>Material type</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="61"/>
        <source>测评内容</source>
        <translation>Items</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="62"/>
        <source>说明</source>
        <translation>Description</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="63"/>
        <source>图片说明（时间、地点、人物、主题）</source>
        <translation>Photo caption (time, place, people, subject)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="68"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="71"/>
        <source>还原</source>
        <translation>Revert</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="107"/>
        <source>未选择材料</source>
        <translation>No material selected</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="123"/>
        <source>材料 #{id} · {state} · 文件：{files}</source>
        <translation>Material #{id} · {state} · files: {files}</translation>
    </message>
</context>
<context>
    <name>PackageReviewWindow</name>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="124"/>
        <source>审核包（只读）— {stage} — {name}</source>
        <translation>Review package (read-only) — {stage} — {name}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="128"/>
        <source>&lt;b&gt;{stage}审核包&lt;/b&gt;（只读审核，不会修改任何档案）· 档案：{archive} · {count} 份材料 · 生成于 {at}</source>
        <translation>&lt;b&gt;{stage} review package&lt;/b&gt; (read-only review, changes no archive) · archive: {archive} · {count} materials · made {at}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="152"/>
        <source>审核意见（退回时必填）</source>
        <translation>Review comment (required to return)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="154"/>
        <source>通过</source>
        <translation>Approve</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="155"/>
        <source>退回</source>
        <translation>Return</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="156"/>
        <source>撤销决定</source>
        <translation>Undo decision</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="163"/>
        <source>签名并保存决定文件…</source>
        <translation>Sign and save decisions file…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="169"/>
        <source>既往审核记录（签名已验证）</source>
        <translation>Earlier decisions (signatures verified)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="188"/>
        <source>审核人：</source>
        <translation>Reviewer:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="205"/>
        <source>审核包的名册中没有可做{stage}的人员，不能在此签名</source>
        <translation>Nobody in the package’s roster may do {stage}; decisions cannot be signed here</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="224"/>
        <source>未决定</source>
        <translation>undecided</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="230"/>
        <source>已决定 {n}/{total} 份；未决定的材料不写入决定文件</source>
        <translation>Decided {n}/{total}; undecided materials are left out of the decisions file</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="244"/>
        <source>第 {n} 轮</source>
        <translation>round {n}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="245"/>
        <source>文号：{v}</source>
        <translation>Document no.: {v}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="246"/>
        <source>日期：{v}</source>
        <translation>Date: {v}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="247"/>
        <source>责任单位：{v}</source>
        <translation>Department: {v}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="248"/>
        <source>类型：{v}</source>
        <translation>Type: {v}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="249"/>
        <source>测评内容：{v}</source>
        <translation>Items: {v}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="250"/>
        <source>提交人：{v}</source>
        <translation>Submitted by: {v}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="251"/>
        <source>文件：{v}</source>
        <translation>Files: {v}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="258"/>
        <source>✔ 第{round}轮 {stage} {verdict} · {who} · {at}</source>
        <translation>✔ round {round} {stage} {verdict} · {who} · {at}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="264"/>
        <source>意见：</source>
        <translation>Comment: </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="267"/>
        <source>（尚无审核记录）</source>
        <translation>(no decisions yet)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="279"/>
        <source>退回时必须写明原因</source>
        <translation>A return needs a reason</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="283"/>
        <source>已记下：{verdict}。签名并保存后才生效。</source>
        <translation>Noted: {verdict}. It takes effect once signed and saved.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="294"/>
        <source>已撤销这份材料的决定</source>
        <translation>Decision for this material undone</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="299"/>
        <source>解锁签名密钥</source>
        <translation>Unlock signing key</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="300"/>
        <source>{name} 的口令：</source>
        <translation>Passphrase of {name}:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="305"/>
        <source>保存决定文件</source>
        <translation>Save decisions file</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="306"/>
        <source>决定文件 (*.zicha-decisions.json)</source>
        <translation>Decisions files (*.zicha-decisions.json)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="333"/>
        <source>已签名 {n} 个决定并保存到 {path}。请把这个文件交回经办人，由其“应用审核决定”。</source>
        <translation>Signed {n} decisions and saved them to {path}. Give this file back to the clerk, who records it with “Apply review decisions”.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="339"/>
        <source>关闭审核包</source>
        <translation>Close review package</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="340"/>
        <source>还有没签名保存的决定，关闭后它们会丢失。仍然关闭？</source>
        <translation>Some decisions are not signed and saved yet; closing loses them. Close anyway?</translation>
    </message>
</context>
<context>
    <name>PreviewWidget</name>
    <message>
        <location filename="../../desktop/ui/preview.py" line="59"/>
        <source>上一页 (PgUp)</source>
        <translation>Previous page (PgUp)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="60"/>
        <source>下一页 (PgDn)</source>
        <translation>Next page (PgDn)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="62"/>
        <source>缩小</source>
        <translation>Zoom out</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="63"/>
        <source>放大</source>
        <translation>Zoom in</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="64"/>
        <source>适合宽度</source>
        <translation>Fit width</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="64"/>
        <source>按窗口宽度显示</source>
        <translation>Fit the page to the pane width</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="82"/>
        <location filename="../../desktop/ui/preview.py" line="122"/>
        <source>选择一份材料，在这里查看它的文件</source>
        <translation>Choose a material to view its files here</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="182"/>
        <source>正在显示…</source>
        <translation>Rendering…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="205"/>
        <source>（这个文件没有可显示的文字）</source>
        <translation>(this file has no text to show)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="282"/>
        <source>无法显示这个文件：</source>
        <translation>Cannot show this file: </translation>
    </message>
</context>
<context>
    <name>ReviewPanel</name>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="48"/>
        <source>审核意见（退回时必填）</source>
        <translation>Comment (required to return)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="50"/>
        <source>提交初审</source>
        <translation>Submit for first review</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="51"/>
        <source>通过并签名</source>
        <translation>Approve and sign</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="52"/>
        <source>退回并签名</source>
        <translation>Return and sign</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="69"/>
        <source>审核记录（每条都验证签名）</source>
        <translation>Review history (every signature verified)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="93"/>
        <source>未选择材料</source>
        <translation>No material selected</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="99"/>
        <source>等待{stage}</source>
        <translation>Awaiting {stage}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="109"/>
        <source>在工具栏选择“当前人员”后才能提交或审核</source>
        <translation>Choose the current person in the toolbar to submit or review</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="114"/>
        <source>{mark} 第{round}轮 {stage} {verdict} · {who} · {at}</source>
        <translation>{mark} round {round} {stage} {verdict} · {who} · {at}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="118"/>
        <source>意见：</source>
        <translation>Comment: </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="133"/>
        <source>解锁签名密钥</source>
        <translation>Unlock signing key</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="134"/>
        <source>{name} 的口令：</source>
        <translation>Passphrase of {name}:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="153"/>
        <source>退回时必须写明原因</source>
        <translation>Say why when returning a material</translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <location filename="../../desktop/ui/search_panel.py" line="137"/>
        <location filename="../../desktop/ui/search_panel.py" line="234"/>
        <source>起始日期</source>
        <translation>From date</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/search_panel.py" line="137"/>
        <location filename="../../desktop/ui/search_panel.py" line="235"/>
        <source>截止日期</source>
        <translation>To date</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/search_panel.py" line="142"/>
        <source>全部类型</source>
        <translation>All types</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/search_panel.py" line="145"/>
        <source>全部状态</source>
        <translation>All states</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/search_panel.py" line="181"/>
        <source>全部责任单位</source>
        <translation>All departments</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/search_panel.py" line="198"/>
        <source>整个档案</source>
        <translation>Whole archive</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/search_panel.py" line="200"/>
        <source>仅 {label}</source>
        <translation>Only {label}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/search_panel.py" line="227"/>
        <source>{name} {value} 不是日期，请写成 2024-06-30</source>
        <translation>{name} {value} is not a date; write it as 2024-06-30</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/search_panel.py" line="264"/>
        <source>，显示前 {n} 条</source>
        <translation>, showing the first {n}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/search_panel.py" line="267"/>
        <source>共 {total} 份材料{more}（{ms} 毫秒）</source>
        <translation>{total} materials{more} ({ms} ms)</translation>
    </message>
</context>
<context>
    <name>State</name>
    <message>
        <location filename="../../desktop/ui/models.py" line="27"/>
        <source>草稿</source>
        <translation>Draft</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="28"/>
        <source>待初审</source>
        <translation>Awaiting first review</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="29"/>
        <source>待复审</source>
        <translation>Awaiting second review</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="30"/>
        <source>待终审</source>
        <translation>Awaiting final review</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="31"/>
        <source>已终审</source>
        <translation>Final approved</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="32"/>
        <source>已退回</source>
        <translation>Returned</translation>
    </message>
</context>
<context>
    <name>TaskImportDialog</name>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="45"/>
        <source>导入任务分解清单 — {name}</source>
        <translation>Import task list — {name}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="59"/>
        <source>行</source>
        <translation>Row</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="59"/>
        <source>测评项目</source>
        <translation>Category</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="59"/>
        <source>测评内容</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="59"/>
        <source>牵头单位</source>
        <translation>Lead</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="60"/>
        <source>配合单位</source>
        <translation>Supporting</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="60"/>
        <source>完成时限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="69"/>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="76"/>
        <source>工作表</source>
        <translation>Sheet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="79"/>
        <source>各列对应（自动识别，可以改）：</source>
        <translation>Columns (recognised automatically; you can change them):</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="137"/>
        <source>没有找到“{missing}”列，请在上面选择对应的列。</source>
        <translation>No “{missing}” column found; choose it above.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="151"/>
        <source>表头在第 {header} 行；{rows} 行任务，按单位共 {tasks} 项。</source>
        <translation>Header in row {header}; {rows} task rows, {tasks} tasks by department.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="162"/>
        <source>（无）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="177"/>
        <source>新建测评内容 {items} 个，新建任务 {new} 项，更新 {changed} 项，未变 {same} 项。</source>
        <translation>{items} items and {new} tasks created, {changed} updated, {same} unchanged.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="182"/>
        <source>跳过：</source>
        <translation>Skipped: </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/task_import.py" line="186"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>Verdict</name>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="51"/>
        <source>通过</source>
        <translation>Approve</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/package_review.py" line="52"/>
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
