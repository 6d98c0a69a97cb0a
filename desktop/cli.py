"""`zicha`: the command line over the same core services the window uses (DESIGN.md §6)."""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from desktop import __version__
from desktop.core.common.errors import ZichaError

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


class UsageError(ZichaError):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line on stderr, exit 2
        raise UsageError(f"{self.prog}: {message}（用 --help 查看用法）")


def _one_line(message: str) -> str:
    """The exit-code rule promises one line on stderr, whatever a library put in a message;
    a short one, whatever the message quotes."""
    from desktop.core.common.limits import quoted

    return quoted(message, 2000)


def _emit(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


# -- Chinese labels for the plain-text output (--json keeps the codes) ------------------------

VERDICT_LABELS = {"approve": "通过", "reject": "退回"}
TEXT_LABELS = {"pending": "等待提取", "done": "已提取", "no_text": "无文字", "failed": "提取失败",
               "none": "无需 OCR"}


def state_label(state: str) -> str:
    """草稿、待初审 … for a review state code (draft, submitted …)."""
    from desktop.core.archive.kinds import ReviewState
    from desktop.core.review.workflow import STATE_LABELS

    try:
        return STATE_LABELS[ReviewState(state)]
    except ValueError:
        return state


def stage_label(stage: str) -> str:
    from desktop.core.archive.kinds import Role
    from desktop.core.review.workflow import STAGE_LABELS

    try:
        return STAGE_LABELS[Role(stage)]
    except (ValueError, KeyError):
        return stage


def role_label(role: str) -> str:
    """A roster role ("clerk", "first@市文明办") in Chinese: 经办人、初审（限市文明办）."""
    code, _, department = role.partition("@")
    label = {"clerk": "经办人", "admin": "管理员"}.get(code) or stage_label(code)
    return f"{label}（限{department}）" if department else label


def _state_code(value: str | None) -> str | None:
    """--stage takes the code (draft …) or its Chinese label (草稿 …)."""
    from desktop.core.review.workflow import STATE_LABELS

    by_label = {label: str(state) for state, label in STATE_LABELS.items()}
    return by_label.get(value.strip(), value) if value else value


def _archive_dir(args: argparse.Namespace) -> Path:
    from desktop.core.archive.archive import default_archive_dir

    return Path(args.archive) if args.archive else default_archive_dir()


def _open(args: argparse.Namespace, *, writable: bool):  # -> Archive
    from desktop.core.archive.archive import Archive

    return Archive.open(_archive_dir(args), writable=writable)


# -- commands ----------------------------------------------------------------------------------

def cmd_init(args: argparse.Namespace) -> int:
    from desktop.core.archive.archive import Archive

    root = _archive_dir(args)
    if args.profile:
        from desktop.core.admin.profile import create_from_profile, load_profile

        profile = load_profile(Path(args.profile))
        if args.system or args.name:
            raise UsageError("zicha init: --profile 已经给出测评体系和单位名称，"
                             "不要再用 --system 或 --name")
        with create_from_profile(root, profile) as archive:
            info = archive.info()
        if args.json:
            _emit(info)
        else:
            print(f"已为 {profile.bureau} 创建档案 {root}（{info['system_label']}）")
        return EXIT_OK
    with Archive.create(root, system_id=args.system or "cn-wmcs-2023-prefecture",
                        name=args.name or "") as archive:
        info = archive.info()
    if args.json:
        _emit(info)
    else:
        print(f"已创建档案 {root}（{info['system_label']}）")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from desktop.core.materials.importer import REFUSED, ImportOptions, ImportStopped, import_paths

    options = ImportOptions(codes=args.item, department=args.department, title=args.title,
                            material_type=args.type)
    rows = []
    labels = {"stored": "已保存", "duplicate": "重复", "refused": "拒绝"}
    stopped: ZichaError | None = None  # the archive could not be written (disk full …)
    with _open(args, writable=True) as archive:
        try:
            for row in import_paths(archive, [Path(p) for p in args.paths], options):
                rows.append(row)
                if not args.json:
                    ident = f"#{row.id}" if row.id else "-"
                    reason = f"  {row.reason}" if row.reason else ""
                    print(f"{labels[row.status]}\t{ident}\t{row.path}{reason}", flush=True)
        except ImportStopped as exc:
            stopped = exc
        if stopped is None:
            try:
                _extract(archive, [r.sha256 for r in rows if r.sha256], ocr=not args.no_ocr,
                         quiet=args.json)
            except Exception as exc:
                if (failure := _storage_failure(exc, archive.root)) is None:
                    raise
                stopped = ZichaError(f"{failure}（文件已导入；文字提取未完成，之后会再提取）")
    refused = sum(r.status == REFUSED for r in rows)
    if args.json:
        _emit([r.to_json() for r in rows])
    else:
        stored = sum(r.status == "stored" for r in rows)
        print(f"共 {len(rows)} 个文件：保存 {stored}，重复 {len(rows) - stored - refused}，"
              f"拒绝 {refused}")
    if stopped is not None:
        print(_with_hint(f"zicha: {stopped}", stopped), file=sys.stderr)
        return EXIT_FAIL
    if refused:
        first = next(r for r in rows if r.status == REFUSED)
        more = f"等 {refused} 个文件未导入（原因见上表），首个: " if refused > 1 else "未导入: "
        print(_one_line(f"zicha: {more}{first.path}: {first.reason}"), file=sys.stderr)
        return EXIT_FAIL
    return EXIT_OK


def _storage_failure(exc: BaseException, archive_root: Path | None) -> ZichaError | None:
    """The one line for a write the disk refused (full, I/O error, read only) — from SQLite
    or from a file — or None when `exc` is something else."""
    from desktop.core.archive.archive import DB_NAME
    from desktop.core.common.atomic import NO_ROOM, WriteFailed, database_failure, write_failed

    if isinstance(exc, WriteFailed):
        return exc
    if isinstance(exc, OSError) and exc.errno in NO_ROOM:
        return write_failed(exc, Path(exc.filename or archive_root or "."))
    root = archive_root or Path(".")
    return database_failure(exc, root / DB_NAME)


def _extract(archive, keys: list[str] | None, *, ocr: bool, quiet: bool):  # type: ignore[no-untyped-def]
    """Extract and index the text of these files (all waiting files if None) before returning,
    so that a script can search right after importing."""
    from desktop.core.materials import texts

    labels = {"text": "提取文字", "ocr": "OCR 识别"}
    live = not quiet and sys.stderr.isatty()

    def progress(done: int, total: int, phase: str) -> None:
        if live:
            print(f"\r{labels[phase]} {done}/{total}", end="", file=sys.stderr, flush=True)

    stats = texts.process(archive, keys=keys, ocr=ocr, progress=progress)
    if live:
        print(file=sys.stderr)
    if not quiet and (stats.failed or stats.ocr_failed):
        print(f"{stats.failed + stats.ocr_failed} 个文件未能提取文字（zicha texts --failed 查看）")
    return stats


def cmd_list(args: argparse.Namespace) -> int:
    from desktop.core.materials.service import (
        INCOMPLETE_FIELDS,
        incomplete_fields,
        list_incomplete,
        list_materials,
    )

    listing = list_incomplete if args.incomplete else list_materials
    with _open(args, writable=False) as archive:
        views = listing(archive, code=args.item, state=_state_code(args.stage))
    if args.json:
        rows = [v.to_json() for v in views]
        if args.incomplete:
            for row, v in zip(rows, views, strict=True):
                row["missing"] = incomplete_fields(v)
        _emit(rows)
        return EXIT_OK
    for v in views:
        missing = ""
        if args.incomplete:
            missing = "\t缺" + "、".join(INCOMPLETE_FIELDS[f] for f in incomplete_fields(v))
        print(f"#{v.id}\t{','.join(v.items)}\t{state_label(v.state)}\t{v.department or '-'}"
              f"\t{v.title}{missing}")
    print(f"共 {len(views)} 份{'待完善的' if args.incomplete else ''}材料")
    return EXIT_OK


def _size_text(size: int, *, exact: bool = True) -> str:
    if size < 1024:
        return f"{size} 字节"
    unit = "KB" if size < 1024**2 else "MB"
    short = f"{size / (1024 if unit == 'KB' else 1024**2):.1f} {unit}"
    return f"{short}（{size:,} 字节）" if exact else short


def _time_text(value: str) -> str:
    return value.replace("T", " ")[:16] if value else ""


def cmd_show(args: argparse.Namespace) -> int:
    from desktop.core.archive.items import nodes
    from desktop.core.materials.service import get_material

    with _open(args, writable=False) as archive:
        view = get_material(archive, args.id)
        names = {} if args.json else {n.code: n.name for n in nodes(archive)}
    if args.json:
        _emit(view.to_json())
        return EXIT_OK
    caption = "；".join(f"{k} {v}" for k, v in view.caption.items() if v)
    rows = [("名称", view.title), ("文号", view.doc_number), ("日期", view.material_date or ""),
            ("责任单位", view.department), ("类型", view.material_type),
            ("状态", state_label(view.state)),
            ("测评内容", "；".join(f"{c} {names.get(c, '')}".strip() for c in view.items)),
            ("说明", view.description), ("图片说明", caption)]
    print(f"材料 #{view.id}")
    for label, value in rows:
        print(f"  {label}：{' '.join(str(value).split()) or '-'}")
    print(f"  文件（{len(view.files)} 个，共 {_size_text(view.size, exact=False)}）：")
    for f in view.files:
        pages = f"，{f.page_count} 页" if f.page_count else ""
        print(f"    {f.filename}  {f.kind.upper()}，{_size_text(f.size)}{pages}")
        print(f"      SHA-256 {f.sha256}")
    made = " ".join(x for x in (_time_text(view.created_at), view.created_by) if x)
    print(f"  登记：{made or '-'}；最后修改：{_time_text(view.updated_at) or '-'}")
    return EXIT_OK


def cmd_edit(args: argparse.Namespace) -> int:
    from desktop.core.materials.service import update_material

    changes: dict[str, Any] = {}
    for key in ("title", "doc_number", "material_date", "department", "material_type",
                "description"):
        value = getattr(args, key)
        if value is not None:
            changes[key] = value
    if args.item:
        changes["items"] = args.item
    caption = {k: v for k, v in (("时间", args.caption_time), ("地点", args.caption_place),
                                 ("人物", args.caption_people), ("主题", args.caption_subject))
               if v is not None}
    if caption:
        changes["caption"] = caption
    if not changes:
        raise UsageError("zicha edit: 没有要修改的字段（用 --help 查看）")
    from desktop.core import search

    with _open(args, writable=True) as archive:
        view = update_material(archive, args.id, changes)
        search.sync(archive)
    if args.json:
        _emit(view.to_json())
    else:
        print(f"已更新材料 #{view.id}《{view.title}》")
    return EXIT_OK


def cmd_items(args: argparse.Namespace) -> int:
    from desktop.core.archive.items import add_item, nodes, rename_item

    if args.items_cmd == "rename":
        with _open(args, writable=True) as archive:
            rename_item(archive, args.code, args.name, args.criterion)
        if args.json:
            _emit({"code": args.code, "name": args.name})
        else:
            print(f"已将测评内容 {args.code} 改名为 {args.name}")
        return EXIT_OK
    if args.items_cmd == "add":
        with _open(args, writable=True) as archive:
            add_item(archive, args.code, args.name, args.criterion or "")
        if not args.json:
            print(f"已添加测评内容 {args.code} {args.name}")
        else:
            _emit({"code": args.code, "name": args.name})
        return EXIT_OK
    with _open(args, writable=False) as archive:
        tree = nodes(archive)
    if args.json:
        _emit([{"code": n.code, "name": n.name, "kind": str(n.kind), "parent": n.parent_code,
                "criterion": n.criterion, "materials": n.material_count} for n in tree])
        return EXIT_OK
    for n in tree:
        indent = "  " if n.parent_code else ""
        print(f"{indent}{n.code} {n.name}（{n.material_count}）")
    return EXIT_OK


def cmd_delete(args: argparse.Namespace) -> int:
    from desktop.core import search
    from desktop.core.materials.service import delete_material

    with _open(args, writable=True) as archive:
        delete_material(archive, args.id)
        search.sync(archive)
    if args.json:
        _emit({"id": args.id, "deleted": True})
    else:
        print(f"已删除材料 #{args.id}（文件仍保留在档案中，审计日志有记录）")
    return EXIT_OK


def _date(value: str | None, flag: str):  # type: ignore[no-untyped-def]
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"zicha: {flag} {value} 不是日期，请写成 2024-06-30") from None


def cmd_search(args: argparse.Namespace) -> int:
    from desktop.core import search

    filters = search.Filters(
        codes=tuple(args.item or ()), department=args.department, material_type=args.type,
        state=_state_code(args.stage), date_from=_date(args.date_from, "--from"),
        date_to=_date(args.date_to, "--to"))
    with _open(args, writable=False) as archive:
        result = search.search(archive, args.query, filters, limit=args.limit,
                               offset=args.offset)
    if args.json:
        _emit([h.to_json() for h in result.hits])
        return EXIT_OK
    bold = sys.stdout.isatty()
    for hit in result.hits:
        snippet = hit.snippet
        if bold:
            for start, end in reversed(hit.highlights):
                snippet = (snippet[:start] + "\033[1;31m" + snippet[start:end] + "\033[0m"
                           + snippet[end:])
        where = f"  {hit.file} 第 {hit.page} 页" if hit.page else ""
        print(f"#{hit.id}\t{hit.title}{where}\n    {snippet}")
    shown = f"，显示前 {len(result.hits)} 条" if result.total > len(result.hits) else ""
    print(f"共 {result.total} 份材料{shown}（{result.engine}，{result.elapsed_ms:.0f} 毫秒）")
    return EXIT_OK


def cmd_index(args: argparse.Namespace) -> int:
    from desktop.core import search

    if args.index_cmd == "rebuild":
        with _open(args, writable=True) as archive:
            if args.engine:
                search.set_engine(archive, args.engine)
            count = search.rebuild(archive)
            engine = search.engine_name(archive)
        if args.json:
            _emit({"engine": engine, "materials": count})
        else:
            print(f"已重建全文索引（{engine}）：{count} 份材料")
        return EXIT_OK
    with _open(args, writable=False) as archive:
        engine = search.engine_name(archive)
        stale = search.needs_rebuild(archive)
        found = search.drift(archive)
    data = {"engine": engine, "needs_rebuild": stale, "missing": found.missing,
            "stale": found.stale, "problems": found.problems}
    if args.json:
        _emit(data)
    else:
        broken = stale or found.missing or found.stale or found.problems
        state = "需要重建（zicha index rebuild）" if broken else "正常"
        print(f"搜索引擎 {engine}：{state}")
    return EXIT_OK


def cmd_texts(args: argparse.Namespace) -> int:
    from desktop.core.materials import texts

    if args.texts_cmd == "run":
        with _open(args, writable=True) as archive:
            stats = _extract(archive, None, ocr=not args.no_ocr, quiet=args.json)
        data = {"done": stats.done, "no_text": stats.no_text, "failed": stats.failed,
                "ocr_done": stats.ocr_done, "ocr_failed": stats.ocr_failed}
        if args.json:
            _emit(data)
        else:
            print("文字提取：完成 {done}，无文字 {no_text}，失败 {failed}；"
                  "OCR 完成 {ocr_done}，失败 {ocr_failed}".format(**data))
        return EXIT_OK
    with _open(args, writable=False) as archive:
        rows = texts.file_states(archive, problems_only=args.failed)
    if args.json:
        _emit([r.to_json() for r in rows])
        return EXIT_OK
    for r in rows:
        ocr = "" if r.ocr_state == "none" else f" OCR {TEXT_LABELS.get(r.ocr_state, r.ocr_state)}"
        reason = f"  {r.reason}" if r.reason else ""
        print(f"{TEXT_LABELS.get(r.state, r.state)}{ocr}\t{r.chars} 字\t{'、'.join(r.files)}"
              f"{reason}")
    print(f"共 {len(rows)} 个文件")
    return EXIT_OK


def _passphrase(name: str, *, confirm: bool = False) -> str:
    value = os.environ.get("ZICHA_PASSPHRASE")
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise ZichaError(f"需要 {name} 的口令：在终端中运行，或设置环境变量 ZICHA_PASSPHRASE")
    import getpass

    value = getpass.getpass(f"{name} 的口令: ")
    if confirm and getpass.getpass("再输入一次: ") != value:
        raise ZichaError("两次输入的口令不一致")
    return value


def cmd_key(args: argparse.Namespace) -> int:
    from desktop.core.review import keys

    public = keys.new_key(args.name, _passphrase(args.name, confirm=True))
    if args.json:
        _emit({"name": args.name, "public_key": public, "path": str(keys.key_path(args.name))})
    else:
        print(public)
    return EXIT_OK


def cmd_user(args: argparse.Namespace) -> int:
    from desktop.core.review import roster

    if args.user_cmd in ("set", "retire", "reinstate", "key"):
        return _change_person(args)
    if args.user_cmd == "add":
        with _open(args, writable=True) as archive:
            roster.add_person(archive, args.name, args.department, args.role, args.public_key,
                              actor=args.as_)
        if args.json:
            _emit({"name": args.name, "added": True})
        else:
            print(f"已登记 {args.name}（{args.department}，"
                  f"{'、'.join(role_label(r) for r in args.role)}）")
        return EXIT_OK
    with _open(args, writable=False) as archive:
        people = roster.people(archive)
    if args.json:
        _emit([p.to_json() for p in people])
    else:
        for p in people:
            retired = "（已停用）" if getattr(p, "retired", False) else ""
            print(f"{p.name}{retired}\t{p.department}\t{'、'.join(role_label(r) for r in p.roles)}"
                  f"\t{p.public_key}")
    return EXIT_OK


def _change_person(args: argparse.Namespace) -> int:
    from desktop.core.review import roster

    with _open(args, writable=True) as archive:
        if args.user_cmd == "set":
            if args.department is None and not args.role:
                raise UsageError("zicha user set: 没有要修改的内容；用 --department 或 --role 给出")
            person = roster.update_person(archive, args.name, department=args.department,
                                          roles=args.role or None, actor=args.as_)
            done = (f"{person.name}：{person.department}，"
                    f"{'、'.join(role_label(r) for r in person.roles)}")
        elif args.user_cmd == "retire":
            roster.retire_person(archive, args.name, actor=args.as_)
            done = f"已停用 {args.name}（其已签的审核仍然有效）"
        elif args.user_cmd == "reinstate":
            roster.reinstate_person(archive, args.name, actor=args.as_)
            done = f"{args.name} 已恢复在岗"
        else:
            roster.replace_key(archive, args.name, args.public_key, actor=args.as_)
            done = f"已为 {args.name} 换上新的公钥"
    if args.json:
        _emit({"name": args.name, "changed": args.user_cmd})
    else:
        print(done)
    return EXIT_OK


def cmd_submit(args: argparse.Namespace) -> int:
    from desktop.core.review import decisions

    with _open(args, writable=True) as archive:
        decisions.submit(archive, args.ids, args.as_)
    if args.json:
        _emit({"submitted": args.ids})
    else:
        print(f"已提交初审：{'、'.join(f'#{i}' for i in args.ids)}")
    return EXIT_OK


def cmd_review(args: argparse.Namespace) -> int:
    from desktop.core.review import decisions, keys

    verdict = "approve" if args.approve else "reject"
    key = keys.load_private(args.as_, _passphrase(args.as_))
    with _open(args, writable=True) as archive:
        decision = decisions.decide(archive, args.id, args.as_, verdict, args.comment or "", key)
        state = archive_state(archive, args.id)
    if args.json:
        _emit({"id": args.id, "stage": decision.stage, "verdict": verdict, "state": state,
               "hash": decision.hash})
    else:
        print(f"材料 #{args.id}：{stage_label(decision.stage)}{VERDICT_LABELS[verdict]}，"
              f"现为{state_label(state)}")
    return EXIT_OK


def archive_state(archive, material_id: int) -> str:  # type: ignore[no-untyped-def]
    from desktop.core.materials.service import get_material

    return get_material(archive, material_id).state


def cmd_history(args: argparse.Namespace) -> int:
    from desktop.core.review import decisions

    with _open(args, writable=False) as archive:
        checked = decisions.history(archive, args.id)
    if args.json:
        _emit([c.to_json() for c in checked])
    else:
        for c in checked:
            mark = "✔" if c.ok else f"✘ {c.problem}"
            print(f"第{c.round}轮 {stage_label(c.stage)}{VERDICT_LABELS.get(c.verdict, c.verdict)}"
                  f" {c.reviewer} {c.decided_at} {mark}"
                  + (f"\n    {c.comment}" if c.comment else ""))
    if not all(c.ok for c in checked):
        print(f"zicha: 材料 #{args.id} 的审核记录有问题", file=sys.stderr)
        return EXIT_FAIL
    return EXIT_OK


def cmd_package(args: argparse.Namespace) -> int:
    from desktop.core.review import decisions, package

    if args.package_cmd == "export":
        with _open(args, writable=True) as archive:
            report = package.export_package(archive, args.stage, Path(args.out))
        if args.json:
            _emit(report.to_json())
        else:
            ids = "、".join(f"#{i}" for i in report.materials)
            print(f"已导出{decisions.STAGE_NAMES[report.stage]}审核包 {report.out}："
                  f"{len(report.materials)} 份材料（{ids}），{report.files} 个文件，"
                  f"包编号 {report.package_id}")
        return EXIT_OK
    if args.package_cmd == "review":
        return _package_review(args)
    with _open(args, writable=True) as archive:
        applied = package.apply_decisions(archive, Path(args.decisions))
    if args.json:
        _emit(applied.to_json())
        return EXIT_OK
    for a in applied.applied:
        verdict = "通过" if a.verdict == "approve" else "退回"
        comment = f"  意见：{a.comment}" if a.comment else ""
        print(f"#{a.id}\t《{a.title}》 {decisions.STAGE_NAMES[a.stage]}{verdict}"
              f"（{a.reviewer}）→ {package.state_label(a.state)}{comment}")
    print(f"已应用 {len(applied.applied)} 条审核决定（审核人 {applied.reviewer}，"
          f"决定文件 {applied.decisions_id}）")
    return EXIT_OK


def _package_review(args: argparse.Namespace) -> int:
    from desktop.core.review import decisions, keys, package

    pkg_path, out = Path(args.package), Path(args.out)
    if out.exists():  # before the passphrase is asked for
        raise ZichaError(f"{out} 已存在；不会覆盖（请换一个 --out 文件名）")
    comments = package.read_comments(Path(args.comments)) if args.comments else None
    wanted = package.choices(args.approve or [], args.reject or [], args.comment or "", comments)
    if args.comment and wanted and not any(c.comment == args.comment for c in wanted):
        raise UsageError("zicha package review: --comment 没有用上（每个决定都已有自己的意见）；"
                         "请去掉 --comment，或去掉某个决定自己的意见")
    with package.open_package(pkg_path) as pkg:
        doc = package.review_package(pkg, args.as_, wanted,
                                     lambda: keys.load_private(args.as_, _passphrase(args.as_)))
        titles = {m["facts"]["id"]: m["facts"]["title"] for m in pkg.materials}
    package.write_decisions(doc, out)
    said = {c.material_id: c.comment for c in wanted}
    if args.json:
        _emit({"out": str(out), "decisions_id": doc["decisions_id"],
               "package_id": doc["package_id"],
               "decisions": [{"id": d["material"], "verdict": d["verdict"],
                              "comment": said[d["material"]], "hash": d["hash"]}
                             for d in doc["decisions"]]})
        return EXIT_OK
    stage = decisions.STAGE_NAMES[doc["stage"]]
    for d in doc["decisions"]:
        comment = f"  意见：{said[d['material']]}" if said[d["material"]] else ""
        print(f"#{d['material']}\t《{titles[d['material']]}》 {stage}"
              f"{VERDICT_LABELS[d['verdict']]}{comment}")
    print(f"已签名 {len(doc['decisions'])} 条决定，写入 {out}；"
          "请交给经办人用 zicha package apply 导入档案")
    return EXIT_OK


# -- tasks, ledger and problems -----------------------------------------------------------------

def _task_json(t) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {"id": t.id, "item": t.item_code, "item_name": t.item_name,
            "category": t.category_code, "department": t.department, "role": t.role,
            "deadline": t.deadline.label(), "deadline_kind": t.deadline.kind,
            "days_left": t.days_left, "status": t.status, "materials": t.materials,
            "final_approved": t.final_approved, "responsible": t.responsible,
            "closed_reason": t.closed_reason}


def _columns(values: list[str] | None) -> dict[str, int] | None:
    from desktop.core.ledger.tasklist import FIELDS

    if not values:
        return None
    columns = {}
    for value in values:
        name, _, number = value.partition("=")
        if name not in FIELDS or not number.isdigit() or int(number) < 1:
            raise UsageError(f"zicha tasks import: --column {value} 应写成 字段=列号（第几列，"
                             f"从 1 起），字段为 {'、'.join(FIELDS)}")
        columns[name] = int(number)
    return columns


def cmd_tasks(args: argparse.Namespace) -> int:
    from desktop.core.ledger import tasks
    from desktop.core.ledger.views import STATUS_LABELS

    today = _date(getattr(args, "today", None), "--today")
    command = args.tasks_cmd or "list"
    if command == "import":
        with _open(args, writable=True) as archive:
            report = tasks.import_tasks(archive, Path(args.file), sheet=args.sheet,
                                        columns=_columns(args.column), year=args.year)
        if args.json:
            _emit(report.to_json())
            return EXIT_OK
        print(f"{report.file}（工作表 {report.sheet}）：{report.rows} 行；新建测评内容 "
              f"{len(report.items_created)} 个，新建任务 {len(report.tasks_created)} 个，更新 "
              f"{len(report.tasks_updated)} 个，未变 {report.unchanged} 个")
        for line in report.items_created:
            print(f"  + 测评内容 {line}")
        for line in report.tasks_updated:
            print(f"  ~ {line}")
        for line in report.skipped:
            print(f"  ! 跳过 {line}")
        for line in report.warnings:
            print(f"  · {line}")
        if report.not_in_list:
            print(f"  · 本清单中没有、此前已有的任务 {len(report.not_in_list)} 个（保留未删）")
        return EXIT_OK
    if command == "close":
        with _open(args, writable=True) as archive:
            tasks.close_task(archive, args.id, args.reason, args.as_)
        print(f"任务 {args.id} 已销号（{args.reason}）")
        return EXIT_OK
    if command == "warn-days":
        with _open(args, writable=True) as archive:
            tasks.set_warn_days(archive, args.days)
        print(f"完成时限前 {args.days} 天内未终审的任务标为黄色")
        return EXIT_OK
    with _open(args, writable=False) as archive:
        if command == "export":
            from desktop.core.ledger.documents import write_ledger_xlsx

            out = Path(args.file)
            if out.suffix.lower() != ".xlsx":
                raise ZichaError(f"{out.name}：台账导出为 .xlsx 文件")
            write_ledger_xlsx(tasks.ledger(archive, today), out)
            print(f"台账已写入 {out}")
            return EXIT_OK
        found = tasks.list_tasks(archive, today=today, status=getattr(args, "status", None),
                                 department=getattr(args, "department", None))
    if args.json:
        _emit([_task_json(t) for t in found])
        return EXIT_OK
    for t in found:
        days = "" if t.days_left is None else (
            f"，逾期 {-t.days_left} 天" if t.days_left < 0 else f"，剩 {t.days_left} 天")
        print(f"{t.id}\t[{STATUS_LABELS[t.status]}] {t.item_code} {t.item_name} / "
              f"{t.department}（{'牵头' if t.role == 'lead' else '配合'}）"
              f" 时限 {t.deadline.label()}{days}；材料 {t.materials}，终审 {t.final_approved}")
    print(f"共 {len(found)} 项任务")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from desktop.core.ledger import tasks
    from desktop.core.ledger.documents import write_weekly_report_docx

    out = Path(args.file)
    if out.suffix.lower() != ".docx":
        raise ZichaError(f"{out.name}：周报导出为 .docx 文件")
    with _open(args, writable=False) as archive:
        write_weekly_report_docx(tasks.ledger(archive, _date(args.today, "--today")), out)
    print(f"周报已写入 {out}")
    return EXIT_OK


def cmd_problem(args: argparse.Namespace) -> int:
    from desktop.core.ledger import problems, tasks

    command = args.problem_cmd or "list"
    if command == "list":
        with _open(args, writable=False) as archive:
            found = tasks.ledger(archive, _date(getattr(args, "today", None), "--today")).problems
        if args.json:
            _emit([{**p.__dict__, "deadline": p.deadline.isoformat() if p.deadline else None}
                   for p in found])
            return EXIT_OK
        for p in found:
            late = "（逾期）" if p.overdue else ""
            print(f"{p.id}\t[{problems.STATE_LABELS[p.state]}{late}] {p.item_code} "
                  f"{p.department or '未交办'}：{p.description}")
        print(f"共 {len(found)} 个问题")
        return EXIT_OK
    with _open(args, writable=True) as archive:
        if command == "add":
            new = problems.add_problem(archive, args.item, args.description, args.as_,
                                       department=args.department,
                                       deadline=_date(args.deadline, "--deadline"),
                                       task_id=args.task)
            if args.json:
                _emit({"id": new})
            else:
                print(f"已记录问题 {new}")
        elif command == "assign":
            problems.assign(archive, args.id, args.department,
                            _date(args.deadline, "--deadline"), args.as_)
            print(f"问题 {args.id} 已交办 {args.department}，时限 {args.deadline}")
        elif command == "rectify":
            problems.rectify(archive, args.id, args.note, args.as_, args.evidence or [])
            print(f"问题 {args.id} 已报整改")
        elif command == "confirm":
            problems.confirm(archive, args.id, args.as_, args.comment)
            print(f"问题 {args.id} 整改已确认")
        else:
            problems.send_back(archive, args.id, args.as_, args.comment)
            print(f"问题 {args.id} 已退回整改")
    return EXIT_OK


def _export_rules(args: argparse.Namespace, archive):  # type: ignore[no-untyped-def]
    import dataclasses
    import datetime as dt

    from desktop.core.export.plan import archive_rules

    rules = archive_rules(archive)
    changes: dict[str, Any] = {}
    if args.evaluation_date:
        try:
            changes["evaluation_date"] = dt.date.fromisoformat(args.evaluation_date)
        except ValueError:
            raise ZichaError(f"--evaluation-date {args.evaluation_date}：日期格式应为 "
                             "YYYY-MM-DD") from None
    if args.max_mb is not None:
        if args.max_mb <= 0:
            raise ZichaError("--max-mb 必须大于 0")
        changes["max_file_mb"] = args.max_mb
    if args.template:
        changes["name_template"] = args.template
    for flag, key in (("image_pdf", "images_to_pdf"), ("docx_pdf", "docx_to_pdf"),
                      ("merge", "merged_pdf")):
        if getattr(args, flag) is not None:
            changes[key] = getattr(args, flag)
    return dataclasses.replace(rules, **changes)


def _export_target(args: argparse.Namespace) -> Path:
    """OUT as the export expects it, or one line saying what it expects (before any work)."""
    if not args.out:
        raise UsageError("zicha export: 需要输出文件名，如 申报材料.zip（或 --folder 新文件夹名）")
    out = Path(args.out)
    if args.folder:
        if out.is_file():
            raise UsageError(f"zicha export: {out} 是已有的文件；--folder 需要一个新文件夹名，"
                             "如 申报材料")
        if out.is_dir():
            raise UsageError(f"zicha export: 文件夹 {out} 已存在；导出不写进已有的文件夹，"
                             f"请给一个新文件夹名，如 {out / '申报材料'}")
        return out
    if out.is_dir():
        inside = "（里面已有文件）" if any(out.iterdir()) else ""
        raise UsageError(f"zicha export: {out} 是文件夹{inside}；需要一个 ZIP 文件名，"
                         f"如 {out / '申报材料.zip'}（或 --folder 新文件夹名）")
    if out.suffix.lower() != ".zip":
        better = out.with_suffix(".zip") if out.suffix[1:].isalpha() else Path(f"{out}.zip")
        raise UsageError(f"zicha export: {out.name} 不是 .zip 文件名；需要如 {better.name}"
                         "（或 --folder 导出为文件夹）")
    return out


def cmd_export(args: argparse.Namespace) -> int:
    from desktop.core.export.bag import check_destination, write_export
    from desktop.core.export.plan import make_plan, summary
    from desktop.core.export.verify import verify_export

    out = Path() if args.preview else _export_target(args)  # a preview writes nothing
    with _open(args, writable=not args.preview) as archive:
        plan = make_plan(archive, _export_rules(args, archive), all_stages=args.all_stages)
        overview = summary(plan)
        if args.preview:
            if args.json:
                _emit(overview)
            else:
                _print_plan(overview)
            return EXIT_OK
        check_destination(out, not args.folder)

        def progress(done: int, total: int, what: str) -> None:
            if sys.stderr.isatty():
                print(f"\r导出 {done}/{total}", end="", file=sys.stderr, flush=True)

        result = write_export(archive, plan, out, as_zip=not args.folder, progress=progress)
        if sys.stderr.isatty():
            print(file=sys.stderr)
    report = verify_export(out)
    if args.json:
        _emit({**result.to_json(), "plan": overview, "verify": report.to_json()})
    else:
        _print_plan(overview, brief=True)
        kind = "草稿导出（含未终审材料）" if plan.draft else "导出"
        print(f"{kind} {out}：{result.materials} 份材料，{result.files} 个文件，"
              f"{result.bytes / 1048576:.1f} MB")
        _print_verify(report)
    if not report.ok:
        print(f"zicha: 导出包 {out} 未通过四性检测", file=sys.stderr)
        return EXIT_FAIL
    return EXIT_OK


def _print_plan(overview: dict[str, Any], *, brief: bool = False) -> None:
    for note in overview["notes"]:
        print(f"注意：{note}")
    for item in overview["items"]:
        if not brief:
            print(f"{item['code']} {item['name']}：{len(item['materials'])} 份")
            for m in item["materials"]:
                for f in m["files"]:
                    print(f"    {f['path']}" + ("（转为 PDF）" if f["action"] != "copy" else ""))
        for m in item["materials"]:
            for flag in m["flags"]:
                print(f"  ! {item['code']} #{m['id']}《{m['title']}》：{flag}")
        for n in item["not_ready"]:
            print(f"  - {item['code']} #{n['id']}《{n['title']}》尚未终审，不导出")
    for v in overview.get("void", []):
        print(f"  ✗ #{v['id']}《{v['title']}》{v['reason']}；不能作为终审通过材料导出")
    if overview["missing"]:
        print("没有可导出材料的测评内容：" + "、".join(overview["missing"]))


def _print_checks(checks, label) -> None:  # type: ignore[no-untyped-def]
    """One line per check ("[通过] 名称（数量）"), its problems and notes indented below."""
    for check in checks:
        mark = "通过" if check.ok else "失败"
        count = f"（{check.count}）" if check.count else ""
        print(f"[{mark}] {label(check)}{count}")
        for p in check.problems:
            print(f"    ✗ {p}")
        for n in check.notes:
            print(f"    · {n}")


def _print_verify(report) -> None:  # type: ignore[no-untyped-def]
    print("四性检测" + ("通过" if report.ok else "未通过") + f"（{report.path}）")
    _print_checks(report.checks, lambda c: f"{c.property} {c.code} {c.name}")


def _verify_export(args: argparse.Namespace, target: Path) -> int:
    from desktop.core.export.verify import verify_export

    report = verify_export(target)
    if args.report:
        from desktop.core.export.documents import write_verify_report_docx

        write_verify_report_docx(report, Path(args.report))
    if args.json:
        _emit(report.to_json())
    else:
        _print_verify(report)
    if not report.ok:
        print(f"zicha: 导出包 {target} 未通过四性检测", file=sys.stderr)
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


def cmd_verify(args: argparse.Namespace) -> int:
    from desktop.core.admin.fsck import verify_archive

    target = Path(args.target) if args.target else _archive_dir(args)
    from desktop.core.archive.archive import Archive, is_archive
    from desktop.core.export.verify import is_export

    if args.target and is_export(target):
        return _verify_export(args, target)
    if args.report:
        raise ZichaError("--report 只用于检查导出包（zicha verify 导出包.zip --report 报告.docx）")
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
        _emit(report.to_json())
    else:
        _print_checks(report.checks, lambda c: c.name)
        for hint in _archive_hints(report.checks):
            print(f"提示：{hint}")
        print("档案检查通过" if report.ok else "档案检查发现问题")
    if not report.ok:
        print(f"zicha: 档案 {target} 检查未通过", file=sys.stderr)
        return EXIT_FAIL
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from desktop.demo.sample_archive import build_demo_archive

    root = _archive_dir(args)
    summary = build_demo_archive(root)
    if args.json:
        _emit(summary)
    else:
        print(f"已创建示例档案 {root}：{summary['materials']} 份材料，"
              f"{summary['items']} 个示例测评内容")
    return EXIT_OK


def cmd_gui(args: argparse.Namespace) -> int:
    from desktop.ui.app import run

    target = args.target or getattr(args, "archive", None)
    return run(Path(target) if target else None, quit_after=getattr(args, "quit_after", None))


# -- parser ------------------------------------------------------------------------------------

PACKAGE_REVIEW_RULES = """\
意见规则：
  每份材料的意见写在编号后（--reject 7:字体异常，--approve 3:材料齐全），
  或写在 --comments 意见文件中（每行 7<Tab>字体异常 或 7:字体异常；# 开头的行忽略）。
  --comment 只给没有自己意见的决定，且通过不会带上退回的原因：
    有退回没写自己的原因时，--comment 就是这些退回的原因，通过的材料不写意见；
    否则（没有退回，或每个退回都有自己的原因），--comment 给没有自己意见的通过。
  例：--approve 1 2 --reject 7 --comment 字体异常   → 只有 #7 带“字体异常”
      --approve 1 2 --reject 7:字体异常 --comment 同意 → #1、#2 带“同意”，#7 带“字体异常”
  没有任何决定用上的 --comment 会被拒绝（什么也不签）。
"""

def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--archive", metavar="DIR", default=argparse.SUPPRESS,
                        help="档案文件夹（默认: 环境变量 ZICHA_ARCHIVE 或用户数据目录）")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="以 JSON 输出")
    parser = _Parser(prog="zicha", description="Zicha 材料自查档案", parents=[common])
    parser.add_argument("--version", action="version", version=f"zicha {__version__}")
    parser.add_argument("--quit-after", dest="quit_after", type=float, metavar="S",
                        default=None, help="（不带子命令时）S 秒后关闭窗口，用于冒烟测试")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    def add(name: str, func: Callable[[argparse.Namespace], int], help_: str):
        p = sub.add_parser(name, parents=[common], help=help_, description=help_)
        p.set_defaults(func=func)
        return p

    p = add("init", cmd_init, "创建档案")
    p.add_argument("--system", help="测评体系编号（默认 cn-wmcs-2023-prefecture）")
    p.add_argument("--profile", metavar="FILE",
                   help="单位配置文件（YAML/TOML）：单位、部门、人员与公钥、任务与导出规则")
    p.add_argument("--name", help="档案名称（默认为文件夹名）")

    p = add("import", cmd_import, "导入文件或文件夹（递归）为材料")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--item", action="append", required=True, metavar="CODE",
                   help="测评内容编号（可多次）；尚未导入测评内容时可用测评项目编号，如 01")
    p.add_argument("--department", metavar="NAME", help="责任单位")
    p.add_argument("--title", metavar="T", help="材料名称（仅单个文件；默认取文件名）")
    p.add_argument("--type", metavar="TYPE", help="材料类型，如 方案计划、活动记录、图片")

    p.add_argument("--no-ocr", action="store_true",
                   help="不等待 OCR（图片和扫描件的文字稍后在后台识别）")

    p = add("search", cmd_search, "全文搜索材料")
    p.add_argument("query", metavar="QUERY",
                   help='搜索词：空格分隔表示同时包含；"短语"；OR；-排除词 或 NOT 排除词')
    p.add_argument("--item", action="append", metavar="CODE", help="只搜索该测评项目或测评内容")
    p.add_argument("--department", metavar="NAME", help="只搜索该责任单位的材料")
    p.add_argument("--type", metavar="TYPE", help="只搜索该材料类型")
    p.add_argument("--stage", metavar="S", help="只搜索该审核状态（draft … 或 草稿 …）")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="材料日期不早于")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="材料日期不晚于")
    p.add_argument("--limit", type=int, default=20, metavar="N", help="最多返回条数（默认 20）")
    p.add_argument("--offset", type=int, default=0, metavar="N", help="跳过前 N 条（翻页）")

    p = add("index", cmd_index, "全文索引")
    index_sub = p.add_subparsers(dest="index_cmd", parser_class=_Parser)
    index_sub.add_parser("status", parents=[common], help="索引状态（默认）")
    r = index_sub.add_parser("rebuild", parents=[common], help="重建全文索引")
    r.add_argument("--engine", choices=["fts5", "whoosh"], help="同时切换搜索引擎")

    p = add("texts", cmd_texts, "文件的文字提取状态")
    p.add_argument("--failed", action="store_true", help="只列出提取失败的文件")
    texts_sub = p.add_subparsers(dest="texts_cmd", parser_class=_Parser)
    t = texts_sub.add_parser("run", parents=[common], help="提取所有等待中的文件")
    t.add_argument("--no-ocr", action="store_true", help="跳过 OCR")

    p = add("key", cmd_key, "密钥")
    key_sub = p.add_subparsers(dest="key_cmd", parser_class=_Parser, required=True)
    k = key_sub.add_parser("new", parents=[common], help="在本机密钥库中为某人创建签名密钥")
    k.add_argument("name", metavar="NAME")

    p = add("user", cmd_user, "名册：人员与角色")
    user_sub = p.add_subparsers(dest="user_cmd", parser_class=_Parser)
    user_sub.add_parser("list", parents=[common], help="列出名册（默认）")
    u = user_sub.add_parser("add", parents=[common], help="登记一个人")
    u.add_argument("name", metavar="NAME")
    u.add_argument("--department", required=True, metavar="D", help="所在单位")
    u.add_argument("--role", action="append", required=True, metavar="R",
                   help="clerk、first、second、final、admin；first@部门 表示只审该部门的材料")
    u.add_argument("--public-key", dest="public_key", required=True, metavar="KEY",
                   help="zicha key new 打印的公钥")
    u.add_argument("--as", dest="as_", metavar="ADMIN",
                   help="做这项改动的管理员（名册中已有管理员时必填）")
    u = user_sub.add_parser("set", parents=[common], help="修改一个人的部门或角色")
    u.add_argument("name", metavar="NAME")
    u.add_argument("--department", metavar="D", help="新的所在单位")
    u.add_argument("--role", action="append", metavar="R",
                   help="新的全部角色（可重复；替换原有角色）")
    u.add_argument("--as", dest="as_", required=True, metavar="ADMIN", help="管理员")
    for verb, text in (("retire", "停用一个人（已签的审核仍然有效）"), ("reinstate", "恢复在岗")):
        u = user_sub.add_parser(verb, parents=[common], help=text)
        u.add_argument("name", metavar="NAME")
        u.add_argument("--as", dest="as_", required=True, metavar="ADMIN", help="管理员")
    u = user_sub.add_parser("key", parents=[common],
                            help="换成新的公钥（只在此人尚未签过审核时可以）")
    u.add_argument("name", metavar="NAME")
    u.add_argument("--public-key", dest="public_key", required=True, metavar="KEY")
    u.add_argument("--as", dest="as_", required=True, metavar="ADMIN", help="管理员")

    p = add("submit", cmd_submit, "提交材料送初审")
    p.add_argument("ids", nargs="+", type=int, metavar="ID")
    p.add_argument("--as", dest="as_", required=True, metavar="NAME", help="提交人（经办人）")

    p = add("review", cmd_review, "审核一份材料并签名")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--as", dest="as_", required=True, metavar="NAME", help="审核人")
    verdict = p.add_mutually_exclusive_group(required=True)
    verdict.add_argument("--approve", action="store_true", help="通过")
    verdict.add_argument("--reject", action="store_true", help="退回")
    p.add_argument("--comment", metavar="TEXT", default="", help="审核意见（退回时必填）")

    p = add("package", cmd_package, "离线审核包：导出、审核签名、应用决定")
    pkg_sub = p.add_subparsers(dest="package_cmd", parser_class=_Parser, required=True)
    e = pkg_sub.add_parser("export", parents=[common], help="导出等待某一审核阶段的材料")
    e.add_argument("--stage", required=True, choices=["first", "second", "final"],
                   help="first 初审、second 复审、final 终审")
    e.add_argument("--out", required=True, metavar="FILE", help="审核包文件（ZIP）")
    r = pkg_sub.add_parser("review", parents=[common],
                           help="审核人在自己的电脑上审核审核包并签名（无需档案）",
                           description="审核人在自己的电脑上审核审核包并签名（无需档案）",
                           epilog=PACKAGE_REVIEW_RULES,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    r.add_argument("package", metavar="PKG", help="审核包文件")
    r.add_argument("--as", dest="as_", required=True, metavar="NAME", help="审核人")
    r.add_argument("--approve", action="extend", nargs="+", metavar="ID[:意见]",
                   help="通过这些材料；7:意见 给这份材料写自己的意见")
    r.add_argument("--reject", action="extend", nargs="+", metavar="ID[:意见]",
                   help="退回这些材料，每份都要有原因：7:原因，或意见文件，或 --comment")
    r.add_argument("--comments", metavar="FILE",
                   help="意见文件：每行 材料编号<Tab或冒号>意见，UTF-8 或 GB18030")
    r.add_argument("--comment", metavar="TEXT", default="",
                   help="没有自己意见的决定所用的意见（规则见下）")
    r.add_argument("--out", required=True, metavar="DEC", help="写出的决定文件")
    a = pkg_sub.add_parser("apply", parents=[common],
                           help="在档案中验证并应用决定文件（全部或全不）")
    a.add_argument("decisions", metavar="DECISIONS", help="审核人交回的决定文件")

    p = add("history", cmd_history, "一份材料的审核记录（逐条验证签名）")
    p.add_argument("id", type=int, metavar="ID")

    p = add("delete", cmd_delete, "删除一份草稿材料")
    p.add_argument("id", type=int)

    p = add("list", cmd_list, "列出材料")
    p.add_argument("--item", metavar="CODE", help="只列出该测评项目或测评内容下的材料")
    p.add_argument("--stage", metavar="S",
                   help="只列出该审核状态的材料（draft、submitted …，或 草稿、待初审 …）")
    p.add_argument("--incomplete", action="store_true",
                   help="只列出待完善的材料（缺名称、日期、类型或责任单位），并说明缺什么")

    p = add("show", cmd_show, "显示一份材料")
    p.add_argument("id", type=int)

    p = add("edit", cmd_edit, "修改材料信息")
    p.add_argument("id", type=int)
    p.add_argument("--title")
    p.add_argument("--doc-number", dest="doc_number", help="文号")
    p.add_argument("--date", dest="material_date", help="材料日期，如 2024-06-30")
    p.add_argument("--department")
    p.add_argument("--type", dest="material_type")
    p.add_argument("--description")
    p.add_argument("--item", action="append", metavar="CODE", help="归入的测评内容（替换原有）")
    p.add_argument("--caption-time")
    p.add_argument("--caption-place")
    p.add_argument("--caption-people")
    p.add_argument("--caption-subject")

    p = add("items", cmd_items, "测评项目与测评内容")
    items_sub = p.add_subparsers(dest="items_cmd", parser_class=_Parser)
    items_sub.add_parser("list", parents=[common], help="列出（默认）")
    a = items_sub.add_parser("add", parents=[common], help="添加一个测评内容")
    a.add_argument("code")
    a.add_argument("name")
    a.add_argument("--criterion", help="测评标准 / 材料要求")
    a = items_sub.add_parser("rename", parents=[common], help="给一个测评内容改名")
    a.add_argument("code")
    a.add_argument("name")
    a.add_argument("--criterion", help="同时改测评标准 / 材料要求")

    p = add("tasks", cmd_tasks, "任务分解清单与台账：导入、状态、销号、导出")
    p.add_argument("--status", metavar="S", help="done、white、yellow、red、closed")
    p.add_argument("--department", metavar="D")
    p.add_argument("--today", metavar="DATE", help="按这一天计算状态（默认今天）")
    tasks_sub = p.add_subparsers(dest="tasks_cmd", parser_class=_Parser)
    t = tasks_sub.add_parser("import", parents=[common], help="导入任务分解清单（XLSX）")
    t.add_argument("file", metavar="FILE")
    t.add_argument("--sheet", metavar="NAME", help="工作表（默认：第一个能找到表头的）")
    t.add_argument("--year", type=int, metavar="Y", help="只写月份的完成时限按哪一年计")
    t.add_argument("--column", action="append", metavar="FIELD=N",
                   help="指定列：如 item=3、lead=6（自动识别不对时）")
    for name, help_ in (("list", "列出任务及其状态（默认）"), ("export", "导出台账 XLSX")):
        t = tasks_sub.add_parser(name, parents=[common], help=help_)
        if name == "export":
            t.add_argument("file", metavar="FILE.xlsx")
        else:
            t.add_argument("--status", metavar="S", help="done、white、yellow、red、closed")
            t.add_argument("--department", metavar="D")
        t.add_argument("--today", metavar="DATE", help="按这一天计算状态（默认今天）")
    t = tasks_sub.add_parser("close", parents=[common], help="销号（仅管理员，须写理由）")
    t.add_argument("id", type=int, metavar="ID")
    t.add_argument("--reason", required=True, metavar="TEXT")
    t.add_argument("--as", dest="as_", required=True, metavar="NAME")
    t = tasks_sub.add_parser("warn-days", parents=[common], help="完成时限前几天标黄（默认 7）")
    t.add_argument("days", type=int, metavar="N")

    p = add("report", cmd_report, "报告")
    report_sub = p.add_subparsers(dest="report_cmd", parser_class=_Parser, required=True)
    r = report_sub.add_parser("weekly", parents=[common],
                              help="周报 DOCX（总体、各项目与单位、红黄清单、问题）")
    r.add_argument("file", metavar="FILE.docx")
    r.add_argument("--today", metavar="DATE", help="按这一天计算（默认今天）")

    p = add("problem", cmd_problem, "问题整改：发现、交办、整改、确认或退回")
    p.add_argument("--today", metavar="DATE")
    problem_sub = p.add_subparsers(dest="problem_cmd", parser_class=_Parser)
    q = problem_sub.add_parser("list", parents=[common], help="列出问题（默认）")
    q.add_argument("--today", metavar="DATE")
    q = problem_sub.add_parser("add", parents=[common], help="记录发现的问题")
    q.add_argument("description", metavar="TEXT")
    q.add_argument("--item", required=True, metavar="CODE")
    q.add_argument("--task", type=int, metavar="ID")
    q.add_argument("--department", metavar="D", help="同时交办给这个单位")
    q.add_argument("--deadline", metavar="DATE")
    q.add_argument("--as", dest="as_", required=True, metavar="NAME")
    q = problem_sub.add_parser("assign", parents=[common], help="交办")
    q.add_argument("id", type=int, metavar="ID")
    q.add_argument("--department", required=True, metavar="D")
    q.add_argument("--deadline", required=True, metavar="DATE")
    q.add_argument("--as", dest="as_", required=True, metavar="NAME")
    q = problem_sub.add_parser("rectify", parents=[common], help="报整改（经办人）")
    q.add_argument("id", type=int, metavar="ID")
    q.add_argument("--note", required=True, metavar="TEXT")
    q.add_argument("--evidence", type=int, nargs="*", metavar="MATERIAL_ID")
    q.add_argument("--as", dest="as_", required=True, metavar="NAME")
    for name, help_ in (("confirm", "确认整改"), ("return", "退回整改（须写原因）")):
        q = problem_sub.add_parser(name, parents=[common], help=help_)
        q.add_argument("id", type=int, metavar="ID")
        q.add_argument("--comment", required=name == "return", default="", metavar="TEXT")
        q.add_argument("--as", dest="as_", required=True, metavar="NAME")

    p = add("export", cmd_export, "导出网上申报材料（BagIt 包，ZIP 或文件夹），并做四性检测")
    p.add_argument("out", metavar="OUT", nargs="?",
                   help="导出包：xxx.zip，或 --folder 时的新文件夹（--preview 时可不写）")
    p.add_argument("--folder", action="store_true", help="导出为文件夹而不是 ZIP")
    p.add_argument("--all-stages", dest="all_stages", action="store_true",
                   help="草稿导出：包含未终审的材料（明确标为草稿）")
    p.add_argument("--preview", action="store_true", help="只列出将导出什么、缺什么，不写文件")
    p.add_argument("--evaluation-date", dest="evaluation_date", metavar="DATE",
                   help="测评日期 T；日期不在 [T−13个月, T−1个月] 内的材料会被标出")
    p.add_argument("--max-mb", dest="max_mb", type=float, metavar="N", help="每个文件的大小上限")
    p.add_argument("--template", metavar="T", help="文件命名模板，默认 {序号}_{材料名称}")
    p.add_argument("--image-pdf", dest="image_pdf", action=argparse.BooleanOptionalAction,
                   default=None, help="图片转为带说明的 A4 PDF 页（默认是）")
    p.add_argument("--docx-pdf", dest="docx_pdf", action=argparse.BooleanOptionalAction,
                   default=None, help="DOCX 转为 PDF（需要 LibreOffice）")
    p.add_argument("--merge", action=argparse.BooleanOptionalAction, default=None,
                   help="每个测评内容另附一份带书签的合并 PDF")

    p = add("verify", cmd_verify, "检查档案（哈希、引用、审计日志、数据库），或对导出包做四性检测")
    p.add_argument("target", nargs="?", metavar="DIR|EXPORT")
    p.add_argument("--report", metavar="FILE.docx", help="导出包的四性检测报告另存为 DOCX")

    add("demo", cmd_demo, "创建一个示例档案")

    p = add("gui", cmd_gui, "打开窗口")
    p.add_argument("target", nargs="?", metavar="DIR")
    p.add_argument("--quit-after", dest="quit_after", type=float, metavar="S",
                   help="S 秒后关闭并打印窗口标题（用于安装后的冒烟测试）")
    return parser


EXIT_PIPE = 128 + 13  # as if killed by SIGPIPE, like other commands whose reader went away


def _pipe_closed() -> int:
    """The reader of our output went away (`zicha list | head -1`): stop quietly. Python would
    still flush stdout at exit and complain, so point stdout at the null device first (the
    Python documentation's advice for SIGPIPE)."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return EXIT_PIPE


def _with_hint(message: str, exc: ZichaError) -> str:
    """The core's message (also what the window shows) and the command-line hint it carries."""
    hint = getattr(exc, "hint", "")
    return _one_line(f"{message}；{hint}" if hint else message)


def _archive_dir_or_none(archive: str | None) -> Path | None:
    with contextlib.suppress(Exception):
        return Path(archive) if archive else _archive_dir(argparse.Namespace(archive=None))
    return None


def gui_main() -> int:
    """`zicha-gui`: the installed window entry point, the same as `zicha gui`."""
    return main(["gui", *sys.argv[1:]])


def main(argv: Sequence[str] | None = None) -> int:
    # a frozen app (PyInstaller) is also the text-extraction child: let it become that child
    multiprocessing.freeze_support()
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args: argparse.Namespace | None = None
    try:
        args = parser.parse_args(argv)
        for name, default in (("archive", None), ("json", False)):
            if not hasattr(args, name):
                setattr(args, name, default)
        if args.command is None:
            return cmd_gui(argparse.Namespace(target=None, archive=args.archive,
                                              quit_after=args.quit_after))
        code = args.func(args)
        sys.stdout.flush()  # a closed pipe shows here, not as a noise at exit
        return code
    except BrokenPipeError:
        return _pipe_closed()
    except UsageError as exc:
        print(_with_hint(str(exc), exc), file=sys.stderr)
        return EXIT_USAGE
    except ZichaError as exc:
        print(_with_hint(f"zicha: {exc}", exc), file=sys.stderr)
        return EXIT_FAIL
    except KeyboardInterrupt:
        print("zicha: 已中断", file=sys.stderr)
        return 130
    except Exception as exc:  # last resort: still one line, details on request
        if os.environ.get("ZICHA_DEBUG"):
            raise
        archive = _archive_dir_or_none(getattr(args, "archive", None))
        if (failure := _storage_failure(exc, archive)) is not None:
            print(_with_hint(f"zicha: {failure}", failure), file=sys.stderr)
            return EXIT_FAIL
        print(_one_line(f"zicha: 内部错误 {type(exc).__name__}: {exc}"
                        "（设置 ZICHA_DEBUG=1 查看详情）"), file=sys.stderr)
        return EXIT_FAIL
