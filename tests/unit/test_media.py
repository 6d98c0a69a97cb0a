"""Video, audio and photos beyond JPEG/PNG/TIFF (desktop/core/extract/media.py), on real files
written by ffmpeg, libheif/x265, OpenCORE AMR and Pillow (tests/fixtures/formats/media)."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import struct
import time
import zlib
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image, ImageStat

from desktop.core.common.formats import AUDIO_KINDS, VIDEO_KINDS
from desktop.core.extract import media
from desktop.core.extract.base import ExtractError
from desktop.core.extract.media import MediaInfo, describe_media

HERE = Path(__file__).resolve().parents[1] / "fixtures" / "formats" / "media"
BEIJING = dt.timezone(dt.timedelta(hours=8))
RECORDED = dt.datetime(2024, 5, 18, 1, 30, 12, tzinfo=dt.UTC)

# file, kind, video codec, shown width × height, poster width × height, audio codec, line
VIDEOS = [
    ("clip.mp4", "mp4", "h264", (320, 240), (320, 240), "aac", "视频 2秒，320×240，H.264"),
    ("clip.mov", "mov", "hevc", (240, 320), (240, 320), "aac", "视频 2秒，240×320，H.265"),
    ("clip.avi", "avi", "mpeg4", (320, 240), (320, 240), "mp3", "视频 2秒，320×240，MPEG-4"),
    ("mjpeg.avi", "avi", "mjpeg", (160, 120), (160, 120), "pcm_s16le",
     "视频 2秒，160×120，Motion JPEG"),
    ("clip.mkv", "mkv", "vp9", (320, 240), (320, 240), "opus", "视频 2秒，320×240，VP9"),
    ("clip.webm", "webm", "vp8", (320, 240), (320, 240), "opus", "视频 2秒，320×240，VP8"),
    ("clip.flv", "flv", "flv1", (320, 240), (320, 240), "mp3",
     "视频 2秒，320×240，Sorenson H.263"),
    ("clip.wmv", "wmv", "wmv2", (320, 240), (320, 240), "wmav2", "视频 2秒，320×240，WMV8"),
    # H.263's QCIF pixels are 12:11 wide: stored 176 wide, shown 192
    ("clip.3gp", "3gp", "h263", (176, 144), (192, 144), "aac", "视频 2秒，176×144，H.263"),
    ("clip.ts", "mpeg", "mpeg2video", (320, 240), (320, 240), "mp2",
     "视频 2秒，320×240，MPEG-2"),
    ("clip.mpg", "mpeg", "mpeg1video", (320, 240), (320, 240), "mp2",
     "视频 2秒，320×240，MPEG-1"),
    ("silent.mp4", "mp4", "h264", (320, 240), (320, 240), "", "视频 2秒，320×240，H.264，无声音"),
]
AUDIOS = [
    ("tone.mp3", "mp3", "mp3", "音频 3秒，MP3"),
    ("cover.mp3", "mp3", "mp3", "音频 3秒，MP3"),
    ("tone.wav", "wav", "pcm_s16le", "音频 3秒，PCM"),
    ("tone.m4a", "m4a", "aac", "音频 3秒，AAC"),
    ("tone.aac", "aac", "aac", "音频 3秒，AAC"),
    ("tone.amr", "amr", "amr_nb", "音频 3秒，AMR-NB"),
    ("tone.flac", "flac", "flac", "音频 3秒，FLAC"),
    ("tone.ogg", "ogg", "opus", "音频 3秒，Opus"),
    ("vorbis.ogg", "ogg", "vorbis", "音频 3秒，Vorbis"),
    ("tone.wma", "wma", "wmav2", "音频 3秒，WMA"),
]
WITH_SOUND = [v[0] for v in VIDEOS if v[5]] + [a[0] for a in AUDIOS]


def _png(data: bytes) -> Image.Image:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def _brightness(img: Image.Image) -> float:
    return float(ImageStat.Stat(img.convert("L")).mean[0])


def test_the_fixture_kinds_are_the_table_s_kinds() -> None:
    assert {v[1] for v in VIDEOS} <= VIDEO_KINDS
    assert {a[1] for a in AUDIOS} <= AUDIO_KINDS
    assert {v[1] for v in VIDEOS} >= VIDEO_KINDS  # every video kind has a real file
    assert {a[1] for a in AUDIOS} >= AUDIO_KINDS


# -- probe and the one line -----------------------------------------------------------------


@pytest.mark.parametrize(("name", "kind", "vcodec", "shown", "poster", "acodec", "line"), VIDEOS)
def test_a_video_is_probed(name: str, kind: str, vcodec: str, shown: tuple[int, int],
                           poster: tuple[int, int], acodec: str, line: str) -> None:
    info = media.probe(HERE / name, kind)
    assert info.has_video
    assert info.video_codec == vcodec
    assert (info.width, info.height) == shown
    assert info.has_audio is bool(acodec)
    assert info.audio_codec == acodec
    assert info.duration_s is not None and 1.9 <= info.duration_s <= 2.2
    assert describe_media(info) == line


@pytest.mark.parametrize(("name", "kind", "acodec", "line"), AUDIOS)
def test_an_audio_file_is_probed(name: str, kind: str, acodec: str, line: str) -> None:
    info = media.probe(HERE / name, kind)
    assert not info.has_video  # an MP3's cover picture is not a video
    assert info.has_audio and info.audio_codec == acodec
    assert (info.width, info.height) == (None, None)
    # raw AAC and AMR have no length in them: FFmpeg estimates it from the bit rate
    assert info.duration_s is not None and 2.9 <= info.duration_s <= 3.3
    assert describe_media(info) == line


def test_the_recording_time_comes_from_the_container() -> None:
    assert media.probe(HERE / "clip.mp4").created_at == RECORDED
    assert media.probe(HERE / "clip.mkv").created_at == RECORDED
    assert media.probe(HERE / "tone.m4a").created_at == RECORDED
    # Apple's own tag carries the local time and offset: preferred to the UTC creation_time
    mov = media.probe(HERE / "clip.mov").created_at
    assert mov == dt.datetime(2024, 5, 18, 9, 30, 12, tzinfo=BEIJING)
    assert mov is not None and mov.utcoffset() == dt.timedelta(hours=8)
    assert media.probe(HERE / "clip.avi").created_at is None


@pytest.mark.parametrize(("seconds", "text"), [
    (0.2, "不到1秒"), (2.07, "2秒"), (59.4, "59秒"), (83, "1分23秒"), (185, "3分05秒"),
    (3723, "1小时02分03秒"), (7200, "2小时00分00秒"), (None, "时长未知")])
def test_durations_read_the_chinese_way(seconds: float | None, text: str) -> None:
    assert media.duration_text(seconds) == text


def test_the_brief_s_examples() -> None:
    video = MediaInfo(83.2, 1920, 1080, "h264", "aac", True, True)
    assert describe_media(video) == "视频 1分23秒，1920×1080，H.264"
    audio = MediaInfo(185.0, None, None, "", "aac", False, True)
    assert describe_media(audio) == "音频 3分05秒，AAC"
    assert media.codec_label("pcm_s24le") == "PCM"
    assert media.codec_label("someday") == "SOMEDAY"


@pytest.mark.parametrize(("name", "kind"), [v[:2] for v in VIDEOS] + [a[:2] for a in AUDIOS])
def test_extraction_says_what_the_file_is(name: str, kind: str) -> None:
    result = media.extract_media(HERE / name, kind)
    assert result.state == "no_text"
    assert result.pages == ()
    assert result.reason == describe_media(media.probe(HERE / name))


def test_extraction_takes_only_media_kinds() -> None:
    with pytest.raises(ValueError):
        media.extract_media(HERE / "photo.jpg", "jpeg")


# -- poster ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "kind", "vcodec", "shown", "poster", "acodec", "line"), VIDEOS)
def test_a_poster_is_a_picture_of_the_video(name: str, kind: str, vcodec: str,
                                            shown: tuple[int, int], poster: tuple[int, int],
                                            acodec: str, line: str) -> None:
    img = _png(media.poster_png(HERE / name, kind=kind))
    assert img.mode == "RGB"
    assert img.size == poster
    assert _brightness(img) > 60  # testsrc: bright colour bars, never black


def test_the_poster_skips_black_frames_and_is_turned_upright() -> None:
    path = HERE / "clip.mov"
    with av.open(str(path)) as container:
        first = next(container.decode(video=0))
        assert first.rotation == 90  # the display matrix of a phone held upright
        assert _brightness(first.to_image()) < 1  # the video begins black
    img = _png(media.poster_png(path))
    assert img.size == (240, 320)  # portrait, as a phone shows it
    assert _brightness(img) > 100


def test_a_poster_fits_max_side() -> None:
    img = _png(media.poster_png(HERE / "clip.mp4", max_side=100))
    assert img.size == (100, 75)


def test_an_audio_file_s_poster_is_its_cover_or_nothing() -> None:
    cover = _png(media.poster_png(HERE / "cover.mp3"))
    assert cover.size == (300, 400)  # the JPEG's EXIF orientation 6, applied by FFmpeg
    with pytest.raises(ExtractError, match="没有画面"):
        media.poster_png(HERE / "tone.wav")


# -- waveform --------------------------------------------------------------------------------


def _drawn_columns(img: Image.Image) -> int:
    """Columns of the wave area with the waveform's blue in them."""
    pixels = np.asarray(img.convert("RGB"), dtype=np.int16)[: img.height - 20]
    blue = (pixels[..., 2] > 200) & (pixels[..., 0] < 80) & (pixels[..., 1] < 140)
    return int(blue.any(axis=0).sum())


@pytest.mark.parametrize("name", WITH_SOUND)
def test_a_waveform_is_drawn(name: str) -> None:
    img = _png(media.waveform_png(HERE / name))
    assert img.size == (1200, 240)
    assert _drawn_columns(img) > 1000  # a tone from start to end
    # loud in the middle, quieter at the start: the envelope of the fixtures' tone
    pixels = np.asarray(img.convert("L"))[:220]
    height_at = [int((pixels[:, x] < 200).sum()) for x in (30, 600)]
    assert height_at[1] > height_at[0]


def test_a_video_s_sound_is_drawn_and_the_size_is_honoured() -> None:
    img = _png(media.waveform_png(HERE / "clip.webm", width=400, height=120))
    assert img.size == (400, 120)
    assert _drawn_columns(img) > 300


def test_a_video_without_sound_has_no_waveform() -> None:
    with pytest.raises(ExtractError, match="没有声音"):
        media.waveform_png(HERE / "silent.mp4")


def _long_wav(path: Path, seconds: int, rate: int = 8000) -> None:
    """A mono 8-bit WAV whose loudness rises and falls every 10 minutes."""
    t = np.arange(600 * rate, dtype=np.float64) / rate
    loud = 0.2 + 0.8 * np.abs(np.sin(np.pi * t / 600))
    swell = (128 + 100 * loud * np.sin(2 * np.pi * 440 * t)).astype(np.uint8).tobytes()
    data = swell * (seconds // 600)
    header = b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVEfmt " + struct.pack(
        "<IHHIIHH", 16, 1, 1, rate, rate, 1, 8) + b"data" + struct.pack("<I", len(data))
    path.write_bytes(header + data)


def test_two_hours_of_sound_are_drawn_in_seconds(tmp_path: Path) -> None:
    wav = tmp_path / "会议录音.wav"
    _long_wav(wav, 2 * 3600)
    # ADTS frames are self-contained: the fixture's stream repeated 2400 times is 2 h 8 min
    adts = tmp_path / "长录音.aac"
    adts.write_bytes((HERE / "tone.aac").read_bytes() * 2400)
    for path in (wav, adts):
        started = time.monotonic()
        info = media.probe(path)
        assert time.monotonic() - started < 1
        assert info.duration_s is not None and info.duration_s > 7000
        started = time.monotonic()
        img = _png(media.waveform_png(path))
        assert time.monotonic() - started < 5
        assert _drawn_columns(img) > 1000
    # the WAV's 12 swells: louder columns at 5, 15, 25 … minutes than at 0, 10, 20 …
    pixels = np.asarray(_png(media.waveform_png(wav)).convert("L"))[:220]
    reach = [(pixels[:, x] < 200).sum() for x in range(1200)]
    swell = [reach[int((m * 60) / 7200 * 1200)] for m in (5, 15, 25)]
    trough = [reach[min(1199, int((m * 60) / 7200 * 1200))] for m in (10, 20, 30)]
    assert min(swell) > max(trough)


# -- broken files ----------------------------------------------------------------------------


def _quick(call: object, *args: object, match: str = "损坏或不完整") -> None:
    started = time.monotonic()
    with pytest.raises(ExtractError, match=match) as caught:
        call(*args)  # type: ignore[operator]
    assert time.monotonic() - started < 3
    assert "\n" not in caught.value.reason


def test_a_truncated_video_is_broken(tmp_path: Path) -> None:
    whole = (HERE / "clip.mp4").read_bytes()
    cut = tmp_path / "没拷完.mp4"
    cut.write_bytes(whole[: len(whole) * 6 // 10])
    _quick(media.probe, cut)
    _quick(media.extract_media, cut, "mp4")
    assert "没拷完.mp4" in pytest.raises(ExtractError, media.probe, cut).value.reason
    # what is there may still be shown, but nothing hangs
    started = time.monotonic()
    with contextlib.suppress(ExtractError):
        media.poster_png(cut)
    assert time.monotonic() - started < 3


def test_a_recording_without_its_index_is_broken(tmp_path: Path) -> None:
    whole = (HERE / "tone.m4a").read_bytes()  # the moov atom is at the end
    cut = tmp_path / "录音.m4a"
    cut.write_bytes(whole[: len(whole) // 2])
    _quick(media.probe, cut, "m4a")
    assert "音频文件" in pytest.raises(ExtractError, media.probe, cut, "m4a").value.reason


@pytest.mark.parametrize("call", [media.probe, media.poster_png, media.waveform_png])
def test_random_bytes_are_not_a_video(tmp_path: Path, call: object) -> None:
    junk = tmp_path / "视频.mp4"
    junk.write_bytes(np.random.default_rng(14).bytes(64 * 1024))
    _quick(call, junk)


def test_an_empty_or_missing_file_is_reported(tmp_path: Path) -> None:
    empty = tmp_path / "空.mp4"
    empty.write_bytes(b"")
    _quick(media.probe, empty)
    _quick(media.probe, tmp_path / "不存在.mp4", match="不存在")


def test_a_playlist_posing_as_a_video_is_not_followed(tmp_path: Path) -> None:
    # an HLS playlist would make FFmpeg fetch its segments: not on the list of demuxers
    for name in ("播放列表.mp4", "播放列表.m3u8"):
        fake = tmp_path / name
        fake.write_text("#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\n"
                        "http://127.0.0.1:9/segment.ts\n#EXT-X-ENDLIST\n", encoding="utf-8")
        _quick(media.probe, fake)


def test_no_file_is_left_open() -> None:
    fd_dir = Path("/proc/self/fd")
    if not fd_dir.exists():
        pytest.skip("needs /proc")
    before = len(os.listdir(fd_dir))
    for name in WITH_SOUND + ["silent.mp4"]:
        media.probe(HERE / name)
        if name != "silent.mp4":
            media.waveform_png(HERE / name)
        if name.startswith(("clip", "silent", "mjpeg")):
            media.poster_png(HERE / name)
    for name in ("photo.heic", "photo.jpg", "photo.webp", "photo.bmp", "animated.gif"):
        media.image_png(HERE / name)
        media.photo_facts(HERE / name)
    assert len(os.listdir(fd_dir)) <= before


# -- photos ----------------------------------------------------------------------------------


def test_an_iphone_heic_says_when_and_where() -> None:
    facts = media.photo_facts(HERE / "photo.heic")
    assert facts.taken_at == dt.datetime(2024, 5, 18, 9, 30, 12, tzinfo=BEIJING)
    assert facts.gps is not None
    assert facts.gps[0] == pytest.approx(28.2282, abs=1e-4)
    assert facts.gps[1] == pytest.approx(112.9388, abs=1e-4)
    assert facts.gps_text == "GPS 北纬 28.2282°，东经 112.9388°"
    assert facts.camera == "Apple iPhone 13"


def test_a_camera_jpeg_says_when_and_where() -> None:
    facts = media.photo_facts(HERE / "photo.jpg")
    assert facts.taken_at == dt.datetime(2023, 11, 2, 15, 4, 5, tzinfo=BEIJING)
    assert facts.gps == pytest.approx((39.9087, 116.3975), abs=1e-4)
    assert facts.gps_text == "GPS 北纬 39.9087°，东经 116.3975°"
    assert facts.camera == "HUAWEI ELS-AN00"


def _exif_jpeg(path: Path, fill: dict[int, object], sub: dict[int, object],
               gps: dict[int, object]) -> None:
    exif = Image.Exif()
    for tag, value in fill.items():
        exif[tag] = value
    exif.get_ifd(0x8769).update(sub)
    exif.get_ifd(0x8825).update(gps)
    Image.new("RGB", (40, 30), (90, 120, 200)).save(path, exif=exif.tobytes())


def test_south_and_west_are_negative_and_a_date_without_offset_is_local(tmp_path: Path) -> None:
    photo = tmp_path / "悉尼.jpg"
    _exif_jpeg(photo, {0x010F: "NIKON CORPORATION", 0x0110: "NIKON D750"},
               {0x9003: "2019:07:01 18:05:00"},
               {1: "S", 2: (33.0, 52.0, 7.68), 3: "W", 4: (70.0, 39.0, 0.0)})
    facts = media.photo_facts(photo)
    assert facts.taken_at == dt.datetime(2019, 7, 1, 18, 5)
    assert facts.taken_at is not None and facts.taken_at.tzinfo is None
    assert facts.gps == pytest.approx((-33.8688, -70.65), abs=1e-4)
    assert facts.gps_text == "GPS 南纬 33.8688°，西经 70.6500°"
    assert facts.camera == "NIKON D750"  # the model already names the maker


def test_the_file_s_date_serves_when_the_original_is_missing(tmp_path: Path) -> None:
    photo = tmp_path / "扫描.jpg"
    _exif_jpeg(photo, {0x0132: "2022:03:04 05:06:07", 0x0110: "ScanSnap iX1600"},
               {0x9003: "0000:00:00 00:00:00", 0x9010: "+08:00"}, {})
    facts = media.photo_facts(photo)
    assert facts.taken_at == dt.datetime(2022, 3, 4, 5, 6, 7, tzinfo=BEIJING)
    assert facts.gps is None and facts.gps_text == ""
    assert facts.camera == "ScanSnap iX1600"


@pytest.mark.parametrize("raw", ["", "    :  :     :  :  ", "2024:13:40 25:00:00", "garbage"])
def test_impossible_exif_dates_are_none(raw: str) -> None:
    assert media.exif_datetime(raw) is None


def test_a_photo_without_exif_or_a_broken_one_gives_empty_facts(tmp_path: Path) -> None:
    empty = media.PhotoFacts()
    for name in ("photo.webp", "photo.bmp", "animated.gif"):
        assert media.photo_facts(HERE / name) == empty
    junk = tmp_path / "照片.heic"
    junk.write_bytes(b"\x00\x00\x00\x18ftypheic" + os.urandom(200))
    assert media.photo_facts(junk) == empty
    assert media.photo_facts(tmp_path / "不存在.jpg") == empty


@pytest.mark.parametrize(("name", "size"), [
    ("photo.heic", (640, 480)), ("photo.webp", (400, 300)), ("photo.bmp", (200, 150)),
    ("animated.gif", (160, 120)),
    ("photo.jpg", (300, 400)),  # stored sideways, EXIF orientation 6
])
def test_photos_become_png(name: str, size: tuple[int, int]) -> None:
    img = _png(media.image_png(HERE / name))
    assert img.mode == "RGB"
    assert img.size == size
    assert _brightness(img) > 60


def test_image_png_fits_max_side_and_picks_a_frame() -> None:
    assert _png(media.image_png(HERE / "photo.heic", max_side=320)).size == (320, 240)
    first = _png(media.image_png(HERE / "animated.gif"))
    third = _png(media.image_png(HERE / "animated.gif", frame=2))
    assert first.tobytes() != third.tobytes()
    with pytest.raises(ExtractError, match="只有 4 帧"):
        media.image_png(HERE / "animated.gif", frame=4)


def test_open_image_turns_only_when_asked() -> None:
    with media.open_image(HERE / "photo.jpg") as stored:
        assert stored.size == (400, 300)
    with media.open_image(HERE / "photo.jpg", orient=True) as shown:
        assert shown.size == (300, 400)
    with media.open_image(HERE / "photo.heic") as heic:
        assert heic.format == "HEIF"


def _png_declaring(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


@pytest.mark.parametrize("pillow_limit", [None, 10**12])
def test_a_tiny_file_declaring_huge_dimensions_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pillow_limit: int | None) -> None:
    # our own bound holds even where Pillow's is switched off or raised
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", pillow_limit)
    bomb = tmp_path / "炸弹.png"
    bomb.write_bytes(_png_declaring(30_000, 30_000))  # 900 MP in 100 bytes
    assert bomb.stat().st_size < 200
    started = time.monotonic()
    for call in (media.image_png, media.open_image):
        with pytest.raises(ExtractError, match="尺寸过大"):
            call(bomb)
    assert media.photo_facts(bomb) == media.PhotoFacts()
    assert time.monotonic() - started < 3


def test_a_truncated_photo_is_broken(tmp_path: Path) -> None:
    whole = (HERE / "photo.webp").read_bytes()
    cut = tmp_path / "半张.webp"
    cut.write_bytes(whole[: len(whole) // 2])
    _quick(media.image_png, cut, match="图片")
    junk = tmp_path / "照片.heic"
    junk.write_bytes(os.urandom(5000))
    _quick(media.image_png, junk, match="无法打开")


def test_a_video_declaring_a_huge_picture_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(media, "MAX_VIDEO_PIXELS", 320 * 240 - 1)
    for call in (media.probe, media.poster_png):
        with pytest.raises(ExtractError, match="尺寸过大"):
            call(HERE / "clip.mp4")
    assert media.waveform_png(HERE / "clip.mp4")  # the sound alone is still drawn


def test_only_picture_formats_are_opened(tmp_path: Path) -> None:
    # an EPS would have Pillow start Ghostscript on it
    eps = tmp_path / "海报.jpg"
    eps.write_bytes(b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n")
    _quick(media.image_png, eps, match="无法打开")


def test_the_png_is_turned_the_way_pillow_turns_it() -> None:
    from PIL import ImageChops, ImageOps

    path = HERE / "photo.jpg"
    ours = _png(media.image_png(path))
    with Image.open(path) as stored:
        pillow = ImageOps.exif_transpose(stored).convert("RGB")
    assert ImageChops.difference(ours, pillow).getbbox() is None


PICTURES = (".heic", ".jpg", ".webp", ".bmp", ".gif")


@pytest.mark.parametrize("name", sorted(p.name for p in HERE.iterdir()
                                        if p.suffix not in (".md", ".sh")))
def test_damaged_copies_give_a_reason_not_a_traceback(tmp_path: Path, name: str) -> None:
    """Bytes changed at random and the end cut off, as a failing USB stick does."""
    rng = np.random.default_rng(sum(name.encode()))
    data = (HERE / name).read_bytes()
    calls = ((media.image_png, media.photo_facts) if name.endswith(PICTURES)
             else (media.probe, media.poster_png, media.waveform_png))
    for trial in range(4):
        damaged = bytearray(data)
        for at in rng.integers(0, len(data), size=(1, 5, 50, 20)[trial]):
            damaged[at] = int(rng.integers(0, 256))
        if trial == 3:
            damaged = damaged[: int(rng.integers(1, len(damaged)))]
        copy = tmp_path / f"{trial}_{name}"
        copy.write_bytes(bytes(damaged))
        for call in calls:
            started = time.monotonic()
            with contextlib.suppress(ExtractError):
                call(copy)
            assert time.monotonic() - started < 3


def test_a_stereo_recording_with_one_silent_side_is_drawn(tmp_path: Path) -> None:
    """Interleaved 16-bit stereo, the left microphone dead: the peak of either side counts."""
    rate, seconds = 8000, 4
    t = np.arange(rate * seconds) / rate
    right = (20000 * np.sin(2 * np.pi * 300 * t) * (t / seconds)).astype("<i2")
    frames = np.stack([np.zeros_like(right), right], axis=1).tobytes()
    wav = tmp_path / "采访.wav"
    wav.write_bytes(b"RIFF" + struct.pack("<I", 36 + len(frames)) + b"WAVEfmt "
                    + struct.pack("<IHHIIHH", 16, 1, 2, rate, rate * 4, 4, 16)
                    + b"data" + struct.pack("<I", len(frames)) + frames)
    info = media.probe(wav)
    assert describe_media(info) == "音频 4秒，PCM"
    pixels = np.asarray(_png(media.waveform_png(wav)).convert("L"))[:220]
    reach = [int((pixels[:, x] < 200).sum()) for x in (100, 600, 1100)]
    assert reach[0] < reach[1] < reach[2]  # it grows louder towards the end
    assert reach[2] > 150


def test_sampling_stopped_early_still_spans_the_width() -> None:
    order = list(media._coarse_to_fine(1200))
    assert sorted(order) == list(range(1200))
    assert order[:4] == [0, 1024, 512, 256]  # the first few are spread over the whole width
    envelope = media._Envelope(1200, 7200.0, 0.0)
    for column in order[:40]:  # time ran out after 40 columns
        envelope.add(np.array([0.5], dtype=np.float32), 1.0, column * 6.0)
    envelope.fill_gaps()
    assert (envelope.peaks[: max(order[:40]) + 1] == 0.5).all()
    assert (envelope.peaks[max(order[:40]) + 1:] == 0).all()  # not guessed beyond
