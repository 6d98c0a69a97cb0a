"""The demo archive's phone photo (HEIC, with the EXIF a phone writes) and its short video
(H.264 in MP4, a few seconds of an activity scene), made with the real encoders that
pillow-heif and PyAV carry, from the same drawn scenes as the demo's other photos."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

from PIL import Image, ImageDraw

from desktop.demo.samples import photo_image, pil_font

VIDEO_SIZE = (640, 360)
VIDEO_FPS = 10


def _exif(taken: dt.datetime, gps: tuple[float, float] | None) -> Image.Exif:
    exif = Image.Exif()
    stamp = taken.strftime("%Y:%m:%d %H:%M:%S")
    exif[0x010F] = "Apple"  # Make
    exif[0x0110] = "iPhone 13"  # Model
    exif[0x0132] = stamp  # DateTime
    sub = exif.get_ifd(0x8769)
    sub[0x9003] = stamp  # DateTimeOriginal
    sub[0x9004] = stamp  # DateTimeDigitized
    sub[0x9011] = "+08:00"  # OffsetTimeOriginal
    if gps is not None:
        info = exif.get_ifd(0x8825)
        lat, lon = gps
        info[1], info[3] = ("N" if lat >= 0 else "S"), ("E" if lon >= 0 else "W")
        info[2], info[4] = _dms(abs(lat)), _dms(abs(lon))
    return exif


def _dms(value: float) -> tuple[Fraction, Fraction, Fraction]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60 * 100)
    return Fraction(degrees), Fraction(minutes), Fraction(seconds, 100)


def make_heic(path: Path, caption: str, *, taken: dt.datetime, gps: tuple[float, float] | None,
              size: tuple[int, int] = (1200, 900), seed: int = 0, scene: str | None = None,
              slogan: str | None = None) -> Path:
    """A phone photo as HEIC, with the shooting time, the place (GPS) and the camera in
    its EXIF, as an iPhone writes them."""
    import pillow_heif

    image = photo_image(size, seed, scene, slogan, caption)
    heif = pillow_heif.from_pillow(image)
    path.parent.mkdir(parents=True, exist_ok=True)
    heif.save(path, quality=80, exif=_exif(taken, gps).tobytes())
    return path


def make_video(path: Path, caption: str, *, seconds: float = 4.0, seed: int = 0,
               scene: str | None = None, slogan: str | None = None,
               created: dt.datetime | None = None) -> Path:
    """A short H.264/AAC-less MP4 of an activity scene slowly panned, the caption on it and a
    running time stamp, with the container's creation time set as a phone sets it."""
    import av

    wide = photo_image((VIDEO_SIZE[0] + 160, VIDEO_SIZE[1]), seed, scene, slogan, caption)
    frames = max(1, round(seconds * VIDEO_FPS))
    font = pil_font(18)
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), "w", format="mp4") as container:
        if created is not None:
            container.metadata["creation_time"] = created.astimezone(dt.UTC).strftime(
                "%Y-%m-%dT%H:%M:%S.000000Z")
        stream = container.add_stream("libx264", rate=VIDEO_FPS)
        stream.width, stream.height = VIDEO_SIZE
        stream.pix_fmt = "yuv420p"
        stream.options = {"preset": "veryfast", "crf": "30"}
        for n in range(frames):
            left = round(160 * n / max(frames - 1, 1))
            frame = wide.crop((left, 0, left + VIDEO_SIZE[0], VIDEO_SIZE[1]))
            ImageDraw.Draw(frame).text((12, 10), f"00:{n // VIDEO_FPS:02d}", font=font,
                                       fill=(255, 255, 255))
            for packet in stream.encode(av.VideoFrame.from_image(frame)):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path
