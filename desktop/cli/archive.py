"""`zicha init`, `info`, `verify`, `migrate`, `demo`, `gui`: the archive itself and the window
over it."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from desktop.cli.shared import (
    EXIT_FAIL,
    EXIT_OK,
    Handler,
    Options,
    Parser,
    UsageError,
    archive_dir,
    emit,
    print_checks,
)
from desktop.core.common.errors import ZichaError

# the archive (SQLAlchemy) is imported by the commands that open one, inside them: `zicha verify
# EXPORT` checks an export without it


def options_init(p: Parser, common: Parser) -> None:
    p.add_argument("--system", help="测评体系编号（默认 cn-wmcs-2023-prefecture）")
    p.add_argument("--profile", metavar="FILE",
                   help="单位配置文件（YAML/TOML）：单位、部门、人员与公钥、任务与导出规则")
    p.add_argument("--name", help="档案名称（默认为文件夹名）")
    p.add_argument("--server", metavar="postgresql://…",
                   help="团队模式：数据库放在这台 PostgreSQL 服务器的（空）数据库中，"
                        "--archive 文件夹（通常是共享文件夹）只放文件和服务器地址；"
                        "地址中不要写密码（用 ~/.pgpass、pg_service.conf 或 PGPASSWORD）")


def cmd_init(args: argparse.Namespace) -> int:
    from desktop.core.archive import server
    from desktop.core.archive.archive import Archive

    root = archive_dir(args)
    if args.profile:
        # YAML/TOML readers: only `init --profile` needs them
        from desktop.core.admin.profile import create_from_profile, load_profile

        profile = load_profile(Path(args.profile))
        if args.system or args.name:
            raise UsageError("zicha init: --profile 已经给出测评体系和单位名称，"
                             "不要再用 --system 或 --name")
        if args.server:
            raise UsageError("zicha init: --profile 与 --server 暂不能同时使用；"
                             "请先用 --server 建立档案，再应用单位配置")
        with create_from_profile(root, profile) as archive:
            info = archive.info()
        if args.json:
            emit(info)
        else:
            print(f"已为 {profile.bureau} 创建档案 {root}（{info['system_label']}）")
        return EXIT_OK
    with Archive.create(root, system_id=args.system or "cn-wmcs-2023-prefecture",
                        name=args.name or "", server_url=args.server) as archive:
        info = archive.info()
        where = server.describe(archive.server) if archive.server else ""
    if args.json:
        emit({**info, "server": archive.server.to_json()} if archive.server else info)
    elif where:
        print(f"已创建档案 {root}（{info['system_label']}），数据库在服务器 {where}")
    else:
        print(f"已创建档案 {root}（{info['system_label']}）")
    return EXIT_OK


def options_verify(p: Parser, common: Parser) -> None:
    p.add_argument("target", nargs="?", metavar="DIR|EXPORT")
    p.add_argument("--report", metavar="FILE.docx", help="导出包的四性检测报告另存为 DOCX")
    p.add_argument("--full", action="store_true",
                   help="检查导出包时逐页读取并渲染每个 PDF（默认读首页和末页的文字、"
                        "检查每个图像的数据完整，不渲染）")


def cmd_verify(args: argparse.Namespace) -> int:
    # the export side (PyMuPDF, openpyxl, python-docx) stays off init, demo and gui
    from desktop.cli.export import verify_export
    from desktop.core.export.verify import is_export

    target = Path(args.target) if args.target else archive_dir(args)
    if args.target and is_export(target):
        return verify_export(args, target)
    if args.report:
        raise ZichaError("--report 只用于检查导出包（zicha verify 导出包.zip --report 报告.docx）")
    if args.full:
        raise ZichaError("--full 只用于检查导出包（zicha verify 导出包.zip --full）")
    from desktop.core.admin.fsck import verify_archive
    from desktop.core.archive.archive import Archive, is_archive

    expected = "需要档案文件夹（含 zicha.db）、导出的 .zip 文件或导出文件夹（含 bagit.txt）"
    if args.target and not target.exists():
        raise UsageError(f"zicha verify: {target} 不存在；{expected}")
    if args.target and not is_archive(target):
        what = "文件夹" if target.is_dir() else "文件"
        raise UsageError(f"zicha verify: {target} 这个{what}既不是 Zicha 档案，也不是导出包；"
                         f"{expected}")
    with Archive.open(target, writable=False) as archive:
        report = verify_archive(archive)
    if args.json:
        emit(report.to_json())
    else:
        print_checks(report.checks, lambda c: c.name)
        for hint in _archive_hints(report.checks):
            print(f"提示：{hint}")
        print("档案检查通过" if report.ok else "档案检查发现问题")
    if not report.ok:
        print(f"zicha: 档案 {target} 检查未通过", file=sys.stderr)
        return EXIT_FAIL
    return EXIT_OK


def _archive_hints(checks) -> list[str]:  # type: ignore[no-untyped-def]
    """The commands that fix what the archive check found (the check itself names none: the
    window shows it too)."""
    hints = []
    for check in checks:
        if check.name != "全文索引":
            continue
        if not check.ok:
            hints.append("zicha index rebuild 重建全文索引")
        if any("等待" in n for n in check.notes):
            hints.append("zicha texts run 继续提取文字")
        if any("无法提取" in n for n in check.notes):
            hints.append("zicha texts --failed 查看无法提取的原因")
    return hints


def cmd_demo(args: argparse.Namespace) -> int:
    # the demo drawing (PDFs, images) only for `zicha demo`
    from desktop.demo.sample_archive import build_demo_archive

    root = archive_dir(args)
    summary = build_demo_archive(root)
    if args.json:
        emit(summary)
    else:
        print(f"已创建示例档案 {root}：{summary['materials']} 份材料，"
              f"{summary['items']} 个示例测评内容")
    return EXIT_OK


def options_gui(p: Parser, common: Parser) -> None:
    p.add_argument("target", nargs="?", metavar="DIR|FILE",
                   help="要打开的档案文件夹；或一个审核包、报送包、下发包文件：在默认档案的窗口中打开它")
    p.add_argument("--quit-after", dest="quit_after", type=float, metavar="S",
                   help="S 秒后关闭并打印窗口标题（用于安装后的冒烟测试）")


def cmd_gui(args: argparse.Namespace) -> int:
    # Qt only for the window
    from desktop.ui.app import run

    # a package file (the file manager's double-click, `zicha-gui FILE`): the window opens on
    # the archive it would open anyway (--archive, else the last or default one) with it
    package = Path(args.target) if args.target and Path(args.target).is_file() else None
    target = (None if package else args.target) or getattr(args, "archive", None)
    return run(Path(target) if target else None, quit_after=getattr(args, "quit_after", None),
               package=package)


COUNT_LABELS = {"materials": "材料", "files": "文件", "decisions": "审核决定", "tasks": "任务",
                "problems": "问题", "negatives": "负面清单", "departments": "单位",
                "people": "人员"}


def _local_time(iso: str) -> str:
    """An ISO UTC time as this computer's local time, to the minute."""
    try:
        when = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


def cmd_info(args: argparse.Namespace) -> int:
    from desktop.core.archive.archive import Archive

    """`zicha info`: the archive's id, name, bureau, systems, engine and size."""
    from desktop.core.archive.facts import archive_facts

    with Archive.open(archive_dir(args), writable=False) as archive:
        facts = archive_facts(archive)
    if args.json:
        emit(facts.to_json())
        return EXIT_OK
    bureau = f"{facts.bureau}（{facts.bureau_code}）" if facts.bureau_code else facts.bureau
    print(f"档案：{facts.name}")
    print(f"档案编号：{facts.id}")
    if bureau:
        print(f"单位：{bureau}")
    print(f"创建于：{_local_time(facts.created_at)}")
    print(f"数据库：{facts.engine}，{facts.database}（结构版本 {facts.revision}）")
    if facts.server is not None:
        where = facts.server
        tls = "已加密（TLS）" if where["tls"] else "未加密"
        print(f"数据库服务器：PostgreSQL {where['server_version']}，主机 {where['host']}，"
              f"端口 {where['port']}，数据库 {where['database']}，用户 {where['user']}，"
              f"连接{tls}")
    for n, s in enumerate(facts.systems):
        weight = f"，权重 {s.weight_text}" if s.weight is not None else ""
        prefix = f"编号前缀 {s.prefix}" if s.prefix else "主测评体系"
        print(f"{'测评体系：' if n == 0 else '          '}{s.label}（{prefix}{weight}）")
    print("，".join(f"{COUNT_LABELS[k]} {v}" for k, v in facts.counts.items()))
    return EXIT_OK


def options_migrate(p: Parser, common: Parser) -> None:
    p.add_argument("--to", required=True, metavar="postgresql://…|sqlite",
                   help="新档案的数据库：PostgreSQL 服务器上的（空）数据库，或 sqlite（单机档案）")
    p.add_argument("--out", required=True, metavar="DIR",
                   help="新档案的文件夹（新的或空的；服务器档案通常是共享文件夹）")


def cmd_migrate(args: argparse.Namespace) -> int:
    from desktop.core.archive import server
    from desktop.core.archive.archive import Archive

    """`zicha migrate --to postgresql://…|sqlite --out DIR`: the archive, copied to the other
    engine as a new archive and checked; the archive itself is only read."""
    from desktop.core.admin.migrate import migrate_archive

    to = args.to.strip()
    if to.lower() == "sqlite":
        url = None
    elif to.startswith(server.SCHEMES):
        url = to
    else:
        raise UsageError(f"zicha migrate: --to {to} 不是 sqlite，也不是 postgresql:// 连接地址")
    with Archive.open(archive_dir(args), writable=False) as archive:
        report = migrate_archive(archive, Path(args.out), url)
    if args.json:
        emit(report.to_json())
        return EXIT_OK
    rows = sum(report.rows.values())
    where = "PostgreSQL 服务器" if report.engine == "postgresql" else "SQLite 数据库文件"
    print(f"已把档案 {report.source} 迁移到 {report.target}（{where}）：{len(report.rows)} 张表"
          f"共 {rows} 行、{report.files} 个文件、审计日志 {report.audit_entries} 条，"
          "行数、文件哈希与审计日志逐一核对一致，新档案检查通过")
    return EXIT_OK


COMMANDS: dict[str, tuple[Options | None, Handler | None]] = {
    "init": (options_init, cmd_init),
    "info": (None, cmd_info),
    "verify": (options_verify, cmd_verify),
    "migrate": (options_migrate, cmd_migrate),
    "demo": (None, cmd_demo),
    "gui": (options_gui, cmd_gui),
}
