"""Start the emulator: ``python -m linkedin_emulator --port 8765``. Runs until interrupted."""

from __future__ import annotations

import argparse
import json
import signal
import threading

from linkedin_emulator.data import Dataset
from linkedin_emulator.server import FAULT_KINDS, Emulator, EmulatorSettings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to listen on")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--posts-per-org", type=int, default=300)
    parser.add_argument(
        "--followers-per-org", type=int, default=2500, help="DMA member followers per organization"
    )
    parser.add_argument("--companies-per-account", type=int, default=2200)
    parser.add_argument(
        "--dma-interval", type=float, default=60.0, help="seconds between DMA requests (LinkedIn: 60)"
    )
    parser.add_argument("--latency-ms", type=float, default=0.0, help="added to every API response")
    parser.add_argument(
        "--fault-rate", type=float, default=0.0, help="share of API requests answered with a fault"
    )
    parser.add_argument(
        "--fault-kinds", default=",".join(FAULT_KINDS), help=f"comma-separated, of {FAULT_KINDS}"
    )
    parser.add_argument("--ready-file", help="write the emulator's URL here once it listens")
    args = parser.parse_args(argv)
    if not (args.host.startswith("127.") or args.host in ("localhost", "::1")):
        parser.error("the emulator listens on loopback only")

    emulator = Emulator(
        Dataset(
            posts_per_org=args.posts_per_org,
            member_followers_per_org=args.followers_per_org,
            companies_per_account=args.companies_per_account,
        ),
        EmulatorSettings(
            dma_interval_seconds=args.dma_interval,
            latency_ms=args.latency_ms,
            fault_rate=args.fault_rate,
            fault_kinds=[k for k in args.fault_kinds.split(",") if k],
        ),
    ).start(args.host, args.port)
    print(json.dumps({"url": emulator.url, "config": emulator.connector_config()}), flush=True)
    if args.ready_file:
        with open(args.ready_file, "w") as ready:
            ready.write(emulator.url)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    emulator.stop()


if __name__ == "__main__":
    main()
