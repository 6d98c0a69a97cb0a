"""A realistic corpus of evidence materials for the search benchmark.

    .venv/bin/python bench/corpus.py --materials 1000 --out /tmp/zicha-corpus

Each material is one file of about 2,000 characters of Chinese government prose on one topic
(创建全国文明城市, 志愿服务, 垃圾分类 …) with person names, places, departments, amounts, dates,
phone numbers, 文号 such as 吴党发〔2021〕14号 and mixed ASCII (PM2.5, No.12, 5G, LED屏).
Kinds: text PDFs (built-in non-embedded `china-s` font, so files are small and quick to make),
DOCX (paragraphs and a table), XLSX (a ledger over two sheets) and a few scanned images (a page
rendered to JPEG, text only for OCR). Deterministic: material i depends only on (seed, i), so
the corpus is the same whatever the number of processes that make it.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

FORMAT = 1  # bump when the generated files change, so cached corpora are made again
TARGET_CHARS = 2000


def _words(text: str) -> list[str]:
    return text.split()


SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段钱汤尹黎易常武乔贺赖龚文"  # noqa: E501
GIVEN = _words("芳 伟 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀英 霞 平 刚 桂英 建华 志强 "
               "海燕 晓东 建国 红梅 玉兰 国庆 子涵 雨桐 浩然 思远 嘉怡 文博 欣怡 宇航 梓轩 佳琪 "
               "丹 健 斌 鹏 华 玲 燕 辉 婷 倩 亮 飞 宁 琳 晨 颖 鑫 凯 瑶 帆 俊杰 晓燕 春华 德明 "
               "立新 卫东 美玲 淑珍 志刚 永红")
PLACES = _words("松陵街道 横扇街道 同里镇 平望镇 盛泽镇 七都镇 震泽镇 桃源镇 黎里镇 汾湖高新区 "
                "太湖新城 江陵街道 八坼街道 滨湖街道 开发区 高新区 城南街道 城北街道")
COMMUNITIES = _words("幸福 和谐 阳光 东湖 西塘 南苑 北城 花园 梅石 长板 流虹 笠泽 鲈乡 垂虹 "
                     "吴模 永康 苏州湾 仁安 程开 仪塔 叶泽 菀坪 庞山 运东")
DEPARTMENTS = _words("市委宣传部 市文明办 市城管局 市住建局 市交通运输局 市教育局 市民政局 "
                     "市卫健委 市市场监管局 团市委 市妇联 市总工会 市公安局 市生态环境局 "
                     "市商务局 市文体旅局 市农业农村局 市司法局 市应急管理局 市数据局")
DOC_PREFIXES = _words("吴党发 吴政办发 吴文明委 吴宣通 苏文明办 吴城管发 吴教发 吴民发 吴卫发 "
                      "吴市监发 吴团发 吴妇字")
ASCII_TERMS = ["PM2.5", "No.12", "5G", "LED屏", "APP", "WiFi", "QR码", "AQI", "ISO9001",
               "GB/T 19001", "12345热线", "Li Ming", "GPS定位", "AI识别", "VR体验", "PDF格式",
               "Excel台账", "OA系统", "CCTV", "ETC通道", "No.3", "No.108", "B2B", "4K屏", "U盘",
               "PPT课件", "LCD屏", "GIS平台", "H5页面", "O2O"]
TOPICS = {
    "文明城市": "创建全国文明城市 测评体系 实地考察 问卷调查 网上申报 材料审核 整改落实 长效机制 "
                "督查通报 责任清单 台账资料 迎检准备 测评点位 常态长效 创建成果 群众满意度",
    "志愿服务": "志愿服务 学雷锋 志愿者注册 服务时长 星级志愿者 志愿服务站 邻里守望 关爱留守儿童 "
                "扶残助残 敬老孝亲 新时代文明实践 实践站 文明实践所 积分激励制度 志愿服务项目",
    "垃圾分类": "垃圾分类 生活垃圾 厨余垃圾 可回收物 有害垃圾 其他垃圾 定时定点 撤桶并点 "
                "分类投放 清运车辆 资源化利用 减量化 督导员 分类准确率 桶边督导",
    "未成年人": "未成年人思想道德建设 校外活动场所 乡村学校少年宫 心理健康教育 家庭教育 "
                "网吧整治 校园周边环境 少先队 红领巾 劳动教育 读书活动 家长学校 护苗行动",
    "环境整治": "环境卫生整治 背街小巷 农贸市场 占道经营 乱停乱放 牛皮癣 小广告 老旧小区改造 "
                "雨污分流 黑臭水体 绿化养护 道路保洁 建筑垃圾 餐饮油烟 噪声污染",
    "交通文明": "文明交通 交通劝导 礼让斑马线 非机动车 电动自行车 头盔佩戴 公交站台 停车泊位 "
                "占用盲道 闯红灯 交通秩序 共享单车 出租车 网约车 路口执勤",
    "诚信建设": "诚信建设 信用体系 红黑名单 守信激励 失信惩戒 诚信商户 放心消费 价格公示 "
                "食品安全 明码标价 计量器具 商务诚信 信用承诺 信用修复",
    "公共文化": "公益广告 城市书房 农家书屋 文化礼堂 健身步道 全民阅读 非遗传承 文艺汇演 "
                "送戏下乡 道德讲堂 好人榜 道德模范 身边好人 文明家庭 最美家庭",
    "移风易俗": "移风易俗 文明餐桌 光盘行动 婚事新办 丧事简办 红白理事会 村规民约 文明祭扫 "
                "厚养薄葬 喜事新办 节俭办事 天价彩礼 人情攀比",
    "社会治理": "网格化管理 网格员 矛盾纠纷 平安建设 防范电信诈骗 禁毒宣传 消防安全 应急演练 "
                "社区矫正 平安志愿者 群防群治 治安巡逻 综合治理",
    "无障碍": "无障碍设施 盲道 无障碍坡道 公共厕所 第三卫生间 母婴室 适老化改造 爱心座椅 "
              "无障碍电梯 低位服务台 助残服务",
    "文明养犬": "文明养犬 犬只登记 牵绳出行 犬类免疫 流浪犬 犬粪清理 控烟 无烟单位 公共场所禁烟",
}
GENERAL = _words("开展 组织 推进 落实 加强 完善 深化 统筹 部署 召开 印发 建立健全 扎实推进 "
                 "全面开展 持续深化 认真落实 广泛宣传 精心组织")
SENTENCES = [
    "{dept}{verb}{p1}工作，由{name}同志牵头，{place}{comm}社区共{n}人次参与。",
    "根据《关于{verb}{p1}的通知》（{docno}）要求，{dept}{verb2}{p2}专项行动。",
    "{date}，{name}带队赴{place}检查{p1}情况，发现问题{small}处，已当场交办整改。",
    "截至{date}，全市累计{verb}{p1}活动{n}场次，参与群众{big}人次，群众满意度达{pct}。",
    "{place}{comm}社区将{p1}与{p2}结合起来，形成“{p3}+{p4}”工作模式。",
    "会议由{dept}{name}主持，{name2}、{name3}等{small}名同志参加，研究部署{p1}工作。",
    "{dept}投入资金{money}万元，用于{p1}和{p2}，完成{small}个点位的提升改造。",
    "{comm}社区在小区出入口设置{ascii}，{verb}{p1}宣传，联系人{name}，电话{phone}。",
    "经测评，{place}{p1}得分{score}分，较上年提高{dec}分，{p2}仍是薄弱环节。",
    "各责任单位要按照{docno}的要求，于{date}前报送{p1}台账资料和佐证材料。",
    "{name}同志被评为“{year}年度{p1}先进个人”，其事迹在{ascii}上播出。",
    "{place}空气质量优良天数比例{pct}，PM2.5 年均浓度{dec}微克/立方米。",
    "{dept}会同{dept2}对{place}{n}家单位开展{p1}检查，下发整改通知书{small}份。",
    "第{small}期{p1}培训班在{place}举办，{name}等{n}名骨干参加培训。",
    "编号 No.{small} 的{p1}点位已完成整改，整改照片{small2}张，详见附件{small3}。",
    "依托{ascii}，实现{p1}线上受理、线下办理，平均办理时长{dec}天。",
]


def _vocab(rng: random.Random, topic: str) -> list[str]:
    words = TOPICS[topic].split()
    other = TOPICS[rng.choice(list(TOPICS))].split()
    return words * 3 + other


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _docno(rng: random.Random) -> str:
    return f"{rng.choice(DOC_PREFIXES)}〔{rng.randint(2016, 2025)}〕{rng.randint(1, 120)}号"


def _sentence(rng: random.Random, words: list[str]) -> str:
    p = [rng.choice(words) for _ in range(4)]
    return rng.choice(SENTENCES).format(
        dept=rng.choice(DEPARTMENTS), dept2=rng.choice(DEPARTMENTS), verb=rng.choice(GENERAL),
        verb2=rng.choice(GENERAL), p1=p[0], p2=p[1], p3=p[2], p4=p[3], name=_name(rng),
        name2=_name(rng), name3=_name(rng), place=rng.choice(PLACES),
        comm=rng.choice(COMMUNITIES), n=rng.randint(12, 980), small=rng.randint(2, 48),
        small2=rng.randint(2, 30), small3=rng.randint(1, 9), big=rng.randint(1000, 98000),
        pct=f"{rng.randint(800, 999) / 10}%", money=f"{rng.randint(5, 9999) / 10}",
        score=f"{rng.randint(700, 990) / 10}", dec=f"{rng.randint(10, 500) / 10}",
        year=rng.randint(2016, 2025), docno=_docno(rng), ascii=rng.choice(ASCII_TERMS),
        phone=f"0512-{rng.randint(60000000, 69999999)}",
        date=f"{rng.randint(2016, 2025)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日",
    )


def document(seed: int, index: int) -> tuple[str, list[str]]:
    """(title, paragraphs) of material `index`: about TARGET_CHARS characters."""
    rng = random.Random(seed * 1_000_003 + index)
    topic = rng.choice(list(TOPICS))
    words = _vocab(rng, topic)
    title = (f"{rng.choice(DEPARTMENTS)}关于{rng.choice(GENERAL)}{rng.choice(words)}"
             f"工作的{rng.choice(['通知', '报告', '总结', '方案', '纪要', '情况说明'])}")
    paragraphs: list[str] = [title, f"{_docno(rng)}"]
    size = len(title)
    while size < TARGET_CHARS:
        para = "".join(_sentence(rng, words) for _ in range(rng.randint(2, 5)))
        paragraphs.append(para)
        size += len(para)
    return title, paragraphs


def _kind(rng: random.Random) -> str:
    x = rng.random()
    return "pdf" if x < 0.50 else "docx" if x < 0.80 else "xlsx" if x < 0.97 else "jpg"


def kind_of(seed: int, index: int) -> str:
    return _kind(random.Random(seed * 7_919 + index))


# -- writers -----------------------------------------------------------------------------

def _pdf_doc(paragraphs: list[str]):  # type: ignore[no-untyped-def]
    import pymupdf

    doc = pymupdf.open()
    rest = "\n".join(paragraphs)
    while rest:
        page = doc.new_page()
        chunk, rest = rest[:1100], rest[1100:]
        page.insert_textbox(pymupdf.Rect(56, 56, 540, 790), chunk, fontname="china-s",
                            fontsize=10.5)
    return doc


def write_pdf(path: Path, paragraphs: list[str]) -> None:
    doc = _pdf_doc(paragraphs)
    doc.save(path, garbage=0, deflate=True)
    doc.close()


def write_scan(path: Path, paragraphs: list[str]) -> None:
    """A 'scanned' page: the first page rendered to a greyscale JPEG (no text layer)."""
    import pymupdf

    doc = _pdf_doc(paragraphs[:4])
    pix = doc[0].get_pixmap(dpi=110, colorspace=pymupdf.csGRAY)
    pix.save(path, output="jpg", jpg_quality=70)
    doc.close()


def write_docx(path: Path, paragraphs: list[str], rng: random.Random) -> None:
    import docx

    document_ = docx.Document()
    document_.add_heading(paragraphs[0], level=1)
    for para in paragraphs[1:-1]:
        document_.add_paragraph(para)
    table = document_.add_table(rows=4, cols=3)
    for r, row in enumerate(table.rows):
        cells = ("序号", "责任单位", "负责人") if r == 0 else (
            str(r), rng.choice(DEPARTMENTS), _name(rng))
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value
    document_.add_paragraph(paragraphs[-1])
    document_.save(str(path))


def write_xlsx(path: Path, paragraphs: list[str], rng: random.Random) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(["序号", "事项", "责任单位", "负责人", "完成情况"])
    ws.append([1, paragraphs[0], rng.choice(DEPARTMENTS), _name(rng), "已完成"])
    for n, para in enumerate(paragraphs[1:], 2):
        ws.append([n, para, rng.choice(DEPARTMENTS), _name(rng),
                   rng.choice(["已完成", "推进中", f"完成率{rng.randint(50, 100)}%"])])
    ws2 = wb.create_sheet("统计")
    ws2.append(["点位", "得分", "金额（万元）"])
    for _ in range(rng.randint(3, 8)):
        ws2.append([rng.choice(PLACES), rng.randint(60, 100), rng.randint(1, 999) / 10])
    wb.save(str(path))


def relpath(seed: int, index: int) -> str:
    kind = kind_of(seed, index)
    return f"{index // 1000:03d}/材料{index:06d}.{kind}"


def make_one(folder: Path, seed: int, index: int) -> str:
    rel = relpath(seed, index)
    path = folder / rel
    if path.exists():
        return rel
    kind = kind_of(seed, index)
    _title, paragraphs = document(seed, index)
    rng = random.Random(seed * 31 + index)
    tmp = path.with_name("tmp-" + path.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "pdf":
        write_pdf(tmp, paragraphs)
    elif kind == "docx":
        write_docx(tmp, paragraphs, rng)
    elif kind == "xlsx":
        write_xlsx(tmp, paragraphs, rng)
    else:
        write_scan(tmp, paragraphs)
    tmp.replace(path)
    return rel


def _make_range(args: tuple[str, int, int, int]) -> list[str]:
    folder, seed, start, stop = args
    return [make_one(Path(folder), seed, i) for i in range(start, stop)]


def make_corpus(folder: Path, count: int, *, seed: int = 20250607, procs: int = 2,
                log=print) -> list[Path]:  # type: ignore[no-untyped-def]
    """The files of materials 0..count-1 under `folder` (made once, reused after that)."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = folder / "manifest.json"
    meta = {"format": FORMAT, "seed": seed}
    try:
        done = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        done = {}
    if {k: done.get(k) for k in meta} != meta:
        done = {**meta, "count": 0}
    if done["count"] < count:
        started = time.perf_counter()
        step = 250
        jobs = [(str(folder), seed, s, min(s + step, count))
                for s in range(done["count"], count, step)]
        with ProcessPoolExecutor(max_workers=procs) as pool:
            for n, _ in enumerate(pool.map(_make_range, jobs), 1):
                if n % 20 == 0 or n == len(jobs):
                    log(f"  corpus: {min(done['count'] + n * step, count)}/{count} files "
                        f"({time.perf_counter() - started:.0f} s)")
        done["count"] = count
        done["seconds"] = round(time.perf_counter() - started, 1)
        manifest.write_text(json.dumps(done), encoding="utf-8")
    return [folder / relpath(seed, i) for i in range(count)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--materials", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=Path("/tmp/zicha-corpus"))
    parser.add_argument("--seed", type=int, default=20250607)
    parser.add_argument("--procs", type=int, default=2)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    paths = make_corpus(args.out, args.materials, seed=args.seed, procs=args.procs)
    size = sum(p.stat().st_size for p in paths)
    kinds: dict[str, int] = {}
    for p in paths:
        kinds[p.suffix] = kinds.get(p.suffix, 0) + 1
    print(f"{len(paths)} files, {size / 1e6:.1f} MB, {kinds}, "
          f"{time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
