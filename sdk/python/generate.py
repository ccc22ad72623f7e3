"""Generates kurt_sdk/_gen from proto/ with grpcio-tools (the pinned one of
requirements-dev.txt, so the output is reproducible).

    python sdk/python/generate.py OUTPUT_BASE

writes OUTPUT_BASE/sdk/python/kurt_sdk/_gen: `npm run generate` passes the
repository's root, `npm run check:generated` a scratch folder that it then
compares with the tree. Only kurt/v1 is generated: google/api's annotations
come from googleapis-common-protos, the well-known types from protobuf.
"""

import pathlib
import re
import shutil
import sys

import grpc_tools
from grpc_tools import protoc

ROOT = pathlib.Path(__file__).resolve().parents[2]
PACKAGE = "kurt_sdk._gen"
GENERATED = pathlib.Path("sdk/python/kurt_sdk/_gen")


def main(output_base: str) -> int:
    out = pathlib.Path(output_base).resolve() / GENERATED
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    protos = sorted(p.relative_to(ROOT / "proto").as_posix() for p in (ROOT / "proto" / "kurt").rglob("*.proto"))
    well_known = pathlib.Path(grpc_tools.__file__).parent / "_proto"
    code = protoc.main(
        [
            "grpc_tools.protoc",
            f"-I{ROOT / 'proto'}",
            f"-I{well_known}",
            f"--python_out={out}",
            f"--pyi_out={out}",
            f"--grpc_python_out={out}",
            *protos,
        ]
    )
    if code != 0:
        return code
    # protoc writes absolute imports from the proto root ("from kurt.v1 import
    # link_pb2"); inside the package they must name it.
    for path in out.rglob("*.py*"):
        text = path.read_text()
        text = re.sub(r"^from kurt\.v1 import", f"from {PACKAGE}.kurt.v1 import", text, flags=re.M)
        text = re.sub(r"^import kurt\.v1\.", f"import {PACKAGE}.kurt.v1.", text, flags=re.M)
        path.write_text(text)
    for folder in [out, *(p for p in out.rglob("*") if p.is_dir())]:
        (folder / "__init__.py").write_text("")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else str(ROOT)))
