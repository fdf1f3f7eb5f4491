"""The training and evaluation photos (photos.json): fetched from Debian packages, checked, and
prepared as high-resolution images.

Each package of photos.json is downloaded with `apt-get download <package>=<version>` (nothing is
installed; run `apt-get update` first) into the cache folder ($OCULAR_SR_CACHE, default
~/.cache/ocular-sr) and unpacked there with `dpkg-deb -x`. Every photo's sha256 is checked against
photos.json. The photos are not part of the repository.

A photo becomes a high-resolution image by an antialiased bicubic downscale to `long_side` pixels
(plan.json): the wallpapers are 2-6k pixels wide straight from cameras, softer per pixel than
the 256-600 pixel images super-resolution is measured on; shrinking them gives crisp targets.
"""
import glob
import hashlib
import os
import subprocess

import torch

from common import CACHE, SAMPLES, load_json, read_image, shrink_long_side


def _sha256(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            h.update(block)
    return h.hexdigest()


def _unpacked(package, version):
    """The folder a package is unpacked into, downloading and unpacking it when needed."""
    dest = os.path.join(CACHE, 'debs', f'{package}_{version}')
    if os.path.isdir(dest):
        return dest
    debs = os.path.join(CACHE, 'debs')
    os.makedirs(debs, exist_ok=True)
    found = glob.glob(os.path.join(debs, f'{package}_{version}_*.deb'))
    if not found:
        subprocess.run(['apt-get', 'download', f'{package}={version}'], cwd=debs, check=True)
        found = glob.glob(os.path.join(debs, f'{package}_{version}_*.deb'))
    subprocess.run(['dpkg-deb', '-x', found[0], dest + '.tmp'], check=True)
    os.rename(dest + '.tmp', dest)
    return dest


def photo_paths():
    """photos.json's entries, each with `path` (checked file on disk)."""
    manifest = load_json('photos.json')
    out = []
    for p in manifest['photos']:
        version = manifest['packages'][p['package']].replace(':', '%3a')
        root = _unpacked(p['package'], version)
        path = os.path.join(root, 'usr', 'share', 'backgrounds', p['file'])
        digest = _sha256(path)
        if digest != p['sha256']:
            raise SystemExit(f'{path}: sha256 {digest}, photos.json says {p["sha256"]}')
        out.append({**p, 'path': path})
    return out


def hr_images(role):
    """{name: uint8 [3, H, W]} of the photos of a role ('train' or 'eval'), prepared and cached."""
    long_side = load_json('plan.json')['long_side']
    out = {}
    for p in photo_paths():
        if p['role'] != role:
            continue
        cached = os.path.join(CACHE, 'hr', f'{long_side}', p['file'] + '.pt')
        if os.path.exists(cached):
            out[p['file']] = torch.load(cached)
            continue
        img = shrink_long_side(read_image(p['path']), long_side)
        os.makedirs(os.path.dirname(cached), exist_ok=True)
        torch.save(img, cached)
        out[p['file']] = img
    return out


def eval_images():
    """The held-out images: the repository's samples at their size, then the held-out photos."""
    files = load_json('photos.json')['samples']['files']
    out = {f: read_image(os.path.join(SAMPLES, f)) for f in files}
    out.update(hr_images('eval'))
    return out
