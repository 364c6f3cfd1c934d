"""The spaCy model's matrix products through numpy's BLAS, and its maxout by whole arrays.

thinc (spaCy's neural network library) multiplies matrices with its bundled ``blis``
(``NumpyOps.gemm``). On this project's machines numpy's OpenBLAS does the same float32 products
about three times faster for the shapes of ``en_core_web_sm`` (tok2vec, tagger, parser and NER
layers), which were 40% of the model's CPU time (docs/PERFORMANCE.md, issue 14, "the model's
own speed"). :func:`use_numpy_blas` gives every layer of a loaded pipeline an ops object whose
``gemm`` is ``numpy.matmul`` and whose ``maxout`` takes the maxima of whole arrays (thinc's loop
in C, which also records each winning piece for training, took ~1.8 ms an article more on the
mixed feed, 4% of the model's time); every other operation is thinc's own. The parse is the same: the
same tags, lemmas, dependencies and entities token for token on the bench corpora and every
evaluation set (checked when this was written; ``tests/test_model_speed.py`` checks a sample).

OpenBLAS would start a thread per core for the larger products; wirecoder parallelises by
process (``--workers``), so the BLAS is held to one thread in the process
(``WIRECODER_BLAS_THREADS``, default 1). Set ``WIRECODER_BLAS=blis`` to keep thinc's own."""

from __future__ import annotations

import os

import numpy
from thinc.api import NumpyOps

ENV_SWITCH = "WIRECODER_BLAS"            # "numpy" (default) or "blis" (thinc's own)
ENV_THREADS = "WIRECODER_BLAS_THREADS"   # threads numpy's BLAS may use in this process (default 1)

_limiter = None   # the threadpoolctl limit, kept alive for the life of the process


class NumpyBLASOps(NumpyOps):
    """thinc's NumpyOps with ``gemm`` done by ``numpy.matmul`` (numpy's BLAS), and ``maxout``
    by whole-array maxima (thinc finds each maximum and its piece in a loop in C).

    For inference only: ``maxout`` does not keep which piece won (the gradient needs it), so
    training a pipeline with these ops fails in the backward pass. wirecoder never trains."""

    name = "numpy_blas"

    def maxout(self, X):
        """The largest of the ``nP`` pieces of each output, as thinc's (its first maximum on
        ties); the winning pieces are not kept (None)."""
        if X.dtype != numpy.float32 or X.ndim != 3 or X.shape[2] < 1:
            return super().maxout(X)
        best = X[:, :, 0].copy()
        for p in range(1, X.shape[2]):
            numpy.maximum(best, X[:, :, p], out=best)
        return best, None

    def gemm(self, x, y, out=None, trans1: bool = False, trans2: bool = False):
        if trans1:
            x = x.T
        if trans2:
            y = y.T
        if out is None:
            return numpy.matmul(x, y)
        numpy.matmul(x, y, out=out)
        return out


def _threads() -> int:
    raw = os.environ.get(ENV_THREADS, "1")
    try:
        n = int(raw)
    except ValueError:
        raise RuntimeError(f"{ENV_THREADS}={raw!r} is not a whole number of threads (e.g. 1)") from None
    if n < 1:
        raise RuntimeError(f"{ENV_THREADS}={raw!r}: give at least 1 thread")
    return n


def use_numpy_blas(nlp) -> bool:
    """Give every layer of every component of ``nlp`` the numpy-BLAS ops (unless
    ``WIRECODER_BLAS=blis``) and hold numpy's BLAS to ``WIRECODER_BLAS_THREADS`` threads.
    Returns whether the ops were switched."""
    global _limiter
    choice = os.environ.get(ENV_SWITCH, "numpy").strip().lower()
    if choice == "blis":
        return False
    if choice != "numpy":
        raise RuntimeError(f"{ENV_SWITCH}={choice!r}: use 'numpy' (default) or 'blis'")
    if _limiter is None:
        from threadpoolctl import threadpool_limits

        _limiter = threadpool_limits(limits=_threads(), user_api="blas")
    ops = NumpyBLASOps()
    for _, proc in nlp.pipeline:
        model = getattr(proc, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        for node in model.walk():
            if type(node.ops) is NumpyOps:     # never replace a GPU or another custom ops
                node.ops = ops
    return True
