"""audit.merkle: the frontier and proof generation agree with RFC 9162's definitions."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit import merkle
from panjere_verify import merkle as independent

from . import merkle_reference as rfc

LEAVES = [rfc.leaf(f"event {i}".encode()) for i in range(10_000)]


def _grow(n: int) -> tuple[list[bytes], dict[tuple[int, int], bytes], list]:
    """Append n leaves; return the frontier, every completed subtree, and the emission order."""
    frontier, stored, emitted = [], {}, []
    for size in range(n):
        frontier, completed = merkle.frontier_append(frontier, size, LEAVES[size])
        for level, index, digest in completed:
            stored[level, index] = digest
            emitted.append((level, index))
    return frontier, stored, emitted


FRONTIER, SUBTREES, _ = _grow(len(LEAVES))


def _source(size: int, asked: set | None = None):
    """Serve stored subtrees of a tree of `size` leaves, refusing any that is not complete."""

    def subtree(level: int, index: int) -> bytes:
        assert (index + 1) << level <= size, f"({level}, {index}) is not complete at {size}"
        if asked is not None:
            asked.add((level, index))
        return SUBTREES[level, index]

    return subtree


def _verifiers():
    # The server's verifiers and the standalone verifier's, which must agree.
    return merkle, independent


def test_leaf_and_node_hashes_are_the_rfc_ones():
    assert merkle.leaf_hash(b"") == rfc.leaf(b"")
    assert merkle.node_hash(LEAVES[0], LEAVES[1]) == rfc.node(LEAVES[0], LEAVES[1])
    assert merkle.EMPTY_ROOT.hex() == (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )


@pytest.mark.parametrize("n", range(71))
def test_frontier_root_is_the_mth_after_every_append(n):
    # given a tree grown one leaf at a time
    frontier, stored, emitted = _grow(n)

    # then its root is MTH(D[n]) and it holds one hash per set bit of n
    assert merkle.frontier_root(frontier) == rfc.mth(LEAVES[:n])
    assert len(frontier) == n.bit_count()
    # and exactly the perfect subtrees were emitted, each once, with its MTH
    expected = {(lvl, i) for lvl in range(8) for i in range(n >> lvl)}
    assert len(emitted) == sum(n >> lvl for lvl in range(8)) == len(expected)
    assert set(emitted) == expected
    for (level, index), digest in stored.items():
        assert digest == rfc.mth(LEAVES[index << level : (index + 1) << level])


def test_frontier_append_reports_the_subtrees_a_leaf_completes():
    # given a tree of 11 leaves (8 + 2 + 1)
    frontier, _, _ = _grow(11)

    # when the 12th leaf is appended
    new, completed = merkle.frontier_append(frontier, 11, LEAVES[11])

    # then it completes the leaf 11, the pair (1, 5) and the quad (2, 2)
    assert [(level, index) for level, index, _ in completed] == [(0, 11), (1, 5), (2, 2)]
    assert new == [SUBTREES[3, 0], SUBTREES[2, 2]]
    assert frontier == [SUBTREES[3, 0], SUBTREES[1, 4], SUBTREES[0, 10]]  # left as it was


def test_frontier_append_refuses_a_frontier_of_another_size():
    with pytest.raises(ValueError, match="a frontier of 3 leaves holds 2 hashes"):
        merkle.frontier_append([LEAVES[0]], 3, LEAVES[3])
    with pytest.raises(ValueError, match="never negative"):
        merkle.frontier_append([], -1, LEAVES[0])
    with pytest.raises(ValueError, match="32 bytes"):
        merkle.frontier_append([], 0, b"short")


def test_frontier_packs_and_unpacks():
    frontier, _, _ = _grow(13)

    packed = merkle.frontier_pack(frontier)

    assert len(packed) == 3 * 32
    assert merkle.frontier_unpack(packed) == frontier
    assert merkle.frontier_unpack(b"") == []
    with pytest.raises(ValueError, match="multiple of 32"):
        merkle.frontier_unpack(packed[:-1])
    with pytest.raises(ValueError, match="32-byte"):
        merkle.frontier_pack([b"short"])


@pytest.mark.parametrize("size", range(71))
def test_root_hash_is_the_mth(size):
    asked = set()

    root = merkle.root_hash(size, _source(size, asked))

    assert root == rfc.mth(LEAVES[:size])
    assert asked == merkle.plan_root(size)
    assert len(asked) == size.bit_count()


@pytest.mark.parametrize("size", range(1, 71))
def test_every_inclusion_path_is_the_rfc_path_and_verifies(size):
    root = rfc.mth(LEAVES[:size])
    for index in range(size):
        asked = set()

        path = merkle.inclusion_path(index, size, _source(size, asked))

        assert path == rfc.path(index, LEAVES[:size])
        assert asked == merkle.plan_inclusion(index, size)
        assert len(asked) <= 2 * size.bit_length()
        for verifier in _verifiers():
            assert verifier.verify_inclusion(LEAVES[index], index, size, path, root)
            assert not verifier.verify_inclusion(LEAVES[index - 1], index, size, path, root)


@pytest.mark.parametrize("second", range(1, 71))
def test_every_consistency_path_is_the_rfc_proof_and_verifies(second):
    root2 = rfc.mth(LEAVES[:second])
    for first in range(1, second + 1):
        root1 = rfc.mth(LEAVES[:first])
        asked = set()

        path = merkle.consistency_path(first, second, _source(second, asked))

        assert path == rfc.proof(first, LEAVES[:second])
        assert asked == merkle.plan_consistency(first, second)
        assert len(asked) <= 2 * second.bit_length()
        for verifier in _verifiers():
            assert verifier.verify_consistency(first, second, root1, root2, path)
            if first < second:
                assert not verifier.verify_consistency(first, second, root2, root1, path)


@settings(max_examples=30, deadline=None)
@given(data=st.data(), size=st.integers(1, len(LEAVES)))
def test_proofs_of_large_trees_verify(data, size):
    index = data.draw(st.integers(0, size - 1), label="index")
    first = data.draw(st.integers(1, size), label="first")
    root = merkle.root_hash(size, _source(size))
    assert root == rfc.mth(LEAVES[:size])
    root1 = merkle.root_hash(first, _source(first))

    inclusion = merkle.inclusion_path(index, size, _source(size))
    consistency = merkle.consistency_path(first, size, _source(size))

    assert inclusion == rfc.path(index, LEAVES[:size])
    assert consistency == rfc.proof(first, LEAVES[:size])
    for verifier in _verifiers():
        assert verifier.verify_inclusion(LEAVES[index], index, size, inclusion, root)
        assert verifier.verify_consistency(first, size, root1, root, consistency)


def test_frontier_of_many_leaves_is_the_mth():
    assert merkle.frontier_root(FRONTIER) == rfc.mth(LEAVES)


def test_proof_generation_refuses_arguments_that_name_no_proof():
    source = _source(8)
    with pytest.raises(ValueError, match="leaf 8 is not in a tree of 8 leaves"):
        merkle.inclusion_path(8, 8, source)
    with pytest.raises(ValueError, match="leaf -1 is not in a tree of 8 leaves"):
        merkle.inclusion_path(-1, 8, source)
    with pytest.raises(ValueError, match="cannot extend"):
        merkle.consistency_path(5, 4, source)
    with pytest.raises(ValueError, match="empty tree is meaningless"):
        merkle.consistency_path(0, 4, source)
    with pytest.raises(ValueError, match="never negative"):
        merkle.root_hash(-1, source)
    with pytest.raises(ValueError, match="leaf 3 is not in a tree of 3 leaves"):
        merkle.plan_inclusion(3, 3)
    with pytest.raises(ValueError, match="cannot extend"):
        merkle.plan_consistency(2, 1)


def test_the_empty_tree():
    assert merkle.root_hash(0, _source(0)) == merkle.EMPTY_ROOT
    assert merkle.frontier_root([]) == merkle.EMPTY_ROOT
    assert merkle.plan_root(0) == set()
