"""scripts/image-test's runs: the image (``docker run``, as Airbyte runs a connector: the config, catalog and
state in a mounted folder) and the pip package, each against the same emulator, their records compared stream by
stream. Prints one line per command and per stream; exits 1 on any difference."""

import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from linkedin_emulator import Dataset, Emulator

CONNECTOR = Path(sys.executable).parent / "source-linkedin-org"


def messages(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def records(output: list[dict]) -> Counter:
    """Each stream's records, as a multiset of their JSON (emitted_at left out)."""
    return Counter(
        (m["record"]["stream"], json.dumps(m["record"]["data"], sort_keys=True))
        for m in output
        if m["type"] == "RECORD"
    )


def run(image: str, folder: Path, *args: str) -> list[dict]:
    """The image's command, as Airbyte runs it: its files in /data, the host's network (the emulator is on
    loopback), the image's own user."""
    command = ["docker", "run", "--rm", "--network", "host", "-v", f"{folder}:/data", image, *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        print(f"docker run {' '.join(args)}: rc {done.returncode}\n{done.stderr[-2000:]}", file=sys.stderr)
        sys.exit(1)
    return messages(done.stdout)


def main() -> None:
    image = sys.argv[1]
    dataset = Dataset(posts_per_org=60, member_followers_per_org=1200, companies_per_account=700)
    with Emulator(dataset) as emulator, tempfile.TemporaryDirectory() as tmp:
        emulator.update_settings(dma_interval_seconds=0.2)
        folder = Path(tmp)
        folder.chmod(0o777)  # the image's `airbyte` user reads it
        # Both apps, so every stream reads (the DMA app's daily analytics included).
        (folder / "config.json").write_text(json.dumps(emulator.connector_config(dma_app=True)))
        spec = run(image, folder, "spec")
        assert any(m["type"] == "SPEC" for m in spec), "spec: no SPEC message"
        print("spec: the connector's specification")
        check = [m for m in run(image, folder, "check", "--config", "/data/config.json")]
        status = next(m["connectionStatus"] for m in check if m["type"] == "CONNECTION_STATUS")
        print(f"check: {status['status']}")
        assert status["status"] == "SUCCEEDED", status
        discovered = run(image, folder, "discover", "--config", "/data/config.json")
        catalog = next(m["catalog"] for m in discovered if m["type"] == "CATALOG")
        print(f"discover: {len(catalog['streams'])} streams")
        configured = [
            {"stream": stream, "destination_sync_mode": "append",
             "sync_mode": "incremental" if "incremental" in stream["supported_sync_modes"] else "full_refresh"}
            for stream in catalog["streams"]
        ]  # fmt: skip
        (folder / "catalog.json").write_text(json.dumps({"streams": configured}))
        from_image = records(
            run(image, folder, "read", "--config", "/data/config.json", "--catalog", "/data/catalog.json")
        )
        package = subprocess.run(
            [str(CONNECTOR), "read", "--config", str(folder / "config.json"), "--catalog", str(folder / "catalog.json")],
            capture_output=True, text=True, timeout=900,
        )  # fmt: skip
        from_package = records(messages(package.stdout))
        streams = sorted({stream for stream, _ in from_image | from_package})
        different = []
        for stream in streams:
            ours = Counter({k: n for k, n in from_image.items() if k[0] == stream})
            theirs = Counter({k: n for k, n in from_package.items() if k[0] == stream})
            same = ours == theirs
            print(f"read {stream}: {sum(ours.values())} records from the image, {sum(theirs.values())} from pip"
                  f"{'' if same else '  <- DIFFERENT'}")  # fmt: skip
            different += [] if same else [stream]
        missing = [stream["name"] for stream in catalog["streams"] if stream["name"] not in streams]
        if missing:
            print(f"No record of {', '.join(missing)} from either", file=sys.stderr)
        if different or missing or not streams:
            print(
                f"The image's records differ from the pip package's: {', '.join(different)}", file=sys.stderr
            )
            sys.exit(1)


if __name__ == "__main__":
    main()
