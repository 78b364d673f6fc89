// Every refusal is a SealingError whose `name` is the Python class's name
// (panjere_client), so the page, the tests and the CLI speak of one refusal
// by one name. `name` is set explicitly: the minifier renames classes.

export class SealingError extends Error {
  constructor(message) {
    super(message);
    this.name = "SealingError";
  }
}

function refusal(name) {
  return class extends SealingError {
    constructor(message) {
      super(message);
      this.name = name;
    }
  };
}

export const BadMagic = refusal("BadMagic");
export const UnsupportedVersion = refusal("UnsupportedVersion");
export const UnsupportedSuite = refusal("UnsupportedSuite");
export const MalformedHeader = refusal("MalformedHeader");
export const ContextMismatch = refusal("ContextMismatch");
export const WrongTenderKey = refusal("WrongTenderKey");
export const SealedKeyMismatch = refusal("SealedKeyMismatch");
export const MalformedChunk = refusal("MalformedChunk");
export const EnvelopeTruncated = refusal("EnvelopeTruncated");
export const ChunkOutOfOrder = refusal("ChunkOutOfOrder");
export const ChunkTagMismatch = refusal("ChunkTagMismatch");
export const TrailingData = refusal("TrailingData");
export const EnvelopeTooLarge = refusal("EnvelopeTooLarge");
export const InvalidContext = refusal("InvalidContext");

export const MalformedManifest = refusal("MalformedManifest");
export const FileHashMismatch = refusal("FileHashMismatch");
export const FileChanged = refusal("FileChanged");
export const BundleTruncated = refusal("BundleTruncated");
export const BundleTrailingData = refusal("BundleTrailingData");
export const BadBundleMagic = refusal("BadBundleMagic");
export const MalformedPriceSchedule = refusal("MalformedPriceSchedule");

export const MalformedKeyFile = refusal("MalformedKeyFile");
export const WrongPassphrase = refusal("WrongPassphrase");
export const WeakPassphrase = refusal("WeakPassphrase");
export const KeyFormatError = refusal("KeyFormatError");

export const MalformedShare = refusal("MalformedShare");
export const ShareMismatch = refusal("ShareMismatch");
