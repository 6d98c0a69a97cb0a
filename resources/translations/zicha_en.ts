<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en_US">
<context>
    <name>ImportReportDialog</name>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="29" />
        <source>导入报告</source>
        <translation>Import report</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="31" />
        <source>共 {n} 个文件，其中 {r} 个未导入（原因见下表）。</source>
        <translation>{n} files, {r} of them not imported (see the reasons below).</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="34" />
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="34" />
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="34" />
        <source>原因</source>
        <translation>Reason</translation>
    </message>
</context>
<context>
    <name>ImportStatus</name>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="21" />
        <source>已保存</source>
        <translation>Saved</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="22" />
        <source>重复</source>
        <translation>Duplicate</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="23" />
        <source>拒绝</source>
        <translation>Refused</translation>
    </message>
</context>
<context>
    <name>IndicatorTreeModel</name>
    <message>
        <location filename="../../desktop/ui/models.py" line="53" />
        <source>测评体系</source>
        <translation>Indicator system</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="53" />
        <source>材料</source>
        <translation>Materials</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="115" />
        <source>筛选：材料名称、文号、责任单位、类型…</source>
        <translation>Filter: title, document number, department, type…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="127" />
        <location filename="../../desktop/ui/main_window.py" line="228" />
        <source>导入文件…</source>
        <translation>Import files…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="129" />
        <location filename="../../desktop/ui/main_window.py" line="227" />
        <source>打开示例档案</source>
        <translation>Open sample archive</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="131" />
        <location filename="../../desktop/ui/main_window.py" line="225" />
        <source>打开档案…</source>
        <translation>Open archive…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="155" />
        <source>全部状态</source>
        <translation>All states</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="159" />
        <source>我的待办</source>
        <translation>My queue</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="160" />
        <source>只显示等待当前人员审核、提交或修改的材料</source>
        <translation>Only materials waiting for the current person to review, submit or fix</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="178" />
        <source>信息</source>
        <translation>Details</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="179" />
        <source>审核</source>
        <translation>Review</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="223" />
        <source>新建档案…</source>
        <translation>New archive…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="229" />
        <source>导入文件夹…</source>
        <translation>Import folder…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="231" />
        <source>检查档案</source>
        <translation>Check archive</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="232" />
        <source>删除材料…</source>
        <translation>Delete material…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="237" />
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="238" />
        <location filename="../../desktop/ui/main_window.py" line="683" />
        <source>关于 Zicha</source>
        <translation>About Zicha</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="240" />
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="250" />
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="253" />
        <source>工具栏</source>
        <translation>Toolbar</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="259" />
        <source>当前人员：</source>
        <translation>Current person:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="268" />
        <source>搜索全文：词语、"短语"、OR、-排除（Ctrl+F）</source>
        <translation>Search the text: words, "phrases", OR, -exclude (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="286" />
        <source>无法打开档案</source>
        <translation>Cannot open archive</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="331" />
        <source>未打开档案</source>
        <translation>No archive open</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="335" />
        <source>打开档案文件夹</source>
        <translation>Open archive folder</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="341" />
        <source>为新档案选择一个空文件夹</source>
        <translation>Choose an empty folder for the new archive</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="363" />
        <source>正在生成示例档案…</source>
        <translation>Building the sample archive…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="380" />
        <source>正在检查档案…</source>
        <translation>Checking the archive…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="389" />
        <source>选择要导入的文件</source>
        <translation>Choose files to import</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="390" />
        <source>材料 (*.pdf *.docx *.xlsx *.jpg *.jpeg *.png *.tif *.tiff *.txt)</source>
        <translation>Evidence (*.pdf *.docx *.xlsx *.jpg *.jpeg *.png *.tif *.tiff *.txt)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="391" />
        <source>所有文件 (*)</source>
        <translation>All files (*)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="398" />
        <source>选择要导入的文件夹</source>
        <translation>Choose a folder to import</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="406" />
        <source>请先选择测评内容</source>
        <translation>Choose an item first</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="407" />
        <source>请先在左侧选择材料要归入的测评内容（或测评项目）。</source>
        <translation>First choose, on the left, the item (or category) to file the material under.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="435" />
        <source>正在导入到 {code}…</source>
        <translation>Importing into {code}…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="445" />
        <source>导入 {n} 个文件：保存 {s}，重复 {d}，拒绝 {r}</source>
        <translation>Imported {n} files: {s} saved, {d} duplicate, {r} refused</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="457" />
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="527" />
        <source>全部材料</source>
        <translation>All materials</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="535" />
        <source>没有打开档案。新建一个档案，或打开已有档案、示例档案。</source>
        <translation>No archive is open. Create a new archive, or open an existing one or the sample archive.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="538" />
        <source>档案里还没有材料。</source>
        <translation>This archive has no material yet.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="539" />
        <source>在左侧选择测评项目或测评内容，然后把文件或文件夹拖到它上面即可导入；</source>
        <translation>Choose a category or item on the left and drop files or folders on it to import them;</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="540" />
        <source>也可以先打开示例档案看看。</source>
        <translation>or open the sample archive to look around first.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="545" />
        <source>“{name}”下还没有材料。</source>
        <translation>Nothing is filed under “{name}” yet.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="546" />
        <source>把文件或文件夹拖到这里或左侧的条目上即可导入。</source>
        <translation>Drop files or folders here or on an entry on the left to import them.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="551" />
        <source>搜索结果</source>
        <translation>Search results</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="582" />
        <source>（未选择）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="605" />
        <source>已记录</source>
        <translation>Recorded</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="613" />
        <source>删除材料</source>
        <translation>Delete material</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="614" />
        <source>删除材料 #{id}《{title}》？
文件仍保留在档案中，审计日志会记录这次删除。</source>
        <translation>Delete material #{id} “{title}”?
Its files stay in the archive and the audit log records the deletion.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="621" />
        <source>无法删除</source>
        <translation>Cannot delete</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="630" />
        <source>已删除材料 #{id}</source>
        <translation>Deleted material #{id}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="636" />
        <source>已保存</source>
        <translation>Saved</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="664" />
        <source>OCR 识别</source>
        <translation>OCR</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="664" />
        <source>提取文字</source>
        <translation>Extracting text</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="673" />
        <source>{n} 个文件无法提取文字</source>
        <translation>{n} files without extractable text</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="685" />
        <source>全国文明城市测评佐证材料的归档、审核与导出。</source>
        <translation>Filing, review and export of evidence for the National Civilized City evaluation.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="687" />
        <source>本程序以 GNU AGPL-3.0 许可发布。</source>
        <translation>Released under the GNU AGPL-3.0.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="688" />
        <source>第三方组件：PyMuPDF (AGPL-3.0)、Qt/PySide6 (LGPL-3.0) 等。</source>
        <translation>Third-party components: PyMuPDF (AGPL-3.0), Qt/PySide6 (LGPL-3.0) and others.</translation>
    </message>
</context>
<context>
    <name>MaterialTableModel</name>
    <message>
        <location filename="../../desktop/ui/models.py" line="108" />
        <source>编号</source>
        <translation>ID</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="109" />
        <source>材料名称</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="110" />
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="111" />
        <source>文号</source>
        <translation>Doc. number</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="112" />
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="113" />
        <source>责任单位</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="114" />
        <source>测评内容</source>
        <translation>Items</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="115" />
        <source>页数</source>
        <translation>Pages</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="116" />
        <source>状态</source>
        <translation>State</translation>
    </message>
</context>
<context>
    <name>MetadataEditor</name>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="36" />
        <source>如 吴文明办发〔2024〕12号</source>
        <translation>e.g. 吴文明办发〔2024〕12号</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="38" />
        <source>如 2024-06-30</source>
        <translation>e.g. 2024-06-30</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="44" />
        <source>测评内容编号，用逗号分隔，如 01.01, 03.02</source>
        <translation>Item codes, comma separated, e.g. 01.01, 03.02</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="56" />
        <source>材料名称</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="57" />
        <source>文号</source>
        <translation>Doc. number</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="58" />
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="59" />
        <source>责任单位</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="60" />
        <source>材料类型</source>
        <translation>Material type</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="61" />
        <source>测评内容</source>
        <translation>Items</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="62" />
        <source>说明</source>
        <translation>Description</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="63" />
        <source>图片说明（时间、地点、人物、主题）</source>
        <translation>Photo caption (time, place, people, subject)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="68" />
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="71" />
        <source>还原</source>
        <translation>Revert</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="107" />
        <source>未选择材料</source>
        <translation>No material selected</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metadata.py" line="123" />
        <source>材料 #{id} · {state} · 文件：{files}</source>
        <translation>Material #{id} · {state} · files: {files}</translation>
    </message>
</context>
<context>
    <name>PreviewWidget</name>
    <message>
        <location filename="../../desktop/ui/preview.py" line="59" />
        <source>上一页 (PgUp)</source>
        <translation>Previous page (PgUp)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="60" />
        <source>下一页 (PgDn)</source>
        <translation>Next page (PgDn)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="62" />
        <source>缩小</source>
        <translation>Zoom out</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="63" />
        <source>放大</source>
        <translation>Zoom in</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="64" />
        <source>适合宽度</source>
        <translation>Fit width</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="64" />
        <source>按窗口宽度显示</source>
        <translation>Fit the page to the pane width</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="82" />
        <location filename="../../desktop/ui/preview.py" line="122" />
        <source>选择一份材料，在这里查看它的文件</source>
        <translation>Choose a material to view its files here</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="182" />
        <source>正在显示…</source>
        <translation>Rendering…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="205" />
        <source>（这个文件没有可显示的文字）</source>
        <translation>(this file has no text to show)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="282" />
        <source>无法显示这个文件：</source>
        <translation>Cannot show this file: </translation>
    </message>
</context>
<context>
    <name>ReviewPanel</name>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="46" />
        <source>审核意见（退回时必填）</source>
        <translation>Comment (required to return)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="48" />
        <source>提交初审</source>
        <translation>Submit for first review</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="49" />
        <source>通过并签名</source>
        <translation>Approve and sign</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="50" />
        <source>退回并签名</source>
        <translation>Return and sign</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="67" />
        <source>审核记录（每条都验证签名）</source>
        <translation>Review history (every signature verified)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="91" />
        <source>未选择材料</source>
        <translation>No material selected</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="97" />
        <source>等待{stage}</source>
        <translation>Awaiting {stage}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="107" />
        <source>在工具栏选择“当前人员”后才能提交或审核</source>
        <translation>Choose the current person in the toolbar to submit or review</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="112" />
        <source>{mark} 第{round}轮 {stage} {verdict} · {who} · {at}</source>
        <translation>{mark} round {round} {stage} {verdict} · {who} · {at}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="116" />
        <source>意见：</source>
        <translation>Comment: </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="131" />
        <source>解锁签名密钥</source>
        <translation>Unlock signing key</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="132" />
        <source>{name} 的口令：</source>
        <translation>Passphrase of {name}:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/review_panel.py" line="151" />
        <source>退回时必须写明原因</source>
        <translation>Say why when returning a material</translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <location filename="../../desktop/ui/search_panel.py" line="137" />
        <location filename="../../desktop/ui/search_panel.py" line="234" />
        <source>起始日期</source>
        <translation>From date</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/search_panel.py" line="137" />
        <location filename="../../desktop/ui/search_panel.py" line="235" />
        <source>截止日期</source>
        <translation>To date</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/search_panel.py" line="142" />
        <source>全部类型</source>
        <translation>All types</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/search_panel.py" line="145" />
        <source>全部状态</source>
        <translation>All states</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/search_panel.py" line="181" />
        <source>全部责任单位</source>
        <translation>All departments</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/search_panel.py" line="198" />
        <source>整个档案</source>
        <translation>Whole archive</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/search_panel.py" line="200" />
        <source>仅 {label}</source>
        <translation>Only {label}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/search_panel.py" line="227" />
        <source>{name} {value} 不是日期，请写成 2024-06-30</source>
        <translation>{name} {value} is not a date; write it as 2024-06-30</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/search_panel.py" line="264" />
        <source>，显示前 {n} 条</source>
        <translation>, showing the first {n}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/search_panel.py" line="267" />
        <source>共 {total} 份材料{more}（{ms} 毫秒）</source>
        <translation>{total} materials{more} ({ms} ms)</translation>
    </message>
</context>
<context>
    <name>State</name>
    <message>
        <location filename="../../desktop/ui/models.py" line="26" />
        <source>草稿</source>
        <translation>Draft</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="27" />
        <source>待初审</source>
        <translation>Awaiting first review</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="28" />
        <source>待复审</source>
        <translation>Awaiting second review</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="29" />
        <source>待终审</source>
        <translation>Awaiting final review</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="30" />
        <source>已终审</source>
        <translation>Final approved</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="31" />
        <source>已退回</source>
        <translation>Returned</translation>
    </message>
</context>
<context>
    <name>VerifyDialog</name>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="54" />
        <source>档案检查</source>
        <translation>Archive check</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="62" />
        <source>档案检查通过。</source>
        <translation>The archive checks clean.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="63" />
        <source>档案检查发现问题，详见下方。</source>
        <translation>The check found problems, listed below.</translation>
    </message>
</context>
</TS>