"""panjere_verify.merkle against the transparency-dev RFC 6962/9162 proof vectors."""

import pytest

from panjere_verify import merkle
from tests.audit.merkle_reference import consistency_cases, inclusion_cases


@pytest.mark.parametrize("case", inclusion_cases())
def test_inclusion_vector(case):
    verdict = merkle.verify_inclusion(
        case["leafHash"], case["leafIdx"], case["treeSize"], case["proof"], case["root"]
    )

    assert verdict is (not case["wantErr"])


@pytest.mark.parametrize("case", consistency_cases())
def test_consistency_vector(case):
    verdict = merkle.verify_consistency(
        case["size1"], case["size2"], case["root1"], case["root2"], case["proof"]
    )

    assert verdict is (not case["wantErr"])
