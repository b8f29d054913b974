"""Regenerate the typed classes of the custom resources we apply (k8s_charts/imports/) with `cdk8s import`.

Input: the CRD files under k8s_charts/imports/crds/, copied from the pinned charts. jsii (which
`cdk8s import` compiles the classes with) rejects a property named like a Java getter, so the few
listed in JSII_INCOMPATIBLE are dropped from a temporary copy first; the committed CRD file stays as
the chart ships it, and `make verify-charts` validates our objects against the full schema.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
CRD_DIR = ROOT / "k8s_charts" / "imports" / "crds"
OUT_DIR = ROOT / "k8s_charts" / "imports"
# (CRD name, path of properties inside openAPIV3Schema) that jsii cannot compile; none is a field we set.
JSII_INCOMPATIBLE = {
    "secretstores.external-secrets.io": [
        ("spec", "provider", "keepersecurity", "getByTitleFallback"),
    ],
}


def _drop(schema: dict[str, Any], path: tuple[str, ...]) -> bool:
    node = schema
    for key in path[:-1]:
        node = node.get("properties", {}).get(key, {})
    return node.get("properties", {}).pop(path[-1], None) is not None


def prepared(source: Path, into: Path) -> Path:
    docs = [doc for doc in yaml.safe_load_all(source.read_text()) if doc]
    for doc in docs:
        for path in JSII_INCOMPATIBLE.get(doc["metadata"]["name"], []):
            for version in doc["spec"]["versions"]:
                _drop(version["schema"]["openAPIV3Schema"], path)
    target = into / source.name
    target.write_text(yaml.safe_dump_all(docs, sort_keys=False))
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cdk8s-cli", required=True, help="the pinned cdk8s-cli version (Makefile CDK8S_CLI_VERSION)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        inputs = [prepared(path, Path(tmp)) for path in sorted(CRD_DIR.glob("*.yaml"))]
        out = Path(tmp) / "out"
        # One import per file: given several, cdk8s import 2.207 writes only the first.
        for crd_file in inputs:
            command = ["npm", "exec", "--yes", f"--package=cdk8s-cli@{args.cdk8s_cli}", "--", "cdk8s", "import"]
            command += ["--language", "python", "--output", str(out), str(crd_file)]
            print("+", " ".join(command), flush=True)
            subprocess.run(command, check=True, cwd=tmp)
        for package in out.iterdir():
            shutil.rmtree(OUT_DIR / package.name, ignore_errors=True)
            shutil.copytree(package, OUT_DIR / package.name)
            print(f"  wrote {(OUT_DIR / package.name).relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
