"""The archive's core commands on both engines (issue 17): a SQLite archive and a server
archive (`zicha init --server`, database on PostgreSQL, files in the folder) go through the
same steps and must give the same answers: create/open, import, list, edit, search (exact
against a scan, 1-character terms included), tasks import, submit and three signed review
stages, history, the audit chain and `zicha verify`."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import PASSPHRASE, ZichaCli
from tests.pg import server_url as pg_server_url

PEOPLE = {"经办人甲": "clerk", "初审乙": "first", "复审丙": "second", "终审丁": "final"}
TEXTS = {
    "方案": "吴州市创建全国文明城市工作方案。联系人王芳，PM2.5 年均浓度下降 5%。",
    "通知": "关于开展文明交通志愿服务活动的通知：请各单位组织志愿者。",
    "记录": "会议听取了垃圾分类工作汇报，李娜发言。",
}


def _init(cli: ZichaCli, root: Path, server: str | None) -> dict:
    extra = ["--server", server] if server else []
    return cli.ok_json("init", "--archive", root, *extra)


def _task_list(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "测评项目", "测评内容", "工作要求", "牵头单位", "配合单位", "完成时限"])
    ws.append([1, "01 理想信念教育", "深入学习宣传", "要求", "市委宣传部", "", "2024-06-30"])
    ws.append([2, "08 生活和谐宜居", "垃圾分类", "要求", "市城管局", "市文明办", "2024-09-30"])
    wb.save(path)
    return path


@pytest.fixture
def archive(zicha_cli: ZichaCli, tmp_path: Path, server_or_none: str | None
            ) -> tuple[ZichaCli, Path, dict[str, int]]:
    root = tmp_path / "档案"
    info = _init(zicha_cli, root, server_or_none)
    assert info["system_id"] == "cn-wmcs-2023-prefecture"
    src = tmp_path / "src"
    src.mkdir()
    for name, body in TEXTS.items():
        (src / f"{name}.txt").write_text(body, encoding="utf-8")
    rows = zicha_cli.ok_json("import", *sorted(src.iterdir()), "--item", "08",
                             "--department", "市文明办", "--archive", root)
    assert [r["status"] for r in rows] == ["stored"] * 3
    return zicha_cli, root, {Path(r["path"]).stem: r["id"] for r in rows}


def test_a_server_archive_folder_holds_files_and_the_server_not_a_database(
        zicha_cli: ZichaCli, tmp_path: Path, pg_database: str) -> None:
    root = tmp_path / "共享" / "市档案"
    info = _init(zicha_cli, root, pg_database)
    names = sorted(p.name for p in root.iterdir())
    assert "zicha.db" not in names and "zicha.lock" not in names
    assert {"files", "tmp", "zicha-server.json"} <= set(names)
    saved = json.loads((root / "zicha-server.json").read_text(encoding="utf-8"))
    assert saved["format"] == "zicha-server/1" and saved["url"] == pg_database
    assert saved["archive_id"] == info["archive_id"] == info["server"]["archive_id"]
    assert saved["database"] == pg_database.rsplit("/", 1)[1]
    # a second folder cannot claim the same database
    again = zicha_cli.run("init", "--archive", tmp_path / "另一个", "--server", pg_database)
    assert again.returncode != 0 and "已经有一个 Zicha 档案" in again.stderr, str(again)
    assert not (tmp_path / "另一个").exists()
    # no folder lock: two writers open it at once
    from desktop.core.archive.archive import Archive

    with Archive.open(root) as one, Archive.open(root) as two:
        assert one.writable and two.writable
        assert one.info()["archive_id"] == two.info()["archive_id"]


def test_info_names_the_server_never_a_password(archive, engine_kind: str) -> None:  # type: ignore[no-untyped-def]
    cli, root, _ids = archive
    from desktop.core.archive import db

    facts = cli.ok_json("info", "--archive", root)
    assert facts["engine"] == engine_kind and facts["revision"] == db.HEAD_REVISION
    assert facts["counts"]["materials"] == 3
    text = cli.ok("info", "--archive", root).stdout
    if engine_kind == "sqlite":
        assert facts["server"] is None and facts["database"] == str(root / "zicha.db")
        assert "数据库服务器" not in text
        return
    url = json.loads((root / "zicha-server.json").read_text(encoding="utf-8"))["url"]
    where = facts["server"]
    assert url.startswith(f"postgresql://{where['user']}@{where['host']}:{where['port']}/")
    assert facts["database"] == url and where["database"] == url.rsplit("/", 1)[1]
    assert where["tls"] is False and re.fullmatch(r"\d+\.\d+", where["server_version"])
    assert f"数据库：postgresql，{url}（结构版本 {db.HEAD_REVISION}）" in text
    assert f"主机 {where['host']}，端口 {where['port']}，数据库 {where['database']}" in text
    assert "连接未加密" in text and "password" not in text.lower()


def test_a_password_in_the_url_is_refused_and_never_written(
        zicha_cli: ZichaCli, tmp_path: Path, pg_database: str) -> None:
    with_password = pg_database.replace("://", "://zicha:geheim-口令@", 1).replace(
        "://zicha:geheim-口令@zicha@", "://zicha:geheim-口令@")
    assert "geheim" in with_password
    result = zicha_cli.run("init", "--archive", tmp_path / "档案", "--server", with_password)
    assert result.returncode != 0 and len(result.stderr_lines) >= 1, str(result)
    assert "密码" in result.stderr and "geheim" not in result.stderr
    assert ".pgpass" in result.stderr or "PGPASSWORD" in result.stderr
    assert not (tmp_path / "档案").exists()


def test_an_unreachable_server_is_named_with_what_to_do(zicha_cli: ZichaCli,
                                                       tmp_path: Path) -> None:
    url = "postgresql://zicha@127.0.0.1:1/zicha_city?connect_timeout=3"
    result = zicha_cli.run("init", "--archive", tmp_path / "档案", "--server", url)
    assert result.returncode != 0 and "Traceback" not in result.stderr, str(result)
    assert "无法连接" in result.stderr and "127.0.0.1:1" in result.stderr
    assert not (tmp_path / "档案").exists()


def test_a_database_that_does_not_exist(zicha_cli: ZichaCli, tmp_path: Path,
                                        pg_database: str) -> None:
    url = pg_database.rsplit("/", 1)[0] + "/zicha_no_such_db"
    result = zicha_cli.run("init", "--archive", tmp_path / "档案", "--server", url)
    assert result.returncode != 0 and "没有数据库 zicha_no_such_db" in result.stderr, str(result)


def test_import_list_edit_and_reopen(archive) -> None:  # type: ignore[no-untyped-def]
    cli, root, ids = archive
    listed = cli.ok_json("list", "--archive", root)
    assert sorted(m["id"] for m in listed) == sorted(ids.values())
    assert {m["state"] for m in listed} == {"draft"}
    cli.ok("edit", ids["方案"], "--title", "创建工作方案（修订）", "--item", "01",
           "--archive", root)
    [row] = [m for m in cli.ok_json("list", "--item", "01", "--archive", root)]
    assert row["id"] == ids["方案"] and row["title"] == "创建工作方案（修订）"
    # the same file again is a duplicate, not a second material
    src = root.parent / "src" / "通知.txt"
    [dup] = cli.ok_json("import", src, "--item", "08", "--archive", root)
    assert dup["status"] != "stored" and dup["id"] == ids["通知"]


QUERIES = ["文明", "王芳", "市", "5%", "pm2.5", "垃圾分类 -李娜", "王芳 OR 李娜",
           '"志愿服务"', "文明城市工作方案", "明 会", "没有这个词"]


def test_search_is_exact_on_both_engines(archive) -> None:  # type: ignore[no-untyped-def]
    cli, root, ids = archive
    cli.ok("texts", "run", "--archive", root)
    from sqlalchemy import select

    from desktop.core.archive.archive import Archive
    from desktop.core.archive.models import SearchDoc

    with Archive.open(root, writable=False) as opened, opened.read() as session:
        bodies = dict(session.execute(select(SearchDoc.material_id, SearchDoc.body)).all())
    assert set(bodies) == set(ids.values())
    assert all(TEXTS[name][:10] in bodies[i] for name, i in ids.items())  # texts extracted

    def scan(q: str) -> set[int]:
        from desktop.core.search.query import parse

        query = parse(q)

        def has(body: str, t: str) -> bool:
            return re.search(re.escape(t), body, re.I) is not None

        return {i for i, b in bodies.items()
                if all(any(has(b, t) for t in c) for c in query.clauses)
                and not any(has(b, t) for t in query.excluded)}

    for q in QUERIES:
        hits = cli.ok_json("search", q, "--archive", root, "--limit", "50")
        assert {h["id"] for h in hits} == scan(q), q
        scores = [h["score"] for h in hits]
        assert scores == sorted(scores, reverse=True) and all(s > 0 for s in scores), q
    [hit] = cli.ok_json("search", "王芳", "--archive", root)
    start, end = hit["highlights"][0]
    assert hit["snippet"][start:end] == "王芳"
    status = cli.ok_json("index", "--archive", root)
    assert status["missing"] == [] and status["stale"] == []


def test_tasks_import_and_list(archive, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli, root, _ids = archive
    report = cli.ok_json("tasks", "import", _task_list(tmp_path / "清单.xlsx"), "--archive", root)
    assert len(report["tasks_created"]) == 3
    tasks = cli.ok_json("tasks", "list", "--archive", root, "--today", "2024-06-25")
    assert len(tasks) == 3
    assert {t["department"] for t in tasks} == {"市委宣传部", "市城管局", "市文明办"}


def test_signed_review_through_three_stages_and_verify(archive, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli, root, ids = archive
    homes = {name: tmp_path / "keys" / name for name in PEOPLE}
    for name, role in PEOPLE.items():
        person = cli.as_person(name, homes[name])
        key = person.in_process("key", "new", name).strip()
        cli.ok("user", "add", name, "--department", "市文明办", "--role", role,
               "--public-key", key, "--archive", root)

    def as_(name: str) -> ZichaCli:
        return cli.as_person(name, homes[name], passphrase=PASSPHRASE)

    as_("经办人甲").ok("submit", ids["方案"], ids["通知"], "--as", "经办人甲", "--archive", root)
    for name, state in (("初审乙", "first_approved"), ("复审丙", "second_approved"),
                        ("终审丁", "final_approved")):
        out = as_(name).ok_json("review", ids["方案"], "--as", name, "--approve",
                                "--comment", "同意", "--archive", root)
        assert out["state"] == state
    # separation of duties holds on the server too
    refused = as_("初审乙").run("review", ids["方案"], "--as", "初审乙", "--approve",
                               "--comment", "再次", "--archive", root)
    assert refused.returncode != 0 and "Traceback" not in refused.stderr, str(refused)
    rejected = as_("初审乙").ok_json("review", ids["通知"], "--as", "初审乙", "--reject",
                                    "--comment", "缺少附件", "--archive", root)
    assert rejected["state"] == "returned"
    history = cli.ok_json("history", ids["方案"], "--archive", root)
    assert [h["stage"] for h in history if h.get("stage")][:3] == ["first", "second", "final"]
    report = cli.ok_json("verify", "--archive", root)
    assert report["ok"], report
    checks = {c["name"]: c for c in report["checks"]}
    assert checks["审计日志哈希链"]["count"] >= 10
    assert checks["审核签名与材料现状"]["count"] == 1


def test_a_decision_changed_behind_the_core_is_found(archive, server_or_none) -> None:  # type: ignore[no-untyped-def]
    """A client writing to the database directly (not through Zicha) is named by verify."""
    from sqlalchemy import text

    from desktop.core.archive.archive import Archive

    cli, root, ids = archive
    with Archive.open(root) as opened, opened.engine.begin() as conn:
        conn.execute(text("UPDATE audit_entry SET detail = :d WHERE seq = 2"), {"d": "{}"})
    report = cli.run("verify", "--archive", root, "--json")
    assert report.returncode != 0
    checks = {c["name"]: c for c in report.json()["checks"]}
    assert not checks["审计日志哈希链"]["ok"]
    assert any("第 2 条" in p for p in checks["审计日志哈希链"]["problems"])


@pytest.fixture
def city_roles() -> Iterator[dict[str, str]]:
    """docs/team-mode.md's setup, on the test server: an owner role, a group of desktop users
    with one person in it, and the city's database owned by the owner (dropped afterwards)."""
    import uuid

    import psycopg

    admin_url = pg_server_url()
    tag = uuid.uuid4().hex[:8]
    names = {"owner": f"zicha_city_{tag}", "users": f"zicha_city_{tag}_users",
             "person": f"wang_fang_{tag}", "database": f"zicha_city_{tag}"}
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE ROLE "{names["owner"]}" LOGIN')
        conn.execute(f'CREATE ROLE "{names["users"]}" NOLOGIN')
        conn.execute(f'CREATE ROLE "{names["person"]}" LOGIN IN ROLE "{names["users"]}"')
        conn.execute(f'CREATE DATABASE "{names["database"]}" OWNER "{names["owner"]}" '
                     "ENCODING 'UTF8' LOCALE 'C' TEMPLATE template0")
        conn.execute(f'REVOKE ALL ON DATABASE "{names["database"]}" FROM PUBLIC')
        conn.execute(f'GRANT CONNECT ON DATABASE "{names["database"]}" TO "{names["users"]}"')
    base = admin_url.partition("?")[0].rsplit("/", 1)[0].split("://", 1)[1].rsplit("@", 1)[-1]
    names["url"] = f"postgresql://{base}/{names['database']}"  # no user: PGUSER says who
    try:
        yield names
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{names["database"]}" WITH (FORCE)')
            for role in ("person", "users", "owner"):
                conn.execute(f'DROP ROLE IF EXISTS "{names[role]}"')


GRANTS = """
GRANT USAGE ON SCHEMA public TO {users};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {users};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {users};
ALTER DEFAULT PRIVILEGES IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {users};
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {users};
REVOKE UPDATE, DELETE, TRUNCATE ON audit_entry FROM {users};
"""


def test_the_documented_roles_let_a_desktop_work_and_keep_the_audit_log_append_only(
        zicha_cli: ZichaCli, tmp_path: Path, city_roles: dict[str, str]) -> None:
    import psycopg

    root = tmp_path / "共享" / "市档案"
    owner, person = city_roles["owner"], city_roles["person"]
    zicha_cli.env["PGUSER"] = owner  # the admin makes the archive as the owner role
    _init(zicha_cli, root, city_roles["url"])
    assert "@" not in json.loads((root / "zicha-server.json").read_text(encoding="utf-8"))["url"]
    # before the grants a desktop's role may not read the archive: said, not a traceback
    zicha_cli.env["PGUSER"] = person
    refused = zicha_cli.run("list", "--archive", root)
    assert refused.returncode != 0 and "Traceback" not in refused.stderr, str(refused)
    assert "权限" in refused.stderr and person in refused.stderr, str(refused)
    with psycopg.connect(city_roles["url"], user=owner, autocommit=True) as conn:
        conn.execute(GRANTS.format(users=f'"{city_roles["users"]}"'))
    # a desktop as the person: the workflow works with the documented grants
    src = tmp_path / "src"
    src.mkdir()
    (src / "方案.txt").write_text(TEXTS["方案"], encoding="utf-8")
    [row] = zicha_cli.ok_json("import", src / "方案.txt", "--item", "08", "--archive", root)
    zicha_cli.ok("edit", row["id"], "--title", "工作方案", "--archive", root)
    assert [h["id"] for h in zicha_cli.ok_json("search", "王芳", "--archive", root)] == [row["id"]]
    zicha_cli.ok("tasks", "import", _task_list(tmp_path / "清单.xlsx"), "--archive", root)
    info = zicha_cli.ok_json("info", "--archive", root)
    assert info["server"]["user"] == person
    assert zicha_cli.ok_json("verify", "--archive", root)["ok"]
    # a newer Zicha's schema is the owner's to install: a desktop's role is told so
    from alembic import command

    from desktop.core.archive import db, server

    owner_engine = server.make_engine(server.parse_url(
        city_roles["url"].replace("://", f"://{owner}@", 1)))
    try:
        # before 0017, the newest migration that changes a server's tables (0018 changes only
        # SQLite's, so a role that may write alembic_version can take it)
        below = "0016"
        command.downgrade(db._alembic_config(owner_engine), below)
    finally:
        owner_engine.dispose()
    behind = zicha_cli.run("list", "--archive", root)
    assert behind.returncode != 0 and "Traceback" not in behind.stderr, str(behind)
    assert f"需要先升级数据库结构（{below} → {db.HEAD_REVISION}）" in behind.stderr
    assert f"数据库用户 {person} 无权修改数据库结构" in behind.stderr, str(behind)
    zicha_cli.env["PGUSER"] = owner
    assert zicha_cli.ok_json("info", "--archive", root)["revision"] == db.HEAD_REVISION
    zicha_cli.env["PGUSER"] = person  # the tables the upgrade made: the default privileges
    assert len(zicha_cli.ok_json("list", "--archive", root)) == 1
    assert zicha_cli.ok_json("transfer", "list", "--archive", root) is not None
    # ... but cannot rewrite or cut the audit log behind the core
    with psycopg.connect(city_roles["url"], user=person, autocommit=True) as conn:
        for statement in ("UPDATE audit_entry SET detail = '{}' WHERE seq = 2",
                          "DELETE FROM audit_entry WHERE seq > 1", "TRUNCATE audit_entry"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)


def test_a_connection_lost_mid_transaction_is_said_and_nothing_is_committed(
        tmp_path: Path, pg_database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import psycopg
    from sqlalchemy import text

    from desktop.core.archive.archive import Archive
    from desktop.core.archive.server import ServerUnavailable

    monkeypatch.setenv("ZICHA_USER", "测试员")
    root = tmp_path / "档案"
    Archive.create(root, server_url=pg_database).close()
    name = "SELECT value FROM archive_info WHERE key = 'name'"
    with Archive.open(root) as archive:
        with pytest.raises(ServerUnavailable) as lost, archive.write() as (session, _log):
            pid = session.execute(text("SELECT pg_backend_pid()")).scalar()
            session.execute(text("UPDATE archive_info SET value = '改名' WHERE key = 'name'"))
            with psycopg.connect(pg_server_url(), autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s, 10000)", [pid])
            session.execute(text("SELECT 1"))
        message = str(lost.value)
        assert "连接中断" in message and str(root) in message and "没有提交" in message
        # the next operation connects again; the change was never committed
        with archive.read() as session:
            assert session.execute(text(name)).scalar() == "档案"
    assert not list((root / "tmp").iterdir())


def test_a_server_that_does_not_offer_tls_when_it_is_required(
        zicha_cli: ZichaCli, tmp_path: Path, pg_database: str) -> None:
    result = zicha_cli.run("init", "--archive", tmp_path / "档案", "--server",
                           f"{pg_database}?sslmode=require")
    assert result.returncode != 0 and "Traceback" not in result.stderr, str(result)
    assert "加密连接（TLS）没有建立" in result.stderr and "sslmode" in result.stderr
    assert not (tmp_path / "档案").exists()


def test_the_other_commands_on_both_engines(archive, tmp_path: Path,  # type: ignore[no-untyped-def]
                                             server_or_none: str | None,
                                             request: pytest.FixtureRequest) -> None:
    """The rest of a working day: 测评内容 and 测评体系, roster, problems, 负面清单, 台账 and
    weekly report, the upload export checked as an export, index rebuild, delete, and a 报送包
    from this archive applied to a city archive of the same engine."""
    cli, root, ids = archive
    a = ("--archive", root)
    cli.ok("items", "add", "08.09", "新的测评内容", *a)
    cli.ok("systems", "add", "--name", "文明村镇测评体系", "--prefix", "C", "--weight", "10", *a)
    cli.ok("systems", "add-category", "C", "村镇建设", *a)
    assert [s["prefix"] for s in cli.ok_json("systems", *a)] == ["", "C"]
    home = tmp_path / "keys" / "管理员戊"
    admin = cli.as_person("管理员戊", home)
    key = admin.in_process("key", "new", "管理员戊").strip()
    cli.ok("user", "add", "管理员戊", "--department", "市文明办", "--role", "admin",
           "--public-key", key, *a)
    admin = cli.as_person("管理员戊", home, passphrase=PASSPHRASE)
    admin.ok("problem", "add", "宣传栏破损", "--item", "08", "--as", "管理员戊", *a)
    admin.ok("negative", "add", "发生重大安全事故", "--item", "09", "--as", "管理员戊", *a)
    assert len(cli.ok_json("problem", *a)) == 1 and len(cli.ok_json("negative", *a)) == 1
    cli.ok("export", tmp_path / "导出.zip", "--all-stages", "--formats", "text", *a)
    assert cli.run("verify", tmp_path / "导出.zip").returncode == 0
    cli.ok("tasks", "import", _task_list(tmp_path / "清单.xlsx"), *a)
    cli.ok("tasks", "export", tmp_path / "台账.xlsx", "--today", "2024-06-25", *a)
    cli.ok("report", "weekly", tmp_path / "周报.docx", "--today", "2024-06-25", *a)
    assert openpyxl.load_workbook(tmp_path / "台账.xlsx").sheetnames
    rebuilt = cli.ok_json("index", "rebuild", *a)
    assert rebuilt["materials"] == 3, rebuilt
    cli.ok("delete", ids["记录"], *a)
    assert sorted(m["id"] for m in cli.ok_json("list", *a)) == sorted(
        [ids["方案"], ids["通知"]])
    assert [h["id"] for h in cli.ok_json("search", "李娜", *a)] == []
    # a 报送包 to a city archive on the same engine
    city = tmp_path / "市创文办"
    if server_or_none is None:
        cli.ok("init", "--archive", city)
    else:
        another = request.getfixturevalue("pg_databases")()
        cli.ok("init", "--archive", city, "--server", another)
    city_id = cli.ok_json("info", "--archive", city)["id"]
    cli.ok("user", "add", "管理员戊", "--department", "市文明办", "--role", "admin",
           "--public-key", key, "--archive", city)
    admin.ok("transfer", "export", "--to", city_id, "--out", tmp_path / "报送.zip",
             "--as", "管理员戊", *a)
    applied = admin.ok_json("transfer", "apply", tmp_path / "报送.zip", "--as", "管理员戊",
                            "--archive", city)
    assert len(applied["added"]) == 2, applied
    assert sorted(m["title"] for m in cli.ok_json("list", "--archive", city)) == sorted(
        m["title"] for m in cli.ok_json("list", *a))
    for where in (root, city):
        report = cli.ok_json("verify", "--archive", where)
        assert report["ok"], report



def test_verify_finds_a_sequence_behind_its_ids(zicha_cli: ZichaCli, tmp_path: Path,
                                                pg_database: str) -> None:
    """Rows restored without their sequence (or written with ids by hand): the next insert
    would collide, and verify says so before it does."""
    import psycopg

    root = tmp_path / "档案"
    _init(zicha_cli, root, pg_database)
    (tmp_path / "a.txt").write_text("文明城市创建材料", encoding="utf-8")
    zicha_cli.ok("import", tmp_path / "a.txt", "--item", "08", "--archive", root)
    assert zicha_cli.ok_json("verify", "--archive", root)["ok"]
    with psycopg.connect(pg_database, autocommit=True) as conn:
        conn.execute("SELECT setval(pg_get_serial_sequence('material', 'id'), 1, false)")
    report = zicha_cli.run("verify", "--archive", root, "--json")
    assert report.returncode != 0
    [database] = [c for c in report.json()["checks"] if c["name"] == "数据库完整性"]
    assert any("表 material 的编号序列落后" in p for p in database["problems"]), database
