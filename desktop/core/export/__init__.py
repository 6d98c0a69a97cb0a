"""Upload-ready export: plan, layout, conversions, the BagIt package and its 四性检测."""
