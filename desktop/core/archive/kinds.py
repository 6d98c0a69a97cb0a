"""The archive's kinds of things as plain values (no SQLAlchemy): review states, roles,
indicator node kinds, material types. The window and the CLI use these; the tables in
models.py store them."""

from __future__ import annotations

from enum import StrEnum


class NodeKind(StrEnum):
    CATEGORY = "category"  # 测评项目
    ITEM = "item"  # 测评内容


class ReviewState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    FIRST_APPROVED = "first_approved"
    SECOND_APPROVED = "second_approved"
    FINAL_APPROVED = "final_approved"
    RETURNED = "returned"


class Role(StrEnum):
    CLERK = "clerk"  # 经办人
    FIRST = "first"  # 初审
    SECOND = "second"  # 复审
    FINAL = "final"  # 终审
    ADMIN = "admin"


MATERIAL_TYPES = ("方案计划", "制度机制", "活动记录", "保障措施", "特色成效", "图片", "视频",
                  "其他")
# the level of recognition a 创新特色 / 加分 material shows ("" when not known)
BONUS_LEVELS = ("国家级", "省级", "市级")
