"""panjere_verify.merkle.Tree: the root of a tree grown leaf by leaf is RFC 9162's MTH."""

from panjere_verify import merkle
from tests.audit import merkle_reference as rfc


def test_every_root_while_growing_is_the_mth():
    leaves = [rfc.leaf(str(i).encode()) for i in range(300)]
    tree = merkle.Tree()
    assert tree.root() == merkle.EMPTY_ROOT == rfc.mth([])

    for n, leaf in enumerate(leaves, start=1):
        tree.append(leaf)

        assert tree.size == n
        assert tree.root() == rfc.mth(leaves[:n])


def test_leaf_and_node_hashes_are_the_rfc_ones():
    assert merkle.leaf_hash(b"abc") == rfc.leaf(b"abc")
    assert merkle.node_hash(b"l" * 32, b"r" * 32) == rfc.node(b"l" * 32, b"r" * 32)
