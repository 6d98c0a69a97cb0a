"""Regenerate the smoke-test fixtures (run with the dev venv: .venv/bin/python make.py).

Each file carries one word the smoke test searches for: the PDF 垃圾分类 (text layer), the DOCX
志愿服务, the PNG 文明交通 (found only through OCR in the installed app).
"""

import datetime as dt
from pathlib import Path

import docx
import pymupdf
from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"

pdf = pymupdf.open()
page = pdf.new_page()
page.insert_text((72, 100), "吴州市生活垃圾分类工作方案", fontname="china-s", fontsize=18)
page.insert_text((72, 140), "各街道要在六月底前完成垃圾分类投放点改造。", fontname="china-s",
                 fontsize=12)
pdf.set_metadata({"title": "垃圾分类工作方案", "creationDate": "D:20250301000000",
                  "modDate": "D:20250301000000"})
pdf.save(HERE / "方案.pdf", garbage=4, deflate=True, no_new_id=True)

document = docx.Document()
document.core_properties.created = dt.datetime(2025, 3, 1)
document.add_heading("志愿服务活动总结", level=1)
document.add_paragraph("本季度全市开展志愿服务活动一百二十场，参与群众三千余人次。")
document.save(HERE / "总结.docx")

image = Image.new("RGB", (900, 260), "white")
draw = ImageDraw.Draw(image)
draw.text((40, 60), "文明交通劝导岗", font=ImageFont.truetype(FONT, 96), fill="black")
image.save(HERE / "照片.png", optimize=True)
