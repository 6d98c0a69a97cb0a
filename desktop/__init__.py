"""Zicha 材料自查档案: evidence archive for the 全国文明城市 evaluation."""

__version__ = "0.1.0"
