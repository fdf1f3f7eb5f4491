#!/usr/bin/env python3
"""Measures the trained Ocular super-resolution defaults against bicubic on the held-out images
and writes packages/models/assets/ocular-sr/psnr.json and the table of the README there.

    /usr/bin/python3 tooling/training/sr/evaluate.py

Per model and held-out image: the image cropped to a multiple of the scale is the reference, the
antialiased-bicubic downscale (rounded to 8 bits) the input; the network's output (clamped,
rounded to 8 bits) and the bicubic upscale of the same input are compared with the reference on
BT.601 Y with `scale` pixels shaved (common.py). The weights are read back from the exported
safetensors files, so the figures are those of the shipped files.
"""
import json
import os

from common import (ASSETS, bicubic_up, build, crop_to_multiple, downscale, load_json, psnr_y, read_safetensors,
                    upscale_u8, weights_path)
from photos import eval_images

MARKERS = {'psnr': ('<!-- psnr-table:begin -->', '<!-- psnr-table:end -->'),
           'training': ('<!-- training-table:begin -->', '<!-- training-table:end -->'),
           'photos': ('<!-- photos-table:begin -->', '<!-- photos-table:end -->')}


def evaluate(name, images):
    model, cfg = build(name)
    model.load_state_dict(read_safetensors(weights_path(name)), strict=True)
    model.eval()
    s = cfg['scale']
    rows = {}
    for file, img in images.items():
        hr = crop_to_multiple(img, s)
        lr = downscale(hr, s)
        rows[file] = {'model': round(psnr_y(upscale_u8(model, lr), hr, s), 4),
                      'bicubic': round(psnr_y(bicubic_up(lr, s), hr, s), 4)}
        rows[file]['gain'] = round(rows[file]['model'] - rows[file]['bicubic'], 4)
        print(f'{name} {file}: {rows[file]}', flush=True)
    mean = {k: round(sum(r[k] for r in rows.values()) / len(rows), 4) for k in ('model', 'bicubic', 'gain')}
    target = load_json('plan.json')['target_gain_db']
    return {'scale': s, 'arch': cfg['arch'], 'images': rows, 'mean': mean, 'meets_target': mean['gain'] >= target}


def table(results):
    files = list(next(iter(results.values()))['images'])
    head = ['Model', 'Scale', 'Mean model dB', 'Mean bicubic dB', 'Mean gain dB', 'Target met'] + [
        f'Gain {f}' for f in files]
    lines = ['| ' + ' | '.join(head) + ' |', '|' + '---|' * len(head)]
    for name, r in results.items():
        m = r['mean']
        cells = [f'`{name}`', f'×{r["scale"]}', f'{m["model"]:.2f}', f'{m["bicubic"]:.2f}', f'**{m["gain"]:+.2f}**',
                 'yes' if r['meets_target'] else 'no']
        cells += [f'{r["images"][f]["gain"]:+.2f}' for f in files]
        lines.append('| ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines)


def training_table():
    """Per model: iterations, CPU time and start, from training.json (written by train.py)."""
    path = os.path.join(ASSETS, 'training.json')
    if not os.path.exists(path):
        return '(not trained yet)'
    with open(path) as f:
        log = json.load(f)
    lines = ['| Model | Started from | Stages: iterations (Adam lr) | Batch × LR patch | CPU time (1 thread) | Final L1 |',
             '|---|---|---|---|---|---|']
    total = 0
    for name, r in log['models'].items():
        total += r['cpu_seconds']
        first, last = r['stages'][0], r['stages'][-1]
        start = f"`{first['from']}`" if first.get('from') else 'scratch'
        steps = ' + '.join(f"{st['iters']} ({st['lr']})" for st in r['stages'])
        lines.append(f"| `{name}` | {start} | {steps} | {last['batch']} × {last['patch']}² | "
                     f"{r['cpu_seconds'] / 60:.1f} min | {last['final_l1']:.4f} |")
    lines.append(f"\nTotal: {total / 60:.1f} CPU minutes (PyTorch {log['torch']}, Python {log['python']}, one thread).")
    return '\n'.join(lines)


def photos_table():
    """The photos of photos.json with their package, author, licence and role."""
    manifest = load_json('photos.json')
    lines = ['| Photo | Debian package (version) | Author | Licence | Used for |', '|---|---|---|---|---|']
    for p in manifest['photos']:
        lines.append(f"| `{p['file']}` | `{p['package']}` ({manifest['packages'][p['package']]}) | "
                     f"{p['author']}, {p['year']} | {p['licence']} | {p['role']} |")
    return '\n'.join(lines)


def fill(text, key, body):
    begin, end = MARKERS[key]
    if begin not in text or end not in text:
        return text
    return text[: text.index(begin) + len(begin)] + '\n' + body + '\n' + text[text.index(end):]


def main():
    images = eval_images()
    names = list(load_json('plan.json')['models'])
    results = {n: evaluate(n, images) for n in names if os.path.exists(weights_path(n))}
    out = {
        'protocol': 'Y-PSNR (BT.601, 8-bit, border of `scale` px shaved) of the network and of bicubic upscaling '
                    'against the reference image cropped to a multiple of the scale; input = antialiased bicubic '
                    'downscale rounded to 8 bits; held-out images only (tooling/training/sr).',
        'images': {f: list(img.shape[1:]) for f, img in images.items()},
        'target_gain_db': load_json('plan.json')['target_gain_db'],
        'models': results,
    }
    with open(os.path.join(ASSETS, 'psnr.json'), 'w') as f:
        json.dump(out, f, indent=1)
        f.write('\n')
    readme = os.path.join(ASSETS, 'README.md')
    if os.path.exists(readme):
        with open(readme) as f:
            text = f.read()
        text = fill(fill(text, 'psnr', table(results)), 'training', training_table())
        text = fill(text, 'photos', photos_table())
        with open(readme, 'w') as f:
            f.write(text)
    print(table(results))


if __name__ == '__main__':
    main()
