#!/usr/bin/env python3
"""Run each notebook top to bottom in a fresh Jupyter kernel, as a JupyterLab user would, and report times.

python .ci/run_notebooks.py [NOTEBOOK ...] [--skip slow] [--timeout 1800] [--inplace]

Unlike `nbdev_test` (which runs cells in-process with execnb), this starts a real `python3` kernel per
notebook with nbclient, from the notebook's own folder. `#| cuda` cells are skipped when no GPU is
present; `--skip slow` also skips `#| slow` cells. `--inplace` saves the executed notebooks (with outputs,
skipped cells kept) — the docs workflow uses it so that the rendered site shows the figures. Prints wall and CPU seconds per notebook and the total.
Exits 1 if any notebook fails.
"""
import argparse, re, resource, sys, time
from pathlib import Path
import nbformat
from nbclient import NotebookClient

root = Path(__file__).resolve().parent.parent

def _flags(src):
    return {f for l in src.splitlines() for f in re.findall(r'^#\|\s*(\w+)\s*$', l.strip())}

def run(nb_path, skip, timeout, inplace=False):
    full = nbformat.read(nb_path, as_version=4)
    nb = nbformat.from_dict(full)
    nb.cells = [c for c in full.cells if c.cell_type != 'code' or not (_flags(c.source) & skip)]
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN); t0 = time.time()
    NotebookClient(nb, timeout=timeout, kernel_name='python3', resources={'metadata': {'path': str(nb_path.parent)}}).execute()
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if inplace:   # executed cells replace their originals; skipped cells stay as they were
        done = iter(nb.cells)
        full.cells = [c if (c.cell_type == 'code' and _flags(c.source) & skip) else next(done) for c in full.cells]
        nbformat.write(full, nb_path)
    return time.time() - t0, (cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime + cpu0.ru_stime)

if __name__ == '__main__':
    ap = argparse.ArgumentParser(); ap.add_argument('notebooks', nargs='*')
    ap.add_argument('--skip', nargs='*', default=[]); ap.add_argument('--timeout', type=int, default=1800)
    ap.add_argument('--inplace', action='store_true')
    a = ap.parse_args()
    try:
        import torch; gpu = torch.cuda.is_available()
    except ImportError: gpu = False
    skip = set(a.skip) | ({'cuda'} if not gpu else set())
    nbs = [Path(p).resolve() for p in a.notebooks] or sorted(p for p in (root/'nbs').rglob('*.ipynb')
            if not any(part.startswith(('_', '.')) for part in p.relative_to(root/'nbs').parts))
    tw = tc = 0.; failed = []
    for p in nbs:
        try:
            w, c = run(p, skip, a.timeout, a.inplace); tw += w; tc += c
            print(f'ok    {p.relative_to(root)}  wall {w:7.1f} s  cpu {c:7.1f} s', flush=True)
        except Exception as e:
            failed.append(p); print(f'FAIL  {p.relative_to(root)}: {type(e).__name__}: {str(e)[-400:]}', flush=True)
    print(f'total wall {tw:.0f} s, kernel cpu {tc:.0f} s (skipped cells flagged: {" ".join(sorted(skip)) or "none"})')
    print(f'{len(nbs) - len(failed)} passed, {len(failed)} failed')
    sys.exit(1 if failed else 0)
