"""zicha migrate streams a table that refers to itself parents first, ordered by the database
(not in memory): a child whose key sorts before its parent's still comes after it, and rows no
root reaches come last."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, MetaData, String, Table, create_engine, insert

from desktop.core.admin.migrate import _ordered


def test_a_tree_comes_parents_first_whatever_its_keys() -> None:
    meta = MetaData()
    node = Table("node", meta, Column("code", String, primary_key=True),
                 Column("parent_code", String, ForeignKey("node.code")))
    engine = create_engine("sqlite://")
    meta.create_all(engine)
    rows = [("a", "z"), ("b", None), ("c", "a"), ("z", "b"), ("y", None), ("x", "q")]
    with engine.begin() as conn:
        conn.execute(insert(node), [{"code": c, "parent_code": p} for c, p in rows])
        order = [r.code for r in conn.execute(_ordered(node))]
    assert sorted(order) == sorted(c for c, _p in rows)
    seen: set[str] = set()
    parent = dict(rows)
    for code in order[:-1]:
        assert parent[code] is None or parent[code] in seen, order
        seen.add(code)
    assert order[-1] == "x"  # its parent is missing: last, for the database to refuse
    assert order[:2] == ["b", "y"]  # the roots, by key


def test_a_table_without_a_tree_comes_by_key() -> None:
    meta = MetaData()
    plain = Table("plain", meta, Column("k", String, primary_key=True), Column("v", String))
    engine = create_engine("sqlite://")
    meta.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(plain), [{"k": k, "v": k} for k in "qwerty"])
        assert [r.k for r in conn.execute(_ordered(plain))] == sorted("qwerty")
