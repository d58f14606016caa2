#!/usr/bin/env python3
"""Composes the real-photo datasets of the three video-identity suites from the photographs that
scripts/fetch-face-photos.sh fetches, in the suites' layout (docs/directions/video-identity.md):

  OUT/detect/   inputs/clips/<clip>/<frame:04>.png    truth/faces.csv  (image,clip,frame,track,identity,x,y,w,h)
  OUT/verify/   inputs/images/f<nn>/0.png (opaque)     truth/pairs.csv  (a,b,mated)
  OUT/identify/ inputs/gallery.csv, inputs/gallery/<identity>.png, inputs/probes/<n:04>.png
                                                      truth/probes.csv (image,identity; empty = not enrolled)

  python3 scripts/suts/face_photo_dataset.py PHOTOS OUT     (needs Pillow)
  jiebang data hash OUT/detect                              (then --data OUT/detect)
The photos' notices forbid publishing them or anything made from them: keep OUT local
(docs/directions/video-identity-real.md).
"""
import csv
import os
import random
import sys

# Face boxes (x, y, w, h) in the source photos, annotated by hand against the photos: brow to
# chin, cheek to cheek. The identity of each face is the photo's subject.
FACES = {
    "obama": [("obama.jpg", (345, 115, 285, 285)), ("obama2.jpg", (155, 265, 305, 305)), ("obama3.jpg", (630, 265, 325, 325))],
    "biden": [("biden.jpg", (425, 225, 320, 320))],
    "t1_a": [("t1.jpg", (65, 280, 110, 110))],
    "t1_b": [("t1.jpg", (275, 176, 90, 90))],
    "t1_c": [("t1.jpg", (449, 283, 120, 120))],
    "t1_d": [("t1.jpg", (725, 360, 112, 112))],
    "t1_e": [("t1.jpg", (870, 67, 130, 130))],
    "t1_f": [("t1.jpg", (1115, 280, 115, 115))],
}
MARGIN = 0.6  # context kept around a face box when it is cut out (head, hair, neck)
# Detect clips: per clip, (identity, which of its photos, face width in px) per moving face.
CLIPS = {
    "c000": [("obama", 0, 120), ("biden", 0, 100), ("t1_c", 0, 140)],
    "c001": [("obama", 1, 150), ("t1_f", 0, 110), ("t1_d", 0, 90)],
}
FRAMES, SIZE, BACKGROUND = 3, (960, 540), (118, 124, 130)
NOT_ENROLLED = "t1_f"  # the identify suite's non-mated probe


class Composer:
    """Cuts the annotated faces out of the photos and writes the three datasets."""

    def __init__(self, photos):
        from PIL import Image

        self.Image, self.photos = Image, photos
        self.crops = {}  # identity -> [(crop, face box inside the crop)]
        for ident, faces in FACES.items():
            for photo, (x, y, w, h) in faces:
                with Image.open(os.path.join(photos, photo)) as im:
                    im = im.convert("RGB")
                    m = int(MARGIN * max(w, h))
                    box = (max(x - m, 0), max(y - m, 0), min(x + w + m, im.width), min(y + h + m, im.height))
                    crop = im.crop(box)
                self.crops.setdefault(ident, []).append((crop, (x - box[0], y - box[1], w, h)))

    @staticmethod
    def save(img, root, rel):
        path = os.path.join(root, "inputs", rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        img.save(path)

    @staticmethod
    def table(root, part, name, header, rows):
        os.makedirs(os.path.join(root, part), exist_ok=True)
        with open(os.path.join(root, part, name), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            w.writerows(rows)

    def detect(self, root):
        """Clips of the crops pasted on a plain background, moving 40 px a frame, plus the
        unmodified photos as the clip `stills`. One track per face and clip."""
        rows, tracks = [], {}
        for clip, faces in CLIPS.items():
            for frame in range(FRAMES):
                canvas = self.Image.new("RGB", SIZE, BACKGROUND)
                rel = f"clips/{clip}/{frame:04}.png"
                for slot, (ident, n, size) in enumerate(faces):
                    crop, (fx, fy, fw, fh) = self.crops[ident][n]
                    s = size / fw
                    scaled = crop.resize((round(crop.width * s), round(crop.height * s)), self.Image.BILINEAR)
                    px, py = 40 + slot * 310 + 40 * frame, 60 + 30 * frame
                    canvas.paste(scaled, (px, py))
                    track = tracks.setdefault((clip, ident), len(tracks))
                    rows.append((rel, clip, frame, track, ident, round(px + fx * s, 2), round(py + fy * s, 2), round(fw * s, 2), round(fh * s, 2)))
                self.save(canvas, root, rel)
        by_photo = {}
        for ident, faces in FACES.items():
            for photo, box in faces:
                by_photo.setdefault(photo, []).append((ident, box))
        for frame, (photo, faces) in enumerate(sorted(by_photo.items())):
            rel = f"clips/stills/{frame:04}.png"
            with self.Image.open(os.path.join(self.photos, photo)) as im:
                self.save(im.convert("RGB"), root, rel)
            for ident, (x, y, w, h) in faces:
                track = tracks.setdefault(("stills", ident, photo), len(tracks))
                rows.append((rel, "stills", frame, track, ident, x, y, w, h))
        self.table(root, "truth", "faces.csv", ["image", "clip", "frame", "track", "identity", "x", "y", "w", "h"], rows)

    def verify(self, root):
        """One crop per photo and face, each under an opaque folder name in a seeded shuffled
        order (`images/<subject>/` named after the person would tell a system which pairs are
        mated); every pair of crops, mated when one identity."""
        crops = [(crop, ident) for ident, cs in self.crops.items() for crop, _ in cs]
        random.Random(20201).shuffle(crops)
        images = []
        for n, (crop, ident) in enumerate(crops):
            rel = f"images/f{n:02}/0.png"
            self.save(crop, root, rel)
            images.append((rel, ident))
        pairs = [(a, b, int(ia == ib)) for i, (a, ia) in enumerate(images) for (b, ib) in images[i + 1 :]]
        self.table(root, "truth", "pairs.csv", ["a", "b", "mated"], pairs)

    def identify(self, root):
        """Gallery: the first crop of every identity but NOT_ENROLLED; probes: every other crop
        (mated) and NOT_ENROLLED's (non-mated), numbered in a seeded shuffled order (numbered as
        the identities are walked, neighbouring numbers would be one person and the non-mated
        probes one block)."""
        gallery, pending = [], []
        for ident, crops in self.crops.items():
            for n, (crop, _) in enumerate(crops):
                if n == 0 and ident != NOT_ENROLLED:
                    rel = f"gallery/{ident}.png"
                    gallery.append((rel, ident))
                    self.save(crop, root, rel)
                else:
                    pending.append((crop, "" if ident == NOT_ENROLLED else ident))
        random.Random(20202).shuffle(pending)
        probes = []
        for n, (crop, ident) in enumerate(pending):
            rel = f"probes/{n:04}.png"
            self.save(crop, root, rel)
            probes.append((rel, ident))
        self.table(root, "inputs", "gallery.csv", ["image", "identity"], gallery)
        self.table(root, "truth", "probes.csv", ["image", "identity"], probes)


def compose(photos, out):
    """Writes OUT/detect, OUT/verify and OUT/identify; returns their paths by suite kind."""
    c = Composer(photos)
    roots = {kind: os.path.join(out, kind) for kind in ("detect", "verify", "identify")}
    for kind, root in roots.items():
        getattr(c, kind)(root)
    return roots


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    for kind, root in compose(argv[1], argv[2]).items():
        print(f"{kind}\t{root}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
