"""Signing a report run with Ed25519: who vouches for ``provenance.json``, checked by anyone.

``provenance.json`` holds the SHA-256 of every other file of its run folder (executed
notebooks, HTML pages, ``ro-crate-metadata.json``) and of every input, so one signature over
its exact bytes covers the whole run. The signature is a detached file beside it,
``provenance.json.sig``: the 64-byte Ed25519 signature in base64 (RFC 4648, section 4) on one
line. Keys are PEM files: the private key as unencrypted PKCS #8, readable by its owner only
(mode 0600), the public key as SubjectPublicKeyInfo, to hand to reviewers.

References
----------
1. Josefsson S, Liusvaara I (2017). Edwards-Curve Digital Signature Algorithm (EdDSA).
   RFC 8032, section 5.1 (Ed25519).
2. Josefsson S, Leonard S (2015). Textual Encodings of PKIX, PKCS, and CMS Structures.
   RFC 7468 (PEM).
"""

from __future__ import annotations

import base64
import binascii
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from workbench.errors import ReportError
from workbench.report.manifest import MANIFEST

__all__ = ["PRIVATE_SUFFIX", "PUBLIC_SUFFIX", "SIGNATURE", "check_signature", "generate_keys",
           "load_private_key", "load_public_key", "sign_manifest"]

#: The detached signature's file name, beside ``provenance.json``.
SIGNATURE = f"{MANIFEST}.sig"
#: The suffixes ``workbench keygen PREFIX`` gives the private and the public key.
PRIVATE_SUFFIX, PUBLIC_SUFFIX = ".key", ".pub"


def generate_keys(prefix: str | Path) -> tuple[Path, Path]:
    """Write a new Ed25519 key pair: ``PREFIX.key`` (private, mode 0600) and ``PREFIX.pub``.

    Existing files are never overwritten: a lost private key cannot be recovered, and a
    replaced one would make earlier signatures unverifiable with the new public key.

    Returns
    -------
    tuple of pathlib.Path
        The private and the public key file.
    """
    private_path = Path(f"{prefix}{PRIVATE_SUFFIX}")
    public_path = Path(f"{prefix}{PUBLIC_SUFFIX}")
    existing = [str(p) for p in (private_path, public_path) if p.exists()]
    if existing:
        raise ReportError(45, f"{' and '.join(existing)} already exist(s); keygen never "
                          "overwrites a key. Choose another prefix, or move the old keys away "
                          "first (reports signed with them need their public key to verify).")
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(serialization.Encoding.PEM,
                                    serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
    public_pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    private_path.parent.mkdir(parents=True, exist_ok=True)
    # Created with mode 0600 from the start: the key is never readable by others, not even
    # between writing and a later chmod.
    descriptor = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(private_pem)
    public_path.write_bytes(public_pem)
    return private_path, public_path


def _read_key_file(path: Path, role: str) -> bytes:
    if not path.is_file():
        raise ReportError(40, f"{path}: no such {role} key file. Give the path of the "
                          f"{'.key' if role == 'private' else '.pub'} file written by "
                          "'workbench keygen'.")
    return path.read_bytes()


def _refuse_other_type(path: Path, key: object, role: str) -> None:
    wanted = Ed25519PrivateKey if role == "private" else Ed25519PublicKey
    if not isinstance(key, wanted):
        raise ReportError(42, f"{path} holds a {role} key of type {type(key).__name__}; "
                          "reports are signed with Ed25519 only. Make a key pair with "
                          "'workbench keygen PREFIX'.")


def load_private_key(path: str | Path) -> Ed25519PrivateKey:
    """The Ed25519 private key in the PEM file ``path``, refused with a reason otherwise."""
    path = Path(path)
    data = _read_key_file(path, "private")
    if b"-----BEGIN PUBLIC KEY-----" in data:
        raise ReportError(44, f"{path} is a public key; signing needs the private key (the "
                          ".key file of the pair written by 'workbench keygen').")
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except TypeError:
        raise ReportError(43, f"{path} is an encrypted private key; workbench cannot ask for "
                          "a passphrase. Use an unencrypted key kept readable by you only "
                          "(chmod 600), e.g. one made by 'workbench keygen'.") from None
    except (ValueError, UnsupportedAlgorithm):
        openssh = (" (an OpenSSH key, as ssh-keygen writes, is not read)"
                   if b"OPENSSH PRIVATE KEY" in data else "")
        raise ReportError(41, f"{path} is not a PEM private key{openssh}. Give the .key file "
                          "written by 'workbench keygen'.") from None
    _refuse_other_type(path, key, "private")
    return key


def load_public_key(path: str | Path) -> Ed25519PublicKey:
    """The Ed25519 public key in the PEM file ``path``, refused with a reason otherwise."""
    path = Path(path)
    data = _read_key_file(path, "public")
    if b"PRIVATE KEY-----" in data:
        raise ReportError(44, f"{path} is a private key; verifying needs only the public key "
                          "(the .pub file). Do not hand the private key to reviewers: ask "
                          "the signer for the .pub file.")
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm):
        raise ReportError(41, f"{path} is not a PEM public key. Give the .pub file written by "
                          "'workbench keygen'.") from None
    _refuse_other_type(path, key, "public")
    return key


def sign_manifest(folder: Path, key: Ed25519PrivateKey) -> Path:
    """Sign the exact bytes of ``folder/provenance.json``; write and return the signature file."""
    signature = key.sign((folder / MANIFEST).read_bytes())
    path = folder / SIGNATURE
    path.write_text(base64.b64encode(signature).decode("ascii") + "\n", encoding="ascii")
    return path


def _read_signature(path: Path) -> bytes:
    try:
        signature = base64.b64decode(path.read_bytes().strip(), validate=True)
    except (binascii.Error, ValueError):
        signature = b""
    if len(signature) != 64:  # RFC 8032, section 5.1.6: R and S, 32 bytes each
        raise ReportError(47, f"{path} is not an Ed25519 signature (64 bytes in base64 on "
                          "one line). It was damaged after signing: ask the signer for the "
                          "run folder again.")
    return signature


def check_signature(report_dir: Path, public_key: str | Path) -> None:
    """Check ``provenance.json.sig`` against ``provenance.json`` with ``public_key``.

    Raises ``WB-REPORT-046`` when the run is not signed and ``WB-REPORT-048`` when the
    signature does not match (the manifest was changed after signing, or the key is not the
    signer's); returns quietly when it matches.
    """
    key = load_public_key(public_key)
    path = report_dir / SIGNATURE
    if not path.is_file():
        raise ReportError(46, f"{report_dir} is not signed (no {SIGNATURE}), so {public_key} "
                          "cannot vouch for it. Verify without --public-key, or ask the author "
                          "for a signed run ('workbench report DIR --sign KEY').")
    try:
        key.verify(_read_signature(path), (report_dir / MANIFEST).read_bytes())
    except InvalidSignature:
        raise ReportError(48, f"{report_dir / MANIFEST} does not match its signature "
                          f"{SIGNATURE} under the public key {public_key}: the manifest was "
                          "changed after it was signed, or the key is not the signer's. Do "
                          "not cite this report; ask its author for the run folder and their "
                          "public key again.") from None
