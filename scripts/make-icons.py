"""Draws the app's icons (static/icons/): a network of people, white on the site's blue, as the
demo's picture of the volunteer network. Run again only to change them; the PNGs are committed.

    .venv/bin/python scripts/make-icons.py
"""

from pathlib import Path

from PIL import Image, ImageDraw

BRAND = (11, 83, 148)
ACCENT = (245, 158, 11)
WHITE = (255, 255, 255)
OUT = Path(__file__).resolve().parent.parent / "static" / "icons"
# People linked, in a unit square; the middle one is the volunteer.
PEOPLE = [(0.22, 0.30), (0.78, 0.30), (0.50, 0.50), (0.25, 0.74), (0.75, 0.74)]
LINKS = [(0, 2), (1, 2), (3, 2), (4, 2), (0, 3), (1, 4)]


def draw(size: int, *, safe: float, rounded: bool) -> Image.Image:
    """The icon at `size` pixels, its drawing inside the middle `safe` share of the square."""
    scale = 4  # drawn larger and scaled down, for smooth edges
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if rounded:
        pen.rounded_rectangle([0, 0, big - 1, big - 1], radius=big // 5, fill=BRAND)
    else:
        pen.rectangle([0, 0, big, big], fill=BRAND)  # maskable: the platform cuts the shape
    margin = big * (1 - safe) / 2
    inner = big * safe

    def at(point):
        return (margin + point[0] * inner, margin + point[1] * inner)

    for a, b in LINKS:
        pen.line([at(PEOPLE[a]), at(PEOPLE[b])], fill=WHITE, width=max(2, int(inner * 0.045)))
    for index, point in enumerate(PEOPLE):
        x, y = at(point)
        radius = inner * (0.13 if index == 2 else 0.095)
        pen.ellipse([x - radius, y - radius, x + radius, y + radius], fill=ACCENT if index == 2 else WHITE)
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        draw(size, safe=0.8, rounded=True).save(OUT / f"icon-{size}.png", optimize=True)
        # Maskable: the drawing inside the 80 % circle every platform's mask keeps (minus a margin).
        draw(size, safe=0.62, rounded=False).convert("RGB").save(OUT / f"maskable-{size}.png", optimize=True)
    draw(180, safe=0.7, rounded=False).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)
    draw(32, safe=0.9, rounded=True).save(OUT / "favicon-32.png", optimize=True)


if __name__ == "__main__":
    main()
