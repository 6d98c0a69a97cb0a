"""Photos beyond JPEG/PNG/TIFF (HEIC, WebP, BMP, GIF) and video and audio: open and show them,
read when and where a photo was taken, say what a recording is. Neither has text to search, so
the extraction of a media file ends "no_text" with a one-line description.

Runs in the extraction child process or a worker thread (never on the GUI thread): decoding a
frame of a 4K video or a 50 MP photo takes a noticeable fraction of a second.
PyAV and pillow-heif are imported on first use, so that importing this module costs nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

from desktop.core.common.formats import (
    AUDIO_KINDS,
    MEDIA_KINDS,
    VIDEO_KINDS,
    canonical,
    format_of,
)
from desktop.core.extract.base import ExtractError, Extraction
from desktop.core.extract.documents import check_readable

if TYPE_CHECKING:
    import numpy as np
    from av.audio.frame import AudioFrame
    from av.audio.stream import AudioStream
    from av.container import InputContainer
    from av.stream import Stream
    from av.video.frame import VideoFrame
    from av.video.stream import VideoStream

__all__ = [
    "MAX_PIXELS",
    "MAX_VIDEO_PIXELS",
    "MediaInfo",
    "PhotoFacts",
    "describe_media",
    "extract_media",
    "image_png",
    "open_image",
    "photo_facts",
    "poster_png",
    "probe",
    "waveform_png",
]

# The same bound as detection's Image.MAX_IMAGE_PIXELS: phone photos reach 50-200 MP, a
# picture declaring more is a decompression bomb (a few KB of file, gigabytes of pixels).
MAX_PIXELS = 200_000_000
# zlib level of the PNGs made here: a 12 MP photo's 2400 px PNG takes 0.5 s at 3 and 2.4 s at
# 6, for a file 7 % smaller
_PNG_LEVEL = 3

# -- photos -----------------------------------------------------------------------------------

# Pillow's readers we open files with (JPEG's also opens a camera's MPO). The others stay out:
# EPS would start Ghostscript, and nobody files evidence as PSD, ICO or PCX.
_PICTURE_FORMATS = ("JPEG", "PNG", "TIFF", "BMP", "DIB", "GIF", "WEBP", "HEIF")

_heif_lock = threading.Lock()
_heif_registered = False


def _register_heif() -> None:
    """Teach Pillow HEIC/HEIF (pillow-heif), once per process, on first use."""
    global _heif_registered
    if _heif_registered:
        return
    with _heif_lock:
        if not _heif_registered:
            import pillow_heif

            pillow_heif.register_heif_opener()
            _heif_registered = True


def open_image(path: Path, *, orient: bool = False) -> Image.Image:
    """Open a picture Pillow or pillow-heif reads (JPEG, PNG, TIFF, BMP, GIF, WebP, HEIC/HEIF),
    lazily: the pixels are decoded on first use. Use it as a context manager so the file is
    closed. With ``orient`` the EXIF orientation is applied (the picture as the camera held it;
    HEIC comes already turned by libheif). A picture of more than MAX_PIXELS pixels, or one
    that is broken or of an unknown format, raises ExtractError."""
    path = Path(path)
    check_readable(path)
    _register_heif()
    try:
        with warnings.catch_warnings():
            # the bound is checked just below; Pillow's own warning is only noise
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(path, formats=_PICTURE_FORMATS)
    except Image.DecompressionBombError as exc:
        raise ExtractError(_too_large(path, None)) from exc
    except UnidentifiedImageError as exc:
        raise ExtractError(f"图片“{path.name}”已损坏或不是可识别的图片格式，无法打开；"
                           "请用原设备重新导出或另存为 JPG 后再导入") from exc
    except (OSError, ValueError, SyntaxError, RuntimeError) as exc:
        raise ExtractError(_broken_image(path, exc)) from exc
    width, height = img.size
    if width <= 0 or height <= 0 or width * height > MAX_PIXELS:
        img.close()
        raise ExtractError(_too_large(path, (width, height)))
    if orient and _orientation(img) not in (0, 1):
        try:
            turned = ImageOps.exif_transpose(img)
        except (OSError, ValueError, SyntaxError) as exc:
            img.close()
            raise ExtractError(_broken_image(path, exc)) from exc
        img.close()
        return turned
    return img


# EXIF orientation -> the transposition that shows the picture upright (as exif_transpose)
_TURNS = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
          4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
          6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
          8: Image.Transpose.ROTATE_90}


def _orientation(img: Image.Image) -> int:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = img.getexif().get(0x0112, 1)
        return int(value)
    except Exception:  # a malformed EXIF block: show the picture as stored
        return 1


def _too_large(path: Path, size: tuple[int, int] | None) -> str:
    declared = f"（{size[0]}×{size[1]} 像素）" if size else ""
    return (f"图片“{path.name}”声明的尺寸过大{declared}（上限 2 亿像素），可能已损坏或是恶意构造"
            "的文件，已拒绝打开；如是真实照片，请缩小后再导入")


def _broken_image(path: Path, exc: BaseException) -> str:
    detail = " ".join(str(exc).split())[:80]
    return (f"图片“{path.name}”已损坏或不完整，无法显示（{detail or type(exc).__name__}）；"
            "请用原设备重新导出后再导入")


def image_png(path: Path, max_side: int = 2400, frame: int = 0) -> bytes:
    """A PNG (RGB, no transparency: on white) of the picture at ``path``, turned as the EXIF
    orientation says and no larger than ``max_side`` on its longer side: what the viewer shows
    and what the export converts for the kinds MuPDF cannot open itself (HEIC, WebP). ``frame``
    picks a frame of an animated GIF/WebP or a multi-page TIFF (the first by default)."""
    if max_side < 1:
        raise ValueError("max_side must be positive")
    path = Path(path)
    if frame < 0:
        raise ValueError("frame must not be negative")
    img = open_image(path)
    try:
        try:
            if frame:
                try:
                    img.seek(frame)
                except EOFError:
                    frames = int(getattr(img, "n_frames", 1) or 1)
                    raise ExtractError(f"图片“{path.name}”只有 {frames} 帧，没有第 {frame + 1} 帧"
                                       ) from None
            if img.format == "JPEG":
                img.draft("RGB", (max_side, max_side))  # decode at 1/2, 1/4, 1/8 size directly
            img.load()
            orientation = _orientation(img)
            rgb = _on_white(img)
            rgb.thumbnail((max_side, max_side), Image.Resampling.LANCZOS, reducing_gap=3.0)
            turn = _TURNS.get(orientation)
            if turn is not None:  # after shrinking: turning 12 MP costs more than 4 MP
                rgb = rgb.transpose(turn)
            out = io.BytesIO()
            rgb.save(out, "PNG", compress_level=_PNG_LEVEL)
        except ExtractError:
            raise
        except MemoryError as exc:
            raise ExtractError(f"图片“{path.name}”太大，内存不足，无法显示") from exc
        except (OSError, ValueError, SyntaxError, RuntimeError, EOFError) as exc:
            raise ExtractError(_broken_image(path, exc)) from exc
        return out.getvalue()
    finally:
        img.close()


def _on_white(img: Image.Image) -> Image.Image:
    has_alpha = img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        img.mode == "P" and "transparency" in img.info)
    if has_alpha:
        rgba = img.convert("RGBA")
        canvas = Image.new("RGB", rgba.size, (255, 255, 255))
        canvas.paste(rgba, mask=rgba.getchannel("A"))
        return canvas
    if img.mode in ("I;16", "I;16L", "I;16B", "I"):
        # 16-bit grey (scans, some TIFF): scale to 8 bits, convert() would clip to white
        return img.point(lambda v: v / 256).convert("L").convert("RGB")
    return img.convert("RGB") if img.mode != "RGB" else img.copy()


@dataclass(frozen=True)
class PhotoFacts:
    """What a photo's EXIF says about where and when it was taken (all empty when it says
    nothing). ``taken_at`` carries the offset from UTC when the camera recorded one
    (OffsetTimeOriginal), else it is the camera's local time without a zone."""

    taken_at: dt.datetime | None = None
    gps: tuple[float, float] | None = None  # latitude, longitude: degrees, south/west negative
    gps_text: str = ""  # "GPS 北纬 28.2282°，东经 112.9388°"
    camera: str = ""  # "Apple iPhone 13"


_EXIF_IFD = 0x8769
_GPS_IFD = 0x8825
# (date, offset, sub-second) tags: original, digitized (both in the Exif IFD), then the file's
# DateTime (IFD0) with OffsetTime
_DATE_TAGS = ((0x9003, 0x9011, 0x9291), (0x9004, 0x9012, 0x9292), (0x0132, 0x9010, 0x9290))
_EXIF_DATE = re.compile(r"(\d{4})[:\-/.](\d{1,2})[:\-/.](\d{1,2})"
                        r"(?:[ T]+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?")
_OFFSET = re.compile(r"([+-])(\d{1,2}):?(\d{2})")


def photo_facts(path: Path) -> PhotoFacts:
    """Date taken, GPS position and camera from the EXIF of a photo (JPEG, HEIC, TIFF, WebP,
    PNG). Never raises: a photo without EXIF, or a broken one, gives empty facts."""
    try:
        with open_image(Path(path)) as img, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow warns of each malformed EXIF entry
            exif = img.getexif()
            main = dict(exif)
            sub = dict(exif.get_ifd(_EXIF_IFD))
            gps_ifd = dict(exif.get_ifd(_GPS_IFD))
    except Exception:  # no EXIF is a normal answer for a picture; the import goes on
        return PhotoFacts()
    taken = _safe(lambda: _taken_at(main, sub))
    gps = _safe(lambda: _gps(gps_ifd))
    camera = _safe(lambda: _camera(main)) or ""
    return PhotoFacts(taken_at=taken, gps=gps, gps_text=gps_text(gps) if gps else "",
                      camera=camera)


def _safe(read: Any) -> Any:
    try:
        return read()
    except Exception:  # one malformed tag must not hide the others
        return None


def _text(value: object) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return str(value or "").replace("\x00", " ").strip()


def _taken_at(main: dict[int, Any], sub: dict[int, Any]) -> dt.datetime | None:
    for date_tag, offset_tag, subsec_tag in _DATE_TAGS:
        raw = (main if date_tag == 0x0132 else sub).get(date_tag)
        when = exif_datetime(_text(raw), _text(sub.get(offset_tag)), _text(sub.get(subsec_tag)))
        if when is not None:
            return when
    return None


def exif_datetime(raw: str, offset: str = "", subsec: str = "") -> dt.datetime | None:
    """An EXIF date ("2024:05:18 09:30:12", "+08:00", "123") as a datetime, aware when the
    offset is given; None for a blank or impossible one ("0000:00:00 00:00:00")."""
    m = _EXIF_DATE.match(raw.strip())
    if not m:
        return None
    year, month, day, hour, minute, second = (int(g) if g else 0 for g in m.groups())
    if year < 1900:
        return None
    micro = 0
    digits = re.match(r"\d+", subsec.strip())
    if digits:
        micro = int(digits.group()[:6].ljust(6, "0"))
    tz: dt.tzinfo | None = None
    om = _OFFSET.fullmatch(offset.strip())
    if om:
        sign = -1 if om.group(1) == "-" else 1
        delta = dt.timedelta(hours=int(om.group(2)), minutes=int(om.group(3)))
        if delta <= dt.timedelta(hours=14):
            tz = dt.timezone(sign * delta)
    try:
        return dt.datetime(year, month, day, hour, minute, second, micro, tzinfo=tz)
    except ValueError:
        return None


def _degrees(value: object) -> float | None:
    parts = value if isinstance(value, tuple | list) else (value,)
    if not 1 <= len(parts) <= 3:
        return None
    total = 0.0
    for part, unit in zip(parts, (1.0, 60.0, 3600.0), strict=False):
        number = float(part)  # IFDRational, int or float
        if not math.isfinite(number) or number < 0:
            return None
        total += number / unit
    return total


def _gps(ifd: dict[int, Any]) -> tuple[float, float] | None:
    lat, lon = _degrees(ifd.get(0x0002)), _degrees(ifd.get(0x0004))
    if lat is None or lon is None:
        return None
    if _text(ifd.get(0x0001)).upper().startswith("S"):
        lat = -lat
    if _text(ifd.get(0x0003)).upper().startswith("W"):
        lon = -lon
    if abs(lat) > 90 or abs(lon) > 180 or (lat == 0 and lon == 0):  # 0,0: no fix recorded
        return None
    return (lat, lon)


def gps_text(gps: tuple[float, float]) -> str:
    """'GPS 北纬 28.2282°，东经 112.9388°' for a (latitude, longitude) in degrees."""
    lat, lon = gps
    return (f"GPS {'北纬' if lat >= 0 else '南纬'} {abs(lat):.4f}°，"
            f"{'东经' if lon >= 0 else '西经'} {abs(lon):.4f}°")


def _camera(main: dict[int, Any]) -> str:
    make, model = _text(main.get(0x010F)), _text(main.get(0x0110))
    make, model = " ".join(make.split()), " ".join(model.split())
    if not make or not model:
        return model or make
    brand = make.split()[0]
    # "NIKON CORPORATION" + "NIKON D750", "Canon" + "Canon EOS R5": the model names the brand
    if model.lower().startswith(brand.lower()):
        return model
    return f"{make} {model}"


# -- video and audio ---------------------------------------------------------------------------

# Demuxers a media file may open with (FFmpeg's names). Playlists (HLS, DASH), concat lists,
# image sequences and network protocols are left out: a file posing as a video must not make
# FFmpeg read other files or open connections.
_DEMUXERS = ("mov,mp4,m4a,3gp,3g2,mj2,avi,matroska,webm,flv,asf,mpeg,mpegts,mpegvideo,"
             "mp3,wav,w64,aac,amr,amrnb,amrwb,flac,ogg,aiff,caf")
_OPEN_OPTIONS = {"format_whitelist": _DEMUXERS, "protocol_whitelist": "file",
                 "probesize": str(20 * 1024 * 1024), "analyzeduration": str(10_000_000)}
# raw streams without an index: FFmpeg estimates their length from the bit rate (off by 10 %
# and more), so a seek to 90 % of it may find nothing in a whole file
_ESTIMATED_LENGTH = {"aac", "amr", "amrnb", "amrwb", "mpegvideo"}
# a frame of 8192×8192 decodes to 100 MB; a video declaring more is not a camera's
MAX_VIDEO_PIXELS = 8192 * 8192
_IO_SECONDS = 10.0  # one blocking open or read
_THREADS = 2  # the machines have two cores; the GUI needs one of them
_PROBE_SECONDS = 5.0
_POSTER_SECONDS = 6.0
_WAVEFORM_SECONDS = 4.5
# longer than this, the waveform samples a window per column instead of decoding everything
_WAVEFORM_FULL_SECONDS = 300.0
_WAVEFORM_SAMPLED_AUDIO = 240.0  # seconds of audio decoded in all, when sampling


@dataclass(frozen=True)
class MediaInfo:
    """What a video or audio file is. ``width``/``height`` are the picture's pixels as turned
    for showing (a phone's portrait video, turned by its display matrix, is taller than wide).
    ``created_at`` is the recording time from the container (aware: Apple's local
    creationdate, else creation_time in UTC)."""

    duration_s: float | None = None
    width: int | None = None
    height: int | None = None
    video_codec: str = ""  # FFmpeg's codec name: h264, hevc, mpeg4, vp9, wmv2 …
    audio_codec: str = ""  # aac, mp3, opus, amr_nb, pcm_s16le …
    has_video: bool = False
    has_audio: bool = False
    created_at: dt.datetime | None = None


def _word(path: Path, kind: str) -> str:
    """视频 or 音频, for messages: from the kind, else from the usual extension."""
    kind = canonical(kind) if kind else ""
    if kind in AUDIO_KINDS:
        return "音频"
    if kind in VIDEO_KINDS:
        return "视频"
    suffix = path.suffix.lower()
    if any(suffix in format_of(k).extensions for k in AUDIO_KINDS):
        return "音频"
    return "视频"


def _broken(path: Path, word: str, why: str = "") -> ExtractError:
    detail = f"（{why}）" if why else ""
    return ExtractError(f"{word}文件“{path.name}”已损坏或不完整{detail}，无法读取；"
                        "请从原设备或原始来源重新复制该文件")


def _av_reason(exc: BaseException) -> str:
    """FFmpeg's complaint in words a clerk can read."""
    import av

    if isinstance(exc, av.error.InvalidDataError):
        return "内容无法识别，不是完整的音视频数据"
    if isinstance(exc, av.error.EOFError):
        return "文件提前结束"
    if isinstance(exc, av.error.ArgumentError):  # also: a demuxer not on our list
        return "不是支持的音视频格式"
    if isinstance(exc, av.error.PatchWelcomeError):
        return "使用了不支持的编码或功能"
    text = getattr(exc, "strerror", None) or str(exc)
    return " ".join(str(text).split())[:80]


@contextmanager
def _open_media(path: Path, word: str) -> Iterator[InputContainer]:
    import av

    check_readable(path)
    try:
        container = av.open(str(path), "r", options=dict(_OPEN_OPTIONS),
                            metadata_errors="replace", timeout=(_IO_SECONDS, _IO_SECONDS))
    except (FileNotFoundError, PermissionError, IsADirectoryError) as exc:
        check_readable(path)  # gone or locked meanwhile: say so
        raise _broken(path, word, "无法打开文件") from exc
    except (av.FFmpegError, OSError, ValueError, UnicodeError) as exc:
        raise _broken(path, word, _av_reason(exc)) from exc
    try:
        yield container
    except ExtractError:
        raise
    except av.FFmpegError as exc:  # a read or seek failing in the middle of the file
        raise _broken(path, word, _av_reason(exc)) from exc
    except MemoryError as exc:
        raise ExtractError(f"{word}文件“{path.name}”太大，内存不足，无法处理") from exc
    finally:
        container.close()


def _video_stream(container: InputContainer) -> VideoStream | None:
    import av

    for stream in container.streams.video:
        if not stream.disposition & av.stream.Disposition.attached_pic:  # an MP3's cover
            return stream
    return None


def _cover_stream(container: InputContainer) -> VideoStream | None:
    import av

    for stream in container.streams.video:
        if stream.disposition & av.stream.Disposition.attached_pic:
            return stream
    return None


def _audio_stream(container: InputContainer) -> AudioStream | None:
    return container.streams.audio[0] if container.streams.audio else None


def _usable(stream: Stream, path: Path, word: str) -> None:
    """The stream's codec must have a decoder in PyAV's FFmpeg."""
    context = stream.codec_context
    if context is None or not context.name or context.name == "none":
        what = "画面" if stream.type == "video" else "声音"
        raise ExtractError(f"{word}文件“{path.name}”的{what}编码不受支持，无法预览；"
                           "请用格式工厂等工具转换为 MP4（H.264/AAC）后再导入")
    width, height = getattr(context, "width", 0) or 0, getattr(context, "height", 0) or 0
    if stream.type == "video" and width * height > MAX_VIDEO_PIXELS:
        raise ExtractError(f"{word}文件“{path.name}”声明的画面尺寸过大（{width}×{height}），"
                           "可能已损坏或是恶意构造的文件，已拒绝打开")
    context.thread_count = _THREADS
    context.thread_type = "AUTO"


def _duration(container: InputContainer) -> float | None:
    if container.duration is not None and container.duration > 0:
        return container.duration / 1_000_000
    for stream in container.streams:
        if stream.duration and stream.time_base:
            return float(stream.duration * stream.time_base)
    return None


def _frames(container: InputContainer, stream: Stream, deadline: float,
            max_packets: int = 3000) -> Iterator[Any]:
    """Decoded frames of ``stream`` until the time or packet budget is spent. A packet the
    decoder rejects is skipped (a damaged stretch); too many in a row end the stream."""
    import av

    errors = 0
    for count, packet in enumerate(container.demux(stream)):
        if count >= max_packets or time.monotonic() > deadline:
            return
        try:
            decoded = packet.decode()
        except av.FFmpegError:
            errors += 1
            if errors > 50:
                return
            continue
        errors = 0
        yield from decoded


def _check_complete(container: InputContainer, duration: float | None, path: Path,
                    word: str) -> None:
    """Seek to 90 % of the declared duration: a file cut short (copied halfway, a phone's
    recording interrupted) has nothing there, though its header promises it."""
    import av

    if not duration or duration < 0.5:
        return
    if set(container.format.name.split(",")) & _ESTIMATED_LENGTH:
        return
    try:
        container.seek(int(duration * 0.9 * av.time_base), any_frame=True)
    except (av.FFmpegError, OSError, ValueError):
        return  # not seekable: cannot tell
    start = (container.start_time or 0) / 1_000_000
    reached: float | None = None
    got = False
    try:
        for count, packet in enumerate(container.demux()):
            if count >= 40:
                break
            if packet.size:
                got = True
                if packet.pts is not None and packet.time_base:
                    seconds = float(packet.pts * packet.time_base) - start
                    reached = seconds if reached is None else max(reached, seconds)
    except (av.FFmpegError, OSError):
        pass
    # a seek lands on a packet near the target; far before it, the rest is missing. Short
    # files are spared that test: a demuxer may seek only to the one key frame at the start.
    if not got or (duration >= 30 and reached is not None and reached < duration * 0.5):
        raise _broken(path, word, "文件在应有的结尾之前就结束了，可能没有复制完整")


def probe(path: Path, kind: str = "") -> MediaInfo:
    """Read what the video or audio file at ``path`` is: streams, codecs, duration, size as
    shown, recording time. The first frame is decoded and the end is looked for, so that a
    broken, truncated or undecodable file raises ExtractError (Chinese reason) here already.
    ``kind`` (mp4, mp3 …) only chooses the words of the messages."""
    path = Path(path)
    word = _word(path, kind)
    deadline = time.monotonic() + _PROBE_SECONDS
    with _open_media(path, word) as container:
        video, audio = _video_stream(container), _audio_stream(container)
        if video is None and audio is None:
            raise ExtractError(f"{word}文件“{path.name}”中找不到画面或声音，可能已损坏或不是音视频"
                               "文件；请从原设备重新复制")
        for stream in (video, audio):
            if stream is not None:
                _usable(stream, path, word)
        first = video if video is not None else audio
        assert first is not None
        frame = next(_frames(container, first, deadline, max_packets=600), None)
        if frame is None:
            raise _broken(path, word, "画面无法解码" if first is video else "声音无法解码")
        duration = _duration(container)
        width = height = None
        if video is not None:
            width, height = _shown_size(frame)
        created = _created_at(container)
        _check_complete(container, duration, path, word)
        return MediaInfo(
            duration_s=duration, width=width, height=height,
            video_codec=_codec_name(video), audio_codec=_codec_name(audio),
            has_video=video is not None, has_audio=audio is not None, created_at=created)


def _codec_name(stream: Stream | None) -> str:
    """FFmpeg's name of the codec (mp3, amr_nb), not of the decoder (mp3float, amrnb)."""
    if stream is None or stream.codec_context is None:
        return ""
    return stream.codec_context.codec.canonical_name or stream.codec_context.name


def _aspect(stream: VideoStream) -> Fraction:
    sar = stream.codec_context.sample_aspect_ratio or stream.sample_aspect_ratio
    if sar is None or sar <= 0:
        return Fraction(1)
    return Fraction(sar)


def _shown_size(frame: VideoFrame) -> tuple[int, int]:
    """Width and height of the stored picture, turned as the display matrix says (pixels'
    aspect is not applied: 720×576 stays 720×576, as clerks know the size)."""
    width, height = frame.width, frame.height
    if _rotation(frame) % 180 == 90:
        width, height = height, width
    return width, height


def _rotation(frame: VideoFrame) -> int:
    try:
        return round(frame.rotation / 90) * 90 % 360
    except (AttributeError, TypeError, ValueError):
        return 0


_CREATED_KEYS = ("com.apple.quicktime.creationdate", "creation_time", "date_recorded",
                 "date")


def _created_at(container: InputContainer) -> dt.datetime | None:
    sources = [container.metadata] + [s.metadata for s in container.streams]
    for key in _CREATED_KEYS:
        for metadata in sources:
            lowered = {k.lower(): v for k, v in metadata.items()}
            when = _iso_datetime(lowered.get(key, ""))
            if when is not None:
                return when
    return None


def _iso_datetime(text: str) -> dt.datetime | None:
    text = text.strip()
    if not text:
        return None
    when: dt.datetime | None
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        when = exif_datetime(text)  # "2024:05:18 09:30:12" or "2024-05-18 09:30:12"
    # 1904-01-01 / 1970-01-01: a zero timestamp, not a recording time
    if when is None or when.year < 1980:
        return None
    return when


_CODEC_NAMES = {
    "h264": "H.264", "hevc": "H.265", "av1": "AV1", "vp8": "VP8", "vp9": "VP9",
    "mpeg4": "MPEG-4", "msmpeg4v1": "MPEG-4（微软）", "msmpeg4v2": "MPEG-4（微软）",
    "msmpeg4v3": "MPEG-4（微软）", "mpeg1video": "MPEG-1", "mpeg2video": "MPEG-2",
    "mjpeg": "Motion JPEG", "h263": "H.263", "h263p": "H.263+", "flv1": "Sorenson H.263",
    "wmv1": "WMV7", "wmv2": "WMV8", "wmv3": "WMV9", "vc1": "VC-1", "theora": "Theora",
    "prores": "ProRes", "dvvideo": "DV", "rv40": "RealVideo",
    "aac": "AAC", "mp3": "MP3", "mp2": "MP2", "mp1": "MP1", "opus": "Opus",
    "vorbis": "Vorbis", "flac": "FLAC", "alac": "ALAC", "amr_nb": "AMR-NB",
    "amr_wb": "AMR-WB", "wmav1": "WMA", "wmav2": "WMA", "wmapro": "WMA Pro",
    "wmavoice": "WMA Voice", "wmalossless": "WMA Lossless", "ac3": "AC-3", "eac3": "E-AC-3",
    "dts": "DTS", "truehd": "TrueHD", "speex": "Speex",
}


def codec_label(name: str) -> str:
    """How a clerk knows a codec: H.264, AAC, PCM … (FFmpeg's name upper-cased otherwise)."""
    if name.startswith("pcm_"):
        return "PCM"
    if name.startswith("adpcm_"):
        return "ADPCM"
    return _CODEC_NAMES.get(name, name.upper())


def duration_text(seconds: float | None) -> str:
    """'23秒', '3分05秒', '1小时02分03秒'."""
    if seconds is None or not math.isfinite(seconds) or seconds < 0:
        return "时长未知"
    total = round(seconds)
    if total == 0:
        return "不到1秒"
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}小时{minutes:02d}分{secs:02d}秒"
    if minutes:
        return f"{minutes}分{secs:02d}秒"
    return f"{secs}秒"


def describe_media(info: MediaInfo) -> str:
    """One line of Chinese: '视频 1分23秒，1920×1080，H.264' / '音频 3分05秒，AAC'."""
    if info.has_video:
        parts = [f"视频 {duration_text(info.duration_s)}"]
        if info.width and info.height:
            parts.append(f"{info.width}×{info.height}")
        if info.video_codec:
            parts.append(codec_label(info.video_codec))
        if not info.has_audio:
            parts.append("无声音")
        return "，".join(parts)
    parts = [f"音频 {duration_text(info.duration_s)}"]
    if info.audio_codec:
        parts.append(codec_label(info.audio_codec))
    return "，".join(parts)


def extract_media(path: Path, kind: str) -> Extraction:
    """The extraction of a video or audio file: nothing to search, so "no_text" with what the
    file is as the reason ('视频 2秒，320×240，H.264'). A broken file raises ExtractError."""
    kind = canonical(kind)
    if kind not in MEDIA_KINDS:
        raise ValueError(f"不是视频或音频类型：{kind}")
    info = probe(Path(path), kind)
    return Extraction(state="no_text", reason=describe_media(info))


# -- poster --------------------------------------------------------------------------------------


def _is_dark(img: Image.Image) -> bool:
    """Black or nearly (a fade from black, a lens cap): under 1 % of pixels brighter than 40."""
    small = img.convert("L")
    small.thumbnail((96, 96))
    histogram = small.histogram()
    bright = sum(histogram[40:])
    return bright < 0.01 * max(1, sum(histogram))


def _frame_image(frame: VideoFrame, stream: VideoStream, max_side: int) -> Image.Image:
    width, height = frame.width, frame.height
    shown_w = max(1, round(width * _aspect(stream)))
    rotation = _rotation(frame)
    longer = max(shown_w, height)
    scale = min(1.0, max_side / longer)
    out_w, out_h = max(1, round(shown_w * scale)), max(1, round(height * scale))
    img: Image.Image = frame.to_image(width=out_w, height=out_h, interpolation="AREA")
    if rotation == 90:
        img = img.transpose(Image.Transpose.ROTATE_90)
    elif rotation == 180:
        img = img.transpose(Image.Transpose.ROTATE_180)
    elif rotation == 270:
        img = img.transpose(Image.Transpose.ROTATE_270)
    return img


def _png(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.convert("RGB").save(out, "PNG", compress_level=_PNG_LEVEL)
    return out.getvalue()


def poster_png(path: Path, max_side: int = 1280, kind: str = "") -> bytes:
    """A representative frame of the video at ``path`` as PNG, no larger than ``max_side``:
    about 10 % into the video (1 s when the length is unknown), past any black frames, turned
    and stretched as a player shows it. An audio file with a cover picture gives the cover;
    one without raises ExtractError, as does a file whose pictures cannot be decoded."""
    if max_side < 1:
        raise ValueError("max_side must be positive")
    path = Path(path)
    word = _word(path, kind)
    deadline = time.monotonic() + _POSTER_SECONDS
    with _open_media(path, word) as container:
        video = _video_stream(container)
        if video is None:
            return _cover(container, path, word, max_side, deadline)
        _usable(video, path, word)
        duration = _duration(container)
        target = duration * 0.1 if duration else 1.0
        if duration:
            target = min(target, max(0.0, duration - 0.1))
        image = None
        if target > 0:
            image = _poster_from(container, video, target, max_side, deadline)
        if image is None:  # no seeking, or nothing after it: from the start
            image = _poster_from(container, video, 0.0, max_side, deadline)
        if image is None:
            raise _broken(path, word, "画面无法解码")
        return _png(image)


def _poster_from(container: InputContainer, video: VideoStream, target: float,
                 max_side: int, deadline: float) -> Image.Image | None:
    """The first frame from the key frame before ``target`` that is not dark; the first frame
    if all are dark for 10 s of video (or 300 frames, or the time budget)."""
    import av

    try:
        if video.time_base:
            start = video.start_time or 0
            container.seek(start + int(target / video.time_base), stream=video, backward=True)
        else:
            container.seek(int(target * av.time_base), backward=True)
    except (av.FFmpegError, OSError, ValueError):
        return None
    first: Image.Image | None = None
    first_time: float | None = None
    for count, frame in enumerate(_frames(container, video, deadline)):
        image = _frame_image(frame, video, max_side)
        if not _is_dark(image):
            return image
        if first is None:
            first, first_time = image, frame.time
        elif (count >= 300 or (frame.time is not None and first_time is not None
                               and frame.time - first_time > 10)):
            break
    return first


def _cover(container: InputContainer, path: Path, word: str, max_side: int,
           deadline: float) -> bytes:
    cover = _cover_stream(container)
    if cover is None:
        raise ExtractError(f"{word}文件“{path.name}”没有画面，无法生成预览图")
    _usable(cover, path, word)
    for frame in _frames(container, cover, deadline, max_packets=50):
        return _png(_frame_image(frame, cover, max_side))
    raise _broken(path, word, "封面图片无法解码")


# -- waveform ------------------------------------------------------------------------------------

_WAVE_BLUE = (37, 99, 235)
_AXIS_GREY = (190, 196, 204)
_LABEL_GREY = (75, 85, 99)
_AXIS_HEIGHT = 20
_TICK_STEPS = (0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400)


def _samples(frame: AudioFrame) -> np.ndarray:
    """One value per sample time: the largest magnitude over the channels, in 0..1 (a peak
    downmix: a stereo pair out of phase would cancel in an average)."""
    import numpy as np

    data = frame.to_ndarray()
    fmt = frame.format
    channels = max(1, len(frame.layout.channels))
    if not fmt.is_planar:
        data = data.reshape(-1, channels).T
    values = np.abs(data.astype(np.float32, copy=False))
    if fmt.name.startswith("u8"):
        values = np.abs(data.astype(np.float32) - 128.0) / 128.0
    elif fmt.name.startswith("s16"):
        values /= 32768.0
    elif fmt.name.startswith("s32"):
        values /= 2147483648.0
    elif fmt.name.startswith("s64"):
        values /= 9.223372036854776e18
    peaks: np.ndarray = values.max(axis=0)
    return np.minimum(peaks, 1.0)


class _Envelope:
    """Peak per column of a waveform whose columns span ``duration`` seconds."""

    def __init__(self, columns: int, duration: float, start: float) -> None:
        import numpy as np

        self.columns = columns
        self.duration = duration
        self.start = start  # the stream's first timestamp, seconds
        self.peaks = np.zeros(columns, dtype=np.float32)
        self.seen = np.zeros(columns, dtype=bool)
        self.reached = 0.0  # seconds of sound seen, from the start

    def add(self, values: np.ndarray, rate: float, at: float | None) -> None:
        """``values`` (peaks at ``rate`` per second) beginning at stream time ``at``."""
        import numpy as np

        if not len(values) or rate <= 0:
            return
        begin = (at - self.start) if at is not None else self.reached
        times = begin + np.arange(len(values), dtype=np.float64) / rate
        self.reached = max(self.reached, float(times[-1]) + 1 / rate)
        cols = np.clip((times * (self.columns / self.duration)).astype(np.int64), 0,
                       self.columns - 1)
        # times rise within a frame: the columns are runs, one maximum per run
        starts = np.concatenate(([0], np.flatnonzero(np.diff(cols)) + 1))
        maxima = np.maximum.reduceat(values, starts)
        hit = cols[starts]
        self.peaks[hit] = np.maximum(self.peaks[hit], maxima)
        self.seen[hit] = True

    def fill_gaps(self) -> None:
        """Columns between sampled ones that were not reached (time ran out) take the value
        interpolated from their neighbours; beyond the last sampled column stays empty."""
        import numpy as np

        seen = np.flatnonzero(self.seen)
        if len(seen) < 2:
            return
        inner = np.arange(seen[0], seen[-1] + 1)
        missing = inner[~self.seen[inner]]
        if len(missing):
            self.peaks[missing] = np.interp(missing, seen, self.peaks[seen])


def _blocks(values: np.ndarray, size: int) -> np.ndarray:
    """Maxima of consecutive blocks of ``size`` values (the last one may be shorter)."""
    import numpy as np

    if len(values) <= size:
        return values.max(keepdims=True) if len(values) else values
    result: np.ndarray = np.maximum.reduceat(values, np.arange(0, len(values), size))
    return result


def waveform_png(path: Path, width: int = 1200, height: int = 240, kind: str = "") -> bytes:
    """The sound of ``path`` (an audio file, or a video's sound track) drawn as a waveform:
    the peak of each column in blue on white, with a time axis. Files longer than 5 minutes
    are sampled (a short stretch decoded at every column) so that two hours cost a few
    seconds. A file without sound raises ExtractError."""
    if not 200 <= width <= 10_000 or not 80 <= height <= 4_000:
        raise ValueError("waveform size out of range")
    import av

    path = Path(path)
    word = _word(path, kind)
    deadline = time.monotonic() + _WAVEFORM_SECONDS
    with _open_media(path, word) as container:
        audio = _audio_stream(container)
        if audio is None:
            raise ExtractError(f"{word}文件“{path.name}”没有声音，无法生成波形图")
        _usable(audio, path, word)
        for stream in container.streams:
            if stream is not audio:
                stream.discard = av.stream.Discard.all  # the demuxer skips video packets
        duration = _duration(container)
        start = float((audio.start_time or 0) * (audio.time_base or 0))
        envelope: _Envelope | None
        if duration and duration > _WAVEFORM_FULL_SECONDS:
            envelope = _Envelope(width, duration, start)
            _sampled(container, audio, envelope, deadline)
        elif duration:
            envelope = _Envelope(width, duration, start)
            heard = False
            for frame in _frames(container, audio, deadline, max_packets=10**7):
                envelope.add(_samples(frame), frame.sample_rate, _frame_time(frame))
                heard = True
            if not heard:
                raise _broken(path, word, "声音无法解码")
        else:
            envelope = _unknown_length(container, audio, width, start, deadline)
            if envelope is None:
                raise _broken(path, word, "声音无法解码")
    assert envelope is not None
    return _png(_draw_waveform(envelope, width, height))


def _frame_time(frame: AudioFrame) -> float | None:
    return float(frame.time) if frame.time is not None else None


def _unknown_length(container: InputContainer, audio: AudioStream, width: int, start: float,
                    deadline: float) -> _Envelope | None:
    """A stream that does not say how long it is: decode it all (within the time budget),
    keeping block peaks of 32 samples, then spread them over the columns."""
    kept: list[tuple[np.ndarray, float, float | None]] = []
    for frame in _frames(container, audio, deadline, max_packets=10**7):
        kept.append((_blocks(_samples(frame), 32), frame.sample_rate / 32, _frame_time(frame)))
    if not kept:
        return None
    probe_run = _Envelope(1, 1.0, start)
    for values, rate, at in kept:
        probe_run.add(values, rate, at)
    envelope = _Envelope(width, max(probe_run.reached, 0.01), start)
    for values, rate, at in kept:
        envelope.add(values, rate, at)
    return envelope


def _sampled(container: InputContainer, audio: AudioStream, envelope: _Envelope,
             deadline: float) -> None:
    window = min(envelope.duration / envelope.columns, _WAVEFORM_SAMPLED_AUDIO / envelope.columns)
    window = max(window, 0.05)
    base = audio.start_time or 0
    if not audio.time_base:
        return
    try:
        _sample_columns(container, audio, envelope, window, base, deadline)
    finally:
        envelope.fill_gaps()


def _coarse_to_fine(columns: int) -> Iterator[int]:
    """0, 512, 256, 768, 128, 384 …: stopped early, the samples still span the width."""
    step = 1
    while step * 2 < columns:
        step *= 2
    seen = bytearray(columns)
    while step >= 1:
        for column in range(0, columns, step):
            if not seen[column]:
                seen[column] = 1
                yield column
        step //= 2


def _sample_columns(container: InputContainer, audio: AudioStream, envelope: _Envelope,
                    window: float, base: int, deadline: float) -> None:
    import av

    time_base = audio.time_base
    if not time_base:
        return
    for column in _coarse_to_fine(envelope.columns):
        if time.monotonic() > deadline:
            return
        begin = envelope.duration * column / envelope.columns
        try:
            container.seek(base + int(begin / time_base), stream=audio, backward=True)
        except (av.FFmpegError, OSError, ValueError):
            # cannot seek: decode on from where we are, as far as the time allows
            for frame in _frames(container, audio, deadline, max_packets=10**7):
                envelope.add(_samples(frame), frame.sample_rate, _frame_time(frame))
            return
        for frame in _frames(container, audio, deadline, max_packets=200):
            at = _frame_time(frame)
            envelope.add(_samples(frame), frame.sample_rate, at)
            if at is None or at - envelope.start >= begin + window:
                break


def _tick_step(duration: float, width: int) -> float:
    most = max(2, width // 110)  # labels need about 110 px each
    for step in _TICK_STEPS:
        if duration / step <= most:
            return step
    return _TICK_STEPS[-1]


def _clock(seconds: float, step: float) -> str:
    if step < 1:
        return f"{seconds:.1f}s"
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _draw_waveform(envelope: _Envelope, width: int, height: int) -> Image.Image:
    img = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    wave_h = height - _AXIS_HEIGHT
    middle = wave_h / 2
    loudest = float(envelope.peaks.max()) if envelope.columns else 0.0
    # quiet recordings (a meeting taped from the back of the room) are scaled up to be seen
    gain = 1.0 / loudest if loudest > 1e-3 else 1.0
    half = middle - 2
    draw.line([(0, round(middle)), (width - 1, round(middle))], fill=_AXIS_GREY)
    for x, peak in enumerate(envelope.peaks.tolist()):
        reach = min(1.0, peak * gain) * half
        if reach >= 0.5:
            draw.line([(x, round(middle - reach)), (x, round(middle + reach))], fill=_WAVE_BLUE)
    # the time axis
    draw.line([(0, wave_h), (width - 1, wave_h)], fill=_AXIS_GREY)
    font = ImageFont.load_default(size=12)
    step = _tick_step(envelope.duration, width)
    tick = 0.0
    free_from = 0.0  # x where the next label may begin
    while tick <= envelope.duration + 1e-9:
        x = round(tick / envelope.duration * (width - 1))
        draw.line([(x, wave_h), (x, wave_h + 4)], fill=_LABEL_GREY)
        label = _clock(tick, step)
        left, _, right, _ = draw.textbbox((0, 0), label, font=font)
        text_x = min(max(x - (right - left) // 2, 1), width - (right - left) - 2)
        if text_x >= free_from:
            draw.text((text_x, wave_h + 5), label, fill=_LABEL_GREY, font=font)
            free_from = text_x + (right - left) + 8
        tick += step
    return img
