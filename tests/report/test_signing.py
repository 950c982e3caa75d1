"""Signed reports: ``workbench keygen`` makes an Ed25519 pair, ``report --sign`` signs
``provenance.json`` (which hashes every other file of the run), ``verify --public-key`` checks
it; every bad key or signature is refused by number, naming the file (issue 18)."""

from __future__ import annotations

import base64
import json
import shutil
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from tests.conftest import write
from workbench import Project
from workbench.cli import main
from workbench.errors import ReportError
from workbench.report import generate_keys, run_report, verify

#: A one-cell notebook: signing does not depend on what the notebooks do.
NOTEBOOK = '''# %% tags=["parameters"]
PROJECT = "study"
CORPUS = "corpus"

# %%
print("ward 3B")
'''


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, Path]:
    """A project, its notebooks, a key pair (by the CLI), and a signed and an unsigned run."""
    folder = tmp_path_factory.mktemp("signing")
    Project.create(folder / "study", user="ana").close()
    write(folder / "notebooks", "01_wards.py", NOTEBOOK)
    assert main(["keygen", str(folder / "keys" / "ana")]) == 0
    runs = {name: run_report(folder / "study", notebooks_dir=folder / "notebooks",
                             out=folder / name, progress=False, sign=key)
            for name, key in (("signed", folder / "keys" / "ana.key"), ("unsigned", None))}
    return {"folder": folder, "notebooks": folder / "notebooks", "project": folder / "study",
            "private": folder / "keys" / "ana.key", "public": folder / "keys" / "ana.pub", **runs}


@pytest.fixture
def signed(made, tmp_path) -> Path:
    """A copy of the signed run folder, free to alter."""
    return Path(shutil.copytree(made["signed"], tmp_path / made["signed"].name))


def _verify(made, run: Path, public_key: Path | None = None):
    return verify(run, made["project"], rerun=False, notebooks_dir=made["notebooks"],
                  progress=False, public_key=public_key)


def _cli_verify(made, run: Path, *extra: str) -> int:
    """``workbench verify``; it reads the repository's notebooks, so on these runs it passes
    only the signature (checked first) and fails the notebook source (tests/report/
    test_verify.py runs it on a signed run of the real notebooks)."""
    return main(["verify", str(run), "--project", str(made["project"]), "--no-rerun", *extra])


def test_keygen_writes_a_private_key_for_its_owner_only_and_a_public_key(made):
    private, public = made["private"], made["public"]
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    key = serialization.load_pem_private_key(private.read_bytes(), password=None)
    assert isinstance(key, ed25519.Ed25519PrivateKey)
    assert public.read_text(encoding="ascii").startswith("-----BEGIN PUBLIC KEY-----")
    before = private.read_bytes()
    with pytest.raises(ReportError, match=r"WB-REPORT-045: .*ana\.key.*never overwrites"):
        generate_keys(made["folder"] / "keys" / "ana")
    assert private.read_bytes() == before


def test_the_signature_covers_provenance_json_which_hashes_every_other_file(made):
    run = made["signed"]
    manifest = json.loads((run / "provenance.json").read_text(encoding="utf-8"))
    # Every file of the run but the manifest and its signature: the notebook, its page, the
    # crate.
    assert [f["name"] for f in manifest["files"]] == ["01_wards.html", "01_wards.ipynb",
                                                       "ro-crate-metadata.json"]
    # Checked independently of workbench: base64 of 64 bytes (RFC 8032, 5.1.6) over the
    # manifest's exact bytes.
    signature = base64.b64decode((run / "provenance.json.sig").read_text(encoding="ascii"))
    assert len(signature) == 64
    public = serialization.load_pem_public_key(made["public"].read_bytes())
    public.verify(signature, (run / "provenance.json").read_bytes())
    result = _verify(made, run, made["public"])
    assert result.passed and set(result.checks["status"]) == {"ok"}
    checks = result.checks
    assert checks.loc[checks["check"] == "signature", "status"].tolist() == ["ok"]
    assert checks.loc[checks["check"] == "file", "subject"].tolist() == [
        "01_wards.html", "01_wards.ipynb", "ro-crate-metadata.json"]


def test_altered_manifest_or_wrong_key_is_refused_naming_provenance_json(made, signed,
                                                                           capsys):
    other = generate_keys(made["folder"] / "keys" / "ben")[1]
    with pytest.raises(ReportError, match=r"WB-REPORT-048: .*provenance\.json does not match"):
        _verify(made, signed, other)
    manifest = json.loads((signed / "provenance.json").read_text(encoding="utf-8"))
    # A recorded digest replaced by another valid one: the manifest still reads as complete.
    manifest["outputs"][-1]["sha256"] = "0" * 64
    (signed / "provenance.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    assert _cli_verify(made, signed, "--public-key", str(made["public"])) == 1
    err = capsys.readouterr().err
    assert "WB-REPORT-048" in err and "provenance.json" in err


def test_an_edited_page_of_a_signed_run_fails_as_a_file(made, signed):
    page = signed / "01_wards.html"
    page.write_text(page.read_text(encoding="utf-8").replace("ward 3B", "ward 4A"),
                    encoding="utf-8")
    result = _verify(made, signed, made["public"])
    failed = result.checks[result.checks["status"] == "failed"]
    # The signature still matches the manifest; the manifest's digest of the page does not.
    assert list(zip(failed["check"], failed["subject"], strict=True)) == [
        ("file", "01_wards.html")]


def test_unsigned_run_with_a_public_key_is_refused(made, capsys):
    assert _cli_verify(made, made["unsigned"], "--public-key", str(made["public"])) == 1
    err = capsys.readouterr().err
    assert "WB-REPORT-046" in err and "is not signed" in err


def test_signed_run_without_a_public_key_passes_with_a_warning(made, signed):
    result = _verify(made, signed)
    assert result.passed
    assert result.problems() == ["WARNING signature: provenance.json.sig: the run is signed "
                                 "but the signature was not checked: pass --public-key "
                                 "(public_key=) with the signer's .pub file to check who "
                                 "vouches for it"]


def test_damaged_signature_file_is_refused(made, signed):
    (signed / "provenance.json.sig").write_text("not a signature\n", encoding="ascii")
    with pytest.raises(ReportError, match=r"WB-REPORT-047: .*provenance\.json\.sig"):
        _verify(made, signed, made["public"])


def _pem(key, *, encryption=None) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             encryption or serialization.NoEncryption())


def test_bad_keys_are_refused_before_anything_runs(made, signed, tmp_path):
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ed_key = ed25519.Ed25519PrivateKey.generate()
    rsa_public = rsa_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    cases = {
        "notes.txt": (b"my signing key\n", 41, "not a PEM private key"),
        "rsa.key": (_pem(rsa_key), 42, "holds a private key of type RSAPrivateKey; reports are "
                    "signed with Ed25519 only"),
        "locked.key": (_pem(ed_key, encryption=serialization.BestAvailableEncryption(b"pw")),
                       43, "encrypted private key; workbench cannot ask for a passphrase"),
        "ana.pub": (made["public"].read_bytes(), 44, "is a public key; signing needs the "
                    "private key"),
        # An Ed25519 key as ssh-keygen writes it: the right curve, another file format.
        "id_ed25519": (ed_key.private_bytes(serialization.Encoding.PEM,
                                            serialization.PrivateFormat.OpenSSH,
                                            serialization.NoEncryption()),
                       41, r"not a PEM private key \(an OpenSSH key"),
    }
    for name, (content, number, says) in cases.items():
        key = write(tmp_path / "keys", name, content)
        with pytest.raises(ReportError, match=f"WB-REPORT-{number:03d}: {key}.*{says}"):
            run_report(made["project"], notebooks_dir=made["notebooks"],
                       out=tmp_path / "out", progress=False, sign=key)
    with pytest.raises(ReportError, match="WB-REPORT-040: .*missing.key: no such private"):
        run_report(made["project"], notebooks_dir=made["notebooks"], out=tmp_path / "out",
                   progress=False, sign=tmp_path / "missing.key")
    assert not (tmp_path / "out").exists()  # nothing written for a refused key
    rsa_pub = write(tmp_path / "keys", "rsa.pub", rsa_public)
    with pytest.raises(ReportError, match=r"WB-REPORT-042: .*rsa\.pub holds a public key of "
                       "type RSAPublicKey"):
        _verify(made, signed, rsa_pub)
    with pytest.raises(ReportError, match=r"WB-REPORT-044: .*ana\.key is a private key"):
        _verify(made, signed, made["private"])
