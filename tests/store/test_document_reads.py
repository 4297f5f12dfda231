"""The reads that link articles (story tokens, where candidates occur) agree on both backends."""

from __future__ import annotations

from pathlib import Path

from termalign.align.documents import document_links
from termalign.extract import extract
from termalign.ingest import ingest_paths


def test_articles_of_one_story_are_linked_from_the_stored_tokens(store, tmp_path: Path):
    # A Khmer and a Thai article sharing figures, a year (2567 BE = 2024) and acronyms, and a
    # Thai one that shares nothing; written for this test.
    (tmp_path / "story_km.txt").write_text(
        "សេដ្ឋកិច្ចឌីជីថល EGDI ឆ្នាំ ២០២៤ មាន ១២៥០ គម្រោង។ សេដ្ឋកិច្ច CamDX ៣៧ ភាគរយ។\n", encoding="utf-8"
    )
    (tmp_path / "story_th.txt").write_text(
        "เศรษฐกิจดิจิทัล EGDI ปี ๒๕๖๗ มี ๑๒๕๐ โครงการ เศรษฐกิจ CamDX ร้อยละ ๓๗\n", encoding="utf-8"
    )
    (tmp_path / "other_th.txt").write_text("โรงพยาบาล ๘๘ แห่ง เปิดบริการ ๔๑๒ วัน\n", encoding="utf-8")
    ingest_paths(store, [tmp_path], workers=1)
    extract(store)
    links = document_links(store, 400)
    by_path = {Path(p).name: i for i, p in links.paths.items()}
    assert links.features[(by_path["story_km.txt"], "km")] == {"egdi", "camdx", "#2024", "#1250", "#37"}
    assert links.features[(by_path["story_th.txt"], "th")] == {"egdi", "camdx", "#2567", "#2024", "#1250", "#37"}
    sides = {side for sides in links.occurs.values() for side in sides}
    assert {(by_path["story_km.txt"], "km"), (by_path["story_th.txt"], "th")} <= sides
    links.link()
    assert list(links.pairs) == [((by_path["story_km.txt"], "km"), (by_path["story_th.txt"], "th"))]
