"""A committee member's key file: an X25519 key pair, the private half under a passphrase.

The file (JSON; the browser bundle writes the same bytes) holds the public
key, the Argon2id salt and parameters, and the private key encrypted with
AES-256-GCM under the key Argon2id derives from the passphrase:

    {
      "cipher": {"algorithm": "aes-256-gcm", "nonce": base64(12)},
      "encrypted_private_key": base64(32-byte X25519 private key + 16-byte tag),
      "format": "panjere-member-key",
      "kdf": {"algorithm": "argon2id", "iterations": 2, "memory_kib": 19456,
              "parallelism": 1, "salt": base64(16), "version": 19},
      "public_key": base64(32),
      "version": 1
    }

The AAD is the RFC 8785 JSON of the file without "encrypted_private_key", so
the public key and the parameters cannot be swapped without the passphrase.
The passphrase is the UTF-8 of its Unicode NFC form (one passphrase typed on
two systems gives one key). The parameters are OWASP's first recommendation
for Argon2id (m = 19 MiB, t = 2, p = 1); a file with other parameters opens
if they cost at least as much as OWASP's five equivalent settings
(m * t >= 7 MiB * 5) and need at most 1 GiB, which a browser can allocate.
"""

import json
import os
import secrets
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from .encoding import EncodingError, b64decode, b64encode, loads
from .errors import PanjereClientError
from .jcs import canonicalize
from .keys import fingerprint, private_bytes, public_bytes

__all__ = [
    "DEFAULT_PARAMETERS",
    "MIN_PASSPHRASE_LENGTH",
    "Argon2Parameters",
    "MalformedKeyFile",
    "MemberKeyError",
    "MemberKeyFile",
    "WeakPassphrase",
    "WrongPassphrase",
    "change_passphrase",
    "create",
    "fingerprint",
    "read_key_file",
    "unlock",
    "write_key_file",
]

FORMAT = "panjere-member-key"
VERSION = 1
ARGON2_VERSION = 0x13
MIN_PASSPHRASE_LENGTH = 12
SALT_SIZE = 16
NONCE_SIZE = 12
_MIN_COST_KIB = 7168 * 5
_MAX_MEMORY_KIB = 1024 * 1024
_FIELDS = {"format", "version", "public_key", "kdf", "cipher", "encrypted_private_key"}
_KDF_FIELDS = {"algorithm", "version", "memory_kib", "iterations", "parallelism", "salt"}


class MemberKeyError(PanjereClientError):
    """A member key file refused; the subclass says why."""


class MalformedKeyFile(MemberKeyError):
    """Not a member key file in the format, or parameters outside the accepted range."""


class WrongPassphrase(MemberKeyError):
    """The passphrase does not unlock this key file."""


class WeakPassphrase(MemberKeyError):
    """A new passphrase shorter than MIN_PASSPHRASE_LENGTH characters."""


@dataclass(frozen=True)
class Argon2Parameters:
    memory_kib: int
    iterations: int
    parallelism: int

    def check(self) -> None:
        for name in ("memory_kib", "iterations", "parallelism"):
            if type(getattr(self, name)) is not int:
                raise MalformedKeyFile(f"the Argon2id {name} is an integer")
        if not 1 <= self.parallelism <= 4 or not 1 <= self.iterations <= 10:
            raise MalformedKeyFile("Argon2id runs 1 to 10 iterations on 1 to 4 lanes here")
        if self.memory_kib < 8 * self.parallelism or self.memory_kib > _MAX_MEMORY_KIB:
            raise MalformedKeyFile("the Argon2id memory is out of range")
        if self.memory_kib * self.iterations < _MIN_COST_KIB:
            raise MalformedKeyFile("the Argon2id parameters are weaker than OWASP's minimum")


DEFAULT_PARAMETERS = Argon2Parameters(memory_kib=19456, iterations=2, parallelism=1)


@dataclass(frozen=True)
class MemberKeyFile:
    """A parsed key file. `dumps()` gives the exact text both the CLI and the browser write."""

    public_key: bytes
    parameters: Argon2Parameters
    salt: bytes
    nonce: bytes
    encrypted_private_key: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)

    def _unsealed(self) -> dict:
        return {
            "format": FORMAT,
            "version": VERSION,
            "public_key": b64encode(self.public_key),
            "kdf": {
                "algorithm": "argon2id",
                "version": ARGON2_VERSION,
                "memory_kib": self.parameters.memory_kib,
                "iterations": self.parameters.iterations,
                "parallelism": self.parameters.parallelism,
                "salt": b64encode(self.salt),
            },
            "cipher": {"algorithm": "aes-256-gcm", "nonce": b64encode(self.nonce)},
        }

    @property
    def aad(self) -> bytes:
        return canonicalize(self._unsealed())

    def to_json(self) -> dict:
        return {**self._unsealed(), "encrypted_private_key": b64encode(self.encrypted_private_key)}

    def dumps(self) -> str:
        """The file's text: sorted members, two-space indents, ASCII, a final newline."""
        return json.dumps(self.to_json(), indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, document: object) -> "MemberKeyFile":
        if not isinstance(document, dict) or set(document) != _FIELDS:
            raise MalformedKeyFile("not a member key file (its members differ)")
        if document["format"] != FORMAT or document["version"] != VERSION:
            raise MalformedKeyFile("not a member key file of version 1")
        kdf, cipher = document["kdf"], document["cipher"]
        if not isinstance(kdf, dict) or set(kdf) != _KDF_FIELDS:
            raise MalformedKeyFile("the key file's 'kdf' is not in the format")
        if kdf["algorithm"] != "argon2id" or kdf["version"] != ARGON2_VERSION:
            raise MalformedKeyFile("the key file's KDF is not Argon2id version 19")
        if not isinstance(cipher, dict) or set(cipher) != {"algorithm", "nonce"}:
            raise MalformedKeyFile("the key file's 'cipher' is not in the format")
        if cipher["algorithm"] != "aes-256-gcm":
            raise MalformedKeyFile("the key file's cipher is not AES-256-GCM")
        parameters = Argon2Parameters(kdf["memory_kib"], kdf["iterations"], kdf["parallelism"])
        parameters.check()
        try:
            return cls(
                public_key=b64decode(document["public_key"], size=32),
                parameters=parameters,
                salt=b64decode(kdf["salt"], size=SALT_SIZE),
                nonce=b64decode(cipher["nonce"], size=NONCE_SIZE),
                encrypted_private_key=b64decode(document["encrypted_private_key"], size=48),
            )
        except EncodingError as error:
            raise MalformedKeyFile(f"the key file: {error}") from None

    @classmethod
    def loads(cls, text: str | bytes) -> "MemberKeyFile":
        try:
            return cls.from_json(loads(text))
        except EncodingError as error:
            raise MalformedKeyFile(f"the key file is {error}") from None


def _passphrase(passphrase: str) -> bytes:
    if not isinstance(passphrase, str):
        raise TypeError("a passphrase is a str")
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def _check_new(passphrase: str) -> None:
    if len(unicodedata.normalize("NFC", passphrase)) < MIN_PASSPHRASE_LENGTH:
        raise WeakPassphrase(f"a passphrase has at least {MIN_PASSPHRASE_LENGTH} characters")


def derive_key(passphrase: str, salt: bytes, parameters: Argon2Parameters) -> bytes:
    """The 32-byte AES key Argon2id derives from the passphrase."""
    return Argon2id(
        salt=salt,
        length=32,
        iterations=parameters.iterations,
        lanes=parameters.parallelism,
        memory_cost=parameters.memory_kib,
    ).derive(_passphrase(passphrase))


def _seal(
    private_key: X25519PrivateKey, passphrase: str, parameters: Argon2Parameters
) -> MemberKeyFile:
    parameters.check()
    salt, nonce = secrets.token_bytes(SALT_SIZE), secrets.token_bytes(NONCE_SIZE)
    unsealed = MemberKeyFile(public_bytes(private_key.public_key()), parameters, salt, nonce, b"")
    key = derive_key(passphrase, salt, parameters)
    encrypted = AESGCM(key).encrypt(nonce, private_bytes(private_key), unsealed.aad)
    return replace(unsealed, encrypted_private_key=encrypted)


def create(
    passphrase: str, *, parameters: Argon2Parameters = DEFAULT_PARAMETERS
) -> tuple[MemberKeyFile, X25519PrivateKey]:
    """Make a key pair here and its key file under `passphrase`."""
    _check_new(passphrase)
    private_key = X25519PrivateKey.generate()
    return _seal(private_key, passphrase, parameters), private_key


def unlock(key_file: MemberKeyFile, passphrase: str) -> X25519PrivateKey:
    """Return the private key of `key_file`; WrongPassphrase if the passphrase is not its."""
    key = derive_key(passphrase, key_file.salt, key_file.parameters)
    try:
        raw = AESGCM(key).decrypt(key_file.nonce, key_file.encrypted_private_key, key_file.aad)
    except InvalidTag:
        raise WrongPassphrase("the passphrase does not unlock this key file") from None
    private_key = X25519PrivateKey.from_private_bytes(raw)
    if public_bytes(private_key.public_key()) != key_file.public_key:
        raise MalformedKeyFile("the private key in the file is not the public key's")
    return private_key


def change_passphrase(
    key_file: MemberKeyFile,
    old: str,
    new: str,
    *,
    parameters: Argon2Parameters = DEFAULT_PARAMETERS,
) -> MemberKeyFile:
    """The same key pair under a new passphrase (a new salt and nonce, current parameters)."""
    _check_new(new)
    return _seal(unlock(key_file, old), new, parameters)


def read_key_file(path: "str | os.PathLike") -> MemberKeyFile:
    return MemberKeyFile.loads(Path(path).read_bytes())


def write_key_file(path: "str | os.PathLike", key_file: MemberKeyFile) -> None:
    """Write the key file readable by its owner only, replacing any file there at once."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(key_file.dumps())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
