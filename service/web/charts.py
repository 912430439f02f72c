"""The geometry of the inline SVG line charts on a village's page."""

from decimal import Decimal


def line_chart(points: list[tuple[str, object]], ranks: int | None = None, width=420, height=170) -> dict | None:
    """An inline SVG line chart's geometry; with `ranks`, rank 1 at the top and the track's size at the bottom."""
    if not points:
        return None
    left, right, top, bottom = 30, 18, 18, 24
    values = [Decimal(str(v)) for _, v in points]
    if ranks:
        low, high = Decimal(1), Decimal(max(ranks, 2))
        ticks = sorted({1, ranks} | ({(ranks + 1) // 2} if ranks > 2 else set()))
    else:
        low = max(Decimal(0), (min(values) - 5) // 10 * 10)
        high = min(Decimal(100), -((-max(values) - 5) // 10) * 10)
        high = high if high > low else low + 10
        ticks = [low + (high - low) * n / 4 for n in range(5)]

    def y(value) -> float:
        share = (Decimal(str(value)) - low) / (high - low)
        return round(top + float(share if ranks else 1 - share) * (height - top - bottom), 1)

    step = (width - left - right) / max(len(points) - 1, 1)
    xs = [round(left + (n * step if len(points) > 1 else (width - left - right) / 2), 1) for n in range(len(points))]
    dots = [{"x": x, "y": y(v), "label": label, "value": v} for x, (label, v) in zip(xs, points)]
    return {"width": width, "height": height, "left": left, "right": width - right, "bottom": height - bottom,
            "dots": dots, "line": " ".join(f"{d['x']},{d['y']}" for d in dots),
            "ticks": [{"y": y(t), "label": f"{t:.0f}"} for t in ticks]}
